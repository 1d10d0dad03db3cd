// The ONE page-side handle on the WebAssembly checker, used by every door: the
// app (app/app.js, app/safer.js), the minimal page (minimal.js), the web
// component (component/think-twice.js, and through it the npm package and the
// single-file build). It owns the checking worker (./worker.js): compiles the
// wasm once and hands the compiled module to every worker (a restart never
// downloads it again), optionally fetches the offline place table at start,
// runs one call at a time, times calls out, and throws a worker away after a
// trap, a crash or a time-out so the next call starts clean.
// It must not touch the DOM and never sends bytes anywhere but to its worker.
//
//   const engine = new Engine();          // options below; nothing starts yet
//   await engine.start();                 // optional: the first call starts it too
//   const report = await engine.check(fileOrBytes, name);
//   const copy = await engine.clean(fileOrBytes, options);   // see src/wasm.rs `clean`
//   const cover = await engine.covers(report, { faces: true }); // boxes to cover (src/covers.rs)
//
// Every call resolves with its answer or rejects with an EngineError: `message`
// is a plain English sentence for people, `kind` says which one so pages with
// their own catalogs can translate it ('start', 'too-big', 'read', 'refused',
// 'trap', 'timeout', 'crash', 'closed'). 'refused' carries the core's own
// reason (e.g. why no safer copy can be made); the worker is kept then.
//
// Options: places (true: fetch ../geo/places.bin at start, so reports name the
// nearest town and nothing is fetched after start) and, for builds that move
// files around (scripts/single-file.mjs), workerUrl, workerType, wasmUrl,
// wasmBytes, placesUrl.
// One worker only, no spare kept ready: measured (bench/engine-spare.mjs in
// commit eaeedb7) a spare made every start 140-460 ms slower and took
// ~25 MB more, to save ~140 ms once after a trap, which is rare; the new
// worker is started at once after a failure, while the person picks a file.

/** Same cap as the core (src/container/mod.rs limits::MAX_FILE_BYTES): refused before reading. */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

/** Generous: metadata checks take milliseconds, but phones can be slow and covering faces re-encodes. */
const BASE_TIMEOUT_MS = 30000;
const TIMEOUT_MS_PER_MB = 1000;

const TRY_AGAIN = 'Nothing was sent anywhere. You can try again or choose another file.';
/** Answers after which the worker is thrown away: its wasm instance may be half-changed. */
const BROKEN = new Set(['trap', 'timeout', 'crash']);

const MESSAGES = {
  start: 'ThinkTwice could not start in this browser.',
  'too-big': `This file is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB, too big for ThinkTwice to check.`,
  read: 'ThinkTwice could not read this file.',
  trap: `Something went wrong while checking this file. ${TRY_AGAIN}`,
  timeout: `Checking this file took too long. ${TRY_AGAIN}`,
  crash: `ThinkTwice stopped unexpectedly. ${TRY_AGAIN}`,
  closed: 'ThinkTwice was closed before it could answer.',
};

/** The MIME type of a safer copy in `format` (clean's answer), e.g. 'image/jpeg'; '' when unknown. */
export function copyType(format) {
  return { JPEG: 'image/jpeg', PNG: 'image/png', WebP: 'image/webp', GIF: 'image/gif', HEIC: 'image/heic', HEIF: 'image/heif', AVIF: 'image/avif' }[format] || '';
}

export class EngineError extends Error {
  /** `message` defaults to the plain sentence for `kind`; `cause` keeps the technical reason for the console. */
  constructor(kind, message = MESSAGES[kind], cause = undefined) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = 'EngineError';
    this.kind = kind;
  }
}

export class Engine {
  constructor(options = {}) {
    const here = (file) => new URL(file, import.meta.url);
    this.workerUrl = options.workerUrl || here('./worker.js');
    this.workerType = options.workerType || 'module';
    this.wasmUrl = options.wasmUrl || here('../pkg/thinktwice_bg.wasm');
    this.wasmBytes = options.wasmBytes || null;
    this.placesUrl = options.placesUrl || (options.places ? here('../geo/places.bin') : null);
    this.module = null; // Promise<WebAssembly.Module>, compiled once
    this.places = null; // Promise<ArrayBuffer | null>, fetched once
    this.worker = null; // Promise<Worker>: the one that answers calls
    this.nextId = 1;
    this.queue = Promise.resolve();
    this.waiting = new Set(); // cancel functions of calls sent to a worker, for close()
  }

  /** Compiles the wasm and starts the worker, once. Rejects (kind 'start') when the checker cannot run here. */
  start() {
    return this.ready().then(() => undefined);
  }

  /** The worker that answers calls (Promise<Worker>), started if need be. */
  ready() {
    this.module ||= this.wasmBytes ? WebAssembly.compile(this.wasmBytes) : compileFrom(this.wasmUrl);
    this.places ||= this.placesUrl ? fetchPlaces(this.placesUrl) : Promise.resolve(null);
    return (this.worker ||= this.spawn());
  }

  /** The Report for one file: a File, Blob, ArrayBuffer or typed array (copied: the caller keeps it). */
  check(input, name = input?.name || '') {
    return this.call('check', input, { name: String(name) });
  }

  /** A safer copy: {bytes, format, removed, kept, lossless, report}; rejects 'refused' with the core's reason. */
  clean(input, options = {}) {
    return this.call('clean', input, { options });
  }

  /**
   * The boxes a safer copy of this report covers ([{x, y, w, h}], for clean's `cover`), with the
   * core's margins: every face when `faces` is true, and the codes numbered in `codes` (places in
   * report.codes) or, without `codes`, the core's default (the codes it judged high).
   */
  covers(report, { faces = true, codes = null } = {}) {
    return this.call('covers', null, { report, faces: Boolean(faces), codes });
  }

  /**
   * Makes one small covered copy inside the worker so the browser finishes compiling the
   * copy paths before a person asks for a copy (the first one is otherwise ~300 ms slower).
   * Resolves true/false; never rejects.
   */
  warmUp() {
    return this.call('warm').catch(() => false);
  }

  /** The checker's version string. */
  version() {
    return this.call('version');
  }

  /** Tests only: makes the wasm instance trap, to prove recovery. Always rejects (kind 'trap'). */
  trapForTests() {
    return this.call('trap');
  }

  /** Stops the worker (a call still waiting rejects, kind 'closed'); a later call starts a new one. */
  close() {
    for (const cancel of this.waiting) cancel('closed');
    this.worker?.then((w) => w.terminate(), () => {});
    this.worker = null;
  }

  /** Queues one request: calls run one after another on the one worker. */
  call(type, input = null, extra = {}) {
    const run = this.queue.then(() => this.runOne(type, input, extra));
    this.queue = run.catch(() => {});
    return run;
  }

  async runOne(type, input, extra) {
    const bytes = input === null ? null : await readBytes(input);
    const worker = await this.ready();
    const timeoutMs = BASE_TIMEOUT_MS + TIMEOUT_MS_PER_MB * (bytes ? bytes.byteLength / 1e6 : 0);
    const answer = await ask(worker, { type, id: this.nextId++, bytes, ...extra }, timeoutMs, this.waiting);
    if (answer.ok) return answer.result;
    if (BROKEN.has(answer.kind)) this.replace(worker);
    // A refusal's own reason is the sentence for people; otherwise the technical one is only the cause.
    throw answer.kind === 'refused' ? new EngineError('refused', answer.message) : new EngineError(answer.kind, undefined, answer.message);
  }

  /** Throws a worker away (its wasm instance may be half-changed) and starts the next one now. */
  replace(worker) {
    worker.terminate();
    this.worker = this.spawn();
  }

  /** A new worker with the compiled module (and place table), resolved once it said "ready". */
  spawn() {
    const worker = Promise.all([this.module, this.places])
      .then(([module, places]) => startWorker(this.workerUrl, this.workerType, module, places))
      .catch((err) => { throw new EngineError('start', undefined, describe(err)); });
    // One that cannot start is forgotten, so a later call tries again (the failing call reports it).
    worker.catch(() => { if (this.worker === worker) this.worker = null; });
    return worker;
  }
}

/** The bytes to send, as an ArrayBuffer the worker may own. Files are read here, once. */
async function readBytes(input) {
  const size = input?.size ?? input?.byteLength;
  if (typeof size !== 'number') throw new TypeError('expected a File, Blob, ArrayBuffer or typed array');
  if (size > MAX_FILE_BYTES) throw new EngineError('too-big');
  if (input instanceof ArrayBuffer) return input.slice(0);
  if (ArrayBuffer.isView(input)) return input.buffer.slice(input.byteOffset, input.byteOffset + input.byteLength);
  try {
    return await input.arrayBuffer();
  } catch (err) {
    throw new EngineError('read', undefined, describe(err));
  }
}

async function compileFrom(url) {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A server that sends the wrong content type: compile from bytes instead (still at start).
    const response = await fetch(url);
    if (!response.ok) throw new Error(`could not load the checker (${response.status})`);
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

/** The place table's bytes, or null (a missing table only means no place names). */
async function fetchPlaces(url) {
  try {
    const response = await fetch(url);
    return response.ok ? await response.arrayBuffer() : null;
  } catch {
    return null;
  }
}

function startWorker(url, type, module, places) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { type });
    const fail = (message) => { worker.terminate(); reject(new Error(message)); };
    worker.onmessage = ({ data }) => {
      if (data.type === 'ready') resolve(worker);
      else if (data.type === 'init-failed') fail(data.message);
    };
    worker.onerror = (event) => { event.preventDefault(); fail(event.message || 'the worker did not start'); };
    // The place bytes are copied (not transferred): every worker parses its own table.
    worker.postMessage({ type: 'init', module, places });
  });
}

/**
 * Sends one request and waits for its answer: {ok: true, result} or {ok: false, kind, message}.
 * Never rejects. While it waits, `waiting` holds a function that ends the wait early (close()).
 */
function ask(worker, message, timeoutMs, waiting) {
  return new Promise((resolve) => {
    const finish = (answer) => {
      clearTimeout(timer);
      waiting.delete(cancel);
      worker.onmessage = null;
      worker.onerror = null;
      resolve(answer);
    };
    const cancel = (kind) => finish({ ok: false, kind, message: kind });
    const timer = setTimeout(() => finish({ ok: false, kind: 'timeout', message: `no answer after ${timeoutMs} ms` }), timeoutMs);
    waiting.add(cancel);
    worker.onmessage = ({ data }) => {
      if (data.id !== message.id) return;
      finish(data.ok ? data : { ok: false, kind: data.trapped ? 'trap' : 'refused', message: data.message });
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish({ ok: false, kind: 'crash', message: event.message || 'the worker stopped' });
    };
    worker.postMessage(message, message.bytes ? [message.bytes] : []);
  });
}

function describe(err) {
  return String((err && err.message) || err);
}
