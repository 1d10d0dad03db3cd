// Turns one checked file (an "entry": the File, its Report or a failure) into
// a result card, and the list of entries into the batch summary. Every text
// that comes from a file (names, evidence, errors) goes in through
// textContent, never innerHTML: a photo can carry any text at all.
// No state lives here; app.js owns the entries and calls these again on a
// language switch.

import { t, tn, findingText, translateList, formatNumber, joinList } from './i18n.js';
import * as dom from './dom.js';
import { locationBlock, hiddenLocationBlock } from './place.js';
import { saferPanel, coverLayer } from './safer.js';
import { faceNote, facesCountText } from './faces.js';
import { codesOf, codeBoxes, codeNote, codeKindLine } from './codes.js';

/** The words each finding adds to the verdict sentence; the order is the core's (worst first). */
const PART_KEYS = {
  'id-document': 'part.id_document',
  'gps-location': 'part.location',
  'gps-hidden': 'part.gps_hidden',
  'place-name': 'part.place',
  'tagged-people': 'part.tagged',
  'person-name': 'part.person',
  'contact-info': 'part.contact',
  'device-serial': 'part.serial',
  'unique-id': 'part.id',
  'embedded-thumbnail': 'part.thumbnail',
  'hidden-media': 'part.hidden',
  comment: 'part.text',
  'text-data': 'part.text',
  'file-path': 'part.path',
  barcode: 'part.codes',
};

const ICONS = { high: '!', people: '!', medium: '!', low: 'i', none: 'i', error: '×', working: '…', checking: '…' };

/** The small DOM helper (see dom.js), re-exported for app.js. */
export const h = dom.h;

// ---------------------------------------------------------------- the card
// Results first: the verdict and the safer copy come before the photo and the
// details, so on a phone both are on the first screen after choosing a photo.
// Words a child does not need up front (formats, pixel sizes, where a value
// sits in the file) wait in "Technical details" at the end of the card.

export function card(entry, handlers) {
  const level = levelOf(entry);
  const titleId = `file-${entry.key}`;
  const article = h('article', {
    class: `result level-${level}`, 'aria-labelledby': titleId, 'data-key': entry.key,
    'data-level': level, 'data-ms': entry.ms === undefined ? null : Math.round(entry.ms),
    'data-codes-ms': entry.codesMs === undefined ? null : Math.round(entry.codesMs),
  });
  article.append(h('h3', { id: titleId, class: 'file-name', text: entry.name }));
  const top = h('div', { class: 'result-top' });
  const details = h('div', { class: 'result-details' });
  article.append(h('div', { class: 'result-grid' }, top, photo(entry, handlers, level), details));

  if (entry.phase !== 'done') {
    top.append(pending(entry));
    return article;
  }
  top.append(verdict(entry, level));
  const report = entry.report;
  if (!report) {
    details.append(failureDetails(entry.failure));
    return article;
  }
  if (level === 'error') { // nothing could be read: no findings, no "what we checked", only the file's own wording
    details.append(technicalBlock(entry));
    return article;
  }
  if (!report.error) top.append(saferPanel(entry, handlers));
  if (report.location) details.append(locationBlock(report.location));
  else if (report.findings.some((f) => f.id === 'gps-hidden')) details.append(hiddenLocationBlock());
  const hidden = hiddenBlock(report.findings);
  if (hidden) details.append(hidden);
  if (report.findings.length) details.append(findingsBlock(report));
  details.append(honestyBlock(entry));
  details.append(technicalBlock(entry));
  return article;
}

function pending(entry) {
  const key = entry.phase === 'reading' ? 'card.reading' : entry.phase === 'checking' ? 'card.checking' : 'card.waiting';
  const progress = h('progress', { class: 'file-progress', max: 1, 'aria-label': t(key) });
  if (entry.phase === 'reading' && entry.progress !== undefined) progress.value = entry.progress;
  if (entry.phase === 'waiting') progress.value = 0;
  return h('div', { class: 'pending' }, h('p', { text: t(key) }), progress);
}

/** Whether the face or code check of this photo is still running (the verdict must not settle yet). */
export function stillLooking(entry) {
  return entry.faceCheck === 'looking' || entry.codeCheck === 'looking';
}

/** True when nothing was found in the file itself: every finding is about what the picture shows. */
export function fileIsClean(report) {
  return Boolean(report) && !report.error && report.findings.every((f) => f.category === 'picture');
}

/**
 * The card's level. The core decides it (report.risk, see src/findings/risk.rs:
 * high, people, medium, low, none); the page adds only what the core cannot know:
 * 'working' before the verdict, 'error' when nothing could be read, and
 * 'checking' while faces and codes are still being looked for and nothing
 * high was found yet: a verdict that could still go up does not settle.
 */
export function levelOf(entry) {
  if (entry.phase !== 'done') return 'working';
  if (entry.failure) return 'error';
  const report = entry.report;
  if (report.error && !report.findings.length) return 'error';
  const risk = report.risk || 'none';
  if (risk !== 'high' && stillLooking(entry)) return 'checking';
  return risk;
}

/** The words for what a report shows, worst first (the core's order), each said once. */
function shownParts(report) {
  const parts = [];
  let faces = false;
  for (const f of report.findings) {
    let text = null;
    if (f.id === 'faces') {
      const n = (report.faces || []).length;
      text = n ? facesCountText(report, 'part.faces') : t('part.faces_seen');
      faces = true;
    } else if (PART_KEYS[f.id]) text = t(PART_KEYS[f.id]);
    if (text && !parts.includes(text)) parts.push(text);
  }
  if (!faces && (report.faces || []).length) parts.push(facesCountText(report, 'part.faces'));
  return parts;
}

export function verdictSentence(entry) {
  if (entry.failure) {
    const kind = entry.failure.kind;
    if (kind === 'start') return t('status.engine_failed');
    if (kind === 'too-big') return t('verdict.too_big');
    if (kind === 'read') return t('verdict.read_failed');
    return t('verdict.trap');
  }
  const report = entry.report;
  if (report.error && !report.findings.length) return t('verdict.error');
  const parts = shownParts(report);
  if (parts.length) return t('verdict.shows', { list: joinList(parts) });
  if (stillLooking(entry)) return t('verdict.file_clean_so_far');
  if (report.findings.some((f) => f.severity === 'high' || f.severity === 'medium')) return t('verdict.worth_look');
  if (report.findings.length) return t('verdict.low_only');
  return t('verdict.none');
}

/** Extra lines under the verdict sentence: the file is clean, still looking, checks that could not run. */
function verdictNotes(entry, level) {
  const report = entry.report;
  if (!report || level === 'error') return [];
  const notes = [];
  const pictureOnly = report.findings.length && fileIsClean(report);
  if (pictureOnly) notes.push(['file-clean', t('verdict.file_clean')]);
  if (stillLooking(entry)) notes.push(['still-checking', t('verdict.still_checking')]);
  const failed = (check) => entry[check] === 'failed' || entry[check] === 'undecodable';
  const [faces, codes] = [failed('faceCheck'), failed('codeCheck')];
  if (faces || codes) {
    const key = faces && codes ? 'verdict.picture_not_checked' : faces ? 'verdict.faces_not_checked' : 'verdict.codes_not_checked';
    notes.push(['not-checked', t(key)]);
  }
  return notes.map(([kind, text]) => h('p', { class: `verdict-note note-${kind}`, text }));
}

function verdict(entry, level) {
  const box = h('div', { class: `verdict verdict-${level}` });
  box.append(h('span', { class: 'verdict-icon', 'aria-hidden': 'true', text: ICONS[level] || 'i' }));
  const text = h('div', { class: 'verdict-text' },
    h('p', { class: 'verdict-level', text: t(`level.${level}`) }),
    h('p', { class: 'verdict-sentence', text: verdictSentence(entry) }),
    verdictNotes(entry, level));
  if (level !== 'error') {
    text.append(h('a', { href: '#before-you-send', class: 'guide-link', text: t('verdict.guidance_link') }));
  }
  // Every verdict, whatever it says, shows where to get help if a photo is already being misused.
  text.append(h('a', { href: 'help.html', class: 'help-link', 'data-help-link': '', text: t('help.link') }));
  box.append(text);
  return box;
}

// ---------------------------------------------------------------- the picture

function photo(entry, handlers, level) {
  const figure = h('figure', { class: 'photo' });
  const frame = h('div', { class: 'photo-frame' });
  figure.append(frame);
  // A file that could not be read as a photo says so; one the browser cannot show says it was still checked.
  const unreadable = level === 'error';
  if (entry.imageFailed || !entry.url || unreadable) {
    frame.append(placeholder(unreadable));
  } else {
    const img = h('img', { src: entry.url, alt: t('image.alt', { name: entry.name }), decoding: 'async' });
    img.addEventListener('error', () => {
      entry.imageFailed = true;
      img.replaceWith(placeholder(levelOf(entry) === 'error'));
      frame.querySelector('.faces')?.remove();
      frame.querySelector('.codes')?.remove();
    });
    frame.append(img);
  }
  const report = entry.report;
  const caption = h('figcaption');
  const faces = (report && report.faces) || [];
  if (faces.length && report.image && !entry.imageFailed) {
    frame.append(faceBoxes(faces, report.image, entry.facesHidden));
    caption.append(h('span', { text: facesCountText(report, 'faces.count') }));
    caption.append(h('button', {
      type: 'button', class: 'secondary small faces-toggle',
      text: t(entry.facesHidden ? 'faces.show' : 'faces.hide'),
      onclick: (event) => handlers.toggleFaces(entry, event.currentTarget),
    }));
  }
  const codes = codesOf(report);
  if (codes.length && report.image && !entry.imageFailed) frame.append(codeBoxes(codes, report.image));
  if (report && report.image && !entry.imageFailed && entry.url && !unreadable) frame.append(coverLayer(entry));
  for (const note of [faceNote(entry), codeNote(entry)]) if (note) caption.append(note);
  if (caption.childNodes.length) figure.append(caption);
  return figure;
}

function placeholder(unreadable) {
  return h('div', { class: 'photo-placeholder' },
    pictureIcon(),
    h('p', { text: t(unreadable ? 'image.not_a_picture' : 'image.unavailable') }));
}

/** A drawn "picture" icon (no emoji: school computers often lack an emoji font). */
function pictureIcon() {
  const NS = 'http://www.w3.org/2000/svg';
  const svg = document.createElementNS(NS, 'svg');
  svg.setAttribute('viewBox', '0 0 48 48');
  svg.setAttribute('class', 'placeholder-icon');
  svg.setAttribute('aria-hidden', 'true');
  svg.setAttribute('focusable', 'false');
  for (const [name, attrs] of [['rect', { x: 5, y: 10, width: 38, height: 28, rx: 4 }], ['circle', { cx: 17, cy: 20, r: 4 }],
    ['path', { d: 'm9 34 10-9 7 6 6-5 7 8' }]]) {
    const shape = document.createElementNS(NS, name);
    for (const [k, v] of Object.entries(attrs)) shape.setAttribute(k, String(v));
    svg.append(shape);
  }
  return svg;
}

/** Boxes over the picture, in percent of the upright image (report.image). */
function faceBoxes(faces, size, hidden) {
  const layer = h('div', { class: 'faces', hidden });
  faces.forEach((face, i) => {
    layer.append(dom.placeOnPicture(h('div', { class: 'face-box', 'data-face': i }), face, size));
  });
  return layer;
}

// ---------------------------------------------------------------- location and hidden things
// (the location section itself lives in place.js)

function hiddenBlock(findings) {
  const thumb = findings.find((f) => f.id === 'embedded-thumbnail');
  const media = findings.find((f) => f.id === 'hidden-media');
  if (!thumb && !media) return null;
  const block = h('section', { class: 'block hidden-things' }, h('h4', { text: t('hidden.heading') }));
  if (thumb) {
    block.append(h('p', { class: 'hidden-thumb' },
      h('span', { class: 'thumb-icon', 'aria-hidden': 'true' }), t('hidden.thumbnail')));
  }
  if (media) {
    block.append(h('p', { text: t('hidden.media') }));
    block.append(h('ul', { class: 'hidden-media' }, media.evidence.map(hiddenItem)));
  }
  return block;
}

/**
 * One hidden thing in plain words: its kind and size in the current language.
 * The core's English description ("a video (motion photo) (123 bytes)") stays
 * in the finding's evidence table.
 */
function hiddenItem(evidence) {
  const m = /^(.*) \((\d+) bytes\)$/.exec(evidence.value);
  const what = (m ? m[1] : evidence.value).toLowerCase();
  const kind = /video|movie|motion/.test(what) ? 'video' : /image|picture|preview|thumbnail|gain map|stereo/.test(what) ? 'image' : 'data';
  const item = h('li', { 'data-hidden-kind': kind }, h('strong', { text: t(`hidden.kind.${kind}`) }));
  if (m) item.append(` (${formatSize(Number(m[2]))})`);
  return item;
}

export function formatSize(bytes) {
  const [value, unit] = bytes >= 1e6 ? [bytes / 1e6, 'megabyte'] : [Math.max(1, Math.round(bytes / 1e3)), 'kilobyte'];
  return formatNumber(value, { style: 'unit', unit, unitDisplay: 'short', maximumFractionDigits: 1 });
}

// ---------------------------------------------------------------- findings

/** Findings whose values a child may want to read (a name, a comment); others speak through their title. */
const SHOW_VALUES = new Set(['person-name', 'contact-info', 'tagged-people', 'place-name', 'comment', 'text-data', 'file-path']);
const MAX_SHOWN_VALUES = 3;
const MAX_SHOWN_CHARS = 200;

function findingsBlock(report) {
  const findingItem = (finding) => findingElement(finding, report);
  // The core sends findings worst first (src/findings/risk.rs); the page keeps its order.
  const major = report.findings.filter((f) => f.severity === 'high' || f.severity === 'medium');
  const minor = report.findings.filter((f) => !major.includes(f));
  const block = h('section', { class: 'block findings-block' }, h('h4', { text: t('findings.heading') }));
  // Small details stay one click away when there is something bigger to read first (long pages on phones).
  if (!major.length) {
    block.append(h('ol', { class: 'findings' }, minor.map(findingItem)));
    return block;
  }
  block.append(h('ol', { class: 'findings' }, major.map(findingItem)));
  if (minor.length) {
    block.append(h('details', { class: 'minor-findings' },
      h('summary', { text: tn('findings.more', minor.length) }),
      h('ol', { class: 'findings' }, minor.map(findingItem))));
  }
  return block;
}

function findingElement(finding, report) {
  return h('li', { class: `finding sev-${finding.severity}`, 'data-finding': finding.id },
    h('div', { class: 'finding-head' },
      h('span', { class: 'badge', text: t(`severity.${finding.severity}`) }),
      h('h5', { text: findingText(finding, 'title') })),
    codeKindLine(report, finding),
    h('p', { class: 'why', text: findingText(finding, 'why') }),
    shownValues(finding),
    h('p', { class: 'advice' }, h('strong', { text: t('finding.advice_label') }), ' ', findingText(finding, 'advice')));
}

/** The few values a person should read themselves ("Read the text below"), as plain quoted text. */
function shownValues(finding) {
  if (!SHOW_VALUES.has(finding.id)) return null;
  const values = [...new Set((finding.evidence || []).map((e) => e.value))].slice(0, MAX_SHOWN_VALUES);
  if (!values.length) return null;
  const short = (v) => (v.length > MAX_SHOWN_CHARS ? `${v.slice(0, MAX_SHOWN_CHARS)}…` : v);
  return h('div', { class: 'found-values' },
    h('p', { class: 'list-title', text: t('finding.values_label') }),
    h('ul', {}, values.map((v) => h('li', { class: 'found-value', text: short(v) }))));
}

function evidenceTable(evidence) {
  const rows = evidence.map((e) => h('tr', {},
    h('td', { text: e.source }), h('td', { class: 'mono', text: e.field }), h('td', { class: 'mono value', text: e.value })));
  return h('div', { class: 'table-scroll' },
    h('table', {},
      h('thead', {}, h('tr', {},
        h('th', { scope: 'col', text: t('evidence.source') }),
        h('th', { scope: 'col', text: t('evidence.field') }),
        h('th', { scope: 'col', text: t('evidence.value') }))),
      h('tbody', {}, rows)));
}

// ---------------------------------------------------------------- technical details

/** For whoever wants the file's own words: format, size, each finding's evidence, the error's wording. */
function technicalBlock(entry) {
  const report = entry.report;
  const facts = [t('technical.format', { format: report.format || '?' })];
  if (report.image) facts.push(t('image.size', { w: formatNumber(report.image.width), h: formatNumber(report.image.height) }));
  const block = h('details', { class: 'block technical' },
    h('summary', { text: t('technical.heading') }),
    h('ul', { class: 'technical-facts' }, facts.map((s) => h('li', { text: s }))));
  if (report.error) block.append(h('p', { class: 'mono technical-error', text: report.error }));
  for (const finding of report.findings) {
    if (!(finding.evidence || []).length) continue;
    block.append(h('section', { class: 'evidence', 'data-evidence': finding.id },
      h('h5', { text: findingText(finding, 'title') }), evidenceTable(finding.evidence)));
  }
  return block;
}

/** What went wrong, in the words of the browser or the checker, out of the way. */
function failureDetails(failure) {
  return h('details', { class: 'block technical' },
    h('summary', { text: t('technical.heading') }),
    h('p', { class: 'mono technical-error', text: failure ? failure.message : '' }));
}

// ---------------------------------------------------------------- honesty

function honestyBlock(entry) {
  const report = entry.report;
  const nothingFound = !report.findings.length && !(report.faces || []).length;
  // One list, each thing once (the core's list: en.json "not_checked"), true before and after the picture checks,
  // plus what the picture checks could not look at this time.
  const cannot = [...new Set([...pictureNotChecked(entry), ...translateList('not_checked', report.not_checked || [])])];
  // The picture checks run after the verdict: list them once they have looked.
  const looked = [['faceCheck', 'honesty.checked_faces'], ['codeCheck', 'honesty.checked_codes']]
    .filter(([check]) => entry[check] === 'done').map(([, key]) => t(key));
  return h('details', { class: 'block honesty', open: nothingFound },
    h('summary', { text: t('honesty.heading') }),
    h('p', { class: 'list-title', text: t('honesty.checked') }),
    h('ul', { class: 'checked-list' }, [...translateList('checked', report.checked || []), ...looked].map((s) => h('li', { text: s }))),
    h('p', { class: 'list-title', text: t('honesty.not_checked') }),
    h('ul', { class: 'not-checked-list' }, cannot.map((s) => h('li', { text: s }))),
    h('p', { class: 'reminder', text: t('honesty.reminder') }));
}

/** Faces and codes the picture checks could not look for (same lines as the CLI's report.not_checked). */
function pictureNotChecked(entry) {
  if (entry.faceCheck === 'undecodable' || entry.codeCheck === 'undecodable') return [t('not_checked.picture_undecodable')];
  return [['faceCheck', 'faces.failed'], ['codeCheck', 'codes.failed']].filter(([check]) => entry[check] === 'failed').map(([, key]) => t(key));
}

// ---------------------------------------------------------------- batch summary and guidance

const SAME_PLACE_METRES = 200;

function distanceMetres(a, b) {
  const rad = Math.PI / 180;
  const dLat = (b.lat - a.lat) * rad;
  const dLon = (b.lon - a.lon) * rad;
  const s = Math.sin(dLat / 2) ** 2 + Math.cos(a.lat * rad) * Math.cos(b.lat * rad) * Math.sin(dLon / 2) ** 2;
  return 2 * 6371000 * Math.asin(Math.min(1, Math.sqrt(s)));
}

/** The size of the biggest group of positions that lie within ~200 m of the group's first one. */
export function largestPlaceGroup(positions) {
  const groups = [];
  for (const p of positions) {
    const group = groups.find((g) => distanceMetres(g[0], p) <= SAME_PLACE_METRES);
    if (group) group.push(p); else groups.push([p]);
  }
  return groups.reduce((max, g) => Math.max(max, g.length), 0);
}

/** Summary lines across all checked photos, or [] for fewer than two. */
export function summaryLines(entries) {
  const checked = entries.filter((e) => e.phase === 'done' && e.report && !e.report.error);
  const total = checked.length;
  if (total < 2) return [];
  const positions = checked.map((e) => e.report.location).filter(Boolean);
  const lines = [];
  if (!positions.length) return [t('batch.no_location', { total: formatNumber(total) })];
  lines.push(t('batch.location', { n: formatNumber(positions.length), total: formatNumber(total) }));
  const same = largestPlaceGroup(positions);
  if (same >= 2) lines.push(t('batch.same_place', { n: formatNumber(same), total: formatNumber(total) }));
  return lines;
}

export function guideItems(list) {
  const items = t('guide.items');
  list.replaceChildren(...(Array.isArray(items) ? items : []).map((item) =>
    h('li', {}, h('strong', { text: item.title }), ' ', item.text)));
}
