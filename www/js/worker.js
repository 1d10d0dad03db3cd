// ThinkTwice worker: runs the WebAssembly checker off the page's main thread.
// Owns only the wasm instance; it never touches the DOM and never sends data
// anywhere but back to the page that started it (see checker.js).
//
// Protocol (page -> worker): { id, type: 'check', file } | { id, type: 'version' }
//                            | { id, type: 'trap' }   (tests only)
// (worker -> page): { id, ok: true, result } | { id, ok: false, error, restart }
// `restart: true` means the instance may be broken (a Rust panic traps the
// whole instance): this worker closes itself and checker.js starts a new one.
import init, { check, version, __trapForTests } from '../pkg/thinktwice.js';

// Same cap as container::limits::MAX_FILE_BYTES: refuse before reading anything.
const MAX_FILE_BYTES = 200 * 1024 * 1024;

const ready = init();

const KIND_ERROR = 'Something went wrong while checking this file. Nothing was sent anywhere. ' +
  'You can try again or choose another file.';

self.onmessage = async (event) => {
  const { id, type, file } = event.data;
  try {
    await ready;
  } catch (e) {
    self.postMessage({ id, ok: false, restart: true, error: 'ThinkTwice could not start in this browser.' });
    self.close();
    return;
  }
  if (type === 'check' && file && file.size > MAX_FILE_BYTES) {
    self.postMessage({ id, ok: false, restart: false,
      error: `This file is larger than ${MAX_FILE_BYTES / (1024 * 1024)} MB, too big for ThinkTwice to check.` });
    return;
  }
  let bytes = null;
  if (type === 'check') {
    try {
      // One copy into JS memory; wasm-bindgen makes the one copy into wasm memory.
      bytes = new Uint8Array(await file.arrayBuffer());
    } catch (e) {
      self.postMessage({ id, ok: false, restart: false, error: 'ThinkTwice could not read this file.' });
      return;
    }
  }
  try {
    let result;
    if (type === 'check') result = check(bytes, file.name || '');
    else if (type === 'version') result = version();
    else if (type === 'trap') result = __trapForTests();
    else throw new Error('unknown request ' + type);
    self.postMessage({ id, ok: true, result });
  } catch (e) {
    // Any throw out of wasm may mean a trap: never reuse this instance.
    console.warn('ThinkTwice worker: restarting after', e && e.message);
    self.postMessage({ id, ok: false, restart: true, error: KIND_ERROR });
    self.close();
  }
};
