// Observation capture, built for a phone on classroom Wi-Fi that comes and goes.
//
// Every note, tally change and seat tap is first written to this browser's local storage, then sent.
// It leaves that queue only when the server's answer names its client id: a redirect, a
// sign-in page, a 401, a CSRF 403, a 5xx or no answer all keep it, to be sent again; each
// note and seat tap carries a client id, so one sent twice is stored once, and a tally sends
// its total, so sending it again changes nothing. A change the server refuses (a 4xx naming an
// error) stays on the page, marked "not saved", until the coach discards it.
//
// The page itself is kept for offline use by a service worker (capture-sw.js).
"use strict";

(function () {
  const root = document.getElementById("capture");
  if (!root) return;

  const storageKey = "tandem:observation:" + root.dataset.observation;
  const queueKey = storageKey + ":queue";
  // What the server confirmed since this page was rendered. A page served from the offline
  // cache is older than that: it must still show those notes, and count a tally on from its
  // confirmed total (counting on from an older total would send a lower one).
  const confirmedKey = storageKey + ":confirmed";
  const offlineCache = "tandem-capture"; // the cache capture-sw.js serves from
  const pageToken = document.querySelector("input[name=csrfmiddlewaretoken]").value;
  const status = document.getElementById("sync-status");
  const notSavedList = document.getElementById("not-saved");
  const notesList = document.getElementById("notes");
  const noteForm = document.getElementById("note-form");
  const noteText = document.getElementById("note-text");
  const talliesBox = document.getElementById("tallies");
  const tallyForm = document.getElementById("tally-form");
  const tagBox = document.getElementById("look-for-tags");
  const tagInput = document.getElementById("note-look-for");
  const seatsBox = document.getElementById("seats");
  const untapButton = document.getElementById("untap");
  const seatSummary = document.getElementById("seat-summary");
  // Taps the server's page already counts (see the "confirmed" note below).
  const serverTaps = new Set(JSON.parse(document.getElementById("tapped-seats")?.textContent || "[]"));
  // This device's latest taps, newest last, for "Undo last tap", kept across reloads.
  const tapsKey = storageKey + ":taps";
  const pageTaps = load(tapsKey);
  let sending = false;
  let holdUp = null; // why sending last stopped: "signed-out" or "unconfirmed"

  function newId() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    // Plain-http deployments have no randomUUID; build a version-4 UUID by hand.
    const bytes = crypto.getRandomValues(new Uint8Array(16));
    bytes[6] = (bytes[6] & 0x0f) | 0x40;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    const hex = Array.from(bytes, (b) => b.toString(16).padStart(2, "0")).join("");
    return [hex.slice(0, 8), hex.slice(8, 12), hex.slice(12, 16), hex.slice(16, 20), hex.slice(20)].join("-");
  }

  function load(key) {
    try {
      return JSON.parse(localStorage.getItem(key)) || [];
    } catch (error) {
      return [];
    }
  }

  function save(key, list) {
    localStorage.setItem(key, JSON.stringify(list));
  }

  const loadQueue = () => load(queueKey);
  const saveQueue = (queue) => save(queueKey, queue);

  // Signing in again (in another tab) changes the CSRF token: read it at each send.
  function csrfToken() {
    const match = document.cookie.match(/(?:^|;\s*)csrftoken=([^;]+)/);
    return match ? decodeURIComponent(match[1]) : pageToken;
  }

  function describe(ops) {
    const notes = ops.filter((op) => op.type === "note").length;
    const taps = ops.filter((op) => op.type === "tap" || op.type === "untap").length;
    const parts = [];
    if (notes) parts.push(notes + (notes === 1 ? " note" : " notes"));
    if (taps) parts.push(taps + (taps === 1 ? " seat tap" : " seat taps"));
    if (notes + taps < ops.length) parts.push("tally changes");
    return parts.join(" and ");
  }

  function signInLink() {
    const link = document.createElement("a");
    link.href = root.dataset.signInUrl;
    link.target = "_blank";
    link.rel = "noopener";
    link.textContent = "sign in";
    const hint = document.createElement("span");
    hint.className = "visually-hidden";
    hint.textContent = " (opens a new tab)";
    link.append(hint);
    return link;
  }

  function describeQueue() {
    const queue = loadQueue();
    const waiting = queue.filter((op) => !op.error);
    const refused = queue.length - waiting.length;
    const what = describe(waiting);
    status.replaceChildren();
    if (!waiting.length) {
      if (!refused) status.append("Everything is saved.");
    } else if (!navigator.onLine) {
      status.append("Offline: " + what + " kept on this device, sent when the connection returns.");
    } else if (holdUp === "signed-out") {
      status.append("Signed out — ", signInLink(), " to send " + what + ". They are kept on this device.");
    } else if (holdUp === "unconfirmed") {
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

  // The school's clock, as the notes the server shows: a phone set to another zone (or
  // to UTC) must not label a note typed at 9:29 as 15:29.
  function timeLabel(iso) {
    return new Date(iso).toLocaleTimeString("en-GB", {
      timeZone: root.dataset.timeZone || undefined,
      hour: "2-digit",
      minute: "2-digit",
      hour12: false,
    });
  }

  function noteElement(clientId) {
    return notesList.querySelector('.note[data-client-id="' + clientId + '"]');
  }

  // state: "pending" (waiting to be sent), "refused" (not saved) or "saved".
  function renderNote(op, state) {
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
    item.classList.toggle("note-pending", state === "pending");
    item.classList.toggle("note-refused", state === "refused");
    return item;
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
          : op.type === "tally"
            ? "Tally “" + op.label + "” at " + op.count
            : (op.type === "tap" ? "Tap" : "Undoing a tap") + " on row " + (op.row + 1) + ", seat " + (op.column + 1);
      const retry = document.createElement("button");
      retry.type = "button";
      retry.className = "btn btn-sm btn-outline-dark ms-2";
      retry.textContent = "Try again";
      retry.addEventListener("click", () => {
        updateOp(op.seq, { error: undefined });
        if (op.type === "note") renderNote(op, "pending");
        flush();
      });
      const discard = document.createElement("button");
      discard.type = "button";
      discard.className = "btn btn-sm btn-outline-danger ms-2";
      discard.textContent = "Discard";
      discard.addEventListener("click", () => {
        saveQueue(loadQueue().filter((queued) => queued.seq !== op.seq));
        if (op.type === "note") noteElement(op.client_id)?.remove();
        if (op.type === "tap") {
          addToSeat(op, -1);
          const undoable = pageTaps.findIndex((tap) => tap.client_id === op.client_id);
          if (undoable >= 0) pageTaps.splice(undoable, 1);
          save(tapsKey, pageTaps);
        }
        if (op.type === "untap") addToSeat(op, 1);
        describeQueue();
      });
      item.append("Not saved: " + what + ". " + op.error, retry, discard);
      notSavedList.append(item);
      if (op.type === "note") renderNote(op, "refused");
    }
    notSavedList.hidden = !refused.length;
  }

  function updateOp(seq, changes) {
    saveQueue(loadQueue().map((op) => (op.seq === seq ? { ...op, ...changes } : op)));
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

  const urls = {
    note: root.dataset.notesUrl,
    tally: root.dataset.talliesUrl,
    tap: root.dataset.tapUrl,
    untap: root.dataset.untapUrl,
  };

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
    return { refused: (answer && answer.error) || "The server refused it (" + response.status + ")." };
  }

  function confirmed(op) {
    // Remove just this send: a newer total for the same tally may have been queued since.
    saveQueue(loadQueue().filter((queued) => queued.seq !== op.seq));
    if (!seatsBox && (op.type === "tap" || op.type === "untap")) return;
    const kept = load(confirmedKey).filter(
      (seen) => !(op.type === "tally" && seen.type === "tally" && seen.client_id === op.client_id)
    );
    save(confirmedKey, kept.concat([op]));
    if (op.type === "note") renderNote(op, "saved");
  }

  async function flush() {
    if (sending || !navigator.onLine) {
      describeQueue();
      return;
    }
    sending = true;
    try {
      for (;;) {
        const op = loadQueue().find((queued) => !queued.error);
        if (!op) break;
        let outcome;
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
      describeQueue();
    }
  }

  // The first visit was not served by the service worker, so nothing was kept for offline
  // use: keep this page and its files now. Later visits are kept by the worker as they load.
  function keepForOffline() {
    if (!("serviceWorker" in navigator) || !window.caches) return;
    const servedByWorker = Boolean(navigator.serviceWorker.controller);
    const files = Array.from(
      document.querySelectorAll("link[rel=stylesheet], link[rel=icon], script[src]"),
      (element) => element.href || element.src
    );
    navigator.serviceWorker
      .register(root.dataset.serviceWorker)
      .catch(() => null) // offline: a worker installed earlier carries on
      .then(() => navigator.serviceWorker.ready)
      .then(() => servedByWorker || caches.open(offlineCache).then((cache) => cache.addAll([location.pathname].concat(files))))
      .then(() => {
        root.dataset.offlineReady = "true";
      })
      .catch(() => {});
  }

  // A look-for tag: one pressed at a time, for the note being typed; it applies whether it
  // was tapped before or after typing, and is let go once the note is added.
  function pressTag(button) {
    for (const other of tagBox.querySelectorAll(".look-for-tag")) {
      other.setAttribute("aria-pressed", String(other === button));
    }
    tagInput.value = button ? button.dataset.lookFor : "";
  }

  if (tagBox) {
    tagBox.addEventListener("click", function (event) {
      const button = event.target.closest(".look-for-tag");
      if (!button) return;
      pressTag(button.getAttribute("aria-pressed") === "true" ? null : button);
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

  // Seat taps. The heat and the summary are redrawn here as the server draws them
  // (observations/seats.py), so the coach sees the spread of talk while offline too.
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
      seatSummary.textContent = "No seat has been tapped yet (" + seats.length + " seats).";
      return;
    }
    const spoke = counts.filter(Boolean).length;
    let line = spoke + " of " + seats.length + " seats spoke, " + taps + (taps === 1 ? " time" : " times") + " in all";
    let held = 0;
    let top = 0;
    for (const n of counts.filter(Boolean).sort((a, b) => b - a)) {
      held += n;
      top += 1;
      if (2 * held >= taps) break;
    }
    if (spoke > 1) line += "; " + top + (top === 1 ? " seat" : " seats") + " had " + Math.round((100 * held) / taps) + "% of the talk";
    seatSummary.textContent = line + ".";
  }

  function addToSeat(op, change) {
    const seat = seatElement(op.row, op.column);
    if (!seat) return;
    seat.dataset.count = String(Math.max(0, Number(seat.dataset.count) + change));
    redrawSeats();
  }

  if (seatsBox) {
    seatsBox.addEventListener("click", function (event) {
      const seat = event.target.closest(".seat");
      if (!seat) return;
      const kind = root.querySelector("input[name=tap-kind]:checked");
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
      const queue = loadQueue();
      if (queue.some((queued) => queued.seq === op.seq && !queued.error)) {
        // Not sent yet: it never leaves the device.
        saveQueue(queue.filter((queued) => queued.seq !== op.seq));
        describeQueue();
      } else {
        enqueue({ type: "untap", client_id: op.client_id, row: op.row, column: op.column });
      }
    });
  }

  // A tally's total as this device knows it. Another tab of this observation shares the
  // queue and may have counted on since this page showed its number: counting on from the
  // shown number alone would send a lower total and lose that tab's taps.
  function knownCount(clientId, shown) {
    let count = shown;
    for (const op of loadQueue().concat(load(confirmedKey))) {
      if (op.type === "tally" && op.client_id === clientId) count = Math.max(count, op.count);
    }
    return count;
  }

  talliesBox.addEventListener("submit", function (event) {
    event.preventDefault();
    const form = event.target.closest(".tally");
    const count = knownCount(form.dataset.clientId, Number(form.dataset.count)) + 1;
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

  // Confirmed since this page was rendered (a copy served offline): shown as saved. Once the
  // server's page shows an item, it need not be remembered any longer. A tap the page does
  // not count is added to its seat; an undone tap the page still counts is taken off.
  const remembered = load(confirmedKey);
  const rememberedTaps = new Set(remembered.filter((op) => op.type === "tap").map((op) => op.client_id));
  const undone = new Set(remembered.filter((op) => op.type === "untap").map((op) => op.client_id));
  save(
    confirmedKey,
    remembered.filter((op) => {
      if (op.type === "tap" || op.type === "untap") {
        if (!seatsBox) return false;
        const counted = serverTaps.has(op.client_id);
        if (op.type === "tap") {
          // Counted by the page, or undone as well (the two cancel out): nothing to add.
          if (counted || undone.has(op.client_id)) return false;
          addToSeat(op, 1);
          return true;
        }
        if (counted) {
          addToSeat(op, -1);
          return true;
        }
        return false; // its tap is counted nowhere on this page: nothing to take off
      }
      if (op.type === "note") {
        if (noteElement(op.client_id)) return false;
        renderNote(op, "saved");
        return true;
      }
      const tally = tallyElement(op.client_id);
      if (tally && Number(tally.dataset.count) >= op.count) return false;
      renderTally(op.client_id, op.label, op.count);
      return true;
    })
  );
  // What is still waiting from an earlier visit (a reload, a closed tab) is shown and sent.
  for (const op of loadQueue()) {
    if (op.type === "note") renderNote(op, op.error ? "refused" : "pending");
    else if (op.type === "tally") renderTally(op.client_id, op.label, op.count);
    else if (op.type === "tap" && seatsBox) addToSeat(op, 1);
    else if (op.type === "untap" && seatsBox && (serverTaps.has(op.client_id) || rememberedTaps.has(op.client_id))) addToSeat(op, -1);
  }
  // Another tab counted or queued something: show the same totals here.
  window.addEventListener("storage", function (event) {
    if (event.key !== queueKey) return;
    for (const op of loadQueue()) {
      const tally = op.type === "tally" && tallyElement(op.client_id);
      if (tally && Number(tally.dataset.count) < op.count) renderTally(op.client_id, op.label, op.count);
    }
    describeQueue();
  });
  window.addEventListener("online", flush);
  window.addEventListener("offline", describeQueue);
  // Back from signing in in another tab: send at once rather than at the next tick.
  window.addEventListener("focus", flush);
  document.addEventListener("visibilitychange", () => document.hidden || flush());
  window.setInterval(flush, 5000);
  keepForOffline();
  flush();
})();
