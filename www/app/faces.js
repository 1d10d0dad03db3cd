// Faces on the page: the metadata verdict never waits for this. After a photo's
// verdict is shown, its File goes to the face worker (faces-worker.js, which
// owns the lazily loaded face module and model); the answer comes back as the
// same report with `faces` and the `faces` finding added in Rust, and app.js
// redraws that card. Each entry carries `entry.faceCheck`:
//   undefined (not started) → 'looking' → 'done' | 'undecodable' | 'failed'.
// A photo whose report already has `faces` is left alone (someone already looked).
// Screen readers hear each result in a live region of its own (#faces-status),
// so the page's main status line keeps its meaning.
// Network: the module and the model are fetched once, while the page loads
// (see startFaces); checking a photo never fetches anything.

import { t, tn } from './i18n.js';

const WORKER_URL = new URL('./faces-worker.js', import.meta.url);
/** A 12 MP photo takes well under a second; a stuck worker must not leave "looking…" forever. */
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
  onChange(entry);
  queue = queue.then(() => run(entry)).catch((err) => console.warn(err));
}

async function run(entry) {
  if (!(await loaded) || !usable) return settle(entry, 'failed');
  const answer = await ask(entry.file, entry.report);
  if (answer.type === 'faces') {
    entry.report = answer.report;
    entry.facesMs = answer.ms;
    return settle(entry, 'done');
  }
  if (answer.type === 'undecodable') return settle(entry, 'undecodable');
  console.warn('face check failed:', answer.message);
  if (answer.trapped || answer.type === 'timeout') { usable = false; worker?.terminate(); worker = null; }
  return settle(entry, 'failed');
}

function settle(entry, state) {
  entry.faceCheck = state;
  onChange(entry);
  const text = noteText(entry);
  if (text) liveRegion().textContent = `${entry.name}: ${text}`;
}

function ask(blob, report) {
  const id = nextId++;
  return new Promise((resolve) => {
    const timer = setTimeout(() => finish({ type: 'timeout', message: 'the face check took too long' }), TIMEOUT_MS);
    function finish(answer) {
      clearTimeout(timer);
      worker?.removeEventListener('message', listen);
      resolve(answer);
    }
    function listen(event) {
      if (event.data && event.data.id === id) finish(event.data);
    }
    worker.addEventListener('message', listen);
    worker.postMessage({ type: 'detect', id, blob, report });
  });
}

/** The line under the photo saying where the face check is, or '' when there is nothing to say. */
export function noteText(entry) {
  switch (entry.faceCheck) {
    case 'looking': return t('faces.looking');
    case 'undecodable': return t('faces.undecodable');
    case 'failed': return t('faces.failed');
    case 'done': {
      const n = (entry.report && entry.report.faces || []).length;
      return n ? tn('faces.count', n) : t('faces.none');
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
