// End-to-end test of codes in the picture on the page (www/app/codes.js, faces.js,
// faces-worker.js and the code module www/pkg-codes), in Debian's headless
// Chromium through playwright-core. The photos are drawn here, at test time: a
// photo-like scene with a real QR code (the module matrix below, made once by
// `cargo run --example qr_matrix`) stuck on it, saved as JPEG by the browser's
// canvas, so where the code lies is known independently of the code reader.
//  * a Wi-Fi QR code: a `barcode` finding that says Wi-Fi, a labelled box over
//    where the code was drawn, the verdict, the screen-reader announcement, the
//    "what we checked" list, Hindi texts, and the safer copy covers it by default
//    (checked again in the page: the copy has no readable code);
//  * the same photo turned by EXIF (orientation 6): the box lands where the browser
//    shows the code, not where the file stores it;
//  * a photo without a code: the note and the "what we checked" list say codes were
//    looked for (no false comfort);
//  * no network request after load but the copy module for a covered copy, no browser errors;
//  * prints how long the code check takes on a 12 MP JPEG (a measurement, not asserted).
// Needs www/pkg, www/pkg-faces, www/pkg-codes, www/pkg-copy (scripts/build-wasm.sh) and www/models (scripts/fetch-models.sh).
// Last line: "N passed, N failed"; exit code 1 on any failure.

import { serveStatic, runner, assert, eq, COPY_LOADS, copyRequests, afterLoad } from './harness.mjs';
import { openApp, chooseAndSettle, cardOf, boxesOf, iou, WIFI_QR } from './picture.mjs';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const www = path.join(root, 'www');

for (const f of ['pkg/thinktwice.js', 'pkg-faces/thinktwice_faces.js', 'pkg-codes/thinktwice_codes.js', 'pkg-copy/thinktwice_copy.js', 'models/centerface.ttfw']) {
  if (!fs.existsSync(path.join(www, f))) {
    console.log(`www/${f} is missing: run scripts/build-wasm.sh and scripts/fetch-models.sh`);
    console.log('0 passed, 1 failed');
    process.exit(1);
  }
}


const { server, base } = await serveStatic(www);
const { test, counts } = runner();

/** The app page; page warnings (a check that failed says why there) are printed. */
async function openPage() {
  const opened = await openApp(base);
  opened.page.on('console', (m) => { if (m.type() === 'warning') console.log(`     page warning: ${m.text()}`); });
  return opened;
}

/**
 * Draws a photo-like scene (sky, ground, soft blobs, a table edge) of width × height in the page,
 * with, when `qr` is given, a white sticker holding the code at qr.x, qr.y (modules qr.module px)
 * and returns the canvas JPEG as a Buffer. Seeded, so every run draws the same picture.
 */
async function drawPhoto(page, { width, height, qr = null }) {
  const base64 = await page.evaluate(async ({ width, height, qr, matrix }) => {
    let seed = 12345;
    const random = () => { seed = (seed * 1664525 + 1013904223) >>> 0; return seed / 2 ** 32; };
    const canvas = new OffscreenCanvas(width, height);
    const g = canvas.getContext('2d');
    const sky = g.createLinearGradient(0, 0, 0, height);
    sky.addColorStop(0, '#7fb2e5'); sky.addColorStop(0.55, '#dbe8f2'); sky.addColorStop(0.56, '#8a7356'); sky.addColorStop(1, '#4d3b28');
    g.fillStyle = sky;
    g.fillRect(0, 0, width, height);
    for (let i = 0; i < 60; i++) {
      g.fillStyle = `hsla(${Math.floor(random() * 360)}, 45%, ${30 + Math.floor(random() * 50)}%, 0.35)`;
      g.beginPath();
      g.ellipse(random() * width, random() * height, (0.02 + random() * 0.12) * width, (0.02 + random() * 0.1) * height, random() * Math.PI, 0, 2 * Math.PI);
      g.fill();
    }
    if (qr) {
      const n = matrix.length;
      const quiet = 4 * qr.module;
      g.fillStyle = '#f4f4f0';
      g.fillRect(qr.x - quiet, qr.y - quiet, n * qr.module + 2 * quiet, n * qr.module + 2 * quiet);
      g.fillStyle = '#161616';
      matrix.forEach((row, y) => [...row].forEach((c, x) => {
        if (c === '#') g.fillRect(qr.x + x * qr.module, qr.y + y * qr.module, qr.module, qr.module);
      }));
    }
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let text = '';
    for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(text);
  }, { width, height, qr, matrix: WIFI_QR });
  return Buffer.from(base64, 'base64');
}

/** The JPEG with an EXIF block saying "turn 90° clockwise to show" (orientation 6), written here by hand. */
function withOrientation6(jpeg) {
  const tiff = Buffer.from([0x4d, 0x4d, 0, 42, 0, 0, 0, 8, // big-endian TIFF header, IFD0 at 8
    0, 1, 0x01, 0x12, 0, 3, 0, 0, 0, 1, 0, 6, 0, 0, // one entry: Orientation (SHORT) = 6
    0, 0, 0, 0]); // no next IFD
  const body = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const app1 = Buffer.concat([Buffer.from([0xff, 0xe1, (body.length + 2) >> 8, (body.length + 2) & 0xff]), body]);
  return Buffer.concat([jpeg.subarray(0, 2), app1, jpeg.subarray(2)]);
}

const jpegFile = (name, buffer) => ({ name, mimeType: 'image/jpeg', buffer });

const card = cardOf;
const codeBoxesOf = (page, name, width, height) => boxesOf(page, name, '[data-code]', width, height);

const QR = { x: 900, y: 260, module: 6 };
const SIDE = WIFI_QR.length * QR.module;

await test('Wi-Fi QR code: finding, labelled box where it was drawn, verdict, announcement, Hindi, covered copy; no request but the copy module', async () => {
  const { ctx, page, log } = await openPage();
  try {
    const photo = await drawPhoto(page, { width: 1600, height: 1200, qr: QR });
    await chooseAndSettle(page, [jpegFile('sticker.jpg', photo)]);
    const c = card(page, 'sticker.jpg');
    eq(await c.locator('[data-code-check]').getAttribute('data-code-check'), 'done', 'code check state');
    const finding = c.locator('[data-finding="barcode"]');
    eq(await finding.count(), 1, 'barcode findings');
    const findingText = await finding.textContent();
    assert(findingText.includes('Wi-Fi name and password'), `finding says what the code holds: ${findingText}`);
    assert(!findingText.includes('mango1234'), 'the password is never shown');
    eq(await finding.getAttribute('class'), 'finding sev-high', 'a Wi-Fi code is high');
    eq(await c.getAttribute('data-level'), 'high', 'card level');
    assert((await c.locator('.verdict-sentence').textContent()).includes('a code anyone can scan'), 'verdict names the code');

    const boxes = await codeBoxesOf(page, 'sticker.jpg', 1600, 1200);
    eq(boxes.length, 1, 'code boxes');
    const overlap = iou(boxes[0], [QR.x, QR.y, SIDE, SIDE]);
    console.log(`     drawn at ${[QR.x, QR.y, SIDE, SIDE]}, boxed at ${boxes[0].map(Math.round)}: IoU ${overlap.toFixed(2)}`);
    assert(overlap >= 0.5, `the box is not where the code was drawn (IoU ${overlap.toFixed(2)})`);
    eq(await c.locator('.code-label').textContent(), 'QR code: Wi-Fi login', 'box label');
    const spoken = await page.textContent('#faces-status');
    assert(spoken.includes('sticker.jpg') && spoken.includes('Wi-Fi login'), `screen readers hear the code: ${spoken}`);
    assert((await c.locator('.checked-list').textContent()).includes('QR codes and bar codes'), 'the checked list names codes');

    // The safer copy covers a high code by default; the copy, checked in the page, has no code left.
    const cover = c.locator('[data-choice="cover_code_0"] input');
    assert(await cover.isChecked(), 'covering the Wi-Fi code is on by default');
    assert((await c.locator('[data-choice="cover_code_0"] label').textContent()).includes('Cover the QR code (Wi-Fi login)'), 'cover label');
    await c.locator('button.make-copy').click();
    await c.locator('a.download').waitFor({ timeout: 60000 });
    const [download] = await Promise.all([page.waitForEvent('download'), c.locator('a.download').click()]);
    await chooseAndSettle(page, [jpegFile('sticker-safer.jpg', fs.readFileSync(await download.path()))]);
    const copy = card(page, 'sticker-safer.jpg');
    eq(await copy.locator('[data-code-check]').getAttribute('data-code-check'), 'done', 'copy: code check state');
    eq(await copy.locator('[data-finding="barcode"]').count(), 0, 'copy: no readable code left');

    await page.selectOption('#lang', 'hi');
    eq(await c.locator('.code-label').textContent(), 'QR कोड: वाई-फ़ाई लॉगिन', 'Hindi box label');
    assert((await c.locator('.code-kind').textContent()).includes('वाई-फ़ाई का नाम और पासवर्ड'), 'Hindi finding line');
    assert((await c.locator('[data-choice="cover_code_0"] label').textContent()).includes('ढक दें'), 'Hindi cover label');
    fs.mkdirSync(path.join(root, 'e2e-out'), { recursive: true });
    await c.screenshot({ path: path.join(root, 'e2e-out', 'card-qr-wifi-hi.png') }).catch(() => {});
    await page.selectOption('#lang', 'en');
    // After load only the copy module, once, for the covered copy (nothing of the photo goes with it),
    // and the place table the first photo fetched (afterLoad).
    const after = afterLoad(log.all.slice(log.readyAt)); // the page's own (the service worker passes each on once more)
    eq(after.length, COPY_LOADS.length, `requests after load: ${after}`);
    eq(copyRequests(after, COPY_LOADS).sort(), [...COPY_LOADS].sort(), 'requests after load: the copy module');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

await test('EXIF orientation 6: the box is where the browser shows the code; no code: "codes were checked"', async () => {
  const { ctx, page, log } = await openPage();
  try {
    const turned = withOrientation6(await drawPhoto(page, { width: 1600, height: 1200, qr: QR }));
    const plain = await drawPhoto(page, { width: 1600, height: 1200 });
    await chooseAndSettle(page, [jpegFile('turned.jpg', turned), jpegFile('plain.jpg', plain)]);
    // Shown turned 90° clockwise: 1200 × 1600, a stored (x, y) lands at (1200 - y - side, x).
    const shown = [1200 - QR.y - SIDE, QR.x, SIDE, SIDE];
    const boxes = await codeBoxesOf(page, 'turned.jpg', 1200, 1600);
    eq(boxes.length, 1, 'code boxes on the turned photo');
    const overlap = iou(boxes[0], shown);
    console.log(`     turned: shown at ${shown}, boxed at ${boxes[0].map(Math.round)}: IoU ${overlap.toFixed(2)}`);
    assert(overlap >= 0.5, `the box is not where the browser shows the code (IoU ${overlap.toFixed(2)})`);

    const p = card(page, 'plain.jpg');
    eq(await p.locator('[data-code-check]').getAttribute('data-code-check'), 'done', 'code check state');
    eq(await p.locator('[data-code]').count(), 0, 'no code boxes');
    assert((await p.locator('.codes-note').textContent()).includes('No QR codes or bar codes found'), 'the note says codes were looked for');
    assert((await p.locator('.checked-list').textContent()).includes('QR codes and bar codes'), 'the checked list names codes');
    eq(afterLoad(log.requests), [], 'requests after load');
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

// Missing (the download fails) and damaged (the face module refuses it when building the detector, in the worker).
for (const [how, answer] of [['missing', { status: 404, body: 'gone' }],
  ['damaged', { status: 200, contentType: 'application/octet-stream', body: Buffer.concat([Buffer.from('TTFW\x01'), Buffer.alloc(64, 7)]) }]]) {
await test(`face model ${how}: faces are "not checked" but codes are still read`, async () => {
  const route = (ctx) => ctx.route('**/models/centerface.ttfw', (r) => r.fulfill(answer));
  const { ctx, page, log } = await openApp(base, { route });
  try {
    const photo = await drawPhoto(page, { width: 1600, height: 1200, qr: QR });
    await chooseAndSettle(page, [jpegFile('sticker.jpg', photo)]);
    const c = card(page, 'sticker.jpg');
    eq(await c.locator('[data-face-check]').getAttribute('data-face-check'), 'failed', 'face check state');
    eq(await c.locator('[data-code-check]').getAttribute('data-code-check'), 'done', 'code check state');
    eq(await c.locator('[data-finding="barcode"]').count(), 1, 'barcode findings');
    const checked = await c.locator('.checked-list').textContent();
    assert(checked.includes('QR codes and bar codes'), 'codes are listed as checked');
    eq(afterLoad(log.requests), [], 'requests after load');
  } finally { await ctx.close(); }
});
}

await test('measure: codes in a 12 MP JPEG (4000 × 3000, a 185 px QR code), in the page worker', async () => {
  const { ctx, page, log } = await openPage();
  try {
    const qr = { x: 2500, y: 1800, module: 5 };
    const photo = await drawPhoto(page, { width: 4000, height: 3000, qr });
    await chooseAndSettle(page, [jpegFile('big.jpg', photo)]);
    const c = card(page, 'big.jpg');
    const ms = await c.getAttribute('data-codes-ms');
    console.log(`     12 MP JPEG (${(photo.length / 1e6).toFixed(1)} MB): codes found in ${ms} ms (decoded copy to pixels + findCodes, wasm in the worker)`);
    eq(await c.locator('[data-finding="barcode"]').count(), 1, 'the small code is found');
    // The same steps one by one on the page's thread (same engine and module), to see where the time goes.
    const steps = await page.evaluate(async (base64) => {
      const module = await import('./pkg-codes/thinktwice_codes.js');
      await module.default();
      const blob = new Blob([Uint8Array.from(atob(base64), (ch) => ch.charCodeAt(0))], { type: 'image/jpeg' });
      const t0 = performance.now();
      const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
      const t1 = performance.now();
      const g = new OffscreenCanvas(bitmap.width, bitmap.height).getContext('2d', { willReadFrequently: true });
      g.drawImage(bitmap, 0, 0);
      const rgba = new Uint8Array(g.getImageData(0, 0, bitmap.width, bitmap.height).data.buffer);
      const t2 = performance.now();
      const found = [];
      const times = [];
      for (let i = 0; i < 3; i++) {
        const t = performance.now();
        found.push(module.findCodes(rgba, bitmap.width, bitmap.height).length);
        times.push(performance.now() - t);
      }
      return { decode: t1 - t0, pixels: t2 - t1, find: times, found };
    }, photo.toString('base64'));
    const f = steps.find.map((v) => v.toFixed(0)).join(' / ');
    console.log(`     steps on the page thread: decode ${steps.decode.toFixed(0)} ms, to pixels ${steps.pixels.toFixed(0)} ms, findCodes ${f} ms (3 runs; ${steps.found[0]} code)`);
    // A real 13 MP phone photo (shared corpus, when present): the time for a busy picture.
    const real = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus'), '/work/shared/corpus']
      .filter(Boolean).map((p) => path.join(p, 'metadata/files/oppo_r7plus_gps.jpg')).find((p) => fs.existsSync(p));
    if (real) {
      await chooseAndSettle(page, [jpegFile('real.jpg', fs.readFileSync(real))]);
      const realMs = await card(page, 'real.jpg').getAttribute('data-codes-ms');
      console.log(`     real 13 MP phone photo (3120 × 4160, read at 4096 px): codes checked in ${realMs} ms`);
    }
    eq(log.errors, [], 'browser errors');
  } finally { await ctx.close(); }
});

server.close();
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
