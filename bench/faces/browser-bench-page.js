// The in-page half of bench/faces/browser-bench.mjs: one page, both detectors,
// the same image blobs. Every time here is measured in the page (performance.now).
//  * ThinkTwice: the app's own face worker (www/app/faces-worker.js), so the path
//    measured is exactly what the page runs: createImageBitmap with EXIF
//    orientation and resize to long side 640, OffscreenCanvas, CenterFace in wasm.
//  * face-api.js (@vladmandic/face-api, tfjs bundled): TinyFaceDetector and
//    SSD MobileNet v1 with their default options, on a canvas of the decoded photo.
// Times are blob → boxes (decode included) for both.
import * as faceapi from '/node_modules/@vladmandic/face-api/dist/face-api.esm.js';

const FACEAPI_MODELS = '/node_modules/@vladmandic/face-api/model';
let worker = null;
let nextId = 1;

function waitFor(type) {
  return new Promise((resolve, reject) => {
    const listen = (e) => {
      if (e.data.type === type) { worker.removeEventListener('message', listen); resolve(e.data); }
      if (e.data.type === 'load-failed') reject(new Error(e.data.message));
    };
    worker.addEventListener('message', listen);
  });
}

/** A report just complete enough for withFaces (the app gets it from the metadata check). */
function report(size) {
  return { file: 'bench', format: 'JPEG', image: size, risk: 'none', location: null, findings: [],
    checked: [], not_checked: [], error: null };
}

async function blobOf(url) {
  return (await fetch(url)).blob();
}

/** Upright size, as the metadata check would report it (not timed: the app already has it). */
async function uprightSize(blob) {
  const b = await createImageBitmap(blob, { imageOrientation: 'from-image' });
  const size = { width: b.width, height: b.height };
  b.close();
  return size;
}

window.bench = {
  async loadOurs() {
    const t0 = performance.now();
    worker = new Worker('/www/app/faces-worker.js', { type: 'module' });
    const fetched = waitFor('fetched');
    const ready = waitFor('ready');
    worker.postMessage({ type: 'load' });
    await fetched;
    const tFetched = performance.now() - t0;
    await ready;
    return { fetchedMs: tFetched, readyMs: performance.now() - t0 };
  },

  async ours(url, b64) {
    const blob = b64 ? new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }) : await blobOf(url);
    const size = await uprightSize(blob);
    const id = nextId++;
    const t0 = performance.now();
    const answer = new Promise((resolve) => {
      const listen = (e) => { if (e.data.id === id) { worker.removeEventListener('message', listen); resolve(e.data); } };
      worker.addEventListener('message', listen);
    });
    worker.postMessage({ type: 'detect', id, blob, report: report(size) });
    const a = await answer;
    const ms = performance.now() - t0;
    if (a.type !== 'faces') throw new Error(`ThinkTwice: ${a.type} ${a.message || ''}`);
    return { ms, workerMs: a.ms, size, faces: a.report.faces.map((f) => [f.x, f.y, f.w, f.h, f.score]) };
  },

  async loadFaceApi(backend) {
    const t0 = performance.now();
    if (backend) await faceapi.tf.setBackend(backend);
    await faceapi.tf.ready();
    const tBackend = performance.now() - t0;
    const t1 = performance.now();
    await faceapi.nets.tinyFaceDetector.loadFromUri(FACEAPI_MODELS);
    const tinyLoad = performance.now() - t1;
    const t2 = performance.now();
    await faceapi.nets.ssdMobilenetv1.loadFromUri(FACEAPI_MODELS);
    const ssdLoad = performance.now() - t2;
    // First calls compile kernels / upload weights: time them, then they are out of the way.
    const canvas = document.createElement('canvas');
    canvas.width = 320; canvas.height = 240;
    const t3 = performance.now();
    await faceapi.detectAllFaces(canvas, new faceapi.TinyFaceDetectorOptions());
    const tinyFirst = performance.now() - t3;
    const t4 = performance.now();
    await faceapi.detectAllFaces(canvas, new faceapi.SsdMobilenetv1Options());
    const ssdFirst = performance.now() - t4;
    return { backend: faceapi.tf.getBackend(), tfVersion: faceapi.tf.version_core, backendMs: tBackend, tinyLoad, ssdLoad, tinyFirst, ssdFirst };
  },

  async faceapi(kind, url, b64) {
    const blob = b64 ? new Blob([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], { type: 'image/jpeg' }) : await blobOf(url);
    const options = kind === 'tiny' ? new faceapi.TinyFaceDetectorOptions() : new faceapi.SsdMobilenetv1Options();
    const t0 = performance.now();
    const bitmap = await createImageBitmap(blob, { imageOrientation: 'from-image' });
    const canvas = document.createElement('canvas');
    canvas.width = bitmap.width; canvas.height = bitmap.height;
    canvas.getContext('2d').drawImage(bitmap, 0, 0);
    bitmap.close();
    const dets = await faceapi.detectAllFaces(canvas, options);
    const ms = performance.now() - t0;
    return { ms, faces: dets.map((d) => [d.box.x, d.box.y, d.box.width, d.box.height, d.score]) };
  },

  /** A 12 MP JPEG made from a corpus photo (base64), like a phone photo. */
  async make12mp(url) {
    const bitmap = await createImageBitmap(await blobOf(url));
    const canvas = new OffscreenCanvas(4000, 3000);
    canvas.getContext('2d').drawImage(bitmap, 0, 0, 4000, 3000);
    const blob = await canvas.convertToBlob({ type: 'image/jpeg', quality: 0.9 });
    const bytes = new Uint8Array(await blob.arrayBuffer());
    let s = '';
    for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
    return btoa(s);
  },
};
document.getElementById('state').textContent = 'ready';
