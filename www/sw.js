// Service worker: keeps the hosted checker working offline once it has been
// visited, and receives photos from the phone's share sheet (the manifest's
// share_target). At install it stores the app's shell (page, scripts, styles,
// catalogs, icons, core wasm: all already downloaded by the page, so they come
// from the browser's HTTP cache, not a second download). The heavier parts the page loads later
// (place table, picture module, face model) are stored as they pass through
// here, so each is downloaded once. Every request goes to the network first (so
// an update is picked up at once; an unchanged file costs one 304) and falls
// back to the stored copy when there is no network.
// Share target: a POST of photos to ./share-target (multipart, field "photos")
// is answered here, never by a server: the photos are kept in the cache
// 'thinktwice-shared' on this device only until the page, opened as
// ./?shared=ID, takes them out (app/offline.js sharedFiles). Earlier shares not
// opened are dropped. It never sends photos anywhere and never asks any other
// origin for anything.

const CACHE = 'thinktwice-app-v2';
const SHARE_CACHE = 'thinktwice-shared';
const SHARE_ACTION = 'share-target';
const FILES = ['./', 'index.html', 'manifest.webmanifest', 'icon.svg', 'icons/icon-192.png', 'icons/icon-512.png',
  'icons/maskable-512.png',
  'app/app.js', 'engine/engine.js', 'engine/client.js', 'engine/worker.js', 'app/i18n.js', 'app/map.js', 'app/render.js',
  'app/offline.js', 'app/dom.js', 'app/place.js', 'app/safer.js', 'app/share.js', 'i18n/catalog.js',
  'app/classroom.js', 'app/samples.js',
  'help.html', 'help/help.js', 'help/contacts.json',
  'app/styles.css', 'i18n/languages.json', 'pkg/thinktwice.js', 'pkg/thinktwice_bg.wasm', 'app/faces.js', 'app/codes.js'];
// Stored when the page fetches them (after this worker controls it), not at install: no second download.
const LATER = ['app/faces-worker.js', 'pkg-faces/thinktwice_faces.js', 'pkg-faces/thinktwice_faces_bg.wasm',
  'models/centerface.ttfw', 'geo/places.bin'];

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    // Each file on its own: one missing file must not stop the install. 'force-cache': the page has just
    // downloaded these, so the browser's HTTP cache answers and nothing is downloaded a second time.
    await Promise.all(FILES.map((file) => cache.add(new Request(file, { cache: 'force-cache' })).catch(() => {})));
    // Every catalog the language list names (a new language needs no change here).
    const codes = await (await cache.match('i18n/languages.json'))?.json().catch(() => []) || [];
    await cache.addAll(codes.map((code) => `i18n/${code}.json`));
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE && key !== SHARE_CACHE) await caches.delete(key);
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
  event.respondWith((async () => {
    try {
      const response = await fetch(event.request);
      if (response.ok && STORED.has(relative(url))) {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(event.request, copy)).catch(() => {});
      }
      return response;
    } catch (err) {
      const cached = await caches.match(event.request, { ignoreSearch: true });
      if (cached) return cached;
      throw err;
    }
  })());
});

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
const STORED = new Set([...FILES, ...LATER, '']);
