// What this device keeps of observations between visits (see js/capture/queue.js): queues
// of notes and tallies not yet sent, in local storage, and capture pages kept by the service
// worker; and lesson recordings not yet sent, in IndexedDB (js/video/recorder.js).
//
// Every page says when something is waiting, with a link to the one page that sends it.
// Signing out deletes all of it first, so that nothing of a lesson stays on a shared device
// (the server's Clear-Site-Data header does it again).
//
// gettext, ngettext and interpolate come from the JavaScript catalogue (core/jsi18n.py),
// which every page loads before this script.
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
    if (!notes) return gettext("Tally changes waiting to send");
    return interpolate(ngettext("%(n)s note waiting to send", "%(n)s notes waiting to send", notes), { n: notes }, true);
  }

  // A line of the box: what waits, in bold, within a translated sentence, then the link.
  function waitingLine(what, link) {
    const line = document.createElement("p");
    line.className = "alert alert-warning py-2 mb-2";
    const strong = document.createElement("strong");
    strong.textContent = what;
    const marker = "\u0000";
    // Translators: %(waiting)s is, in bold, "2 notes waiting to send" or "A lesson recording is waiting to send".
    const [before, after] = interpolate(gettext("%(waiting)s from this device."), { waiting: marker }, true).split(marker);
    line.append(before, strong, (after ?? "") + " ", link);
    return line;
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
      const link = document.createElement("a");
      link.href = box.dataset.captureUrl.replace(box.dataset.placeholder, queue.observation);
      link.textContent = gettext("Open the observation to send them");
      box.append(waitingLine(describe(queue.ops), link));
    }
    box.hidden = !box.childElementCount;
    // The recorder page says so itself, recording by recording.
    if (document.getElementById("video-recorder")) return;
    waitingRecordings().then((count) => {
      if (!count) return;
      const what = ngettext(
        "A lesson recording is waiting to send",
        "%(n)s lesson recordings are waiting to send",
        count
      );
      const link = document.createElement("a");
      link.href = box.dataset.recorderUrl;
      link.textContent = ngettext("Open the recorder to send it", "Open the recorder to send them", count);
      box.append(waitingLine(interpolate(what, { n: count }, true), link));
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
        gettext("Notes or tallies on this device have not been sent yet. Signing out deletes them. Sign out anyway?")
      )
    ) {
      return;
    }
    const recordings = await waitingRecordings();
    if (
      recordings &&
      !window.confirm(
        interpolate(
          ngettext(
            "A lesson recording on this device has not been sent yet. Signing out deletes it. Sign out anyway?",
            "%(n)s lesson recordings on this device have not been sent yet. Signing out deletes them. Sign out anyway?",
            recordings
          ),
          { n: recordings },
          true
        )
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
