// Face detection in headless Chromium, in ONE run, on the same images:
// ThinkTwice (CenterFace in wasm, the page's own face worker) against face-api.js
// (@vladmandic/face-api: TinyFaceDetector and SSD MobileNet v1, the models it ships).
// Prints recall, precision, false-alarm images, ms per image (and the ratio to
// ThinkTwice), model load times, a 12 MP JPEG decode + search, and download sizes.
//
// Scoring (same as tests/pixels/faces_corpus.rs): per image, detections best score first
// are matched greedily to the unmatched label with the highest IoU >= 0.4; labels
// narrower than 12 px do not count against recall; unmatched detections narrower
// than 10 px do not count against precision; a no-face (neg_*) image with any
// detection is a false-alarm image.
//
// Needs: bash scripts/fetch-models.sh; bash scripts/build-wasm.sh (www/pkg-faces);
// npm ci (playwright-core, @vladmandic/face-api); the face corpus.
// Usage: node bench/faces/browser-bench.mjs [CORPUS_FACES_DIR]
// Env: BENCH_FACEAPI=0 (ThinkTwice only), FACEAPI_BACKEND=webgl|cpu (default: webgl when this Chromium has it, else cpu),
//      BENCH_EVERY=N (every Nth image, default 1; 0 = only the 12 MP timing), BENCH_JSON=out.json (per-image rows),
//      CHROMIUM_BIN (default /usr/bin/chromium).
import { chromium } from 'playwright-core';
import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import zlib from 'node:zlib';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const corpus = [process.argv[2], process.env.THINKTWICE_CORPUS && path.join(process.env.THINKTWICE_CORPUS, 'faces'),
  path.join(root, '../shared/corpus/faces'), '/work/shared/corpus/faces']
  .filter(Boolean).find((d) => fs.existsSync(path.join(d, 'annotations.json')));
if (!corpus) { console.log('no face corpus found: pass its folder or set THINKTWICE_CORPUS'); process.exit(1); }
for (const f of ['www/pkg-faces/thinktwice_faces.js', 'www/models/centerface.ttfw', 'node_modules/@vladmandic/face-api/dist/face-api.esm.js']) {
  if (!fs.existsSync(path.join(root, f))) { console.log(`missing ${f} (see the header of this file)`); process.exit(1); }
}
const annotations = JSON.parse(fs.readFileSync(path.join(corpus, 'annotations.json'), 'utf8'));
const EVERY = Number(process.env.BENCH_EVERY ?? 1); // 0: no corpus pass (the 12 MP timing only)
const names = EVERY > 0 ? Object.keys(annotations).sort().filter((_, i) => i % EVERY === 0) : [];
const FACEAPI = process.env.BENCH_FACEAPI !== '0'; // 0: ThinkTwice only

// ---- static server: the repository (www/, bench/, node_modules/) and the corpus images
const MIME = { '.html': 'text/html; charset=utf-8', '.js': 'text/javascript', '.wasm': 'application/wasm',
  '.json': 'application/json', '.jpg': 'image/jpeg', '.png': 'image/png', '.webp': 'image/webp' };
const server = http.createServer((req, res) => {
  const u = decodeURIComponent(new URL(req.url, 'http://x').pathname);
  const [base, rel] = u.startsWith('/corpus/') ? [path.join(corpus, 'images'), u.slice(8)] : [root, u.slice(1)];
  const p = path.normalize(path.join(base, rel));
  const allowed = base !== root || /^(www|bench|node_modules)\//.test(rel);
  if (!allowed || !p.startsWith(base) || !fs.existsSync(p) || fs.statSync(p).isDirectory()) { res.writeHead(404); res.end(); return; }
  res.writeHead(200, { 'content-type': MIME[path.extname(p)] || 'application/octet-stream' });
  fs.createReadStream(p).pipe(res);
});
await new Promise((r) => server.listen(0, '127.0.0.1', r));
const origin = `http://127.0.0.1:${server.address().port}`;

// ---- scoring
const iou = (a, b) => {
  const x1 = Math.max(a[0], b[0]), y1 = Math.max(a[1], b[1]);
  const x2 = Math.min(a[0] + a[2], b[0] + b[2]), y2 = Math.min(a[1] + a[3], b[1] + b[3]);
  const inter = Math.max(0, x2 - x1) * Math.max(0, y2 - y1);
  const union = a[2] * a[3] + b[2] * b[3] - inter;
  return union > 0 ? inter / union : 0;
};
function newScore() { return { labels: 0, found: 0, tp: 0, fp: 0, negatives: 0, alarms: [], ms: [] }; }
function addScore(s, name, labels, dets, ms) {
  const used = labels.map(() => false);
  for (const d of [...dets].sort((a, b) => b[4] - a[4])) {
    let best = -1, bestIou = 0.4;
    labels.forEach((l, i) => { const v = iou(d, l); if (!used[i] && v >= bestIou) { best = i; bestIou = v; } });
    if (best >= 0) { used[best] = true; s.tp++; } else if (d[2] >= 10) s.fp++;
  }
  labels.forEach((l, i) => { if (l[2] >= 12) { s.labels++; if (used[i]) s.found++; } });
  if (name.startsWith('neg_')) { s.negatives++; if (dets.length) s.alarms.push(name); }
  s.ms.push(ms);
}
const mean = (a) => a.reduce((x, y) => x + y, 0) / Math.max(1, a.length);
const median = (a) => { const s = [...a].sort((x, y) => x - y); return s.length ? s[Math.floor(s.length / 2)] : 0; };

// ---- run
const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'tt-fbench-')), {
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-dev-shm-usage', '--no-first-run', '--enable-unsafe-swiftshader', '--use-angle=swiftshader'],
});
const page = ctx.pages()[0] || await ctx.newPage();
const errors = [];
page.on('pageerror', (e) => errors.push(e.message));
page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
await page.goto(`${origin}/bench/faces/browser-bench.html`);
await page.waitForFunction(() => window.bench, null, { timeout: 60000 });

const hasWebgl = await page.evaluate(() => !!document.createElement('canvas').getContext('webgl2'));
const backend = process.env.FACEAPI_BACKEND || (hasWebgl ? 'webgl' : 'cpu');
const oursLoad = await page.evaluate(() => window.bench.loadOurs());
const apiLoad = FACEAPI ? await page.evaluate((b) => window.bench.loadFaceApi(b), backend)
  : { tfVersion: '-', backend: 'not run', tinyLoad: NaN, tinyFirst: NaN, ssdLoad: NaN, ssdFirst: NaN, backendMs: NaN };
console.log(`chromium ${ctx.browser()?.version() ?? ''}  cores ${os.cpus().length}  load average ${os.loadavg().map((x) => x.toFixed(1)).join(' ')}`);
console.log(`face-api.js: tfjs ${apiLoad.tfVersion}, backend ${apiLoad.backend} (WebGL2 available: ${hasWebgl})`);
console.log(`images: ${names.length} of ${Object.keys(annotations).length} in ${corpus}`);

const scores = { ours: newScore(), tiny: newScore(), ssd: newScore() };
const rows = [];
for (const [i, name] of names.entries()) {
  const url = `${origin}/corpus/${encodeURIComponent(name)}`;
  const labels = annotations[name];
  const r = { name };
  r.ours = await page.evaluate((u) => window.bench.ours(u), url);
  const none = { faces: [], ms: NaN };
  r.tiny = FACEAPI ? await page.evaluate((u) => window.bench.faceapi('tiny', u), url) : none;
  r.ssd = FACEAPI ? await page.evaluate((u) => window.bench.faceapi('ssd', u), url) : none;
  for (const k of ['ours', 'tiny', 'ssd']) addScore(scores[k], name, labels, r[k].faces, r[k].ms);
  rows.push(r);
  if ((i + 1) % 25 === 0) console.log(`  ${i + 1}/${names.length}`);
}

// 12 MP JPEG (4000×3000, made from a corpus photo with 7 faces): decode + search, 3 runs each.
const big = await page.evaluate((u) => window.bench.make12mp(u), `${origin}/corpus/dlib_2007_007763.jpg`);
const bigRuns = { ours: [], tiny: [], ssd: [] };
const bigFaces = {};
for (let i = 0; i < 3; i++) {
  const o = await page.evaluate((b) => window.bench.ours(null, b), big);
  bigRuns.ours.push(o.ms); bigFaces.ours = o.faces.length;
  for (const k of FACEAPI ? ['tiny', 'ssd'] : []) {
    const a = await page.evaluate(([k, b]) => window.bench.faceapi(k, null, b), [k, big]);
    bigRuns[k].push(a.ms); bigFaces[k] = a.faces.length;
  }
}
await ctx.close();
server.close();

// ---- sizes (what a browser downloads; gzip -9 as a static server would send it)
const gz = (files) => files.reduce((acc, f) => {
  const b = fs.readFileSync(path.join(root, f));
  return { raw: acc.raw + b.length, gz: acc.gz + zlib.gzipSync(b, { level: 9 }).length };
}, { raw: 0, gz: 0 });
const mb = (s) => `${(s.raw / 1e6).toFixed(2)} MB raw / ${(s.gz / 1e6).toFixed(2)} MB gzip`;
const fa = 'node_modules/@vladmandic/face-api';
const sizes = {
  ours: gz(['www/pkg-faces/thinktwice_faces.js', 'www/pkg-faces/thinktwice_faces_bg.wasm', 'www/app/faces-worker.js']),
  oursModel: gz(['www/models/centerface.ttfw']),
  api: gz([`${fa}/dist/face-api.esm.js`]),
  tinyModel: gz([`${fa}/model/tiny_face_detector_model.bin`, `${fa}/model/tiny_face_detector_model-weights_manifest.json`]),
  ssdModel: gz([`${fa}/model/ssd_mobilenetv1_model.bin`, `${fa}/model/ssd_mobilenetv1_model-weights_manifest.json`]),
};

// ---- report
const label = { ours: 'ThinkTwice CenterFace (wasm, 640)', tiny: `face-api TinyFaceDetector (${apiLoad.backend})`, ssd: `face-api SSD MobileNet v1 (${apiLoad.backend})` };
const base = mean(scores.ours.ms);
console.log('\n| detector | recall | precision | false-alarm images | ms/image mean (median) | ms ratio to ThinkTwice |');
console.log('|---|---|---|---|---|---|');
for (const k of ['ours', 'tiny', 'ssd']) {
  const s = scores[k];
  const recall = s.found / Math.max(1, s.labels), precision = s.tp / Math.max(1, s.tp + s.fp);
  console.log(`| ${label[k]} | ${recall.toFixed(3)} (${s.found}/${s.labels}) | ${precision.toFixed(3)} (${s.tp} TP / ${s.fp} FP) | ${s.alarms.length}/${s.negatives} | ${mean(s.ms).toFixed(0)} (${median(s.ms).toFixed(0)}) | ${(mean(s.ms) / base).toFixed(2)}× |`);
}
console.log('\n| item | ThinkTwice | face-api TinyFaceDetector | face-api SSD MobileNet v1 |');
console.log('|---|---|---|---|');
console.log(`| model load (fetch + compile + parse + first run) | ${oursLoad.readyMs.toFixed(0)} ms (files fetched after ${oursLoad.fetchedMs.toFixed(0)} ms) | ${(apiLoad.tinyLoad + apiLoad.tinyFirst).toFixed(0)} ms (+ tfjs backend ${apiLoad.backendMs.toFixed(0)} ms) | ${(apiLoad.ssdLoad + apiLoad.ssdFirst).toFixed(0)} ms |`);
console.log(`| 12 MP JPEG decode + search (best of 3; faces, 7 labelled) | ${Math.min(...bigRuns.ours).toFixed(0)} ms (${bigFaces.ours}) | ${Math.min(...bigRuns.tiny).toFixed(0)} ms (${bigFaces.tiny}) | ${Math.min(...bigRuns.ssd).toFixed(0)} ms (${bigFaces.ssd}) |`);
console.log(`| code | ${mb(sizes.ours)} | ${mb(sizes.api)} (tfjs included, shared by both) | same |`);
console.log(`| weights | ${mb(sizes.oursModel)} | ${mb(sizes.tinyModel)} | ${mb(sizes.ssdModel)} |`);
console.log(`| code + weights | ${mb({ raw: sizes.ours.raw + sizes.oursModel.raw, gz: sizes.ours.gz + sizes.oursModel.gz })} | ${mb({ raw: sizes.api.raw + sizes.tinyModel.raw, gz: sizes.api.gz + sizes.tinyModel.gz })} | ${mb({ raw: sizes.api.raw + sizes.ssdModel.raw, gz: sizes.api.gz + sizes.ssdModel.gz })} |`);
for (const k of ['ours', 'tiny', 'ssd']) if (scores[k].alarms.length) console.log(`false alarms ${k}: ${scores[k].alarms.join(', ')}`);
if (errors.length) console.log(`page errors: ${errors.slice(0, 5).join(' | ')}`);
if (process.env.BENCH_JSON) fs.writeFileSync(process.env.BENCH_JSON, JSON.stringify({ rows, oursLoad, apiLoad, bigRuns }, null, 1));
