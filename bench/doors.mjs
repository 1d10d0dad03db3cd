// Benchmark (not a test): for each front door (the app, the <think-twice> component,
// the npm package, the single-file build, the extension) its download size (gzip -9)
// and the time from choosing a 12 MP photo to the faces verdict, in Debian's headless
// Chromium, first photo (picture module and face model loading included) and second.
// Prints one table. Usage: node bench/doors.mjs   (after scripts/build-wasm.sh and
// scripts/fetch-models.sh; it runs build-single-file.sh, package-extension.sh and
// build-npm.sh itself). The photo: a face-corpus photo with three faces drawn at
// 4000 × 3000 with camera-like noise (a plain noisy picture without the corpus).
// "faces" is the moment the door knows the faces; doors that tell faces and codes
// together (component, extension) are timed to that joint verdict, marked "+codes".

import { chromium } from 'playwright-core';
import { serveStatic } from '../tests/e2e/harness.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const www = path.join(root, 'www');
const dist = path.join(root, 'dist');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const RUNS = 2;

for (const f of ['pkg/thinktwice_bg.wasm', 'pkg-faces/thinktwice_faces_bg.wasm', 'models/centerface.ttfw']) {
  if (!fs.existsSync(path.join(www, f))) { console.error(`www/${f} is missing: run scripts/build-wasm.sh and scripts/fetch-models.sh`); process.exit(1); }
}
for (const script of ['build-single-file.sh', 'package-extension.sh', 'build-npm.sh']) {
  execFileSync('bash', [`scripts/${script}`], { cwd: root, stdio: 'ignore' });
}

// ---- sizes (gzip -9) ----
const gz = (file) => zlib.gzipSync(fs.readFileSync(file), { level: 9 }).length;
const sum = (files) => files.map((f) => gz(path.join(www, f))).reduce((a, b) => a + b, 0);
const core = sum(['engine/engine.js', 'engine/client.js', 'engine/copy.js', 'engine/worker.js', 'engine/serve.js', 'i18n/catalog.js', 'i18n/en.json', 'pkg/thinktwice.js', 'pkg/thinktwice_bg.wasm']);
const CODES = ['pkg-codes/thinktwice_codes.js', 'pkg-codes/thinktwice_codes_bg.wasm'];
const picture = sum(['engine/picture.js', 'app/faces-worker.js', 'pkg-faces/thinktwice_faces.js', 'pkg-faces/thinktwice_faces_bg.wasm', 'models/centerface.ttfw', ...CODES]);
// Fetched only when a copy that draws the picture again is asked for (covering faces or codes, TIFF).
const copy = sum(['engine/copy-worker.js', 'pkg-copy/thinktwice_copy.js', 'pkg-copy/thinktwice_copy_bg.wasm']);
const appFiles = ['index.html', 'app/styles.css', ...fs.readdirSync(path.join(www, 'app')).filter((f) => f.endsWith('.js') && f !== 'faces-worker.js').map((f) => `app/${f}`),
  'engine/engine.js', 'engine/client.js', 'engine/copy.js', 'engine/picture.js', 'engine/worker.js', 'engine/serve.js', 'i18n/catalog.js', 'i18n/languages.json', 'i18n/en.json', 'pkg/thinktwice.js', 'pkg/thinktwice_bg.wasm']
  .filter((f) => fs.existsSync(path.join(www, f)));
const appPicture = sum(['app/faces-worker.js', 'pkg-faces/thinktwice_faces.js', 'pkg-faces/thinktwice_faces_bg.wasm', 'models/centerface.ttfw', ...CODES]);
const tgz = fs.readdirSync(dist).find((f) => /^thinktwice-.*\.tgz$/.test(f));
const sizes = {
  app: `${kib(sum(appFiles))} + ${kib(appPicture)} picture + ${kib(copy)} copy`,
  component: `${kib(core + gz(path.join(www, 'component/think-twice.js')))} + ${kib(picture)} picture + ${kib(copy)} copy`,
  npm: `${kib(core + gz(path.join(dist, 'npm/index.js')))} + ${kib(picture)} picture + ${kib(copy)} copy (tarball ${kib(fs.statSync(path.join(dist, tgz)).size)})`,
  'single file': `${kib(gz(path.join(dist, 'thinktwice.html')))} (everything)`,
  extension: `${kib(fs.statSync(path.join(dist, 'thinktwice-extension.zip')).size)} zip (everything)`,
};
function kib(n) { return `${(n / 1024).toFixed(0)} KiB`; }

// ---- the photo and the pages ----
const corpus = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
  .filter(Boolean).find((p) => fs.existsSync(path.join(p, 'faces/images/dlib_2008_002506.jpg')));
const NPM_PAGE = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body>
<input type="file" id="f"><script type="module">
import { checkPhoto } from '/npm/index.js';
document.getElementById('f').addEventListener('change', async (e) => {
  const file = e.target.files[0];
  const report = await checkPhoto(file, { codes: e.target.dataset.codes === 'on' });
  window.done = { faces: (report.faces || []).length, at: performance.now() };
});
</script></body></html>`;
const { server, base } = await serveStatic(www, { mounts: { '/npm/': path.join(dist, 'npm') }, pages: {
  '/__bench/npm.html': NPM_PAGE,
  '/__bench/upload.html': '<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"></head><body><input type="file" id="f"></body></html>',
} });

async function browser(extra = {}) {
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-doors-')), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1100, height: 900 }, ...extra });
  return { ctx, page: ctx.pages()[0] || await ctx.newPage() };
}

async function make12mp(page) {
  const source = corpus ? fs.readFileSync(path.join(corpus, 'faces/images/dlib_2008_002506.jpg')).toString('base64') : null;
  const b64 = await page.evaluate(async (src) => {
    const w = 4000, h = 3000, canvas = new OffscreenCanvas(w, h), g = canvas.getContext('2d');
    g.fillStyle = '#8aa'; g.fillRect(0, 0, w, h);
    if (src) g.drawImage(await createImageBitmap(new Blob([Uint8Array.from(atob(src), (c) => c.charCodeAt(0))])), 0, 0, w, h);
    const img = g.getImageData(0, 0, w, h);
    let seed = 12345;
    for (let i = 0; i < img.data.length; i += 4) {
      seed = (seed * 1103515245 + 12345) >>> 0; const n = ((seed >>> 24) % 24) - 12;
      img.data[i] += n; img.data[i + 1] += n; img.data[i + 2] += n;
    }
    g.putImageData(img, 0, 0);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer());
    let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, source);
  return Buffer.from(b64, 'base64');
}

/** Times `choose` → `settled` (a function polled in the page) RUNS times, each with a new file name. */
async function timed(page, choose, settled) {
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const t0 = Date.now();
    await choose(`photo${i}.jpg`);
    await page.waitForFunction(settled, `photo${i}.jpg`, { timeout: 300000, polling: 50 });
    times.push(Date.now() - t0);
  }
  return times;
}

const rows = [];
/** Keeps a row and says it at once (a later door that fails does not lose the earlier figures). */
function add(row) { rows.push(row); console.error(`  ${row[0]}: ${row[1]} ${row[2].join(' ms, ')} ms`); }
let photo;
{
  const { ctx, page } = await browser();
  photo = await make12mp(page);
  await ctx.close();
}
const file = (name) => ({ name, mimeType: 'image/jpeg', buffer: photo });
// The app and the single file: the card for this name exists and no face check is still looking.
const appFaces = (name) => {
  const card = [...document.querySelectorAll('article.result')].find((c) => c.querySelector('h3.file-name')?.textContent === name);
  return card && document.body.dataset.state === 'done' && !card.querySelector('[data-face-check="looking"]');
};

for (const [door, url] of [['app', `${base}/index.html`], ['single file', pathToFileURL(path.join(dist, 'thinktwice.html')).href]]) {
  const { ctx, page } = await browser();
  await page.goto(url);
  await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 60000 });
  add([door, 'faces', await timed(page, (n) => page.setInputFiles('#file', file(n)), appFaces)]);
  await ctx.close();
}
{
  const { ctx, page } = await browser();
  await page.goto(`${base}/embed-example.html`);
  const input = page.locator('think-twice#checker input[type=file]');
  await input.waitFor({ state: 'attached' });
  const settled = (name) => [...document.querySelector('think-twice#checker').shadowRoot.querySelectorAll('.result[data-picture="done"]')]
    .some((r) => r.textContent.includes(name));
  add(['component', 'faces+codes', await timed(page, (n) => input.setInputFiles(file(n)), settled)]);
  await ctx.close();
}
for (const codes of ['off', 'on']) {
  const { ctx, page } = await browser();
  await page.goto(`${base}/__bench/npm.html`);
  await page.evaluate((c) => { document.getElementById('f').dataset.codes = c; }, codes);
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    await page.evaluate(() => { window.done = null; });
    const t0 = Date.now();
    await page.setInputFiles('#f', file(`photo${i}.jpg`));
    await page.waitForFunction(() => window.done, null, { timeout: 300000, polling: 50 });
    times.push(Date.now() - t0);
  }
  add(['npm', codes === 'off' ? 'faces ({codes:false})' : 'faces+codes', times]);
  await ctx.close();
}
{
  const EXT = path.join(dist, 'thinktwice-extension');
  const { ctx, page } = await browser({ ignoreDefaultArgs: ['--disable-extensions'],
    args: [...ARGS, `--disable-extensions-except=${EXT}`, `--load-extension=${EXT}`] });
  if (!ctx.serviceWorkers().length) await ctx.waitForEvent('serviceworker', { timeout: 10000 });
  await page.close();
  const times = [];
  for (let i = 0; i < RUNS; i++) {
    const tab = await ctx.newPage(); // a fresh page each time: the card waits for its answer
    await tab.goto(`${base}/__bench/upload.html`);
    const t0 = Date.now();
    await tab.setInputFiles('#f', file(`photo${i}.jpg`));
    await tab.waitForSelector('thinktwice-warning[data-state="shown"]', { state: 'attached', timeout: 300000 });
    times.push(Date.now() - t0);
    await tab.close();
  }
  add(['extension', 'faces+codes (card)', times]);
  await ctx.close();
}
server.close();

console.log(`12 MP photo: ${(photo.length / 1e6).toFixed(2)} MB JPEG, 4000 × 3000${corpus ? ', three faces' : ' (no face corpus: no faces)'}; ${os.cpus().length} cores; Chromium headless`);
console.log('| door | download (gzip -9) | verdict timed | 1st photo | 2nd photo |');
console.log('|---|---|---|---|---|');
for (const [door, what, t] of rows) console.log(`| ${door} | ${sizes[door]} | ${what} | ${t[0]} ms | ${t[1]} ms |`);
