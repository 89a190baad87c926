// The comment bank beside the feedback form (templates/observations/_comment_bank.html):
// a tap on a phrase puts it into its own box (strengths, wonderings or next steps) where
// the cursor was in that box, or at its end. Without JavaScript the phrases are shown as
// text to copy, and no button is shown that would do nothing.
"use strict";

(function () {
  const bank = document.getElementById("comment-bank");
  if (!bank) return;

  function insert(box, phrase) {
    const start = box.selectionStart ?? box.value.length;
    const end = box.selectionEnd ?? start;
    const before = box.value.slice(0, start);
    const after = box.value.slice(end);
    // The phrase stands apart from the words around it: a space where text touches it.
    let text = phrase;
    if (before && !/\s$/.test(before)) text = " " + text;
    if (after && !/^\s/.test(after)) text = text + " ";
    box.focus();
    box.setRangeText(text, start, end, "end");
    box.dispatchEvent(new Event("input", { bubbles: true }));
  }

  for (const button of bank.querySelectorAll("button[data-insert-into]")) {
    const box = document.getElementById(button.dataset.insertInto);
    if (!box) continue;
    button.hidden = false;
    button.parentElement.querySelector("[data-without-script]")?.setAttribute("hidden", "");
    button.addEventListener("click", function () {
      const phrase = button.lastChild.textContent.trim();
      insert(box, phrase);
    });
  }
  for (const hint of bank.querySelectorAll("[data-with-script]")) hint.hidden = false;
})();
