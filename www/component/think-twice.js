// <think-twice>: the checker as one HTML element, for any page.
//
//   <script type="module" src="https://example.org/thinktwice/component/think-twice.js"></script>
//   <think-twice lang="hi" compact></think-twice>
//
// Attributes: lang (a catalog in ../i18n/, default: the browser's language, then
// English) and compact (only the verdict and finding titles). After each photo
// it fires `thinktwice-result` (bubbles, composed; detail = the Report).
// Method: el.checkFile(fileOrBlob) → Promise<Report>.
//
// Everything lives in a Shadow DOM, so the host page's CSS cannot break it and
// its CSS cannot leak out. Every text that comes from a photo is set with
// textContent only: metadata can hold any text, including HTML.
// The photo never leaves the device: the wasm checker runs in a Web Worker
// (../engine/engine.js), and catalogs and wasm come from the same place as this script.

import { Engine, MAX_FILE_BYTES } from '../engine/engine.js';

const BASE = new URL('../', import.meta.url);
const FALLBACK = 'en';
const SEVERITY_ORDER = { high: 0, medium: 1, low: 2, info: 3 };

let sharedEngine = null;
const engine = () => (sharedEngine ||= new Engine());

const catalogs = new Map(); // code → Promise<catalog | null>
function catalog(code) {
  if (!/^[a-z]{2,3}$/.test(code)) code = FALLBACK;
  if (!catalogs.has(code)) {
    catalogs.set(code, fetch(new URL(`i18n/${code}.json`, BASE)).then((r) => (r.ok ? r.json() : null), () => null));
  }
  return catalogs.get(code);
}

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
`;

class ThinkTwiceElement extends HTMLElement {
  static get observedAttributes() { return ['lang', 'compact']; }

  constructor() {
    super();
    this.cat = null;
    this.results = []; // {name, report} | {name, error}
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

  attributeChangedCallback(name) {
    if (name === 'lang') this.loadLanguage();
  }

  async loadLanguage() {
    const wanted = (this.getAttribute('lang') || navigator.language || FALLBACK).toLowerCase().split('-')[0];
    const [own, en] = await Promise.all([catalog(wanted), catalog(FALLBACK)]);
    this.cat = { own: own || en || {}, en: en || {} };
    this.box.lang = own ? wanted : FALLBACK;
    this.draw();
  }

  t(key, params = {}) {
    const text = this.cat?.own?.ui?.[key] ?? this.cat?.en?.ui?.[key] ?? key;
    return String(text).replace(/\{(\w+)\}/g, (m, p) => (p in params ? String(params[p]) : m));
  }

  findingText(finding, part) {
    return this.cat?.own?.findings?.[finding.id]?.[part] || finding[part] || '';
  }

  /** Checks one file or Blob; resolves with the Report (also sent as the `thinktwice-result` event). */
  async checkFile(file) {
    const name = file.name || this.t('file.unnamed');
    if (file.size > MAX_FILE_BYTES) throw new Error(this.t('verdict.too_big'));
    const report = await engine().check(file, name); // the engine reads the file, once
    this.dispatchEvent(new CustomEvent('thinktwice-result', { detail: report, bubbles: true, composed: true }));
    return report;
  }

  async checkFiles(files) {
    if (!files.length) return;
    this.results = [];
    this.setStatus('card.checking');
    for (const file of files) {
      const name = file.name || this.t('file.unnamed');
      try {
        this.results.push({ name, report: await this.checkFile(file) });
      } catch (err) {
        this.results.push({ name, error: String(err.message || err) });
      }
      this.draw();
    }
    this.setStatus(null);
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
    block.setAttribute('part', 'result');
    block.append(el('p', 'file', result.name), el('p', 'level', this.t(`level.${level}`)));
    if (result.error || result.report.error) {
      block.append(el('p', 'why', result.error ? this.t('verdict.trap') : this.t('verdict.error')));
      return block;
    }
    const findings = [...result.report.findings]
      .sort((a, b) => (SEVERITY_ORDER[a.severity] ?? 9) - (SEVERITY_ORDER[b.severity] ?? 9));
    if (!findings.length) {
      block.append(el('p', 'why', this.t('verdict.none')));
      return block;
    }
    const list = el('ul', 'findings');
    for (const f of findings) {
      const item = el('li', 'finding');
      item.dataset.id = f.id;
      item.dataset.severity = f.severity;
      item.append(el('div', 'title', this.findingText(f, 'title')), el('p', 'why', this.findingText(f, 'why')));
      const advice = this.findingText(f, 'advice');
      if (advice) item.append(el('p', 'advice', `${this.t('finding.advice_label')} ${advice}`));
      list.append(item);
    }
    block.append(list);
    return block;
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

function levelOf(result) {
  if (result.error) return 'error';
  const report = result.report;
  if (report.error && !report.findings.length) return 'error';
  let level = report.risk || 'none';
  if ((report.faces || []).length && (level === 'none' || level === 'low')) level = 'medium';
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
