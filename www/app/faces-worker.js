// The picture worker: owns the lazily loaded face module (www/pkg-faces, the crate
// built with feature `web-faces`) with the CenterFace model, and the code module
// (www/pkg-codes, feature `web-codes`), which the page hands over after the face
// files so that faces are found first on a slow line. It looks at one photo at a
// time: faces first, then codes (QR, bar codes...), and answers what it found as
// plain boxes; adding them to the report (findings, risk) is the core's job
// (withFaces / withCodes, asked by engine/picture.js or app/faces.js through the
// engine), so these modules carry no report code. The safer copies that draw the
// picture again are not made here (../engine/copy-worker.js: a photo check never
// downloads the image codecs).
// It decodes the photo once itself (createImageBitmap applies the EXIF
// orientation and shrinks it while decoding), so the page's thread never holds
// a 12 MP bitmap. Codes get that copy (long side up to CODES_LONG_SIDE: small
// codes need the pixels); faces get a smaller one made from it. It never
// touches the DOM and never fetches anything (the page hands it the compiled
// modules and the model's bytes).
// On a phone's first visit the photo is chosen long before the face files are in: the page
// starts this worker at once and hands each file over as it arrives (provide), and a photo is
// decoded as soon as it comes, while the files are still on their way; the detector is built the
// moment the module and the model are both here. Its first search is slow (the browser is still
// compiling the module's hot code): with nobody waiting it warms up on a blank picture, but a
// photo already waiting gets that first search itself.
// Protocol (the generic client's, engine/client.js):
//   in  {type:'init', module?, model?, facesProblem?, codes?, codesProblem?}  out {type:'ready', stages}
//                          at once; any of the files the page already has (a worker restarted after a trap
//                          gets them all here)
//   in  {type:'provide', module? | model? | modelPiece? | facesProblem? | codes? | codesProblem?}  (no id, no answer:
//                          WorkerClient.provide) each file once the page has it (module: the compiled face
//                          module; model: the face model's bytes; modelPiece: a piece of them as they download,
//                          for the warm-up below; codes: the compiled code module), or why it
//                          could not load (facesProblem: each photo then gets 'faces-failed' and still its codes);
//                          a look waits for what it needs
//   in  {id, type:'look', blob, size?, faces?, codes?}  (size: the report's upright `image` size, to scale the
//                          boxes to the photo; faces / codes: false skips that look; default true)
//                          out first a note {id, note: {type:'faces', faces, ms, stages}} (faces: [{x, y, w, h, score}] in
//                              upright pixels of the photo, for the core's withFaces) | {id, note: {type:'faces-failed', message}}
//                              (no note when faces were not asked for),
//                              then the last answer {id, ok: true, result}, result one of
//                              {type:'codes', codes, ms} (codes: [{format, kind, x, y, w, h, summary}], boxes in
//                              upright pixels of the photo, for the core's withCodes) | {type:'codes-failed', message}
//                              | {type:'no-codes'} (codes not asked for)
//                              | {type:'undecodable'} (neither could look);
//                              or {id, ok: false, trapped, message}
// After a trap the client starts a fresh worker (a trapped instance may be half-changed).
// Timings: 'ready' and the faces note carry `stages`, {name: ms since the epoch} (performance.timeOrigin
// based, so the page can put them on its own timeline: engine/picture.js recordStages), for bench/phone.mjs.

import init, { FaceDetector, warmUpOnSkeleton, warmUpNeeds } from '../pkg-faces/thinktwice_faces.js';
import initCodes, { findCodes } from '../pkg-codes/thinktwice_codes.js';
import { serve, describe } from '../engine/serve.js';

/** Codes are searched in a copy this big at most: enough for a stamp-sized QR code in a 12 MP photo. */
const CODES_LONG_SIDE = 4096;
/** Faces are searched in a copy this big, made before the detector is here: its longSide (the face module's
 * input_long_side, 960 today); a detector wanting another size gets a copy of its own. */
const FACES_LONG_SIDE = 960;

let codesGiven; // resolves with null once the code module runs, or with why it cannot
const codesReady = new Promise((resolve) => { codesGiven = resolve; });
let codesStarted = false;
const faceFiles = {}; // module, model, facesProblem: as the page hands them over
let facesGiven; // resolves with the detector, or with the Error saying why faces cannot be looked for
const facesReady = new Promise((resolve) => { facesGiven = resolve; });
let facesStarted = false;
let instantiated = null; // Promise of the face module's instance, started as soon as the module is here
let looking = 0; // looks in progress: the detector's warm-up is skipped while a photo waits
/** More than enough of the model's start for warmUpNeeds to tell how much its skeleton needs (13 today). */
const MODEL_HEADER_BYTES = 64;
const modelPieces = []; // the model's pieces so far (Uint8Array), until its skeleton warmed the face module up
let skeletonWarmed = false;
const stages = {}; // when the worker's own start-up steps happened (sent with 'ready' and the first faces)

/** Now, in ms since the epoch: comparable with the page's clock (the `stages` of an answer). */
const now = () => performance.timeOrigin + performance.now();

serve({
  init: () => { stages.workerInit = now(); return { type: 'ready', stages }; },
  requests: { look },
  messages: { init: provide, provide }, // init: after 'ready' is posted, so the page hears it at once
});

/** Starts the face and code modules with whatever this message brings. */
function provide(msg) {
  startCodes(msg);
  startFaces(msg);
}

/**
 * Builds the detector, once, when the face module and the model are both here (each instantiated /
 * parsed as soon as it can be); settles facesReady with it, or with why faces cannot be looked for.
 */
function startFaces(msg) {
  for (const key of ['module', 'model', 'facesProblem']) if (msg[key] && !faceFiles[key]) faceFiles[key] = msg[key];
  if (msg.modelPiece && !skeletonWarmed && !faceFiles.model) modelPieces.push(msg.modelPiece);
  if (faceFiles.model) modelPieces.length = 0; // the whole is here: no warm-up
  if (facesStarted) return;
  const { module, model, facesProblem } = faceFiles;
  if (facesProblem) {
    facesStarted = true;
    facesGiven(new Error(facesProblem));
    return;
  }
  if (module && !instantiated) {
    instantiated = init({ module_or_path: module }).then(() => { stages.instantiated = now(); },
      (err) => { throw new Error(`the face module could not start: ${describe(err)}`); });
    instantiated.catch(() => {});
  }
  if (!model) instantiated?.then(warmUpWhileDownloading, () => {});
  if (!module || !model) return;
  facesStarted = true;
  instantiated.then(() => {
    const detector = new FaceDetector(new Uint8Array(model));
    stages.modelParsed = now();
    facesGiven(detector);
    // The first search is slow (see the top): do it now only if no photo is waiting for it.
    setTimeout(() => warmUp(detector), 50);
  }).catch((err) => {
    // A trap while parsing leaves the instance spent: each look then traps (and the client starts a fresh
    // worker); a refusal (a damaged model) is said as it is.
    facesGiven(err instanceof Error ? err : new Error(describe(err)));
  });
}

/**
 * While the model is still downloading, once its first part (the skeleton: the graph with zeros for
 * the packed weights) is here: one load of it and a small search, then dropped (the face module's
 * warmUpOnSkeleton), so that the real load and the first search run code the browser has already compiled
 * (on a slow phone the first load took ~0.35 s of the wait after the model arrived, a second ~0.1 s).
 * Once only; never when the model is already here.
 */
function warmUpWhileDownloading() {
  if (skeletonWarmed || faceFiles.model || facesStarted) return;
  const have = modelPieces.reduce((n, piece) => n + piece.byteLength, 0);
  const needs = warmUpNeeds(joined(modelPieces, Math.min(have, MODEL_HEADER_BYTES)));
  if (!needs || have < needs) {
    if (!needs && have >= MODEL_HEADER_BYTES) skeletonWarmed = true; // not a packed model: nothing to warm up on
    return;
  }
  skeletonWarmed = true;
  const skeleton = joined(modelPieces, needs);
  modelPieces.length = 0; // the whole model follows as one piece
  try {
    warmUpOnSkeleton(skeleton);
    stages.skeletonWarmedUp = now();
  } catch (err) {
    console.warn('face model warm-up skipped:', describe(err)); // the real load says what is wrong, if anything
  }
}

/** The first `length` bytes of `pieces`, joined. */
function joined(pieces, length) {
  const out = new Uint8Array(length);
  let at = 0;
  for (const piece of pieces) {
    if (at >= length) break;
    const part = piece.subarray(0, length - at);
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** One search on a blank picture while nobody waits, so the first photo's search is quick. */
function warmUp(detector) {
  if (looking) return;
  try {
    detector.detectRgba(new Uint8Array(64 * 48 * 4), 64, 48);
    stages.warmedUp = now();
  } catch {
    // A look meets the same problem and reports it.
  }
}

/** Starts the code module, once, when a message brings it (or why the page could not load it). */
function startCodes({ codes, codesProblem }) {
  if (codesStarted || (!codes && !codesProblem)) return;
  codesStarted = true;
  if (!codes) { codesGiven(codesProblem); return; }
  initCodes({ module_or_path: codes }).then(() => codesGiven(null), (err) => codesGiven(describe(err)));
}

/** Decodes once, then answers faces (as a note) and codes (the result) for one photo. */
async function look(msg) {
  looking++;
  try {
    return await lookAt(msg);
  } finally {
    looking--;
  }
}

async function lookAt({ id, blob, size, faces: wantFaces = true, codes: wantCodes = true }) {
  const times = { lookStart: now() };
  const picture = await decode(blob, size, CODES_LONG_SIDE);
  if (!picture) return { type: 'undecodable' };
  times.decoded = now();
  try {
    if (wantFaces) {
      // The small copy is made while the face files may still be on their way.
      const small = smaller(picture.bitmap, FACES_LONG_SIDE);
      times.resized = now();
      const detector = await facesReady;
      Object.assign(times, stages, { detectorReady: now() });
      try {
        if (detector instanceof Error) throw detector;
        faces(detector, picture, small, id, times);
      } catch (err) {
        if (err instanceof WebAssembly.RuntimeError) throw err; // the instance is spent: no codes either
        self.postMessage({ id, note: { type: 'faces-failed', message: describe(err) } });
      }
    }
    if (!wantCodes) return { type: 'no-codes' };
    const codesProblem = await codesReady; // the page hands the code module over after the face files
    if (codesProblem) return { type: 'codes-failed', message: codesProblem };
    try {
      return codes(picture);
    } catch (err) {
      if (err instanceof WebAssembly.RuntimeError) throw err;
      return { type: 'codes-failed', message: describe(err) };
    }
  } finally {
    picture.bitmap.close();
  }
}

/** Finds faces in a small copy and posts them, scaled to the photo. */
function faces(detector, picture, early, id, stages) {
  const t0 = performance.now();
  const small = detector.longSide === FACES_LONG_SIDE ? early : smaller(picture.bitmap, detector.longSide);
  const found = detector.detectRgba(small.rgba, small.width, small.height);
  stages.detected = now();
  const [sx, sy] = [picture.fullWidth / small.width, picture.fullHeight / small.height];
  const boxes = found.map((f) => ({ x: f.x * sx, y: f.y * sy, w: f.w * sx, h: f.h * sy, score: f.score }));
  self.postMessage({ id, note: { type: 'faces', faces: boxes, ms: performance.now() - t0, stages } });
}

/** Reads the codes in the big copy; the answer carries them, scaled to the photo. */
function codes(picture) {
  const t0 = performance.now();
  const big = pixels(picture.bitmap, 1);
  const found = findCodes(big.rgba, big.width, big.height);
  const [sx, sy] = [picture.fullWidth / big.width, picture.fullHeight / big.height];
  const boxes = found.map((c) => ({ ...c, x: c.x * sx, y: c.y * sy, w: c.w * sx, h: c.h * sy }));
  return { type: 'codes', codes: boxes, ms: performance.now() - t0 };
}

/**
 * The photo upright, its long side at most `longSide` (never upscaled), as an ImageBitmap,
 * with the upright size of the original photo (`size` from the report, when known) to map boxes back.
 * Returns null when this browser cannot decode the photo (e.g. HEIC in Chromium).
 */
async function decode(blob, size, longSide) {
  const known = size && size.width > 0 && size.height > 0;
  try {
    const options = { imageOrientation: 'from-image' };
    const scale = known ? Math.min(1, longSide / Math.max(size.width, size.height)) : 1;
    if (scale < 1) {
      options.resizeWidth = Math.max(1, Math.round(size.width * scale));
      options.resizeHeight = Math.max(1, Math.round(size.height * scale));
      options.resizeQuality = 'medium';
    }
    let bitmap = await createImageBitmap(blob, options);
    // Without a known size the bitmap is full size: shrink it here.
    const over = Math.max(bitmap.width, bitmap.height) / longSide;
    const full = known ? size : { width: bitmap.width, height: bitmap.height };
    if (over > 1) {
      const smaller = await createImageBitmap(bitmap, {
        resizeWidth: Math.max(1, Math.round(bitmap.width / over)),
        resizeHeight: Math.max(1, Math.round(bitmap.height / over)), resizeQuality: 'medium' });
      bitmap.close();
      bitmap = smaller;
    }
    return { bitmap, fullWidth: full.width, fullHeight: full.height };
  } catch {
    return null;
  }
}

/** RGBA pixels of the bitmap, its long side at most `longSide`. */
function smaller(bitmap, longSide) {
  return pixels(bitmap, Math.min(1, longSide / Math.max(bitmap.width, bitmap.height)));
}

/** RGBA pixels of the bitmap drawn at `scale` (≤ 1). */
function pixels(bitmap, scale) {
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.imageSmoothingQuality = 'medium';
  g.drawImage(bitmap, 0, 0, width, height);
  const rgba = new Uint8Array(g.getImageData(0, 0, width, height).data.buffer);
  return { rgba, width, height };
}

