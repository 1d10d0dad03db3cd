// thinktwice (npm): check a photo in the browser before it is shared, and make
// a safer copy. The work runs in a Web Worker with the WebAssembly checker;
// the photo never leaves the device and nothing is fetched but this package's
// own files (the wasm and, for `lang`, one catalog).
//
//   import { checkPhoto, saferCopy } from 'thinktwice';
//   const report = await checkPhoto(file, { lang: 'hi' });
//   const { blob, removed } = await saferCopy(file);

import { Engine } from './engine/engine.js';

let engine = null;
const catalogs = new Map();

function getEngine() {
  return (engine ||= new Engine());
}

/** The input itself (the engine reads Files and Blobs, and copies buffers), after a type check. */
function photo(input) {
  const ok = input instanceof Uint8Array || input instanceof ArrayBuffer || typeof input?.arrayBuffer === 'function';
  if (!ok) throw new TypeError('thinktwice: expected a File, Blob, ArrayBuffer or Uint8Array');
  return input;
}

async function catalog(lang) {
  if (!lang || lang === 'en' || !/^[a-z]{2,3}$/.test(lang)) return null;
  if (!catalogs.has(lang)) {
    catalogs.set(lang, fetch(new URL(`./i18n/${lang}.json`, import.meta.url))
      .then((r) => (r.ok ? r.json() : null), () => null));
  }
  return catalogs.get(lang);
}

/** Puts each finding's title, why and advice in `lang` when the catalog has them (English otherwise). */
async function localise(report, lang) {
  const cat = await catalog(lang);
  if (!cat || !report) return report;
  for (const f of report.findings || []) {
    const own = (cat.findings || {})[f.id];
    if (!own) continue;
    for (const part of ['title', 'why', 'advice']) if (own[part]) f[part] = own[part];
  }
  report.lang = lang;
  return report;
}

/**
 * Checks one photo. Resolves with the Report; a file that cannot be read still
 * resolves, with `report.error` set. Rejects (an Error whose message is a sentence
 * for people, `kind` says which) only for a file over 200 MB ('too-big') or when
 * the checker itself fails ('start', 'trap', 'timeout', 'crash').
 * `faces` is accepted for forward compatibility: this build has no face detector,
 * so `report.faces` stays null.
 */
export async function checkPhoto(input, options = {}) {
  const report = await getEngine().check(photo(input), options.name || input.name || '');
  return localise(report, options.lang);
}

/**
 * Makes a safer copy (location, names, serials, hidden previews… removed; see
 * README for the options). Resolves with {blob, bytes, format, removed, kept,
 * lossless, report}, where `report` is ThinkTwice's own check of the copy.
 * Rejects with a sentence for people when no safer copy can be made (kind
 * 'refused': the reason; other kinds as for checkPhoto).
 */
export async function saferCopy(input, options = {}) {
  const { lang, ...cleanOptions } = options;
  const cleaned = await getEngine().clean(photo(input), cleanOptions);
  const mime = { JPEG: 'image/jpeg', PNG: 'image/png', WebP: 'image/webp' }[cleaned.format] || input.type || '';
  cleaned.blob = new Blob([cleaned.bytes], { type: mime });
  await localise(cleaned.report, lang);
  return cleaned;
}

/** Stops the worker (a later call starts a new one). */
export function close() {
  if (engine) engine.close();
  engine = null;
}
