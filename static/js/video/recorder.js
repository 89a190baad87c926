// Record a lesson (MediaRecorder) or take a file, keep it on this device (IndexedDB), and
// send it in pieces, each confirmed by the offset the server holds (video/views.py). A
// lost network, a reload or a signed-out session loses nothing: what is kept here is sent
// from where the server says it stopped, once, and forgotten only after the server has it.
//
// gettext and interpolate come from the JavaScript catalogue (core/jsi18n.py), which every
// page loads before its own scripts.

const form = document.getElementById("video-recorder");
const list = document.getElementById("video-uploads");
const preview = document.getElementById("video-preview");
const clock = form.querySelector("[data-clock]");
const stopButton = form.querySelector("[data-stop]");
const pieceBytes = Number(form.dataset.chunkBytes);
const maxSeconds = Number(form.dataset.maxSeconds);
const maxBytes = Number(form.dataset.maxBytes);
const pageToken = document.querySelector("input[name=csrfmiddlewaretoken]")?.value || "";

// The store ----------------------------------------------------------------------------
// "recordings": one row per recording, by its client id: what to send it with, and the
// whole file once it is complete. "parts": a recording's pieces while it is being made,
// so a reload mid-lesson keeps what was recorded until then.

function openStore() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open("tandem-video", 1);
    request.onupgradeneeded = () => {
      request.result.createObjectStore("recordings", { keyPath: "clientId" });
      request.result.createObjectStore("parts", { keyPath: ["clientId", "seq"] });
    };
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}
const store = openStore();

async function tx(names, mode, work) {
  const db = await store;
  return new Promise((resolve, reject) => {
    const transaction = db.transaction(names, mode);
    let result;
    Promise.resolve(work(transaction)).then((value) => (result = value));
    transaction.oncomplete = () => resolve(result);
    transaction.onerror = () => reject(transaction.error);
    transaction.onabort = () => reject(transaction.error);
  });
}

const ask = (request) =>
  new Promise((resolve, reject) => {
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });

const putRecording = (row) => tx(["recordings"], "readwrite", (t) => t.objectStore("recordings").put(row));
const allRecordings = () => tx(["recordings"], "readonly", (t) => ask(t.objectStore("recordings").getAll()));
const partsOf = (clientId) =>
  tx(["parts"], "readonly", (t) =>
    ask(t.objectStore("parts").getAll(IDBKeyRange.bound([clientId, 0], [clientId, Infinity]))),
  );
const forget = (clientId) =>
  tx(["recordings", "parts"], "readwrite", (t) => {
    t.objectStore("recordings").delete(clientId);
    t.objectStore("parts").delete(IDBKeyRange.bound([clientId, 0], [clientId, Infinity]));
  });

// What this page shows ------------------------------------------------------------------

const rows = new Map();
function show(row, text, { link, danger, remove } = {}) {
  list.querySelector("[data-empty]")?.remove();
  let item = rows.get(row.clientId);
  if (!item) {
    item = document.createElement("li");
    item.className = "list-group-item";
    item.dataset.recording = row.clientId;
    list.prepend(item);
    rows.set(row.clientId, item);
  }
  item.replaceChildren();
  const title = document.createElement("strong");
  title.textContent = row.title;
  const status = document.createElement("div");
  status.className = "small" + (danger ? " text-danger" : "");
  status.dataset.status = "";
  status.textContent = text;
  item.append(title, status);
  if (link) {
    const a = document.createElement("a");
    a.href = link.href;
    a.textContent = link.text;
    status.append(" ", a);
  }
  if (remove) {
    const button = document.createElement("button");
    button.type = "button";
    button.className = "btn btn-link btn-sm text-danger p-0 ms-2";
    button.textContent = gettext("Remove it from this device");
    button.addEventListener("click", async () => {
      await forget(row.clientId);
      item.remove();
      rows.delete(row.clientId);
    });
    status.append(button);
  }
}

const megabytes = (bytes) => (bytes / 1024 / 1024).toFixed(1) + " MB";

// Sending -------------------------------------------------------------------------------

function csrfToken() {
  const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
  return match ? decodeURIComponent(match[1]) : pageToken;
}

class SignedOut extends Error {}
class Refused extends Error {}

async function call(url, body, headers = {}, method = "POST") {
  let response;
  try {
    response = await fetch(url, {
      method,
      body,
      credentials: "same-origin",
      redirect: "manual",
      headers: { "X-CSRFToken": csrfToken(), Accept: "application/json", ...headers },
    });
  } catch {
    return null; // no network: try again later
  }
  const answer = await response.json().catch(() => null);
  if (response.type === "opaqueredirect" || response.status === 401 || (response.status === 403 && answer?.reason === "csrf")) {
    throw new SignedOut();
  }
  if (response.ok || response.status === 409) return answer;
  if (response.status >= 500 || response.status === 408 || response.status === 429) return null;
  throw new Refused(answer?.error || interpolate(gettext("The server refused it (%(status)s)."), { status: response.status }, true));
}

const sending = new Set();
let signedOut = false;

async function send(row) {
  if (sending.has(row.clientId) || signedOut) return;
  sending.add(row.clientId);
  try {
    while (true) {
      const done = await sendOnce(row);
      if (done) return;
      await new Promise((resume) => setTimeout(resume, navigator.onLine ? 3000 : 1000));
    }
  } catch (error) {
    if (error instanceof SignedOut) {
      signedOut = true;
      show(row, gettext("You were signed out. It is kept on this device:"), {
        link: { href: form.dataset.signInUrl, text: gettext("sign in again to finish sending") },
        danger: true,
      });
    } else if (error instanceof Refused) {
      show(row, error.message, { danger: true, remove: true });
    } else {
      throw error;
    }
  } finally {
    sending.delete(row.clientId);
  }
}

// One attempt to move the recording forward; true once the server has all of it.
async function sendOnce(row) {
  if (!row.server) {
    const body = new FormData();
    for (const [key, value] of Object.entries(row.fields)) body.set(key, value);
    body.set("client_id", row.clientId);
    body.set("size", String(row.blob.size));
    const answer = await call(form.dataset.startUrl, body);
    if (!answer) return waiting(row);
    row.server = answer;
    await putRecording(row);
  } else {
    // What this device wrote down is where sending began (after a reload), or behind the
    // server (after a lost answer): ask how much it holds, and send only the rest. A
    // recording deleted on the server meanwhile is refused here, not started again.
    const held = await call(row.server.piece_url, undefined, {}, "GET");
    if (!held) return waiting(row);
    row.server.offset = held.offset;
  }
  let offset = row.server.offset;
  while (offset < row.blob.size) {
    const format = gettext("Sending: %(sent)s of %(size)s received by the server.");
    show(row, interpolate(format, { sent: megabytes(offset), size: megabytes(row.blob.size) }, true));
    const piece = row.blob.slice(offset, offset + pieceBytes);
    const answer = await call(row.server.piece_url, piece, {
      "Upload-Offset": String(offset),
      "Content-Type": "application/octet-stream",
    });
    if (!answer) return waiting(row);
    if (answer.offset === undefined) throw new Refused(answer.error || gettext("The server refused a piece."));
    offset = answer.offset; // the receipt; after a conflict, where the server says to go on
    row.server.offset = offset;
  }
  const answer = await call(row.server.finish_url, new FormData());
  if (!answer) return waiting(row);
  if (answer.status === "uploading") return waiting(row);
  await forget(row.clientId);
  show(row, gettext("Sent. It is being made playable:"), { link: { href: answer.url, text: gettext("open it") } });
  return true;
}

function waiting(row) {
  const format = gettext("Waiting for the network: %(sent)s of %(size)s sent. It is kept on this device.");
  show(row, interpolate(format, { sent: megabytes(row.server?.offset || 0), size: megabytes(row.blob.size) }, true));
  return false;
}

async function sendEverything() {
  for (const row of await allRecordings()) {
    if (row.blob) send(row);
  }
}

// Recording -----------------------------------------------------------------------------

function fieldsOfForm() {
  if (!form.reportValidity()) return null;
  const data = new FormData(form);
  const fields = { title: data.get("title"), cycle: data.get("cycle") };
  for (const name of ["teacher", "observation"]) if (data.get(name)) fields[name] = data.get(name);
  if (data.get("consent")) fields.consent = "on";
  return fields;
}

let recorder = null;

async function record(kind) {
  const fields = fieldsOfForm();
  if (!fields || recorder) return;
  let stream;
  try {
    stream = await navigator.mediaDevices.getUserMedia(kind === "video" ? { video: { facingMode: "environment" }, audio: true } : { audio: true });
  } catch {
    clock.textContent = gettext(
      "The camera or microphone could not be opened. Allow it in the browser's settings, or upload a file."
    );
    return;
  }
  const row = { clientId: crypto.randomUUID(), title: fields.title, fields, kind, startedAt: Date.now() };
  await putRecording(row);
  let seq = 0;
  let bytes = 0;
  recorder = new MediaRecorder(stream);
  recorder.addEventListener("dataavailable", (event) => {
    if (!event.data.size) return;
    bytes += event.data.size;
    const part = { clientId: row.clientId, seq: seq++, blob: event.data };
    tx(["parts"], "readwrite", (t) => t.objectStore("parts").put(part));
    if (bytes >= maxBytes * 0.98) recorder.stop();
  });
  recorder.addEventListener("stop", async () => {
    stream.getTracks().forEach((track) => track.stop());
    preview.hidden = true;
    stopButton.hidden = true;
    recorder = null;
    clearInterval(ticking);
    clock.textContent = "";
    // The last part is stored by now: dataavailable comes before stop.
    await complete(row);
  });
  if (kind === "video") {
    preview.srcObject = stream;
    preview.hidden = false;
    preview.play().catch(() => {});
  }
  stopButton.hidden = false;
  recorder.start(1000);
  const ticking = setInterval(() => {
    const seconds = Math.round((Date.now() - row.startedAt) / 1000);
    const left = maxSeconds - seconds;
    const elapsed = `${Math.floor(seconds / 60)}:${String(seconds % 60).padStart(2, "0")}`;
    // Translators: e.g. "Recording: 3:07 · 86 min left · 12.5 MB kept on this device".
    const format = gettext("Recording: %(elapsed)s · %(left)s min left · %(size)s kept on this device");
    clock.textContent = interpolate(format, { elapsed, left: Math.floor(left / 60), size: megabytes(bytes) }, true);
    if (left <= 0 && recorder) recorder.stop();
  }, 1000);
}

// A recording's parts become its file, to be sent: at its end, or after a reload cut it.
async function complete(row) {
  const parts = await partsOf(row.clientId);
  if (!parts.length) {
    await forget(row.clientId);
    return;
  }
  const type = parts[0].blob.type || (row.kind === "audio" ? "audio/webm" : "video/webm");
  row.blob = new Blob(parts.map((part) => part.blob), { type });
  await putRecording(row);
  await tx(["parts"], "readwrite", (t) => t.objectStore("parts").delete(IDBKeyRange.bound([row.clientId, 0], [row.clientId, Infinity])));
  send(row);
}

form.querySelectorAll("[data-record]").forEach((button) =>
  button.addEventListener("click", () => record(button.dataset.record)),
);
stopButton.addEventListener("click", () => recorder?.stop());
form.addEventListener("submit", (event) => event.preventDefault());

document.getElementById("video-file").addEventListener("change", async (event) => {
  const file = event.target.files[0];
  if (!file) return;
  const fields = fieldsOfForm();
  if (!fields) return;
  if (file.size > maxBytes) {
    const format = gettext("This file is %(size)s; the most Tandem takes is %(most)s.");
    clock.textContent = interpolate(format, { size: megabytes(file.size), most: megabytes(maxBytes) }, true);
    event.target.value = "";
    return;
  }
  const row = { clientId: crypto.randomUUID(), title: fields.title, fields, kind: "file", blob: file };
  await putRecording(row);
  event.target.value = "";
  send(row);
});

window.addEventListener("online", () => {
  signedOut = false;
  sendEverything();
});
window.addEventListener("beforeunload", (event) => {
  // Only a recording under way is lost by leaving: what was recorded is kept and sent later.
  if (recorder) event.preventDefault();
});

// On arrival: recordings a reload interrupted become files, and all are sent.
(async () => {
  for (const row of await allRecordings()) {
    if (!row.blob) await complete(row);
    else show(row, gettext("Kept on this device, to be sent."));
  }
  sendEverything();
})();
