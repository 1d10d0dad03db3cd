// Benchmark page: the same ArrayBuffers go to ThinkTwice's wasm `check` and to
// exifr (full build, every segment on), in the same page and the same run.
// Driven by bench/browser.mjs, which reads window.benchResult.
import init, { check } from '/pkg/thinktwice.js';
import * as exifrModule from '/__exifr/full.esm.mjs';

const exifr = exifrModule.default || exifrModule;
// Every segment and block exifr knows, so it does at least the work we do.
const EXIFR_ALL = { tiff: true, ifd0: true, ifd1: true, exif: true, gps: true, interop: true,
  xmp: true, icc: true, iptc: true, jfif: true, ihdr: true, makerNote: true, userComment: true,
  multiSegment: true, mergeOutput: false };
const MIN_MS_PER_FILE = 20, MAX_REPS = 200;

// Mean time of one call: repeat until MIN_MS_PER_FILE has passed, because
// performance.now() is coarse (100 µs) in a page that is not cross-origin isolated.
async function timeIt(fn) {
  await fn(); // warm-up
  const t0 = performance.now();
  let reps = 0;
  while (reps < MAX_REPS && (reps === 0 || performance.now() - t0 < MIN_MS_PER_FILE)) { await fn(); reps++; }
  return (performance.now() - t0) / reps;
}

async function run() {
  await init();
  const names = await (await fetch('/__bench/files.json')).json();
  const files = [];
  for (const name of names) files.push({ name, buf: await (await fetch('/__corpus/' + encodeURIComponent(name))).arrayBuffer() });
  const rows = [];
  for (const { name, buf } of files) {
    let exifrFailed = false;
    try { await exifr.parse(buf, EXIFR_ALL); } catch { exifrFailed = true; }
    const wasm = await timeIt(async () => { check(new Uint8Array(buf), name); });
    const ex = await timeIt(async () => { try { await exifr.parse(buf, EXIFR_ALL); } catch { /* counted above */ } });
    rows.push({ name, bytes: buf.byteLength, wasm, exifr: ex, exifrFailed });
  }
  return rows;
}

run().then((rows) => { window.benchResult = rows; document.body.dataset.state = 'done'; },
  (e) => { window.benchError = String(e && e.stack || e); document.body.dataset.state = 'error'; });
