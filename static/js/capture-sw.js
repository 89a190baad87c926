// The capture page's service worker: a coach can reload the capture page with no network
// and keep typing; js/capture/queue.js keeps what is typed and sends it when the network
// returns.
//
// It is served from /observations/ (a worker controls only pages below its own path), so it
// sees every observation page, but it answers only for capture pages, static files and the
// JavaScript catalogue (the scripts' words, core/jsi18n.py): no other coaching page is ever
// kept on the device. Network first: a kept copy is used only when the server cannot be
// reached, so a coach who is online always gets the server's page.
// Signing out deletes what it kept (device.js, and the Clear-Site-Data header).
//
// The catalogue's address names its language and version (/jsi18n/es/?v=...), and each
// address is kept apart: a capture page kept in Spanish loads the Spanish words, one kept
// in English the English ones, whichever language the person has chosen since.
"use strict";

// js/capture/main.js fills it on the visit that installed the worker.
const CACHE = "tandem-capture";
const CAPTURE_PAGE = /^\/observations\/[0-9a-f-]{36}\/capture\/$/;
const STATIC_URL = "/static/";
const CATALOGUE_URL = "/jsi18n/";

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const request = event.request;
  const url = new URL(request.url);
  if (request.method !== "GET" || url.origin !== self.location.origin) return;
  const capturePage = request.mode === "navigate" && CAPTURE_PAGE.test(url.pathname);
  if (capturePage || url.pathname.startsWith(STATIC_URL) || url.pathname.startsWith(CATALOGUE_URL)) {
    event.respondWith(networkFirst(request));
  }
});

async function networkFirst(request) {
  const cache = await caches.open(CACHE);
  let response;
  try {
    response = await fetch(request);
  } catch (error) {
    response = null;
  }
  if (response && response.status < 500) {
    if (response.ok && !response.redirected) {
      await cache.put(request, response.clone());
    } else if (response.status >= 400) {
      // No longer this person's to see (or gone): do not keep it either.
      await cache.delete(request, { ignoreVary: true });
    }
    return response;
  }
  const kept = await cache.match(request, { ignoreVary: true });
  return kept || response || Response.error();
}
