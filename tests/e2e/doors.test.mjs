// End-to-end tests of the "front doors" in Debian's headless Chromium
// (playwright-core): the <think-twice> web component on a plain page, the npm
// package's checkPhoto/saferCopy, the single-file build opened from file://,
// the offline service worker, and the MV3 extension intercepting a photo chosen
// in a page's <input type=file> (warning card, then continue / cancel / safer
// copy, checked by reading the bytes the page received). Also prints download
// sizes (gzip) and the time from choosing a 12 MP photo to the warning.
// Photos are made at test time (examples/make_fixtures.rs, plus a canvas-made
// 12 MP JPEG with the fixture's GPS EXIF spliced in): no corpus needed.
// Builds dist/ itself (single file, extension, npm) from www/pkg.
// Last line: "N passed, N failed"; exit code 1 on any failure.

import { chromium } from 'playwright-core';
import { serveStatic, runner, assert } from './harness.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';
import exifr from 'exifr';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const www = path.join(root, 'www');
const dist = path.join(root, 'dist');
const outDir = path.join(root, 'e2e-out');
const fixtureDir = path.join(outDir, 'doors-fixtures');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
  '--no-first-run', '--no-default-browser-check'];

if (!fs.existsSync(path.join(www, 'pkg', 'thinktwice_bg.wasm'))) {
  console.log('www/pkg is missing: run scripts/build-wasm.sh first');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// ---- build the doors and the photos ------------------------------------------
const sh = (cmd, args) => execFileSync(cmd, args, { cwd: root, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
fs.mkdirSync(fixtureDir, { recursive: true });
sh('cargo', ['run', '-q', '--example', 'make_fixtures', '--', fixtureDir]);
for (const script of ['build-single-file.sh', 'package-extension.sh', 'build-npm.sh']) sh('bash', [`scripts/${script}`]);
const GPS_JPG = path.join(fixtureDir, 'gps.jpg');
const XSS_JPG = path.join(fixtureDir, 'xss.jpg');
const gpsBytes = fs.readFileSync(GPS_JPG);

// ---- static server: www/ at /, dist/npm at /npm/, fixtures at /__fixtures/, test pages at /__test/ ----
const TEST_PAGES = {
  // A site with a strict CSP that reads the chosen file on `change` and hands it to the test.
  '/__test/upload.html': `<!doctype html><html><head><meta charset="utf-8">
<meta http-equiv="Content-Security-Policy" content="default-src 'self'; script-src 'self'; style-src 'self'; img-src data:">
<link rel="icon" href="data:,"><title>upload</title><script src="upload.js" defer></script></head>
<body><h1>Post a photo</h1><input type="file" id="f" accept="image/*"><div id="zone">drop here</div></body></html>`,
  '/__test/upload.js': `
const send = async (file, via) => {
  const bytes = new Uint8Array(await file.arrayBuffer());
  let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  window.received = (window.received || 0) + 1;
  window.receivedFile({ name: file.name, type: file.type, size: file.size, b64: btoa(s), via });
};
document.getElementById('f').addEventListener('change', (e) => { for (const f of e.target.files) send(f, 'input'); });
document.addEventListener('dragover', (e) => e.preventDefault());
document.getElementById('zone').addEventListener('drop', (e) => { e.preventDefault(); for (const f of e.dataTransfer.files) send(f, 'drop'); });`,
  '/__test/npm.html': `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="npm.js"></script></head><body></body></html>`,
  '/__test/npm.js': `
import { checkPhoto, saferCopy } from '/npm/index.js';
const bytes = new Uint8Array(await (await fetch('/__fixtures/gps.jpg')).arrayBuffer());
const report = await checkPhoto(bytes, { lang: 'hi', name: 'gps.jpg' });
const copy = await saferCopy(new Blob([bytes], { type: 'image/jpeg' }));
const again = await checkPhoto(copy.blob);
window.result = { ids: report.findings.map((f) => f.id), title: report.findings[0].title, removed: copy.removed,
  type: copy.blob.type, copyIds: again.findings.map((f) => f.id), size: copy.bytes.length };`,
};
const { server, base } = await serveStatic(www, {
  mounts: { '/npm/': path.join(dist, 'npm'), '/__fixtures/': fixtureDir },
  pages: TEST_PAGES,
});
const { test, counts } = runner();
const tmpProfile = () => fs.mkdtempSync(path.join(os.tmpdir(), 'doors-profile-'));

async function browser(extra = {}) {
  const ctx = await chromium.launchPersistentContext(tmpProfile(), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 }, ...extra,
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
  const requests = [];
  ctx.on('request', (r) => requests.push(r.url()));
  return { ctx, page, errors, requests };
}

// ---- 1. the web component on a plain page ---------------------------------------
await test('web component: GPS photo shows findings and fires thinktwice-result; XSS stays text; Hindi compact', async () => {
  const { ctx, page, errors } = await browser();
  try {
    await page.goto(`${base}/embed-example.html`);
    await page.evaluate(() => {
      window.events = [];
      document.addEventListener('thinktwice-result', (e) => window.events.push(e.detail));
    });
    const checker = page.locator('think-twice#checker');
    await checker.locator('input[type=file]').setInputFiles(GPS_JPG);
    await checker.locator('.result[data-level="high"] li[data-id="gps-location"]').waitFor({ timeout: 20000 });
    const title = await checker.locator('li[data-id="gps-location"] .title').textContent();
    assert(/where it was taken/i.test(title), `gps title: ${title}`);
    const events = await page.evaluate(() => window.events);
    assert(events.length === 1 && events[0].findings.some((f) => f.id === 'gps-location'), `event detail: ${JSON.stringify(events).slice(0, 200)}`);
    assert(/location/.test(await page.textContent('#last-result')), 'the host page got the event');
    // The host page's styles do not reach inside: the button keeps the component's font.
    const font = await checker.locator('button.pick').evaluate((b) => getComputedStyle(b).fontFamily);
    assert(!/Georgia/.test(font), `host CSS leaked into the component: ${font}`);

    await checker.locator('input[type=file]').setInputFiles(XSS_JPG);
    await checker.locator('.result .file').filter({ hasText: 'xss.jpg' }).waitFor({ timeout: 20000 });
    const injected = await checker.evaluate((el) => el.shadowRoot.querySelectorAll('img, script, [onerror]').length);
    assert(injected === 0, 'markup from the photo became elements');
    assert(!(await page.evaluate(() => window.__xss)), 'script from the photo ran');

    const hindi = page.locator('think-twice[lang="hi"]');
    await hindi.locator('input[type=file]').setInputFiles(GPS_JPG);
    await hindi.locator('.result[data-level="high"]').waitFor({ timeout: 20000 });
    const text = await hindi.locator('.result').textContent();
    assert(/[\u0900-\u097F]/.test(text), `Hindi component shows no Devanagari: ${text.slice(0, 80)}`);
    assert(await hindi.locator('.why').first().evaluate((n) => getComputedStyle(n).display) === 'none', 'compact hides explanations');
    await page.screenshot({ path: path.join(outDir, 'doors-component.png'), fullPage: true });
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

// ---- 1b. the npm package -------------------------------------------------------
await test('npm package: checkPhoto (lang hi) finds GPS; saferCopy removes it (re-checked)', async () => {
  const { ctx, page, errors } = await browser();
  try {
    await page.goto(`${base}/__test/npm.html`);
    await page.waitForFunction(() => window.result, null, { timeout: 20000 });
    const r = await page.evaluate(() => window.result);
    assert(r.ids.includes('gps-location'), `ids ${r.ids}`);
    assert(/[\u0900-\u097F]/.test(r.title), `title not in Hindi: ${r.title}`);
    assert(r.removed.includes('gps-location'), `removed ${r.removed}`);
    assert(!r.copyIds.includes('gps-location') && !r.copyIds.includes('device-serial'), `copy still has ${r.copyIds}`);
    assert(r.type === 'image/jpeg' && r.size > 100, `copy ${r.type} ${r.size}`);
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

// ---- 2. the single file, from file:// -------------------------------------------
await test('single file: dist/thinktwice.html from file:// checks a GPS photo, no server, no network', async () => {
  const { ctx, page, errors, requests } = await browser();
  try {
    await page.goto(pathToFileURL(path.join(dist, 'thinktwice.html')).href);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 20000 });
    await page.setInputFiles('#file', GPS_JPG);
    await page.waitForSelector('article.result[data-level="high"]', { timeout: 20000 });
    const text = await page.textContent('article.result');
    assert(/where it was taken/i.test(text), `card text: ${text.slice(0, 120)}`);
    await page.selectOption('#lang', 'hi');
    assert(/[\u0900-\u097F]/.test(await page.textContent('article.result')), 'Hindi catalog not inlined');
    const net = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert(!net.length, `network requests: ${net.join(', ')}`);
    assert(!errors.length, errors.join('\n'));
    await page.screenshot({ path: path.join(outDir, 'doors-single-file.png') });
  } finally { await ctx.close(); }
});

// ---- 2b. the hosted app keeps working offline once visited ----------------------
await test('service worker: the hosted app loads and checks a photo offline after one visit', async () => {
  const { ctx, page, errors } = await browser();
  try {
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 20000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller || navigator.serviceWorker.ready.then(() => true), null, { timeout: 10000 });
    await ctx.setOffline(true);
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 20000 });
    await page.setInputFiles('#file', GPS_JPG);
    await page.waitForSelector('article.result[data-level="high"]', { timeout: 20000 });
    assert(!errors.filter((e) => !/ERR_INTERNET_DISCONNECTED/.test(e)).length, errors.join('\n'));
  } finally { await ctx.close(); }
});

// ---- 3. the extension -----------------------------------------------------------
const EXT = path.join(dist, 'thinktwice-extension');

async function withExtension(fn) {
  const { ctx, page, errors } = await browser({
    ignoreDefaultArgs: ['--disable-extensions'],
    args: [...ARGS, `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`],
  });
  try {
    let [sw] = ctx.serviceWorkers();
    if (!sw) sw = await ctx.waitForEvent('serviceworker', { timeout: 10000 });
    const received = [];
    await page.exposeFunction('receivedFile', (f) => { received.push(f); });
    await page.goto(`${base}/__test/upload.html`);
    await fn({ ctx, page, received, extId: sw.url().split('/')[2] });
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
}

/** Clicks a button inside the card's CLOSED shadow root, as a user would (trusted mouse click). */
async function clickCard(ctx, page, action) {
  const cdp = await ctx.newCDPSession(page);
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  let found = null;
  const walk = (n) => {
    if (found || !n) return;
    const a = n.attributes || [];
    for (let i = 0; i < a.length; i += 2) if (a[i] === 'data-action' && a[i + 1] === action) found = n;
    for (const c of [...(n.children || []), ...(n.shadowRoots || [])]) walk(c);
  };
  walk(root);
  assert(found, `no "${action}" button in the card`);
  const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: found.backendNodeId });
  const q = model.content;
  await page.mouse.click((q[0] + q[4]) / 2, (q[1] + q[5]) / 2);
  await cdp.detach();
}

const hasGps = async (buf) => { const g = await exifr.gps(buf).catch(() => null); return !!(g && Number.isFinite(g.latitude)); };
const waitFor = async (cond, ms, what) => {
  const t0 = Date.now();
  while (!cond()) { if (Date.now() - t0 > ms) throw new Error(`timed out: ${what}`); await new Promise((r) => setTimeout(r, 50)); }
};

await test('extension: GPS photo in <input type=file> → warning first; "safer copy" gives the page a file without GPS', async () => {
  assert(await hasGps(gpsBytes), 'the fixture itself must have GPS (or this test proves nothing)');
  await withExtension(async ({ ctx, page, received }) => {
    await page.setInputFiles('#f', GPS_JPG);
    await page.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 20000 });
    assert(received.length === 0, 'the page got the file before the person chose');
    await page.screenshot({ path: path.join(outDir, 'doors-extension-card.png') });
    await clickCard(ctx, page, 'safer');
    await waitFor(() => received.length === 1, 20000, 'page receives the safer copy');
    const got = Buffer.from(received[0].b64, 'base64');
    assert(received[0].name === 'gps.jpg' && received[0].type === 'image/jpeg', `file ${received[0].name} ${received[0].type}`);
    assert(got.length > 100 && got[0] === 0xff && got[1] === 0xd8, 'not a JPEG');
    assert(!(await hasGps(got)), 'the page received a file that still has GPS');
    assert(!got.includes(Buffer.from('SN-0042-7788')), 'the serial number is still in the file');
    assert(await page.locator('thinktwice-warning').count() === 0, 'card still shown');
  });
});

await test('extension: "send as it is" passes the original; "cancel" passes nothing; drop is intercepted too', async () => {
  await withExtension(async ({ ctx, page, received }) => {
    await page.setInputFiles('#f', GPS_JPG);
    await page.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 20000 });
    await clickCard(ctx, page, 'continue');
    await waitFor(() => received.length === 1, 20000, 'page receives the original');
    assert(Buffer.from(received[0].b64, 'base64').equals(gpsBytes), 'original bytes changed');

    await page.setInputFiles('#f', []);
    await page.setInputFiles('#f', XSS_JPG.replace('xss', 'gps'));
    await page.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 20000 });
    await clickCard(ctx, page, 'cancel');
    await new Promise((r) => setTimeout(r, 500));
    assert(received.length === 1, 'cancel still sent the file');
    assert(await page.evaluate(() => document.getElementById('f').files.length) === 0, 'cancel left the file in the input');

    // A drop (synthetic here, built from the photo's bytes) is held back in the same way.
    await page.evaluate((b64) => {
      const bin = atob(b64); const b = new Uint8Array(bin.length);
      for (let i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
      const dt = new DataTransfer();
      dt.items.add(new File([b], 'dropped.jpg', { type: 'image/jpeg' }));
      document.getElementById('zone').dispatchEvent(new DragEvent('drop', { bubbles: true, cancelable: true, dataTransfer: dt }));
    }, gpsBytes.toString('base64'));
    await page.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 20000 });
    assert(received.length === 1, 'the drop reached the page before the person chose');
    await clickCard(ctx, page, 'safer');
    await waitFor(() => received.length === 2, 20000, 'page receives the dropped safer copy');
    assert(received[1].via === 'drop' && received[1].name === 'dropped.jpg', `drop ${received[1].via} ${received[1].name}`);
    assert(!(await hasGps(Buffer.from(received[1].b64, 'base64'))), 'dropped copy still has GPS');
  });
});

await test('extension: popup opens the bundled checker, which works (no network)', async () => {
  await withExtension(async ({ ctx, extId }) => {
    const app = await ctx.newPage();
    await app.goto(`chrome-extension://${extId}/popup.html`);
    const [tab] = await Promise.all([ctx.waitForEvent('page'), app.click('#open')]);
    await tab.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 20000 });
    await tab.setInputFiles('#file', GPS_JPG);
    await tab.waitForSelector('article.result[data-level="high"]', { timeout: 20000 });
  });
});

// ---- measurements ---------------------------------------------------------------
/** A 12 MP camera-like JPEG (made by the browser) with the fixture's EXIF (GPS) spliced in after SOI. */
async function make12mp(page) {
  const b64 = await page.evaluate(async () => {
    const w = 4000, h = 3000, canvas = new OffscreenCanvas(w, h), g = canvas.getContext('2d');
    const img = g.createImageData(w, h);
    let seed = 12345;
    for (let i = 0; i < img.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) >>> 0; const n = (seed >>> 24) % 40;
      img.data[i] = ((i / 4) % w * 255 / w + n) & 255; img.data[i + 1] = (120 + n) & 255; img.data[i + 2] = (200 - n) & 255; img.data[i + 3] = 255;
    }
    g.putImageData(img, 0, 0);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer());
    let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  });
  const big = Buffer.from(b64, 'base64');
  // The fixture's APP1 (EXIF) segment: FFE1 + length right after SOI or an APP0.
  let off = 2, app1 = null;
  while (off + 4 <= gpsBytes.length && gpsBytes[off] === 0xff) {
    const len = gpsBytes.readUInt16BE(off + 2);
    if (gpsBytes[off + 1] === 0xe1) { app1 = gpsBytes.subarray(off, off + 2 + len); break; }
    off += 2 + len;
  }
  assert(app1, 'no APP1 in the fixture');
  return Buffer.concat([big.subarray(0, 2), app1, big.subarray(2)]);
}

const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const kib = (n) => `${(n / 1024).toFixed(0)} KiB`;

await test('measure: download sizes (gzip) and 12 MP JPEG chosen → extension warning shown', async () => {
  const pkg = (f) => path.join(www, 'pkg', f);
  const component = ['component/think-twice.js', 'engine/engine.js', 'engine/worker.js', 'i18n/en.json'].map((f) => gz(path.join(www, f)))
    .reduce((a, b) => a + b, 0) + gz(pkg('thinktwice.js')) + gz(pkg('thinktwice_bg.wasm'));
  const tgz = fs.readdirSync(dist).find((f) => /^thinktwice-.*\.tgz$/.test(f));
  console.log(`     sizes (gzip -9): web component ${kib(component)} (js + wasm + en catalog); ` +
    `npm tarball ${kib(fs.statSync(path.join(dist, tgz)).size)}; single file ${kib(gz(path.join(dist, 'thinktwice.html')))}; ` +
    `extension zip ${kib(fs.statSync(path.join(dist, 'thinktwice-extension.zip')).size)}; wasm alone ${kib(gz(pkg('thinktwice_bg.wasm')))}`);
  await withExtension(async ({ ctx, page, received }) => {
    const big = await make12mp(page);
    assert(await hasGps(big), '12 MP photo lacks GPS');
    const times = [];
    for (let i = 0; i < 3; i++) {
      const t0 = Date.now();
      await page.setInputFiles('#f', { name: `big${i}.jpg`, mimeType: 'image/jpeg', buffer: big });
      await page.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 60000 });
      times.push(Date.now() - t0);
      const inner = await page.getAttribute('thinktwice-warning', 'data-ms');
      times[times.length - 1] += ` (${inner} in the extension)`;
      await clickCard(ctx, page, 'cancel');
      await page.waitForSelector('thinktwice-warning', { state: 'detached' });
    }
    assert(received.length === 0, 'cancel sent files');
    console.log(`     12 MP JPEG (${(big.length / 1e6).toFixed(2)} MB) chosen → warning: first ${times[0]} ms, then ${times[1]} ms, ${times[2]} ms`);
  });
});

server.close();
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
