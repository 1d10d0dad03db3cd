// Shared by the end-to-end suites: a static file server for www/ on 127.0.0.1
// (port 0, inside the test process, so nothing is left running) and a tiny test
// runner whose last line is "N passed, N failed".
import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';

const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json' };

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
    res.writeHead(200, { 'content-type': MIME[path.extname(p)] || 'application/octet-stream', 'cache-control': 'no-cache' });
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
