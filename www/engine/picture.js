// The doors' handle on the picture checks (faces, then codes): a client of the
// picture worker, ../app/faces-worker.js, through the generic worker client
// (./client.js), used by the app (app/faces.js), the web component, the npm
// package, the single-file build and the extension's offscreen page. It starts
// only when asked (the first photo), so a page that embeds ThinkTwice downloads
// the face module and the face model only once someone chooses a photo, then the
// code module (after the face files, so faces come first on a slow line), and
// each once: a worker restarted after a trap gets the same downloads. Copies that
// draw the picture again go to the copy worker (./copy.js), fetched only when
// one is asked for. It must not touch the DOM and never sends a photo anywhere
// but to its workers.
//
//   const picture = new Picture({ engine });   // engine: ./engine.js's Engine, which adds what was found
//   const { report, faces, codes, found } = await picture.look(file, report, { onFaces });
//   // faces / codes: 'done' | 'failed' | 'undecodable' | 'off' (not asked for: { faces: false } / { codes: false });
//   // report has `faces`, `codes` and their findings, added by the engine's core (withFaces / withCodes: the
//   // picture modules only find, so they carry no report code); found: {faces?, codes?} the plain boxes.
//   // Without an engine (the extension's offscreen page, whose background holds the core) the report comes
//   // back unchanged and the caller adds `found` with the core's withFaces / withCodes.
//   const copy = await picture.redraw(bytes, { cover });   // a safer copy that draws the picture again
// (`client` is the picture WorkerClient itself; pictureWorker() makes one for pages with their own
// loop, app/faces.js.)

import { WorkerClient, compileWasm, fetchBytes, describe } from './client.js';
import { copyClient } from './copy.js';

/**
 * Puts the picture worker's `stages` ({name: ms since the epoch}, see faces-worker.js) on this
 * page's timeline as User Timing marks 'faces:NAME' (read by bench/phone.mjs); nothing else reads them.
 */
export function recordStages(stages) {
  if (!stages || typeof performance === 'undefined' || typeof performance.mark !== 'function') return;
  for (const [name, at] of Object.entries(stages)) {
    try { performance.mark(`faces:${name}`, { startTime: Math.max(0, at - performance.timeOrigin) }); } catch { /* old browsers */ }
  }
}

/** A mark on this page's timeline now (see recordStages). */
const mark = (name) => typeof performance !== 'undefined' && recordStages({ [name]: performance.timeOrigin + performance.now() });

/** A 12 MP photo takes a few seconds at most. */
const TIMEOUT_MS = 120000;

/**
 * The picture worker's client, not started yet: {client, downloaded, faceFiles}. Its first ready()
 * starts the worker at once (so its script loads while the files do) and fetches the face module and
 * the model, handing each to the worker as it arrives (client.provide: the worker instantiates the
 * module while the model is still coming, and decodes a photo meanwhile); once both are in, the code
 * module is fetched and handed over. `faceFiles` resolves when the face module and the model are in
 * (or could not load), `downloaded` when all three are (neither rejects). Options: workerUrl (default
 * ../app/faces-worker.js), workerType ('module'), moduleUrl, modelUrl, codesUrl, and fromDevice
 * (true: the files come from this device, e.g. a service worker's store, so no line is shared:
 * the code module is compiled beside the face files instead of after them).
 */
export function pictureWorker(options = {}) {
  // Literal `new URL(…, import.meta.url)` forms, so that bundlers ship these files (see engine.js).
  const moduleUrl = options.moduleUrl || new URL('../pkg-faces/thinktwice_faces_bg.wasm', import.meta.url);
  const modelUrl = options.modelUrl || new URL('../models/centerface.ttfw', import.meta.url);
  const codesUrl = options.codesUrl || new URL('../pkg-codes/thinktwice_codes_bg.wasm', import.meta.url);
  const worker = () => new Worker(new URL('../app/faces-worker.js', import.meta.url), { type: 'module' });
  let facesFetched;
  const faceFiles = new Promise((resolve) => { facesFetched = resolve; });
  const client = new WorkerClient(options.workerUrl || worker, {
    type: options.workerType || 'module',
    init: () => {
      mark('fetchStart');
      // Both at once; a face module or model that cannot load costs the face check, not the code check.
      const module = compileWasm(moduleUrl).then((compiled) => { mark('moduleCompiled'); return { module: compiled }; },
        (err) => ({ facesProblem: `the face module could not load: ${describe(err)}` }));
      // Each piece of the model is passed on as it arrives too: the worker warms up on the model's
      // first part (its skeleton) while the rest is on its way.
      const model = fetchBytes(modelUrl, (piece) => client.provide({ modelPiece: piece }, { keep: false }))
        .then((bytes) => { mark('modelDownloaded'); return { model: bytes }; }, (err) => ({ facesProblem: describe(err) }));
      module.then((fields) => client.provide(fields));
      model.then((fields) => client.provide(fields));
      Promise.all([module, model]).then(() => facesFetched());
      if (options.fromDevice) codesCompiled();
      return {}; // the worker starts now; the files follow
    },
  });
  // The code module after the face files (beside them when nothing shares a line); a look waits in the
  // worker for it (or for why it could not load).
  let codes = null;
  const codesCompiled = () => (codes ||= compileWasm(codesUrl).then((compiled) => ({ codes: compiled }), (err) => ({ codesProblem: describe(err) })));
  const downloaded = faceFiles.then(codesCompiled).then((fields) => client.provide(fields));
  return { client, downloaded, faceFiles };
}

export class Picture {
  /**
   * Options: those of pictureWorker(), engine (anything with withFaces(report, faces) and
   * withCodes(report, codes) answering the report, or a promise of it: ./engine.js's Engine), and
   * copyModuleUrl, copyWorkerUrl (the copy worker's, ./copy.js).
   */
  constructor(options = {}) {
    ({ client: this.client, faceFiles: this.faceFiles } = pictureWorker(options));
    this.engine = options.engine || null;
    this.copyOptions = { moduleUrl: options.copyModuleUrl, workerUrl: options.copyWorkerUrl, workerType: options.workerType };
    this.copier = null; // the copy worker's client, made on the first redraw
  }

  /**
   * Starts the picture worker and its downloads, once. Resolves true once the worker runs (the face and
   * code files follow as they arrive; a look waits for them in the worker), false when it cannot start
   * (never rejects).
   */
  load() {
    return this.client.ready().then(() => true, (err) => { console.warn('ThinkTwice: picture checks unavailable:', describe(err)); return false; });
  }

  /**
   * Looks for faces and codes in one photo (a Blob) whose `report` came from Engine.check.
   * Resolves {report, faces, codes, found}; `onFaces(report)` is called as soon as the faces are known
   * (and added, with an engine).
   * `faces: false` or `codes: false` skips that look (it then says 'off'; both off: nothing is loaded).
   * Never rejects: a check that could not run says 'failed' (or 'undecodable').
   */
  async look(blob, report, { onFaces = () => {}, faces = true, codes = true } = {}) {
    const result = { report, faces: faces ? 'failed' : 'off', codes: codes ? 'failed' : 'off', found: {} };
    if (!faces && !codes) return result;
    if (!(await this.load())) return result;
    let facesAdded = Promise.resolve(); // codes are added to the report with the faces
    const answer = await this.client.call('look', { blob, size: report?.image, faces, codes }, {
      timeoutMs: TIMEOUT_MS,
      timeoutAfter: this.faceFiles, // the look is sent at once, but a slow download is not the worker being stuck
      onNote: (note) => {
        if (note.type !== 'faces') { console.warn('ThinkTwice: face check failed:', note.message); return; }
        recordStages(note.stages);
        result.found.faces = note.faces;
        facesAdded = this.add('withFaces', result.report, note.faces).then((added) => {
          result.report = added;
          result.faces = 'done';
          onFaces(added);
        }, (err) => console.warn('ThinkTwice: faces could not be added to the report:', describe(err)));
      },
    });
    await facesAdded;
    const last = answer.ok ? answer.result : { type: 'failed', message: answer.message };
    if (last.type === 'codes') {
      result.found.codes = last.codes;
      try {
        result.report = await this.add('withCodes', result.report, last.codes);
        result.codes = 'done';
      } catch (err) {
        console.warn('ThinkTwice: codes could not be added to the report:', describe(err));
      }
    }
    else if (last.type === 'undecodable') {
      if (faces) result.faces = 'undecodable';
      if (codes) result.codes = 'undecodable';
    }
    else if (last.type !== 'codes-failed' && last.type !== 'no-codes') console.warn('ThinkTwice: picture check failed:', last.message);
    return result;
  }

  /** The report with what was found added by the engine's `how` (withFaces / withCodes); unchanged without an engine. */
  async add(how, report, found) {
    return this.engine ? this.engine[how](report, found) : report;
  }

  /**
   * The safer copy that draws the picture again, made by the copy worker (areas covered, TIFF → PNG,
   * lossless WebP: the core hands these on, see the core's clean) of `bytes` (a Uint8Array, handed over). Resolves
   * like the core's clean ({bytes, format, removed, kept, lossless, report}); rejects with the reason.
   */
  async redraw(bytes, options = {}) {
    this.copier ||= copyClient(this.copyOptions);
    const answer = await this.copier.call('clean', { bytes, options }, { transfer: [bytes.buffer], timeoutMs: TIMEOUT_MS });
    if (!answer.ok) throw new Error(answer.message);
    return answer.result;
  }

  /** Stops the workers; a later call starts a new one. */
  close() {
    this.client.close();
    this.copier?.close();
  }
}
