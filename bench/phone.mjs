// Page-load benchmark on an emulated phone on mobile data (issue #16): prints what a first
// and a repeat visit cost and how long a person waits. Not a test: it prints figures.
//
//   node bench/phone.mjs            (after scripts/build-wasm.sh, fetch-models.sh, build-geo.sh)
//   BENCH_JSON=out.json node bench/phone.mjs    also writes the figures as JSON
//   BENCH_WWW=/path/to/www node bench/phone.mjs  measures another build of the site (e.g. main's)
//   BENCH_REPEATS=5 node bench/phone.mjs        five repeat visits instead of one (min / median / max)
//   BENCH_TRACE=1 / BENCH_TRACE_FILE=trace.json  what each visit's page loaded and when / a Chromium trace of the repeat visit
//
// Profile: Chromium's own emulation through CDP (Network.emulateNetworkConditions 1.6 Mbps down /
// 750 kbps up / 150 ms round trip, Emulation.setCPUThrottlingRate 4) on EVERY target: the page,
// its workers (engine, picture) and the service worker, through a raw CDP connection that
// auto-attaches to each new target before it runs; a 412 x 915 phone viewport with touch. The
// site is served by a small static server in this process on 127.0.0.1 that gzips every answer
// (the budget is counted gzipped) and answers conditional requests with 304, as a real host would.
//
// BENCH_LINE=shared: the network part is played by this server instead: ONE line for the whole
// browser (every answer's bytes share 1.6 Mbps, round robin in 8 KB slices, each answer's first
// byte after one round trip), CDP then slows only the CPU. CDP's emulation gives each target (page,
// each worker, the service worker) a line of its own, and a service worker's fetches were sometimes
// not slowed at all (a face model "downloaded" in 0.5 s): a shared line is what a phone has.
//
// Prints: bytes per part (raw and gzipped: core wasm, face, code and copy wasm, face model, place table,
// JS, the rest), time from navigation to "ready to check", to the metadata verdict and to the
// faces verdict on a 12 MP photo with GPS (made here, on a canvas, with a face photo from the
// shared corpus drawn in when it exists), chosen the moment the page says it is ready; for a
// first visit (fresh profile) and a repeat visit (same profile, new tab); where the face check's
// time went (when the face files were asked for and arrived, and the picture worker's stages:
// User Timing marks 'faces:…' that engine/picture.js puts on the page's timeline); and how many
// times each URL was asked for, when, and how many bytes went over the wire.
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import crypto from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { withGps } from '../tests/e2e/harness.mjs';

// playwright-core bundles a WebSocket client; Node 20 has none built in.
const { ws: WebSocket } = createRequire(import.meta.url)('playwright-core/lib/utilsBundle');

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const www = path.resolve(process.env.BENCH_WWW || path.join(root, 'www')); // BENCH_WWW: another build, e.g. before a change
const DOWN_BPS = 1.6e6 / 8; // bytes per second
const UP_BPS = 0.75e6 / 8;
const RTT_MS = 150;
const CPU_SLOWDOWN = 4;
const PHONE = { viewport: { width: 412, height: 915 }, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true };
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.mjs': 'text/javascript',
  '.wasm': 'application/wasm', '.json': 'application/json', '.css': 'text/css', '.svg': 'image/svg+xml',
  '.webmanifest': 'application/manifest+json', '.png': 'image/png' };

/** Which part of the app a file belongs to (for the bytes table). */
function partOf(rel) {
  if (/^pkg\/.*\.wasm$/.test(rel)) return 'core wasm';
  if (/^pkg-faces\/.*\.wasm$/.test(rel)) return 'face wasm';
  if (/^pkg-codes\/.*\.wasm$/.test(rel)) return 'code wasm';
  if (/^pkg-copy\/.*\.wasm$/.test(rel)) return 'copy wasm'; // only when a covered copy is asked for
  if (/^models\//.test(rel)) return 'face model';
  if (/^geo\//.test(rel)) return 'place table';
  if (/\.m?js$/.test(rel)) return 'JS';
  return 'rest (html, css, json, icons)';
}
const PARTS = ['core wasm', 'face wasm', 'code wasm', 'copy wasm', 'face model', 'place table', 'JS', 'rest (html, css, json, icons)'];

// ------------------------------------------------------------------ the server
const gzCache = new Map(); // path -> { mtime, raw, gz, etag }
function load(p) {
  const mtime = fs.statSync(p).mtimeMs;
  let hit = gzCache.get(p);
  if (!hit || hit.mtime !== mtime) {
    const raw = fs.readFileSync(p);
    hit = { mtime, raw, gz: zlib.gzipSync(raw, { level: 9 }), etag: `"${crypto.createHash('sha1').update(raw).digest('hex').slice(0, 16)}"` };
    gzCache.set(p, hit);
  }
  return hit;
}

let log = new Map(); // url -> { count, wire, status: [], at: [ms after the visit started, per request] }
let visitStart = Date.now();

const SHARED_LINE = process.env.BENCH_LINE === 'shared';
/** The shared line (BENCH_LINE=shared): answers waiting to send, served round robin at DOWN_BPS. */
const line = { queue: [], busy: false };
const SLICE = 8192;
function send(res, status, headers, body = Buffer.alloc(0)) {
  if (!SHARED_LINE) { res.writeHead(status, headers); res.end(body); return; }
  setTimeout(() => { // the round trip before the first byte
    res.writeHead(status, headers);
    if (!body.length) { res.end(); return; }
    line.queue.push({ res, body, at: 0 });
    if (!line.busy) pump();
  }, RTT_MS);
}
function pump() {
  const next = line.queue.shift();
  if (!next) { line.busy = false; return; }
  line.busy = true;
  const slice = next.body.subarray(next.at, next.at + SLICE);
  next.at += slice.length;
  if (next.at < next.body.length) { next.res.write(slice); line.queue.push(next); } else next.res.end(slice);
  setTimeout(pump, (slice.length / DOWN_BPS) * 1000);
}

const server = http.createServer((req, res) => {
  const url = new URL(req.url, 'http://x');
  const rel = decodeURIComponent(url.pathname).replace(/^\/+/, '') || 'index.html';
  const entry = log.get(rel) || { count: 0, wire: 0, status: [], at: [] };
  log.set(rel, entry);
  entry.count++;
  entry.at.push(Date.now() - visitStart);
  let p = path.normalize(path.join(www, rel));
  if (p.endsWith(path.sep)) p = path.join(p, 'index.html');
  if (req.method === 'POST') { // a share-target POST: the service worker answers it; reaching here means it did not
    entry.status.push(405); res.writeHead(405); res.end(); return;
  }
  if (!p.startsWith(www) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) { entry.status.push(404); res.writeHead(404); res.end(); return; }
  const file = load(p);
  const headers = { 'content-type': MIME[path.extname(p)] || 'application/octet-stream', 'cache-control': 'no-cache', etag: file.etag, vary: 'accept-encoding' };
  if (req.headers['if-none-match'] === file.etag) {
    entry.status.push(304); send(res, 304, headers); return;
  }
  const gzip = /\bgzip\b/.test(req.headers['accept-encoding'] || '');
  const body = gzip ? file.gz : file.raw;
  if (gzip) headers['content-encoding'] = 'gzip';
  headers['content-length'] = body.length;
  entry.status.push(200);
  entry.wire += body.length;
  send(res, 200, headers, body);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const base = `http://127.0.0.1:${server.address().port}`;

// ------------------------------------------------------------------ the photo
const corpus = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
  .filter(Boolean).find((p) => fs.existsSync(path.join(p, 'faces/images')));
const FACE_PHOTO = corpus ? path.join(corpus, 'faces/images/dlib_2008_001322.jpg') : null;

async function makePhoto(page) {
  const facePhoto = FACE_PHOTO ? fs.readFileSync(FACE_PHOTO).toString('base64') : null;
  const b64 = await page.evaluate(async (facePhoto) => {
    const [w, h] = [4000, 3000];
    const canvas = new OffscreenCanvas(w, h);
    const g = canvas.getContext('2d');
    const grad = g.createLinearGradient(0, 0, w, h);
    grad.addColorStop(0, '#2e90fa'); grad.addColorStop(1, '#fdb022');
    g.fillStyle = grad; g.fillRect(0, 0, w, h);
    if (facePhoto) {
      const bytes = Uint8Array.from(atob(facePhoto), (c) => c.charCodeAt(0));
      const bmp = await createImageBitmap(new Blob([bytes]));
      const s = Math.min(w / bmp.width, h / bmp.height);
      g.drawImage(bmp, (w - bmp.width * s) / 2, (h - bmp.height * s) / 2, bmp.width * s, bmp.height * s);
    }
    // Camera-like noise so the file is the size of a real 12 MP photo.
    const img = g.getImageData(0, 0, w, h);
    let seed = 7;
    for (let i = 0; i < img.data.length; i += 4) { seed = (seed * 1103515245 + 12345) >>> 0; img.data[i + 1] = (img.data[i + 1] + (seed >>> 28)) & 255; }
    g.putImageData(img, 0, 0);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const out = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < out.length; i += 0x8000) s += String.fromCharCode(...out.subarray(i, i + 0x8000));
    return btoa(s);
  }, facePhoto);
  const jpeg = Buffer.from(b64, 'base64');
  return withGps(jpeg, 23.2599, 77.4126); // Bhopal
}

// ------------------------------------------------------------------ one visit
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
/** "Ready. Choose a photo to check.": how a build without body[data-ready-check] says it is ready. */
const READY_TEXT = JSON.parse(fs.readFileSync(path.join(www, 'i18n/en.json'), 'utf8')).ui['status.ready'];

/** Marks (ms from navigation) recorded inside the page by a MutationObserver: no polling cost. */
function watch(readyText) {
  const marks = (window.__marks = {});
  const seen = () => {
    const now = Math.round(performance.now());
    const status = document.getElementById('status');
    if (!marks.readyToCheck && (document.body?.dataset.readyCheck || (status && status.textContent === readyText))) marks.readyToCheck = now;
    const card = document.querySelector('article.result[data-ms]');
    if (!marks.verdict && card) marks.verdict = now;
    if (card && !marks.faces && card.querySelector('[data-face], [data-face-check="done"], [data-face-check="failed"], [data-face-check="undecodable"]')) {
      marks.faces = now;
      marks.faceCount = card.querySelectorAll('[data-face]').length;
    }
    if (!marks.placeName && card && card.querySelector('.place-words')) marks.placeName = now;
    if (!marks.allLoaded && document.body?.dataset.ready === '1') marks.allLoaded = now;
    if (!marks.places && document.body?.dataset.places) marks.places = now; // builds that fetch the place table on the first photo
  };
  new MutationObserver(seen).observe(document, { subtree: true, childList: true, attributes: true, characterData: true });
  try { // BENCH_TRACE prints the page's long tasks
    window.__longTasks = [];
    new PerformanceObserver((list) => { for (const e of list.getEntries()) window.__longTasks.push([Math.round(e.startTime), Math.round(e.duration)]); })
      .observe({ type: 'longtask', buffered: true });
  } catch { /* no Long Tasks API */ }
  window.__workers = []; // BENCH_TRACE: when each worker was made
  const NativeWorker = window.Worker;
  window.Worker = class extends NativeWorker {
    constructor(url, options) { window.__workers.push([String(url).split('/').pop(), Math.round(performance.now())]); super(url, options); }
  };
  // The moment the page got the photo: handing a 2.6 MB file to a throttled page through the
  // driver takes seconds itself, which no person waits for.
  document.addEventListener('change', (e) => { if (!marks.chosen && e.target?.type === 'file') marks.chosen = Math.round(performance.now()); }, true);
}

/** The photo as a file in a temporary folder (removed at exit), for the file input. */
function photoFile(photo) {
  if (!photoFile.path) {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-photo-'));
    photoFile.path = path.join(dir, 'phone-12mp.jpg');
    fs.writeFileSync(photoFile.path, photo);
    process.on('exit', () => fs.rmSync(dir, { recursive: true, force: true }));
  }
  return photoFile.path;
}

async function visit(ctx, photo, label) {
  log = new Map();
  const page = await ctx.newPage();
  visitStart = Date.now();
  const errors = [];
  page.on('pageerror', (e) => errors.push(e.message));
  await page.addInitScript(watch, READY_TEXT);
  const t0 = Date.now();
  await page.goto(`${base}/`, { waitUntil: 'commit' });
  const step = (what) => console.error(`  ${label}: ${what} after ${((Date.now() - t0) / 1000).toFixed(1)} s`);
  await page.waitForFunction(() => window.__marks?.readyToCheck, null, { timeout: 180000, polling: 100 });
  step('ready to check');
  // A file on disk, as a phone's picker gives one: handed over as a buffer, Playwright rebuilds the
  // 2.6 MB in the page's (throttled) main thread, which held the page up for seconds (BENCH_PHOTO=buffer: that way).
  await page.setInputFiles('#file', process.env.BENCH_PHOTO === 'buffer'
    ? { name: 'phone-12mp.jpg', mimeType: 'image/jpeg', buffer: photo } : photoFile(photo));
  const handed = await page.evaluate(() => Math.round(performance.now()));
  await page.waitForFunction(() => window.__marks?.verdict, null, { timeout: 180000, polling: 100 });
  step('verdict');
  await page.waitForFunction(() => window.__marks?.faces, null, { timeout: 300000, polling: 200 });
  step('faces');
  // Where the face check's time went: the picture worker's stages (User Timing marks 'faces:…',
  // engine/picture.js recordStages) and when the big files arrived (Resource Timing).
  const timeline = await page.evaluate(() => ({
    stages: performance.getEntriesByType('mark').filter((m) => m.name.startsWith('faces:'))
      .map((m) => ({ name: m.name.slice(6), at: Math.round(m.startTime) })),
    files: performance.getEntriesByType('resource').filter((r) => /\/(pkg[^/]*|models|geo)\//.test(r.name))
      .map((r) => ({ file: new URL(r.name).pathname.slice(1), start: Math.round(r.startTime), end: Math.round(r.responseEnd), sw: r.workerStart > 0 })),
    // BENCH_TRACE: every file the page itself loaded (its workers' own loads are not in its timeline)
    all: performance.getEntriesByType('resource').concat(performance.getEntriesByType('navigation'))
      .map((r) => ({ file: new URL(r.name).pathname.slice(1) || '(page)', start: Math.round(r.startTime),
        sw: Math.round(r.workerStart), first: Math.round(r.responseStart), end: Math.round(r.responseEnd) })),
    longTasks: window.__longTasks || [],
    workers: window.__workers || [],
    marks: performance.getEntriesByType('mark').filter((m) => !m.name.startsWith('faces:')).map((m) => `${m.name} ${Math.round(m.startTime)}`),
  }));
  if (process.env.BENCH_TRACE) {
    console.error(`  ${label}: what the page loaded (ms from navigation: asked, service worker started, first byte, last byte)`);
    for (const r of timeline.all.sort((a, b) => a.start - b.start)) console.error(`    ${String(r.start).padStart(5)} ${String(r.sw).padStart(5)} ${String(r.first).padStart(5)} ${String(r.end).padStart(5)}  ${r.file}`);
    console.error(`    long tasks on the page (start+duration): ${timeline.longTasks.map((t) => `${t[0]}+${t[1]}`).join(' ')}`);
    console.error(`    workers made at: ${timeline.workers.map((w) => `${w[0]} ${w[1]}`).join(', ')}; marks: ${timeline.marks.join(', ')}`);
  }
  await page.waitForFunction(() => window.__marks?.allLoaded, null, { timeout: 300000, polling: 200 }).catch(() => {});
  step('all loaded');
  await page.waitForFunction(() => window.__marks?.placeName, null, { timeout: 300000, polling: 200 }).catch(() => {});
  step('place named');
  // Let the service worker finish storing files, so the repeat visit sees what a person's phone would.
  const swReady = await page.evaluate(() => Promise.race([navigator.serviceWorker?.ready.then(() => true),
    new Promise((r) => setTimeout(() => r(false), 20000))])).catch(() => false);
  step(swReady ? 'service worker ready' : 'service worker NOT ready after 20 s');
  await page.waitForTimeout(3000);
  const marks = await page.evaluate(() => window.__marks);
  const chosen = marks.chosen ?? handed;
  await page.close();
  return { label, wallMs: Date.now() - t0, chosen, marks, timeline, errors, requests: [...log.entries()].map(([url, e]) => ({ url, ...e })) };
}

/**
 * A second, raw CDP connection to the browser (Playwright's own cannot reach workers or the service
 * worker): every target that starts — page, dedicated worker, service worker — is paused on start,
 * given the phone profile, then let run. Returns a function that closes the connection.
 */
async function throttleEverything(profileDir) {
  const portFile = path.join(profileDir, 'DevToolsActivePort');
  for (let i = 0; i < 100 && !fs.existsSync(portFile); i++) await new Promise((r) => setTimeout(r, 50));
  const [port, wsPath] = fs.readFileSync(portFile, 'utf8').trim().split('\n');
  const socket = new WebSocket(`ws://127.0.0.1:${port}${wsPath}`);
  await new Promise((r, j) => { socket.once('open', r); socket.once('error', j); });
  let id = 0;
  const pending = new Map();
  const send = (method, params = {}, sessionId) => new Promise((resolve) => {
    const msg = { id: ++id, method, params };
    if (sessionId) msg.sessionId = sessionId;
    pending.set(msg.id, resolve);
    socket.send(JSON.stringify(msg));
  });
  const autoAttach = { autoAttach: true, waitForDebuggerOnStart: true, flatten: true };
  socket.on('message', async (data) => {
    const msg = JSON.parse(String(data));
    if (msg.id && pending.has(msg.id)) { pending.get(msg.id)(msg.result || { error: msg.error }); pending.delete(msg.id); return; }
    if (msg.method === 'Tracing.tracingComplete') { traceDone?.(msg.params.stream); return; }
    if (msg.method !== 'Target.attachedToTarget') return;
    const { sessionId, targetInfo } = msg.params;
    const kinds = ['page', 'worker', 'service_worker', 'shared_worker'];
    // A service worker answers nothing until it runs (the page's register() would wait forever): let it run first.
    if (targetInfo.type === 'service_worker') await send('Runtime.runIfWaitingForDebugger', {}, sessionId);
    if (kinds.includes(targetInfo.type)) {
      await send('Network.enable', {}, sessionId);
      if (!SHARED_LINE) await send('Network.emulateNetworkConditions', { offline: false, latency: RTT_MS, downloadThroughput: DOWN_BPS, uploadThroughput: UP_BPS }, sessionId);
      await send('Emulation.setCPUThrottlingRate', { rate: CPU_SLOWDOWN }, sessionId);
      await send('Target.setAutoAttach', autoAttach, sessionId); // the workers this one starts
      throttled.push(targetInfo.type);
      if (process.env.BENCH_DEBUG) console.error(`  throttling ${targetInfo.type} ${targetInfo.url}`);
    }
    await send('Runtime.runIfWaitingForDebugger', {}, sessionId);
  });
  await send('Target.setAutoAttach', autoAttach);
  const close = () => socket.close();
  // BENCH_TRACE_FILE: a Chromium trace (chrome://tracing, Perfetto) of the repeat visit, for finding where its time goes.
  close.startTrace = () => send('Tracing.start', { transferMode: 'ReturnAsStream',
    traceConfig: { includedCategories: ['devtools.timeline', 'v8', 'v8.wasm', 'blink', 'loading', 'disabled-by-default-devtools.timeline', 'toplevel', 'ServiceWorker'] } });
  close.endTrace = async (file) => {
    const done = new Promise((r) => { traceDone = r; });
    await send('Tracing.end');
    const stream = await done;
    const parts = [];
    for (;;) {
      const { data, eof, base64Encoded } = await send('IO.read', { handle: stream, size: 1 << 20 });
      parts.push(Buffer.from(data || '', base64Encoded ? 'base64' : 'utf8'));
      if (eof) break;
    }
    fs.writeFileSync(file, Buffer.concat(parts));
  };
  return close;
}
let traceDone = null;
const throttled = [];

// ------------------------------------------------------------------ run and print
function sizes() {
  const files = [];
  const walk = (dir) => {
    if (!fs.existsSync(dir)) return;
    for (const n of fs.readdirSync(dir)) {
      const p = path.join(dir, n);
      if (fs.statSync(p).isDirectory()) walk(p); else files.push(path.relative(www, p));
    }
  };
  walk(www);
  return files;
}

const profileDir = fs.mkdtempSync(path.join(os.tmpdir(), 'tt-phone-'));
const ctx = await chromium.launchPersistentContext(profileDir, {
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless: true, args: [...ARGS, '--remote-debugging-port=0'], locale: 'en-GB', ...PHONE });
const results = [];
let unthrottle = () => {};
try {
  const maker = ctx.pages()[0] || await ctx.newPage();
  const photo = await makePhoto(maker); // before throttling: making it is not part of the visit
  unthrottle = await throttleEverything(profileDir);
  console.log(`photo: 4000 x 3000 JPEG with GPS, ${(photo.length / 1e6).toFixed(2)} MB${FACE_PHOTO ? `, faces from ${path.basename(FACE_PHOTO)}` : ' (no face corpus: no faces)'}`);
  results.push(await visit(ctx, photo, 'first visit'));
  if (process.env.BENCH_TRACE_FILE) await unthrottle.startTrace();
  results.push(await visit(ctx, photo, 'repeat visit'));
  if (process.env.BENCH_TRACE_FILE) await unthrottle.endTrace(process.env.BENCH_TRACE_FILE);
  // BENCH_REPEATS=N: N repeat visits (a repeat visit's figures move by a few tenths between runs)
  for (let i = 2; i <= Number(process.env.BENCH_REPEATS || 1); i++) results.push(await visit(ctx, photo, `repeat visit ${i}`));
} finally {
  unthrottle();
  await ctx.close();
  server.close();
}
console.log(`throttled targets: ${[...new Set(throttled)].map((k) => `${k} x${throttled.filter((t) => t === k).length}`).join(', ')}`);

// Bytes per part: every file asked for on the first visit, raw and gzipped.
const first = results[0];
const asked = new Set(first.requests.map((r) => r.url));
const rows = Object.fromEntries(PARTS.map((p) => [p, { raw: 0, gz: 0, files: [] }]));
for (const rel of sizes()) {
  if (!asked.has(rel)) continue;
  const f = load(path.join(www, rel));
  const row = rows[partOf(rel)];
  row.raw += f.raw.length; row.gz += f.gz.length; row.files.push(rel);
}
const kb = (n) => `${(n / 1024).toFixed(0).padStart(6)} KB`;
console.log('\nbytes per part (files the first visit asked for; gzip -9):');
let total = { raw: 0, gz: 0 };
for (const p of PARTS) {
  const r = rows[p];
  total.raw += r.raw; total.gz += r.gz;
  console.log(`  ${p.padEnd(30)} raw ${kb(r.raw)}   gzip ${kb(r.gz)}   ${r.files.length} file(s)${r.files.length <= 2 ? ': ' + r.files.join(', ') : ''}`);
}
console.log(`  ${'total'.padEnd(30)} raw ${kb(total.raw)}   gzip ${kb(total.gz)}`);

const s = (ms) => (ms === undefined ? '     –' : `${(ms / 1000).toFixed(1).padStart(6)} s`);
console.log(`\ntimes (phone profile: ${DOWN_BPS * 8 / 1e6} Mbps down, ${RTT_MS} ms RTT${SHARED_LINE ? ', one line shared by the whole browser (BENCH_LINE=shared)' : ' (CDP, per target)'}, CPU ${CPU_SLOWDOWN}x slower; from navigation):`);
console.log(`  ${''.padEnd(14)} ${'ready to check'.padStart(14)} ${'metadata verdict'.padStart(17)} ${'place named'.padStart(12)} ${'faces verdict'.padStart(14)} ${'all loaded'.padStart(11)}  (photo chosen at ready)`);
for (const r of results) {
  const m = r.marks;
  console.log(`  ${r.label.padEnd(14)} ${s(m.readyToCheck).padStart(14)} ${s(m.verdict).padStart(17)} ${s(m.placeName).padStart(12)} ${s(m.faces).padStart(14)} ${s(m.allLoaded).padStart(11)}  faces found: ${m.faceCount ?? '–'}; place table read at ${m.places ? s(m.places).trim() : '(with all loaded)'}; photo in the page at ${s(r.chosen).trim()} (the driver's hand-over is slow), verdict ${s(m.verdict - r.chosen).trim()} and faces ${s(m.faces - r.chosen).trim()} after that`);
  if (r.errors.length) console.log(`    page errors: ${r.errors.join(' | ')}`);
}

const repeats = results.slice(1);
if (repeats.length > 1) {
  const line = (name, key, goal) => {
    const v = repeats.map((r) => r.marks[key]).filter((x) => x !== undefined).sort((a, b) => a - b);
    const met = goal ? `; <= ${goal / 1000} s in ${v.filter((x) => x <= goal).length} of ${v.length}` : '';
    console.log(`  ${name.padEnd(16)} min ${s(v[0]).trim()}, median ${s(v[Math.floor(v.length / 2)]).trim()}, max ${s(v[v.length - 1]).trim()}${met}`);
  };
  console.log(`
${repeats.length} repeat visits:`);
  line('ready to check', 'readyToCheck');
  line('all loaded', 'allLoaded', 1500);
}

// The face check's stages (ms from navigation), in the order they happened (first and first repeat visit).
for (const r of results.slice(0, 2)) {
  console.log(`\nface check on the ${r.label} (s from navigation; the photo reached the page at ${s(r.chosen).trim()}):`);
  for (const f of r.timeline.files) console.log(`  ${f.file.padEnd(44)} asked ${s(f.start)}, arrived ${s(f.end)}${f.sw ? ' (through the service worker)' : ''}`);
  const once = new Map(); // a stage the worker reported twice (with 'ready' and with the faces) is listed once
  for (const st of r.timeline.stages) if (!once.has(st.name)) once.set(st.name, st);
  const stages = [...once.values(), { name: 'faces shown', at: r.marks.faces }].sort((a, b) => a.at - b.at);
  let prev = null;
  for (const st of stages) {
    console.log(`  ${st.name.padEnd(44)} ${s(st.at)}${prev === null ? '' : `   (+${((st.at - prev) / 1000).toFixed(2)} s)`}`);
    prev = st.at;
  }
}

for (const r of results.slice(0, 2)) {
  const wire = r.requests.reduce((a, q) => a + q.wire, 0);
  console.log(`\nrequests on the ${r.label}: ${r.requests.reduce((a, q) => a + q.count, 0)}, ${kb(wire).trim()} over the wire`);
  for (const q of r.requests.sort((a, b) => b.wire - a.wire || a.url.localeCompare(b.url))) {
    const flag = q.status.filter((x) => x === 200).length > 1 ? '   <-- downloaded more than once' : '';
    console.log(`  ${String(q.count).padStart(2)} x ${q.url.padEnd(44)} ${q.status.join(',').padEnd(12)} ${kb(q.wire)}   asked at ${q.at.map((t) => (t / 1000).toFixed(1)).join(', ')} s${flag}`);
  }
}
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ parts: rows, results }, null, 1));
