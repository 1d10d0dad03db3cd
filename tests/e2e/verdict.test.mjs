// End-to-end tests of the verdict and the classroom tools (issue #19), in
// headless Chromium at a 360×780 phone and a desktop: the verdict and the
// main action on the first screen; a verdict that never says "no hidden
// details" before faces and codes are checked (a MutationObserver records every
// text the page ever showed); the order and levels the core decides; an honest
// safer copy; error states that agree; the sample photos (made in the page,
// zero requests); print media without controls; Hindi on the first screen and
// the bilingual view. Screenshots go to $SHOTS (default /tmp/thinktwice-shots),
// never into the repository. Needs www/pkg, www/pkg-faces and www/models.
// Last line: "N passed, N failed"; exit code 1 on any failure.

import { chromium } from 'playwright-core';
import { serveStatic, runner, assert, eq, COPY_LOADS, copyRequests, afterLoad } from './harness.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const www = path.join(root, 'www');
const shots = process.env.SHOTS || path.join(os.tmpdir(), 'thinktwice-shots');
fs.mkdirSync(shots, { recursive: true });
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const PHONE = { width: 360, height: 780 };
const DESKTOP = { width: 1280, height: 900 };
const DEVANAGARI = /[\u0900-\u097F]/;

for (const f of ['pkg/thinktwice.js', 'pkg-faces/thinktwice_faces.js', 'models/centerface.ttfw']) {
  if (!fs.existsSync(path.join(www, f))) {
    console.log(`www/${f} is missing: run scripts/build-wasm.sh and scripts/fetch-models.sh`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}

const corpusBase = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
  .filter(Boolean).find((p) => fs.existsSync(path.join(p, 'faces')));
const FACE_PHOTO = corpusBase && ['dlib_2007_007763.jpg'].map((n) => path.join(corpusBase, 'faces/images', n)).find((p) => fs.existsSync(p));
if (!FACE_PHOTO) console.log('skip the face-only photo test: no corpus (set THINKTWICE_CORPUS)');

const { server, base } = await serveStatic(www);
const { test, counts } = runner();

/**
 * Records, from before the first script runs, every text that was ever put on
 * the page: added nodes and changed text, even when replaced in the same task.
 */
function recordTexts() {
  window.__shown = [];
  new MutationObserver((records) => {
    for (const r of records) {
      if (r.type === 'characterData') window.__shown.push(r.target.data);
      for (const n of r.addedNodes) window.__shown.push(n.textContent || '');
    }
  }).observe(document, { subtree: true, childList: true, characterData: true });
}

async function openPage({ viewport = PHONE, locale = 'en-GB', media = null } = {}) {
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'tt-verdict-')), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport, locale });
  await ctx.addInitScript(recordTexts);
  const page = ctx.pages()[0] || await ctx.newPage();
  const log = { errors: [], requests: [], own: [] }; // own: the page's (not the service worker passing one on)
  page.on('pageerror', (e) => log.errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push('console: ' + m.text()); });
  ctx.on('request', (r) => {
    if (!/^https?:/.test(r.url())) return;
    log.requests.push(r.url());
    if (!r.serviceWorker()) log.own.push(r.url());
  });
  if (media) await page.emulateMedia({ media });
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 60000 });
  log.requests.length = 0; // from here on: no network at all (but the copy module when covering)
  log.own.length = 0;
  return { ctx, page, log };
}

/** Chooses files and waits until every card has its verdict and every picture check has ended. */
async function chooseAndSettle(page, files) {
  const before = await page.locator('article.result[data-ms]').count();
  await page.setInputFiles('#file', files);
  await settle(page, before + files.length);
}

async function settle(page, n) {
  await page.waitForFunction((n) => document.querySelectorAll('article.result[data-ms]').length >= n, n, { timeout: 120000 });
  await page.waitForFunction(() => !document.querySelector('[data-face-check="looking"], [data-code-check="looking"]'), null, { timeout: 300000 });
}

const cardOf = (page, name) => page.locator('article.result[data-key]').filter({ has: page.locator('h3.file-name').getByText(name, { exact: true }) }).last();
const ids = (card) => card.locator('[data-finding]').evaluateAll((els) => els.map((e) => e.dataset.finding));

/** Checks one sample photo through the teachers' panel; returns its card. */
async function checkSample(page, id, file) {
  const panel = page.locator('#classroom-details');
  if (!(await panel.evaluate((d) => d.open))) await page.locator('#classroom-details > summary').click();
  const before = await page.locator('article.result[data-ms]').count();
  await page.locator(`button.sample[data-sample="${id}"]`).click();
  await settle(page, before + 1);
  return cardOf(page, file);
}

/** A face photo with nothing in the file: the corpus photo re-encoded by the browser (no metadata survives). */
async function faceOnlyPhoto(page) {
  if (!FACE_PHOTO) return null;
  const b64 = await page.evaluate(async (src) => {
    const bin = Uint8Array.from(atob(src), (c) => c.charCodeAt(0));
    const bitmap = await createImageBitmap(new Blob([bin]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    const bytes = new Uint8Array(await (await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 })).arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  }, fs.readFileSync(FACE_PHOTO).toString('base64'));
  return { name: 'friends.jpg', mimeType: 'image/jpeg', buffer: Buffer.from(b64, 'base64') };
}

// ---- 1. phone: results first, a verdict that waits, fair levels ------------------------------
await test('phone 360×780: verdict and "Make the safer copy" on the first screen; tap targets ≥ 44 px', async () => {
  const { ctx, page, log } = await openPage();
  try {
    // Hindi is offered on the first screen, in Devanagari, even in an English browser.
    const picker = await page.locator('.lang-picker').boundingBox();
    assert(picker && picker.y + picker.height <= PHONE.height, 'language switch below the first screen');
    assert(DEVANAGARI.test(await page.textContent('.lang-picker label')), 'language label has no Hindi');
    assert((await page.locator('#lang option[value="hi"]').count()) === 1, 'Hindi not offered');
    const card = await checkSample(page, 'selfie', 'sample-selfie.jpg');
    await page.evaluate(() => window.scrollTo(0, 0));
    const verdict = await card.locator('.verdict').boundingBox();
    const action = await card.locator('button.make-copy').boundingBox();
    console.log(`     verdict box ${Math.round(verdict.y)}–${Math.round(verdict.y + verdict.height)} px, safer-copy button bottom ${Math.round(action.y + action.height)} px (screen ${PHONE.height})`);
    assert(verdict.y + verdict.height <= PHONE.height, 'verdict box not on the first screen');
    assert(action.y + action.height <= PHONE.height, 'main action not on the first screen');
    const photo = await card.locator('.photo').boundingBox();
    assert(photo.y > verdict.y, 'the photo comes after the verdict on a phone');
    await page.screenshot({ path: path.join(shots, 'phone-en-first-screen.png') });
    // Every control a finger needs is at least 44 px tall (and wide), page-wide.
    const small = await page.evaluate(() => [...document.querySelectorAll('button, select, summary, a.button-like, .safer-option label, #offline-link')]
      .filter((el) => el.getClientRects().length && getComputedStyle(el).visibility !== 'hidden')
      .map((el) => ({ el: el.className || el.id || el.tagName, h: el.getBoundingClientRect().height, w: el.getBoundingClientRect().width, text: el.textContent.slice(0, 30) }))
      .filter((r) => r.h < 44 || r.w < 44));
    eq(small, [], 'tap targets under 44 px');
    eq(afterLoad(log.requests), [], 'requests');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('a face-only photo never shows "no hidden details", says "still checking" first and "the file itself is clean" after', async () => {
  const { ctx, page, log } = await openPage();
  try {
    const photo = await faceOnlyPhoto(page);
    let card;
    if (photo) {
      await page.setInputFiles('#file', [photo]);
      // The first verdict, before the face check ends, says it is still checking.
      await page.waitForSelector('article.result[data-ms]');
      const first = await page.locator('article.result .verdict-level').first().textContent();
      await settle(page, 1);
      card = cardOf(page, 'friends.jpg');
      assert(/still checking/i.test(first) || (await card.getAttribute('data-level')) === 'people', `first verdict: ${first}`);
    } else {
      console.log('     skip: no corpus face photo (drawn faces are not found by the detector)');
      return;
    }
    const shown = await page.evaluate(() => window.__shown.join('\n'));
    assert(/Still checking faces and codes/.test(shown), 'never said it was still checking');
    const said = /.{0,80}no hidden details.{0,80}/i.exec(shown);
    assert(!said, `said "no hidden details" at some moment: ${said && said[0]}`);
    eq(await card.getAttribute('data-level'), 'people', 'level of a face-only photo');
    assert((await card.locator('[data-face]').count()) >= 1, 'no face boxes');
    assert((await card.locator('.note-file-clean').textContent()).includes('file itself is clean'), 'no "the file itself is clean"');
    eq(await ids(card), ['faces'], 'findings');
    // The "cannot see" list: no repeats, and nothing says the picture or its people were not looked at.
    const cannot = await card.locator('.not-checked-list li').allTextContents();
    eq(cannot.length, new Set(cannot).size, 'repeated items');
    for (const item of cannot) assert(!/picture itself|people who may be recognised/i.test(item), `contradicts the face check: ${item}`);
    // Face boxes: the toggle says what it will do next.
    eq(await card.locator('.faces-toggle').textContent(), 'Hide face boxes', 'toggle label');
    await card.locator('.faces-toggle').click();
    eq(await card.locator('.faces-toggle').textContent(), 'Show face boxes', 'toggle label after hiding');
    assert(await card.locator('.faces').isHidden(), 'boxes hidden');
    await page.evaluate(() => window.scrollTo(0, 0));
    await page.screenshot({ path: path.join(shots, 'phone-en-faces.png') });
    // Safer copy: no date or name to keep here, so neither is offered; no box that cannot be unticked.
    eq(await card.locator('[data-choice="keep_date"], [data-choice="keep_author"], [data-choice="all"]').count(), 0, 'choices that do not apply');
    await card.locator('button.make-copy').click();
    await card.locator('a.download').waitFor({ timeout: 60000 });
    const left = await card.locator('.safer-kept li').allTextContents();
    assert(left.some((s) => /faces? can still be seen/.test(s)), `uncovered faces not mentioned: ${left}`);
    await card.locator('[data-choice="cover_faces"] input').check();
    await card.locator('button.make-copy').click();
    await card.locator('a.download').waitFor({ timeout: 60000 });
    const changed = await card.locator('.safer-removed li').allTextContents();
    assert(changed.some((s) => /faces? covered/.test(s)), `covering not said: ${changed}`);
    assert(!changed.some((s) => /No hidden details/i.test(s)), `"no hidden details" after covering: ${changed}`);
    assert(!(await card.locator('.safer-kept').textContent().catch(() => '')).includes('can still be seen'), 'covered faces said to be visible');
    // The preview is decoded after the download link appears: wait for it to load (or fail), then check its pixels.
    const previewShown = await card.locator('img.safer-preview').evaluate((img) => (img.complete ? img.naturalWidth > 0
      : new Promise((resolve) => { img.onload = () => resolve(img.naturalWidth > 0); img.onerror = () => resolve(false); })));
    assert(previewShown, 'no preview of the copy');
    // After load only the copy module, for the covered copy (the service worker passes each request on
    // once more), and the place table the first photo fetched (afterLoad).
    const own = afterLoad(log.own);
    eq(own.length, COPY_LOADS.length, `requests: ${own}`);
    eq(copyRequests(own, COPY_LOADS).sort(), [...COPY_LOADS].sort(), 'requests: the copy module');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('severity: a Wi-Fi password comes before faces; a home pin is "think twice"; a group photo is not', async () => {
  const { ctx, page, log } = await openPage({ viewport: DESKTOP });
  try {
    const selfie = await checkSample(page, 'selfie', 'sample-selfie.jpg');
    eq(await selfie.getAttribute('data-level'), 'high', 'selfie with home GPS');
    eq((await ids(selfie))[0], 'gps-location', 'the location is named first');
    assert((await selfie.locator('.verdict-sentence').textContent()).startsWith('This photo shows where it was taken'), 'verdict names the place first');
    eq(await selfie.locator('.note-file-clean').count(), 0, '"file is clean" on a file with GPS');
    const wifi = await checkSample(page, 'wifi', 'sample-wifi-sticker.jpg');
    eq(await wifi.getAttribute('data-level'), 'high', 'Wi-Fi sticker');
    assert((await ids(wifi)).includes('barcode'), 'no code finding');
    // A code in the picture is not "inside the file": no table for it up front.
    eq(await wifi.locator('[data-finding="barcode"] table, [data-finding="barcode"] details').count(), 0, 'file details on a code in the picture');
    const board = await checkSample(page, 'boarding', 'sample-boarding-pass.jpg');
    eq(await board.getAttribute('data-level'), 'high', 'boarding pass');
    const idCard = await checkSample(page, 'id', 'sample-id-card.jpg');
    const idIds = await ids(idCard);
    eq(idIds[0], 'person-name', `ID card: the owner's name first (${idIds})`);
    eq(await idCard.getAttribute('data-level'), 'high', 'ID card with a name');
    await page.screenshot({ path: path.join(shots, 'desktop-en-samples.png'), fullPage: true });
    eq(afterLoad(log.requests), [], 'requests: the samples are made in the page');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('errors agree: a text file renamed .jpg says "could not be checked" in the picture, verdict and status', async () => {
  const { ctx, page, log } = await openPage();
  try {
    await chooseAndSettle(page, [{ name: 'homework.jpg', mimeType: 'image/jpeg', buffer: Buffer.from('just some text, not a photo') }]);
    const card = cardOf(page, 'homework.jpg');
    eq(await card.getAttribute('data-level'), 'error', 'level');
    const placeholder = await card.locator('.photo-placeholder').textContent();
    assert(placeholder.includes('could not be opened'), `placeholder: ${placeholder}`);
    assert(!placeholder.includes('was still checked'), 'placeholder says it was checked');
    const status = await page.textContent('#status');
    assert(status.includes('could not be checked') && !status.includes('photo checked'), `status: ${status}`);
    eq(await card.locator('.honesty, .safer, .findings').count(), 0, 'checked lists or a safer copy for an unread file');
    const shown = await page.evaluate(() => window.__shown.join('\n'));
    assert(!/Details for grown-ups/.test(shown), '"Details for grown-ups"');
    assert(await card.locator('details.technical summary').textContent() === 'Technical details', 'technical details');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('jargon waits in "Technical details": no EXIF, XMP, pixel sizes or Where/Name/Value tables up front', async () => {
  const { ctx, page, log } = await openPage({ viewport: DESKTOP });
  try {
    const card = await checkSample(page, 'selfie', 'sample-selfie.jpg');
    const upFront = await card.evaluate((el) => {
      const clone = el.cloneNode(true);
      clone.querySelectorAll('details').forEach((d) => d.remove()); // closed sections are not the first view
      return clone.innerText;
    });
    for (const word of ['EXIF', 'XMP', 'pixels', 'Where in the file']) assert(!upFront.includes(word), `"${word}" up front`);
    eq(await card.locator('table').evaluateAll((ts) => ts.filter((t) => !t.closest('details.technical')).length), 0, 'tables outside technical details');
    await card.locator('details.technical > summary').click();
    assert((await card.locator('details.technical').innerText()).includes('pixels'), 'pixel size in technical details');
    assert((await card.locator('details.technical table').count()) >= 1, 'evidence tables in technical details');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

// ---- 2. classroom: print, bilingual, Hindi screenshots --------------------------------------
await test('print media: verdict and findings shown, no controls', async () => {
  const { ctx, page, log } = await openPage({ viewport: DESKTOP });
  try {
    const card = await checkSample(page, 'selfie', 'sample-selfie.jpg');
    await page.emulateMedia({ media: 'print' });
    assert(await card.locator('.verdict').isVisible(), 'verdict hidden in print');
    assert(await card.locator('[data-finding="gps-location"]').isVisible(), 'findings hidden in print');
    const controls = await page.evaluate(() => [...document.querySelectorAll('button, input, select, .dropzone, .safer')]
      .filter((el) => el.getClientRects().length > 0).map((el) => el.className || el.tagName));
    eq(controls, [], 'controls visible in print');
    await page.pdf({ path: path.join(shots, 'print-en.pdf') }).catch(() => {});
    await page.screenshot({ path: path.join(shots, 'print-en.png'), fullPage: true });
    await page.emulateMedia({ media: 'screen' });
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('Hindi and the bilingual view; phone and desktop screenshots in both languages', async () => {
  for (const [label, viewport] of [['phone', PHONE], ['desktop', DESKTOP]]) {
    const { ctx, page, log } = await openPage({ viewport });
    try {
      const card = await checkSample(page, 'group', 'sample-group-photo.jpg');
      await checkSample(page, 'wifi', 'sample-wifi-sticker.jpg');
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(shots, `${label}-en.png`) });
      await page.screenshot({ path: path.join(shots, `${label}-en-full.png`), fullPage: true });
      await page.selectOption('#lang', 'hi');
      const level = await card.locator('.verdict-level').textContent();
      assert(DEVANAGARI.test(level), `Hindi level: ${level}`);
      const status = await page.textContent('#status');
      assert(!/\.\s*$/.test(status.trim()) && !/[\u0900-\u097F]\. /.test(status), `English full stop in the Hindi status: ${status}`);
      await page.evaluate(() => window.scrollTo(0, 0));
      await page.screenshot({ path: path.join(shots, `${label}-hi.png`) });
      await page.screenshot({ path: path.join(shots, `${label}-hi-full.png`), fullPage: true });
      if (label === 'desktop') {
        await page.locator('#bilingual').click();
        const mirror = page.locator('article.mirror').first();
        await mirror.waitFor();
        eq(await mirror.getAttribute('lang'), 'en', 'mirror language');
        assert(/[A-Za-z]{4}/.test(await mirror.locator('.verdict-level').textContent()), 'mirror not in English');
        const ids = await page.evaluate(() => [...document.querySelectorAll('[id]')].map((e) => e.id));
        eq(ids.length, new Set(ids).size, 'duplicate ids in the bilingual view');
        await page.locator('#projector').click();
        await page.evaluate(() => window.scrollTo(0, 0));
        await page.screenshot({ path: path.join(shots, 'desktop-bilingual-projector.png') });
      }
      eq(afterLoad(log.requests), [], 'requests');
      eq(log.errors, [], 'browser errors');
    } finally { await ctx.close(); }
  }
});

server.close();
console.log(`screenshots: ${shots}`);
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
