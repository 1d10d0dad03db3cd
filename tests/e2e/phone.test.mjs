// End-to-end tests of the phone flow (issue #16) in headless Chromium with phone emulation
// (412 x 915, touch, mobile): photos shared in through the manifest's share target, the safer
// copy sent on with the Web Share API (or downloaded), the manifest's icons and share target,
// progressive loading (the metadata verdict never waits for the face model) and every heavy file
// asked for once per visit; and, in Node with a stand-in worker, that the picture worker's time-out
// counts from the face files' arrival (engine/client.js timeoutAfter): a photo is handed to the
// worker at once, so a slow line must not read as a stuck worker, nor may a stuck one hang forever.
// Needs www/pkg, www/pkg-faces (scripts/build-wasm.sh), www/models (scripts/fetch-models.sh),
// www/geo (scripts/build-geo.sh). Last line: "N passed, N failed"; exit code 1 on any failure.
import { chromium } from 'playwright-core';
import exifr from 'exifr';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic, runner, assert, eq, makeJpeg, withGps } from './harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const www = path.join(root, 'www');
for (const f of ['pkg/thinktwice.js', 'pkg-faces/thinktwice_faces.js', 'models/centerface.ttfw', 'geo/places.bin']) {
  if (!fs.existsSync(path.join(www, f))) {
    console.log(`www/${f} is missing: run scripts/build-wasm.sh, fetch-models.sh and build-geo.sh`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

// A test page that does what Android's share sheet does: a multipart POST of the photos to the
// manifest's share_target action, as a top-level navigation (a real form submit).
const manifest = JSON.parse(fs.readFileSync(path.join(www, 'manifest.webmanifest'), 'utf8'));
const target = manifest.share_target || {};
const field = target.params?.files?.[0]?.name || 'photos';
const SHARE_PAGE = `<!doctype html><meta charset="utf-8"><title>gallery</title><link rel="icon" href="data:,">
<form method="${target.method || 'POST'}" enctype="${target.enctype || 'multipart/form-data'}" action="/${target.action || 'share-target'}">
<input type="file" name="${field}" multiple><button>share</button></form>`;

// help/contacts.json is served from here so a test can change it on the "server" between visits.
const CONTACTS = fs.readFileSync(path.join(www, 'help/contacts.json'), 'utf8');
const pages = { '/__test/share.html': SHARE_PAGE, '/help/contacts.json': CONTACTS };
const { server, base } = await serveStatic(www, { pages });
/** Every request the server saw: "METHOD /path"; `conditional` those that carried a validator (answered 304 if unchanged). */
const seen = [];
const conditional = [];
server.on('request', (req) => {
  const entry = `${req.method} ${new URL(req.url, 'http://x').pathname}`;
  seen.push(entry);
  if (req.headers['if-none-match'] || req.headers['if-modified-since']) conditional.push(entry);
});
const { test, counts } = runner();

const PHONE = { viewport: { width: 412, height: 915 }, deviceScaleFactor: 2.625, isMobile: true, hasTouch: true };
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

async function phone({ route = null, init = null, serviceWorkers = 'allow' } = {}) {
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'tt-phone-')), {
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless: true, args: ARGS, locale: 'en-GB',
    acceptDownloads: true, serviceWorkers, ...PHONE });
  if (route) await route(ctx);
  if (init) await ctx.addInitScript(init);
  const page = ctx.pages()[0] || await ctx.newPage();
  const errors = [];
  page.on('pageerror', (e) => errors.push(`pageerror: ${e.message}`));
  page.on('console', (m) => { if (m.type() === 'error') errors.push(`console: ${m.text()}`); });
  return { ctx, page, errors };
}

const ready = (page) => page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 120000 });
const verdicts = (page, n) => page.waitForFunction((k) => document.querySelectorAll('article.result[data-ms]').length >= k, n, { timeout: 60000 });

// Photos made on a canvas (no fixtures on disk): one with a GPS position, one without.
const { ctx: maker, page: makerPage } = await phone();
const plainJpeg = await makeJpeg(makerPage, 640, 480);
const gpsJpeg = withGps(plainJpeg, 23.2599, 77.4126);
await maker.close();
assert((await exifr.gps(gpsJpeg))?.latitude > 23, 'the GPS photo must carry a position (or these tests prove nothing)');

await test('manifest: PNG icons 192 and 512 + maskable, share target (POST, multipart, image/*), no install errors', async () => {
  const icons = manifest.icons || [];
  for (const [size, purpose] of [[192, 'any'], [512, 'any'], [512, 'maskable']]) {
    const icon = icons.find((i) => i.sizes === `${size}x${size}` && i.type === 'image/png' && (i.purpose || 'any').split(' ').includes(purpose));
    assert(icon, `no ${purpose} PNG icon of ${size} px`);
    const png = fs.readFileSync(path.join(www, icon.src));
    assert(png.subarray(1, 4).toString() === 'PNG', `${icon.src} is not a PNG`);
    eq([png.readUInt32BE(16), png.readUInt32BE(20)], [size, size], `${icon.src} size`);
  }
  eq([target.method, target.enctype], ['POST', 'multipart/form-data'], 'share_target method/enctype');
  assert(target.params.files[0].accept.includes('image/*'), 'share_target accepts image/*');
  const { ctx, page, errors } = await phone();
  try {
    await page.goto(`${base}/`);
    await ready(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 20000 });
    const cdp = await ctx.newCDPSession(page);
    const parsed = await cdp.send('Page.getAppManifest');
    eq(parsed.errors, [], 'manifest parse errors');
    const installability = await cdp.send('Page.getInstallabilityErrors');
    eq(installability.installabilityErrors, [], 'installability errors');
    // Chromium's own reading of the share target, resolved against the manifest's URL.
    const { parsed: app } = await cdp.send('Page.getAppManifest', {}).then((r) => ({ parsed: r.parsed || null }));
    if (app?.shareTarget) assert(app.shareTarget.action.endsWith('/share-target'), `action ${app.shareTarget.action}`);
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

await test('share target: a form POST of two photos (as Android does) opens the app with both checked as a batch', async () => {
  const { ctx, page, errors } = await phone();
  try {
    await page.goto(`${base}/`); // installs the service worker (the share sheet only offers installed apps)
    await ready(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 20000 });
    seen.length = 0;
    await page.goto(`${base}/__test/share.html`);
    await page.setInputFiles('input[type=file]', [
      { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: gpsJpeg },
      { name: 'plain.jpg', mimeType: 'image/jpeg', buffer: plainJpeg }]);
    await Promise.all([page.waitForURL((u) => u.pathname === '/' || u.pathname === '/index.html', { timeout: 20000 }), page.click('button')]);
    await verdicts(page, 2);
    const names = await page.locator('article.result h3.file-name').allTextContents();
    eq(names, ['holiday.jpg', 'plain.jpg'], 'cards in the order shared');
    const gpsCard = page.locator('article.result').filter({ hasText: 'holiday.jpg' });
    assert(await gpsCard.locator('[data-finding="gps-location"]').count() === 1, 'the shared GPS photo has its location finding');
    assert(await page.locator('article.result').filter({ hasText: 'plain.jpg' }).locator('[data-finding="gps-location"]').count() === 0, 'plain photo: no location');
    assert(!new URL(page.url()).search, `the share id is dropped from the address (a reload must not re-check): ${page.url()}`);
    assert(!seen.some((s) => s.startsWith('POST')), `the photos reached the server: ${seen.filter((s) => s.startsWith('POST'))}`);
    // They were taken out of the share store: nothing of them stays behind.
    const left = await page.evaluate(async () => (await (await caches.open('thinktwice-shared')).keys()).length);
    eq(left, 0, 'shared photos left in storage');
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

/** Opens the app, checks the GPS photo and makes its safer copy; returns the copy's bytes (from its download link). */
async function safeCopy(page) {
  await page.goto(`${base}/`);
  await ready(page);
  await page.setInputFiles('#file', { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: gpsJpeg });
  await verdicts(page, 1);
  await page.click('article.result .make-copy');
  await page.waitForSelector('[data-testid="send-safer-copy"]', { timeout: 60000 });
  return downloaded(page, () => page.click('article.result a.download'));
}

/** The bytes of the download that `act` starts, and its file name. */
async function downloaded(page, act) {
  const [download] = await Promise.all([page.waitForEvent('download', { timeout: 10000 }), act()]);
  const bytes = fs.readFileSync(await download.path());
  bytes.fileName = download.suggestedFilename();
  return bytes;
}

// Stubs the Web Share API: records what would have been shared (`canShare` answers as told).
const shareStub = (canShare) => `(() => {
  window.__shared = [];
  navigator.canShare = (data) => ${canShare} && !!(data && data.files && data.files.length);
  navigator.share = async (data) => {
    for (const f of data.files) window.__shared.push({ name: f.name, type: f.type, isFile: f instanceof File, bytes: [...new Uint8Array(await f.arrayBuffer())] });
  };
})();`;

await test('"Send the safer copy" hands navigator.share a File with the cleaned bytes (no GPS), named *-safer.jpg', async () => {
  const { ctx, page, errors } = await phone({ init: shareStub(true) });
  try {
    const copy = await safeCopy(page);
    const button = page.locator('[data-testid="send-safer-copy"]');
    eq((await button.textContent()).trim(), 'Send the safer copy', 'button text');
    await button.tap();
    await page.waitForFunction(() => window.__shared.length === 1, null, { timeout: 10000 });
    const [shared] = await page.evaluate(() => window.__shared);
    assert(shared.isFile && shared.name === 'holiday-safer.jpg' && shared.type === 'image/jpeg', `shared ${shared.name} ${shared.type}`);
    const bytes = Buffer.from(shared.bytes);
    assert(bytes.equals(copy), 'the shared file is not the safer copy');
    assert(!bytes.equals(gpsJpeg), 'the original was shared');
    const gps = await exifr.gps(bytes).catch(() => null);
    assert(!(gps && Number.isFinite(gps.latitude)), 'the shared copy still has GPS');
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

await test('where files cannot be shared (canShare says no), the button downloads the safer copy instead', async () => {
  const { ctx, page, errors } = await phone({ init: shareStub(false) });
  try {
    const copy = await safeCopy(page);
    const got = await downloaded(page, () => page.locator('[data-testid="send-safer-copy"]').tap());
    eq(got.fileName, 'holiday-safer.jpg', 'download name');
    assert(got.equals(copy), 'the download is not the safer copy');
    eq(await page.evaluate(() => window.__shared.length), 0, 'navigator.share was called although canShare said no');
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

await test('tap targets on the result card are at least 44 px high (phone, touch)', async () => {
  const { ctx, page } = await phone({ init: shareStub(true) });
  try {
    await safeCopy(page);
    const small = await page.evaluate(() => [...document.querySelectorAll('#pick, article.result button, article.result a.button-like, #clear, #lang')]
      .filter((el) => el.offsetParent !== null)
      .map((el) => ({ what: el.dataset.testid || el.className || el.id, h: el.getBoundingClientRect().height }))
      .filter((b) => b.h < 44));
    eq(small, [], 'tap targets under 44 px');
  } finally { await ctx.close(); }
});

await test('the metadata verdict appears while the face model is held back; the card says it is still looking for faces', async () => {
  let release;
  const held = new Promise((r) => { release = r; });
  const { ctx, page, errors } = await phone({
    route: (c) => c.route('**/models/centerface.ttfw', async (route) => { await held; await route.continue(); }),
    serviceWorkers: 'block', // so the page's own request is the one held (the route does not see a service worker's)
  });
  try {
    await page.goto(`${base}/`);
    await page.waitForSelector('body[data-ready-check]', { state: 'attached', timeout: 60000 });
    await page.setInputFiles('#file', { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: gpsJpeg });
    await verdicts(page, 1);
    const card = page.locator('article.result');
    assert(await card.locator('[data-finding="gps-location"]').count() === 1, 'the location finding is there without the model');
    const looking = card.locator('[data-face-check="looking"]');
    assert(await looking.count() === 1, 'the card does not say it is still looking for faces');
    eq((await looking.textContent()).trim(), 'Looking for faces in the picture…', 'looking note');
    assert(await page.getAttribute('body', 'data-ready') === null, 'the page said everything was loaded while the model was held');
    release();
    await page.waitForSelector('[data-face-check="done"], [data-face]', { state: 'attached', timeout: 120000 });
    await ready(page);
    assert(!errors.length, errors.join('\n'));
  } finally { release(); await ctx.close(); }
});

await test('time-out after a slow download (client timeoutAfter): an answer once the files are in is not a time-out; a silent worker still times out, counted from then', async () => {
  const { WorkerClient } = await import('../../www/engine/client.js');
  /** A stand-in worker: ready at once; answers a look `answerMs` after it is sent, or never (null). */
  const standIn = (answerMs) => () => {
    const w = new EventTarget();
    const deliver = (data) => { w.onmessage?.({ data }); w.dispatchEvent(Object.assign(new Event('message'), { data })); };
    w.postMessage = (msg) => {
      if (msg.type === 'init') setTimeout(() => deliver({ type: 'ready' }), 0);
      else if (answerMs !== null) setTimeout(() => deliver({ id: msg.id, ok: true, result: 'found' }), answerMs);
    };
    w.terminate = () => {};
    return w;
  };
  const later = (ms) => new Promise((resolve) => setTimeout(resolve, ms));
  const timed = async (client, options) => { const t0 = Date.now(); const answer = await client.call('look', {}, options); return { answer, ms: Date.now() - t0 }; };
  // Without timeoutAfter the clock starts when the look is sent (as for every other request).
  let { answer, ms } = await timed(new WorkerClient(standIn(400)), { timeoutMs: 150 });
  eq(answer.kind, 'timeout', 'an answer later than timeoutMs'); // so before the answer at 400 ms
  // Files arriving after 300 ms, answer at 400 ms, 150 ms allowed: the answer comes within 150 ms of the files.
  ({ answer } = await timed(new WorkerClient(standIn(400)), { timeoutMs: 150, timeoutAfter: later(300) }));
  eq(answer.ok, true, 'answer after a slow download');
  eq(answer.result, 'found', 'the answer');
  // A worker that never answers: a time-out 150 ms after the files are in, not before and not never.
  ({ answer, ms } = await timed(new WorkerClient(standIn(null)), { timeoutMs: 150, timeoutAfter: later(300) }));
  eq(answer.kind, 'timeout', 'a silent worker');
  assert(ms >= 440 && ms < 1500, `timed out after ${ms} ms, not ~450`);
  // Files that could not load (timeoutAfter rejects) start the clock too.
  ({ answer, ms } = await timed(new WorkerClient(standIn(null)), { timeoutMs: 150, timeoutAfter: later(100).then(() => { throw new Error('404'); }) }));
  eq(answer.kind, 'timeout', 'a silent worker after a failed download');
  assert(ms >= 240 && ms < 1300, `timed out after ${ms} ms, not ~250`);
});

await test('each heavy file (core, face and code modules, face model, place table) is requested once per visit, first and repeat; the copy module never', async () => {
  const { ctx, page, errors } = await phone();
  const HEAVY = ['/pkg/thinktwice_bg.wasm', '/pkg-faces/thinktwice_faces_bg.wasm', '/models/centerface.ttfw',
    '/pkg-codes/thinktwice_codes_bg.wasm', '/geo/places.bin'];
  const countOf = (list) => Object.fromEntries(HEAVY.map((u) => [u, list.filter((s) => s === `GET ${u}`).length]));
  try {
    for (const visit of ['first', 'repeat']) {
      seen.length = 0;
      conditional.length = 0;
      if (visit === 'first') await page.goto(`${base}/`); else await page.reload();
      await ready(page);
      await page.setInputFiles('#file', { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: gpsJpeg });
      await verdicts(page, 1);
      await page.waitForSelector('[data-face-check="done"], [data-face]', { state: 'attached', timeout: 120000 });
      await page.waitForSelector('body[data-places]', { state: 'attached', timeout: 120000 }); // fetched once a photo is chosen
      await page.waitForTimeout(500); // anything late (the service worker storing files) would show up now
      if (visit === 'first') {
        eq(countOf(seen), Object.fromEntries(HEAVY.map((u) => [u, 1])), 'first visit: requests per file');
      } else {
        // Answered from this device; the service worker's check for updates may ask each file once, conditionally (a 304).
        const counts = countOf(seen);
        assert(HEAVY.every((u) => counts[u] <= 1), `repeat visit: requests per file ${JSON.stringify(counts)}`);
        eq(countOf(conditional), counts, 'repeat visit: every request for a heavy file is conditional (nothing downloaded again)');
      }
      // A check needs faces and codes only: the image codecs (copies that cover areas) are not fetched.
      eq(seen.filter((s) => /pkg-copy|copy-worker/.test(s)), [], `${visit} visit: the copy module is not fetched`);
      assert(/Bhopal/.test(await page.locator('article.result .place-words').textContent()), `${visit} visit: place named`);
    }
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

await test('the place table waits for the first photo chosen, whatever it holds: a visit that checks nothing does not fetch it, and the request tells nothing about a photo', async () => {
  const { ctx, page, errors } = await phone();
  const tableRequests = () => seen.filter((s) => s.endsWith('/geo/places.bin'));
  try {
    seen.length = 0;
    await page.goto(`${base}/`);
    await ready(page);
    await page.waitForTimeout(1500); // anything the page fetches on its own would show up now
    eq(tableRequests(), [], 'place table requests before any photo was chosen');
    // A photo with no position: the table is fetched all the same (a request only for photos with a
    // position would tell the server which ones have one).
    await page.setInputFiles('#file', { name: 'plain.jpg', mimeType: 'image/jpeg', buffer: plainJpeg });
    await verdicts(page, 1);
    await page.waitForSelector('body[data-places]', { state: 'attached', timeout: 60000 });
    eq(tableRequests(), ['GET /geo/places.bin'], 'place table requests after a photo without a position');
    // A photo with a position, chosen next, is named from the table already here: no request.
    await page.setInputFiles('#file', { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: gpsJpeg });
    await verdicts(page, 2);
    const words = await page.locator('article.result').last().locator('.place-words').textContent();
    assert(/Bhopal/.test(words), `place named: ${words}`);
    eq(tableRequests(), ['GET /geo/places.bin'], 'place table requests after both photos');
    assert(!errors.length, errors.join('\n'));
  } finally { await ctx.close(); }
});

await test('a repeat visit opens from this device (no request before its verdict); a changed file arrives on the visit after', async () => {
  const { ctx, page, errors } = await phone();
  const contacts = () => page.evaluate(async () => (await fetch('help/contacts.json')).text());
  const sets = () => page.evaluate(async () => (await caches.keys()).filter((k) => k.startsWith('thinktwice-app-set-')).length);
  try {
    await page.goto(`${base}/`);
    await ready(page);
    await page.waitForFunction(() => navigator.serviceWorker.controller, null, { timeout: 20000 });
    // A photo checked on the first visit, so the place table (fetched on the first photo) is stored too.
    await page.setInputFiles('#file', { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: gpsJpeg });
    await verdicts(page, 1);
    await page.waitForSelector('body[data-places]', { state: 'attached', timeout: 60000 });
    eq(await contacts(), CONTACTS, 'first visit');
    eq(await sets(), 1, 'stored sets after the first visit');
    // The picture files, started before the service worker controlled the page, were kept too
    // (from the browser's cache: each was requested once, see the test above).
    const kept = () => page.evaluate(async () => {
      const [name] = (await caches.keys()).filter((k) => k.startsWith('thinktwice-app-set-'));
      const set = await caches.open(name);
      // ...and the files the page never loads itself (install icons, help page), downloaded once it had loaded.
      return (await Promise.all(['models/centerface.ttfw', 'pkg-faces/thinktwice_faces_bg.wasm', 'pkg-codes/thinktwice_codes_bg.wasm',
        'app/faces-worker.js', 'geo/places.bin', 'icons/maskable-512.png', 'help.html', 'help/help.js'].map(async (f) => (await set.match(f)) ? f : null))).filter(Boolean).length;
    });
    for (let waited = 0; (await kept()) < 8; waited += 250) {
      assert(waited < 10000, `picture files, place table and extras not kept for offline after the first visit (${await kept()} of 8)`);
      await page.waitForTimeout(250);
    }
    // A new version of one file is put on the server.
    pages['/help/contacts.json'] = CONTACTS.replace('{', '{"__changed": true, ');
    seen.length = 0;
    await page.reload();
    await ready(page);
    await page.setInputFiles('#file', { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: gpsJpeg });
    await verdicts(page, 1);
    // The browser itself may look for a new sw.js; nothing else may reach the server before the verdict.
    const early = seen.filter((s) => s !== 'GET /sw.js');
    eq(early, [], 'repeat visit: requests before the verdict');
    eq(await contacts(), CONTACTS, 'repeat visit: the stored file, not the server\'s new one');
    // This visit's check for updates finds the change and stores a complete new set beside the old one...
    const completeSets = () => page.evaluate(async () => {
      const sets = (await caches.keys()).filter((k) => k.startsWith('thinktwice-app-set-'));
      return (await Promise.all(sets.map(async (k) => !!(await (await caches.open(k)).match('__thinktwice/complete'))))).filter(Boolean).length;
    });
    for (let waited = 0; (await completeSets()) < 2; waited += 500) {
      assert(waited < 60000, 'no new set stored within 60 s of the repeat visit');
      await page.waitForTimeout(500);
    }
    // ...but this page keeps the set it opened with (its later loads must match its scripts).
    eq(await contacts(), CONTACTS, 'the open page still uses the set it opened with');
    await page.reload();
    await ready(page);
    assert((await contacts()).includes('__changed'), 'the visit after the update uses the new file');
    await page.setInputFiles('#file', { name: 'holiday.jpg', mimeType: 'image/jpeg', buffer: gpsJpeg });
    await verdicts(page, 1);
    assert(!errors.length, errors.join('\n'));
  } finally { pages['/help/contacts.json'] = CONTACTS; await ctx.close(); }
});

server.close();
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
