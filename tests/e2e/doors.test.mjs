// End-to-end tests of the "front doors" in Debian's headless Chromium
// (playwright-core): the <think-twice> web component on a plain page, the npm
// package's checkPhoto/saferCopy, the single-file build opened from file://,
// the offline service worker, and the MV3 extension intercepting a photo chosen
// in a page's <input type=file> (warning card, then continue / cancel / safer
// copy, checked by reading the bytes the page received). Faces and codes at
// every door: on a photo with NO metadata (a corpus photo with hand-drawn face
// boxes, redrawn by a canvas with a real Wi-Fi QR code stuck beside it) the
// component and the npm package find the faces and the code and never say "no
// hidden details"; the component's safer copy has the faces covered (pixels
// compared with the original inside the hand-drawn boxes); the single file
// finds faces from file:// with zero requests; the extension shows the gentle
// faces card on a face-only photo, sends the covered copy when asked and stops
// asking on a site after "don't ask again". Each door's download size and the time
// from choosing a 12 MP photo to the faces verdict are measured by bench/doors.mjs.
// Photos are made at test time (examples/make_fixtures.rs); the face tests need the
// face corpus (../shared/corpus or THINKTWICE_CORPUS) and say "skip" without it.
// Builds dist/ itself (single file, extension, npm) from www/pkg.
// Last line: "N passed, N failed"; exit code 1 on any failure.

import { chromium } from 'playwright-core';
import { serveStatic, runner, assert, eq } from './harness.mjs';
import { WIFI_QR, iou, assertFacesCovered, detailIn } from './picture.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
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

// ---- a photo with faces and no metadata (from the face corpus), with and without a QR code ----
const corpusBase = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
  .filter(Boolean).find((p) => fs.existsSync(path.join(p, 'faces/annotations_detailed.json')));
const FACE_PHOTO = 'dlib_2008_002506.jpg'; // 500 × 375, three clear faces, hand-drawn boxes
const SCALE = 1.6; // drawn at 800 × 600
const QR_AT = { x: 846, y: 230, module: 4 }; // a sticker right of the photo, on a 1000 × 600 canvas
let faceFixture = null; // {facesQr, facesOnly: paths, faces: [[x, y, w, h]] in the drawn photos, qr: [x, y, w, h]}
if (corpusBase) {
  const detailed = JSON.parse(fs.readFileSync(path.join(corpusBase, 'faces/annotations_detailed.json'), 'utf8'));
  const source = fs.readFileSync(path.join(corpusBase, 'faces/images', FACE_PHOTO));
  const drawer = await chromium.launch({ executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  const page = await drawer.newPage();
  const draw = (width, qr) => page.evaluate(async ({ b64, width, qr, matrix, scale }) => {
    const photo = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
    const canvas = new OffscreenCanvas(width, 600);
    const g = canvas.getContext('2d');
    g.fillStyle = '#c8d3dc';
    g.fillRect(0, 0, width, 600);
    g.drawImage(photo, 0, 0, photo.width * scale, photo.height * scale);
    if (qr) {
      const quiet = 4 * qr.module;
      g.fillStyle = '#f4f4f0';
      g.fillRect(qr.x - quiet, qr.y - quiet, matrix.length * qr.module + 2 * quiet, matrix.length * qr.module + 2 * quiet);
      g.fillStyle = '#161616';
      matrix.forEach((row, y) => [...row].forEach((c, x) => { if (c === '#') g.fillRect(qr.x + x * qr.module, qr.y + y * qr.module, qr.module, qr.module); }));
    }
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.92 })).arrayBuffer());
    let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, { b64: source.toString('base64'), width, qr, matrix: WIFI_QR, scale: SCALE });
  faceFixture = {
    facesQr: path.join(fixtureDir, 'faces-qr.jpg'), facesOnly: path.join(fixtureDir, 'faces-only.jpg'),
    faces: detailed[FACE_PHOTO].faces.map((f) => f.bbox.map((v) => v * SCALE)),
    qr: [QR_AT.x, QR_AT.y, WIFI_QR.length * QR_AT.module, WIFI_QR.length * QR_AT.module],
  };
  fs.writeFileSync(faceFixture.facesQr, Buffer.from(await draw(1000, QR_AT), 'base64'));
  fs.writeFileSync(faceFixture.facesOnly, Buffer.from(await draw(800, null), 'base64'));
  await drawer.close();
} else {
  console.log('skip (face tests): the face corpus was not found (set THINKTWICE_CORPUS)');
}

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
  '/__test/npm-faces.js': `
import { checkPhoto, saferCopy } from '/npm/index.js';
const bytes = new Uint8Array(await (await fetch('/__fixtures/faces-qr.jpg')).arrayBuffer());
const report = await checkPhoto(new Blob([bytes], { type: 'image/jpeg' }), { lang: 'hi' });
const bare = await checkPhoto(bytes, { faces: false, codes: false });
const codesOnly = await checkPhoto(bytes, { faces: false });
const facesOnly = await checkPhoto(bytes, { codes: false });
const copy = await saferCopy(bytes, { report });
const brief = (r) => ({ faces: r.faces, codes: r.codes, ids: r.findings.map((f) => f.id) });
window.result = { risk: report.risk, ids: report.findings.map((f) => f.id), faces: report.faces, codes: report.codes,
  lang: report.lang, bareRisk: bare.risk, bareFaces: bare.faces, covered: copy.covered, copyFaces: copy.report.faces,
  codesOnly: brief(codesOnly), facesOnly: brief(facesOnly) };`,
  '/__test/npm-faces.html': `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,">
<script type="module" src="npm-faces.js"></script></head><body></body></html>`,
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

// ---- 0. the wasm modules: each job in its own, none exports another's functions ------
await test('wasm modules: core, faces, codes and copy each export their own functions, none of another\'s', async () => {
  const exportsOf = (file) => [...fs.readFileSync(path.join(www, file), 'utf8').matchAll(/^export (?:function|class) (\w+)/gm)]
    .map((m) => m[1]).filter((name) => name !== 'initSync' && name !== 'start'); // start: the shared panic hook (src/wasm/mod.rs)
  const modules = { core: 'pkg/thinktwice.js', faces: 'pkg-faces/thinktwice_faces.js', codes: 'pkg-codes/thinktwice_codes.js', copy: 'pkg-copy/thinktwice_copy.js' };
  const names = Object.fromEntries(Object.entries(modules).map(([k, f]) => [k, exportsOf(f)]));
  const owner = {};
  for (const [module, list] of Object.entries(names)) {
    assert(list.length > 0, `${module}: no exports read`);
    for (const name of list) {
      assert(!owner[name], `${name} is exported by both ${owner[name]} and ${module}`);
      owner[name] = module;
    }
  }
  for (const [name, module] of [['check', 'core'], ['FaceDetector', 'faces'], ['findCodes', 'codes'], ['cleanRedrawn', 'copy']]) {
    assert(owner[name] === module, `${name} is in ${owner[name]}, not ${module}`);
  }
  const wasm = (f) => fs.readFileSync(path.join(www, f));
  const sizes = Object.fromEntries(Object.entries(modules).map(([k, f]) => [k, wasm(f.replace(/\.js$/, '_bg.wasm')).length]));
  console.log(`     wasm bytes: ${JSON.stringify(sizes)}`);
});

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
    await page.waitForFunction(() => window.events.length === 1, null, { timeout: 60000 });
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


// ---- 1c. faces and codes at the doors (photo with no metadata) --------------------
/** A part of the drawn photos with no face in it (the bottom strip), for the control measurement. */
const CONTROL = [0, 560, 800, 40];

/** Every hand-drawn face matched by one of `boxes` (IoU ≥ 0.4); returns how many were matched. */
function facesMatched(boxes) {
  return faceFixture.faces.filter((f) => boxes.some((b) => iou(f, b) >= 0.4)).length;
}

await test('web component: faces and a QR code on a photo with no metadata; boxes over the photo; never "no hidden details"; safer copy covers the faces (pixels)', async () => {
  if (!faceFixture) { console.log('     skip: no face corpus'); return; }
  assert(faceFixture.faces.every((f) => iou(f, CONTROL) === 0), 'the control strip must hold no face');
  const { ctx, page, errors, requests } = await browser();
  try {
    await page.goto(`${base}/embed-example.html`);
    await page.locator('think-twice#checker button.pick').waitFor();
    await new Promise((r) => setTimeout(r, 300));
    const early = requests.filter((u) => /pkg-faces|pkg-codes|centerface|faces-worker|pkg-copy|copy-worker/.test(u));
    assert(!early.length, `the picture module loaded before a photo was chosen: ${early.join(', ')}`);
    const checker = page.locator('think-twice#checker');
    await checker.locator('input[type=file]').setInputFiles(faceFixture.facesQr);
    await checker.locator('.result[data-picture="done"]').waitFor({ timeout: 120000 });
    const result = checker.locator('.result');
    const level = await result.getAttribute('data-level');
    assert(level === 'high' || level === 'medium', `level ${level}`);
    const ids = await checker.locator('li[data-id]').evaluateAll((els) => els.map((e) => e.dataset.id));
    assert(ids.includes('faces') && ids.includes('barcode'), `findings ${ids}`);
    const text = await result.textContent();
    assert(!/no hidden details/i.test(text), `the component said "no hidden details" about a photo with faces: ${text.slice(0, 160)}`);
    const marks = await checker.locator('.photo .mark').evaluateAll((els) => els.map((e) => ({
      kind: e.dataset.kind, box: ['left', 'top', 'width', 'height'].map((k) => parseFloat(e.style[k])) })));
    const px = (b) => [b[0] * 10, b[1] * 6, b[2] * 10, b[3] * 6]; // percent of 1000 × 600
    const faceBoxes = marks.filter((m) => m.kind === 'face').map((m) => px(m.box));
    const codeBoxes = marks.filter((m) => m.kind === 'code').map((m) => px(m.box));
    console.log(`     ${faceBoxes.length} face boxes (${facesMatched(faceBoxes)}/${faceFixture.faces.length} hand-drawn faces matched), ${codeBoxes.length} code boxes`);
    assert(facesMatched(faceBoxes) === faceFixture.faces.length, 'not every hand-drawn face has a box over it');
    assert(codeBoxes.length === 1 && iou(codeBoxes[0], faceFixture.qr) >= 0.5, `code box ${JSON.stringify(codeBoxes)} vs drawn ${faceFixture.qr}`);

    const copyModule = () => requests.filter((u) => /pkg-copy\/thinktwice_copy_bg\.wasm$/.test(u)).length;
    eq(copyModule(), 0, 'looking at the photo fetched the copy module');
    // The copy as the host page gets it (the thinktwice-copy event; its CSP would block fetching the blob: link).
    await page.evaluate(() => document.addEventListener('thinktwice-copy', (e) => { window.copy = e.detail; }));
    await checker.locator('button.make-copy').click();
    await checker.locator('a.download').waitFor({ timeout: 60000 });
    const copy = Buffer.from(await page.evaluate(async () => {
      const bytes = new Uint8Array(await window.copy.blob.arrayBuffer());
      let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
      return btoa(s);
    }), 'base64');
    assert(copy[0] === 0xff && copy[1] === 0xd8, 'the copy is not a JPEG');
    eq(copyModule(), 1, 'the covered copy fetched the copy module, once');
    await assertFacesCovered(page, fs.readFileSync(faceFixture.facesQr), copy, faceFixture.faces, CONTROL);
    const [qrBefore, qrAfter] = [await detailIn(page, fs.readFileSync(faceFixture.facesQr), [faceFixture.qr]), await detailIn(page, copy, [faceFixture.qr])];
    assert(qrAfter[0] / qrBefore[0] < 0.35, 'the Wi-Fi QR code (judged high by the core) is not covered by default');
    await page.screenshot({ path: path.join(outDir, 'doors-component-faces.png'), fullPage: true });
    const foreign = requests.filter((u) => !u.startsWith(base) && !/^(blob|data):/.test(u));
    assert(!foreign.length, `requests to other places: ${foreign.join(', ')}`);
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

await test('web component: metadata-only does not look at the picture and says so', async () => {
  const { ctx, page, errors, requests } = await browser();
  try {
    await page.goto(`${base}/embed-example.html`);
    await page.evaluate(() => document.querySelector('think-twice#checker').setAttribute('metadata-only', ''));
    const checker = page.locator('think-twice#checker');
    await checker.locator('input[type=file]').setInputFiles(faceFixture ? faceFixture.facesOnly : GPS_JPG);
    await checker.locator('.result[data-picture="off"]').waitFor({ timeout: 20000 });
    await new Promise((r) => setTimeout(r, 500));
    assert(/not checked here/i.test(await checker.locator('.result').textContent()), 'no note that faces and codes were not checked');
    assert(!requests.some((u) => /pkg-faces|pkg-codes|pkg-copy|centerface|faces-worker/.test(u)), 'metadata-only loaded the picture modules');
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

await test('npm package: checkPhoto finds faces and the QR code on a photo with no metadata (on by default); saferCopy covers them', async () => {
  if (!faceFixture) { console.log('     skip: no face corpus'); return; }
  const { ctx, page, errors } = await browser();
  try {
    await page.goto(`${base}/__test/npm-faces.html`);
    await page.waitForFunction(() => window.result, null, { timeout: 120000 });
    const r = await page.evaluate(() => window.result);
    assert(r.risk === 'high' || r.risk === 'medium', `risk ${r.risk}: "no hidden details" about a photo with faces`);
    assert(r.ids.includes('faces') && r.ids.includes('barcode'), `ids ${r.ids}`);
    assert(facesMatched(r.faces.map((f) => [f.x, f.y, f.w, f.h])) === faceFixture.faces.length, `faces ${JSON.stringify(r.faces)}`);
    assert(r.codes.length === 1 && r.codes[0].kind === 'wifi' && iou([r.codes[0].x, r.codes[0].y, r.codes[0].w, r.codes[0].h], faceFixture.qr) >= 0.5, `codes ${JSON.stringify(r.codes)}`);
    assert(r.lang === 'hi', `lang ${r.lang}`);
    assert(r.bareFaces == null && r.bareRisk === 'none', `faces:false, codes:false still looked: ${r.bareRisk} ${r.bareFaces}`);
    // Each look can be turned off alone (issue #18: `faces: false` alone used to look for faces anyway).
    const c = r.codesOnly;
    assert(c.faces == null && !c.ids.includes('faces'), `faces:false still looked for faces: ${JSON.stringify(c.faces)} ${c.ids}`);
    assert(c.codes && c.codes.length === 1 && c.ids.includes('barcode'), `faces:false lost the codes: ${JSON.stringify(c.codes)} ${c.ids}`);
    const f = r.facesOnly;
    assert(f.codes == null && !f.ids.includes('barcode'), `codes:false still read codes: ${JSON.stringify(f.codes)}`);
    assert(f.faces && f.faces.length === r.faces.length && f.ids.includes('faces'), `codes:false lost the faces: ${JSON.stringify(f.faces)}`);
    assert(r.covered.length === r.faces.length + 1, `covered ${JSON.stringify(r.covered)}`);
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

await test('single file: finds faces and codes and covers the faces from file:// with zero requests', async () => {
  if (!faceFixture) { console.log('     skip: no face corpus'); return; }
  const { ctx, page, errors, requests } = await browser();
  try {
    await page.goto(pathToFileURL(path.join(dist, 'thinktwice.html')).href);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 60000 });
    await page.setInputFiles('#file', faceFixture.facesOnly);
    await page.waitForSelector('[data-face-check="done"], [data-face-check="failed"], [data-face]', { state: 'attached', timeout: 120000 });
    await page.waitForFunction(() => !document.querySelector('[data-face-check="looking"]'), null, { timeout: 120000 });
    const boxes = await page.locator('article.result [data-face]').count();
    assert(boxes >= faceFixture.faces.length, `${boxes} face boxes in the single file`);
    assert(await page.locator('article.result [data-finding="faces"]').count() === 1, 'no faces finding');
    // The codes were looked for too (they are added after the faces), and covering the faces works from the
    // file (the copy worker is inlined).
    await page.waitForFunction(() => !document.querySelector('[data-code-check="looking"]'), null, { timeout: 120000 });
    const codeCheck = await page.locator('article.result [data-code-check]').getAttribute('data-code-check').catch(() => 'none');
    assert(codeCheck === 'done', `codes not looked for in the single file (${codeCheck})`);
    await page.locator('article.result .safer [data-choice="cover_faces"] input').check();
    await page.locator('article.result button.make-copy').click();
    await page.locator('article.result a.download').waitFor({ timeout: 120000 });
    assert((await page.locator('article.result .safer-done').textContent()).includes('covered for good'), 'no covered copy in the single file');
    const net = requests.filter((u) => !u.startsWith('file:') && !u.startsWith('blob:') && !u.startsWith('data:'));
    assert(!net.length, `network requests: ${net.join(', ')}`);
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

// ---- 2b. the hosted app keeps working offline once visited ----------------------
await test('service worker: the hosted app loads and checks a photo offline after one visit', async () => {
  const { ctx, page, errors } = await browser();
  try {
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 20000 });
    await page.waitForFunction(() => navigator.serviceWorker.controller || navigator.serviceWorker.ready.then(() => true), null, { timeout: 10000 });
    // The visit checks a photo, which fetches (and so stores) the place table too.
    await page.setInputFiles('#file', GPS_JPG);
    await page.waitForSelector('body[data-places]', { state: 'attached', timeout: 20000 });
    await ctx.setOffline(true);
    await page.reload();
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 20000 });
    await page.setInputFiles('#file', GPS_JPG);
    await page.waitForSelector('article.result[data-level="high"]', { timeout: 20000 });
    await page.waitForSelector('article.result .place-words', { timeout: 20000 }); // named offline
    // The page under its other name is the same stored page (sw.js SAME_AS), and the help page was kept too.
    await page.goto(`${base}/index.html`);
    await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 20000 });
    await page.goto(`${base}/help.html`);
    await page.waitForSelector('main, h1', { timeout: 20000 });
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

/** The first node in the page (closed shadow roots included, through CDP) that `match(node)` accepts. */
async function findInCard(cdp, match) {
  const { root } = await cdp.send('DOM.getDocument', { depth: -1, pierce: true });
  let found = null;
  const walk = (n) => {
    if (found || !n) return;
    if (match(n)) { found = n; return; }
    for (const c of [...(n.children || []), ...(n.shadowRoots || [])]) walk(c);
  };
  walk(root);
  return found;
}

/** Clicks a control (data-action) inside the card's CLOSED shadow root, as a user would (trusted mouse click). */
async function clickCard(ctx, page, action) {
  const cdp = await ctx.newCDPSession(page);
  const found = await findInCard(cdp, (n) => {
    const a = n.attributes || [];
    for (let i = 0; i < a.length; i += 2) if (a[i] === 'data-action' && a[i + 1] === action) return true;
    return false;
  });
  assert(found, `no "${action}" control in the card`);
  const { model } = await cdp.send('DOM.getBoxModel', { backendNodeId: found.backendNodeId });
  const q = model.content;
  await page.mouse.click((q[0] + q[4]) / 2, (q[1] + q[5]) / 2);
  await cdp.detach();
}

/** The card's heading text, read through CDP (the page itself cannot read the closed root). */
async function cardHeading(ctx, page) {
  const cdp = await ctx.newCDPSession(page);
  const h2 = await findInCard(cdp, (n) => n.nodeName === 'H2');
  const { outerHTML } = h2 ? await cdp.send('DOM.getOuterHTML', { backendNodeId: h2.backendNodeId }) : { outerHTML: '' };
  await cdp.detach();
  return outerHTML.replace(/<[^>]*>/g, '');
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
    await page.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 90000 });
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
    await page.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 90000 });
    await clickCard(ctx, page, 'continue');
    await waitFor(() => received.length === 1, 20000, 'page receives the original');
    assert(Buffer.from(received[0].b64, 'base64').equals(gpsBytes), 'original bytes changed');

    await page.setInputFiles('#f', []);
    await page.setInputFiles('#f', XSS_JPG.replace('xss', 'gps'));
    await page.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 90000 });
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
    await page.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 90000 });
    assert(received.length === 1, 'the drop reached the page before the person chose');
    await clickCard(ctx, page, 'safer');
    await waitFor(() => received.length === 2, 20000, 'page receives the dropped safer copy');
    assert(received[1].via === 'drop' && received[1].name === 'dropped.jpg', `drop ${received[1].via} ${received[1].name}`);
    assert(!(await hasGps(Buffer.from(received[1].b64, 'base64'))), 'dropped copy still has GPS');
  });
});

await test('extension: a face-only photo gets the gentle faces card; "send with faces covered" sends a covered copy; "don\'t ask again" is per site', async () => {
  if (!faceFixture) { console.log('     skip: no face corpus'); return; }
  const original = fs.readFileSync(faceFixture.facesOnly);
  await withExtension(async ({ ctx, page, received }) => {
    await page.setInputFiles('#f', faceFixture.facesOnly);
    await page.waitForSelector('thinktwice-warning[data-kind="faces"]', { state: 'attached', timeout: 120000 });
    assert(received.length === 0, 'the page got the file before the person chose');
    const heading = await cardHeading(ctx, page);
    assert(/This photo shows 3 faces\. Is this a site you trust with them\?/.test(heading), `card heading: ${heading}`);
    await page.screenshot({ path: path.join(outDir, 'doors-extension-faces-card.png') });
    await clickCard(ctx, page, 'cover');
    await waitFor(() => received.length === 1, 60000, 'page receives the covered copy');
    const got = Buffer.from(received[0].b64, 'base64');
    assert(received[0].type === 'image/jpeg' && got[0] === 0xff && got[1] === 0xd8, `copy ${received[0].type}`);
    await assertFacesCovered(page, original, got, faceFixture.faces, CONTROL);

    // "Don't ask again on this site", then "send as it is": the original goes, and the next face-only photo passes quietly.
    await page.setInputFiles('#f', []);
    await page.setInputFiles('#f', faceFixture.facesOnly);
    await page.waitForSelector('thinktwice-warning[data-kind="faces"]', { state: 'attached', timeout: 120000 });
    await clickCard(ctx, page, 'dont-ask');
    await clickCard(ctx, page, 'continue');
    await waitFor(() => received.length === 2, 30000, 'page receives the original');
    assert(Buffer.from(received[1].b64, 'base64').equals(original), 'original bytes changed');
    await page.setInputFiles('#f', []);
    await page.setInputFiles('#f', faceFixture.facesOnly);
    await waitFor(() => received.length === 3, 120000, 'page receives the photo without a card');
    assert(await page.locator('thinktwice-warning').count() === 0, 'asked again after "don\'t ask again"');
    // Other warnings still come: a GPS photo on the same site gets the full card.
    await page.setInputFiles('#f', []);
    await page.setInputFiles('#f', GPS_JPG);
    await page.waitForSelector('thinktwice-warning[data-kind="warn"]', { state: 'attached', timeout: 60000 });
    await clickCard(ctx, page, 'cancel');
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

server.close();
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
