// End-to-end test of the face check in the page (www/app/faces.js + faces-worker.js),
// in Debian's headless Chromium through playwright-core, on photos from the shared,
// hand-annotated face corpus (skipped with a message when it is absent):
//  * photos with faces get data-face boxes that match the annotations (IoU >= 0.4,
//    greedy, labels narrower than 12 px not counted), the `faces` finding, the count
//    in the verdict and a screen-reader announcement; no-face photos get none;
//  * a HEIC photo (Chromium cannot decode it) says faces and codes could not be checked;
//  * a broken picture module leaves the metadata verdict and says faces and codes were not checked;
//  * zero network requests after load, no console errors.
// Needs www/pkg, www/pkg-faces (scripts/build-wasm.sh) and www/models (scripts/fetch-models.sh).
// Last line: "N passed, N failed"; exit code 1 on any failure.

import { serveStatic, runner, assert, eq, COPY_LOADS, copyRequests, afterLoad } from './harness.mjs';
import { openApp, chooseAndSettle, cardOf, boxesOf, iou } from './picture.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const www = path.join(root, 'www');

const corpusBase = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
  .filter(Boolean).find((p) => fs.existsSync(path.join(p, 'faces/annotations.json')));
if (!corpusBase) {
  console.log('skip: face corpus not found (set THINKTWICE_CORPUS)');
  console.log('0 passed, 0 failed');
  process.exit(0);
}
for (const f of ['pkg/thinktwice.js', 'pkg-faces/thinktwice_faces.js', 'models/centerface.ttfw']) {
  if (!fs.existsSync(path.join(www, f))) {
    console.log(`www/${f} is missing: run scripts/build-wasm.sh and scripts/fetch-models.sh`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}
const facesDir = path.join(corpusBase, 'faces');
const detailed = JSON.parse(fs.readFileSync(path.join(facesDir, 'annotations_detailed.json'), 'utf8'));
const names = Object.keys(detailed).sort();
// Every dlib photo (crowds, small faces), a few easy mask photos, and no-face photos (dogs included).
const WITH_FACES = [...names.filter((n) => n.startsWith('dlib_')),
  ...names.filter((n) => n.startsWith('mask_') && detailed[n].difficulty === 'easy').slice(0, 4)];
const NO_FACES = ['neg_dlib_dogs.jpg', ...names.filter((n) => n.startsWith('neg_') && n !== 'neg_dlib_dogs.jpg').slice(0, 2)]
  .filter((n) => detailed[n]);
const HEIC = path.join(corpusBase, 'metadata/files/apple_iphone7_gps.heic');
/** The English catalog, read on its own: the honesty list must name what the picture checks missed. */
const EN = JSON.parse(fs.readFileSync(path.join(root, 'www/i18n/en.json'), 'utf8'));

const { server, base } = await serveStatic(www);

const { test, counts } = runner();

const openPage = (options) => openApp(base, options);
const card = cardOf;

/** Labelled faces (>= 12 px wide) matched by a box with IoU >= 0.4, each box used once. */
function matched(labels, boxes) {
  const used = boxes.map(() => false);
  let found = 0, counted = 0;
  for (const l of labels) {
    let best = -1, bestIou = 0.4;
    boxes.forEach((b, i) => { const v = iou(l, b); if (!used[i] && v >= bestIou) { best = i; bestIou = v; } });
    if (best >= 0) used[best] = true;
    if (l[2] >= 12) { counted++; if (best >= 0) found++; }
  }
  return { found, counted };
}

const file = (name) => ({ name, mimeType: 'application/octet-stream', buffer: fs.readFileSync(path.join(facesDir, 'images', name)) });

await test(`faces found and boxed (${WITH_FACES.length} photos with faces, ${NO_FACES.length} without); zero requests; no errors`, async () => {
  const { ctx, page, log } = await openPage();
  try {
    await chooseAndSettle(page, [...WITH_FACES, ...NO_FACES].map(file));
    let found = 0, counted = 0;
    for (const name of WITH_FACES) {
      const d = detailed[name];
      const c = card(page, name);
      const boxes = await boxesOf(page, name, '[data-face]', d.width, d.height);
      const m = matched(d.faces.map((f) => f.bbox), boxes);
      console.log(`     ${name}: ${boxes.length} boxes, ${m.found}/${m.counted} labelled faces matched`);
      found += m.found; counted += m.counted;
      assert(boxes.length > 0, `${name}: no face boxes`);
      assert((await c.locator('[data-finding="faces"]').count()) === 1, `${name}: no faces finding`);
      assert(/\d+ faces?/.test(await c.locator('.verdict-sentence').textContent()), `${name}: no face count in the verdict`);
      const level = await c.getAttribute('data-level');
      assert(['high', 'people'].includes(level), `${name}: level ${level}`);
    }
    const recall = found / counted;
    console.log(`     recall over these photos: ${found}/${counted} = ${recall.toFixed(3)}`);
    assert(recall >= 0.8, `too few labelled faces matched: ${recall.toFixed(3)}`);
    for (const name of NO_FACES) {
      const c = card(page, name);
      eq(await c.locator('[data-face]').count(), 0, `${name}: face boxes`);
      eq(await c.locator('[data-face-check]').getAttribute('data-face-check'), 'done', `${name}: face check state`);
      assert((await c.locator('.faces-note').textContent()).includes('No faces found'), `${name}: note`);
    }
    assert((await page.textContent('#faces-status')).length > 10, 'screen readers hear the face result');
    const one = card(page, WITH_FACES[0]);
    await one.locator('.faces-toggle').click();
    assert(await one.locator('.faces').isHidden(), 'toggle hides the boxes');
    fs.mkdirSync(path.join(root, 'e2e-out'), { recursive: true });
    await card(page, 'dlib_2007_007763.jpg').screenshot({ path: path.join(root, 'e2e-out', 'card-real-faces-en.png') }).catch(() => {});
    eq(afterLoad(log.requests), [], 'requests after load');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('a first check (faces + codes) fetches no copy module; covering the faces fetches it once and gives a verified copy', async () => {
  const { ctx, page, log } = await openPage();
  try {
    const name = WITH_FACES[0];
    await chooseAndSettle(page, [file(name)]);
    const c = card(page, name);
    const faces = await c.locator('[data-face]').count();
    assert(faces > 0, 'faces found');
    eq(await c.locator('[data-code-check]').getAttribute('data-code-check'), 'done', 'codes looked for');
    const once = (f) => log.all.filter((u) => new URL(u).pathname === `/${f}`).length;
    for (const f of ['pkg-faces/thinktwice_faces_bg.wasm', 'models/centerface.ttfw', 'pkg-codes/thinktwice_codes_bg.wasm']) eq(once(f), 1, `${f} requests`);
    eq(copyRequests(log.all), [], 'the first check fetched nothing of the copy module');
    eq(afterLoad(log.requests), [], 'requests after load');

    await c.locator('.safer [data-choice="cover_faces"] input').check();
    await c.locator('button.make-copy').click();
    await c.locator('a.download').waitFor({ timeout: 120000 });
    assert((await c.locator('.safer-done').textContent()).includes('covered for good'), 'the covered copy is offered (verified by clean)');
    const [download] = await Promise.all([page.waitForEvent('download'), c.locator('a.download').click()]);
    // A second covered copy (other choices) uses the same copy worker: nothing is fetched again.
    await c.locator('.safer [data-choice="drop_profile"] input').check();
    await c.locator('button.make-copy').click();
    await c.locator('a.download').waitFor({ timeout: 120000 });
    const after = afterLoad(log.all.slice(log.readyAt)); // the place table, fetched on the first photo, aside
    eq(copyRequests(after, COPY_LOADS).sort(), [...COPY_LOADS].sort(), 'covering fetched the copy module, once');
    eq(after.length, COPY_LOADS.length, `nothing else after load: ${after}`);
    // The copy, checked again by the page: its faces are covered (the detector no longer finds them all).
    const copyName = 'covered-copy.jpg';
    await chooseAndSettle(page, [{ name: copyName, mimeType: 'image/jpeg', buffer: fs.readFileSync(await download.path()) }]);
    const left = await card(page, copyName).locator('[data-face]').count();
    assert(left < faces, `faces still found in the covered copy: ${left} of ${faces}`);
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('HEIC (Chromium cannot decode it): the card says faces could not be checked', async () => {
  if (!fs.existsSync(HEIC)) { console.log('     skip: no HEIC in the metadata corpus'); return; }
  const { ctx, page, log } = await openPage();
  try {
    await chooseAndSettle(page, [{ name: 'phone.heic', mimeType: 'image/heic', buffer: fs.readFileSync(HEIC) }]);
    const c = card(page, 'phone.heic');
    eq(await c.locator('[data-face-check]').getAttribute('data-face-check'), 'undecodable', 'face check state');
    eq(await c.locator('[data-code-check]').getAttribute('data-code-check'), 'undecodable', 'code check state');
    assert((await c.locator('.codes-note').textContent()).includes('could not be checked'), 'the card says codes could not be checked');
    assert((await c.locator('.honesty').textContent()).includes(EN.ui['not_checked.picture_undecodable']), 'the not-checked list says faces and codes were not looked for');
    assert((await c.locator('[data-finding="gps-location"]').count()) === 1, 'the metadata result stays');
    eq(afterLoad(log.requests), [], 'requests after load');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('broken face module: page still ready, verdict shown, "faces were not checked"', async () => {
  const route = (ctx) => ctx.route('**/pkg-faces/thinktwice_faces_bg.wasm', (r) => r.fulfill({ contentType: 'application/wasm', body: 'not wasm' }));
  const { ctx, page, log } = await openPage({ route });
  try {
    await chooseAndSettle(page, [file(WITH_FACES[0])]);
    const c = card(page, WITH_FACES[0]);
    eq(await c.locator('[data-face-check]').getAttribute('data-face-check'), 'failed', 'face check state');
    // Codes are a module of their own: a broken face module costs only the face check.
    eq(await c.locator('[data-code-check]').getAttribute('data-code-check'), 'done', 'code check state (its own module)');
    assert((await c.locator('.checked-list').textContent()).includes('QR codes'), 'codes are listed as checked');
    assert((await c.locator('.honesty').textContent()).includes(EN.ui['faces.failed']), 'the not-checked list says faces were not checked');
    assert((await c.locator('.verdict-sentence').count()) === 1, 'verdict shown');
    eq(await c.locator('[data-face]').count(), 0, 'no boxes');
    eq(afterLoad(log.requests), [], 'requests after load');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

server.close();
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
