import { initAll } from "../govuk/govuk-frontend.min.js";
import { initCopyButtons } from "./copy-answers.mjs";
import { initSessionTimeout } from "./session-timeout.mjs";

initAll();
initSessionTimeout();
initCopyButtons();
