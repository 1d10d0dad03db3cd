// Faces and codes on the page: the metadata verdict never waits for these.
// After a photo's verdict is shown, its File goes to the picture worker
// (faces-worker.js, which owns the lazily loaded picture module and the face
// model); two answers come back, each the same report with more added in Rust:
// first `faces` and the `faces` finding, then `codes` and a `barcode` finding
// per code (QR, bar codes...). app.js redraws the card after each. Each entry
// carries `entry.faceCheck` and `entry.codeCheck`:
//   undefined (not started) → 'looking' → 'done' | 'undecodable' | 'failed'.
// A photo whose report already has `faces` is left alone (someone already looked).
// Screen readers hear each result in a live region of its own (#faces-status),
// so the page's main status line keeps its meaning.
// Network: the module and the model are fetched once, while the page loads
// (see startFaces); checking a photo never fetches anything.

import { t, tn, formatNumber } from './i18n.js';
import { codeNoteText } from './codes.js';

const WORKER_URL = new URL('./faces-worker.js', import.meta.url);
/** A 12 MP photo takes a few seconds at most; a stuck worker must not leave "looking…" forever. */
const TIMEOUT_MS = 60000;

let worker = null;
let usable = false; // false until loaded; false for good after a load failure or a trap
let loaded = null; // Promise<boolean>: module + model fetched, parsed and warmed up
let onChange = () => {};
let nextId = 1;
let queue = Promise.resolve();

/**
 * Starts the face worker and resolves once its files are downloaded (not parsed),
 * so the page can promise "no network after ready". Never rejects; a page without
 * the face module simply says faces were not checked.
 * `changed(entry)` is called whenever an entry's face check moves on.
 */
export function startFaces(changed) {
  onChange = changed;
  liveRegion();
  return new Promise((fetched) => {
    let resolveLoaded;
    loaded = new Promise((r) => { resolveLoaded = r; });
    const fail = (why) => {
      console.warn('face check unavailable:', why);
      usable = false;
      worker?.terminate();
      worker = null;
      fetched();
      resolveLoaded(false);
    };
    try {
      worker = new Worker(WORKER_URL, { type: 'module' });
    } catch (err) {
      fail(err);
      return;
    }
    worker.onmessage = (event) => {
      const type = event.data && event.data.type;
      if (type === 'fetched') fetched();
      else if (type === 'ready') { usable = true; resolveLoaded(true); }
      else if (type === 'load-failed') fail(event.data.message);
    };
    worker.onerror = (event) => { event.preventDefault(); fail(event.message || 'the face worker did not start'); };
    worker.postMessage({ type: 'load' });
  });
}

/** Queues a face check for an entry whose verdict has just been shown. */
export function checkFaces(entry) {
  const report = entry.report;
  if (entry.failure || !report || report.error || report.faces || entry.faceCheck || !loaded) return;
  entry.faceCheck = 'looking';
  entry.codeCheck = 'looking';
  onChange(entry);
  queue = queue.then(() => run(entry)).catch((err) => console.warn(err));
}

async function run(entry) {
  if (!(await loaded) || !usable) return settleAll(entry, 'failed');
  const answer = await ask(entry.file, entry.report, (first) => {
    if (first.type === 'faces') {
      entry.report = first.report;
      entry.facesMs = first.ms;
      return settle(entry, 'faceCheck', 'done');
    }
    console.warn('face check failed:', first.message);
    return settle(entry, 'faceCheck', 'failed');
  });
  if (answer.type === 'codes') {
    entry.report = answer.report;
    entry.codesMs = answer.ms;
    return settle(entry, 'codeCheck', 'done');
  }
  if (answer.type === 'codes-failed') {
    console.warn('code check failed:', answer.message);
    return settle(entry, 'codeCheck', 'failed');
  }
  if (answer.type === 'undecodable') return settleAll(entry, 'undecodable');
  console.warn('picture check failed:', answer.message);
  if (answer.trapped || answer.type === 'timeout') { usable = false; worker?.terminate(); worker = null; }
  return settleAll(entry, 'failed');
}

/** Moves one check ('faceCheck' or 'codeCheck') on, redraws and tells screen readers. */
function settle(entry, check, state) {
  entry[check] = state;
  onChange(entry);
  const text = check === 'faceCheck' ? noteText(entry) : codeNoteText(entry);
  if (text) liveRegion().textContent = `${entry.name}: ${text}`;
}

/** Ends every check still looking (the worker could not answer for this photo). */
function settleAll(entry, state) {
  for (const check of ['faceCheck', 'codeCheck']) {
    if (entry[check] === 'looking') settle(entry, check, state);
  }
}

/** Sends a photo; `first` gets the faces answer, the promise the last answer for it. */
function ask(blob, report, first) {
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ type: 'timeout', message: 'the picture check took too long' }), TIMEOUT_MS);
    function finish(answer) {
      clearTimeout(timer);
      worker?.removeEventListener('message', listen);
      resolve(answer);
    }
    function listen(event) {
      const answer = event.data;
      if (!answer || answer.id !== id) return;
      if (answer.type === 'faces' || answer.type === 'faces-failed') first(answer);
      else finish(answer);
    }
    worker.addEventListener('message', listen);
    worker.postMessage({ type: 'detect', id, blob, report });
  });
}

/** The line under the photo saying where the face check is, or '' when there is nothing to say. */
/**
 * How many faces or people to say for a report: "at least N people" when the core says the
 * count is a lower bound (`report.people.at_least`: many tiny or unclear faces), else "N faces".
 * `key` is the catalog family: 'faces.count' (full sentence) or 'part.faces' (verdict part).
 */
export function facesCountText(report, key) {
  const n = ((report && report.faces) || []).length;
  if (report && report.people && report.people.at_least) return t(`${key}_at_least`, { n: formatNumber(n) });
  return tn(key, n);
}

export function noteText(entry) {
  switch (entry.faceCheck) {
    case 'looking': return t('faces.looking');
    case 'undecodable': return t('faces.undecodable');
    case 'failed': return t('faces.failed');
    case 'done': {
      const n = (entry.report && entry.report.faces || []).length;
      return n ? facesCountText(entry.report, 'faces.count') : t('faces.none');
    }
    default: return '';
  }
}

/** The note as an element for the card (render.js), or null. */
export function faceNote(entry) {
  // A count is already in the caption next to the boxes; say only what it does not.
  if (entry.faceCheck === 'done' && (entry.report.faces || []).length) return null;
  const text = noteText(entry);
  if (!text) return null;
  const note = document.createElement('span');
  note.className = `faces-note faces-${entry.faceCheck}`;
  note.dataset.faceCheck = entry.faceCheck;
  note.textContent = text;
  return note;
}

function liveRegion() {
  let region = document.getElementById('faces-status');
  if (!region) {
    region = document.createElement('p');
    region.id = 'faces-status';
    region.className = 'visually-hidden';
    region.setAttribute('role', 'status');
    region.setAttribute('aria-live', 'polite');
    document.getElementById('status')?.after(region);
  }
  return region;
}
