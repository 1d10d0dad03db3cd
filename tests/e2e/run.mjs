// End-to-end tests of the web app in www/: Debian's headless Chromium driven by
// playwright-core, www/ served by an in-process static server on 127.0.0.1
// (port 0, so nothing is left running). Fixture photos are generated at test
// time by `cargo run --example make_fixtures` (no binary fixtures committed).
// Needs: `bash scripts/build-wasm.sh` first (www/pkg). Screenshots: e2e-out/.
// Prints "N passed, N failed" as its last line; exits non-zero on any failure.
// Checks marked [parsers] need the JPEG walker / EXIF reader / rules to be real.
import { chromium } from 'playwright-core';
import { serveStatic, runner, assert } from './harness.mjs';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));
const root = path.resolve(here, '..', '..');
const www = path.join(root, 'www');
const outDir = path.join(root, 'e2e-out');
fs.mkdirSync(outDir, { recursive: true });
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const XSS = '<img src=x onerror=alert(1)>';
const BASE_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  '--disable-quic', '--no-first-run', '--no-default-browser-check'];

if (!fs.existsSync(path.join(www, 'pkg', 'thinktwice_bg.wasm'))) {
  console.log('www/pkg is missing: run `bash scripts/build-wasm.sh` first');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

// ---- fixtures -----------------------------------------------------------------
const fixtureDir = fs.mkdtempSync(path.join(os.tmpdir(), 'thinktwice-fixtures-'));
execFileSync('cargo', ['run', '--locked', '--quiet', '--example', 'make_fixtures', '--', fixtureDir],
  { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
const fixture = (name) => path.join(fixtureDir, name);

// The shared corpus, when present (never in a fresh clone on its own).
const corpusCandidates = [process.env.THINKTWICE_CORPUS, path.join(root, '..', 'shared', 'corpus')]
  .filter(Boolean).map((c) => path.join(c, 'metadata'));
const corpus = corpusCandidates.find((c) => fs.existsSync(path.join(c, 'expected.json')));

// ---- static server: www/ at /, plus the corpus at /__corpus/ for one test -----
const { server, base } = await serveStatic(www, { mounts: corpus ? { '/__corpus/': path.join(corpus, 'files') } : {} });
const { test, counts } = runner();

const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'e2e-profile-')), {
  executablePath: CHROMIUM, headless: true, args: BASE_ARGS, viewport: { width: 900, height: 900 },
});

/** Opens the app; collects browser errors, dialogs and every request after it is ready. */
async function openApp() {
  const page = await ctx.newPage();
  const log = { errors: [], dialogs: [], requestsAfterReady: [], ready: false };
  page.on('pageerror', (e) => log.errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push('console: ' + m.text()); });
  page.on('dialog', (d) => { log.dialogs.push(d.message()); d.dismiss().catch(() => {}); });
  ctx.on('request', (r) => { if (log.ready) log.requestsAfterReady.push(r.url()); });
  ctx.on('requestfailed', (r) => log.errors.push('requestfailed: ' + r.url()));
  await page.goto(`${base}/minimal.html`);
  try {
    await page.waitForSelector('body[data-state="idle"]', { state: 'attached', timeout: 20000 });
  } catch (e) {
    throw new Error(`page never became idle: ${log.errors.join('; ') || e.message}`);
  }
  log.ready = true;
  return { page, log };
}

/** Chooses a file (path or {name, mimeType, buffer}) and waits for done/error. */
async function choose(page, file) {
  await page.setInputFiles('#file', file);
  await page.waitForSelector('body[data-state="done"], body[data-state="error"]', { state: 'attached', timeout: 30000 });
  return {
    state: await page.getAttribute('body', 'data-state'),
    status: await page.textContent('#status'),
    summary: await page.textContent('#result-summary'),
    findings: await page.$$eval('[data-finding]', (els) => els.map((e) => e.dataset.finding)),
  };
}

// ---- tests ----------------------------------------------------------------------
const { page, log } = await openApp();
let gps;

await test('page loads under its CSP with no errors and the file input enabled', async () => {
  const csp = await page.getAttribute('meta[http-equiv="Content-Security-Policy"]', 'content');
  assert(csp && csp.includes("default-src 'self'") && csp.includes("object-src 'none'"), `CSP: ${csp}`);
  assert(await page.isEnabled('#file'), '#file disabled');
  assert((await page.textContent('#version')).startsWith('ThinkTwice '), 'version not shown');
  assert(!log.errors.length, log.errors.join('\n'));
});

await test('GPS photo: checked as JPEG', async () => {
  gps = await choose(page, fixture('gps.jpg'));
  await page.screenshot({ path: path.join(outDir, 'gps.png'), fullPage: true });
  assert(gps.state === 'done', `state ${gps.state}: ${gps.status}`);
  assert(gps.summary.startsWith('JPEG'), `summary: ${gps.summary}`);
});

await test('[parsers] GPS photo: shows 64 × 48 and a gps-location finding', async () => {
  assert(gps && gps.summary.includes('64 × 48'), `summary: ${gps && gps.summary}`);
  assert(gps.findings.includes('gps-location'), `findings: ${JSON.stringify(gps.findings)}`);
});

await test('photo without metadata: done, no location finding', async () => {
  const r = await choose(page, fixture('plain.jpg'));
  assert(r.state === 'done', `state ${r.state}: ${r.status}`);
  assert(!r.findings.includes('gps-location'), `findings: ${r.findings}`);
});

await test('garbage file: a plain error, then a good file still works', async () => {
  const bad = await choose(page, fixture('garbage.bin'));
  assert(bad.state === 'error', `state ${bad.state}`);
  assert(/not a photo format/i.test(bad.status), `status: ${bad.status}`);
  const empty = await choose(page, { name: 'empty.jpg', mimeType: 'image/jpeg', buffer: Buffer.alloc(0) });
  assert(empty.state === 'error', `empty: state ${empty.state}`);
  const good = await choose(page, fixture('plain.jpg'));
  assert(good.state === 'done', `after garbage: state ${good.state}: ${good.status}`);
});

let xssFindingsText = '';
await test('markup in metadata and file name is shown as text: no element, no dialog', async () => {
  const r = await choose(page, { name: `${XSS}.jpg`, mimeType: 'image/jpeg', buffer: fs.readFileSync(fixture('xss.jpg')) });
  await page.screenshot({ path: path.join(outDir, 'xss.png'), fullPage: true });
  assert(r.state === 'done', `state ${r.state}: ${r.status}`);
  assert(await page.$$eval('img, script:not([src]), iframe, object', (els) => els.length) === 0, 'an element was created');
  assert((await page.textContent('#result-file')) === `${XSS}.jpg`, 'file name not shown as text');
  await page.waitForTimeout(200); // let any onerror fire
  assert(!log.dialogs.length, `dialog opened: ${log.dialogs}`);
  xssFindingsText = await page.textContent('#findings');
});

await test('[parsers] markup from the photo\'s metadata is shown as text in a finding', async () => {
  assert(xssFindingsText.includes(XSS), `findings text: ${JSON.stringify(xssFindingsText.slice(0, 300))}`);
});

await test('no network request after the page was ready; no console errors', async () => {
  assert(!log.requestsAfterReady.length, `requests: ${log.requestsAfterReady.join(', ')}`);
  assert(!log.errors.length, log.errors.join('\n'));
});
await page.close();

await test('engine: a trap answers with a plain error and the next call works (also with the place table); refusals', async () => {
  const p = await ctx.newPage();
  const errors = [];
  let panicMessages = 0; // the panic hook in src/wasm.rs logs it from the worker
  p.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
  p.on('console', (m) => {
    if (m.type() !== 'error') return;
    if (m.text().includes('deliberate trap')) panicMessages++;
    else errors.push('console: ' + m.text());
  });
  await p.goto(`${base}/minimal.html`);
  const bytes = [...fs.readFileSync(fixture('gps.jpg'))];
  const results = await p.evaluate(async (bytes) => {
    const { Engine, MAX_FILE_BYTES } = await import('/engine/engine.js');
    const outcome = (promise) => promise.then((value) => ({ value }), (e) => ({ kind: e.kind, message: e.message }));
    const out = {};
    for (const places of [false, true]) { // the minimal page / component, and the app's set-up
      const engine = new Engine({ places });
      const trap = await outcome(engine.trapForTests());
      const report = await engine.check(new File([new Uint8Array(bytes)], 'gps.jpg'));
      const again = await engine.check(new Uint8Array(bytes), 'again.jpg');
      // Over the cap: refused from the size alone, the file is never read.
      const huge = { size: MAX_FILE_BYTES + 1, arrayBuffer: () => { throw new Error('read a file that is too big'); } };
      const tooBig = await outcome(engine.check(huge));
      // No safer copy of something that is not a photo: the core's own reason, and the worker is kept.
      const refused = await outcome(engine.clean(new Uint8Array([1, 2, 3])));
      const version = await engine.version();
      engine.close();
      out[places ? 'app' : 'component'] = { trap, format: report.format, file: report.file, againFile: again.file, tooBig, refused, version };
    }
    return out;
  }, bytes);
  await p.close();
  for (const [setup, r] of Object.entries(results)) {
    const what = `${setup}: ${JSON.stringify(r)}`;
    assert(r.trap.kind === 'trap' && /went wrong/.test(r.trap.message), `trap answer, ${what}`);
    assert(r.format === 'JPEG' && r.file === 'gps.jpg' && r.againFile === 'again.jpg', `after the trap, ${what}`);
    assert(r.tooBig.kind === 'too-big' && /larger than 200 MB/.test(r.tooBig.message), `too big, ${what}`);
    assert(r.refused.kind === 'refused' && r.refused.message.length > 10, `refused copy, ${what}`);
    assert(/^\d+\.\d+/.test(r.version), `version, ${what}`);
  }
  assert(panicMessages === 2, `the panic message reached the console ${panicMessages} times, expected 2`);
  assert(!errors.length, errors.join('\n'));
});

await test('workers: one message loop (engine/serve.js) answers init, requests, refusals and traps as client.js expects', async () => {
  // No worker keeps its own copy of the loop (issue #16).
  const workers = ['engine', 'app'].flatMap((dir) => fs.readdirSync(path.join(www, dir)).filter((f) => f.endsWith('worker.js')).map((f) => `${dir}/${f}`));
  assert(['engine/worker.js', 'engine/copy-worker.js', 'app/faces-worker.js'].every((w) => workers.includes(w)), `workers found: ${workers}`);
  for (const file of workers) {
    const src = fs.readFileSync(path.join(www, file), 'utf8');
    assert(!/\bonmessage\b|addEventListener\(\s*['"]message/.test(src), `${file} has its own message loop: use serve() from engine/serve.js`);
    assert(/^import \{[^}]*\bserve\b[^}]*\} from '(\.\/|\.\.\/engine\/)serve\.js';$/m.test(src) && /^serve\(\{/m.test(src), `${file} does not serve() its requests`);
  }
  // The loop itself, with a stand-in for the worker's `self` (what it posts is the protocol of client.js).
  const posted = [];
  const traps = [];
  const provided = [];
  globalThis.self = { postMessage: (message, transfer = []) => posted.push({ message, transfer }) };
  try {
    const { serve } = await import(pathToFileURL(path.join(www, 'engine/serve.js')).href);
    let initError = null;
    serve({
      init: async (msg) => { if (initError) throw initError; return { type: 'ready', places: msg.places }; },
      requests: {
        sum: (msg) => msg.a + msg.b,
        later: async (msg) => { await new Promise((r) => setTimeout(r, 5)); return { type: 'later', id: msg.id }; },
        bytes: () => ({ bytes: new Uint8Array([1, 2, 3]), format: 'JPEG' }),
        refuse: () => { throw new Error('not a photo'); },
        trap: () => { throw new TypeError('unreachable executed'); },
        oddThrow: () => { throw 'a string'; }, // not an Error at all: a trap too
      },
      messages: { provide: (msg) => provided.push(msg.codes), init: () => provided.push(`after ${posted.length} answers`) },
      onTrap: (err) => traps.push(err instanceof Error ? err.message : err),
    });
    const send = (data) => self.onmessage({ data });
    await send({ type: 'init', places: 7 });
    initError = new Error('no wasm here');
    await send({ type: 'init' });
    await send({ id: 1, type: 'sum', a: 2, b: 3 });
    await send({ id: 2, type: 'later' });
    await send({ id: 3, type: 'bytes' });
    await send({ id: 4, type: 'refuse' });
    await send({ id: 5, type: 'trap' });
    await send({ id: 6, type: 'oddThrow' });
    await send({ id: 7, type: 'nope' });
    await send({ id: 8, type: 'toString' });
    await send({ type: 'provide', codes: 'module' });
    const m = posted.map((p) => p.message);
    const expected = [
      { type: 'ready', places: 7 },
      { type: 'init-failed', message: 'no wasm here' },
      { id: 1, ok: true, result: 5 },
      { id: 2, ok: true, result: { type: 'later', id: 2 } },
      { id: 3, ok: true, result: { bytes: { 0: 1, 1: 2, 2: 3 }, format: 'JPEG' } },
      { id: 4, ok: false, trapped: false, message: 'not a photo' },
      { id: 5, ok: false, trapped: true, message: 'unreachable executed' },
      { id: 6, ok: false, trapped: true, message: 'a string' },
      { id: 7, ok: false, trapped: false, message: 'unknown request nope' },
      { id: 8, ok: false, trapped: false, message: 'unknown request toString' },
    ];
    assert(JSON.stringify(m) === JSON.stringify(expected), `posted ${JSON.stringify(m)}`);
    assert(posted[4].transfer.length === 1 && posted[4].transfer[0] === posted[4].message.result.bytes.buffer, 'the copy\'s bytes are not transferred');
    assert(posted.every((p, i) => i === 4 || p.transfer.length === 0), 'something else transferred');
    assert(JSON.stringify(traps) === JSON.stringify(['unreachable executed', 'a string']), `onTrap saw ${JSON.stringify(traps)}`);
    // messages.init runs after each init answer (ready or failed), provide with no answer.
    assert(JSON.stringify(provided) === JSON.stringify(['after 1 answers', 'after 2 answers', 'module']), `messages: ${JSON.stringify(provided)}`);
  } finally {
    delete globalThis.self;
  }
});

if (!corpus) {
  console.log('skip corpus tests: no ../shared/corpus/metadata (set THINKTWICE_CORPUS to run them)');
} else {
  const expected = JSON.parse(fs.readFileSync(path.join(corpus, 'expected.json'), 'utf8'));
  const names = Object.keys(expected).sort();
  let reports = {};
  await test(`corpus: every one of ${names.length} files gets a report in the browser (no trap)`, async () => {
    const p = await ctx.newPage();
    await p.goto(`${base}/minimal.html`);
    reports = await p.evaluate(async (names) => {
      const { Engine } = await import('/engine/engine.js');
      const engine = new Engine();
      const out = {};
      for (const name of names) {
        const blob = await (await fetch('/__corpus/' + encodeURIComponent(name))).blob();
        try {
          const r = await engine.check(new File([blob], name));
          out[name] = { format: r.format, findings: r.findings.map((f) => f.id), error: r.error };
        } catch (e) { out[name] = { failed: e.message }; }
      }
      engine.close();
      return out;
    }, names);
    await p.close();
    const broken = names.filter((n) => !reports[n] || reports[n].failed);
    assert(!broken.length, `no report for: ${broken.join(', ')}`);
  });
  await test('[parsers] corpus: gps-location shown exactly for the files with a real position', async () => {
    // Only photo formats ThinkTwice reads (a .xmp sidecar, JP2, JXL or PSD gets a plain
    // "not a photo format" answer, which the test above already requires).
    const readable = new Set(['JPEG', 'PNG', 'WEBP', 'Extended WEBP', 'HEIC', 'HEIF', 'AVIF', 'TIFF', 'DNG', 'GIF', 'MPO']);
    const wrong = names.filter((n) => reports[n] && !reports[n].failed && readable.has(expected[n].file_type) &&
      reports[n].findings.includes('gps-location') !== Boolean(expected[n].has_gps));
    assert(!wrong.length, `${wrong.length} wrong, e.g. ${wrong.slice(0, 5).join(', ')}`);
  });
}

await ctx.close();
server.close();
fs.rmSync(fixtureDir, { recursive: true, force: true });
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
