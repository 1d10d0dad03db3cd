// Shared by the suites about the picture checks (faces.test.mjs, codes.test.mjs, doors.test.mjs):
// opening the page in headless Chromium with a log of errors and requests,
// choosing photos and waiting until the face and code checks have settled,
// reading the boxes drawn over a photo, how much detail a copy kept inside face boxes
// (doors.test.mjs, firefox.test.mjs), and a real Wi-Fi QR code to draw on one.
import { chromium } from 'playwright-core';
import { assert, KEPT_BY_SERVICE_WORKER } from './harness.mjs';
import { WIFI_QR as WIFI_QR_TEXT } from '../../www/app/samples.js';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];

/**
 * Opens `${base}/index.html` in a fresh profile and waits until it is ready; `route(ctx)` may
 * change answers first. log.requests collects http(s) requests made after ready (there should
 * be none but the place table: harness.mjs afterLoad), apart from the service worker storing the
 * app's own files (log.kept), log.errors page errors, console errors and failed requests.
 */
export async function openApp(base, { route = null } = {}) {
  const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'tt-picture-')), {
    executablePath: CHROMIUM, headless: true, args: ARGS, viewport: { width: 1280, height: 900 }, locale: 'en-GB' });
  if (route) await route(ctx);
  const page = ctx.pages()[0] || await ctx.newPage();
  // all: every request the page made in the visit, load included (not counting the service worker's own
  // fetch of a request it passes on, so a file the page fetched once is there once).
  const log = { errors: [], requests: [], all: [], kept: [] };
  page.on('pageerror', (e) => log.errors.push('pageerror: ' + e.message));
  page.on('console', (m) => { if (m.type() === 'error') log.errors.push('console: ' + m.text()); });
  page.on('requestfailed', (r) => log.errors.push('requestfailed: ' + r.url()));
  ctx.on('request', (r) => {
    if (!/^https?:/.test(r.url())) return;
    if (!r.serviceWorker()) log.all.push(r.url());
    // The service worker storing the app's own files after load (harness.mjs KEPT_BY_SERVICE_WORKER) is
    // listed apart: log.kept. The page's own request for such a file is in log.requests all the same.
    const file = new URL(r.url()).pathname.slice(1);
    if (r.serviceWorker() && r.method() === 'GET' && KEPT_BY_SERVICE_WORKER.includes(file)) log.kept.push(r.url());
    else log.requests.push(r.url());
  });
  await page.goto(`${base}/index.html`);
  await page.waitForSelector('body[data-ready="1"]', { state: 'attached', timeout: 60000 });
  log.requests.length = 0; // from here on: no network but the place table (afterLoad)
  log.readyAt = log.all.length; // log.all.slice(log.readyAt): the page's own requests after ready
  return { ctx, page, log };
}

/** Chooses files, waits for their verdicts and then for every face and code check to settle. */
export async function chooseAndSettle(page, files) {
  const before = await page.locator('article.result[data-ms]').count();
  await page.setInputFiles('#file', files);
  await page.waitForFunction((n) => document.querySelectorAll('article.result[data-ms]').length >= n, before + files.length, { timeout: 120000 });
  await page.waitForFunction(() => !document.querySelector('[data-face-check="looking"], [data-code-check="looking"]'), null, { timeout: 300000 });
  await page.waitForSelector('body[data-places]', { state: 'attached', timeout: 60000 }); // fetched on the first photo chosen
}

/** The result card of the file called `name`. */
export const cardOf = (page, name) => page.locator('article.result').filter({ has: page.locator('h3.file-name').getByText(name, { exact: true }) });

/** Boxes (`selector`: '[data-face]', '[data-code]') on a card, in pixels of the upright photo, from their percent positions. */
export async function boxesOf(page, name, selector, width, height) {
  return cardOf(page, name).locator(selector).evaluateAll((els, [w, h]) => els.map((e) => [
    parseFloat(e.style.left) * w / 100, parseFloat(e.style.top) * h / 100,
    parseFloat(e.style.width) * w / 100, parseFloat(e.style.height) * h / 100]), [width, height]);
}

/** Intersection over union of two [x, y, w, h] boxes. */
export function iou(a, b) {
  const x1 = Math.max(a[0], b[0]), y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[0] + a[2], b[0] + b[2]), y2 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  return inter / (a[2] * a[3] + b[2] * b[3] - inter);
}

/** QR code (version 3) of 'WIFI:T:WPA;S:Sharma Home;P:mango1234;;', '#' dark (the teachers' Wi-Fi sample shows it too); see examples/qr_matrix.rs. */
export const WIFI_QR = WIFI_QR_TEXT.trim().split('\n');

/**
 * How much detail each box holds in a JPEG: the mean difference between neighbouring pixels
 * (luma), measured by the browser (`page`: a Playwright or Puppeteer page). A covered (pixelated or solid) face keeps almost none.
 */
export async function detailIn(page, jpeg, boxes) {
  return page.evaluate(async ({ b64, boxes }) => {
    const bitmap = await createImageBitmap(new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))]));
    const canvas = new OffscreenCanvas(bitmap.width, bitmap.height);
    const g = canvas.getContext('2d');
    g.drawImage(bitmap, 0, 0);
    const { data, width, height } = g.getImageData(0, 0, bitmap.width, bitmap.height);
    const luma = (i, j) => { const k = (j * width + i) * 4; return 0.299 * data[k] + 0.587 * data[k + 1] + 0.114 * data[k + 2]; };
    return boxes.map(([x, y, w, h]) => {
      let sum = 0, n = 0;
      for (let j = Math.max(0, Math.round(y)); j < Math.min(height, Math.round(y + h)); j++) {
        for (let i = Math.max(0, Math.round(x)); i < Math.min(width, Math.round(x + w)) - 1; i++) { sum += Math.abs(luma(i + 1, j) - luma(i, j)); n++; }
      }
      return n ? sum / n : 0;
    });
  }, { b64: jpeg.toString('base64'), boxes });
}

/** Asserts the copy lost (nearly) all detail inside every hand-drawn face box, and kept it in `control`. */
export async function assertFacesCovered(page, original, copy, faces, control) {
  const [before, after] = [await detailIn(page, original, [...faces, control]), await detailIn(page, copy, [...faces, control])];
  const ratios = before.map((b, i) => after[i] / b);
  console.log(`     detail left in the copy: faces ${ratios.slice(0, -1).map((r) => r.toFixed(2)).join(', ')}; elsewhere ${ratios.at(-1).toFixed(2)}`);
  ratios.slice(0, -1).forEach((r, i) => assert(r < 0.35, `face ${i} is not covered in the copy (detail ratio ${r.toFixed(2)})`));
  assert(ratios.at(-1) > 0.6, `the copy lost detail away from the faces too (ratio ${ratios.at(-1).toFixed(2)})`);
}
