// The ONE place that loads language catalogs (i18n/<code>.json) and reads them:
// which language to use, a UI text with {placeholders} and plural forms, a
// finding's title/why/advice, and a Report's findings put into a language.
// Used by every door: the app (app/i18n.js adds the page's DOM hooks on top),
// the web component, the npm package, the extension and the single-file build.
// It must not touch the DOM, storage or anything but fetching its own catalogs
// (from `base`: the folder holding languages.json and the catalogs, or a map of
// those file names to URLs, ./files.js, for doors a site may bundle). Each
// catalog is fetched once per base; a missing one falls back to English.
//
//   const cat = await loadCatalog('hi', base);   // {code, own, en}
//   text(cat, 'faces.count', { n: 3 });          // plural-aware when key_one/key_other exist
//   localiseReport(report, cat);                  // titles, why, advice in Hindi

export const FALLBACK = 'en';

const cache = new Map(); // base|file → Promise<object | null>

/** One JSON file of `base` (a folder URL, or a map of file names to URLs), once; null when missing or broken. */
function fetchJson(base, file) {
  const byName = typeof base === 'object' && !(base instanceof URL);
  const key = `${byName ? 'files' : base}|${file}`;
  if (!cache.has(key)) {
    const url = byName ? base[file] : new URL(file, base);
    cache.set(key, url ? fetch(url).then((r) => (r.ok ? r.json() : null)).catch(() => null) : Promise.resolve(null));
  }
  return cache.get(key);
}

/** One catalog's JSON, or null when it is missing or broken (never rejects). */
export function fetchCatalog(code, base) {
  if (!/^[a-z]{2,3}$/.test(code)) return Promise.resolve(null);
  return fetchJson(base, `${code}.json`);
}

/** The codes listed in languages.json (['en'] when it cannot be read). */
export async function fetchLanguages(base) {
  const codes = await fetchJson(base, 'languages.json');
  return Array.isArray(codes) && codes.length ? codes : [FALLBACK];
}

/**
 * The language to use: the first of `wanted` (tags like 'hi-IN', in order of preference)
 * whose primary code is in `available`, else English.
 */
export function pickLanguage(wanted, available) {
  for (const tag of wanted) {
    const primary = String(tag || '').toLowerCase().split('-')[0];
    if (available.includes(primary)) return primary;
  }
  return FALLBACK;
}

/** {code, own, en}: the catalog for `code` (English when it is missing) with English beside it. */
export async function loadCatalog(code, base) {
  const [own, en] = await Promise.all([code === FALLBACK ? null : fetchCatalog(code, base), fetchCatalog(FALLBACK, base)]);
  return makeCatalog(own ? code : FALLBACK, own || en || {}, en || {});
}

/** Wraps catalogs already in hand (the app loads all of them at start). */
export function makeCatalog(code, own, en) {
  return { code, own: own || {}, en: en || own || {} };
}

/** A UI text with {placeholders} filled in; English when this language lacks it; the key as last resort. */
export function text(cat, key, params = {}) {
  let value = cat?.own?.ui?.[key];
  if (value === undefined) value = cat?.en?.ui?.[key];
  if (value === undefined) return key;
  if (typeof value !== 'string') return value;
  return value.replace(/\{(\w+)\}/g, (m, name) => (name in params ? String(params[name]) : m));
}

/** Plural-aware text: key_one / key_other chosen by the language's rules; {n} is the number, formatted. */
export function plural(cat, key, n, params = {}) {
  const form = new Intl.PluralRules(cat.code).select(n) === 'one' ? 'one' : 'other';
  return text(cat, `${key}_${form}`, { n: new Intl.NumberFormat(cat.code).format(n), ...params });
}

/** A finding's title / why / advice in the catalog's language (the report's English as last resort). */
export function findingText(cat, finding, part) {
  const own = cat?.own?.findings?.[finding.id];
  if (own && own[part]) return own[part];
  return finding[part] || '';
}

/** Puts every finding's title, why and advice of `report` (changed in place) in the catalog's language. */
export function localiseReport(report, cat) {
  if (!report || !cat) return report;
  for (const f of report.findings || []) {
    for (const part of ['title', 'why', 'advice']) f[part] = findingText(cat, f, part);
  }
  report.lang = cat.code;
  return report;
}

/**
 * The report lists what was checked in English (from en.json); the same entry of this
 * catalog, matched by position in the English list.
 */
export function translateList(cat, kind, englishItems) {
  const en = cat?.en?.[kind] || [];
  const own = cat?.own?.[kind] || [];
  return englishItems.map((item) => {
    const i = en.indexOf(item);
    return i >= 0 && own[i] ? own[i] : item;
  });
}
