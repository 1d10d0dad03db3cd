// Language catalogs: which languages exist (i18n/languages.json), picking one,
// and looking up every text the page shows. All catalogs are fetched once at
// load, so switching language or checking photos never touches the network.
// Adding a language = adding i18n/<code>.json and its code to languages.json.
// This module knows nothing about reports or the DOM beyond data-i18n hooks.

const STORAGE_KEY = 'thinktwice.lang';
const FALLBACK = 'en';

const catalogs = new Map();
let current = FALLBACK;

/** Fetches the list of languages and every catalog in it. */
export async function loadCatalogs() {
  const codes = await fetchJson('i18n/languages.json');
  await Promise.all(codes.map(async (code) => {
    catalogs.set(code, await fetchJson(`i18n/${code}.json`));
  }));
  if (!catalogs.has(FALLBACK)) throw new Error('the English catalog is missing');
}

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: ${response.status}`);
  return response.json();
}

/** [{code, name}] for the language picker, names in their own language. */
export function languages() {
  return [...catalogs.entries()].map(([code, c]) => ({ code, name: c.language || code }));
}

/** Stored choice first, then the browser's preferred languages, then English. */
export function pickInitialLanguage() {
  let stored = null;
  try { stored = localStorage.getItem(STORAGE_KEY); } catch { /* storage may be blocked */ }
  if (stored && catalogs.has(stored)) return stored;
  for (const tag of navigator.languages || [navigator.language || '']) {
    const primary = String(tag).toLowerCase().split('-')[0];
    if (catalogs.has(primary)) return primary;
  }
  return FALLBACK;
}

export function setLanguage(code, remember) {
  current = catalogs.has(code) ? code : FALLBACK;
  document.documentElement.lang = current;
  if (remember) {
    try { localStorage.setItem(STORAGE_KEY, current); } catch { /* not fatal */ }
  }
}

export function language() {
  return current;
}

/** Runs fn with another language for every lookup (the bilingual view draws a card twice), then restores. */
export function withLanguage(code, fn) {
  const saved = current;
  current = catalogs.has(code) ? code : FALLBACK;
  try { return fn(); } finally { current = saved; }
}

function ui(code) {
  return (catalogs.get(code) || {}).ui || {};
}

/** A UI string with {placeholders} filled in; English if this language lacks it. */
export function t(key, params = {}) {
  let text = ui(current)[key];
  if (text === undefined) text = ui(FALLBACK)[key];
  if (text === undefined) return key;
  if (typeof text !== 'string') return text;
  return text.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Plural-aware lookup: key_one / key_other chosen by the language's rules. */
export function tn(key, n, params = {}) {
  const form = new Intl.PluralRules(current).select(n) === 'one' ? 'one' : 'other';
  return t(`${key}_${form}`, { n: formatNumber(n), ...params });
}

/** A finding's title/why/advice in the current language (the report's English as last resort). */
export function findingText(finding, part) {
  const own = ((catalogs.get(current) || {}).findings || {})[finding.id];
  if (own && own[part]) return own[part];
  return finding[part] || '';
}

/**
 * The report lists what was checked in English (from en.json); show the same
 * entry of the current catalog, matched by position in the English list.
 */
export function translateList(kind, englishItems) {
  const en = (catalogs.get(FALLBACK) || {})[kind] || [];
  const own = (catalogs.get(current) || {})[kind] || [];
  return englishItems.map((item) => {
    const i = en.indexOf(item);
    return i >= 0 && own[i] ? own[i] : item;
  });
}

export function formatNumber(n, options) {
  return new Intl.NumberFormat(current, options).format(n);
}

/** "a, b and c" in the current language. */
export function joinList(items) {
  try {
    return new Intl.ListFormat(current, { style: 'long', type: 'conjunction' }).format(items);
  } catch {
    return items.join(', ');
  }
}

/** Fills every element marked data-i18n / data-i18n-aria-label. */
export function applyStatic(root = document) {
  for (const el of root.querySelectorAll('[data-i18n]')) el.textContent = t(el.dataset.i18n);
  for (const el of root.querySelectorAll('[data-i18n-aria-label]')) {
    el.setAttribute('aria-label', t(el.dataset.i18nAriaLabel));
  }
}
