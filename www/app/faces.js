// Faces and codes on the page: the metadata verdict never waits for these.
// After a photo's verdict is shown, its File goes to the picture worker
// (faces-worker.js, which runs the lazily loaded face module www/pkg-faces with
// the face model, and the code module www/pkg-codes); two answers come back, each
// plain boxes the engine's core adds to the report (withFaces / withCodes, in Rust):
// first `faces` and the `faces` finding (a note, see engine/client.js), then
// `codes` and a `barcode` finding per code (QR, bar codes...). app.js redraws the
// card after each. Each entry carries
// `entry.faceCheck` and `entry.codeCheck`:
//   undefined (not started) → 'looking' → 'done' | 'undecodable' | 'failed'.
// A photo chosen before the picture files have arrived shows 'looking' ("Looking
// for faces…") until they have. A photo whose report already has `faces` is left
// alone (someone already looked). Screen readers hear each result in a live
// region of its own (#faces-status), so the page's main status line keeps its meaning.
// Network: the face module and the model, then the code module, are fetched once,
// by the picture worker client that ./start.js makes (as soon as the core's bytes are in, at once
// on a repeat visit) and startFaces takes (engine/picture.js), which hands them to every worker it starts (a worker restarted
// after a trap downloads nothing); checking a photo never fetches anything. The
// copy module (the image codecs) is not fetched here: the engine fetches it only
// when a copy that draws the picture again is asked for (engine/copy.js).

import { t, tn, formatNumber } from './i18n.js';
import { codeNoteText } from './codes.js';
import { describe } from '../engine/client.js';
import { recordStages } from '../engine/picture.js';

/** A 12 MP photo takes a few seconds at most; a stuck worker must not leave "looking…" forever. */
const TIMEOUT_MS = 60000;

let client = null;
let faceFiles = null; // resolves once the face module and model are in (the look's time-out counts from then)
let started; // resolves to the client once startFaces has run (a photo checked earlier waits, "looking")
const clientStarted = new Promise((resolve) => { started = resolve; });
let onChange = () => {};
let refine = async (report) => report;
let engine = null; // adds what the picture worker found to a report (engine/engine.js)

/**
 * Takes the picture worker's handle (`picture`: engine/picture.js pictureWorker(), made and started
 * by ./start.js: face module and face model, then the code module). Resolves once the files are
 * downloaded and the worker runs (its scripts
 * loaded), so the page can promise "no network after ready". Never rejects; a page without the picture modules simply
 * says faces and codes were not checked. `changed(entry)` is called whenever an entry's checks
 * move on; `checker` is the page's Engine, whose core adds the faces and codes found to a report;
 * `finish(report)` may add to each report that comes back (e.g. the place name, when it arrived
 * meanwhile).
 */
export function startFaces(changed, checker, finish, picture) {
  onChange = changed;
  engine = checker;
  refine = finish;
  liveRegion();
  client = picture.client;
  faceFiles = picture.faceFiles;
  const running = client.ready().then((info) => recordStages(info.stages), (err) => console.warn('face check unavailable:', describe(err)));
  started(client);
  return Promise.all([picture.downloaded, running]).then(() => undefined);
}

/** Queues a face check for an entry whose verdict has just been shown. */
export function checkFaces(entry) {
  const report = entry.report;
  if (entry.failure || !report || report.error || report.faces || entry.faceCheck) return;
  entry.faceCheck = 'looking';
  entry.codeCheck = 'looking';
  onChange(entry);
  run(entry).catch((err) => { console.warn(err); settleAll(entry, 'failed'); });
}

async function run(entry) {
  let faces = Promise.resolve();
  const answer = await (await clientStarted).call('look', { blob: entry.file, size: entry.report.image }, {
    timeoutMs: TIMEOUT_MS,
    timeoutAfter: faceFiles, // sent at once (the photo is decoded while the files arrive); a slow line is not a stuck worker
    onNote: (note) => {
      faces = (async () => {
        if (note.type === 'faces') {
          recordStages(note.stages);
          if (!(await add(entry, 'withFaces', note.faces))) return settle(entry, 'faceCheck', 'failed');
          entry.facesMs = note.ms;
          return settle(entry, 'faceCheck', 'done');
        }
        console.warn('face check failed:', note.message);
        return settle(entry, 'faceCheck', 'failed');
      })();
    },
  });
  await faces; // codes are added to the report with the faces
  const result = answer.ok ? answer.result : { type: 'failed', message: answer.message };
  if (result.type === 'codes') {
    if (!(await add(entry, 'withCodes', result.codes))) return settle(entry, 'codeCheck', 'failed');
    entry.codesMs = result.ms;
    return settle(entry, 'codeCheck', 'done');
  }
  if (result.type === 'codes-failed') {
    console.warn('code check failed:', result.message);
    return settle(entry, 'codeCheck', 'failed');
  }
  if (result.type === 'undecodable') return settleAll(entry, 'undecodable');
  console.warn('picture check failed:', result.message);
  return settleAll(entry, 'failed');
}

/** Adds what was found to the entry's report with the engine's `how` (withFaces / withCodes); false when it could not. */
async function add(entry, how, found) {
  try {
    entry.report = await refine(await engine[how](entry.report, found));
    return true;
  } catch (err) {
    console.warn(`${how} failed:`, describe(err));
    return false;
  }
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
