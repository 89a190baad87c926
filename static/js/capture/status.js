// What the coach is told of the queue: everything saved, what waits and why, and each
// change the server refused, to try again or discard.

import { noteElement, renderNote } from "./notes.js";
import { discard, loadQueue, retry, sendingHeldUp } from "./queue.js";
import { forgetSeatChange } from "./seats.js";

const page = document.getElementById("capture");
const status = document.getElementById("sync-status");
const notSavedList = document.getElementById("not-saved");

function describe(ops) {
  const notes = ops.filter((op) => op.type === "note").length;
  const taps = ops.filter((op) => op.type === "tap" || op.type === "untap").length;
  const parts = [];
  if (notes) parts.push(notes + (notes === 1 ? " note" : " notes"));
  const undone = ops.filter((op) => op.type === "unnote").length;
  if (taps) parts.push(taps + (taps === 1 ? " seat tap" : " seat taps"));
  if (undone) parts.push(undone + (undone === 1 ? " undone note" : " undone notes"));
  if (notes + taps + undone < ops.length) parts.push("tally changes");
  return parts.join(" and ");
}

function signInLink() {
  const link = document.createElement("a");
  link.href = page.dataset.signInUrl;
  link.target = "_blank";
  link.rel = "noopener";
  link.textContent = "sign in";
  const hint = document.createElement("span");
  hint.className = "visually-hidden";
  hint.textContent = " (opens a new tab)";
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
    if (!refused) status.append("Everything is saved.");
  } else if (!navigator.onLine) {
    status.append("Offline: " + what + " kept on this device, sent when the connection returns.");
  } else if (sendingHeldUp() === "signed-out") {
    status.append("Signed out — ", signInLink(), " to send " + what + ". They are kept on this device.");
  } else if (sendingHeldUp() === "unconfirmed") {
    status.append("Not sent yet: " + what + " kept on this device; trying again.");
  } else {
    status.append("Sending " + what + "…");
  }
  if (refused) {
    status.append((waiting.length ? " " : "") + refused + " not saved: see below.");
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
    const what =
      op.type === "note"
        ? "Note “" + op.text + "”"
        : op.type === "unnote"
          ? "Undoing a note"
          : op.type === "tally"
          ? "Tally “" + op.label + "” at " + op.count
          : (op.type === "tap" ? "Tap" : "Undoing a tap") + " on row " + (op.row + 1) + ", seat " + (op.column + 1);
    const again = document.createElement("button");
    again.type = "button";
    again.className = "btn btn-sm btn-outline-dark ms-2";
    again.textContent = "Try again";
    again.addEventListener("click", () => {
      if (op.type === "note") renderNote(op, "pending");
      retry(op.seq);
    });
    const drop = document.createElement("button");
    drop.type = "button";
    drop.className = "btn btn-sm btn-outline-danger ms-2";
    drop.textContent = "Discard";
    drop.addEventListener("click", () => {
      discard(op.seq);
      if (op.type === "note") noteElement(op.client_id)?.remove();
      forgetSeatChange(op);
    });
    item.append("Not saved: " + what + ". " + op.error, again, drop);
    notSavedList.append(item);
    if (op.type === "note") renderNote(op, "refused");
  }
  notSavedList.hidden = !refused.length;
}
