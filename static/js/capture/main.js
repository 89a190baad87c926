// Observation capture, built for a phone on classroom Wi-Fi that comes and goes.
//
// What the coach enters waits in a queue on this device until the server confirms it
// (queue.js); notes.js, tallies.js and seats.js show it as it is entered, status.js says
// what waits. Here the page starts: it shows what an earlier visit left, sends whenever it
// may have a chance, and keeps itself for offline use by a service worker (capture-sw.js).

import { noteElement, renderNote, startNotes } from "./notes.js";
import { flush, loadConfirmed, loadQueue, queueEvents, queueKey, saveConfirmed } from "./queue.js";
import { addToSeat, hasSeats, serverTaps, startSeats } from "./seats.js";
import { describeQueue } from "./status.js";
import { renderTally, showQueuedTotals, startTallies, tallyElement } from "./tallies.js";

const page = document.getElementById("capture");
const offlineCache = "tandem-capture"; // the cache capture-sw.js serves from

startNotes();
startSeats();
startTallies();

// Confirmed since this page was rendered (a copy served offline): shown as saved. Once the
// server's page shows an item, it need not be remembered any longer. A tap the page does
// not count is added to its seat; an undone tap the page still counts is taken off.
const remembered = loadConfirmed();
const rememberedTaps = new Set(remembered.filter((op) => op.type === "tap").map((op) => op.client_id));
const undone = new Set(remembered.filter((op) => op.type === "untap").map((op) => op.client_id));
saveConfirmed(
  remembered.filter((op) => {
    if (op.type === "tap" || op.type === "untap") {
      if (!hasSeats) return false;
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
    if (op.type === "unnote") {
      // Taken back after this copy of the page was made: it still shows the note.
      const shown = noteElement(op.client_id);
      if (shown) shown.remove();
      return Boolean(shown);
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
  else if (op.type === "unnote") noteElement(op.client_id)?.remove();
  else if (op.type === "tally") renderTally(op.client_id, op.label, op.count);
  else if (op.type === "tap" && hasSeats) addToSeat(op, 1);
  else if (op.type === "untap" && hasSeats && (serverTaps.has(op.client_id) || rememberedTaps.has(op.client_id))) addToSeat(op, -1);
}

// Ready offline means two things, both checked rather than remembered: the service worker
// controls this page (it answers the reload), and a copy of the page is kept with the
// words of its scripts (it has something to answer with). Signing out in another tab
// removes both, so the claim is taken back; once the person is signed in again the page
// keeps itself again and says so. The first visit was not served by the worker, so it
// keeps its page and files here; later visits are kept by the worker as they load.
// The words (the JavaScript catalogue) are the page's language's own: a person who
// changed language since the page was last kept finds it kept again, in the new one.
const offlineStatus = document.getElementById("offline-status");
let keeping = null;

function sayOffline(ready) {
  if (ready) {
    page.dataset.offlineReady = "true";
  } else {
    delete page.dataset.offlineReady;
  }
  if (offlineStatus) {
    offlineStatus.textContent = ready ? gettext("Ready offline") : "";
    offlineStatus.hidden = !ready;
  }
}

// The address of the JavaScript catalogue a kept copy of the page loads (base.html): the
// words of its own language, which may not be this page's if the person changed language
// meanwhile (in another tab, say).
async function catalogueOf(kept) {
  const html = await kept.clone().text();
  const script = new DOMParser().parseFromString(html, "text/html").querySelector("script[data-catalogue]");
  return script ? new URL(script.getAttribute("src"), location.href).href : null;
}

async function isReadyOffline() {
  if (!navigator.serviceWorker.controller) return false;
  const kept = await caches.match(location.pathname, { ignoreVary: true });
  if (!kept) return false;
  const catalogue = await catalogueOf(kept);
  return !catalogue || Boolean(await caches.match(catalogue, { ignoreVary: true }));
}

async function keepForOffline() {
  if (!("serviceWorker" in navigator) || !window.caches) return;
  if (await isReadyOffline().catch(() => false)) {
    sayOffline(true);
    return;
  }
  sayOffline(false);
  if (!navigator.onLine) return; // nothing can be kept without the server
  // The files the page loads. The modules main.js imports are among them because the page
  // preloads each, under the name it is imported by (hashed in production).
  const loaded = "link[rel=stylesheet], link[rel=icon], link[rel=modulepreload], script[src]";
  const files = Array.from(document.querySelectorAll(loaded), (element) => element.href || element.src);
  await navigator.serviceWorker.register(page.dataset.serviceWorker).catch(() => null);
  await navigator.serviceWorker.ready;
  if (!navigator.serviceWorker.controller) {
    // A worker registered again controls pages from their next load: claim this one now.
    await new Promise((resolve) => {
      navigator.serviceWorker.addEventListener("controllerchange", resolve, { once: true });
      setTimeout(resolve, 5000);
    });
  }
  const cache = await caches.open(offlineCache);
  // The page as the server gives it now (signed in), not a copy from the HTTP cache.
  await cache.addAll([new Request(location.pathname, { cache: "reload" })].concat(files));
  // The page kept now is in the person's language now: keep its words too.
  const kept = await cache.match(location.pathname, { ignoreVary: true });
  const catalogue = kept && (await catalogueOf(kept));
  if (catalogue && !(await cache.match(catalogue, { ignoreVary: true }))) await cache.add(catalogue);
  sayOffline(await isReadyOffline());
}

function checkOffline() {
  keeping = keeping || keepForOffline().catch(() => sayOffline(false)).finally(() => (keeping = null));
  return keeping;
}

queueEvents.addEventListener("change", describeQueue);
queueEvents.addEventListener("confirmed", ({ detail: op }) => {
  if (op.type === "note") renderNote(op, "saved");
});
// The server answered: a good moment to keep the page again if needed.
queueEvents.addEventListener("answered", checkOffline);

// Another tab of this observation changed the queue.
window.addEventListener("storage", function (event) {
  if (event.key !== queueKey) return;
  showQueuedTotals();
  describeQueue();
});
window.addEventListener("online", flush);
window.addEventListener("offline", describeQueue);
// Back from signing in in another tab: send at once rather than at the next tick.
window.addEventListener("focus", flush);
document.addEventListener("visibilitychange", () => document.hidden || flush());
window.setInterval(flush, 5000);
checkOffline();
// Signing out elsewhere clears this device's storage: look again whenever it may have.
window.addEventListener("storage", checkOffline);
window.addEventListener("focus", checkOffline);
window.addEventListener("online", checkOffline);
setInterval(checkOffline, 30000);
document.addEventListener("visibilitychange", function () {
  if (document.visibilityState === "visible") checkOffline();
});
flush();
