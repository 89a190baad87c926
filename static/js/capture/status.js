// What the coach is told of the queue: everything saved, what waits and why, and each
// change the server refused, to try again or discard.

import { noteElement, renderNote } from "./notes.js";
import { discard, loadQueue, retry, sendingHeldUp } from "./queue.js";
import { forgetSeatChange } from "./seats.js";

const page = document.getElementById("capture");
const status = document.getElementById("sync-status");
const notSavedList = document.getElementById("not-saved");

// gettext, ngettext and interpolate come from the JavaScript catalogue, the script the page
// loads before this one (core/jsi18n.py), in the page's language.

function describe(ops) {
  const notes = ops.filter((op) => op.type === "note").length;
  const taps = ops.filter((op) => op.type === "tap" || op.type === "untap").length;
  const undone = ops.filter((op) => op.type === "unnote").length;
  const parts = [];
  if (notes) parts.push(interpolate(ngettext("%(n)s note", "%(n)s notes", notes), { n: notes }, true));
  if (taps) parts.push(interpolate(ngettext("%(n)s seat tap", "%(n)s seat taps", taps), { n: taps }, true));
  if (undone) {
    parts.push(interpolate(ngettext("%(n)s undone note", "%(n)s undone notes", undone), { n: undone }, true));
  }
  if (notes + taps + undone < ops.length) parts.push(gettext("tally changes"));
  if (!parts.length) return "";
  // Translators: joins what waits to be sent, e.g. "2 notes and 1 seat tap".
  return parts.reduce((some, more) => interpolate(gettext("%(some)s and %(more)s"), { some, more }, true));
}

// A translated sentence with an element (a link) where its %(link)s stands, so that the
// translation may put the link wherever its words go.
function sentenceWith(format, values, element) {
  const marker = "\u0000";
  const [before, after] = interpolate(format, { ...values, link: marker }, true).split(marker);
  return [before, element, after ?? ""];
}

function signInLink() {
  const link = document.createElement("a");
  link.href = page.dataset.signInUrl;
  link.target = "_blank";
  link.rel = "noopener";
  // Translators: the link in "Signed out — sign in to send 2 notes."
  link.textContent = gettext("sign in");
  const hint = document.createElement("span");
  hint.className = "visually-hidden";
  hint.textContent = " " + gettext("(opens a new tab)");
  link.append(hint);
  return link;
}

export function describeQueue() {
  const queue = loadQueue();
  const waiting = queue.filter((op) => !op.error);
  const refused = queue.length - waiting.length;
  const what = describe(waiting);
  status.replaceChildren();
  if (!waiting.length) {
    if (!refused) status.append(gettext("Everything is saved."));
  } else if (!navigator.onLine) {
    const format = gettext("Offline: %(what)s kept on this device, sent when the connection returns.");
    status.append(interpolate(format, { what }, true));
  } else if (sendingHeldUp() === "signed-out") {
    // Translators: %(link)s is the link "sign in".
    const format = gettext("Signed out — %(link)s to send %(what)s. They are kept on this device.");
    status.append(...sentenceWith(format, { what }, signInLink()));
  } else if (sendingHeldUp() === "unconfirmed") {
    const format = gettext("Not sent yet: %(what)s kept on this device; trying again.");
    status.append(interpolate(format, { what }, true));
  } else {
    status.append(interpolate(gettext("Sending %(what)s…"), { what }, true));
  }
  if (refused) {
    const format = ngettext("%(n)s not saved: see below.", "%(n)s not saved: see below.", refused);
    status.append((waiting.length ? " " : "") + interpolate(format, { n: refused }, true));
  }
  status.classList.toggle("sync-waiting", queue.length > 0);
  renderNotSaved(queue.filter((op) => op.error));
}

function renderNotSaved(refused) {
  // Redrawn only when it changes, so that a retry every few seconds keeps keyboard focus.
  const shown = JSON.stringify(refused.map((op) => [op.seq, op.error]));
  if (notSavedList.dataset.shown === shown) return;
  notSavedList.dataset.shown = shown;
  notSavedList.replaceChildren();
  for (const op of refused) {
    const item = document.createElement("li");
    item.className = "alert alert-danger py-2 mb-2";
    const place = { row: op.row + 1, seat: op.column + 1 };
    const what =
      op.type === "note"
        ? interpolate(gettext("Note “%(text)s”"), { text: op.text }, true)
        : op.type === "unnote"
          ? gettext("Undoing a note")
          : op.type === "tally"
            ? interpolate(gettext("Tally “%(label)s” at %(count)s"), { label: op.label, count: op.count }, true)
            : op.type === "tap"
              ? interpolate(gettext("Tap on row %(row)s, seat %(seat)s"), place, true)
              : interpolate(gettext("Undoing a tap on row %(row)s, seat %(seat)s"), place, true);
    const again = document.createElement("button");
    again.type = "button";
    again.className = "btn btn-sm btn-outline-dark ms-2";
    again.textContent = gettext("Try again");
    again.addEventListener("click", () => {
      if (op.type === "note") renderNote(op, "pending");
      retry(op.seq);
    });
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "btn btn-sm btn-outline-danger ms-2";
    drop.textContent = gettext("Discard");
    drop.addEventListener("click", () => {
      discard(op.seq);
      if (op.type === "note") noteElement(op.client_id)?.remove();
      forgetSeatChange(op);
    });
    // Translators: %(error)s is the server's reason, e.g. "Too long."
    item.append(interpolate(gettext("Not saved: %(what)s. %(error)s"), { what, error: op.error }, true), again, drop);
    notSavedList.append(item);
    if (op.type === "note") renderNote(op, "refused");
  }
  notSavedList.hidden = !refused.length;
}
