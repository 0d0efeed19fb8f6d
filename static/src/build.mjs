// Compiles static/src/app.scss with the partnership's branding and copies GOV.UK Frontend's
// JavaScript and images (not its fonts) into static/dist, which Django serves as static files.
import { cpSync, mkdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import * as sass from "sass";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const govuk = join(root, "node_modules", "govuk-frontend", "dist", "govuk");
const dist = join(root, "static", "dist");

rmSync(dist, { recursive: true, force: true });
mkdirSync(join(dist, "css"), { recursive: true });
mkdirSync(join(dist, "govuk", "assets"), { recursive: true });

const result = sass.compile(join(root, "static", "src", "app.scss"), {
  loadPaths: [join(root, "node_modules")],
  style: "compressed",
  quietDeps: true,
  silenceDeprecations: ["import"],
});
writeFileSync(join(dist, "css", "app.css"), result.css);

cpSync(join(govuk, "govuk-frontend.min.js"), join(dist, "govuk", "govuk-frontend.min.js"));
cpSync(join(govuk, "assets", "images"), join(dist, "govuk", "assets", "images"), {
  recursive: true,
});
console.log(`Built static/dist (css/app.css ${Math.round(result.css.length / 1024)} KiB)`);
