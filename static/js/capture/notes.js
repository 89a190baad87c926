// Notes: typed, tagged with a look-for if the coach likes, and shown at once, marked as
// waiting until the queue says the server has them.

import { enqueue, newId, undoNote } from "./queue.js";

const page = document.getElementById("capture");
const notesList = document.getElementById("notes");
const noteForm = document.getElementById("note-form");
const noteText = document.getElementById("note-text");
const tagBox = document.getElementById("look-for-tags");
const tagInput = document.getElementById("note-look-for");
const undoButton = document.getElementById("undo-note");
const foldButton = document.getElementById("notes-fold");

// As many notes as stay in view under the note box while the list is folded (tandem.css).
const SHOWN_FOLDED = 3;

// The school's clock, as the notes the server shows: a phone set to another zone (or
// to UTC) must not label a note typed at 9:29 as 15:29.
function timeLabel(iso) {
  return new Date(iso).toLocaleTimeString("en-GB", {
    timeZone: page.dataset.timeZone || undefined,
    hour: "2-digit",
    minute: "2-digit",
    hour12: false,
  });
}

export function noteElement(clientId) {
  return notesList.querySelector('.note[data-client-id="' + clientId + '"]');
}

// state: "pending" (waiting to be sent), "refused" (not saved) or "saved".
export function renderNote(op, state) {
  let item = noteElement(op.client_id);
  if (!item) {
    item = document.createElement("li");
    item.className = "note";
    item.dataset.clientId = op.client_id;
    const time = document.createElement("time");
    time.className = "note-time";
    time.dateTime = op.noted_at;
    time.textContent = timeLabel(op.noted_at);
    const text = document.createElement("span");
    text.className = "note-text pre-line";
    text.textContent = op.text;
    item.append(time, " ");
    const tag = op.look_for && tagBox && tagBox.querySelector('[data-look-for="' + op.look_for + '"]');
    if (tag) {
      const badge = document.createElement("span");
      badge.className = "badge text-bg-light border note-tag";
      badge.textContent = tag.textContent;
      item.append(badge, " ");
    }
    item.append(text);
    notesList.prepend(item);
  }
  if (state === "saved" && !item.querySelector(".note-edit") && page.dataset.noteEditUrl) {
    // Saved, it can be corrected on its own page like the notes the server showed.
    const edit = document.createElement("a");
    edit.className = "note-edit small";
    edit.href = page.dataset.noteEditUrl.replace("00000000-0000-0000-0000-000000000000", op.client_id);
    edit.textContent = gettext("Edit");
    const hint = document.createElement("span");
    hint.className = "visually-hidden";
    // Translators: after "Edit", for screen readers: "Edit the note of 09:29".
    hint.textContent = " " + interpolate(gettext("the note of %(time)s"), { time: timeLabel(op.noted_at) }, true);
    edit.append(hint);
    item.append(" ", edit);
  }
  item.classList.toggle("note-pending", state === "pending");
  item.classList.toggle("note-refused", state === "refused");
  showUndo();
  return item;
}

// In a long lesson the list of notes is folded to the latest few, or the seat map ends up
// screens below the note box; the button says how many there are and shows them all. The
// list changes from several places (typed, sent, undone, come back from the queue): the
// button follows the list itself.
function showFold() {
  if (!foldButton) return;
  const count = notesList.querySelectorAll(".note").length;
  const folded = notesList.classList.contains("notes-folded");
  foldButton.hidden = count <= SHOWN_FOLDED;
  foldButton.setAttribute("aria-expanded", String(!folded));
  foldButton.textContent = folded
    ? interpolate(ngettext("Show the %(n)s note", "Show all %(n)s notes", count), { n: count }, true)
    : interpolate(ngettext("Show only the latest note", "Show only the latest %(n)s", SHOWN_FOLDED), { n: SHOWN_FOLDED }, true);
}

// "Undo last note" takes back the newest note of the list, sent or not, while the lesson
// is a draft (the button is on the page only then): again, and the one before goes.
export function showUndo() {
  if (undoButton) undoButton.disabled = !notesList.querySelector(".note");
}

// A look-for tag: one pressed at a time, for the note being typed; it applies whether it
// was tapped before or after typing, and is let go once the note is added.
function pressTag(button) {
  for (const other of tagBox.querySelectorAll(".look-for-tag")) {
    other.setAttribute("aria-pressed", String(other === button));
  }
  tagInput.value = button ? button.dataset.lookFor : "";
}

export function startNotes() {
  if (foldButton) {
    notesList.classList.add("notes-folded");
    showFold();
    foldButton.addEventListener("click", function () {
      notesList.classList.toggle("notes-folded");
      showFold();
    });
    new MutationObserver(showFold).observe(notesList, { childList: true });
  }

  if (tagBox) {
    tagBox.addEventListener("click", function (event) {
      const button = event.target.closest(".look-for-tag");
      if (!button) return;
      pressTag(button.getAttribute("aria-pressed") === "true" ? null : button);
    });
  }

  if (undoButton) {
    showUndo();
    undoButton.addEventListener("click", function () {
      const last = notesList.querySelector(".note");
      if (!last) return;
      undoNote(last.dataset.clientId);
      last.remove();
      showUndo();
      noteText.focus();
    });
  }

  noteForm.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = noteText.value.trim();
    if (!text) return;
    const op = { type: "note", client_id: newId(), text: text, noted_at: new Date().toISOString() };
    if (tagInput && tagInput.value) op.look_for = tagInput.value;
    renderNote(op, "pending");
    noteText.value = "";
    if (tagBox) pressTag(null);
    noteText.focus();
    enqueue(op);
  });
}
