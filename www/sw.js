// Service worker: makes a repeat visit of the hosted checker open at once and work offline, and
// receives photos from the phone's share sheet (the manifest's share_target).
//
// Owns: which app files are stored on this device, in which version, and when a newer version
// replaces them; the share target's hand-over. Must not: send or store anything of a photo
// beyond the share hand-over below, ask any other origin for anything, or mix two versions of
// the app inside one page (a page's script and the wasm glue it loads must come from one set).
//
// Stored files are answered from this device first (a repeat visit needs no network round trip:
// issue #16's "repeat visit ≤ 1.5 s"). Updates arrive one visit late: after a page has loaded,
// every stored file is asked again with a conditional request (a 304 costs a few bytes); when any
// of them changed, a complete new set is stored beside the old one, and pages opened from then on
// use it. A page keeps the set it opened with until it is closed, so its later, lazy loads
// (picture module, face model) always match its scripts.
//
// At install the app's shell is stored (page, scripts, styles, catalogs, core wasm: all just
// downloaded by the page, so they come from the browser's HTTP cache, not a second download).
// The heavier parts the page loads later (place table, picture modules, face model) are stored as
// they pass through here, so each is downloaded once; the few files the page never loads (install
// icons, help page) once the page has loaded (LATER_PARTS.extras).
//
// Share target: a POST of photos to ./share-target (multipart, field "photos") is answered here,
// never by a server: the photos are kept in the cache 'thinktwice-shared' on this device only
// until the page, opened as ./?shared=ID, takes them out (app/offline.js sharedFiles). Earlier
// shares not opened are dropped. It never sends photos anywhere.

/** Stored sets are caches named SET_PREFIX + a number; the highest complete one is the newest. */
const SET_PREFIX = 'thinktwice-app-set-';
/** Written last into a set: a set without it was cut short and is never used. */
const COMPLETE = '__thinktwice/complete';
/** Which set each open page (and its workers) started with, kept across restarts of this worker. */
const PAGES = 'thinktwice-app-pages';
const SHARE_CACHE = 'thinktwice-shared';
const SHARE_ACTION = 'share-target';
const FILES = ['./', 'manifest.webmanifest', 'icon.svg',
  'app/app.js', 'app/start.js', 'engine/engine.js', 'engine/client.js', 'engine/worker.js', 'engine/serve.js', 'app/i18n.js',
  'app/map.js', 'app/render.js',
  'app/offline.js', 'app/dom.js', 'app/place.js', 'app/safer.js', 'app/share.js', 'i18n/catalog.js',
  'app/classroom.js', 'app/samples.js',
  'app/styles.css', 'i18n/languages.json', 'pkg/thinktwice.js', 'pkg/thinktwice_bg.wasm', 'app/faces.js', 'app/codes.js',
  'engine/picture.js', 'engine/copy.js'];
// Stored when the page fetches them (after this worker controls it), not at install: no second download.
// On a first visit the page starts the picture files before this worker controls it (so faces come
// sooner) and then asks for them to be kept ('keep' below): they are taken from the browser's HTTP
// cache, never downloaded again.
const LATER_PARTS = {
  picture: ['app/faces-worker.js', 'pkg-faces/thinktwice_faces.js', 'pkg-faces/thinktwice_faces_bg.wasm',
    'models/centerface.ttfw', 'pkg-codes/thinktwice_codes.js', 'pkg-codes/thinktwice_codes_bg.wasm'],
  places: ['geo/places.bin'],
  copy: ['engine/copy-worker.js', 'pkg-copy/thinktwice_copy.js', 'pkg-copy/thinktwice_copy_bg.wasm'],
  // Files a first visit's page does not load itself (the install icons, the help page): on a first install they are downloaded only once the page says it has loaded, so
  // they never share a phone's slow line with the face files ('keep' below; an update stores them
  // with the rest).
  extras: ['icons/icon-192.png', 'icons/icon-512.png', 'icons/maskable-512.png',
    'help.html', 'help/help.js', 'help/contacts.json'],
};
/** Another name of a stored file, answered with it (the page is stored once, as './'). */
const SAME_AS = { 'index.html': './' };
/** The parts 'keep' may download (the others are taken from the browser's cache only). */
const DOWNLOADED_LATER = new Set(['extras']);
const LATER = Object.values(LATER_PARTS).flat();
/** Wait this long after a page said it is loaded and idle (app/offline.js pageIdle) before asking for updates. */
const REFRESH_DELAY_MS = 3000;
/** ...or this long after a navigation, for a page that never says so: its own loads go first either way. */
const REFRESH_FALLBACK_MS = 30000;

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    // A first install takes what the page has just downloaded ('force-cache'); an update of this
    // worker asks the server again ('no-cache': a 304 where nothing changed).
    const mode = (await newestSet()) ? 'no-cache' : 'force-cache';
    const name = await nextSetName();
    const set = await caches.open(name);
    // Each file on its own: one missing file must not stop the install.
    const files = mode === 'no-cache' ? [...FILES, ...LATER_PARTS.extras] : FILES;
    await Promise.all(files.map((file) => set.add(new Request(file, { cache: mode })).catch(() => {})));
    // Every catalog the language list names (a new language needs no change here).
    const codes = await (await set.match('i18n/languages.json'))?.json().catch(() => []) || [];
    await Promise.all(codes.map((code) => set.add(new Request(`i18n/${code}.json`, { cache: mode })).catch(() => {})));
    await set.put(COMPLETE, new Response(''));
    forgetRemembered();
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    // Caches of older versions of this worker (before versioned sets) are dropped.
    for (const key of await caches.keys()) {
      if (!key.startsWith(SET_PREFIX) && key !== PAGES && key !== SHARE_CACHE) await caches.delete(key);
    }
    await forgetClosedPages();
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (url.origin !== self.location.origin) return;
  if (event.request.method === 'POST' && relative(url) === SHARE_ACTION) {
    event.respondWith(receiveShare(event.request));
    return;
  }
  if (event.request.method !== 'GET') return;
  const file = relative(url);
  if (!isStored(file)) return; // not ours to keep: the browser fetches it as usual
  event.respondWith(answer(event, file));
  if (event.request.mode === 'navigate') event.waitUntil(refreshLater(REFRESH_FALLBACK_MS));
});

// A page opened from a stored set says when it is loaded and idle, and when a check starts, so the
// check for updates never competes with its work on a slow line or a slow phone. The messages carry
// nothing else.
self.addEventListener('message', (event) => {
  if (event.data?.type === 'page-idle') event.waitUntil(refreshLater(REFRESH_DELAY_MS));
  if (event.data?.type === 'page-busy' && refreshing) clearTimeout(refreshing.timer); // until it is idle again
  if (event.data?.type === 'keep' && LATER_PARTS[event.data.part]) event.waitUntil(keep(event.source, event.data.part));
});

/**
 * Stores in a page's set the files of one part that page has just loaded before this worker
 * controlled it (a first visit), from the browser's HTTP cache only ('only-if-cached': nothing is
 * downloaded; a file not there is simply fetched through here next time); the extras, which no page
 * loaded, are downloaded. Files already stored stay.
 */
async function keep(client, part) {
  const { name } = await startedWith(client?.id);
  if (!name) return;
  const set = await openSet(name);
  const cache = DOWNLOADED_LATER.has(part) ? 'force-cache' : 'only-if-cached';
  await Promise.all(LATER_PARTS[part].map(async (file) => {
    if (await set.match(file)) return;
    const response = await fetch(new Request(file, { cache, mode: 'same-origin' })).catch(() => null);
    if (response?.ok && response.type === 'basic') await set.put(file, response).catch(() => {});
  }));
}

/** A stored file from the set this page started with; else from the network (and stored). */
async function answer(event, file) {
  const name = await setFor(event);
  const set = name && await openSet(name);
  // A navigation may carry ?shared=ID: the page is the same file.
  const stored = set && await set.match(SAME_AS[file] || event.request, { ignoreSearch: event.request.mode === 'navigate' });
  if (stored) return stored;
  const response = await fetch(event.request);
  if (response.ok && set && response.type === 'basic') set.put(event.request, response.clone()).catch(() => {});
  return response;
}

/** The set a request belongs to: its page's; a new page takes the newest, a new worker its page's. */
async function setFor(event) {
  // A navigation's clientId is the page being left (Chromium): a new page never inherits it.
  const from = event.request.mode === 'navigate' ? null : event.clientId;
  const { name, known } = await startedWith(from);
  if (!name) return null;
  // A page opened before this worker took over is held to the set it first asked from.
  if (from && !known) await writeDown(from, name);
  if (event.resultingClientId) await writeDown(event.resultingClientId, name);
  return name;
}

// What the caches say, remembered for this worker's life, so that answering a stored file costs one
// cache lookup: on a repeat visit a phone's page asks for ~30 files at once, and each cache call is
// a round trip to the browser (seven per file made the page wait ~0.3 s for its scripts). The caches
// stay the truth (this worker may be stopped and started again any time); every change of the sets
// goes through forgetRemembered().
const remembered = { pages: new Map(), newest: null, open: new Map() }; // client id → set name; newest set; name → Cache

function forgetRemembered() {
  remembered.pages.clear();
  remembered.newest = null;
  remembered.open.clear();
}

/** The Cache of set `name`, opened once. */
function openSet(name) {
  if (!remembered.open.has(name)) remembered.open.set(name, caches.open(name));
  return remembered.open.get(name);
}

/** Writes down which set a client started with (kept across restarts of this worker). */
async function writeDown(clientId, name) {
  remembered.pages.set(clientId, name);
  await (await caches.open(PAGES)).put(pageKey(clientId), new Response(name));
}

/**
 * The set a page (or its worker) started with, while it is still stored, else the newest complete
 * one (name null: none yet); known: whether this client had a set written down.
 */
async function startedWith(clientId) {
  if (clientId && remembered.pages.has(clientId)) return { name: remembered.pages.get(clientId), known: true };
  const owner = clientId && await (await caches.open(PAGES)).match(pageKey(clientId));
  const name = owner ? await owner.text() : null;
  if (name && await caches.has(name)) {
    remembered.pages.set(clientId, name);
    return { name, known: true };
  }
  remembered.newest ||= newestSet();
  return { name: await remembered.newest, known: Boolean(owner) };
}

let refreshing = null; // the refresh waiting to start or running (one at a time)
/** Starts the refresh in `ms` (the latest ask sets the time); one run at a time. */
function refreshLater(ms) {
  if (!refreshing) {
    let start;
    const asked = new Promise((resolve) => { start = resolve; });
    refreshing = asked.then(refresh).catch(() => {}).finally(() => { refreshing = null; });
    refreshing.start = start;
  }
  clearTimeout(refreshing.timer);
  refreshing.timer = setTimeout(refreshing.start, ms);
  return refreshing;
}

/** Asks the server for every stored file again, once per visit; stores a new set if any changed. */
async function refresh() {
  const name = await newestSet();
  if (!name) return;
  const set = await caches.open(name);
  const requests = (await set.keys()).filter((r) => relative(new URL(r.url)) !== COMPLETE);
  const fresh = new Map();
  let changed = false;
  for (const request of requests) {
    const stored = await set.match(request);
    const response = await fetch(request.url, { cache: 'no-cache' }); // offline: throws, nothing changes
    if (!response.ok) return; // a file missing on the server: keep what works
    if (await sameVersion(stored, response)) continue;
    fresh.set(request.url, response);
    changed = true;
  }
  if (!changed) return;
  const next = await caches.open(await nextSetName());
  for (const request of requests) await next.put(request, fresh.get(request.url) || await set.match(request));
  await next.put(COMPLETE, new Response(''));
  forgetRemembered(); // pages opened from now on take the new set
  await forgetClosedPages();
}

/**
 * Same file version: the same ETag, or the same Last-Modified and length (some hosts' servers give one
 * file different ETags), else the same bytes. Without any validator the file was downloaded again.
 */
async function sameVersion(stored, response) {
  const tag = (r) => r.headers.get('etag');
  if (tag(stored) && tag(stored) === tag(response)) return true;
  const modified = (r) => r.headers.get('last-modified');
  if (modified(stored) && modified(response)) {
    return modified(stored) === modified(response) && stored.headers.get('content-length') === response.headers.get('content-length');
  }
  if (tag(stored) && tag(response)) return false;
  const [a, b] = await Promise.all([stored.clone().arrayBuffer(), response.clone().arrayBuffer()]);
  if (a.byteLength !== b.byteLength) return false;
  const x = new Uint8Array(a); const y = new Uint8Array(b);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/** Drops what closed pages used: their entries, and every set no open page uses except the newest. */
async function forgetClosedPages() {
  forgetRemembered();
  const pages = await caches.open(PAGES);
  const open = new Set((await self.clients.matchAll({ includeUncontrolled: true, type: 'all' })).map((c) => c.id));
  const inUse = new Set([await newestSet()]);
  for (const request of await pages.keys()) {
    const id = request.url.split('/').pop();
    if (open.has(id)) inUse.add(await (await pages.match(request)).text());
    else await pages.delete(request);
  }
  for (const key of await caches.keys()) if (key.startsWith(SET_PREFIX) && !inUse.has(key)) await caches.delete(key);
  forgetRemembered(); // and anything remembered meanwhile
}

/** The name of the newest complete set, or null. */
async function newestSet() {
  const sets = (await caches.keys()).filter((k) => k.startsWith(SET_PREFIX)).sort((a, b) => setNumber(b) - setNumber(a));
  for (const name of sets) if (await (await caches.open(name)).match(COMPLETE)) return name;
  return null;
}

async function nextSetName() {
  const numbers = (await caches.keys()).filter((k) => k.startsWith(SET_PREFIX)).map(setNumber);
  return SET_PREFIX + (Math.max(0, ...numbers) + 1);
}

const setNumber = (name) => Number(name.slice(SET_PREFIX.length)) || 0;
const pageKey = (clientId) => `__thinktwice/page/${clientId}`;

/** Keeps the shared photos for the page and opens it on them (303: the page is then loaded with GET). */
async function receiveShare(request) {
  let files = [];
  try {
    const form = await request.formData();
    files = form.getAll('photos').filter((f) => typeof f === 'object' && f.size > 0);
  } catch {
    // Not a form we understand: the page opens without photos.
  }
  const cache = await caches.open(SHARE_CACHE);
  for (const key of await cache.keys()) await cache.delete(key);
  const id = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e9).toString(36)}`;
  await Promise.all(files.map((file, i) => cache.put(new Request(new URL(`__shared/${id}/${i}`, self.registration.scope)),
    new Response(file, { headers: { 'content-type': file.type || 'application/octet-stream', 'x-file-name': encodeURIComponent(file.name || '') } }))));
  return Response.redirect(new URL(files.length ? `./?shared=${id}` : './', self.registration.scope).href, 303);
}

const scopePath = new URL('./', self.location).pathname;
const relative = (url) => (url.pathname.startsWith(scopePath) ? url.pathname.slice(scopePath.length) : url.pathname) || './';
const STORED = new Set([...FILES, ...LATER, ...Object.keys(SAME_AS)]);
/** The app's own files, and every language catalog (a new language needs no change here). */
const isStored = (file) => STORED.has(file) || /^i18n\/[a-z]{2,3}(-[A-Za-z0-9]+)?\.json$/.test(file);
