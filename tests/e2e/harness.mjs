// Shared by the end-to-end suites: a static file server for www/ on 127.0.0.1
// (port 0, inside the test process, so nothing is left running) and a tiny test
// runner whose last line is "N passed, N failed".
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json', '.png': 'image/png' };

/**
 * Serves `dir` at / (index.html for folders, 404 outside it); resolves to { server, base }.
 * `mounts` serves other folders under URL prefixes ({ '/npm/': dir }); `pages` answers fixed
 * paths with given text ({ '/__test/a.html': '<!doctype html>…' }).
 */
export async function serveStatic(dir, { mounts = {}, pages = {} } = {}) {
  const server = http.createServer((req, res) => {
    const url = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (pages[url] !== undefined) {
      res.writeHead(200, { 'content-type': MIME[path.extname(url)] || 'text/plain' });
      res.end(pages[url]);
      return;
    }
    const [prefix, base] = Object.entries(mounts).find(([m]) => url.startsWith(m)) || ['/', dir];
    let p = path.normalize(path.join(base, url.slice(prefix.length - 1)));
    if (p.endsWith(path.sep)) p = path.join(p, 'index.html');
    if (!p.startsWith(base) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) { res.writeHead(404); res.end('not found'); return; }
    // A validator and 304s, as real static hosts answer conditional requests (the service worker relies on them).
    const stat = fs.statSync(p);
    const etag = `"${stat.size.toString(36)}-${Math.floor(stat.mtimeMs).toString(36)}"`;
    const headers = { 'content-type': MIME[path.extname(p)] || 'application/octet-stream', 'cache-control': 'no-cache', etag };
    if (req.headers['if-none-match'] === etag) { res.writeHead(304, headers); res.end(); return; }
    res.writeHead(200, headers);
    fs.createReadStream(p).pipe(res);
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  return { server, base: `http://127.0.0.1:${server.address().port}` };
}

/** test(name, fn) runs and reports one test; counts() gives { passed, failed }. */
export function runner() {
  const counts = { passed: 0, failed: 0 };
  async function test(name, fn) {
    const t0 = Date.now();
    try { await fn(); counts.passed++; console.log(`ok   ${name} (${Date.now() - t0} ms)`); }
    catch (e) { counts.failed++; console.log(`FAIL ${name}: ${(e && e.stack) || e}`); }
  }
  return { test, counts };
}

export function assert(cond, msg) { if (!cond) throw new Error(msg); }
export function eq(a, b, what) {
  if (JSON.stringify(a) !== JSON.stringify(b)) throw new Error(`${what}: expected ${JSON.stringify(b)}, got ${JSON.stringify(a)}`);
}

/** A JPEG drawn on a canvas in `page` (any open page): a gradient with shapes, or camera-like noise (big files). */
export async function makeJpeg(page, width, height, noise = 0) {
  const b64 = await page.evaluate(async ({ width, height, noise }) => {
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d');
    const grad = g.createLinearGradient(0, 0, width, height);
    grad.addColorStop(0, '#2e90fa'); grad.addColorStop(1, '#fdb022');
    g.fillStyle = grad; g.fillRect(0, 0, width, height);
    g.fillStyle = '#12b76a';
    for (let i = 0; i < 40; i++) g.fillRect((i * 97) % width, (i * 53) % height, width / 12, height / 12);
    if (noise) {
      const img = g.getImageData(0, 0, width, height);
      let seed = 12345;
      for (let i = 0; i < img.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const n = (seed >>> 24) % noise;
        img.data[i] = (img.data[i] + n) & 255; img.data[i + 1] = (img.data[i + 1] + n) & 255;
      }
      g.putImageData(img, 0, 0);
    }
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, { width, height, noise });
  return Buffer.from(b64, 'base64');
}

/**
 * The JPEG with an EXIF block put in right after its start marker: a camera make ("Phone") and a
 * GPS position (north/east, degrees), little-endian, as phones write it.
 */
export function withGps(jpeg, lat, lon) {
  const entries0 = [[0x010f, 2, 'Phone\0'], [0x8825, 4, null]]; // Make, GPS IFD pointer
  const rational = (v) => [Math.floor(v), 1, Math.floor((v % 1) * 60), 1, Math.round(((v * 60) % 1) * 60 * 100), 100];
  const gps = [[1, 2, 'N\0'], [2, 5, rational(lat)], [3, 2, 'E\0'], [4, 5, rational(lon)]];
  const buf = Buffer.alloc(512);
  buf.write('II', 0); buf.writeUInt16LE(42, 2); buf.writeUInt32LE(8, 4);
  const extra = 8 + 2 + entries0.length * 12 + 4; // data area after IFD0
  const gpsAt = extra + 8; // after 'Phone\0' (padded to 8)
  const writeIfd = (at, entries, dataAt) => {
    buf.writeUInt16LE(entries.length, at);
    entries.forEach(([tag, type, value], i) => {
      const e = at + 2 + i * 12;
      buf.writeUInt16LE(tag, e); buf.writeUInt16LE(type, e + 2);
      if (type === 2) {
        buf.writeUInt32LE(value.length, e + 4);
        if (value.length <= 4) buf.write(value, e + 8, 'latin1');
        else { buf.writeUInt32LE(dataAt, e + 8); buf.write(value, dataAt, 'latin1'); dataAt += 8; }
      } else if (type === 4) { buf.writeUInt32LE(1, e + 4); buf.writeUInt32LE(gpsAt, e + 8); }
      else if (type === 5) {
        buf.writeUInt32LE(3, e + 4); buf.writeUInt32LE(dataAt, e + 8);
        value.forEach((n, k) => buf.writeUInt32LE(n, dataAt + k * 4)); dataAt += 24;
      }
    });
    buf.writeUInt32LE(0, at + 2 + entries.length * 12);
    return dataAt;
  };
  writeIfd(8, entries0, extra);
  const end = writeIfd(gpsAt, gps, gpsAt + 2 + gps.length * 12 + 4);
  const tiff = buf.subarray(0, end);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const head = Buffer.from([0xff, 0xe1, 0, 0]);
  head.writeUInt16BE(payload.length + 2, 2);
  return Buffer.concat([jpeg.subarray(0, 2), head, payload, jpeg.subarray(2)]);
}

/**
 * The files a page fetches for its first copy that draws the picture again (covering, TIFF) and
 * never before (www/engine/copy.js).
 */
export const COPY_FILES = ['engine/copy-worker.js', 'pkg-copy/thinktwice_copy.js', 'pkg-copy/thinktwice_copy_bg.wasm'];
/**
 * The only requests allowed after the app said it was ready, for that first copy: COPY_FILES and
 * engine/serve.js again (the workers' shared message loop, which the copy worker imports itself:
 * each worker loads its own modules; the service worker answers it from its stored set, or a 304).
 */
export const COPY_LOADS = [...COPY_FILES, 'engine/serve.js'];

/** Paths (relative to the site) of the requested URLs that are among `files` (the copy module's), in order. */
export function copyRequests(urls, files = COPY_FILES) {
  return urls.map((u) => new URL(u).pathname.replace(/^\//, '')).filter((p) => files.includes(p));
}

/** The place table: the app fetches it once the first photo is chosen, whatever that photo holds (www/app/app.js). */
export const PLACE_TABLE = 'geo/places.bin';

/**
 * Files the service worker stores on its own once a first visit's page has loaded (www/sw.js
 * LATER_PARTS.picture, taken from the browser's cache, and .extras, the install icons and the help
 * page, downloaded): the app's own files, the same whatever the visit does, so they carry nothing
 * of a photo. Tests that say "no request after load" count the page's requests, not these.
 */
export const KEPT_BY_SERVICE_WORKER = ['app/faces-worker.js', 'pkg-faces/thinktwice_faces.js', 'pkg-faces/thinktwice_faces_bg.wasm',
  'models/centerface.ttfw', 'pkg-codes/thinktwice_codes.js', 'pkg-codes/thinktwice_codes_bg.wasm',
  'icons/icon-192.png', 'icons/icon-512.png', 'icons/maskable-512.png', 'help.html', 'help/help.js', 'help/contacts.json'];
{
  const sw = fs.readFileSync(new URL('../../www/sw.js', import.meta.url), 'utf8');
  const missing = KEPT_BY_SERVICE_WORKER.filter((f) => !sw.includes(`'${f}'`));
  if (missing.length) throw new Error(`harness.mjs KEPT_BY_SERVICE_WORKER names files www/sw.js does not keep: ${missing.join(', ')}`);
}

/**
 * The requests made after the app said it was ready, but the place table's: what must stay empty
 * while checking. The table may be there once (twice in a log that also sees the service worker
 * passing the page's request on), never more.
 */
export function afterLoad(urls) {
  const isTable = (u) => new URL(u).pathname.endsWith(`/${PLACE_TABLE}`);
  const tables = urls.filter(isTable).length;
  assert(tables <= 2, `the place table was requested ${tables} times after load`);
  return urls.filter((u) => !isTable(u));
}
