// What this device keeps of observations between visits (see js/capture/queue.js): queues
// of notes and tallies not yet sent, in local storage, and capture pages kept by the service
// worker; and lesson recordings not yet sent, in IndexedDB (js/video/recorder.js).
//
// Every page says when something is waiting, with a link to the one page that sends it.
// Signing out deletes all of it first, so that nothing of a lesson stays on a shared device
// (the server's Clear-Site-Data header does it again).
"use strict";

(function () {
  const STORAGE_PREFIX = "tandem:observation:";
  const QUEUE_KEY = /^tandem:observation:([0-9a-f-]{36}):queue$/;
  const RECORDINGS = "tandem-video";

  // How many recordings wait on this device. The store is opened only if it exists:
  // opening creates it otherwise.
  async function waitingRecordings() {
    if (!window.indexedDB || !indexedDB.databases) return 0;
    const found = await indexedDB.databases().catch(() => []);
    if (!found.some((db) => db.name === RECORDINGS)) return 0;
    return new Promise((resolve) => {
      const request = indexedDB.open(RECORDINGS);
      request.onerror = () => resolve(0);
      request.onsuccess = () => {
        const db = request.result;
        if (!db.objectStoreNames.contains("recordings")) {
          db.close();
          resolve(0);
          return;
        }
        const count = db.transaction("recordings").objectStore("recordings").count();
        count.onsuccess = () => {
          db.close();
          resolve(count.result);
        };
        count.onerror = () => {
          db.close();
          resolve(0);
        };
      };
    });
  }

  function waitingQueues() {
    const queues = [];
    for (const key of Object.keys(localStorage)) {
      const match = QUEUE_KEY.exec(key);
      if (!match) continue;
      let ops;
      try {
        ops = JSON.parse(localStorage.getItem(key)) || [];
      } catch (error) {
        ops = [];
      }
      if (ops.length) queues.push({ observation: match[1], ops: ops });
    }
    return queues;
  }

  function describe(ops) {
    const notes = ops.filter((op) => op.type === "note").length;
    if (!notes) return "Tally changes";
    return notes + (notes === 1 ? " note" : " notes");
  }

  function showWaiting() {
    const box = document.getElementById("waiting-notes");
    if (!box) return;
    // The capture page says so itself, for its own observation.
    const capture = document.getElementById("capture");
    const here = capture && capture.dataset.observation;
    box.replaceChildren();
    for (const queue of waitingQueues()) {
      if (queue.observation === here) continue;
      const line = document.createElement("p");
      line.className = "alert alert-warning py-2 mb-2";
      const what = document.createElement("strong");
      what.textContent = describe(queue.ops) + " waiting to send";
      const link = document.createElement("a");
      link.href = box.dataset.captureUrl.replace(box.dataset.placeholder, queue.observation);
      link.textContent = "Open the observation to send them";
      line.append(what, " from this device. ", link);
      box.append(line);
    }
    box.hidden = !box.childElementCount;
    // The recorder page says so itself, recording by recording.
    if (document.getElementById("video-recorder")) return;
    waitingRecordings().then((count) => {
      if (!count) return;
      const line = document.createElement("p");
      line.className = "alert alert-warning py-2 mb-2";
      const what = document.createElement("strong");
      what.textContent = count === 1 ? "A lesson recording is waiting to send" : count + " lesson recordings are waiting to send";
      const link = document.createElement("a");
      link.href = box.dataset.recorderUrl;
      link.textContent = "Open the recorder to send " + (count === 1 ? "it" : "them");
      line.append(what, " from this device. ", link);
      box.append(line);
      box.hidden = false;
    });
  }

  async function forgetEverything() {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(STORAGE_PREFIX)) localStorage.removeItem(key);
    }
    if (window.caches) {
      for (const name of await caches.keys()) await caches.delete(name);
    }
    if (window.indexedDB) indexedDB.deleteDatabase(RECORDINGS);
  }

  async function confirmSignOut(event) {
    const form = event.target;
    event.preventDefault();
    const waiting = waitingQueues().reduce((count, queue) => count + queue.ops.length, 0);
    if (
      waiting &&
      !window.confirm(
        "Notes or tallies on this device have not been sent yet. " +
          "Signing out deletes them. Sign out anyway?"
      )
    ) {
      return;
    }
    const recordings = await waitingRecordings();
    if (
      recordings &&
      !window.confirm(
        "A lesson recording on this device has not been sent yet. " +
          "Signing out deletes it. Sign out anyway?"
      )
    ) {
      return;
    }
    forgetEverything()
      .catch(() => {})
      .finally(() => form.submit());
  }

  // Loaded with defer: the page is parsed by now.
  showWaiting();
  for (const form of document.querySelectorAll("form[data-sign-out]")) {
    form.addEventListener("submit", confirmSignOut);
  }
  // Another tab sent (or queued) something.
  window.addEventListener("storage", showWaiting);
})();
