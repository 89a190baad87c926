// A "Copy" button beside text to copy (the calendar address): shown only where it can work,
// so that without JavaScript the text is still there, whole, to select by hand.
"use strict";

(function () {
  function say(id, text) {
    const status = document.querySelector('[data-copy-status="' + id + '"]');
    if (status) status.textContent = text;
  }

  function selectText(element) {
    const range = document.createRange();
    range.selectNodeContents(element);
    const selection = window.getSelection();
    selection.removeAllRanges();
    selection.addRange(range);
  }

  for (const button of document.querySelectorAll("button[data-copy]")) {
    const id = button.dataset.copy;
    const source = document.getElementById(id);
    if (!source) continue;
    button.hidden = false;
    button.addEventListener("click", function () {
      const text = source.textContent.trim();
      const copied = navigator.clipboard
        ? navigator.clipboard.writeText(text)
        : Promise.reject(new Error("no clipboard"));
      copied.then(
        function () {
          say(id, gettext("Copied."));
        },
        function () {
          // A browser that refuses the clipboard (an insecure page, a denied permission):
          // the address is selected, for the person to copy themselves.
          selectText(source);
          // Translators: "Copy" is the device's own command (a menu item, a key).
          say(id, gettext("Selected: copy it with your device's Copy."));
        },
      );
    });
  }
})();
