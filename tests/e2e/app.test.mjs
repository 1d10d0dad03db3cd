// End-to-end tests of the ThinkTwice page (www/) in Debian's headless Chromium
// through playwright-core. Serves www/ from an in-process node:http server on
// 127.0.0.1 (port 0), uses a fresh browser profile per context, and checks the
// page as a user would: real corpus photos (skipped with a message when the
// corpus is absent), photos built at test time (no metadata, an XSS comment,
// a 12 MP JPEG), Hindi, zero network after load, console errors, axe-core,
// keyboard use and screenshots (e2e-out/). Needs www/pkg (wasm-pack output).
// Last line: "N passed, N failed"; exit code 1 on any failure.

import { chromium } from 'playwright-core';
import { serveStatic, runner, assert, eq, afterLoad } from './harness.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const www = path.join(root, 'www');
const outDir = path.join(root, 'e2e-out');
fs.mkdirSync(outDir, { recursive: true });
const require = createRequire(import.meta.url);
const AXE_PATH = require.resolve('axe-core/axe.min.js');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic',
  '--no-first-run'];

const corpusRoot = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
  .filter(Boolean).map((p) => path.join(p, 'metadata/files')).find((p) => fs.existsSync(p));

// Corpus files and the finding ids each must show (from the core's rules).
const CORPUS = [
  { file: 'apple_iphone6_gps_makernote.jpg', ids: ['gps-location', 'embedded-thumbnail', 'device-model'], level: 'high', map: true },
  { file: 'canon_eos20d_serial.jpg', ids: ['device-serial', 'embedded-thumbnail'], level: 'medium' },
  { file: 'png_text_author_copyright.png', ids: ['person-name', 'contact-info', 'text-data'], level: 'high' },
  { file: 'apple_iphone7_gps.heic', ids: ['gps-location', 'embedded-thumbnail'], level: 'high', map: true, placeholder: true },
  { file: 'malformed_truncated.jpg', ids: [], level: 'none' },
  { file: 'motorola_g9plus_empty_gps.jpg', ids: ['gps-hidden'], level: 'medium', sentence: 'blanked out' },
  { file: 'google_pixel6_ultrahdr_gps.jpg', ids: ['gps-location', 'hidden-media'], level: 'high', map: true },
];
const XSS = '<img src=x onerror=alert(1)>';

if (!fs.existsSync(path.join(www, 'pkg', 'thinktwice.js'))) {
  console.log('www/pkg is missing: build it first (wasm-pack build --target web --release --mode no-install --out-dir www/pkg)');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const { server, base } = await serveStatic(www);

const { test, counts } = runner();
const DEVANAGARI = /[\u0900-\u097F]/;

/** A fresh browser with a fresh profile, and everything the page does recorded. */
async function openPage({ width = 1280, height = 900, bypassCSP = false, locale = 'en-GB', glue = null } = {}) {
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'tt-e2e-')), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width, height }, bypassCSP, locale,
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  const log = { errors: [], requests: [], dialogs: [], bytes: 0, responses: [] };
  page.on('pageerror', (e) => log.errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push('console: ' + m.text()); });
  page.on('requestfailed', (r) => log.errors.push('requestfailed: ' + r.url()));
  page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  ctx.on('request', (r) => { if (/^https?:/.test(r.url())) log.requests.push(r.url()); });
  ctx.on('response', (r) => log.responses.push(r));
  if (glue) {
    // Serve a changed wasm glue (test only) to reach paths real photos cannot: traps, faces.
    const original = fs.readFileSync(path.join(www, 'pkg', 'thinktwice.js'), 'utf8');
    await ctx.route('**/pkg/thinktwice.js', (route) => route.fulfill({ contentType: 'text/javascript', body: glue(original) }));
  }
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 30000 })
    .catch((e) => { throw new Error(`${e.message}\n${log.errors.join('\n')}`); });
  return { ctx, page, log };
}

/** Chooses files like a user would, then waits for every card to be finished, faces and codes included. */
async function choose(page, files) {
  await page.setInputFiles('#file', files);
  await page.waitForFunction(() => document.body.dataset.state === 'done' || document.body.dataset.state === 'error',
    null, { timeout: 60000 });
  await page.waitForFunction(() => !document.querySelector('[data-face-check="looking"], [data-code-check="looking"]'), null, { timeout: 300000 });
}

async function cardFor(page, name) {
  const cards = page.locator('article.result').filter({ has: page.locator('h3.file-name').getByText(name, { exact: true }) });
  assert(await cards.count() >= 1, `no card for ${name}`);
  return cards.last();
}

async function findingIds(cardLoc) {
  return cardLoc.locator('[data-finding]').evaluateAll((els) => els.map((e) => e.dataset.finding));
}

/** Makes a small JPEG in the page (canvas), so the test needs no binary fixtures. */
async function makeJpeg(page, width, height, quality = 0.85, noise = 0) {
  const b64 = await page.evaluate(async ({ width, height, quality, noise }) => {
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d');
    if (noise) {
      // Camera-like detail (noise) so the JPEG is megabytes, not kilobytes.
      const img = g.createImageData(width, height);
      let seed = 12345;
      for (let i = 0; i < img.data.length; i += 4) {
        seed = (seed * 1103515245 + 12345) >>> 0;
        const n = (seed >>> 24) % noise;
        const x = (i / 4) % width;
        img.data[i] = (x * 255 / width + n) & 255; img.data[i + 1] = (120 + n) & 255; img.data[i + 2] = (200 - n) & 255; img.data[i + 3] = 255;
      }
      g.putImageData(img, 0, 0);
      const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
      const bytes = new Uint8Array(await blob.arrayBuffer());
      let s = '';
      for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    }
    const grad = g.createLinearGradient(0, 0, width, height);
    grad.addColorStop(0, '#2e90fa'); grad.addColorStop(1, '#fdb022');
    g.fillStyle = grad; g.fillRect(0, 0, width, height);
    g.fillStyle = '#12b76a';
    for (let i = 0; i < 40; i++) g.fillRect((i * 97) % width, (i * 53) % height, width / 12, height / 12);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, { width, height, quality, noise });
  return Buffer.from(b64, 'base64');
}

/** Inserts a JPEG COM segment right after SOI. */
function withComment(jpeg, text) {
  const payload = Buffer.from(text, 'latin1');
  const seg = Buffer.concat([Buffer.from([0xff, 0xfe, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), seg, jpeg.subarray(2)]);
}

const corpusFiles = corpusRoot ? CORPUS.filter((c) => fs.existsSync(path.join(corpusRoot, c.file))) : [];
if (!corpusRoot) console.log('skip corpus photos: no corpus found (set THINKTWICE_CORPUS)');
else for (const c of CORPUS) if (!corpusFiles.includes(c)) console.log(`skip ${c.file}: not in corpus`);

// ---- 1. main run: load, batch of photos, Hindi, network, console --------------
let main;
let plainJpeg;
await test('page loads: CSP, privacy line, English chosen from navigator.languages, state idle', async () => {
  main = await openPage();
  const { page, log } = main;
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  for (const part of ["script-src 'self' 'wasm-unsafe-eval'", "worker-src 'self'", "img-src 'self' blob: data:",
    "style-src 'self'", "connect-src 'self'", "object-src 'none'", "base-uri 'none'", "form-action 'none'"]) {
    assert(csp.includes(part), `CSP lacks ${part}`);
  }
  eq(await page.getAttribute('html', 'lang'), 'en', 'html lang');
  eq(await page.evaluate(() => document.body.dataset.state), 'idle', 'state');
  assert((await page.textContent('.privacy')).includes('never leaves this device'), 'privacy line');
  const offOrigin = log.requests.filter((u) => !u.startsWith(base));
  eq(offOrigin, [], 'requests to other origins');
  let total = 0, gz = 0;
  for (const r of log.responses) {
    const body = await r.body().catch(() => Buffer.alloc(0));
    total += body.length; gz += zlib.gzipSync(body, { level: 9 }).length;
  }
  console.log(`     first load: ${log.responses.length} requests, ${(total / 1024).toFixed(1)} KiB transferred (${(gz / 1024).toFixed(1)} KiB if served gzip)`);
  log.requests.length = 0; // from here on: no network at all
});

await test('batch of photos: right findings per photo, map, hidden things, HEIC placeholder, summary', async () => {
  const { page } = main;
  plainJpeg = await makeJpeg(page, 320, 240);
  const files = corpusFiles.map((c) => path.join(corpusRoot, c.file));
  const extra = [
    { name: 'no-metadata.jpg', mimeType: 'image/jpeg', buffer: plainJpeg },
    { name: `${XSS}.jpg`, mimeType: 'image/jpeg', buffer: withComment(plainJpeg, XSS) },
    { name: 'not-a-photo.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('hello, this is just text') },
  ];
  await choose(page, [...files.map((f) => ({ name: path.basename(f), mimeType: 'application/octet-stream', buffer: fs.readFileSync(f) })), ...extra]);
  eq(await page.evaluate(() => document.body.dataset.state), 'done', 'state');
  eq(await page.locator('article.result').count(), files.length + extra.length, 'cards');
  for (const c of corpusFiles) {
    const card = await cardFor(page, c.file);
    const ids = await findingIds(card);
    for (const id of c.ids) assert(ids.includes(id), `${c.file}: missing ${id} in ${ids}`);
    if (!c.ids.length) eq(ids, [], `${c.file} findings`);
    eq(await card.getAttribute('data-level'), c.level, `${c.file} level`);
    if (c.map) {
      assert(await card.locator('svg.world-map circle.map-dot').count() === 1, `${c.file}: no map dot`);
      assert(/\d+\.\d{5}°/.test(await card.locator('.coords').textContent()), `${c.file}: coordinates`);
    }
    if (c.placeholder) {
      await card.locator('.photo-placeholder').waitFor({ timeout: 5000 });
      await card.screenshot({ path: path.join(outDir, 'card-heic-en.png') });
    }
    if (c.ids.includes('embedded-thumbnail')) assert(await card.locator('.hidden-thumb').count() === 1, `${c.file}: thumbnail not shown`);
    if (c.ids.includes('hidden-media')) assert((await card.locator('.hidden-media li').count()) >= 1, `${c.file}: hidden media not named`);
    if (c.ids.length) {
      const sentence = await card.locator('.verdict-sentence').textContent();
      assert(sentence.length > 20, `${c.file}: verdict sentence "${sentence}"`);
      if (c.sentence) assert(sentence.includes(c.sentence), `${c.file}: verdict sentence "${sentence}"`);
    }
  }
  const gps = corpusFiles.find((c) => c.file.startsWith('apple_iphone6'));
  if (gps) {
    const s = await (await cardFor(page, gps.file)).locator('.verdict-sentence').textContent();
    assert(s.includes('where it was taken'), `verdict sentence: ${s}`);
  }
  // Findings come ranked worst first (src/findings/risk.rs): high, then faces, then medium, low, info.
  const order = { high: 0, faces: 1, medium: 2, low: 3, info: 4 };
  for (const card of await page.locator('article.result').all()) {
    const sev = await card.locator('[data-finding]').evaluateAll((els) => els.map((e) =>
      (e.dataset.finding === 'faces' && !e.classList.contains('sev-high') ? 'faces' : /sev-(\w+)/.exec(e.className)[1])));
    for (let i = 1; i < sev.length; i++) assert(order[sev[i - 1]] <= order[sev[i]], `not ranked: ${sev}`);
  }
  const withGps = corpusFiles.filter((c) => c.map).length;
  if (withGps) {
    const summary = await page.textContent('#summary');
    assert(summary.includes(`${withGps} of ${files.length + extra.length - 1} photos show a location`), `summary: ${summary}`);
  }
  const junk = await cardFor(page, 'not-a-photo.jpg');
  eq(await junk.getAttribute('data-level'), 'error', 'not-a-photo level');
  await page.screenshot({ path: path.join(outDir, 'desktop-1280-en.png'), fullPage: true });
  await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: path.join(outDir, 'desktop-1280-en-top.png') });
  if (gps) await (await cardFor(page, gps.file)).screenshot({ path: path.join(outDir, 'card-gps-en.png') });
  await (await cardFor(page, 'no-metadata.jpg')).screenshot({ path: path.join(outDir, 'card-nothing-en.png') });
});

await test('no metadata: honest "nothing found", says what was and was not checked, never "safe"', async () => {
  const card = await cardFor(main.page, 'no-metadata.jpg');
  eq(await findingIds(card), [], 'findings');
  eq(await card.getAttribute('data-level'), 'none', 'level');
  assert(await card.locator('details.honesty[open]').count() === 1, 'honesty panel open');
  const text = await card.innerText();
  for (const must of ['street signs', 'School uniforms', 'mirrors', 'hidden its location', 'Location saved by the camera']) {
    assert(text.toLowerCase().includes(must.toLowerCase()), `missing "${must}"`);
  }
  assert(!/\bsafe\b/i.test(text.replace(/safer copy/gi, '')), 'says "safe"');
  assert(!/\bsafe\b/i.test(await main.page.locator('body').innerText().then((s) => s.replace(/safer copy/gi, ''))), 'page says "safe"');
});

await test('XSS photo: comment shown as text, no <img src=x>, no dialog', async () => {
  const { page, log } = main;
  const card = await cardFor(page, `${XSS}.jpg`);
  assert((await findingIds(card)).includes('comment'), 'comment finding');
  const values = await card.locator('[data-finding="comment"] .found-value').allTextContents();
  assert(values.some((v) => v.includes(XSS)), `evidence shows the text: ${values}`);
  eq(await page.locator('img[src="x"]').count(), 0, 'injected <img>');
  eq(log.dialogs, [], 'dialogs');
});

await test('Hindi: switch re-renders results in Devanagari, remembered after reload', async () => {
  const { page } = main;
  await page.selectOption('#lang', 'hi');
  eq(await page.getAttribute('html', 'lang'), 'hi', 'html lang');
  const card = await cardFor(page, corpusFiles[0]?.file || 'no-metadata.jpg');
  for (const sel of ['.verdict-level', '.verdict-sentence', 'h4']) {
    const s = await card.locator(sel).first().textContent();
    assert(DEVANAGARI.test(s), `${sel} not Hindi: ${s}`);
  }
  for (const title of await page.locator('[data-finding] h5').allTextContents()) assert(DEVANAGARI.test(title), `title not Hindi: ${title}`);
  for (const sel of ['.privacy', '#pick', '#guide-heading', '#status', '.honesty summary']) {
    assert(DEVANAGARI.test(await page.locator(sel).first().textContent()), `${sel} not Hindi`);
  }
  const englishLeft = await page.evaluate(() => {
    // Every visible text node outside the raw evidence and file names should be Hindi (or digits/symbols).
    const skip = (n) => n.parentElement.closest('td, .file-name, .found-value, option, .coords, h1, .mono, .map-label, .lang-picker, .phone-steps h4');
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    const bad = [];
    for (let n = walker.nextNode(); n; n = walker.nextNode()) {
      const s = n.textContent.trim();
      if (!s || skip(n)) continue;
      if (/[A-Za-z]{4,}/.test(s) && !/[\u0900-\u097F]/.test(s)) bad.push(s);
    }
    return bad;
  });
  eq(englishLeft.filter((s) => !/^(ThinkTwice|Ctrl\+V|HEIC|iPhone|GPS|EXIF|XMP|AI)$/.test(s)), [], 'English text left in Hindi mode');
  await page.screenshot({ path: path.join(outDir, 'desktop-1280-hi.png'), fullPage: true });
  await card.screenshot({ path: path.join(outDir, 'card-first-hi.png') });
  await page.reload();
  await page.waitForSelector('body[data-ready="1"]', { state: 'attached' });
  eq(await page.getAttribute('html', 'lang'), 'hi', 'remembered language');
  assert(DEVANAGARI.test(await page.textContent('.privacy')), 'privacy line in Hindi');
  main.log.requests.length = 0; // the reload fetched the page again on purpose
  await page.selectOption('#lang', 'en');
});

await test('zero network requests after load, no console errors', async () => {
  const { log } = main;
  eq(afterLoad(log.requests), [], 'requests after load');
  eq(log.errors, [], 'browser errors');
  eq(log.dialogs, [], 'dialogs');
});

await test('checking after load makes ZERO requests (fresh page, then 2 photos)', async () => {
  const { ctx, page, log } = await openPage();
  try {
    log.requests.length = 0;
    await choose(page, [
      { name: 'a.jpg', mimeType: 'image/jpeg', buffer: plainJpeg },
      { name: 'b.jpg', mimeType: 'image/jpeg', buffer: withComment(plainJpeg, 'hello') },
    ]);
    await page.selectOption('#lang', 'hi');
    await page.selectOption('#lang', 'en');
    eq(afterLoad(log.requests), [], 'requests while checking and switching language');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

// Content Credentials: a PNG whose XMP points at its manifest on the web (dcterms:provenance) gets the
// finding with the link shown as text, and the page never opens it. The page's CSP would block such a
// request anyway; this page runs with the CSP bypassed, so a fetch the code made would really go out and be counted.
const c2paDir = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
  .filter(Boolean).map((p) => path.join(p, 'c2pa')).find((p) => fs.existsSync(path.join(p, 'files')));
await test('Content Credentials: the remote manifest link is shown as text and never fetched; a signed photo names its signer', async () => {
  if (!c2paDir) { console.log('     skip: no C2PA corpus (set THINKTWICE_CORPUS)'); return; }
  const remote = 'libpng-test_with_url.png';
  // The link, as ExifTool reads it (independent of ThinkTwice).
  const exif = JSON.parse(fs.readFileSync(path.join(c2paDir, 'exiftool', `${remote}.json`), 'utf8'))[0];
  const url = exif['XMP-dcterms:Provenance'];
  assert(/^https?:\/\//.test(url || ''), `ExifTool sees no link in ${remote}: ${url}`);
  const { ctx, page, log } = await openPage({ bypassCSP: true });
  try {
    await ctx.route('**/*', (route) => (route.request().url().startsWith(base) ? route.continue() : route.abort()));
    log.requests.length = 0;
    await choose(page, ['C.jpg', remote].map((f) => path.join(c2paDir, 'files', f)));
    const card = await cardFor(page, remote);
    assert((await findingIds(card)).includes('content-credentials'), `${remote}: no content-credentials finding`);
    // What the finding holds is listed in the card's technical details, as text.
    const evidence = card.locator('[data-evidence="content-credentials"]');
    assert((await evidence.textContent()).includes(url), `${remote}: the link is not shown`);
    eq(await card.locator('a[href^="http"]').count(), 0, 'a link from the file was made clickable');
    const signed = await cardFor(page, 'C.jpg');
    assert((await findingIds(signed)).includes('content-credentials'), 'C.jpg: no content-credentials finding');
    const text = await signed.locator('[data-evidence="content-credentials"]').textContent();
    assert(/Signed by/.test(text) && /John Doe/.test(text), `C.jpg: signer and author not listed: ${text.slice(0, 300)}`);
    eq(afterLoad(log.requests), [], 'requests while checking (the manifest link must never be fetched)');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

if (main) await main.ctx.close();

await test('keyboard: Tab reaches the picker, Enter opens the file chooser; guidance link focuses the panel', async () => {
  const { ctx, page, log } = await openPage();
  try {
    // Listen before any key press: Playwright turns on chooser interception asynchronously.
    const chooserSeen = page.waitForEvent('filechooser', { timeout: 15000 });
    let reached = false;
    for (let i = 0; i < 6 && !reached; i++) {
      await page.keyboard.press('Tab');
      reached = await page.evaluate(() => document.activeElement?.id === 'pick');
    }
    assert(reached, 'Tab never reached #pick');
    await page.keyboard.press('Enter');
    const chooser = await chooserSeen;
    assert(chooser.isMultiple(), 'picker takes several files');
    await chooser.setFiles([{ name: 'kbd.jpg', mimeType: 'image/jpeg', buffer: plainJpeg }]);
    await page.waitForFunction(() => document.body.dataset.state === 'done');
    assert((await page.textContent('#status')).includes('1 photo checked'), 'status announces the result');
    await page.locator('a.guide-link').first().focus();
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => document.activeElement?.id === 'before-you-send');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});


// The real check, wrapped: "trap.jpg" traps like a wasm panic; "faces.jpg" gets two faces.
const TEST_GLUE = (src) => src.replace('export function check(bytes, name) {', 'function realCheck(bytes, name) {') + `
export function check(bytes, name) {
  if (name === 'trap.jpg') throw new WebAssembly.RuntimeError('unreachable executed');
  const report = realCheck(bytes, name);
  if (name === 'faces.jpg') {
    // What add_faces in the core does: the faces, their finding and the level it brings.
    report.faces = [{ x: 20, y: 30, w: 60, h: 70, score: 0.9 }, { x: 200, y: 40, w: 50, h: 60, score: 0.8 }];
    report.findings.push({ id: 'faces', severity: 'medium', category: 'picture', title: '', why: '', advice: '', evidence: [] });
    report.risk = 'people';
  }
  return report;
}`;

await test('wasm trap: that file gets a plain error, the worker restarts, the next file is checked; faces hook', async () => {
  const { ctx, page, log } = await openPage({ glue: TEST_GLUE });
  try {
    log.requests.length = 0;
    await choose(page, [
      { name: 'trap.jpg', mimeType: 'image/jpeg', buffer: plainJpeg },
      { name: 'after-trap.jpg', mimeType: 'image/jpeg', buffer: withComment(plainJpeg, 'still works') },
      { name: 'faces.jpg', mimeType: 'image/jpeg', buffer: plainJpeg },
    ]);
    const trapped = await cardFor(page, 'trap.jpg');
    eq(await trapped.getAttribute('data-level'), 'error', 'trapped file level');
    assert((await trapped.locator('.verdict-sentence').textContent()).includes('restarted'), 'trap message');
    const after = await cardFor(page, 'after-trap.jpg');
    assert((await findingIds(after)).includes('comment'), 'file after the trap was checked');
    const faces = await cardFor(page, 'faces.jpg');
    eq(await faces.locator('[data-face]').count(), 2, 'face boxes');
    assert((await faces.locator('.verdict-sentence').textContent()).includes('2 faces'), 'face count in verdict');
    eq(await faces.getAttribute('data-level'), 'people', 'faces make the level "people"');
    await faces.screenshot({ path: path.join(outDir, 'card-faces-en.png') });
    await faces.locator('.faces-toggle').click();
    assert(await faces.locator('.faces').isHidden(), 'toggle hides the boxes');
    eq(await faces.locator('.faces-toggle').textContent(), 'Show face boxes', 'toggle label');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('drop and paste: files dropped on the page or pasted are checked; same place grouped in the summary', async () => {
  const { ctx, page, log } = await openPage();
  try {
    const gps = corpusFiles.find((c) => c.file.startsWith('apple_iphone6'));
    const bytes = gps ? fs.readFileSync(path.join(corpusRoot, gps.file)) : plainJpeg;
    const b64 = bytes.toString('base64');
    // A real DataTransfer with files, dispatched as the browser would on a drop / paste.
    await page.evaluate((b64) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bin], 'dropped-1.jpg', { type: 'image/jpeg' }));
      dt.items.add(new File([bin], 'dropped-2.jpg', { type: 'image/jpeg' }));
      const zone = document.getElementById('pick');
      zone.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true }));
      zone.dispatchEvent(new DragEvent('dragover', { dataTransfer: dt, bubbles: true, cancelable: true }));
      zone.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
    }, b64);
    await page.waitForFunction(() => document.body.dataset.state === 'done');
    await page.evaluate((b64) => {
      const bin = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const dt = new DataTransfer();
      dt.items.add(new File([bin], 'image.png', { type: 'image/jpeg' }));
      document.dispatchEvent(new ClipboardEvent('paste', { clipboardData: dt, bubbles: true, cancelable: true }));
    }, Buffer.from(plainJpeg).toString('base64'));
    await page.waitForFunction(() => document.querySelectorAll('article.result[data-ms]').length === 3);
    await cardFor(page, 'dropped-1.jpg');
    await cardFor(page, 'image.png');
    if (gps) {
      const summary = await page.textContent('#summary');
      assert(summary.includes('2 of 3 photos show the same place'), `summary: ${summary}`);
      assert(summary.includes('2 of 3 photos show a location'), `summary: ${summary}`);
    }
    assert(!(await page.locator('#pick').getAttribute('class')).includes('dragging'), 'drop highlight cleared');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('checker cannot start (broken wasm): state error, a plain message, files get an error card', async () => {
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'tt-e2e-')), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 } });
  try {
    await ctx.route('**/pkg/thinktwice_bg.wasm', (route) => route.fulfill({ contentType: 'application/wasm', body: 'not wasm' }));
    const page = ctx.pages()[0] || await ctx.newPage();
    await page.goto(`${base}/index.html`);
    await page.waitForFunction(() => document.body.dataset.state === 'error');
    assert((await page.textContent('#status')).includes('could not start'), 'status message');
    await page.setInputFiles('#file', [{ name: 'x.jpg', mimeType: 'image/jpeg', buffer: plainJpeg }]);
    await page.waitForSelector('article.result[data-level="error"]');
    eq(await page.evaluate(() => document.body.dataset.state), 'error', 'state after a file');
  } finally { await ctx.close(); }
});

// ---- 2. phone width + axe (separate context: axe is injected, so CSP is bypassed here only) ----
async function axeCheck(page, label) {
  await page.evaluate(() => document.querySelectorAll('details').forEach((d) => { d.open = true; }));
  await page.addScriptTag({ path: AXE_PATH });
  const result = await page.evaluate(() => window.axe.run(document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] }));
  const v = result.violations.map((x) => `${x.id} (${x.impact}): ${x.nodes.slice(0, 3).map((n) => n.target.join(' ')).join(', ')}`);
  eq(v, [], `axe violations (${label})`);
}

await test('360 px phone: no sideways scroll, screenshots; axe-core clean (en + hi, idle + results)', async () => {
  const { ctx, page, log } = await openPage({ width: 360, height: 740, bypassCSP: true });
  try {
    await axeCheck(page, 'idle');
    const files = corpusFiles.filter((c) => c.map || c.file.startsWith('png'))
      .map((c) => ({ name: c.file, mimeType: 'application/octet-stream', buffer: fs.readFileSync(path.join(corpusRoot, c.file)) }));
    await choose(page, [...files, { name: 'no-metadata.jpg', mimeType: 'image/jpeg', buffer: plainJpeg }]);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert(overflow <= 0, `page is ${overflow}px wider than the screen`);
    await page.screenshot({ path: path.join(outDir, 'phone-360-en.png'), fullPage: true });
    await page.screenshot({ path: path.join(outDir, 'phone-360-en-top.png') });
    await page.locator('article.result').first().scrollIntoViewIfNeeded();
    await page.screenshot({ path: path.join(outDir, 'phone-360-card-en.png') });
    await axeCheck(page, 'results en');
    await page.selectOption('#lang', 'hi');
    await page.screenshot({ path: path.join(outDir, 'phone-360-hi.png'), fullPage: true });
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(outDir, 'phone-360-hi-top.png') });
    await axeCheck(page, 'results hi');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('language from navigator.languages: a Hindi browser starts in Hindi', async () => {
  const { ctx, page } = await openPage({ locale: 'hi-IN' });
  try {
    eq(await page.getAttribute('html', 'lang'), 'hi', 'html lang');
    assert(DEVANAGARI.test(await page.textContent('#pick')), 'picker in Hindi');
  } finally { await ctx.close(); }
});

// ---- 3. timing: 12 MP JPEG, cold (first file after load) and warm ------------
await test('measure: 12 MP JPEG, file chosen → verdict, cold and warm', async () => {
  const { ctx, page, log } = await openPage();
  try {
    const big = await makeJpeg(page, 4000, 3000, 0.9, 40);
    // Fresh page so the first check is really cold (new worker instance, first call).
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached' });
    const readyMs = await page.evaluate(() => document.body.dataset.readyMs);
    const times = [];
    for (const name of ['cold-12mp.jpg', 'warm-12mp.jpg', 'warm2-12mp.jpg']) {
      await page.setInputFiles('#file', [{ name, mimeType: 'image/jpeg', buffer: big }]);
      await page.waitForFunction((n) => [...document.querySelectorAll('article.result')].some((a) =>
        a.querySelector('.file-name')?.textContent === n && a.dataset.ms), name, { timeout: 60000 });
      const card = await cardFor(page, name);
      times.push(Number(await card.getAttribute('data-ms')));
    }
    console.log(`     page ready (catalogs + wasm compiled + place table + worker) ${readyMs} ms after navigation`);
    console.log(`     12 MP JPEG (${(big.length / 1e6).toFixed(2)} MB): cold ${times[0]} ms, warm ${times[1]} ms / ${times[2]} ms (file chosen → verdict shown)`);
    assert(times[0] < 5000 && times[1] < 5000, 'too slow');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

server.close();
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
