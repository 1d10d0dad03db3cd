// End-to-end: every safer copy of the metadata corpus displays in Chromium.
// For each JPEG, PNG, WebP, TIFF, DNG, HEIC/HEIF and AVIF file (malformed_* excluded), the page
// makes the safer copy with the WebAssembly `clean` (www/pkg), loads it as a blob URL into an
// <img>, awaits img.decode() and checks naturalWidth × naturalHeight against ExifTool's upright
// size (metadata/exiftool/*.json: Composite:ImageSize turned by IFD0:Orientation, or by the
// QuickTime Rotation for HEIF/AVIF; WebP at its stored size, see expectedSize), and that the copy
// shows the same way round as the original wherever Chromium shows the original. Independent of
// ThinkTwice's own report on purpose.
//  * A WebP copy (lossy ones are cut to the bytes the decoder reads) shows exactly the original's
//    pixels in Chromium, wherever Chromium shows the original.
//  * Lossy WebPs that Chromium encodes itself, with a marker planted after the first VP8 partition
//    and after the token partition: the copy holds no marker and shows the original's pixels.
//  * A DNG whose previews ExifTool says are not in the file must be refused (nothing to share).
//  * Chromium cannot show HEIC/HEIF at all: for those the test asserts that the original does not
//    display either, and says they are checked by other means (tests/clean/corpus.rs, heif tests).
// Needs www/pkg (scripts/build-wasm.sh core). Skips with a message when the corpus is absent.
// Last line: "N passed, N failed"; exit code 1 on any failure.

import { chromium } from 'playwright-core';
import { serveStatic, runner, assert } from './harness.mjs';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const www = path.join(root, 'www');
const CHROMIUM = process.env.CHROMIUM_BIN || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage',
  '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-quic', '--no-first-run'];
const EXTENSIONS = ['jpg', 'jpeg', 'mpo', 'png', 'webp', 'tif', 'tiff', 'dng', 'heic', 'heif', 'hif', 'avif'];
/** Formats Chromium has no decoder for (not even for the original photo). */
const NOT_IN_CHROMIUM = ['HEIC', 'HEIF'];

const corpus = [process.env.THINKTWICE_CORPUS, path.join(root, '../shared/corpus')]
  .filter(Boolean).map((c) => path.join(c, 'metadata')).find((c) => fs.existsSync(path.join(c, 'expected.json')));
if (!corpus) {
  console.log('skip: metadata corpus not found (set THINKTWICE_CORPUS=/path/to/shared/corpus)');
  console.log('0 passed, 0 failed');
  process.exit(0);
}
if (!fs.existsSync(path.join(www, 'pkg/thinktwice.js'))) {
  console.log('www/pkg is missing: run scripts/build-wasm.sh core');
  console.log('0 passed, 1 failed');
  process.exit(1);
}

const expected = JSON.parse(fs.readFileSync(path.join(corpus, 'expected.json'), 'utf8'));
const names = fs.readdirSync(path.join(corpus, 'files'))
  .filter((n) => !n.startsWith('malformed_') && EXTENSIONS.includes(n.split('.').pop().toLowerCase())).sort();

/**
 * The size Chromium should show, by ExifTool: the stored size, turned a quarter by orientation 5–8
 * or by a HEIF/AVIF rotation of 90/270. Chromium does not turn WebP by its EXIF orientation (not
 * even the original), so a WebP is expected at its stored size; `turnedWebp` says when that matters.
 */
function expectedSize(name) {
  const tags = JSON.parse(fs.readFileSync(path.join(corpus, 'exiftool', `${name}.json`), 'utf8'))[0];
  const [w, h] = (tags['Composite:ImageSize'] || `${tags['File:ImageWidth']} ${tags['File:ImageHeight']}`)
    .split(/[ x]/).map(Number);
  const heif = tags['QuickTime:ImageSpatialExtent'] !== undefined;
  const quarter = heif ? [90, 270].includes(tags['QuickTime:Rotation']) : [5, 6, 7, 8].includes(tags['IFD0:Orientation']);
  const webp = tags['File:MIMEType'] === 'image/webp';
  return { size: quarter && !webp ? [h, w] : [w, h], turnedWebp: quarter && webp };
}

/** ExifTool says none of the DNG's previews is inside the file (a cut-short sample). */
const holdsNoPicture = (name) => expected[name]?.file_type === 'DNG'
  && (expected[name].embedded_thumbnails || []).every((t) => t.data_present === false);

const TEST_PAGE = '<!doctype html><meta charset="utf-8"><title>display test</title><body></body>';
const { server, base } = await serveStatic(www, {
  mounts: { '/__corpus/': path.join(corpus, 'files') }, pages: { '/__test/display.html': TEST_PAGE } });
const { test, counts } = runner();
const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'tt-display-')), {
  executablePath: CHROMIUM, headless: true, args: ARGS });
const page = ctx.pages()[0] || await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push('pageerror: ' + e.message));
await page.goto(`${base}/__test/display.html`);
await page.evaluate(async () => {
  const wasm = await import('/pkg/thinktwice.js');
  await wasm.default();
  // Copies that draw the picture again (TIFF, lossless WebP) come from the copy module, as in the app.
  const picture = await import('/pkg-copy/thinktwice_copy.js');
  await picture.default();
  const MIME = { JPEG: 'image/jpeg', PNG: 'image/png', WebP: 'image/webp', HEIC: 'image/heic', HEIF: 'image/heif', AVIF: 'image/avif' };
  /** Shows bytes in an <img>; the size it displays at, or null when Chromium cannot decode them. */
  async function display(bytes, format) {
    const url = URL.createObjectURL(new Blob([bytes], { type: MIME[format] || '' }));
    const img = new Image();
    img.src = url;
    try { await img.decode(); return [img.naturalWidth, img.naturalHeight]; } catch { return null; } finally { URL.revokeObjectURL(url); }
  }
  /** Chromium's own pixels of a picture (no colour conversion), or null when it cannot decode it. */
  async function pixels(bytes, format) {
    try {
      const bmp = await createImageBitmap(new Blob([bytes], { type: MIME[format] || '' }),
        { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
      const c = new OffscreenCanvas(bmp.width, bmp.height);
      const g = c.getContext('2d');
      g.drawImage(bmp, 0, 0);
      return g.getImageData(0, 0, bmp.width, bmp.height).data;
    } catch { return null; }
  }
  async function samePixels(a, b, format) {
    const [pa, pb] = [await pixels(a, format), await pixels(b, format)];
    return !!pa && !!pb && pa.length === pb.length && pa.every((v, i) => v === pb[i]);
  }
  window.wasmClean = (bytes) => wasm.clean(bytes, '');
  window.samePixels = samePixels;
  /** Cleans one corpus file with the defaults; what came out and how it displays. */
  window.cleanAndDisplay = async (name, format) => {
    const original = new Uint8Array(await (await fetch('/__corpus/' + encodeURIComponent(name))).arrayBuffer());
    let copy;
    try {
      copy = wasm.clean(original, '');
      if (copy.reencode) copy = picture.cleanRedrawn(original, '');
    } catch (e) { return { refused: String(e.message || e) }; }
    return {
      format: copy.format, bytesIn: original.length, bytesOut: copy.bytes.length, findings: copy.report.findings.map((f) => f.id),
      shown: await display(copy.bytes, copy.format), originalShown: await display(original, format),
      samePixels: copy.format === 'WebP' ? await samePixels(original, copy.bytes, 'WebP') : null,
    };
  };
});

const tally = { cleaned: 0, refused: 0, displayed: 0, webpSamePixels: 0, notInChromium: [], turnedWebp: [], bytesIn: 0, bytesOut: 0 };
const t0 = Date.now();
for (const name of names) {
  await test(`${name}: the safer copy displays upright at ExifTool's size`, async () => {
    const r = await page.evaluate(([n, f]) => window.cleanAndDisplay(n, f), [name, expected[name]?.file_type]);
    if (holdsNoPicture(name)) {
      assert(r.refused && r.refused.includes('no finished picture'), `holds no picture, yet: ${JSON.stringify(r)}`);
      tally.refused++;
      return;
    }
    assert(!r.refused, `no safer copy: ${r.refused}`);
    tally.cleaned++;
    tally.bytesIn += r.bytesIn;
    tally.bytesOut += r.bytesOut;
    assert(r.findings.length === 0, `the copy's own check finds ${r.findings}`);
    if (NOT_IN_CHROMIUM.includes(r.format)) {
      assert(r.originalShown === null && r.shown === null, `Chromium decoded ${r.format} after all: ${JSON.stringify(r)}`);
      tally.notInChromium.push(name);
      return;
    }
    const { size, turnedWebp } = expectedSize(name);
    assert(r.shown, `Chromium cannot display the ${r.format} copy`);
    assert(r.shown[0] === size[0] && r.shown[1] === size[1], `shown ${r.shown.join('×')}, ExifTool says ${size.join('×')}`);
    // Where Chromium can show the original, the copy is shown exactly the same way round.
    assert(!r.originalShown || r.originalShown.join() === r.shown.join(), `original shown ${r.originalShown}, copy ${r.shown}`);
    if (turnedWebp) tally.turnedWebp.push(name);
    if (r.samePixels !== null && r.originalShown) {
      assert(r.samePixels, 'the WebP copy shows other pixels than the original');
      tally.webpSamePixels++;
    }
    tally.displayed++;
  });
}
console.log(`display: ${names.length} files in ${((Date.now() - t0) / 1000).toFixed(1)} s: ${tally.cleaned} cleaned, `
  + `${tally.displayed} displayed at the right size, ${tally.refused} refused (no picture inside); `
  + `${tally.bytesIn} bytes in, ${tally.bytesOut} out`);
console.log(`display: ${tally.webpSamePixels} WebP copies show exactly the original's pixels`);
console.log(`display: ${tally.notInChromium.length} HEIC/HEIF copies not shown because Chromium shows no HEIC/HEIF at all `
  + `(nor the originals); they are checked by tests/clean/corpus.rs and the heif tests instead`);
if (tally.turnedWebp.length) {
  console.log(`display: ${tally.turnedWebp.join(', ')}: Chromium ignores a WebP's EXIF orientation, so these show `
    + 'sideways, the original as much as the copy (the copy keeps the orientation for viewers that follow it)');
}
// A lossy WebP from Chromium's own encoder (libwebp), with the marker planted where the decoder stops
// reading: after the first partition (its size in the frame tag grows) or after the token partition.
for (const where of ['after the first partition', 'after the token partition']) {
  await test(`Chromium's lossy WebP, marker ${where}: the copy drops it and shows the same pixels`, async () => {
    const r = await page.evaluate(async (w) => {
      const c = new OffscreenCanvas(161, 97);
      const g = c.getContext('2d');
      const grad = g.createLinearGradient(0, 0, 161, 97);
      grad.addColorStop(0, '#0a6'); grad.addColorStop(1, '#f80');
      g.fillStyle = grad; g.fillRect(0, 0, 161, 97);
      g.fillStyle = '#124'; g.font = '28px sans-serif'; g.fillText('Think twice', 8, 60);
      const webp = new Uint8Array(await (await c.convertToBlob({ type: 'image/webp', quality: 0.8 })).arrayBuffer());
      // The VP8 chunk (Chromium may put VP8X and ALPH before it).
      let pos = 12;
      const dv = new DataView(webp.buffer);
      while (pos + 8 <= webp.length && String.fromCharCode(...webp.slice(pos, pos + 4)) !== 'VP8 ') pos += 8 + dv.getUint32(pos + 4, true) + (dv.getUint32(pos + 4, true) & 1);
      if (pos + 8 > webp.length) return { fourcc: 'none' };
      const marker = new TextEncoder().encode('Ravi Kumar 9876543210 ravi@example.com');
      const size = dv.getUint32(pos + 4, true);
      const d = pos + 8;
      const tag = webp[d] | (webp[d + 1] << 8) | (webp[d + 2] << 16);
      const at = w === 'after the first partition' ? d + 10 + (tag >> 5) : d + size;
      const grown = size + marker.length;
      const out = new Uint8Array(webp.length + marker.length + (grown & 1) - (size & 1));
      out.set(webp.slice(0, at)); out.set(marker, at); out.set(webp.slice(at, d + size), at + marker.length);
      out.set(webp.slice(d + size + (size & 1)), d + grown + (grown & 1));
      const odv = new DataView(out.buffer);
      odv.setUint32(4, out.length - 8, true);
      odv.setUint32(pos + 4, grown, true);
      if (w === 'after the first partition') {
        const t = tag + (marker.length << 5);
        out[d] = t & 255; out[d + 1] = (t >> 8) & 255; out[d + 2] = t >> 16;
      }
      const fourcc = 'VP8 ';
      const copy = window.wasmClean(out);
      const text = new TextDecoder('latin1').decode(copy.bytes);
      return { fourcc, lossless: copy.lossless, marker: text.includes('9876543210'), planted: new TextDecoder('latin1').decode(out).includes('9876543210'),
        same: await window.samePixels(webp, copy.bytes, 'WebP'), plantedSame: await window.samePixels(webp, out, 'WebP') };
    }, where);
    assert(r.fourcc === 'VP8 ', 'Chromium wrote no lossy (VP8) WebP');
    assert(r.planted && r.plantedSame, 'the planted file is not the same picture with a marker');
    assert(!r.marker, 'the marker survived in the copy');
    assert(r.same, 'the copy shows other pixels than the original');
  });
}
await test('no page errors', async () => assert(!errors.length, errors.join('\n')));

await ctx.close();
server.close();
console.log(`${counts.passed} passed, ${counts.failed} failed`);
process.exit(counts.failed ? 1 : 0);
