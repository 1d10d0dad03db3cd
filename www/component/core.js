// The engine shared by the "front doors" (web component, npm package, single
// file): one Web Worker that owns the WebAssembly checker (www/app/worker.js,
// the same one the app uses) and answers check / clean, one call at a time.
// A call that fails (wasm trap, worker crash, time-out) throws that worker away
// and the next call starts a fresh one, so a hostile file can never leave the
// checker half-broken. No DOM and no strings for people here.
//
// Where the files come from can be overridden, which is how the single-file
// build runs it (worker from a Blob URL, wasm from inlined bytes):
//   new Engine({ workerUrl, wasmUrl, wasmBytes, workerType })

const BASE_TIMEOUT_MS = 30000;
const TIMEOUT_MS_PER_MB = 1000;

export class Engine {
  constructor(options = {}) {
    this.workerUrl = options.workerUrl || new URL('../app/worker.js', import.meta.url);
    this.wasmUrl = options.wasmUrl || new URL('../pkg/thinktwice_bg.wasm', import.meta.url);
    this.wasmBytes = options.wasmBytes || null;
    this.workerType = options.workerType || 'module';
    this.module = null; // Promise<WebAssembly.Module>, compiled once
    this.worker = null; // Promise<Worker>
    this.nextId = 1;
    this.queue = Promise.resolve();
  }

  /** Compiles the wasm (once) and starts a worker. Rejects when the checker cannot run here. */
  start() {
    if (!this.module) this.module = this.wasmBytes ? WebAssembly.compile(this.wasmBytes) : compileFrom(this.wasmUrl);
    if (!this.worker) {
      this.worker = this.module.then((module) => spawn(this.workerUrl, this.workerType, module));
      this.worker.catch(() => { this.worker = null; });
    }
    return this.worker.then(() => undefined);
  }

  /** Report for one file's bytes (a Uint8Array or ArrayBuffer; it is copied, the caller keeps it). */
  check(bytes, name = '') {
    return this.call({ type: 'check', name: String(name) }, bytes, 'report');
  }

  /** {bytes, format, removed, kept, lossless, report} or a rejection with a sentence for people. */
  clean(bytes, options = {}) {
    return this.call({ type: 'clean', options }, bytes, 'cleaned');
  }

  call(message, bytes, field) {
    const run = this.queue.then(() => this.runOne(message, bytes, field));
    this.queue = run.catch(() => {});
    return run;
  }

  async runOne(message, bytes, field) {
    await this.start();
    const worker = await this.worker;
    const copy = toBuffer(bytes);
    const id = this.nextId++;
    const timeoutMs = BASE_TIMEOUT_MS + TIMEOUT_MS_PER_MB * (copy.byteLength / 1e6);
    const result = await ask(worker, { ...message, id, bytes: copy }, timeoutMs);
    if (result.failed) {
      worker.terminate();
      this.worker = null; // a trapped instance may be half-changed: the next call gets a fresh one
      throw new Error(result.message);
    }
    return result.msg[field];
  }

  /** Stops the worker; a later call starts a new one. */
  close() {
    if (this.worker) this.worker.then((w) => w.terminate(), () => {});
    this.worker = null;
  }
}

function toBuffer(bytes) {
  if (bytes instanceof ArrayBuffer) return bytes.slice(0);
  if (ArrayBuffer.isView(bytes)) return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength);
  throw new TypeError('expected a Uint8Array or ArrayBuffer');
}

async function compileFrom(url) {
  try {
    return await WebAssembly.compileStreaming(fetch(url));
  } catch {
    // A server that sends the wrong content type: compile from bytes instead.
    const response = await fetch(url);
    if (!response.ok) throw new Error(`could not load the checker (${response.status})`);
    return WebAssembly.compile(await response.arrayBuffer());
  }
}

function spawn(url, type, module) {
  return new Promise((resolve, reject) => {
    const worker = new Worker(url, { type });
    const fail = (message) => { worker.terminate(); reject(new Error(message)); };
    worker.onmessage = (event) => {
      if (event.data.type === 'ready') resolve(worker);
      else if (event.data.type === 'init-failed') fail(event.data.message);
    };
    worker.onerror = (event) => { event.preventDefault(); fail(event.message || 'the checker could not start'); };
    worker.postMessage({ type: 'init', module });
  });
}

function ask(worker, message, timeoutMs) {
  return new Promise((resolve) => {
    const finish = (result) => {
      clearTimeout(timer);
      worker.onmessage = null;
      worker.onerror = null;
      resolve(result);
    };
    const timer = setTimeout(() => finish({ failed: true, message: 'The check took too long.' }), timeoutMs);
    worker.onmessage = (event) => {
      const msg = event.data;
      if (msg.id !== message.id) return;
      if (msg.type === 'failed') finish({ failed: true, message: msg.message });
      else finish({ msg });
    };
    worker.onerror = (event) => {
      event.preventDefault();
      finish({ failed: true, message: event.message || 'The checker stopped.' });
    };
    worker.postMessage(message, [message.bytes]);
  });
}
