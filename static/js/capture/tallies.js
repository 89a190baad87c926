// Tallies: counters tapped during the lesson. Each sends its new total, never "one more",
// so a total sent twice counts once.

import { discard, enqueue, loadConfirmed, loadQueue, newId, queueEvents } from "./queue.js";

const talliesBox = document.getElementById("tallies");
const tallyForm = document.getElementById("tally-form");
const undoButton = document.getElementById("undo-tally");
// The taps on tallies made on this page, newest last, for "Undo last tally tap".
const taps = [];
// Each tally's total as the server last confirmed it (the page's, then each receipt).
const saved = new Map();

export function tallyElement(clientId) {
  return talliesBox.querySelector('.tally[data-client-id="' + clientId + '"]');
}

export function renderTally(clientId, label, count) {
  let form = tallyElement(clientId);
  if (!form) {
    const empty = document.getElementById("no-tallies");
    if (empty) empty.remove();
    form = document.createElement("form");
    form.className = "tally";
    form.dataset.clientId = clientId;
    form.dataset.label = label;
    const button = document.createElement("button");
    button.type = "submit";
    button.className = "btn btn-outline-dark tally-button";
    const name = document.createElement("span");
    name.className = "tally-label";
    name.textContent = label;
    const badge = document.createElement("span");
    badge.className = "badge text-bg-dark tally-count";
    const hint = document.createElement("span");
    hint.className = "visually-hidden";
    // Translators: after the tally's name and count, for screen readers.
    hint.textContent = gettext(", tap to add one");
    button.append(name, " ", badge, hint);
    form.append(button);
    talliesBox.append(form);
  }
  form.dataset.count = String(count);
  form.querySelector(".tally-count").textContent = String(count);
}

// A tally's total as this device knows it. Another tab of this observation shares the
// queue and may have counted on since this page showed its number: counting on from the
// shown number alone would send a lower total and lose that tab's taps.
// A total waiting in the queue is this device's latest intent, and may be lower than one
// confirmed before it (an undone tap).
function knownCount(clientId, shown) {
  const queued = loadQueue().find((op) => op.type === "tally" && op.client_id === clientId);
  if (queued) return queued.count;
  let count = shown;
  for (const op of loadConfirmed()) {
    if (op.type === "tally" && op.client_id === clientId) count = Math.max(count, op.count);
  }
  return count;
}

// Another tab counted or queued something: show the same totals here.
export function showQueuedTotals() {
  for (const op of loadQueue()) {
    const tally = op.type === "tally" && tallyElement(op.client_id);
    if (tally && Number(tally.dataset.count) < op.count) renderTally(op.client_id, op.label, op.count);
  }
}

// Take back the last tap: the total one lower. When that is the total the server already
// holds, the tap never left the device and is just taken out of the queue; otherwise the
// lower total is queued and sent, and a total sent twice counts once.
function undoTap() {
  const clientId = taps.pop();
  undoButton.disabled = !taps.length;
  const form = clientId && tallyElement(clientId);
  if (!form) return;
  const count = Math.max(0, knownCount(clientId, Number(form.dataset.count)) - 1);
  renderTally(clientId, form.dataset.label, count);
  const queued = loadQueue().find((op) => op.type === "tally" && op.client_id === clientId);
  if (queued && saved.get(clientId) === count) {
    discard(queued.seq);
  } else {
    enqueue({ type: "tally", client_id: clientId, label: form.dataset.label, count: count });
  }
}

export function startTallies() {
  for (const form of talliesBox.querySelectorAll(".tally")) {
    saved.set(form.dataset.clientId, Number(form.dataset.count));
  }
  queueEvents.addEventListener("confirmed", ({ detail: op }) => {
    if (op.type === "tally") saved.set(op.client_id, op.count);
  });
  if (undoButton) undoButton.addEventListener("click", undoTap);

  talliesBox.addEventListener("submit", function (event) {
    event.preventDefault();
    const form = event.target.closest(".tally");
    const count = knownCount(form.dataset.clientId, Number(form.dataset.count)) + 1;
    renderTally(form.dataset.clientId, form.dataset.label, count);
    taps.push(form.dataset.clientId);
    if (undoButton) undoButton.disabled = false;
    enqueue({ type: "tally", client_id: form.dataset.clientId, label: form.dataset.label, count: count });
  });

  tallyForm.addEventListener("submit", function (event) {
    event.preventDefault();
    const input = tallyForm.querySelector("input[name=label]");
    const label = input.value.trim();
    if (!label) return;
    const clientId = newId();
    renderTally(clientId, label, 0);
    input.value = "";
    enqueue({ type: "tally", client_id: clientId, label: label, count: 0 });
  });
}
