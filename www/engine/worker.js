// The checking worker: owns one instance of the WebAssembly checker (the core
// module, www/pkg) and answers one request at a time for ./engine.js through the
// generic client (./client.js, whose protocol this follows). The compiled module
// comes from the page, so a restarted worker never downloads it again. It never
// touches the DOM and never sends anything anywhere but back to its page.
// Protocol:  in  {type:'init', module, places?}   out {type:'ready', places} | {type:'init-failed', message}
//                (places = the bytes of geo/places.bin when a worker is restarted after they arrived)
//            in  {id, type:'check', bytes, name} | {id, type:'clean', bytes, options} | {id, type:'version'}
//                (clean's result is {reencode: true} when the copy must draw the picture again: areas to
//                 cover, a TIFF, a lossless WebP; the core has no image codecs, engine.js then asks the
//                 picture worker, app/faces-worker.js)
//                | {id, type:'places', places} (parsed once here so reports name the nearest town; result =
//                  how many were loaded, 0 when none: checking works without them)
//                | {id, type:'place', report} (the report with its nearest place named)
//                | {id, type:'faces', report, faces} | {id, type:'codes', report, codes} (the report with what the
//                  picture worker found added, findings and risk included: the core's withFaces / withCodes)
//                | {id, type:'covers', report, faces, codes?} (the boxes a safer copy covers: src/covers.rs)
//                | {id, type:'trap'} (tests only)
//            out {id, ok: true, result} | {id, ok: false, trapped, message}
//                (clean's result = {bytes: Uint8Array (transferred), format, removed, kept, lossless, report};
//                 options as in src/wasm/core.rs)
// trapped: false means the core refused with a plain reason (the instance is fine); true means anything
// else (a wasm trap...): the page then throws this worker away, the instance may be half-changed.
// The message loop itself (init, answers, refusal or trap) is ./serve.js's, shared by every worker.
// scripts/single-file.mjs runs this file as a classic script: keep the two import lines below as they are.

import init, { check, clean, coverBoxes, version, load_places, withPlace, withFaces, withCodes, __trapForTests } from '../pkg/thinktwice.js';
import { serve, describe } from './serve.js';

const REQUESTS = {
  check: (msg) => check(new Uint8Array(msg.bytes), String(msg.name || '')),
  clean: (msg) => clean(new Uint8Array(msg.bytes), JSON.stringify(msg.options || {})),
  covers: (msg) => coverBoxes(msg.report, Boolean(msg.faces), msg.codes ? Uint32Array.from(msg.codes) : undefined),
  version: () => version(),
  places: (msg) => loadPlaces(msg.places),
  place: (msg) => withPlace(msg.report),
  faces: (msg) => JSON.parse(withFaces(JSON.stringify(msg.report), JSON.stringify(msg.faces))),
  codes: (msg) => JSON.parse(withCodes(JSON.stringify(msg.report), JSON.stringify(msg.codes))),
  trap: () => __trapForTests(),
};

serve({
  init: async (msg) => {
    await init({ module_or_path: msg.module });
    return { type: 'ready', places: loadPlaces(msg.places) };
  },
  requests: REQUESTS,
  onTrap: (err) => console.warn('ThinkTwice worker: this instance is done after', describe(err)),
});

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
