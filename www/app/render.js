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

const SEVERITY_ORDER = { high: 0, medium: 1, low: 2, info: 3 };

/** Which finding ids make up the verdict sentence, in the order they are named. */
const VERDICT_PARTS = [
  ['id-document', 'part.id_document'],
  ['gps-location', 'part.location'],
  ['gps-hidden', 'part.gps_hidden'],
  ['place-name', 'part.place'],
  ['tagged-people', 'part.tagged'],
  ['person-name', 'part.person'],
  ['contact-info', 'part.contact'],
  ['device-serial', 'part.serial'],
  ['unique-id', 'part.id'],
  ['embedded-thumbnail', 'part.thumbnail'],
  ['hidden-media', 'part.hidden'],
  ['comment', 'part.text'],
  ['text-data', 'part.text'],
  ['file-path', 'part.path'],
  ['barcode', 'part.codes'],
];

const ICONS = { high: '!', medium: '!', low: 'i', none: 'i', error: '×', working: '…' };

/** The small DOM helper (see dom.js), re-exported for app.js. */
export const h = dom.h;

// ---------------------------------------------------------------- the card

export function card(entry, handlers) {
  const level = levelOf(entry);
  const titleId = `file-${entry.key}`;
  const article = h('article', {
    class: `result level-${level}`, 'aria-labelledby': titleId, 'data-key': entry.key,
    'data-level': level, 'data-ms': entry.ms === undefined ? null : Math.round(entry.ms),
    'data-codes-ms': entry.codesMs === undefined ? null : Math.round(entry.codesMs),
  });
  article.append(h('h3', { id: titleId, class: 'file-name', text: entry.name }));
  const grid = h('div', { class: 'result-grid' }, photo(entry, handlers));
  const body = h('div', { class: 'result-body' });
  grid.append(body);
  article.append(grid);

  if (entry.phase !== 'done') {
    body.append(pending(entry));
    return article;
  }
  body.append(verdict(entry, level));
  const report = entry.report;
  if (!report) return article;
  if (report.location) body.append(locationBlock(report.location));
  else if (report.findings.some((f) => f.id === 'gps-hidden')) body.append(hiddenLocationBlock());
  const hidden = hiddenBlock(report.findings);
  if (hidden) body.append(hidden);
  if (report.findings.length) body.append(findingsBlock(report));
  if (!report.error) body.append(saferPanel(entry, handlers));
  body.append(honestyBlock(entry));
  return article;
}

function pending(entry) {
  const key = entry.phase === 'reading' ? 'card.reading' : entry.phase === 'checking' ? 'card.checking' : 'card.waiting';
  const progress = h('progress', { class: 'file-progress', max: 1, 'aria-label': t(key) });
  if (entry.phase === 'reading' && entry.progress !== undefined) progress.value = entry.progress;
  if (entry.phase === 'waiting') progress.value = 0;
  return h('div', { class: 'pending' }, h('p', { text: t(key) }), progress);
}

/** high / medium / low / none from the report; error when nothing could be read. */
export function levelOf(entry) {
  if (entry.phase !== 'done') return 'working';
  if (entry.failure) return 'error';
  const report = entry.report;
  if (report.error && !report.findings.length) return 'error';
  let level = report.risk || 'none';
  // Faces are about the picture itself: never call a photo with faces "nothing found".
  if ((report.faces || []).length && (level === 'none' || level === 'low')) level = 'medium';
  return level;
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
  const ids = new Set(report.findings.map((f) => f.id));
  const parts = [];
  for (const [id, key] of VERDICT_PARTS) {
    const text = t(key);
    if (ids.has(id) && !parts.includes(text)) parts.push(text);
  }
  const faces = (report.faces || []).length;
  if (faces) parts.push(facesCountText(report, 'part.faces'));
  else if (ids.has('faces')) parts.push(t('part.faces_seen'));
  if (parts.length) return t('verdict.shows', { list: joinList(parts) });
  if (report.findings.some((f) => f.severity === 'high' || f.severity === 'medium')) return t('verdict.worth_look');
  if (report.findings.length) return t('verdict.low_only');
  return t('verdict.none');
}

function verdict(entry, level) {
  const box = h('div', { class: `verdict verdict-${level}` });
  box.append(h('span', { class: 'verdict-icon', 'aria-hidden': 'true', text: ICONS[level] || 'i' }));
  const text = h('div', { class: 'verdict-text' },
    h('p', { class: 'verdict-level', text: t(`level.${level}`) }),
    h('p', { class: 'verdict-sentence', text: verdictSentence(entry) }));
  const detail = entry.failure ? entry.failure.message : entry.report && entry.report.error;
  if (detail) {
    text.append(h('details', { class: 'verdict-details' },
      h('summary', { text: t('verdict.details') }), h('p', { class: 'mono', text: detail })));
  }
  if (level !== 'error') {
    text.append(h('a', { href: '#before-you-send', class: 'guide-link', text: t('verdict.guidance_link') }));
  }
  // Every verdict, whatever it says, shows where to get help if a photo is already being misused.
  text.append(h('a', { href: 'help.html', class: 'help-link', 'data-help-link': '', text: t('help.link') }));
  box.append(text);
  return box;
}

// ---------------------------------------------------------------- the picture

function photo(entry, handlers) {
  const figure = h('figure', { class: 'photo' });
  const frame = h('div', { class: 'photo-frame' });
  figure.append(frame);
  if (entry.imageFailed || !entry.url) {
    frame.append(placeholder());
  } else {
    const img = h('img', { src: entry.url, alt: t('image.alt', { name: entry.name }), decoding: 'async' });
    img.addEventListener('error', () => {
      entry.imageFailed = true;
      img.replaceWith(placeholder());
      frame.querySelector('.faces')?.remove();
      frame.querySelector('.codes')?.remove();
    });
    frame.append(img);
  }
  const report = entry.report;
  const caption = h('figcaption');
  if (report && report.image) {
    caption.append(h('span', { text: t('image.size', { w: formatNumber(report.image.width), h: formatNumber(report.image.height) }) }));
  }
  const faces = (report && report.faces) || [];
  if (faces.length && report.image && !entry.imageFailed) {
    frame.append(faceBoxes(faces, report.image, entry.facesHidden));
    caption.append(h('span', { text: facesCountText(report, 'faces.count') }));
    caption.append(h('button', {
      type: 'button', class: 'secondary small faces-toggle', 'aria-pressed': entry.facesHidden ? 'true' : 'false',
      text: t('faces.hide'),
      onclick: (event) => handlers.toggleFaces(entry, event.currentTarget),
    }));
  }
  const codes = codesOf(report);
  if (codes.length && report.image && !entry.imageFailed) frame.append(codeBoxes(codes, report.image));
  if (report && report.image && !entry.imageFailed && entry.url) frame.append(coverLayer(entry));
  for (const note of [faceNote(entry), codeNote(entry)]) if (note) caption.append(note);
  if (caption.childNodes.length) figure.append(caption);
  return figure;
}

function placeholder() {
  return h('div', { class: 'photo-placeholder' },
    pictureIcon(),
    h('p', { text: t('image.unavailable') }));
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

function findingsBlock(report) {
  const findingItem = (finding) => findingElement(finding, report);
  const sorted = [...report.findings].sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9));
  const major = sorted.filter((f) => f.severity === 'high' || f.severity === 'medium');
  const minor = sorted.filter((f) => !major.includes(f));
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
    h('p', { class: 'advice' }, h('strong', { text: t('finding.advice_label') }), ' ', findingText(finding, 'advice')),
    evidenceDetails(finding.evidence || []));
}

function evidenceDetails(evidence) {
  if (!evidence.length) return null;
  const rows = evidence.map((e) => h('tr', {},
    h('td', { text: e.source }), h('td', { class: 'mono', text: e.field }), h('td', { class: 'mono value', text: e.value })));
  return h('details', { class: 'evidence' },
    h('summary', { text: t('evidence.summary', { n: formatNumber(evidence.length) }) }),
    h('div', { class: 'table-scroll' },
      h('table', {},
        h('thead', {}, h('tr', {},
          h('th', { scope: 'col', text: t('evidence.source') }),
          h('th', { scope: 'col', text: t('evidence.field') }),
          h('th', { scope: 'col', text: t('evidence.value') }))),
        h('tbody', {}, rows))));
}

// ---------------------------------------------------------------- honesty

function honestyBlock(entry) {
  const report = entry.report;
  const nothingFound = !report.findings.length && !(report.faces || []).length;
  const extra = t('honesty.extra');
  const cannot = [...pictureNotChecked(entry), ...translateList('not_checked', report.not_checked || []), ...(Array.isArray(extra) ? extra : [])];
  // The picture checks run after the verdict: list them once they have looked.
  const looked = [['faceCheck', 'honesty.checked_faces'], ['codeCheck', 'honesty.checked_codes']]
    .filter(([check]) => entry[check] === 'done').map(([, key]) => t(key));
  return h('details', { class: 'block honesty', open: nothingFound },
    h('summary', { text: t('honesty.heading') }),
    h('p', { class: 'list-title', text: t('honesty.checked') }),
    h('ul', { class: 'checked-list' }, [...translateList('checked', report.checked || []), ...looked].map((s) => h('li', { text: s }))),
    h('p', { class: 'list-title', text: t('honesty.not_checked') }),
    h('ul', {}, cannot.map((s) => h('li', { text: s }))),
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
