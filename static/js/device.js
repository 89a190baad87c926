// What this device keeps of observations between visits (see js/capture/queue.js): queues
// of notes and tallies not yet sent, in local storage, and capture pages kept by the service
// worker.
//
// Every page says when a queue is waiting, with a link to its observation's capture page,
// the one page that sends it. Signing out deletes all of it first, so that nothing of an
// observation stays on a shared device (the server's Clear-Site-Data header does it again).
"use strict";

(function () {
  const STORAGE_PREFIX = "tandem:observation:";
  const QUEUE_KEY = /^tandem:observation:([0-9a-f-]{36}):queue$/;

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
  }

  async function forgetEverything() {
    for (const key of Object.keys(localStorage)) {
      if (key.startsWith(STORAGE_PREFIX)) localStorage.removeItem(key);
    }
    if (window.caches) {
      for (const name of await caches.keys()) await caches.delete(name);
    }
  }

  function confirmSignOut(event) {
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
