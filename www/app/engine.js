// The page's side of the checking worker. Compiles the wasm and fetches the
// offline place table (geo/places.bin) once at load, keeps one worker busy and
// one spare ready, answers check(bytes, name) with {report} or {failure} and
// clean(bytes, options) with {cleaned} or {failure}. When a check fails (a wasm trap, a worker crash or a
// time-out) the worker is thrown away and the spare takes over, so the next
// file starts clean. No DOM, no strings for people.

const WASM_URL = new URL('../pkg/thinktwice_bg.wasm', import.meta.url);
const WORKER_URL = new URL('./worker.js', import.meta.url);
const PLACES_URL = new URL('../geo/places.bin', import.meta.url);

/** Generous: metadata checks take milliseconds, but phones can be slow. */
const BASE_TIMEOUT_MS = 30000;
const TIMEOUT_MS_PER_MB = 1000;

export class Engine {
  constructor() {
    this.module = null;
    this.places = null; // ArrayBuffer of geo/places.bin, or null when it could not be loaded
    this.active = null; // Promise<Worker>
    this.spare = null; // Promise<Worker>
    this.nextId = 1;
    this.queue = Promise.resolve();
  }

  /** Resolves when a worker is ready; rejects if the checker cannot run here. */
  async start() {
    // Both before "ready": after load the page makes no request at all, so the
    // place table (~2.5 MB) is fetched now, alongside the wasm, not on the first GPS photo.
    [this.module, this.places] = await Promise.all([compile(), fetchPlaces()]);
    this.active = this.spawn();
    this.spare = this.spawn();
    await Promise.all([this.active, this.spare]);
  }

  spawn() {
    return new Promise((resolve, reject) => {
      const worker = new Worker(WORKER_URL, { type: 'module' });
      const fail = (message) => { worker.terminate(); reject(new Error(message)); };
      worker.onmessage = (event) => {
        if (event.data.type === 'ready') resolve(worker);
        else if (event.data.type === 'init-failed') fail(event.data.message);
      };
      worker.onerror = (event) => { event.preventDefault(); fail(event.message || 'worker failed to start'); };
      // The place bytes are copied (not transferred): every new worker parses its own table.
      worker.postMessage({ type: 'init', module: this.module, places: this.places });
    });
  }

  /** Checks one file. Calls run one after another. Never rejects. */
  check(bytes, name) {
    const run = this.queue.then(() => this.runOne(bytes, name));
    this.queue = run.catch(() => {});
    return run;
  }

  /**
   * Makes a safer copy (see src/wasm.rs `clean` for the options). Queued with
   * the checks. Never rejects: {cleaned} or {failure}; failure.kind 'error'
   * carries the core's plain reason (no copy is offered then).
   */
  clean(bytes, options) {
    const run = this.queue.then(() => this.runOne(bytes, '', { type: 'clean', options }));
    this.queue = run.catch(() => {});
    return run;
  }

  async runOne(bytes, name, request = { type: 'check' }) {
    let worker;
    try {
      worker = await this.active;
    } catch (err) {
      return { failure: { kind: 'engine', message: String(err.message || err) } };
    }
    const result = await ask(worker, { ...request, id: this.nextId++, name, bytes });
    // A refused safer copy is an ordinary answer; any other failure may leave the instance broken.
    const ordinary = request.type === 'clean' && result.failure && result.failure.kind === 'error';
    if (result.failure && !ordinary) this.replace(worker);
    return result;
  }

  /** Throws away a worker after a failure; the spare takes over at once. */
  replace(worker) {
    worker.terminate();
    this.active = this.spare;
    this.spare = this.spawn();
    this.spare.catch(() => {});
  }
}

/** The place table's bytes, or null (a missing table only means no place names). */
async function fetchPlaces() {
  try {
    const response = await fetch(PLACES_URL);
    return response.ok ? await response.arrayBuffer() : null;
  } catch {
    return null;
  }
}

async function compile() {
  try {
    return await WebAssembly.compileStreaming(fetch(WASM_URL));
  } catch {
    // A server that sends the wrong content type: compile from bytes instead (still at load time).
    const response = await fetch(WASM_URL);
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

/** Sends one request ({type, id, bytes, ...}) and waits for its answer. */
function ask(worker, message) {
  const { id, bytes } = message;
  const timeoutMs = BASE_TIMEOUT_MS + TIMEOUT_MS_PER_MB * (bytes.byteLength / 1e6);
  return new Promise((resolve) => {
    const finish = (result) => {
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      resolve(result);
    };
    const timer = setTimeout(() => finish({ failure: { kind: 'timeout', message: 'the check took too long' } }), timeoutMs);
    worker.onmessage = (event) => {
      const msg = event.data;
      if (msg.id !== id) return;
      if (msg.type === 'report') finish({ report: msg.report });
      else if (msg.type === 'cleaned') finish({ cleaned: msg.cleaned });
      else finish({ failure: { kind: msg.trapped ? 'trap' : 'error', message: msg.message } });
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish({ failure: { kind: 'crash', message: event.message || 'the worker stopped' } });
    };
    worker.postMessage(message, [bytes]);
  });
}
