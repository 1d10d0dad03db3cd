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
