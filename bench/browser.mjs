// Runs bench/page.html in headless Chromium over a folder of photos and prints
// median / p95 ms per file for ThinkTwice (wasm) and exifr, and their ratio.
// Usage: node bench/browser.mjs DIR   (after scripts/build-wasm.sh)
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = path.resolve(process.argv[2] || '');
const names = fs.readdirSync(dir).filter((n) => fs.statSync(path.join(dir, n)).isFile()).sort();
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json' };
const routes = [['/__bench/', path.join(root, 'bench')], ['/__corpus/', dir],
  ['/__exifr/', path.join(root, 'node_modules', 'exifr', 'dist')], ['/', path.join(root, 'www')]];

const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  if (rel === '/__bench/files.json') { res.writeHead(200, { 'content-type': 'application/json' }); res.end(JSON.stringify(names)); return; }
  const [prefix, base] = routes.find(([p]) => rel.startsWith(p));
  const p = path.normalize(path.join(base, rel.slice(prefix.length)));
  if (!p.startsWith(base + path.sep) || !fs.existsSync(p)) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': MIME[path.extname(p)] || 'application/octet-stream' });
  fs.createReadStream(p).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));

const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-profile-')), {
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(`http://127.0.0.1:${server.address().port}/__bench/page.html`);
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { state: 'attached', timeout: 600000 });
  const err = await page.evaluate(() => window.benchError);
  if (err) throw new Error(err);
  const rows = await page.evaluate(() => window.benchResult);
  const pct = (xs, q) => { const s = [...xs].sort((a, b) => a - b); return s[Math.min(s.length, Math.max(1, Math.ceil(q * s.length))) - 1]; };
  const line = (label, xs) => console.log(`${label.padEnd(26)} files ${String(xs.length).padStart(4)}  median ${pct(xs, 0.5).toFixed(4).padStart(9)} ms  p95 ${pct(xs, 0.95).toFixed(4).padStart(9)} ms`);
  line('chromium  thinktwice wasm', rows.map((r) => r.wasm));
  line('chromium  exifr (full)', rows.map((r) => r.exifr));
  const both = rows.filter((r) => !r.exifrFailed);
  line('  wasm, files exifr reads', both.map((r) => r.wasm));
  line('  exifr, files it reads', both.map((r) => r.exifr));
  const ratio = (q) => (pct(both.map((r) => r.wasm), q) / pct(both.map((r) => r.exifr), q)).toFixed(2);
  console.log(`ratio wasm/exifr (files exifr reads): median ${ratio(0.5)}x  p95 ${ratio(0.95)}x  (below 1 = ThinkTwice faster)`);
  console.log(`exifr threw on ${rows.length - both.length} of ${rows.length} files`);
  if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify(rows, null, 1));
} finally {
  await ctx.close();
  server.close();
}
