/* The worker app's service worker (loaded by /sw.js, which sets self.ELDERCARE first).
 *
 * static: the hashed assets the worker pages use, kept from install on (cache first: a
 *         hashed name never changes content).
 * pages:  the worker's own pages (home, due lists, the visit and assessment forms of the
 *         elders on those lists, registration), network first so an online worker always
 *         sees the server's page; the device's copy answers when the network does not.
 * Nothing else is kept: personal data on the device is what the due lists need.
 */
/* global ELDERCARE */
"use strict";
const CONFIG = self.ELDERCARE;
const STATIC = "static-" + CONFIG.version;
const PAGES = "pages";
const PAGE_PATTERNS = CONFIG.pages.map((p) => ({ re: new RegExp(p.pattern), stripped: p.stripped }));
const NETWORK_WAIT_MS = 6000;

self.addEventListener("install", (event) => {
  event.waitUntil(
    caches.open(STATIC).then((cache) => cache.addAll(CONFIG.assets))
      .then(() => caches.open(PAGES)).then((cache) => cache.add(CONFIG.offline))
      .then(() => self.skipWaiting()),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys().then((names) => Promise.all(
      names.filter((n) => n.startsWith("static-") && n !== STATIC).map((n) => caches.delete(n)),
    )).then(() => self.clients.claim()),
  );
});

function pageRule(url) {
  return PAGE_PATTERNS.find((p) => p.re.test(url.pathname));
}

// The copy kept for "stripped" pages leaves out ID numbers and phones (the server drops
// them for this header): the device holds only what the due lists need.
const STRIPPED_EVERY_MS = 5 * 60 * 1000;
const strippedAt = new Map();

async function keep(request, response, rule) {
  const cache = await caches.open(PAGES);
  if (!rule.stripped) {
    await cache.put(request.url, response);
    return;
  }
  // The stripped copy costs a second request: on a slow line, at most every five minutes.
  if (Date.now() - (strippedAt.get(request.url) || 0) < STRIPPED_EVERY_MS) return;
  strippedAt.set(request.url, Date.now());
  const copy = await fetch(request.url, { headers: { "X-Offline-Copy": "1" }, credentials: "same-origin", cache: "no-store" });
  if (copy.ok && !copy.redirected) await cache.put(request.url, copy);
}

// Pages vary on Cookie and Accept-Language, which a navigation carries and the kept copy's
// request does not: the pages cache holds one account's pages only, so Vary is ignored.
async function fromCache(request) {
  const cache = await caches.open(PAGES);
  return (await cache.match(request.url, { ignoreVary: true }))
    || (await cache.match(request.url, { ignoreSearch: true, ignoreVary: true }));
}

async function page(event, rule) {
  const { request } = event;
  const network = fetch(request).then((response) => {
    // A redirect to the login page or an error page is never kept as the worker's page.
    if (rule && response.ok && !response.redirected && response.type === "basic") {
      event.waitUntil(keep(request, response.clone(), rule).catch(() => undefined));
    }
    return response;
  });
  const cached = rule ? await fromCache(request) : undefined;
  if (!cached) {
    return network.catch(async () => (await fromCache(new Request(CONFIG.offline))) || Response.error());
  }
  // A weak signal that never answers must not keep the worker waiting on a saved page.
  const late = new Promise((resolve) => setTimeout(() => resolve(cached), NETWORK_WAIT_MS));
  return Promise.race([network.catch(() => cached), late]);
}

self.addEventListener("fetch", (event) => {
  const { request } = event;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname.startsWith(CONFIG.staticUrl)) {
    event.respondWith(caches.open(STATIC).then((cache) => cache.match(request).then((hit) => hit || fetch(request).then((response) => {
      if (response.ok && CONFIG.assets.includes(url.pathname)) cache.put(request, response.clone());
      return response;
    }))));
    return;
  }
  if (request.mode === "navigate") event.respondWith(page(event, pageRule(url)));
});

async function precache(group, urls) {
  const cache = await caches.open(PAGES);
  const wanted = new Set(urls.map((u) => new URL(u, self.location.origin).href));
  const pattern = CONFIG.groups[group] && new RegExp(CONFIG.groups[group]);
  if (!pattern) return;
  // Elders who left the list leave the device too.
  for (const key of await cache.keys()) {
    if (pattern.test(new URL(key.url).pathname) && !wanted.has(key.url)) await cache.delete(key);
  }
  const missing = [];
  for (const url of wanted) {
    if (pattern.test(new URL(url).pathname) && !(await cache.match(url))) missing.push(url);
  }
  // Four at a time: on a 400 ms line, one by one would take a round trip per elder.
  const fetchOne = async (url) => {
    const response = await fetch(url, { credentials: "same-origin" });
    if (response.ok && !response.redirected) await cache.put(url, response);
  };
  const lanes = Array.from({ length: 4 }, async () => {
    while (missing.length) await fetchOne(missing.shift());
  });
  await Promise.all(lanes).catch(() => undefined);  // offline half way: the rest waits for next time
}

// Blank forms (registration) hold no personal data: kept as soon as the worker signs in,
// whether or not they were opened; only those the page says this account may open are asked for.
async function keepBlankForms(allowed) {
  const cache = await caches.open(PAGES);
  for (const url of CONFIG.blankForms.filter((form) => allowed.includes(form))) {
    if (await cache.match(url, { ignoreVary: true })) continue;
    try {
      const response = await fetch(url, { credentials: "same-origin" });
      if (response.ok && !response.redirected) await cache.put(url, response);
    } catch (_offline) {
      return;
    }
  }
}

self.addEventListener("message", (event) => {
  const data = event.data || {};
  if (data.type === "precache") event.waitUntil(precache(data.group, data.urls || []));
  if (data.type === "user") {
    event.waitUntil(keepBlankForms(data.forms || []));
    // Another account signed in on this device: the previous one's pages go.
    event.waitUntil(caches.open(PAGES).then(async (cache) => {
      const marker = await cache.match("/__user__");
      const previous = marker ? await marker.text() : null;
      if (previous !== data.user) {
        if (previous !== null) await caches.delete(PAGES);
        await (await caches.open(PAGES)).put("/__user__", new Response(data.user));
      }
    }));
  }
});
