// Benchmark (not a test): where the time of a safer copy goes in headless
// Chromium, stage by stage, for a 12 MP JPEG: lossless, one box covered
// (upright), one box covered in a photo stored on its side (EXIF
// orientation 6), and the top half covered (the page's keyboard choice). Uses the picture module
// (www/pkg-copy, `bash scripts/build-wasm.sh copy`: covered copies are made there, the core has no
// image codecs; its `cleanRedrawn` makes the lossless copy the same way as the core's `clean`)
// on the page's main thread and its `redrawStageTimes()`; "JS boundary" is the
// call's wall time minus the stages (copying the bytes in, building the result).
// Extra JPEG files given as arguments are measured the same way (covered only).
// `--pkg DIR` (repeatable) compares builds of the copy module kept elsewhere (a copy of
// www/pkg-copy): their runs alternate, so a busy machine slows them alike.
// Usage: node bench/cover.mjs [--pkg DIR ...] [photo.jpg ...]
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic, makeJpeg } from '../tests/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const RUNS = Number(process.env.RUNS || 5);
const args = process.argv.slice(2);
const pkgs = args.flatMap((a, i) => (args[i - 1] === '--pkg' ? [path.resolve(a)] : []));
const photos = args.filter((a, i) => a !== '--pkg' && args[i - 1] !== '--pkg');
if (!pkgs.length) pkgs.push(path.join(root, 'www/pkg-copy'));
for (const dir of pkgs) {
  if (!fs.existsSync(path.join(dir, 'thinktwice_copy_bg.wasm'))) { console.error(`${dir}: no copy wasm; run bash scripts/build-wasm.sh copy`); process.exit(1); }
}
const mounts = Object.fromEntries(pkgs.map((dir, i) => [`/__pkg${i}/`, dir]));

/** APP1 EXIF holding only an Orientation, inserted right after SOI. */
function withOrientation(jpeg, orientation) {
  const tiff = Buffer.alloc(26);
  tiff.write('II*\0', 0, 'latin1'); tiff.writeUInt32LE(8, 4); tiff.writeUInt16LE(1, 8);
  tiff.writeUInt16LE(0x0112, 10); tiff.writeUInt16LE(3, 12); tiff.writeUInt32LE(1, 14); tiff.writeUInt16LE(orientation, 18);
  const payload = Buffer.concat([Buffer.from('Exif\0\0', 'latin1'), tiff]);
  const seg = Buffer.concat([Buffer.from([0xff, 0xe1, (payload.length + 2) >> 8, (payload.length + 2) & 0xff]), payload]);
  return Buffer.concat([jpeg.subarray(0, 2), seg, jpeg.subarray(2)]);
}

const { server, base } = await serveStatic(path.join(root, 'www'), { mounts, pages: { '/__bench/cover.html': '<!doctype html><title>cover bench</title>' } });
const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'bench-cover-')), {
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--disable-background-networking',
    '--disable-component-update', '--disable-sync', '--no-first-run'],
});
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(`${base}/__bench/cover.html`);
  // The same 12 MP picture as tests/e2e/pagecopy.test.mjs "measure": a canvas JPEG with camera-like noise.
  const big = await makeJpeg(page, 4000, 3000, 40);
  if (process.env.SAVE_PICTURE) fs.writeFileSync(process.env.SAVE_PICTURE, big); // for other tools
  const box = { cover: [{ x: 1800, y: 1000, w: 400, h: 500 }] };
  const cases = [
    ['12 MP lossless', withOrientation(big, 1), {}],
    ['12 MP one box', withOrientation(big, 1), box],
    ['12 MP one box, orientation 6', withOrientation(big, 6), box],
    ['12 MP top half covered', withOrientation(big, 1), { cover: [{ x: 0, y: 0, w: 4000, h: 1500 }] }],
    ...photos.map((f) => [path.basename(f) + ' one box', fs.readFileSync(f), { cover: [{ x: 100, y: 100, w: 400, h: 500 }] }]),
  ];
  const zlib = await import('node:zlib');
  pkgs.forEach((dir, i) => {
    const bytes = fs.readFileSync(path.join(dir, 'thinktwice_copy_bg.wasm'));
    console.log(`[${i}] ${dir}: picture wasm ${bytes.length} B raw, ${zlib.gzipSync(bytes, { level: 9 }).length} B gzip -9`);
  });
  console.log(`median of ${RUNS} runs after a first one (which grows the wasm memory); stages in ms`);
  for (const [name, bytes, options] of cases) {
    const results = await page.evaluate(async ({ b64, options, runs, urls }) => {
      const input = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
      const modules = [];
      for (const url of urls) { const m = await import(url); await m.default(); modules.push(m); }
      const rows = modules.map(() => []);
      const sizes = [];
      const first = [];
      for (let i = 0; i <= runs; i++) {
        modules.forEach((m, k) => {
          const t0 = performance.now();
          const out = m.cleanRedrawn(input, JSON.stringify(options));
          const total = performance.now() - t0;
          sizes[k] = out.bytes.length;
          const stages = m.redrawStageTimes ? m.redrawStageTimes() : [];
          const sum = stages.reduce((s, [, ms]) => s + ms, 0);
          if (i > 0) rows[k].push({ total, stages: [...stages, ['JS boundary', total - sum]] });
          else first[k] = total;
        });
      }
      const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)]; };
      return rows.map((r, k) => ({ input: input.length, size: sizes[k], first: first[k], total: median(r.map((x) => x.total)),
        stages: r[0].stages.map(([n], j) => [n, median(r.map((x) => x.stages[j][1]))]) }));
    }, { b64: bytes.toString('base64'), options, runs: RUNS, urls: pkgs.map((_, i) => `/__pkg${i}/thinktwice_copy.js`) });
    results.forEach((r, k) => {
      const pct = (100 * r.size / r.input).toFixed(1);
      console.log(`${pkgs.length > 1 ? `[${k}] ` : ''}${name}: ${r.total.toFixed(0)} ms, ${(r.input / 1e6).toFixed(2)} MB → ${(r.size / 1e6).toFixed(2)} MB (${pct}%); first run ${r.first.toFixed(0)} ms`);
      console.log('   ' + r.stages.map(([n, ms]) => `${n} ${ms.toFixed(1)}`).join(' | '));
    });
  }
} finally {
  await ctx.close();
  server.close();
}
