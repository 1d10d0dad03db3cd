// Peak memory while the app checks hostile-sized photos in headless Chromium:
// a 50 MP JPEG (made in the page with a canvas) and PNG decompression bombs
// (a 60000×60000 IHDR whose IDAT inflates to gigabytes, and a 64 MB zTXt).
// Samples the resident memory of every Chromium process every 50 ms and prints
// the peak above the idle page for each file. Usage: node bench/memory.mjs
// (after scripts/build-wasm.sh). A benchmark: it prints figures, asserts nothing.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const www = path.join(root, 'www');
const MIME = { '.html': 'text/html', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json',
  '.css': 'text/css', '.bin': 'application/octet-stream', '.onnx': 'application/octet-stream', '.ttfw': 'application/octet-stream', '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json' };
const server = http.createServer((req, res) => {
  const rel = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const p = path.normalize(path.join(www, rel.endsWith('/') ? rel + 'index.html' : rel));
  if (!p.startsWith(www) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': MIME[path.extname(p)] || 'application/octet-stream' });
  fs.createReadStream(p).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));

function chunk(type, data) {
  const len = Buffer.alloc(4); len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type), data]);
  const crc = Buffer.alloc(4); crc.writeUInt32BE(zlib.crc32 ? zlib.crc32(body) : 0);
  return Buffer.concat([len, body, crc]);
}
function png(width, height, extra, idat) {
  const ihdr = Buffer.alloc(13); ihdr.writeUInt32BE(width, 0); ihdr.writeUInt32BE(height, 4); ihdr[8] = 8; ihdr[9] = 2;
  return Buffer.concat([Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]), chunk('IHDR', ihdr), ...extra,
    chunk('IDAT', idat), chunk('IEND', Buffer.alloc(0))]);
}
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-mem-'));
// 64 MiB of zeros deflates to ~64 KiB; a viewer that trusted IHDR would need 10.8 GB for 60000² RGB.
const zeros = zlib.deflateSync(Buffer.alloc(64 << 20), { level: 9 });
const files = {
  'idat-bomb-60000x60000.png': png(60000, 60000, [], zeros),
  'ztxt-bomb-64MB.png': png(16, 16, [chunk('zTXt', Buffer.concat([Buffer.from('Comment\0\0'), zeros]))], zlib.deflateSync(Buffer.alloc(16 * 49))),
};
for (const [n, b] of Object.entries(files)) fs.writeFileSync(path.join(tmp, n), b);

const rssMb = () => {
  try { return execSync('ps -C chromium -o rss=', { encoding: 'utf8' }).split('\n').filter(Boolean).reduce((a, b) => a + Number(b), 0) / 1024; }
  catch { return 0; }
};

const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'mem-profile-')), {
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
const page = ctx.pages()[0] || await ctx.newPage();
await page.goto(`http://127.0.0.1:${server.address().port}/`);
await page.waitForFunction(() => document.body.dataset.state === 'idle', null, { timeout: 60000 });

async function measure(label, choose) {
  await page.waitForTimeout(500);
  const idle = rssMb();
  let peak = idle;
  const timer = setInterval(() => { peak = Math.max(peak, rssMb()); }, 50);
  const t0 = Date.now();
  await choose();
  await page.waitForFunction(() => ['done', 'error'].includes(document.body.dataset.state), null, { timeout: 120000 });
  await page.waitForTimeout(300);
  clearInterval(timer);
  const state = await page.evaluate(() => document.body.dataset.state);
  console.log(`${label.padEnd(30)} ${String(Date.now() - t0).padStart(6)} ms  state ${state.padEnd(5)}  peak +${(peak - idle).toFixed(0)} MB over the idle page (${idle.toFixed(0)} MB)`);
}

for (const n of Object.keys(files)) {
  await measure(n, () => page.setInputFiles('input[type=file]', path.join(tmp, n)));
}
await measure('jpeg-50MP (8660x5774, canvas)', () => page.evaluate(async () => {
  const c = new OffscreenCanvas(8660, 5774);
  const g = c.getContext('2d');
  for (let i = 0; i < 200; i++) { g.fillStyle = `hsl(${i * 37 % 360},60%,50%)`; g.fillRect((i * 97) % 8000, (i * 61) % 5400, 600, 400); }
  const blob = await c.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
  const file = new File([blob], 'big-50mp.jpg', { type: 'image/jpeg' });
  const dt = new DataTransfer(); dt.items.add(file);
  const input = document.querySelector('input[type=file]');
  input.files = dt.files; input.dispatchEvent(new Event('change', { bubbles: true }));
}));
await ctx.close();
server.close();
