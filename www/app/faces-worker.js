// The face worker: owns the lazily loaded face module (www/pkg-faces, the crate
// built with the `faces` feature) and the CenterFace model, and answers one
// photo at a time. It decodes the photo itself (createImageBitmap, which
// applies the EXIF orientation and shrinks it while decoding), so the page's
// thread never holds a 12 MP bitmap. It never touches the DOM and never
// fetches anything but this site's own files (the module and the model).
// Protocol:
//   in  {type:'load'}      out {type:'fetched'} once every file is downloaded, then
//                              {type:'ready'} (model parsed and warmed up) | {type:'load-failed', message}
//   in  {type:'detect', id, blob, report}
//                          out {type:'faces', id, report, ms} (report with `faces` and the `faces` finding,
//                              added in Rust by withFaces) | {type:'undecodable', id}
//                              | {type:'failed', id, trapped, message}
// After a trap the page stops using this worker (a trapped instance may be half-changed).

import init, { FaceDetector, withFaces } from '../pkg-faces/thinktwice_faces.js';

const MODEL_URL = new URL('../models/centerface.onnx', import.meta.url);

let detector = null;
let loading = null;

self.onmessage = async (event) => {
  const msg = event.data || {};
  if (msg.type === 'load') {
    loading ??= load();
    return;
  }
  if (msg.type === 'detect') {
    try {
      await loading;
      if (!detector) throw new Error('the face module is not loaded');
      self.postMessage(await detect(msg));
    } catch (err) {
      self.postMessage({ type: 'failed', id: msg.id, trapped: err instanceof WebAssembly.RuntimeError, message: describe(err) });
    }
  }
};

async function load() {
  try {
    const [, modelBytes] = await Promise.all([init(), fetchModel()]);
    self.postMessage({ type: 'fetched' });
    detector = new FaceDetector(modelBytes);
    // The first search packs the weights (about a second in wasm): do it now, while nobody waits.
    detector.detectRgba(new Uint8Array(64 * 48 * 4), 64, 48);
    self.postMessage({ type: 'ready' });
  } catch (err) {
    detector = null;
    self.postMessage({ type: 'fetched' });
    self.postMessage({ type: 'load-failed', message: describe(err) });
  }
}

async function fetchModel() {
  const response = await fetch(MODEL_URL);
  if (!response.ok) throw new Error(`face model: HTTP ${response.status}`);
  return new Uint8Array(await response.arrayBuffer());
}

/** Decodes, searches and maps the boxes back to upright pixels of the original photo. */
async function detect({ id, blob, report }) {
  const t0 = performance.now();
  const pixels = await decode(blob, report.image, detector.longSide);
  if (!pixels) return { type: 'undecodable', id };
  const found = JSON.parse(detector.detectRgba(pixels.rgba, pixels.width, pixels.height));
  const sx = pixels.fullWidth / pixels.width;
  const sy = pixels.fullHeight / pixels.height;
  const faces = found.map((f) => ({ x: f.x * sx, y: f.y * sy, w: f.w * sx, h: f.h * sy, score: f.score }));
  return { type: 'faces', id, report: withFaces(report, faces), ms: performance.now() - t0 };
}

/**
 * Upright RGBA pixels with the long side about `longSide` (never upscaled here: the
 * detector upscales small photos itself). `size` is the report's upright size, when known.
 * Returns null when this browser cannot decode the photo (e.g. HEIC in Chromium).
 */
async function decode(blob, size, longSide) {
  let bitmap;
  try {
    const options = { imageOrientation: 'from-image' };
    if (size && size.width > 0 && size.height > 0) {
      const scale = Math.min(1, longSide / Math.max(size.width, size.height));
      options.resizeWidth = Math.max(1, Math.round(size.width * scale));
      options.resizeHeight = Math.max(1, Math.round(size.height * scale));
      options.resizeQuality = 'medium';
    }
    bitmap = await createImageBitmap(blob, options);
  } catch {
    return null;
  }
  // Without a known size the bitmap is full size: shrink it while drawing.
  const full = size && size.width > 0 ? size : { width: bitmap.width, height: bitmap.height };
  const scale = Math.min(1, longSide / Math.max(bitmap.width, bitmap.height));
  const width = Math.max(1, Math.round(bitmap.width * scale));
  const height = Math.max(1, Math.round(bitmap.height * scale));
  const canvas = new OffscreenCanvas(width, height);
  const g = canvas.getContext('2d', { willReadFrequently: true });
  g.drawImage(bitmap, 0, 0, width, height);
  bitmap.close();
  const rgba = new Uint8Array(g.getImageData(0, 0, width, height).data.buffer);
  return { rgba, width, height, fullWidth: full.width, fullHeight: full.height };
}

function describe(err) {
  return String((err && err.message) || err);
}
