// Registers the service worker (www/sw.js) that keeps this page working
// offline once visited. Only over http(s): never from file:// (the single-file
// build) or inside the browser extension. Resolves when the app's files are
// stored (or after a short wait), so the page is "ready" only when it would
// also work offline; never rejects: offline support is a bonus, not a must.

const WAIT_MS = 5000;

export async function registerOffline() {
  if (!/^https?:$/.test(location.protocol) || !('serviceWorker' in navigator)) return false;
  try {
    await navigator.serviceWorker.register(new URL('../sw.js', import.meta.url), { scope: new URL('../', import.meta.url).pathname });
    await Promise.race([navigator.serviceWorker.ready, new Promise((r) => setTimeout(r, WAIT_MS))]);
    return true;
  } catch (err) {
    console.warn('offline support unavailable', err);
    return false;
  }
}
