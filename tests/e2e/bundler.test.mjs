// The npm package through a real bundler, as a site that uses it would: installs the
// package's tarball (scripts/build-npm.sh) into a scratch Vite project, builds it with
// `vite build`, serves only the build output and checks in Debian's headless Chromium
// that a photo gets its findings, faces included (matched to hand-drawn boxes from the
// face corpus) and Hindi texts (the catalogs shipped too), from checkPhoto and from the
// <think-twice> component, with every request going to the site itself. This is what proves the
// engine's files (workers, both wasm modules, the face model) are found by the bundler.
// The scratch project lives in target/vite-proof and keeps its node_modules: Vite is
// downloaded once (pinned below); the package itself is installed again on every run.
// Needs www/pkg, www/pkg-faces and www/models (scripts/build-wasm.sh, fetch-models.sh).
// The browser check skips, saying so, without the face corpus (its photo comes from there).
// Last line: "N passed, N failed"; exit code 1 on any failure.

import { chromium } from 'playwright-core';
import { serveStatic, runner, assert } from './harness.mjs';
import { iou } from './picture.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { fileURLToPath, pathToFileURL } from 'node:url';

const VITE = '8.4.0';
const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '../..');
const scratch = path.join(root, 'target', 'vite-proof');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];

const corpus = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
  .filter(Boolean).find((p) => fs.existsSync(path.join(p, 'faces/annotations_detailed.json')));
const FACE_PHOTO = 'dlib_2008_002506.jpg'; // three clear faces, hand-drawn boxes

const DEVANAGARI = /[\u0900-\u097F]/;
const { test, counts } = runner();

await test('every language in languages.json is listed for bundlers (www/i18n/files.js)', async () => {
  const { CATALOG_FILES } = await import(pathToFileURL(path.join(root, 'www/i18n/files.js')).href);
  const codes = JSON.parse(fs.readFileSync(path.join(root, 'www/i18n/languages.json'), 'utf8'));
  for (const file of ['languages.json', ...codes.map((c) => `${c}.json`)]) {
    assert(CATALOG_FILES[file] && fs.existsSync(fileURLToPath(CATALOG_FILES[file])), `files.js lacks ${file}`);
  }
});
const run = (cmd, args, cwd = root) => execFileSync(cmd, args, { cwd, stdio: ['ignore', 'pipe', 'inherit'] }).toString();
let built = null; // the build output folder

await test(`npm package installs into a Vite ${VITE} project and builds`, async () => {
  run('bash', ['scripts/build-npm.sh']);
  const tarball = fs.readdirSync(path.join(root, 'dist')).find((f) => /^thinktwice-.*\.tgz$/.test(f));
  assert(tarball, 'build-npm.sh made no tarball');
  fs.mkdirSync(path.join(scratch, 'public'), { recursive: true });
  fs.writeFileSync(path.join(scratch, 'package.json'), JSON.stringify({
    name: 'vite-proof', private: true, type: 'module', devDependencies: { vite: VITE },
  }, null, 2));
  if (!fs.existsSync(path.join(scratch, 'node_modules', 'vite', 'package.json'))) {
    run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], scratch);
  }
  // The package as a site gets it: from its tarball, fresh every run (no lock: same version, new bytes).
  fs.rmSync(path.join(scratch, 'node_modules', 'thinktwice'), { recursive: true, force: true });
  run('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock', '--no-save', '--prefer-offline',
    path.join(root, 'dist', tarball)], scratch);
  fs.writeFileSync(path.join(scratch, 'index.html'), `<!doctype html><html><head><meta charset="utf-8">
<link rel="icon" href="data:,"><title>vite proof</title></head><body><script type="module" src="/main.js"></script></body></html>`);
  fs.writeFileSync(path.join(scratch, 'main.js'), `import { checkPhoto, saferCopy } from 'thinktwice';
import 'thinktwice/component';
document.body.append(Object.assign(document.createElement('think-twice'), { lang: 'hi' }));
const bytes = await (await fetch('/photo.jpg')).arrayBuffer();
try {
  const report = await checkPhoto(new Blob([bytes], { type: 'image/jpeg' }), { name: 'photo.jpg', lang: 'hi' });
  const result = { risk: report.risk, ids: report.findings.map((f) => f.id), faces: report.faces, codes: report.codes,
    error: report.error, titles: report.findings.map((f) => f.title) };
  // The covered copy comes from the copy worker and module, which the build must ship too.
  const copy = await saferCopy(new Blob([bytes], { type: 'image/jpeg' }), { report });
  result.copy = { size: copy.blob.size, covered: copy.covered.length, lossless: copy.lossless };
  window.result = result;
} catch (err) {
  window.result = { failed: String(err && err.message || err) };
}
`);
  if (corpus) fs.copyFileSync(path.join(corpus, 'faces/images', FACE_PHOTO), path.join(scratch, 'public', 'photo.jpg'));
  fs.rmSync(path.join(scratch, 'dist'), { recursive: true, force: true });
  console.log(run(path.join(scratch, 'node_modules/.bin/vite'), ['build', '--logLevel', 'warn'], scratch).trim());
  built = path.join(scratch, 'dist');
  const files = fs.readdirSync(path.join(built, 'assets'));
  for (const kind of [/\.wasm$/, /\.ttfw$/]) assert(files.some((f) => kind.test(f)), `the build has no ${kind} file: ${files}`);
  // The core, face, code and copy modules, each its own file.
  for (const part of ['thinktwice_bg', 'thinktwice_faces_bg', 'thinktwice_codes_bg', 'thinktwice_copy_bg']) {
    assert(files.some((f) => f.startsWith(`${part}-`) && f.endsWith('.wasm')), `the build has no ${part} wasm: ${files}`);
  }
});

await test('the Vite build checks a photo in Chromium: findings and faces, requests to the site only', async () => {
  assert(built, 'nothing was built');
  if (!corpus) { console.log('     skip: no face corpus (../shared/corpus or THINKTWICE_CORPUS) for the photo'); return; }
  const { server, base } = await serveStatic(built);
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'vite-proof-')), {
    executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    const page = ctx.pages()[0] || await ctx.newPage();
    const errors = [];
    const requests = [];
    page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
    page.on('console', (m) => { if (m.type() === 'error') errors.push('console: ' + m.text()); });
    ctx.on('request', (r) => requests.push(r.url()));
    await page.goto(`${base}/index.html`);
    await page.waitForFunction(() => window.result, null, { timeout: 180000 });
    const r = await page.evaluate(() => window.result);
    assert(!r.failed && !r.error, `the check failed: ${r.failed || r.error}\n${errors.join('\n')}`);
    assert(Array.isArray(r.faces) && Array.isArray(r.codes), `the picture was not looked at: faces ${r.faces}, codes ${r.codes}\n${errors.join('\n')}`);
    const drawn = JSON.parse(fs.readFileSync(path.join(corpus, 'faces/annotations_detailed.json'), 'utf8'))[FACE_PHOTO].faces.map((f) => f.bbox);
    const matched = drawn.filter((d) => r.faces.some((f) => iou([f.x, f.y, f.w, f.h], d) >= 0.4)).length;
    assert(matched === drawn.length, `faces: ${matched} of ${drawn.length} hand-drawn boxes found: ${JSON.stringify(r.faces)}`);
    assert(r.ids.includes('faces') && r.risk !== 'none', `a photo with faces got risk ${r.risk}, findings ${r.ids}`);
    // Drawn again with every face covered (a lossless copy could not have covered anything).
    assert(r.copy && r.copy.size > 0 && r.copy.covered >= drawn.length && r.copy.lossless === false, `no covered copy from the build: ${JSON.stringify(r.copy)}`);
    // The catalogs came with the build: Hindi titles from checkPhoto, and the component speaks Hindi.
    assert(r.titles.every((t) => DEVANAGARI.test(t)), `titles not in Hindi (catalog not shipped?): ${r.titles}`);
    await page.waitForFunction(() => /[\u0900-\u097F]/.test(document.querySelector('think-twice')?.shadowRoot?.textContent || ''), null, { timeout: 20000 })
      .catch(() => { throw new Error('the component shows no Hindi (catalog not shipped with the build?)'); });
    const foreign = requests.filter((u) => !u.startsWith(base) && !/^(blob|data):/.test(u));
    assert(!foreign.length, `requests off the site: ${foreign}`);
    assert(!errors.length, errors.join('\n'));
    console.log(`     ${requests.length} requests, all to the site; faces ${r.faces.length}, findings ${r.ids.join(', ')}`);
  } finally {
    await ctx.close();
    server.close();
  }
});

console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
