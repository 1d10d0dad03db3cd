// The client of the copy worker (./copy-worker.js): the safer copies that draw the
// picture again (areas covered, TIFF → PNG, a lossless WebP), made by the copy
// module www/pkg-copy (the image codecs, kept out of the core and the face and code
// modules). Used by the engine (./engine.js, when the core answers {reencode: true}
// or areas are to be covered) and by ./picture.js (the extension). Nothing is
// fetched until the first such copy is asked for (or warmUp is called because
// someone chose to cover something), and then once: a worker restarted after a
// trap gets the same compiled module. It must not touch the DOM and never sends
// bytes anywhere but to its worker.
//
//   const client = copyClient();          // nothing is fetched yet
//   const answer = await client.call('clean', { bytes, options }, { transfer: [bytes], timeoutMs });
//   // answer.result as the core's clean: {bytes, format, removed, kept, lossless, unreadBytes, report}

import { WorkerClient, compileWasm } from './client.js';

/** A WorkerClient for the copy worker. Options: moduleUrl, workerUrl, workerType (for builds that move files). */
export function copyClient(options = {}) {
  // Literal `new URL(…, import.meta.url)` forms, so that bundlers ship these files (see engine.js).
  const moduleUrl = options.moduleUrl || new URL('../pkg-copy/thinktwice_copy_bg.wasm', import.meta.url);
  const worker = () => new Worker(new URL('./copy-worker.js', import.meta.url), { type: 'module' });
  return new WorkerClient(options.workerUrl || worker, {
    type: options.workerType || 'module',
    init: async () => ({ module: await compileWasm(moduleUrl) }),
  });
}
