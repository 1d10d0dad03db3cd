// The checking worker: owns one instance of the WebAssembly checker and answers
// one file at a time. The compiled module comes from the page (so a restarted
// worker never downloads it again). It never touches the DOM.
// Protocol:  in  {type:'init', module, places?}  out {type:'ready', places} | {type:'init-failed', message}
//                (places = the bytes of geo/places.bin, parsed once here so reports name the nearest town;
//                 out places = how many were loaded, 0 when none: checking still works without them)
//            in  {type:'check', id, name, bytes}  out {type:'report', id, report} | {type:'failed', id, trapped, message}
//            in  {type:'clean', id, bytes, options}  out {type:'cleaned', id, cleaned} | {type:'failed', id, trapped, message}
//                (cleaned = {bytes: Uint8Array (transferred), format, removed, kept, lossless, report}; options as in src/wasm.rs)
// After a failure the page throws this worker away: a trapped wasm instance may be left half-changed.

import init, { check, clean, load_places } from '../pkg/thinktwice.js';

self.onmessage = async (event) => {
  const msg = event.data || {};
  if (msg.type === 'init') {
    try {
      await init({ module_or_path: msg.module });
      self.postMessage({ type: 'ready', places: loadPlaces(msg.places) });
    } catch (err) {
      self.postMessage({ type: 'init-failed', message: describe(err) });
    }
    return;
  }
  if (msg.type === 'check') {
    try {
      const report = check(new Uint8Array(msg.bytes), String(msg.name || ''));
      self.postMessage({ type: 'report', id: msg.id, report });
    } catch (err) {
      const trapped = err instanceof WebAssembly.RuntimeError;
      self.postMessage({ type: 'failed', id: msg.id, trapped, message: describe(err) });
    }
    return;
  }
  if (msg.type === 'clean') {
    try {
      const cleaned = clean(new Uint8Array(msg.bytes), JSON.stringify(msg.options || {}));
      self.postMessage({ type: 'cleaned', id: msg.id, cleaned }, [cleaned.bytes.buffer]);
    } catch (err) {
      const trapped = err instanceof WebAssembly.RuntimeError;
      self.postMessage({ type: 'failed', id: msg.id, trapped, message: describe(err) });
    }
  }
};

/** Parses the place table once; a bad or missing table only means no place names. */
function loadPlaces(bytes) {
  if (!bytes) return 0;
  try {
    return load_places(new Uint8Array(bytes));
  } catch (err) {
    console.warn('place names not available:', describe(err));
    return 0;
  }
}

function describe(err) {
  return String((err && err.message) || err);
}
