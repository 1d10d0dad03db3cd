// The ONE page-side handle on the WebAssembly checker, used by every door: the
// app (app/app.js, app/safer.js), the minimal page (minimal.js), the web
// component (component/think-twice.js, and through it the npm package and the
// single-file build). It says what the checking worker (./worker.js) is asked
// and words its failures; the worker's life (start with the wasm compiled once,
// one call at a time, time-outs, a fresh worker after a trap) is the generic
// client's (./client.js, shared with the picture worker). The offline place
// table is optional and never holds a check up: it is fetched after start and
// handed to the worker when it arrives (reports made before then have no place
// name; withPlace() adds it later). A safer copy that must draw the picture
// again (areas to cover, a TIFF, a lossless WebP) is made by the copy worker
// (./copy.js: the core has no image codecs, so it stays small): the core answers
// such a request {reencode: true} and the engine asks the copy worker, started
// (and its module fetched, once) on first need. It must not touch the DOM and
// never sends bytes anywhere but to its workers.
//
//   const engine = new Engine();          // options below; nothing starts yet
//   await engine.start();                 // optional: the first call starts it too
//   const report = await engine.check(fileOrBytes, name);
//   const copy = await engine.clean(fileOrBytes, options);   // see src/wasm/core.rs `clean`
//   await engine.placesLoaded();             // true once place names are available
//   const named = await engine.withPlace(report);   // the report with its nearest place
//   const seen = await engine.withFaces(report, faces); // faces / codes the picture worker found, added
//   const read = await engine.withCodes(report, codes); //   with their findings (src/wasm/core.rs)
//   const cover = await engine.covers(report, { faces: true }); // boxes to cover (src/covers.rs)
//
// Every call resolves with its answer or rejects with an EngineError: `message`
// is a plain English sentence for people, `kind` says which one so pages with
// their own catalogs can translate it ('start', 'too-big', 'read', 'refused',
// 'trap', 'timeout', 'crash', 'closed'). 'refused' carries the core's own
// reason (e.g. why no safer copy can be made); the worker is kept then.
//
// Options: places (true: fetch ../geo/places.bin right after the checker has
// started, so reports name the nearest town, see above; 'later': only when the
// page calls placesLoaded()) and, for builds that move files around
// (scripts/single-file.mjs), workerUrl, workerType, wasmUrl, wasmBytes,
// placesUrl, copyModuleUrl, copyWorkerUrl.
// One worker only, no spare kept ready: measured (bench/engine-spare.mjs in
// commit eaeedb7) a spare made every start 140-460 ms slower and took
// ~25 MB more, to save ~140 ms once after a trap, which is rare; the new
// worker is started at once after a failure, while the person picks a file.

/** Same cap as the core (src/container/mod.rs limits::MAX_FILE_BYTES): refused before reading. */
export const MAX_FILE_BYTES = 200 * 1024 * 1024;

/** Generous: metadata checks take milliseconds, but phones can be slow and covering faces re-encodes. */
const BASE_TIMEOUT_MS = 30000;
const TIMEOUT_MS_PER_MB = 1000;

import { WorkerClient, compileWasm, fetchBytes, describe } from './client.js';
import { copyClient } from './copy.js';

const TRY_AGAIN = 'Nothing was sent anywhere. You can try again or choose another file.';

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
    // Each default URL is written out as `new URL('literal', import.meta.url)`: the form bundlers
    // (Vite, webpack 5) recognise, so they ship the file and rewrite the URL (npm package).
    this.wasmUrl = options.wasmUrl || new URL('../pkg/thinktwice_bg.wasm', import.meta.url);
    this.wasmBytes = options.wasmBytes || null;
    this.placesUrl = options.placesUrl || (options.places ? new URL('../geo/places.bin', import.meta.url) : null);
    this.placesAtStart = options.places !== 'later'; // 'later': the page calls placesLoaded() when it wants them
    this.starting = null; // Promise: the worker is up
    this.havePlaces = false; // true once the worker names places
    this.places = null; // Promise<boolean>: the table fetched and handed to the worker
    let compiled;
    /** Resolves once the core's bytes are in and compiled (before the worker runs); never rejects. */
    this.compiled = new Promise((resolve) => { compiled = resolve; });
    const worker = () => new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
    this.client = new WorkerClient(options.workerUrl || worker, {
      type: options.workerType || 'module',
      init: async () => {
        const module = await (this.wasmBytes ? WebAssembly.compile(this.wasmBytes) : compileWasm(this.wasmUrl)).finally(compiled);
        return { module };
      },
    });
    // The copy worker, for copies that draw the picture again: made (and its module fetched) when first needed.
    const copyOptions = { moduleUrl: options.copyModuleUrl, workerUrl: options.copyWorkerUrl, workerType: options.workerType };
    this.copier = null;
    this.copy = () => (this.copier ||= copyClient(copyOptions));
  }

  /** Compiles the wasm and starts the worker, once. Rejects (kind 'start') when the checker cannot run here. */
  start() {
    this.starting ||= this.client.ready().then(() => {
      if (this.placesUrl && this.placesAtStart) this.placesLoaded(); // in the background: no check waits for it
    }, (err) => {
      this.starting = null; // a later call tries again
      throw new EngineError('start', undefined, describe(err));
    });
    return this.starting;
  }

  /**
   * Fetches the place table once (after start, never before a check) and hands it to the worker;
   * resolves true when place names are available, false when there is no table (never rejects).
   */
  placesLoaded() {
    if (!this.placesUrl) return Promise.resolve(false);
    this.places ||= fetchBytes(this.placesUrl).then(async (bytes) => {
      this.client.keepForRestarts({ places: bytes });
      const answer = await this.client.call('places', { places: bytes.slice(0) });
      this.havePlaces = answer.ok && answer.result > 0;
      return this.havePlaces;
    }).catch((err) => { console.warn('place names not available:', describe(err)); return false; });
    return this.places;
  }

  /** The Report for one file: a File, Blob, ArrayBuffer or typed array (copied: the caller keeps it). */
  check(input, name = input?.name || '') {
    return this.run('check', input, { name: String(name) });
  }

  /**
   * A safer copy: {bytes, format, removed, kept, lossless, report}; rejects 'refused' with the core's reason.
   * Copies that cover areas go straight to the copy worker; the core hands on others that need it.
   */
  async clean(input, options = {}) {
    if (!options.cover?.length) {
      const copy = await this.run('clean', input, { options });
      if (!copy.reencode) return copy;
    }
    return this.run('clean', input, { options }, this.copy());
  }

  /**
   * The report with its nearest place named (as `check` does with the table); unchanged while
   * the table has not arrived (placesLoaded() tells when it has) or when there is none.
   */
  async withPlace(report) {
    if (!report?.location || report.location.place || !this.havePlaces) return report;
    return this.run('place', null, { report });
  }

  /**
   * The report with the faces the picture worker found ([{x, y, w, h, score}], upright pixels of the
   * photo) added: `faces`, `people`, the `faces` finding and the risk, by the core's rule (withFaces).
   */
  withFaces(report, faces) {
    return this.run('faces', null, { report, faces });
  }

  /** The report with the codes the picture worker found added, one finding each (the core's withCodes). */
  withCodes(report, codes) {
    return this.run('codes', null, { report, codes });
  }

  /**
   * The boxes a safer copy of this report covers ([{x, y, w, h}], for clean's `cover`), with the
   * core's margins: every face when `faces` is true, and the codes numbered in `codes` (places in
   * report.codes) or, without `codes`, the core's default (the codes it judged high).
   */
  covers(report, { faces = true, codes = null } = {}) {
    return this.run('covers', null, { report, faces: Boolean(faces), codes });
  }

  /**
   * Makes one small covered copy inside the copy worker so the browser finishes compiling the
   * copy paths before a person asks for a copy (the first one is otherwise ~300 ms slower).
   * It fetches the copy module: call it only once someone chose to cover something. Resolves
   * true/false; never rejects.
   */
  async warmUp() {
    try {
      return await this.run('warm', null, {}, this.copy());
    } catch {
      return false;
    }
  }

  /** The checker's version string. */
  version() {
    return this.run('version');
  }

  /** Tests only: makes the wasm instance trap, to prove recovery. Always rejects (kind 'trap'). */
  trapForTests() {
    return this.run('trap');
  }

  /** Stops the workers (a call still waiting rejects, kind 'closed'); a later call starts a new one. */
  close() {
    this.client.close();
    this.copier?.close();
  }

  /** One request to the core's worker (or `client`): resolves with its result or rejects with an EngineError. */
  async run(type, input = null, extra = {}, client = this.client) {
    const bytes = input === null ? null : await readBytes(input);
    if (client === this.client) await this.start();
    const timeoutMs = BASE_TIMEOUT_MS + TIMEOUT_MS_PER_MB * (bytes ? bytes.byteLength / 1e6 : 0);
    const answer = await client.call(type, bytes ? { bytes, ...extra } : extra, { transfer: bytes ? [bytes] : [], timeoutMs });
    if (answer.ok) return answer.result;
    // A refusal's own reason is the sentence for people; otherwise the technical one is only the cause.
    throw answer.kind === 'refused' ? new EngineError('refused', answer.message) : new EngineError(answer.kind, undefined, answer.message);
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
