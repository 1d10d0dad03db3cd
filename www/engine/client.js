// The ONE page-side client for a ThinkTwice worker (engine/worker.js: the metadata core;
// app/faces-worker.js: the picture checks). It owns a worker's life: starts it with an init
// message (the compiled wasm module and any data files, fetched ONCE by the page, so a restart
// downloads nothing), sends one request at a time, matches answers by id, passes on notes
// (partial answers) that come before the last answer, times a request out, and throws the
// worker away after a trap, a crash or a time-out so the next request starts a fresh one.
// It must not touch the DOM, know what a request means, or send bytes anywhere but its worker.
//
// Protocol every worker speaks:
//   in  {type:'init', ...init}           out {type:'ready', ...info} | {type:'init-failed', message}
//   in  {type:'provide', ...fields}      no answer (data that arrived after start, see provide())
//   in  {id, type, ...payload}           out {id, note} (zero or more partial answers), then
//                                            {id, ok: true, result} | {id, ok: false, trapped, message}
// trapped false: the worker refused with a plain reason and stays usable; true: anything else.
//
//   const client = new WorkerClient(url, { init: async () => ({ module, places }) });
//   // or, so that bundlers (Vite, webpack 5) see and bundle the worker, a function that makes it:
//   const client = new WorkerClient(() => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' }), …);
//   const answer = await client.call('check', { bytes, name }, { transfer: [bytes], timeoutMs: 30000, onNote });
//   // timeoutAfter: a promise; the time-out counts from when it settles (e.g. files the worker still waits for)
//   // answer: {ok: true, result} | {ok: false, kind: 'refused'|'trap'|'timeout'|'crash'|'closed'|'start', message}
// call() never rejects.

/** Answers after which a worker is thrown away: its wasm instance may be half-changed. */
const BROKEN = new Set(['trap', 'timeout', 'crash']);

export class WorkerClient {
  /**
   * `url`: the worker script, or a function that returns a new Worker (written out in the caller as
   * `new Worker(new URL('…', import.meta.url), …)`, the one form bundlers find and bundle).
   * `init()` resolves to the init message's fields (the same object is reused for every restart,
   * so downloads happen once); `type` is the Worker type for a `url` ('module', or 'classic').
   */
  constructor(url, { init = async () => ({}), type = 'module' } = {}) {
    this.url = url;
    this.type = type;
    this.initFields = null; // Promise of init()'s fields, made once
    this.makeInit = init;
    this.later = {}; // fields that arrived after start (see keepForRestarts)
    this.worker = null; // Promise<{worker, info}>
    this.nextId = 1;
    this.queue = Promise.resolve();
    this.waiting = new Set(); // cancel functions of requests in flight, for close()
  }

  /** Starts the worker once; resolves to what it said when ready ({...info}); rejects when it cannot start. */
  ready() {
    this.initFields ||= Promise.resolve().then(this.makeInit);
    return (this.worker ||= this.spawn()).then(({ info }) => info);
  }

  /** Adds fields to the init message of every worker started from now on (data that arrived after start). */
  keepForRestarts(fields) {
    Object.assign(this.later, fields);
  }

  /**
   * Hands data that arrived after start to the worker now, outside the request queue (a request
   * in flight may be waiting for it), as {type:'provide', ...fields} with no answer, and to every
   * worker started later (keepForRestarts; `keep: false`: only to this one, e.g. a piece of a file
   * whose whole follows). A worker may see the same fields twice.
   */
  provide(fields, { keep = true } = {}) {
    if (keep) this.keepForRestarts(fields);
    this.worker?.then(({ worker }) => worker.postMessage({ type: 'provide', ...fields }), () => {});
  }

  /** Queues one request; resolves to its answer (see the top of the file). */
  call(type, payload = {}, options = {}) {
    const run = this.queue.then(() => this.runOne(type, payload, options));
    this.queue = run.catch(() => {});
    return run;
  }

  async runOne(type, payload, { transfer = [], timeoutMs = 30000, timeoutAfter = null, onNote = () => {} }) {
    let worker;
    try {
      await this.ready();
      ({ worker } = await this.worker);
    } catch (err) {
      return { ok: false, kind: 'start', message: describe(err) };
    }
    const answer = await ask(worker, { type, id: this.nextId++, ...payload }, transfer, { timeoutMs, timeoutAfter }, onNote, this.waiting);
    if (!answer.ok && BROKEN.has(answer.kind)) this.replace(worker);
    return answer;
  }

  /** Throws a worker away and starts the next one now (its downloads are already in hand). */
  replace(worker) {
    worker.terminate();
    this.worker = this.spawn();
    this.worker.catch(() => {});
  }

  /** Stops the worker (a request in flight answers kind 'closed'); a later call starts a new one. */
  close() {
    for (const cancel of this.waiting) cancel('closed');
    this.worker?.then(({ worker }) => worker.terminate(), () => {});
    this.worker = null;
  }

  spawn() {
    // The worker starts now, so its scripts load while the init fields (a compiled module...) are made.
    const started = startWorker(this.url, this.type, this.initFields.then((fields) => ({ ...fields, ...this.later })));
    // One that cannot start is forgotten, so a later call tries again (and reports it).
    started.catch(() => { if (this.worker === started) this.worker = null; });
    return started;
  }
}

/** Compiles a wasm file (streaming when the server sends application/wasm). Rejects when it cannot. */
export async function compileWasm(url) {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A server that sends the wrong content type: compile from bytes instead.
    const response = await fetch(url);
    if (!response.ok) throw new Error(`could not load ${url} (${response.status})`);
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

/**
 * A file's bytes; rejects on a network error or a status other than 200. `onPiece` (optional) is
 * also handed each piece (a Uint8Array) as it arrives, e.g. to start on a file's first part.
 */
export async function fetchBytes(url, onPiece = null) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`could not load ${url} (HTTP ${response.status})`);
  if (!onPiece || !response.body?.getReader) return response.arrayBuffer();
  const reader = response.body.getReader();
  const pieces = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    pieces.push(value);
    size += value.byteLength;
    onPiece(value);
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const piece of pieces) { whole.set(piece, at); at += piece.byteLength; }
  return whole.buffer;
}

function startWorker(url, type, fieldsMade) {
  return new Promise((resolve, reject) => {
    const worker = typeof url === 'function' ? url() : new Worker(url, { type });
    const fail = (message) => { worker.terminate(); reject(new Error(message)); };
    worker.onmessage = ({ data }) => {
      if (data?.type === 'ready') resolve({ worker, info: data });
      else if (data?.type === 'init-failed') fail(data.message);
    };
    worker.onerror = (event) => { event.preventDefault(); fail(event.message || 'the worker did not start'); };
    // Init data is copied, not transferred: a restarted worker gets the same bytes again.
    fieldsMade.then((fields) => worker.postMessage({ type: 'init', ...fields }), (err) => fail(describe(err)));
  });
}

/** Sends one request and waits for its last answer; never rejects. */
function ask(worker, message, transfer, { timeoutMs, timeoutAfter }, onNote, waiting) {
  return new Promise((resolve) => {
    let timer = null;
    let finished = false;
    const finish = (answer) => {
      finished = true;
      clearTimeout(timer);
      waiting.delete(cancel);
      worker.removeEventListener('message', listen);
      worker.onerror = null;
      resolve(answer);
    };
    const cancel = (kind) => finish({ ok: false, kind, message: kind });
    const arm = () => {
      if (!finished) timer = setTimeout(() => finish({ ok: false, kind: 'timeout', message: `no answer after ${Math.round(timeoutMs)} ms` }), timeoutMs);
    };
    if (timeoutAfter) Promise.resolve(timeoutAfter).then(arm, arm); else arm();
    waiting.add(cancel);
    function listen({ data }) {
      if (!data || data.id !== message.id) return;
      if ('note' in data) { onNote(data.note); return; }
      finish(data.ok ? data : { ok: false, kind: data.trapped ? 'trap' : 'refused', message: data.message });
    }
    worker.addEventListener('message', listen);
    worker.onerror = (event) => {
      event.preventDefault();
      finish({ ok: false, kind: 'crash', message: event.message || 'the worker stopped' });
    };
    worker.postMessage(message, transfer);
  });
}

export function describe(err) {
  return String((err && err.message) || err);
}
