// Service worker: keeps the hosted checker working offline once it has been
// visited. At install it stores the app's own files (page, scripts, styles,
// catalogs, wasm); afterwards every request goes to the network first (so an
// update is picked up at once) and falls back to the stored copy when there is
// no network. It never touches photos (they are never fetched) and never asks
// any other origin for anything.

const CACHE = 'thinktwice-app-v1';
const FILES = ['./', 'index.html', 'manifest.webmanifest', 'icon.svg',
  'app/app.js', 'engine/engine.js', 'engine/worker.js', 'app/i18n.js', 'i18n/catalog.js', 'app/map.js', 'app/render.js', 'app/offline.js',
  'app/dom.js', 'app/place.js', 'app/safer.js',
  'app/styles.css', 'i18n/languages.json', 'pkg/thinktwice.js', 'pkg/thinktwice_bg.wasm', 'app/faces.js', 'app/codes.js',
  'help.html', 'help/help.js', 'help/contacts.json'];
// The face and code checks (www/app/faces.js): stored too, but a site built without it still works offline.
const FACES_FILES = ['app/faces-worker.js', 'pkg-faces/thinktwice_faces.js', 'pkg-faces/thinktwice_faces_bg.wasm',
  'models/centerface.onnx'];

const OPTIONAL = 'geo/places.bin';

self.addEventListener('install', (event) => {
  event.waitUntil((async () => {
    const cache = await caches.open(CACHE);
    await cache.addAll(FILES);
    // Every catalog the language list names (a new language needs no change here).
    const codes = await (await cache.match('i18n/languages.json')).json();
    await cache.addAll(codes.map((code) => `i18n/${code}.json`));
    // Place names are optional (a build without them still works), so a missing table must not stop the install.
    await cache.add(OPTIONAL).catch(() => {});
    await cache.addAll(FACES_FILES).catch(() => {});
    await self.skipWaiting();
  })());
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) if (key !== CACHE) await caches.delete(key);
    await self.clients.claim();
  })());
});

self.addEventListener('fetch', (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== 'GET' || url.origin !== self.location.origin) return;
  event.respondWith((async () => {
    try {
      const response = await fetch(event.request);
      if (response.ok && FILES_SET.has(relative(url))) {
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

const scopePath = new URL('./', self.location).pathname;
const relative = (url) => (url.pathname.startsWith(scopePath) ? url.pathname.slice(scopePath.length) : url.pathname) || './';
const FILES_SET = new Set([...FILES, ...FACES_FILES, OPTIONAL, '']);
