// What the coach enters on the capture page waits in a queue on this device until the
// server confirms it: a phone on classroom Wi-Fi that comes and goes loses nothing.
//
// Every note, tally change and seat tap is first written to this browser's local storage,
// then sent. It leaves that queue only when the server's answer names its client id: a
// redirect, a sign-in page, a 401, a CSRF 403, a 5xx or no answer all keep it, to be sent
// again; each note and seat tap carries a client id, so one sent twice is stored once, and
// a tally sends its total, so sending it again changes nothing. A change the server refuses
// (a 4xx naming an error) stays in the queue, marked with that error, until the coach
// discards it or tries again.
//
// "Undo" of a note: one never tried is simply taken out of the queue; one that was (or may
// have been) sent is taken back by an "unnote" operation, itself queued and sent once
// (deleting a note by its client id twice changes nothing). A tally's undo is a lower total.
//
// The page follows the queue through `queueEvents`: "change" (what waits, or why sending
// stopped), "confirmed" (event.detail: the change the server named) and "answered" (a round
// of sending is over).

const page = document.getElementById("capture");
export const storageKey = "tandem:observation:" + page.dataset.observation;
export const queueKey = storageKey + ":queue";
// What the server confirmed since this page was rendered. A page served from the offline
// cache is older than that: it must still show those notes, and count a tally on from its
// confirmed total (counting on from an older total would send a lower one).
const confirmedKey = storageKey + ":confirmed";
// A page with no seat map remembers no taps: it has nowhere to show them.
const remembersTaps = Boolean(document.getElementById("seats"));
const urls = {
  note: page.dataset.notesUrl,
  tally: page.dataset.talliesUrl,
  tap: page.dataset.tapUrl,
  untap: page.dataset.untapUrl,
  unnote: page.dataset.unnoteUrl,
};
const pageToken = document.querySelector("input[name=csrfmiddlewaretoken]").value;

export const queueEvents = new EventTarget();
let sending = false;
let holdUp = null; // why sending last stopped: "signed-out" or "unconfirmed"

export function newId() {
  if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
  // Plain-http deployments have no randomUUID; build a version-4 UUID by hand.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6] & 0x0f) | 0x40;
  bytes[8] = (bytes[8] & 0x3f) | 0x80;
  const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
  return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
}

export function load(key) {
  try {
    return JSON.parse(localStorage.getItem(key)) || [];
  } catch (error) {
    return [];
  }
}

export function save(key, list) {
  localStorage.setItem(key, JSON.stringify(list));
}

export const loadQueue = () => load(queueKey);
const saveQueue = (queue) => save(queueKey, queue);
export const loadConfirmed = () => load(confirmedKey);
export const saveConfirmed = (confirmed) => save(confirmedKey, confirmed);

export const sendingHeldUp = () => holdUp;

function changed() {
  queueEvents.dispatchEvent(new Event("change"));
}

export function enqueue(op) {
  op.seq = newId();
  let queue = loadQueue();
  if (op.type === "tally") {
    // Only a tally's latest total needs sending.
    queue = queue.filter((queued) => !(queued.type === "tally" && queued.client_id === op.client_id));
  }
  queue.push(op);
  saveQueue(queue);
  changed();
  flush();
}

// Taken out of the queue unsent: refused and discarded, or undone before it was sent.
export function discard(seq) {
  saveQueue(loadQueue().filter((queued) => queued.seq !== seq));
  changed();
}

// Take back a note typed on this device. Returns true when it never left the device.
export function undoNote(clientId) {
  const queued = loadQueue().find((op) => op.type === "note" && op.client_id === clientId);
  if (queued) discard(queued.seq);
  // Forget it as saved too, so a copy of the page served offline does not show it again.
  saveConfirmed(loadConfirmed().filter((op) => !(op.type === "note" && op.client_id === clientId)));
  if (queued && !queued.tried) return true;
  enqueue({ type: "unnote", client_id: clientId });
  return false;
}

// A refused change, sent again as it is.
export function retry(seq) {
  updateOp(seq, { error: undefined });
  flush();
}

function updateOp(seq, changes) {
  saveQueue(loadQueue().map((op) => (op.seq === seq ? { ...op, ...changes } : op)));
}

// Signing in again (in another tab) changes the CSRF token: read it at each send.
function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : pageToken;
}

function send(op) {
  const body = new URLSearchParams();
  body.set("client_id", op.client_id);
  if (op.type === "note") {
    body.set("text", op.text);
    body.set("noted_at", op.noted_at);
    if (op.look_for) body.set("look_for", op.look_for);
  } else if (op.type === "tally") {
    body.set("label", op.label);
    body.set("count", String(op.count));
  } else if (op.type === "unnote") {
    // The client id alone names the note to take back.
  } else if (op.type === "tap") {
    body.set("row", String(op.row));
    body.set("column", String(op.column));
    body.set("kind", op.kind);
    body.set("tapped_at", op.tapped_at);
  }
  const url = urls[op.type];
  return fetch(url, {
    method: "POST",
    body: body,
    credentials: "same-origin",
    // A redirect is never a receipt: followed, it would end on a page answering 200.
    redirect: "manual",
    headers: { "X-CSRFToken": csrfToken(), Accept: "application/json" },
  });
}

// "confirmed", "signed-out", "unconfirmed" (try again later) or { refused: message }.
async function outcomeOf(response, op) {
  const answer = await response.json().catch(() => null);
  if (response.ok) {
    return answer && answer.client_id === op.client_id ? "confirmed" : "unconfirmed";
  }
  if (
    response.type === "opaqueredirect" ||
    response.status === 401 ||
    (response.status === 403 && answer && answer.reason === "csrf")
  ) {
    return "signed-out";
  }
  if (response.status >= 500 || response.status === 408 || response.status === 429) {
    return "unconfirmed";
  }
  const refusal = interpolate(gettext("The server refused it (%(status)s)."), { status: response.status }, true);
  return { refused: (answer && answer.error) || refusal };
}

function confirmed(op) {
  // Undone while it was on its way: its "unnote" follows in the queue; nothing to show.
  if (!loadQueue().some((queued) => queued.seq === op.seq)) return;
  // Remove just this send: a newer total for the same tally may have been queued since.
  saveQueue(loadQueue().filter((queued) => queued.seq !== op.seq));
  if (!remembersTaps && (op.type === "tap" || op.type === "untap")) return;
  const kept = loadConfirmed().filter(
    (seen) => !(op.type === "tally" && seen.type === "tally" && seen.client_id === op.client_id)
  );
  saveConfirmed(kept.concat([op]));
  queueEvents.dispatchEvent(new CustomEvent("confirmed", { detail: op }));
}

// Send what waits, oldest first, until the queue is empty or the server cannot confirm.
// Called again and again (main.js): whatever stopped it, the next call tries again.
export async function flush() {
  if (sending || !navigator.onLine) {
    changed();
    return;
  }
  sending = true;
  try {
    for (;;) {
      const op = loadQueue().find((queued) => !queued.error);
      if (!op) break;
      let outcome;
      // From here the server may have it: an undo must then be sent, not just dropped.
      if (!op.tried) updateOp(op.seq, { tried: true });
      try {
        outcome = await outcomeOf(await send(op), op);
      } catch (error) {
        outcome = "unconfirmed"; // no answer at all: the network is gone
      }
      if (outcome === "confirmed") {
        holdUp = null;
        confirmed(op);
      } else if (outcome.refused) {
        holdUp = null;
        updateOp(op.seq, { error: outcome.refused });
      } else {
        holdUp = outcome;
        break;
      }
    }
  } finally {
    sending = false;
    changed();
    queueEvents.dispatchEvent(new Event("answered"));
  }
}
