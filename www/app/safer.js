// "Make a safer copy": the panel on each result card (what to keep, what to
// cover), the layer over the photo where boxes are drawn, and the call that
// turns the choices into a new file through the checking worker's `clean`.
// State lives on the entry (entry.safer) so a redraw (language switch) keeps
// it. The original file is never changed: its bytes are read again and only
// the new bytes are offered, as a blob URL, and only when clean succeeded.
// Every text from a file or from the core goes in through textContent.

import { t, tn, findingText, formatNumber } from './i18n.js';
import { h } from './dom.js';
import { codesOf, findingOf, formatName, kindName } from './codes.js';
import { sendFile } from './share.js';

/** Drawn boxes smaller than this share of the picture are taken as stray clicks. */
const MIN_BOX = 0.01;
const EXTENSIONS = { JPEG: 'jpg', PNG: 'png', WebP: 'webp', GIF: 'gif', HEIC: 'heic', HEIF: 'heif', AVIF: 'avif' };
const MIME = { JPEG: 'image/jpeg', PNG: 'image/png', WebP: 'image/webp', GIF: 'image/gif', HEIC: 'image/heic', HEIF: 'image/heif', AVIF: 'image/avif' };
const KEEP_CHOICES = ['keep_date', 'town_only', 'keep_author', 'drop_profile'];

function stateOf(entry) {
  entry.safer ||= { keep_date: false, town_only: false, keep_author: false, drop_profile: false, cover_faces: false, drawing: false,
    cover_codes: {}, boxes: [], busy: false, result: null, error: null, url: null };
  return entry.safer;
}

// ---------------------------------------------------------------- the panel

/** Keep-choices offered only when the file has what they keep (a finding the core made). */
const KEEP_NEEDS = { keep_date: ['capture-time'], keep_author: ['person-name'] };

/**
 * The panel for one checked photo: the button first (it is the main action and
 * must be on a phone's first screen), its answer right under it, then the
 * choices. handlers.saferCopy(entry) makes the copy (app.js).
 */
export function saferPanel(entry, handlers) {
  const state = stateOf(entry);
  const report = entry.report;
  const id = `safer-${entry.key}`;
  const ids = new Set(report.findings.map((f) => f.id));
  // A plain section, not a named region: every card has one, and landmark names must differ.
  const panel = h('section', { class: 'block safer' },
    // The button says the same, so the heading is for screen readers' heading list only (phone space).
    h('h4', { id: `${id}-title`, class: 'visually-hidden', text: t('safer.heading') }));
  panel.append(h('button', {
    type: 'button', class: 'primary make-copy', disabled: state.busy, 'aria-describedby': `${id}-note`,
    text: t(state.busy ? 'safer.working' : 'safer.make'), onclick: () => handlers.saferCopy(entry),
  }));
  panel.append(h('p', { id: `${id}-note`, class: 'hint', text: `${t('safer.intro')} ${t('safer.original_kept')}` }));
  panel.append(resultBlock(entry));

  const choices = h('fieldset', { class: 'safer-choices' }, h('legend', { text: t('safer.legend') }));
  const changed = () => { forget(state); refresh(panel, entry); };
  // Covering needs the copy module (the image codecs): fetched and warmed up once someone chooses to cover.
  const covering = (on) => { if (on) handlers.willCover?.(); };
  const keep = (key, label) => {
    const row = option(`${id}-${key}`, label, state[key], (on) => { state[key] = on; changed(); });
    row.dataset.choice = key;
    choices.append(row);
  };
  for (const [key, needs] of Object.entries(KEEP_NEEDS)) {
    if (needs.some((n) => ids.has(n))) keep(key, `safer.${key}`);
    else state[key] = false; // never keep what the file does not have
  }
  if (report.location) keep('town_only', 'safer.town_only');
  keep('drop_profile', 'safer.drop_profile'); // the copy keeps only the profile's colours unless this is on
  if ((report.faces || []).length) {
    const row = option(`${id}-faces`, 'safer.cover_faces', state.cover_faces, (on) => { state.cover_faces = on; covering(on); changed(); });
    row.dataset.choice = 'cover_faces';
    choices.append(row);
  }
  codesOf(report).forEach((code, i) => {
    const params = { format: formatName(code), kind: kindName(code) };
    const row = option(`${id}-code-${i}`, 'safer.cover_code', coversCode(entry, i),
      (on) => { state.cover_codes[i] = on; covering(on); changed(); }, params);
    row.dataset.choice = `cover_code_${i}`;
    choices.append(row);
  });
  if (report.image) choices.append(drawOption(entry, id, changed, covering));
  panel.append(choices);
  return panel;
}

/**
 * Whether the safer copy covers code number `i`: the user's choice, else yes for
 * codes that give much away (the core made their finding high).
 */
function coversCode(entry, i) {
  const choice = stateOf(entry).cover_codes[i];
  if (choice !== undefined) return choice;
  const code = codesOf(entry.report)[i];
  return Boolean(code && findingOf(entry.report, code)?.severity === 'high');
}

/** A checkbox with its label and one plain sentence saying what it does. */
function option(id, key, checked, onChange, params = {}) {
  const input = h('input', { type: 'checkbox', id, checked, 'aria-describedby': `${id}-hint` });
  input.addEventListener('change', () => onChange(input.checked));
  return h('div', { class: 'safer-option' },
    input,
    h('label', { for: id, text: t(key, params) }),
    h('p', { id: `${id}-hint`, class: 'hint', text: t(`${key}.hint`, params) }));
}

function drawOption(entry, id, changed, covering) {
  const state = stateOf(entry);
  const row = option(`${id}-draw`, 'safer.draw', state.drawing, (on) => {
    state.drawing = on;
    covering(on);
    const card = row.closest('article');
    card?.querySelector('.covers')?.classList.toggle('drawing', on);
    changed();
  });
  row.dataset.choice = 'draw';
  const addHalf = (top) => {
    state.boxes.push({ x: 0, y: top ? 0 : 0.5, w: 1, h: 0.5 });
    redrawBoxes(row.closest('article'), entry);
    changed();
  };
  const box = h('div', { class: 'safer-boxes' },
    h('button', { type: 'button', class: 'secondary small cover-top', text: t('safer.cover_top'), onclick: () => addHalf(true) }),
    h('button', { type: 'button', class: 'secondary small cover-bottom', text: t('safer.cover_bottom'), onclick: () => addHalf(false) }),
    h('button', {
      type: 'button', class: 'secondary small cover-clear', text: t('safer.cover_clear'),
      onclick: () => { state.boxes = []; redrawBoxes(row.closest('article'), entry); changed(); },
    }),
    h('span', { class: 'box-count', 'aria-live': 'polite', text: boxCount(state) }));
  return h('div', {}, row, box);
}

function boxCount(state) {
  return state.boxes.length ? tn('safer.boxes', state.boxes.length) : '';
}

/** After a change of choices: the old copy no longer matches them. */
function forget(state) {
  if (state.url) URL.revokeObjectURL(state.url);
  state.url = null;
  state.result = null;
  state.error = null;
}

/** Updates the parts that depend on the choices without rebuilding the card (focus stays put). */
function refresh(panel, entry) {
  const state = stateOf(entry);
  for (const k of KEEP_CHOICES) {
    const input = panel.querySelector(`[data-choice="${k}"] input`);
    if (input) input.checked = state[k];
  }
  const count = panel.querySelector('.box-count');
  if (count) count.textContent = boxCount(state);
  panel.querySelector('.safer-result')?.replaceWith(resultBlock(entry));
}

// ---------------------------------------------------------------- the result

function resultBlock(entry) {
  const state = stateOf(entry);
  const block = h('div', { class: 'safer-result', tabindex: -1 });
  if (state.error) {
    block.append(h('p', { class: 'safer-error', text: t('safer.failed') }),
      h('p', { class: 'safer-reason', text: state.error }));
    return block;
  }
  const cleaned = state.result;
  if (!cleaned || !state.url) return block;
  block.append(h('p', { class: 'safer-done', text: t(doneKey(cleaned, entry)) }));
  const name = saferName(entry.name, cleaned.format);
  // First, so it is in reach at once: the copy goes straight to WhatsApp & co. (or downloads).
  block.prepend(h('button', {
    type: 'button', class: 'primary send-copy', 'data-testid': 'send-safer-copy',
    text: t('safer.send'), 'aria-describedby': `send-hint-${entry.key}`,
    onclick: () => sendFile(new File([cleaned.bytes], name, { type: MIME[cleaned.format] || 'application/octet-stream' })),
  }), h('p', { id: `send-hint-${entry.key}`, class: 'hint send-hint', text: t('safer.send_hint') }));
  block.append(h('a', {
    class: 'download button-like', href: state.url, download: name,
    text: t('safer.download', { name, size: formatSize(cleaned.bytes.byteLength) }),
  }));
  block.append(preview(state.url));
  const { changed, left } = changeList(entry, cleaned);
  block.append(h('p', { class: 'list-title', text: t('safer.changed') }),
    h('ul', { class: 'safer-removed' }, changed.map((s) => h('li', { text: s }))));
  if (left.length) {
    block.append(h('p', { class: 'list-title', text: t('safer.kept') }),
      h('ul', { class: 'safer-kept' }, left.map((s) => h('li', { text: s }))));
  }
  return block;
}

/** The copy itself, small, so the user sees what they are about to send (hidden if this browser cannot show it). */
function preview(url) {
  const img = h('img', { class: 'safer-preview', src: url, alt: t('safer.preview_alt') });
  img.addEventListener('error', () => img.remove());
  return h('figure', { class: 'safer-preview-frame' }, img);
}

/**
 * What the copy changed and what it left, honestly: removed details and covered
 * boxes on one side; kept details, and faces or codes still visible, on the other.
 */
function changeList(entry, cleaned) {
  const state = stateOf(entry);
  const report = entry.report;
  const changed = cleaned.removed.map((id) => titleOf(entry, id, { bytes: formatNumber(cleaned.unreadBytes || 0) }));
  const faces = (report.faces || []).length;
  const codes = codesOf(report);
  const coveredCodes = codes.filter((_, i) => coversCode(entry, i)).length;
  if (faces && state.cover_faces) changed.push(tn('safer.covered_faces', faces));
  if (coveredCodes) changed.push(tn('safer.covered_codes', coveredCodes));
  if (state.boxes.length) changed.push(tn('safer.covered_boxes', state.boxes.length));
  if (!cleaned.removed.length) changed.push(t('safer.removed_none'));
  const left = cleaned.kept.map((id) => titleOf(entry, id));
  if (faces && !state.cover_faces) left.push(tn('safer.faces_left', faces));
  if (codes.length > coveredCodes) left.push(tn('safer.codes_left', codes.length - coveredCodes));
  return { changed, left };
}

/** A finding's title in the page language, or a plain item ('orientation', 'colour-profile'). */
function titleOf(entry, id, params) {
  const own = t(`safer.item.${id}`, params);
  if (own !== `safer.item.${id}`) return own;
  const finding = (entry.report.findings || []).find((f) => f.id === id) || { id, title: id };
  return findingText(finding, 'title');
}

/** "holiday.jpg" → "holiday-safer.jpg" (the extension follows the copy's format). */
export function saferName(name, format) {
  const dot = name.lastIndexOf('.');
  const base = (dot > 0 ? name.slice(0, dot) : name) || 'photo';
  const ext = EXTENSIONS[format] || (dot > 0 ? name.slice(dot + 1) : 'jpg');
  return `${base}-safer.${ext}`;
}

function formatSize(bytes) {
  const [value, unit] = bytes >= 1e6 ? [bytes / 1e6, 'megabyte'] : [Math.max(1, Math.round(bytes / 1e3)), 'kilobyte'];
  return formatNumber(value, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 });
}

/** What happened to the picture: untouched, covered, or saved again in a form browsers show (a Lab TIFF). */
function doneKey(cleaned, entry) {
  if (cleaned.lossless) return 'safer.done_lossless';
  return cleaned.covered ? 'safer.done_covered' : 'safer.done_redrawn';
}

// ---------------------------------------------------------------- making the copy

/**
 * The options for src/wasm.rs `clean`, boxes in upright pixels of the picture. Faces and codes
 * are turned into boxes by the core (engine.covers: its margins), drawn boxes here.
 */
export async function cleanOptions(entry, engine) {
  const state = stateOf(entry);
  const size = entry.report.image;
  const codes = codesOf(entry.report).map((c, i) => i).filter((i) => coversCode(entry, i));
  const boxes = await engine.covers(entry.report, { faces: state.cover_faces, codes });
  if (size) {
    for (const b of state.boxes) boxes.push(pixelBox(b.x * size.width, b.y * size.height, b.w * size.width, b.h * size.height, size));
  }
  return {
    keep_date: state.keep_date, town_only: state.town_only, keep_author: state.keep_author,
    keep_colour_profile: !state.drop_profile,
    cover: boxes.filter((b) => b && b.w > 0 && b.h > 0),
  };
}

/** Rounds outwards and clamps to the picture (the core refuses boxes outside it). */
function pixelBox(x, y, w, h, size) {
  if (!size) return null;
  const x0 = Math.max(0, Math.floor(x));
  const y0 = Math.max(0, Math.floor(y));
  const x1 = Math.min(size.width, Math.ceil(x + w));
  const y1 = Math.min(size.height, Math.ceil(y + h));
  return { x: x0, y: y0, w: Math.max(0, x1 - x0), h: Math.max(0, y1 - y0) };
}

/**
 * Makes the copy: reads the original again (its File is untouched), asks the
 * engine, and keeps either the new bytes (as a blob URL) or the plain reason.
 * `redraw` re-renders the card.
 */
export async function makeSaferCopy(entry, engine, redraw) {
  const state = stateOf(entry);
  if (state.busy) return;
  forget(state);
  state.busy = true;
  redraw();
  let result;
  try {
    const options = await cleanOptions(entry, engine);
    result = { cleaned: await engine.clean(entry.file, options) };
    result.cleaned.covered = options.cover.length > 0;
  } catch (err) {
    result = { failure: err }; // an EngineError: {kind, message}; kind 'refused' carries the core's reason
  }
  state.busy = false;
  if (result.cleaned && result.cleaned.bytes) {
    state.result = result.cleaned;
    state.url = URL.createObjectURL(new Blob([result.cleaned.bytes], { type: MIME[result.cleaned.format] || 'application/octet-stream' }));
  } else {
    state.error = result.failure?.kind === 'refused' ? result.failure.message : t('safer.broken');
  }
  redraw();
  // The redraw replaced the button that had focus: move it to the answer, so keyboard and screen-reader users hear it.
  const answer = document.querySelector(`article[data-key="${entry.key}"] .safer-result`);
  answer?.focus();
}

/** Frees the copy's blob URL (when a card is cleared). */
export function dropSaferCopy(entry) {
  if (entry.safer) forget(entry.safer);
}

// ---------------------------------------------------------------- boxes over the photo

/** The layer over the photo that shows drawn boxes and, when drawing is on, takes pointer drags. */
export function coverLayer(entry) {
  const state = stateOf(entry);
  const layer = h('div', { class: `covers${state.drawing ? ' drawing' : ''}`, 'aria-hidden': 'true' });
  for (const b of state.boxes) layer.append(boxElement(b));
  layer.addEventListener('pointerdown', (e) => startDrag(e, layer, entry));
  return layer;
}

function boxElement(b) {
  return place(h('div', { class: 'cover-box' }), b);
}

/** Positions a box element in percent of the picture, so it follows the picture's displayed size. */
function place(el, b) {
  el.style.left = `${100 * b.x}%`;
  el.style.top = `${100 * b.y}%`;
  el.style.width = `${100 * b.w}%`;
  el.style.height = `${100 * b.h}%`;
  return el;
}

function redrawBoxes(card, entry) {
  const layer = card?.querySelector('.covers');
  if (layer) layer.replaceChildren(...stateOf(entry).boxes.map(boxElement));
}

function startDrag(event, layer, entry) {
  const state = stateOf(entry);
  if (!state.drawing || event.button !== 0) return;
  event.preventDefault();
  const rect = layer.getBoundingClientRect();
  const at = (e) => ({
    x: Math.min(1, Math.max(0, (e.clientX - rect.left) / rect.width)),
    y: Math.min(1, Math.max(0, (e.clientY - rect.top) / rect.height)),
  });
  const start = at(event);
  let box = { x: start.x, y: start.y, w: 0, h: 0 };
  const el = boxElement(box);
  layer.append(el);
  layer.setPointerCapture?.(event.pointerId);
  const move = (e) => {
    const p = at(e);
    box = { x: Math.min(start.x, p.x), y: Math.min(start.y, p.y), w: Math.abs(p.x - start.x), h: Math.abs(p.y - start.y) };
    place(el, box);
  };
  const end = () => {
    layer.removeEventListener('pointermove', move);
    layer.removeEventListener('pointerup', end);
    layer.removeEventListener('pointercancel', end);
    el.remove();
    if (box.w < MIN_BOX || box.h < MIN_BOX) return;
    state.boxes.push(box);
    const card = layer.closest('article');
    redrawBoxes(card, entry);
    forget(state);
    const panel = card?.querySelector('.safer');
    if (panel) refresh(panel, entry);
  };
  layer.addEventListener('pointermove', move);
  layer.addEventListener('pointerup', end);
  layer.addEventListener('pointercancel', end);
}
