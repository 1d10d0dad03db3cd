// The doors' handle on the picture checks (faces, then codes): a small client of
// today's picture worker, ../app/faces-worker.js, used by the web component,
// the npm package, the single-file build and the extension's offscreen page.
// It starts the worker only when asked (the first photo), so a page that
// embeds ThinkTwice downloads the picture module and the face model only once
// someone chooses a photo. It must not touch the DOM and never sends a photo
// anywhere but to its worker.
// Seam (kept small so it can be swapped for the generic engine client): the
// worker messages used are exactly
//   {type:'load'}                      → 'fetched', then 'ready' | 'load-failed'
//   {type:'detect', id, blob, report}  → 'faces' | 'faces-failed', then
//                                        'codes' | 'codes-failed' | 'undecodable' | 'failed'
//
//   const picture = new Picture();
//   const { report, faces, codes } = await picture.look(file, report, { onFaces });
//   // faces / codes: 'done' | 'failed' | 'undecodable'; report has `faces`, `codes` and their findings

/** A 12 MP photo takes a few seconds at most; the first one also waits for the model download. */
const TIMEOUT_MS = 120000;

export class Picture {
  /** Options: workerUrl (default ../app/faces-worker.js), workerType ('module'). */
  constructor(options = {}) {
    this.workerUrl = options.workerUrl || new URL('../app/faces-worker.js', import.meta.url);
    this.workerType = options.workerType || 'module';
    this.worker = null;
    this.loaded = null; // Promise<boolean>
    this.nextId = 1;
    this.queue = Promise.resolve();
  }

  /** Starts the worker and loads the module and model, once. Resolves false when it cannot (never rejects). */
  load() {
    this.loaded ||= new Promise((resolve) => {
      const fail = (why) => {
        console.warn('ThinkTwice: picture checks unavailable:', why);
        this.worker?.terminate();
        this.worker = null;
        resolve(false);
      };
      try {
        this.worker = new Worker(this.workerUrl, { type: this.workerType });
      } catch (err) {
        fail(err);
        return;
      }
      this.worker.onmessage = ({ data }) => {
        if (data?.type === 'ready') resolve(true);
        else if (data?.type === 'load-failed') fail(data.message);
      };
      this.worker.onerror = (event) => { event.preventDefault?.(); fail(event.message || 'the picture worker did not start'); };
      this.worker.postMessage({ type: 'load' });
    });
    return this.loaded;
  }

  /**
   * Looks for faces and codes in one photo (a Blob) whose `report` came from Engine.check.
   * Resolves {report, faces, codes}; `onFaces(report)` is called as soon as the faces are known.
   * Never rejects: a check that could not run says 'failed' (or 'undecodable').
   */
  look(blob, report, { onFaces = () => {} } = {}) {
    const run = this.queue.then(() => this.lookOne(blob, report, onFaces));
    this.queue = run.catch(() => {});
    return run;
  }

  async lookOne(blob, report, onFaces) {
    const result = { report, faces: 'failed', codes: 'failed' };
    if (!(await this.load()) || !this.worker) return result;
    const worker = this.worker;
    const id = this.nextId++;
    return new Promise((resolve) => {
      const finish = (broken) => {
        clearTimeout(timer);
        worker.removeEventListener('message', listen);
        if (broken) this.close(); // a trapped instance may be half-changed: the next photo starts a new one
        resolve(result);
      };
      const timer = setTimeout(() => finish(true), TIMEOUT_MS);
      function listen({ data }) {
        if (!data || data.id !== id) return;
        switch (data.type) {
          case 'faces': result.report = data.report; result.faces = 'done'; onFaces(data.report); return;
          case 'faces-failed': console.warn('ThinkTwice: face check failed:', data.message); return;
          case 'codes': result.report = data.report; result.codes = 'done'; return finish(false);
          case 'codes-failed': return finish(false);
          case 'undecodable': result.faces = result.codes = 'undecodable'; return finish(false);
          default: console.warn('ThinkTwice: picture check failed:', data.message); return finish(Boolean(data.trapped));
        }
      }
      worker.addEventListener('message', listen);
      worker.postMessage({ type: 'detect', id, blob, report });
    });
  }

  /** Stops the worker; a later call starts a new one. */
  close() {
    this.worker?.terminate();
    this.worker = null;
    this.loaded = null;
  }
}
