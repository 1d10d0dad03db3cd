// thinktwice (npm): check a photo in the browser before it is shared, and make
// a safer copy. The work runs in Web Workers: the WebAssembly checker
// (engine/engine.js) and, for faces and codes, the picture checks
// (engine/picture.js, started on the first photo that needs them). The photo
// never leaves the device and nothing is fetched but this package's own files
// (the wasm modules, the face model and, for `lang`, one catalog). Texts come
// from the shared catalog (i18n/catalog.js), what a copy covers from the core.
//
//   import { checkPhoto, saferCopy } from 'thinktwice';
//   const report = await checkPhoto(file, { lang: 'hi' });     // faces and codes too
//   const { blob, removed } = await saferCopy(file);            // faces and risky codes covered

import { Engine, copyType } from './engine/engine.js';
import { Picture } from './engine/picture.js';
import * as catalog from './i18n/catalog.js';
import { CATALOG_FILES as I18N } from './i18n/files.js';

let engine = null;
let picture = null;

function getPicture() {
  // The picture worker only finds faces and codes; the engine's core adds them to the report.
  return (picture ||= new Picture({ engine: getEngine() }));
}

function getEngine() {
  // Covered copies are made by the engine's copy worker, started (its module fetched) only when one is asked for.
  return (engine ||= new Engine());
}

/** The input itself (the engine reads Files and Blobs, and copies buffers), after a type check. */
function photo(input) {
  const ok = input instanceof Uint8Array || input instanceof ArrayBuffer || typeof input?.arrayBuffer === 'function';
  if (!ok) throw new TypeError('thinktwice: expected a File, Blob, ArrayBuffer or Uint8Array');
  return input;
}

/** The photo as a Blob, for the picture worker (which decodes it with createImageBitmap). */
function asBlob(input) {
  return typeof input?.arrayBuffer === 'function' ? input : new Blob([input]);
}

/** Puts each finding's title, why and advice in `lang` when the catalog has them (English otherwise). */
async function localise(report, lang) {
  if (!lang || lang === catalog.FALLBACK || !report) return report;
  return catalog.localiseReport(report, await catalog.loadCatalog(lang, I18N));
}

/**
 * Checks one photo: its metadata and, unless turned off, the picture itself (faces, then
 * QR codes and bar codes). Resolves with the Report: `faces` and `codes` are lists when they
 * were looked for, null when they were not (turned off, or this browser cannot open the
 * picture; `not_checked` and the report then say so). A file that cannot be read still
 * resolves, with `report.error` set. Rejects (an Error whose message is a sentence for
 * people, `kind` says which) only for a file over 200 MB ('too-big') or when the checker
 * itself fails ('start', 'trap', 'timeout', 'crash').
 * Options: lang, name, faces (default true), codes (default true); each can be turned off
 * alone (`faces: false`: the face detector does not run and `faces` stays null; with both
 * off the picture module is not even loaded).
 */
export async function checkPhoto(input, options = {}) {
  const report = await getEngine().check(photo(input), options.name || input.name || '');
  const faces = options.faces !== false;
  const codes = options.codes !== false;
  let result = report;
  if ((faces || codes) && !report.error) {
    result = (await getPicture().look(asBlob(input), report, { faces, codes })).report;
  }
  return localise(result, options.lang);
}

/**
 * Makes a safer copy (location, names, serials, hidden previews… removed; see README for the
 * options). `cover`: true (the default) covers every face and the codes that give much away,
 * as the core decides (the picture is looked at first, unless `report` from checkPhoto is
 * passed); false covers nothing; a list of {x, y, w, h} covers exactly those boxes.
 * Resolves with {blob, bytes, format, removed, kept, lossless, covered, report}, where `report`
 * is ThinkTwice's own check of the copy. Rejects with a sentence for people when no safer
 * copy can be made (kind 'refused': the reason; other kinds as for checkPhoto).
 */
export async function saferCopy(input, options = {}) {
  const { lang, name, report: given, cover = true, ...cleanOptions } = options;
  let boxes = [];
  if (Array.isArray(cover)) boxes = cover;
  else if (cover) {
    const report = given || await checkPhoto(input, { name });
    if (!report.error) boxes = await getEngine().covers(report, { faces: true });
  }
  const cleaned = await getEngine().clean(photo(input), { ...cleanOptions, cover: boxes });
  cleaned.blob = new Blob([cleaned.bytes], { type: copyType(cleaned.format) || input.type || '' });
  cleaned.covered = boxes;
  await localise(cleaned.report, lang);
  return cleaned;
}

/** Stops the workers (a later call starts new ones). */
export function close() {
  if (engine) engine.close();
  if (picture) picture.close();
  engine = null;
  picture = null;
}
