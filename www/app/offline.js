// Registers the service worker (www/sw.js) that keeps this page working
// offline once visited and receives photos shared in from the phone's share
// sheet. Only over http(s): never from file:// (the single-file build) or
// inside the browser extension. registerOffline resolves once this page is
// controlled by it (or after a short wait), so the heavier files the page
// fetches next pass through it and are stored as they download (fetched once);
// never rejects: offline support is a bonus, not a must.
// keepForOffline asks it to store files this page loaded before it took over.
// pageIdle tells the service worker whether the page is loaded and idle, so its
// check for updates runs only then (sw.js).
// sharedFiles takes the photos the service worker kept from a share (they are
// kept on this device only until the page opens) and deletes them.

const WAIT_MS = 5000;
/** Same name as in sw.js: where a share's photos wait for the page. */
const SHARE_CACHE = 'thinktwice-shared';

const wait = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

export async function registerOffline() {
  if (!/^https?:$/.test(location.protocol) || !('serviceWorker' in navigator)) return false;
  try {
    const registering = navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { scope: new URL('../', import.meta.url).pathname });
    if (navigator.serviceWorker.controller) {
      // A repeat visit: the page already works offline (the worker answered it); registering again
      // is the browser's housekeeping, which took up to 0.5 s on a slow phone: nothing waits for it.
      registering.catch((err) => console.warn('offline support: registering again failed', err));
      return true;
    }
    await registering;
    await Promise.race([navigator.serviceWorker.ready, wait(WAIT_MS)]);
    if (!navigator.serviceWorker.controller) {
      // The first visit: the worker claims this page when it activates.
      await Promise.race([new Promise((r) => navigator.serviceWorker.addEventListener('controllerchange', r, { once: true })), wait(WAIT_MS)]);
    }
    return true;
  } catch (err) {
    console.warn('offline support unavailable', err);
    return false;
  }
}

/** The photos shared into the app (the page was opened as ./?shared=ID by sw.js), as Files; [] otherwise. */
export async function sharedFiles() {
  const id = new URLSearchParams(location.search).get('shared');
  if (!id || !/^[a-z0-9]+$/.test(id) || !('caches' in self)) return [];
  history.replaceState(null, '', location.pathname); // a reload must not check them again
  try {
    const cache = await caches.open(SHARE_CACHE);
    const files = [];
    for (const request of await cache.keys()) {
      if (!new URL(request.url).pathname.includes(`/__shared/${id}/`)) continue;
      const response = await cache.match(request);
      const blob = await response.blob();
      const name = decodeURIComponent(response.headers.get('x-file-name') || '') || 'photo';
      files.push({ order: Number(request.url.split('/').pop()), file: new File([blob], name, { type: blob.type }) });
      await cache.delete(request);
    }
    return files.sort((a, b) => a.order - b.order).map((f) => f.file);
  } catch (err) {
    console.warn('shared photos could not be read', err);
    return [];
  }
}

/** Tells the service worker whether this page is loaded and idle (nothing else): it looks for updates only then. */
export function pageIdle(idle) {
  navigator.serviceWorker?.controller?.postMessage({ type: idle ? 'page-idle' : 'page-busy' });
}

/**
 * Asks the service worker to keep a part of the app this page loaded before the worker controlled
 * it ('picture' or 'places': a first visit), from the browser's cache: nothing is downloaded again;
 * or ('extras', once the page has loaded) the few files the page never loads itself (sw.js).
 */
export function keepForOffline(part) {
  navigator.serviceWorker?.controller?.postMessage({ type: 'keep', part });
}
