// Codes in the picture (QR, Aztec, PDF417, Data Matrix, bar codes) on the page:
// the words for them, the labelled boxes over the photo and the note under it.
// The codes themselves are read in the picture worker (faces-worker.js, see
// faces.js); each arrives in `report.codes` as {format, kind, x, y, w, h,
// summary} with a `barcode` finding beside it. No state lives here, and a
// code's text (only its masked summary ever reaches the page) goes in through
// textContent like everything else read from a file.

import { t, tn, joinList } from './i18n.js';
import { h, placeOnPicture } from './dom.js';

/** Formats with a name of their own; every other format is a bar code. */
const NAMED_FORMATS = { qr: 'qr', 'micro-qr': 'qr', aztec: 'aztec', pdf417: 'pdf417', 'data-matrix': 'data-matrix' };

export function codesOf(report) {
  return (report && report.codes) || [];
}

/** "QR code", "bar code"... in the page language. */
export function formatName(code) {
  return t(`codes.format.${NAMED_FORMATS[code.format] || 'bar'}`);
}

/** What a code holds, in a few words: "Wi-Fi login", "web link"... */
export function kindName(code) {
  return t(`codes.kind.${code.kind}`);
}

/** "QR code: Wi-Fi login", for the box over the photo. */
export function codeLabel(code) {
  const text = t('codes.label', { format: formatName(code), kind: kindName(code) });
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The findings the core makes for a code: `id-document` for an ID card's code, else `barcode`. */
const CODE_FINDINGS = ['barcode', 'id-document'];

/**
 * The finding made for a code (they share the masked summary), or null.
 * Its severity is the core's judgement of the code (codes::severity).
 */
export function findingOf(report, code) {
  return (report.findings || []).find((f) => CODE_FINDINGS.includes(f.id) && (f.evidence || []).some((e) => e.value === code.summary)) || null;
}

/** The code a `barcode` finding is about, or null. */
export function codeOfFinding(report, finding) {
  return codesOf(report).find((code) => (finding.evidence || []).some((e) => e.value === code.summary)) || null;
}

/** One plain sentence on what this finding's code holds, for the findings list (null for other findings). */
export function codeKindLine(report, finding) {
  if (!CODE_FINDINGS.includes(finding.id)) return null;
  const code = codeOfFinding(report, finding);
  if (!code) return null;
  return h('p', { class: 'code-kind', 'data-code-kind': code.kind },
    h('strong', { text: codeLabel(code) }), ' ', t(`codes.holds.${code.kind}`));
}

/** Labelled boxes over the picture, in percent of the upright image (report.image). */
export function codeBoxes(codes, size) {
  const layer = h('div', { class: 'codes' });
  codes.forEach((code, i) => {
    const box = h('div', { class: 'code-box', 'data-code': i, 'data-code-kind': code.kind },
      h('span', { class: 'code-label', text: codeLabel(code) }));
    // The label goes under the box (over it near the bottom), and ends at the box's right edge
    // when the box is in the right half, so it stays over the picture.
    if (code.y + code.h > size.height * 0.85) box.classList.add('label-above');
    if (code.x + code.w / 2 > size.width / 2) box.classList.add('label-left');
    layer.append(placeOnPicture(box, code, size));
  });
  return layer;
}

/** Where the code check is, in words, or '' when there is nothing to say. */
export function codeNoteText(entry) {
  switch (entry.codeCheck) {
    case 'looking': return t('codes.looking');
    case 'undecodable': return t('codes.undecodable');
    case 'failed': return t('codes.failed');
    case 'done': {
      const codes = codesOf(entry.report);
      return codes.length ? `${tn('codes.count', codes.length)}: ${joinList(codes.map(codeLabel))}` : t('codes.none');
    }
    default: return '';
  }
}

/** The note for the caption under the photo (just the count once codes are boxed), or null. */
export function codeNote(entry) {
  const count = entry.codeCheck === 'done' ? codesOf(entry.report).length : 0;
  const text = count ? tn('codes.count', count) : codeNoteText(entry);
  if (!text) return null;
  return h('span', { class: `codes-note codes-${entry.codeCheck}`, 'data-code-check': entry.codeCheck, text });
}
