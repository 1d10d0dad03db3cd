// The extension in Firefox (Debian's firefox-esr, headless), driven over WebDriver BiDi
// by puppeteer-core: the unpacked extension (scripts/package-extension.sh) is installed
// as a temporary add-on, and a photo chosen in a page's <input type=file> must bring
// the warning card before the page gets anything: the full card (kind "warn") for a
// photo with GPS, the gentle faces card (kind "faces") for a photo whose only risk is
// its faces (Firefox's background page runs the picture checks itself, no offscreen
// document). The card sits in a CLOSED shadow root and takes trusted clicks only; it
// focuses its first button, so a real Enter key (WebDriver BiDi input) chooses it:
// "Send a safer copy" (the page then gets a file without GPS, read by exifr) and "Send
// with faces covered" (the page gets a copy whose hand-drawn face boxes lost their
// detail). Not covered in Firefox: the other buttons ("as it is", "cancel", "don't ask
// again"), which Chromium's tests reach through CDP; Firefox offers no way into a closed
// root, and tabbing to them blind would test the tab order, not the choice.
// puppeteer-core (pinned below) is installed once into target/firefox-proof, not into
// the project. Skips, saying so, when firefox-esr is not installed (apt-get install
// firefox-esr) or the face corpus is absent (the faces photo).
// Last line: "N passed, N failed"; exit code 1 on any failure.

import { serveStatic, runner, assert } from './harness.mjs';
import { assertFacesCovered } from './picture.mjs';
import exifr from 'exifr';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const PUPPETEER = '25.16.0';
const FIREFOX = process.env.FIREFOX_BIN || '/usr/bin/firefox-esr';
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const scratch = path.join(root, 'target', 'firefox-proof');
const EXT = path.join(root, 'dist', 'thinktwice-extension');
const { test, counts } = runner();

if (!fs.existsSync(FIREFOX)) {
  console.log(`skip: ${FIREFOX} is not installed (apt-get install firefox-esr)`);
  console.log('0 passed, 0 failed');
  process.exit(0);
}
if (!fs.existsSync(path.join(root, 'www/pkg/thinktwice_bg.wasm'))) {
  console.log('www/pkg is missing: run scripts/build-wasm.sh first');
  console.log('0 passed, 1 failed');
  process.exit(1);
}
const sh = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
fs.mkdirSync(scratch, { recursive: true });
if (!fs.existsSync(path.join(scratch, 'node_modules/puppeteer-core/package.json'))) {
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({ name: 'firefox-proof', private: true, devDependencies: { 'puppeteer-core': PUPPETEER } }));
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: scratch, stdio: 'inherit', env: { ...process.env, PUPPETEER_SKIP_DOWNLOAD: '1' } });
}
const puppeteer = createRequire(path.join(scratch, 'package.json'))('puppeteer-core');
sh('bash', ['scripts/package-extension.sh']);

// Photos: the GPS fixture (examples/make_fixtures.rs) and a face-corpus photo with no metadata.
const fixtures = path.join(root, 'e2e-out', 'firefox-fixtures');
fs.mkdirSync(fixtures, { recursive: true });
sh('cargo', ['run', '-q', '--example', 'make_fixtures', '--', fixtures]);
const FACE_PHOTO = 'dlib_2008_002506.jpg'; // 500 × 375, three clear faces, hand-drawn boxes, no metadata
const corpus = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
  .filter(Boolean).find((p) => fs.existsSync(path.join(p, 'faces/images', FACE_PHOTO)));
const hasGps = async (buf) => { const g = await exifr.gps(buf).catch(() => null); return !!(g && Number.isFinite(g.latitude)); };

const UPLOAD = `<!doctype html><html><head><meta charset="utf-8"><link rel="icon" href="data:,"><title>upload</title></head>
<body><h1>Post a photo</h1><input type="file" id="f" accept="image/*"><script>
window.received = [];
document.getElementById('f').addEventListener('change', async (e) => {
  for (const file of e.target.files) {
    const bytes = new Uint8Array(await file.arrayBuffer());
    let s = ''; for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    window.received.push(btoa(s));
  }
});
</script></body></html>`;
const { server, base } = await serveStatic(path.join(root, 'www'), { pages: { '/__test/upload.html': UPLOAD } });

const browser = await puppeteer.launch({
  browser: 'firefox', executablePath: FIREFOX, headless: true, protocol: 'webDriverBiDi',
  userDataDir: fs.mkdtempSync(path.join(os.tmpdir(), 'tt-firefox-')),
  extraPrefsFirefox: { 'extensions.manifestV3.enabled': true, 'xpinstall.signatures.required': false },
});

/**
 * Chooses `file` in a fresh upload page; throws if the page got it before the card showed.
 * Then presses Enter (the card's first button has the focus) and resolves with the card's kind
 * and the bytes the page received.
 */
async function chooseThenEnter(file) {
  const page = await browser.newPage();
  try {
    await page.goto(`${base}/__test/upload.html`);
    const input = await page.$('#f');
    await input.uploadFile(file);
    await page.waitForSelector('thinktwice-warning[data-state="shown"]', { timeout: 120000 });
    const kind = await page.$eval('thinktwice-warning', (el) => el.dataset.kind);
    const early = await page.evaluate(() => window.received.length);
    assert(early === 0, `the page got ${early} file(s) before the person chose`);
    await page.keyboard.press('Enter');
    await page.waitForFunction(() => window.received.length > 0, { timeout: 120000 });
    await page.waitForSelector('thinktwice-warning', { hidden: true, timeout: 10000 });
    const received = (await page.evaluate(() => window.received)).map((b64) => Buffer.from(b64, 'base64'));
    return { kind, received, page };
  } catch (err) {
    await page.close();
    throw err;
  }
}

try {
  await test('Firefox: the extension installs as a temporary add-on (MV3, background script)', async () => {
    const id = await browser.installExtension(EXT);
    assert(/thinktwice/.test(id), `add-on id ${id}`);
  });
  await test('Firefox: a GPS photo brings the warning card first; Enter on "Send a safer copy" gives the page a file without GPS', async () => {
    const original = path.join(fixtures, 'gps.jpg');
    assert(await hasGps(fs.readFileSync(original)), 'the fixture itself must have GPS (or this test proves nothing)');
    const { kind, received, page } = await chooseThenEnter(original);
    await page.close();
    eq(kind, 'warn', 'card kind');
    eq(received.length, 1, 'files the page got');
    assert(!(await hasGps(received[0])), 'the page got a file that still has GPS');
  });
  await test('Firefox: a photo whose only risk is faces brings the faces card (picture checked in the background page); Enter sends it with the faces covered', async () => {
    if (!corpus) { console.log('     skip: no face corpus (THINKTWICE_CORPUS)'); return; }
    const original = path.join(corpus, 'faces/images', FACE_PHOTO);
    const { kind, received, page } = await chooseThenEnter(original);
    try {
      eq(kind, 'faces', 'card kind');
      eq(received.length, 1, 'files the page got');
      const faces = JSON.parse(fs.readFileSync(path.join(corpus, 'faces/annotations_detailed.json'), 'utf8'))[FACE_PHOTO].faces.map((f) => f.bbox);
      await assertFacesCovered(page, fs.readFileSync(original), received[0], faces, [0, 300, 500, 75]);
    } finally { await page.close(); }
  });
} finally {
  await browser.close();
  server.close();
}

function eq(a, b, what) { if (a !== b) throw new Error(`${what}: expected ${b}, got ${a}`); }
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
