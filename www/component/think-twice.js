// <think-twice>: the checker as one HTML element, for any page.
//
//   <script type="module" src="https://example.org/thinktwice/component/think-twice.js"></script>
//   <think-twice lang="hi" compact></think-twice>
//
// Attributes: lang (a catalog in ../i18n/, default: the browser's language, then
// English), compact (only the verdict and finding titles) and metadata-only
// (no look at the picture itself: no faces, no codes). After each photo it fires
// `thinktwice-result` (bubbles, composed; detail = the Report, with faces and
// codes once they are known) and, for a safer copy, `thinktwice-copy`
// (detail = {blob, name, report}).
// Method: el.checkFile(fileOrBlob) → Promise<Report> (faces and codes included unless metadata-only).
//
// Everything lives in a Shadow DOM, so the host page's CSS cannot break it and
// its CSS cannot leak out. Every text that comes from a photo is set with
// textContent only: metadata can hold any text, including HTML.
// The photo never leaves the device: the wasm checker runs in a Web Worker
// (../engine/engine.js), the picture checks in another (../engine/picture.js,
// started only when a photo is chosen, so the embed stays light), and catalogs,
// wasm and model come from the same place as this script. Texts, risk level and
// what a safer copy covers come from the shared catalog (../i18n/catalog.js)
// and the core, never from this file.

import { Engine, MAX_FILE_BYTES, copyType } from '../engine/engine.js';
import { Picture } from '../engine/picture.js';
import * as catalog from '../i18n/catalog.js';
import { CATALOG_FILES as I18N } from '../i18n/files.js'; // so that bundlers ship the catalogs
// Where to get help if a photo is already being misused (the app's help page, hosted beside the component).
const HELP = new URL('../help.html', import.meta.url);
const SEVERITY_ORDER = { high: 0, medium: 1, low: 2, info: 3 };
const EXTENSIONS = { 'image/jpeg': 'jpg', 'image/png': 'png', 'image/webp': 'webp', 'image/gif': 'gif', 'image/heic': 'heic', 'image/avif': 'avif' };

let sharedPicture = null;
// The picture worker only finds faces and codes; the engine's core adds them to the report.
const picture = () => (sharedPicture ||= new Picture({ engine: engine() }));
let sharedEngine = null;
// Covered copies are made by the engine's copy worker, started (its module fetched) only when one is asked for.
const engine = () => (sharedEngine ||= new Engine());

const STYLE = `
:host { display: block; font: 16px/1.45 system-ui, sans-serif; color: #1d1d1f; max-width: 40rem; }
:host([hidden]) { display: none; }
* { box-sizing: border-box; }
.box { border: 1px solid #c9ccd1; border-radius: 12px; padding: 1rem; background: #fff; }
.pick { display: block; width: 100%; padding: 1rem; border: 2px dashed #6b7280; border-radius: 10px;
  background: #f7f8fa; color: inherit; font: inherit; font-weight: 600; cursor: pointer; text-align: center; }
.pick:hover, .pick.dragging { background: #eef2ff; border-color: #3b5bdb; }
.pick:focus-visible { outline: 3px solid #3b5bdb; outline-offset: 2px; }
.hint { display: block; font-weight: 400; font-size: .9em; color: #4b5563; margin-top: .25rem; }
.privacy { font-size: .85em; color: #374151; margin: .5rem 0 0; }
.status { min-height: 1.2em; margin: .5rem 0 0; color: #374151; }
.result { margin-top: .75rem; border-left: 6px solid #9ca3af; padding: .25rem 0 .25rem .75rem; }
.result[data-level="high"] { border-color: #c92a2a; }
.result[data-level="medium"] { border-color: #e8590c; }
.result[data-level="low"], .result[data-level="none"] { border-color: #2b8a3e; }
.file { font-weight: 600; overflow-wrap: anywhere; margin: 0; }
.level { font-size: 1.1em; font-weight: 700; margin: .1rem 0 .4rem; }
ul { margin: 0; padding-left: 1.2rem; }
li { margin: .35rem 0; }
.title { font-weight: 600; }
.why, .advice { margin: .1rem 0 0; font-size: .95em; }
.advice { color: #374151; }
:host([compact]) .why, :host([compact]) .advice, :host([compact]) .privacy { display: none; }
.visually-hidden { position: absolute; width: 1px; height: 1px; overflow: hidden; clip: rect(0 0 0 0); white-space: nowrap; }
.note { margin: .25rem 0 0; font-size: .9em; color: #374151; }
.photo { position: relative; display: inline-block; max-width: 100%; margin: .5rem 0 0; line-height: 0; }
.photo img { max-width: 100%; max-height: 22rem; border-radius: 6px; }
.mark { position: absolute; border: 3px solid #c92a2a; border-radius: 4px; box-shadow: 0 0 0 1px #fff; pointer-events: none; }
.mark.code { border-color: #7048e8; }
.safer { margin-top: .75rem; }
.safer label { display: block; margin: .25rem 0; }
.safer button, .safer a.download { display: inline-block; margin: .35rem .5rem 0 0; padding: .5rem .8rem; border-radius: 8px;
  border: 1px solid #2b8a3e; background: #2b8a3e; color: #fff; font: inherit; font-weight: 600; cursor: pointer; text-decoration: none; }
.safer button.share { background: #fff; color: #2b8a3e; }
.safer button:disabled { opacity: .6; cursor: progress; }
:host([compact]) .photo, :host([compact]) .note { display: none; }
`;

class ThinkTwiceElement extends HTMLElement {
  static get observedAttributes() { return ['lang', 'compact', 'metadata-only']; }

  constructor() {
    super();
    this.cat = null;
    this.results = []; // {name, file, report?, error?, picture: 'looking'|'done'|'failed'|'undecodable'|'off', faces, codes, url, copy}
    const root = this.attachShadow({ mode: 'open' });
    this.box = el('div', 'box');
    this.button = el('button', 'pick');
    this.button.type = 'button';
    this.buttonTitle = el('span');
    this.buttonHint = el('span', 'hint');
    this.button.append(this.buttonTitle, this.buttonHint);
    this.input = el('input', 'visually-hidden');
    this.input.type = 'file';
    this.input.accept = 'image/*,.heic,.heif,.avif,.tif,.tiff,.dng,.webp';
    this.input.multiple = true;
    this.input.tabIndex = -1;
    this.privacy = el('p', 'privacy');
    this.status = el('p', 'status');
    this.status.setAttribute('role', 'status');
    this.list = el('div', 'results');
    this.box.append(this.button, this.input, this.privacy, this.status, this.list);
    adoptStyle(root);
    root.append(this.box);

    this.button.addEventListener('click', () => this.input.click());
    this.input.addEventListener('change', () => {
      const files = [...this.input.files];
      this.input.value = '';
      this.checkFiles(files);
    });
    this.button.addEventListener('dragover', (e) => { e.preventDefault(); this.button.classList.add('dragging'); });
    this.button.addEventListener('dragleave', () => this.button.classList.remove('dragging'));
    this.button.addEventListener('drop', (e) => {
      e.preventDefault();
      this.button.classList.remove('dragging');
      this.checkFiles([...(e.dataTransfer?.files || [])]);
    });
  }

  connectedCallback() { this.loadLanguage(); }

  disconnectedCallback() { this.forget(); }

  attributeChangedCallback(name) {
    if (name === 'lang') this.loadLanguage();
  }

  get lookAtPicture() { return !this.hasAttribute('metadata-only'); }

  async loadLanguage() {
    const available = await catalog.fetchLanguages(I18N);
    const wanted = catalog.pickLanguage([this.getAttribute('lang') || '', ...(navigator.languages || [navigator.language])], available);
    this.cat = await catalog.loadCatalog(wanted, I18N);
    this.box.lang = this.cat.code;
    this.draw();
  }

  t(key, params = {}) { return catalog.text(this.cat, key, params); }

  tn(key, n) { return catalog.plural(this.cat, key, n); }

  /**
   * Checks one file or Blob; resolves with the Report (also sent as the `thinktwice-result` event),
   * faces and codes included unless the element is metadata-only. `onReport` sees each step.
   */
  async checkFile(file, onReport = () => {}) {
    if (file.size > MAX_FILE_BYTES) throw new Error(this.t('verdict.too_big'));
    let report = await engine().check(file, file.name || this.t('file.unnamed')); // the engine reads the file, once
    onReport(report, 'looking');
    if (this.lookAtPicture && !report.error) {
      const looked = await picture().look(file, report, { onFaces: (r) => onReport(r, 'looking') });
      report = looked.report;
      onReport(report, looked.faces === 'done' && looked.codes === 'done' ? 'done' : looked.faces === 'undecodable' ? 'undecodable' : 'failed');
    }
    this.dispatchEvent(new CustomEvent('thinktwice-result', { detail: report, bubbles: true, composed: true }));
    return report;
  }

  async checkFiles(files) {
    if (!files.length) return;
    this.forget();
    this.results = [];
    this.setStatus('card.checking');
    for (const file of files) {
      const result = { name: file.name || this.t('file.unnamed'), file, picture: this.lookAtPicture ? 'looking' : 'off' };
      this.results.push(result);
      try {
        await this.checkFile(file, (report, state) => {
          result.report = report;
          if (this.lookAtPicture) result.picture = state;
          this.draw();
        });
      } catch (err) {
        result.error = String(err.message || err);
      }
      this.draw();
    }
    this.setStatus(null);
  }

  /** Frees the photos' and copies' blob URLs. */
  forget() {
    for (const r of this.results) {
      if (r.url) URL.revokeObjectURL(r.url);
      if (r.copy?.url) URL.revokeObjectURL(r.copy.url);
    }
  }

  setStatus(key) {
    this.statusKey = key;
    this.status.textContent = key ? this.t(key) : '';
  }

  draw() {
    if (!this.cat) return;
    this.buttonTitle.textContent = this.t('drop.title');
    this.buttonHint.textContent = this.t('drop.active');
    this.input.setAttribute('aria-label', this.t('input.label'));
    this.privacy.textContent = this.t('privacy');
    this.setStatus(this.statusKey);
    this.list.replaceChildren(...this.results.map((r) => this.resultBlock(r)));
  }

  resultBlock(result) {
    const level = levelOf(result);
    const block = el('section', 'result');
    block.dataset.level = level;
    block.dataset.picture = result.picture;
    block.setAttribute('part', 'result');
    block.append(el('p', 'file', result.name), el('p', 'level', this.t(level === 'looking' ? 'card.checking' : `level.${level}`)));
    if (!result.report && !result.error) return block;
    if (result.error || result.report.error) {
      block.append(el('p', 'why', result.error ? this.t('verdict.trap') : this.t('verdict.error')));
      return block;
    }
    const report = result.report;
    const findings = [...report.findings]
      .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9));
    if (!findings.length && level !== 'looking') block.append(el('p', 'why', this.t('verdict.none')));
    if (findings.length) {
      const list = el('ul', 'findings');
      for (const f of findings) {
        const item = el('li', 'finding');
        item.dataset.id = f.id;
        item.dataset.severity = f.severity;
        item.append(el('div', 'title', catalog.findingText(this.cat, f, 'title')), el('p', 'why', catalog.findingText(this.cat, f, 'why')));
        const advice = catalog.findingText(this.cat, f, 'advice');
        if (advice) item.append(el('p', 'advice', `${this.t('finding.advice_label')} ${advice}`));
        list.append(item);
      }
      block.append(list);
    }
    for (const note of this.pictureNotes(result)) block.append(el('p', 'note', note));
    const photo = this.photo(result);
    if (photo) block.append(photo);
    if (result.picture !== 'looking') block.append(this.saferBlock(result));
    const help = el('a', 'help', this.t('help.link'));
    help.href = `${HELP.href}?lang=${encodeURIComponent(this.box.lang || 'en')}`;
    help.target = '_blank';
    help.rel = 'noopener noreferrer';
    block.append(help);
    return block;
  }

  /** What was and was not looked at in the picture, in words (never silent: no false comfort). */
  pictureNotes(result) {
    const faces = result.report.faces;
    const codes = result.report.codes;
    switch (result.picture) {
      case 'off': return [this.t('door.picture_off')];
      case 'looking': return [faces ? (faces.length ? this.tn('faces.count', faces.length) : this.t('faces.none')) : this.t('faces.looking'), this.t('codes.looking')];
      case 'undecodable': return [this.t('faces.undecodable'), this.t('codes.undecodable')];
      default: return [
        faces ? (faces.length ? this.tn('faces.count', faces.length) : this.t('faces.none')) : this.t('faces.failed'),
        codes ? (codes.length ? this.tn('codes.count', codes.length) : this.t('codes.none')) : this.t('codes.failed'),
      ];
    }
  }

  /** The photo with a box over each face and code found, or null (nothing found, or no size known). */
  photo(result) {
    const report = result.report;
    const size = report.image;
    const marks = [...(report.faces || []).map((b) => ['face', b]), ...(report.codes || []).map((b) => ['code', b])];
    if (!size || !marks.length) return null;
    result.url ||= URL.createObjectURL(result.file);
    const figure = el('div', 'photo');
    figure.setAttribute('part', 'photo');
    const img = el('img');
    img.alt = '';
    img.src = result.url;
    img.addEventListener('error', () => figure.remove()); // a kind of picture this browser cannot show
    figure.append(img);
    for (const [kind, b] of marks) {
      const mark = el('div', `mark ${kind}`);
      mark.dataset.kind = kind;
      Object.assign(mark.style, {
        left: `${(100 * b.x) / size.width}%`, top: `${(100 * b.y) / size.height}%`,
        width: `${(100 * b.w) / size.width}%`, height: `${(100 * b.h) / size.height}%`,
      });
      figure.append(mark);
    }
    return figure;
  }

  /** "Make the safer copy" (faces covered unless unticked), then download and, where the page allows, share. */
  saferBlock(result) {
    const block = el('div', 'safer');
    block.setAttribute('part', 'safer');
    const faces = (result.report.faces || []).length;
    result.coverFaces ??= true;
    if (faces) {
      const box = el('input');
      box.type = 'checkbox';
      box.className = 'cover-faces';
      box.checked = result.coverFaces;
      box.addEventListener('change', () => { result.coverFaces = box.checked; });
      const label = el('label');
      label.append(box, ` ${this.t('safer.cover_faces')}`);
      block.append(label);
    }
    const copy = result.copy;
    const make = el('button', 'make-copy', this.t(copy?.busy ? 'safer.working' : 'safer.make'));
    make.type = 'button';
    make.disabled = Boolean(copy?.busy);
    make.addEventListener('click', () => this.makeCopy(result));
    block.append(make);
    if (copy?.error) block.append(el('p', 'note', `${this.t('safer.failed')} ${copy.error}`));
    if (copy?.url) {
      block.append(el('p', 'note', this.t(copy.covered ? 'safer.done_covered' : copy.lossless ? 'safer.done_lossless' : 'safer.done_redrawn')));
      const link = el('a', 'download', this.t('safer.download', { name: copy.name, size: `${Math.max(1, Math.round(copy.blob.size / 1024))} KB` }));
      link.href = copy.url;
      link.download = copy.name;
      block.append(link);
      const file = new File([copy.blob], copy.name, { type: copy.blob.type });
      if (navigator.canShare?.({ files: [file] })) {
        const share = el('button', 'share', this.t('door.share'));
        share.type = 'button';
        share.addEventListener('click', () => navigator.share({ files: [file] }).catch(() => {}));
        block.append(share);
      }
    }
    return block;
  }

  async makeCopy(result) {
    if (result.copy?.busy) return;
    if (result.copy?.url) URL.revokeObjectURL(result.copy.url);
    result.copy = { busy: true };
    this.draw();
    try {
      const cover = await engine().covers(result.report, { faces: result.coverFaces });
      const cleaned = await engine().clean(result.file, { cover });
      const type = copyType(cleaned.format) || result.file.type;
      const blob = new Blob([cleaned.bytes], { type });
      const stem = String(result.name).replace(/\.[^.]*$/, '') || 'photo';
      const name = `${stem}-safer.${EXTENSIONS[type] || 'img'}`;
      result.copy = { blob, name, url: URL.createObjectURL(blob), covered: cover.length > 0, lossless: cleaned.lossless };
      this.dispatchEvent(new CustomEvent('thinktwice-copy', { detail: { blob, name, report: cleaned.report }, bubbles: true, composed: true }));
    } catch (err) {
      result.copy = { error: err?.kind === 'refused' ? err.message : this.t('safer.broken') };
    }
    this.draw();
  }
}

/**
 * A constructed stylesheet is not an inline <style>, so a host page whose CSP
 * forbids inline styles still shows the component properly.
 */
let sheet = null;
function adoptStyle(root) {
  try {
    sheet ||= new CSSStyleSheet();
    if (!sheet.cssRules.length) sheet.replaceSync(STYLE);
    root.adoptedStyleSheets = [sheet];
  } catch {
    const style = document.createElement('style');
    style.textContent = STYLE;
    root.append(style);
  }
}

/** The colour and words of a result: the core's risk; 'looking' while the picture is still being looked at. */
function levelOf(result) {
  if (result.error) return 'error';
  const report = result.report;
  if (!report) return 'looking';
  if (report.error && !report.findings.length) return 'error';
  const level = report.risk || 'none';
  // Never "no hidden details" before faces and codes are known.
  if (result.picture === 'looking' && (level === 'none' || level === 'low')) return 'looking';
  return level;
}

/** Creates an element; text (if any) goes in as textContent, never as HTML. */
function el(tag, className, text) {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

if (!customElements.get('think-twice')) customElements.define('think-twice', ThinkTwiceElement);
export { ThinkTwiceElement };
