// Seat taps: a tap each time a student in that seat speaks. The heat and the summary are
// redrawn here as the server draws them (observations/seats.py), so the coach sees the
// spread of talk while offline too.

import { discard, enqueue, load, loadQueue, newId, save, storageKey } from "./queue.js";

const page = document.getElementById("capture");
const seatsBox = document.getElementById("seats");
const untapButton = document.getElementById("untap");
const seatSummary = document.getElementById("seat-summary");
export const hasSeats = Boolean(seatsBox);
// Taps the server's page already counts (see the "confirmed" note in main.js).
export const serverTaps = new Set(JSON.parse(document.getElementById("tapped-seats")?.textContent || "[]"));
// This device's latest taps, newest last, for "Undo last tap", kept across reloads.
const tapsKey = storageKey + ":taps";
const pageTaps = load(tapsKey);

function seatElement(row, column) {
  return seatsBox && seatsBox.querySelector('.seat[data-row="' + row + '"][data-column="' + column + '"]');
}

function redrawSeats() {
  const seats = Array.from(seatsBox.querySelectorAll(".seat"));
  const counts = seats.map((seat) => Number(seat.dataset.count));
  const busiest = Math.max(0, ...counts);
  for (const seat of seats) {
    const n = Number(seat.dataset.count);
    for (let level = 0; level <= 5; level++) seat.classList.remove("heat-" + level);
    seat.classList.add("heat-" + (n ? Math.ceil((5 * n) / busiest) : 0));
    seat.querySelector(".seat-count").textContent = String(n);
  }
  const taps = counts.reduce((a, b) => a + b, 0);
  if (!taps) {
    const format = ngettext(
      "No seat has been tapped yet (%(seats)s seat).",
      "No seat has been tapped yet (%(seats)s seats).",
      seats.length
    );
    seatSummary.textContent = interpolate(format, { seats: seats.length }, true);
    return;
  }
  const spoke = counts.filter(Boolean).length;
  const spread = interpolate(
    ngettext(
      "%(spoke)s of %(seats)s seats spoke, %(taps)s time in all",
      "%(spoke)s of %(seats)s seats spoke, %(taps)s times in all",
      taps
    ),
    { spoke, seats: seats.length, taps },
    true
  );
  let held = 0;
  let top = 0;
  for (const n of counts.filter(Boolean).sort((a, b) => b - a)) {
    held += n;
    top += 1;
    if (2 * held >= taps) break;
  }
  if (spoke < 2) {
    // Translators: a sentence of the seat map's summary, e.g. "1 of 26 seats spoke, 1 time in all".
    seatSummary.textContent = interpolate(gettext("%(spread)s."), { spread }, true);
    return;
  }
  // Translators: %(share)s is a percentage with its sign, e.g. "52%".
  const concentration = ngettext("%(top)s seat had %(share)s of the talk", "%(top)s seats had %(share)s of the talk", top);
  const share = interpolate(concentration, { top, share: Math.round((100 * held) / taps) + "%" }, true);
  // Translators: the seat map's summary: "14 of 26 seats spoke, 27 times in all; 3 seats had 59% of the talk."
  seatSummary.textContent = interpolate(gettext("%(spread)s; %(share)s."), { spread, share }, true);
}

export function addToSeat(op, change) {
  const seat = seatElement(op.row, op.column);
  if (!seat) return;
  seat.dataset.count = String(Math.max(0, Number(seat.dataset.count) + change));
  redrawSeats();
}

// A refused tap, or a refused undoing of one, that the coach discarded: the seat shows
// what the server holds again.
export function forgetSeatChange(op) {
  if (op.type === "tap") {
    addToSeat(op, -1);
    const undoable = pageTaps.findIndex((tap) => tap.client_id === op.client_id);
    if (undoable >= 0) pageTaps.splice(undoable, 1);
    save(tapsKey, pageTaps);
  }
  if (op.type === "untap") addToSeat(op, 1);
}

export function startSeats() {
  if (!seatsBox) return;
  seatsBox.addEventListener("click", function (event) {
    const seat = event.target.closest(".seat");
    if (!seat) return;
    const kind = page.querySelector("input[name=tap-kind]:checked");
    const op = {
      type: "tap",
      client_id: newId(),
      row: Number(seat.dataset.row),
      column: Number(seat.dataset.column),
      kind: kind ? kind.value : "",
      tapped_at: new Date().toISOString(),
    };
    pageTaps.push(op);
    save(tapsKey, pageTaps.slice(-50));
    untapButton.disabled = false;
    addToSeat(op, 1);
    enqueue(op);
  });
  // Arrow keys move between seats as they stand in the room; Enter or Space taps.
  seatsBox.addEventListener("keydown", function (event) {
    const seat = event.target.closest(".seat");
    const step = { ArrowUp: [-1, 0], ArrowDown: [1, 0], ArrowLeft: [0, -1], ArrowRight: [0, 1] }[event.key];
    if (!seat || !step) return;
    let row = Number(seat.dataset.row);
    let column = Number(seat.dataset.column);
    for (let i = 0; i < 12; i++) {
      row += step[0];
      column += step[1];
      const next = seatElement(row, column);
      if (next) {
        next.focus();
        break;
      }
    }
    event.preventDefault();
  });
  untapButton.disabled = !pageTaps.length;
  untapButton.addEventListener("click", function () {
    const op = pageTaps.pop();
    save(tapsKey, pageTaps);
    untapButton.disabled = !pageTaps.length;
    if (!op) return;
    addToSeat(op, -1);
    if (loadQueue().some((queued) => queued.seq === op.seq && !queued.error)) {
      discard(op.seq); // not sent yet: it never leaves the device
    } else {
      enqueue({ type: "untap", client_id: op.client_id, row: op.row, column: op.column });
    }
  });
}
