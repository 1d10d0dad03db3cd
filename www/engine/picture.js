// The doors' handle on the picture checks (faces, then codes): a client of the
// picture worker, ../app/faces-worker.js, through the generic worker client
// (./client.js), used by the web component, the npm package, the single-file
// build and the extension's offscreen page. It starts only when asked (the
// first photo), so a page that embeds ThinkTwice downloads the picture module
// and the face model only once someone chooses a photo, and once: a worker
// restarted after a trap gets the same downloads. It must not touch the DOM and
// never sends a photo anywhere but to its worker.
//
//   const picture = new Picture();
//   const { report, faces, codes } = await picture.look(file, report, { onFaces });
//   // faces / codes: 'done' | 'failed' | 'undecodable' | 'off' (not asked for: { faces: false } / { codes: false });
//   // report has `faces`, `codes` and their findings
//   const copy = await picture.redraw(bytes, { cover });   // a safer copy that draws the picture again
// (`client` is the WorkerClient itself, for an Engine's `picture` option: engine.js.)

import { WorkerClient, compileWasm, fetchBytes, describe } from './client.js';

/** A 12 MP photo takes a few seconds at most. */
const TIMEOUT_MS = 120000;

export class Picture {
  /** Options: workerUrl (default ../app/faces-worker.js), workerType ('module'), moduleUrl, modelUrl. */
  constructor(options = {}) {
    // Literal `new URL(…, import.meta.url)` forms, so that bundlers ship these files (see engine.js).
    const moduleUrl = options.moduleUrl || new URL('../pkg-faces/thinktwice_faces_bg.wasm', import.meta.url);
    const modelUrl = options.modelUrl || new URL('../models/centerface.ttfw', import.meta.url);
    const worker = () => new Worker(new URL('../app/faces-worker.js', import.meta.url), { type: 'module' });
    this.client = new WorkerClient(options.workerUrl || worker, {
      type: options.workerType || 'module',
      init: async () => {
        const model = fetchBytes(modelUrl); // downloads while the module compiles
        model.catch(() => {});
        const module = await compileWasm(moduleUrl);
        // A model that cannot load costs the face check, not the code check.
        return model.then((bytes) => ({ module, model: bytes }), (err) => ({ module, model: null, modelProblem: describe(err) }));
      },
    });
  }

  /** Downloads and starts the picture checks, once. Resolves false when they cannot run (never rejects). */
  load() {
    return this.client.ready().then(() => true, (err) => { console.warn('ThinkTwice: picture checks unavailable:', describe(err)); return false; });
  }

  /**
   * Looks for faces and codes in one photo (a Blob) whose `report` came from Engine.check.
   * Resolves {report, faces, codes}; `onFaces(report)` is called as soon as the faces are known.
   * `faces: false` or `codes: false` skips that look (it then says 'off'; both off: nothing is loaded).
   * Never rejects: a check that could not run says 'failed' (or 'undecodable').
   */
  async look(blob, report, { onFaces = () => {}, faces = true, codes = true } = {}) {
    const result = { report, faces: faces ? 'failed' : 'off', codes: codes ? 'failed' : 'off' };
    if (!faces && !codes) return result;
    if (!(await this.load())) return result;
    const answer = await this.client.call('look', { blob, report, faces, codes }, {
      timeoutMs: TIMEOUT_MS,
      onNote: (note) => {
        if (note.type !== 'faces') { console.warn('ThinkTwice: face check failed:', note.message); return; }
        result.report = note.report;
        result.faces = 'done';
        onFaces(note.report);
      },
    });
    const last = answer.ok ? answer.result : { type: 'failed', message: answer.message };
    if (last.type === 'codes') { result.report = last.report; result.codes = 'done'; }
    else if (last.type === 'no-codes') result.report = last.report;
    else if (last.type === 'undecodable') {
      if (faces) result.faces = 'undecodable';
      if (codes) result.codes = 'undecodable';
    }
    else if (last.type !== 'codes-failed') console.warn('ThinkTwice: picture check failed:', last.message);
    return result;
  }

  /**
   * The safer copy that draws the picture again (areas covered, TIFF → PNG, lossless WebP: the
   * core hands these on, see the core's clean) of `bytes` (a Uint8Array, handed over). Resolves
   * like the core's clean ({bytes, format, removed, kept, lossless, report}); rejects with the reason.
   */
  async redraw(bytes, options = {}) {
    const answer = await this.client.call('clean', { bytes, options }, { transfer: [bytes.buffer], timeoutMs: TIMEOUT_MS });
    if (!answer.ok) throw new Error(answer.message);
    return answer.result;
  }

  /** Stops the worker; a later call starts a new one. */
  close() {
    this.client.close();
  }
}
