// The page: wires the inputs (picker, drop, paste), keeps the list of checked
// files ("entries"), runs them one by one through the Engine (a Web Worker),
// and re-renders cards on every change and on a language switch.
// document.body.dataset.state: idle (nothing yet) → working → done; error only
// when the checker itself cannot start. Loading is progressive (phones on
// mobile data): body.dataset.readyCheck is set (ms from navigation) as soon as
// the metadata core can check; the heavier parts follow in the background, each
// fetched once: the face module and the face model (cards say "Looking for
// faces…" meanwhile), then the code module, beside the offline service worker's
// install (which keeps them afterwards from the browser's cache);
// body.dataset.ready = "1" once these are downloaded. On a repeat visit
// (the service worker already controls the page, so these come from this device)
// they start at once, beside the core. The place table (1.0 MB) is fetched once
// the first photo is chosen, whatever that photo holds, and after the picture
// files (so it never slows the face check on a slow line): a visit that checks
// nothing does not download it, and the request cannot tell the server anything
// about a photo (fetching it only for photos with a position would). Reports
// checked before it arrived get their place name added when it does;
// body.dataset.places is set (ms from navigation) then. Besides these, the only request is the copy
// module (the image codecs, engine/copy.js), once, when someone first chooses to
// cover something (or a TIFF needs drawing again). Opened from the share sheet
// (?shared=1, see sw.js), the photos shared in are checked as a batch.

import * as i18n from './i18n.js';
import { MAX_FILE_BYTES } from '../engine/engine.js';
import { engine, engineStarting, picture, openedFromDevice } from './start.js';
import { registerOffline, sharedFiles, pageIdle, keepForOffline } from './offline.js';
import { startFaces, checkFaces } from './faces.js';
import { card, summaryLines, guideItems, levelOf, verdictSentence, stillLooking, h } from './render.js';
import { makeSaferCopy, dropSaferCopy } from './safer.js';
import { initClassroom, drawPhoneSteps, mirrorLanguage } from './classroom.js';

const $ = (id) => document.getElementById(id);
const entries = [];
let nextKey = 1;
let engineOk = null; // null while starting, then true / false
let resolveEngine;
/** Resolves true when the checker is ready, false when it cannot run here. Files chosen early wait for it. */
const engineStart = new Promise((resolve) => { resolveEngine = resolve; });
let wantPlaces; // called when the first photo is chosen: the place table is fetched then (see boot)
const placesWanted = new Promise((resolve) => { wantPlaces = resolve; });
let busy = 0; // entries not finished yet
let batch = { total: 0, done: 0 };
let status = { key: 'status.loading', params: {} };

function setState(state) {
  document.body.dataset.state = state;
}

function setStatus(key, params = {}) {
  status = { key, params };
  showStatus();
}

/** Status texts are recomputed on a language switch and as picture checks end, so they are kept as keys, not strings. */
function showStatus() {
  $('status').textContent = status.done ? doneStatus(status.single) : i18n.t(status.key, status.params);
}

/**
 * One line for screen readers once every file is through, agreeing with the cards:
 * how many were checked and how many could not be, whether faces and codes are still
 * being looked for, and for a single photo its verdict.
 */
function doneStatus(single) {
  const finished = entries.filter((e) => e.phase === 'done');
  const failed = finished.filter((e) => levelOf(e) === 'error').length;
  const checked = finished.length - failed;
  const parts = [];
  if (checked) parts.push(i18n.tn('status.done', checked));
  if (failed) parts.push(i18n.tn('status.failed', failed));
  if (finished.some(stillLooking)) parts.push(i18n.t('verdict.still_checking'));
  else if (single && levelOf(single) !== 'error') parts.push(`${i18n.t(`level.${levelOf(single)}`)}: ${verdictSentence(single)}`);
  else if (!single) parts.push(...summaryLines(entries));
  return parts.join(' ');
}

// ---------------------------------------------------------------- start-up

async function boot() {
  setState('idle');
  wireInputs();
  // The checker was started by ./start.js (download + compile of the core) before this script ran;
  // its failure is reported below, once the texts are there. The face and code modules too: on a
  // repeat visit at once (they come from this device); on a first visit as soon as the core's bytes
  // are in, so they do not share the slow line with it (the first check would wait) and the line is
  // not idle while the checker starts.
  const pictureFetched = picture.then(startPicture);
  try {
    await i18n.loadCatalogs();
  } catch (err) {
    engineOk = false;
    resolveEngine(false);
    setState('error');
    $('status').textContent = 'This page could not load its texts. Please reload it.';
    console.warn(err);
    return;
  }
  i18n.setLanguage(i18n.pickInitialLanguage(), false);
  fillLanguagePicker();
  applyLanguage();
  setStatus('status.loading');

  engineOk = await engineStarting.then(
    () => {
      if (!busy) setStatus('status.ready');
      document.body.dataset.readyCheck = String(Math.round(performance.now())); // for measurements
      return true;
    },
    (err) => {
      console.warn('checker failed to start', err);
      setState('error');
      setStatus('status.engine_failed');
      return false;
    });
  resolveEngine(engineOk);
  if (engineOk) addFiles(await sharedFiles()); // opened from the share sheet
  // The offline service worker (http(s) only), beside the face and code modules (started above:
  // its first install takes a second, and faces should not wait for it). Files loaded before it
  // controls this page are kept by it afterwards from the browser's cache (keepForOffline): each is
  // downloaded once.
  const offline = registerOffline();
  // The place table (1.0 MB gz) once a photo is chosen and after the picture files (see the top);
  // no verdict waits for it.
  Promise.all([pictureFetched, placesWanted])
    .then(() => (engineOk ? engine.placesLoaded().then(namePlaces) : undefined))
    .catch((err) => console.warn('place names unavailable (offline before any photo was checked online?)', err))
    .finally(() => {
      document.body.dataset.places = String(Math.round(performance.now()));
      if (!openedFromDevice) offline.then(() => keepForOffline('places'));
    });
  await Promise.all([pictureFetched, offline]); // ready means face and code checks would also work offline
  if (!openedFromDevice) keepForOffline('picture');
  keepForOffline('extras'); // the install icons and the help page, downloaded now that the page is loaded (once)
  document.body.dataset.readyMs = String(Math.round(performance.now())); // time from navigation, for measurements
  document.body.dataset.ready = '1';
  tellIdle();
}

/**
 * On a repeat visit, tells the service worker whether the page is loaded and idle (no check
 * running), so its check for updates never competes with the page's own work (sw.js). A first
 * visit's files were just downloaded: nothing to look for.
 */
function tellIdle() {
  if (openedFromDevice && document.body.dataset.ready === '1') pageIdle(busy === 0);
}

/** Hands the picture worker (started by ./start.js) to the face and code checks; resolves when their files are here. */
function startPicture(handle) {
  return startFaces((entry) => { redraw(entry); showStatus(); }, engine, (report) => engine.withPlace(report), handle);
}

/** Adds the place name to the reports made before the place table arrived. */
async function namePlaces(loaded) {
  if (!loaded) return;
  for (const entry of entries) {
    const before = entry.report;
    if (!before?.location || before.location.place) continue;
    const named = await engine.withPlace(before).catch(() => before);
    // A newer report (faces, codes) that came meanwhile was named on arrival; keep it.
    if (entry.report !== before) continue;
    entry.report = named;
    redraw(entry);
  }
}

function fillLanguagePicker() {
  const select = $('lang');
  select.replaceChildren(...i18n.languages().map(({ code, name }) => {
    const option = h('option', { value: code, lang: code, text: name });
    option.selected = code === i18n.language();
    return option;
  }));
  select.addEventListener('change', () => {
    i18n.setLanguage(select.value, true);
    applyLanguage();
  });
}

/** Re-renders every text on the page in the current language. */
function applyLanguage() {
  i18n.applyStatic();
  document.title = `${i18n.t('app.title')}: ${i18n.t('app.tagline')}`;
  guideItems($('guide-items'));
  drawPhoneSteps();
  for (const entry of entries) redraw(entry);
  drawSummary();
  showStatus();
  // A face-check announcement was spoken in the old language; it is not re-announced.
  const facesStatus = document.getElementById('faces-status');
  if (facesStatus) facesStatus.textContent = '';
}

// ---------------------------------------------------------------- inputs

function wireInputs() {
  const input = $('file');
  $('pick').addEventListener('click', () => input.click());
  input.addEventListener('change', () => {
    addFiles([...input.files]);
    input.value = ''; // choosing the same file again should check it again
  });

  const zone = $('pick');
  let depth = 0;
  const hasFiles = (e) => [...(e.dataTransfer?.types || [])].includes('Files');
  document.addEventListener('dragenter', (e) => {
    if (!hasFiles(e)) return;
    depth++;
    zone.classList.add('dragging');
    zone.querySelector('.dropzone-title').textContent = i18n.t('drop.active');
  });
  document.addEventListener('dragleave', () => {
    if (--depth <= 0) endDrag();
  });
  document.addEventListener('dragover', (e) => {
    if (hasFiles(e)) e.preventDefault();
  });
  document.addEventListener('drop', (e) => {
    if (!hasFiles(e)) return;
    e.preventDefault();
    endDrag();
    addFiles([...e.dataTransfer.files]);
  });
  function endDrag() {
    depth = 0;
    zone.classList.remove('dragging');
    zone.querySelector('.dropzone-title').textContent = i18n.t('drop.title');
  }

  document.addEventListener('paste', (e) => {
    const files = [...(e.clipboardData?.files || [])];
    if (!files.length) return;
    e.preventDefault();
    addFiles(files);
  });

  $('clear').addEventListener('click', clearDone);
  initClassroom({ check: addFiles, redrawAll: () => entries.forEach(redraw) });
  document.addEventListener('click', (e) => {
    const link = e.target.closest && e.target.closest('a.guide-link');
    if (link) $('before-you-send').focus({ preventScroll: true });
  });
}

// ---------------------------------------------------------------- checking

function addFiles(files) {
  if (!files.length) return;
  wantPlaces();
  const chosenAt = performance.now();
  if (!busy) batch = { total: 0, done: 0 };
  const added = files.map((file) => ({
    key: nextKey++, file, name: file.name || i18n.t('file.unnamed'),
    url: URL.createObjectURL(file), phase: 'waiting', chosenAt,
  }));
  entries.push(...added);
  busy += added.length;
  tellIdle();
  batch.total += added.length;
  setState('working');
  $('results-section').hidden = false;
  for (const entry of added) {
    const fresh = card(entry, handlers);
    $('results').append(fresh);
    drawMirror(entry, fresh);
  }
  showProgress();
  setStatus('status.checking', { n: batch.done + 1, total: batch.total });
  for (const entry of added) run(entry);
}

let chain = Promise.resolve();
function run(entry) {
  chain = chain.then(() => check(entry)).catch((err) => console.warn(err));
}

async function check(entry) {
  if (!entries.includes(entry)) return; // cleared meanwhile
  setStatus('status.checking', { n: batch.done + 1, total: batch.total });
  const ready = await engineStart;
  if (!ready) {
    finish(entry, { failure: { kind: 'start', message: 'checker not available' } });
    return;
  }
  if (entry.file.size > MAX_FILE_BYTES) { // refused before reading: it could exhaust a phone's memory
    finish(entry, { failure: { kind: 'too-big', message: `${entry.file.size} bytes` } });
    return;
  }
  entry.phase = 'reading';
  redraw(entry);
  let bytes;
  try {
    bytes = await readFile(entry.file, (fraction) => showReadProgress(entry, fraction));
  } catch (err) {
    finish(entry, { failure: { kind: 'read', message: String(err?.message || err) } });
    return;
  }
  entry.phase = 'checking';
  redraw(entry);
  // The engine rejects with an EngineError ({kind, message}): render.js words it for people.
  finish(entry, await engine.check(bytes, entry.name).then((report) => ({ report }), (failure) => ({ failure })));
}

function finish(entry, result) {
  entry.phase = 'done';
  entry.report = result.report || null;
  entry.failure = result.failure || null;
  entry.ms = performance.now() - entry.chosenAt;
  // Faces and codes are queued before the first drawing, so the verdict says "still checking"
  // from its very first moment instead of "nothing found" and then changing its mind.
  checkFaces(entry);
  redraw(entry);
  busy--;
  batch.done++;
  showProgress();
  drawSummary();
  if (busy > 0) {
    setStatus('status.checking', { n: batch.done + 1, total: batch.total });
    return;
  }
  status = { done: true, single: batch.total === 1 ? entry : null };
  showStatus();
  tellIdle();
  setState(engineOk === false ? 'error' : 'done');
}

/** Reads a File with progress callbacks (0..1) so big files show movement. */
function readFile(file, onProgress) {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onprogress = (e) => { if (e.lengthComputable) onProgress(e.loaded / e.total); };
    reader.onload = () => resolve(reader.result);
    reader.onerror = () => reject(reader.error || new Error('read failed'));
    reader.readAsArrayBuffer(file);
  });
}

function showReadProgress(entry, fraction) {
  entry.progress = fraction;
  const bar = cardOf(entry)?.querySelector('.file-progress');
  if (bar) bar.value = fraction;
}

function showProgress() {
  const row = $('progress-row');
  row.hidden = batch.total < 2 || busy === 0;
  const bar = $('batch-progress');
  bar.max = Math.max(1, batch.total);
  bar.value = batch.done;
}

// ---------------------------------------------------------------- drawing

let warmedUp = false;

const handlers = {
  saferCopy(entry) {
    return makeSaferCopy(entry, engine, () => redraw(entry));
  },
  willCover() {
    // Someone chose to cover something: fetch the copy module now and warm it up once, so the
    // copy is quick when asked for. Never before: a photo check does not need the image codecs.
    if (!warmedUp) { warmedUp = true; engine.warmUp(); }
  },
  toggleFaces(entry, button) {
    entry.facesHidden = !entry.facesHidden;
    // The label says what a press does next ("Show face boxes"), so no aria-pressed as well.
    button.textContent = i18n.t(entry.facesHidden ? 'faces.show' : 'faces.hide');
    const layer = cardOf(entry)?.querySelector('.faces');
    if (layer) layer.hidden = entry.facesHidden;
  },
};

function cardOf(entry) {
  return $('results').querySelector(`[data-key="${entry.key}"]`);
}

function redraw(entry) {
  const old = cardOf(entry);
  const fresh = card(entry, handlers);
  // Keep open <details> open across redraws (language switch).
  if (old) {
    const open = [...old.querySelectorAll('details')].map((d) => d.open);
    const now = [...fresh.querySelectorAll('details')];
    if (open.length === now.length) now.forEach((d, i) => { d.open = open[i]; });
    old.replaceWith(fresh);
  }
  drawMirror(entry, fresh);
}

/** In the bilingual view, a read-only copy of the card in the other language sits right after it. */
function drawMirror(entry, live) {
  const results = $('results');
  results.querySelector(`[data-mirror-of="${entry.key}"]`)?.remove();
  const other = mirrorLanguage();
  results.classList.toggle('bilingual-pair', Boolean(other));
  if (!other || !live.isConnected) return;
  const mirror = i18n.withLanguage(other, () => card(entry, handlers));
  mirror.classList.add('mirror');
  mirror.removeAttribute('data-key');
  mirror.dataset.mirrorOf = entry.key;
  mirror.setAttribute('lang', other);
  // Ids must stay unique on the page.
  for (const el of mirror.querySelectorAll('[id]')) el.id = `${el.id}-${other}`;
  for (const attr of ['for', 'aria-describedby', 'aria-labelledby']) {
    for (const el of [mirror, ...mirror.querySelectorAll(`[${attr}]`)]) {
      if (el.hasAttribute(attr)) el.setAttribute(attr, el.getAttribute(attr).split(' ').map((id) => `${id}-${other}`).join(' '));
    }
  }
  live.after(mirror);
}

function drawSummary() {
  const lines = summaryLines(entries);
  const box = $('summary');
  box.hidden = !lines.length;
  box.replaceChildren(...(lines.length ? [h('h3', { text: i18n.t('batch.heading') }), ...lines.map((l) => h('p', { text: l }))] : []));
}

function clearDone() {
  for (let i = entries.length - 1; i >= 0; i--) {
    const entry = entries[i];
    if (entry.phase !== 'done') continue;
    URL.revokeObjectURL(entry.url);
    dropSaferCopy(entry);
    cardOf(entry)?.remove();
    $('results').querySelector(`[data-mirror-of="${entry.key}"]`)?.remove();
    entries.splice(i, 1);
  }
  drawSummary();
  if (!entries.length) {
    $('results-section').hidden = true;
    setState('idle');
    setStatus('status.ready');
  }
  $('pick').focus();
}

boot();
