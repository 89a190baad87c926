// Observation capture, built for a phone on classroom Wi-Fi that comes and goes.
//
// Every note and tally change is first written to this browser's local storage, then sent.
// Whatever cannot be sent waits there (surviving a reload) and is sent, once, when the
// connection returns: each note carries a client id, so a note sent twice is stored once,
// and a tally sends its total, so sending it again changes nothing.
"use strict";

(function () {
  const root = document.getElementById("capture");
  if (!root) return;

  const queueKey = "tandem:observation:" + root.dataset.observation + ":queue";
  const csrf = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("sync-status");
  const notesList = document.getElementById("notes");
  const noteForm = document.getElementById("note-form");
  const noteText = document.getElementById("note-text");
  const talliesBox = document.getElementById("tallies");
  const tallyForm = document.getElementById("tally-form");
  let sending = false;

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Plain-http deployments have no randomUUID; build a version-4 UUID by hand.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function loadQueue() {
    try {
      return JSON.parse(localStorage.getItem(queueKey)) || [];
    } catch (error) {
      return [];
    }
  }

  function saveQueue(queue) {
    localStorage.setItem(queueKey, JSON.stringify(queue));
  }

  function showStatus(message, waiting) {
    status.textContent = message;
    status.classList.toggle("sync-waiting", Boolean(waiting));
  }

  function describeQueue() {
    const queue = loadQueue();
    const notes = queue.filter((op) => op.type === "note").length;
    if (!queue.length) {
      showStatus("All notes are saved.", false);
    } else {
      const what = notes ? notes + (notes === 1 ? " note" : " notes") : "tally changes";
      showStatus(
        (navigator.onLine ? "Sending " : "Offline: ") + what +
          (navigator.onLine ? "…" : " kept on this device, sent when the connection returns."),
        true
      );
    }
  }

  function timeLabel(iso) {
    const date = new Date(iso);
    return String(date.getHours()).padStart(2, "0") + ":" + String(date.getMinutes()).padStart(2, "0");
  }

  function renderNote(op, pending) {
    let item = notesList.querySelector('[data-client-id="' + op.client_id + '"]');
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
      item.append(time, " ", text);
      notesList.prepend(item);
    }
    item.classList.toggle("note-pending", pending);
    item.title = pending ? "Waiting to be sent" : "";
  }

  function tallyElement(clientId) {
    return talliesBox.querySelector('.tally[data-client-id="' + clientId + '"]');
  }

  function renderTally(clientId, label, count) {
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
      hint.textContent = ", tap to add one";
      button.append(name, " ", badge, hint);
      form.append(button);
      talliesBox.append(form);
    }
    form.dataset.count = String(count);
    form.querySelector(".tally-count").textContent = String(count);
  }

  function enqueue(op) {
    op.seq = newId();
    let queue = loadQueue();
    if (op.type === "tally") {
      // Only a tally's latest total needs sending.
      queue = queue.filter((queued) => !(queued.type === "tally" && queued.client_id === op.client_id));
    }
    queue.push(op);
    saveQueue(queue);
    describeQueue();
    flush();
  }

  async function send(op) {
    const body = new URLSearchParams();
    body.set("client_id", op.client_id);
    if (op.type === "note") {
      body.set("text", op.text);
      body.set("noted_at", op.noted_at);
    } else {
      body.set("label", op.label);
      body.set("count", String(op.count));
    }
    const url = op.type === "note" ? root.dataset.notesUrl : root.dataset.talliesUrl;
    return fetch(url, {
      method: "POST",
      body: body,
      credentials: "same-origin",
      headers: { "X-CSRFToken": csrf, Accept: "application/json" },
    });
  }

  async function flush() {
    if (sending || !navigator.onLine) {
      describeQueue();
      return;
    }
    sending = true;
    try {
      for (;;) {
        const queue = loadQueue();
        if (!queue.length) break;
        const op = queue[0];
        let response;
        try {
          response = await send(op);
        } catch (error) {
          break; // The network is gone: keep everything, try again later.
        }
        if (response.status >= 500) break; // The server will be back; so will we.
        if (!response.ok) {
          const answer = await response.json().catch(() => ({}));
          showStatus("Not saved: " + (answer.error || "the server refused this change."), true);
        }
        // Remove just this send: a newer total for the same tally may have been queued since.
        saveQueue(loadQueue().filter((queued) => queued.seq !== op.seq));
        if (op.type === "note" && response.ok) renderNote(op, false);
      }
    } finally {
      sending = false;
      describeQueue();
    }
  }

  noteForm.addEventListener("submit", function (event) {
    event.preventDefault();
    const text = noteText.value.trim();
    if (!text) return;
    const op = { type: "note", client_id: newId(), text: text, noted_at: new Date().toISOString() };
    renderNote(op, true);
    noteText.value = "";
    noteText.focus();
    enqueue(op);
  });

  talliesBox.addEventListener("submit", function (event) {
    event.preventDefault();
    const form = event.target.closest(".tally");
    const count = Number(form.dataset.count) + 1;
    renderTally(form.dataset.clientId, form.dataset.label, count);
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

  // What is still waiting from an earlier visit (a reload, a closed tab) is shown and sent.
  for (const op of loadQueue()) {
    if (op.type === "note") renderNote(op, true);
    else renderTally(op.client_id, op.label, op.count);
  }
  window.addEventListener("online", flush);
  window.addEventListener("offline", describeQueue);
  window.setInterval(flush, 5000);
  flush();
})();
