// The page's language: which catalogs exist, the person's choice (stored), the
// <html lang> and the data-i18n hooks. Loading and reading catalogs is the
// shared, DOM-free ../i18n/catalog.js (also used by the component, the npm
// package and the extension); this module only adds the page's state on top.
// All catalogs are fetched once at load, so switching language or checking
// photos never touches the network. Adding a language = adding
// i18n/<code>.json and its code to languages.json.
// This module knows nothing about reports or the DOM beyond data-i18n hooks.

import * as catalog from '../i18n/catalog.js';

const STORAGE_KEY = 'thinktwice.lang';
const FALLBACK = catalog.FALLBACK;
const BASE = new URL('../i18n/', import.meta.url);

const catalogs = new Map();
let current = FALLBACK;
let cat = catalog.makeCatalog(FALLBACK, {}, {});

/** Fetches the list of languages and every catalog in it. */
export async function loadCatalogs() {
  const codes = await catalog.fetchLanguages(BASE);
  await Promise.all(codes.map(async (code) => {
    const c = await catalog.fetchCatalog(code, BASE);
    if (c) catalogs.set(code, c);
  }));
  if (!catalogs.has(FALLBACK)) throw new Error('the English catalog is missing');
  cat = catalog.makeCatalog(current, catalogs.get(current), catalogs.get(FALLBACK));
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
  return catalog.pickLanguage(navigator.languages || [navigator.language || ''], [...catalogs.keys()]);
}

export function setLanguage(code, remember) {
  current = catalogs.has(code) ? code : FALLBACK;
  cat = catalog.makeCatalog(current, catalogs.get(current), catalogs.get(FALLBACK));
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
  const [savedCode, savedCat] = [current, cat];
  current = catalogs.has(code) ? code : FALLBACK;
  cat = catalog.makeCatalog(current, catalogs.get(current), catalogs.get(FALLBACK));
  try { return fn(); } finally { [current, cat] = [savedCode, savedCat]; }
}

/** A UI string with {placeholders} filled in; English if this language lacks it. */
export function t(key, params = {}) {
  return catalog.text(cat, key, params);
}

/** Plural-aware lookup: key_one / key_other chosen by the language's rules. */
export function tn(key, n, params = {}) {
  return catalog.plural(cat, key, n, params);
}

/** A finding's title/why/advice in the current language (the report's English as last resort). */
export function findingText(finding, part) {
  return catalog.findingText(cat, finding, part);
}

/**
 * The report lists what was checked in English (from en.json); show the same
 * entry of the current catalog, matched by position in the English list.
 */
export function translateList(kind, englishItems) {
  return catalog.translateList(cat, kind, englishItems);
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
