// "Copy" buttons beside answers to be pasted into another service's form (the national
// notification). Each button names the element whose text it copies in data-copy; the buttons
// stay hidden without JavaScript or a clipboard, where the answers are selected by hand. A
// status region tells screen-reader users what was copied.

export function initCopyButtons(root = document) {
  if (!navigator.clipboard) return;
  const status = root.querySelector("[data-copy-status]");
  for (const button of root.querySelectorAll("button[data-copy]")) {
    const source = root.getElementById(button.dataset.copy);
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", async () => {
      const question = button.textContent.replace(/^Copy\s*/, "");
      try {
        await navigator.clipboard.writeText(source.innerText.trim());
        if (status) status.textContent = `Copied ${question}`;
      } catch {
        if (status) status.textContent = `Could not copy ${question}: select the answer and copy it`;
      }
    });
  }
}
