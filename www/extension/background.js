// The extension's checker: the WebAssembly module runs here, in the extension's
// own service worker (Firefox: event page), never in the web page. Content
// scripts send a photo's bytes (base64, because extension messages are JSON)
// and get back a report, or a safer copy.
// Messages: {type:'check', name, b64} → {report}
//           {type:'clean', b64}       → {b64, format, removed, kept, report}
//           anything failing          → {error}
// After a wasm trap the instance must not be used again: we reload the
// extension's background (the page gets an error for that one photo).

import init, { check, clean } from './pkg/thinktwice.js';

let ready = null;
function start() {
  ready ||= init({ module_or_path: chrome.runtime.getURL('pkg/thinktwice_bg.wasm') });
  return ready;
}

const catalogs = new Map();
async function catalog() {
  const lang = String(navigator.language || 'en').toLowerCase().split('-')[0];
  if (lang === 'en' || !/^[a-z]{2,3}$/.test(lang)) return null;
  if (!catalogs.has(lang)) {
    catalogs.set(lang, fetch(chrome.runtime.getURL(`i18n/${lang}.json`)).then((r) => (r.ok ? r.json() : null), () => null));
  }
  return catalogs.get(lang);
}

/** Finding texts in the browser's language when a catalog has them. */
async function localise(report) {
  const cat = await catalog();
  if (!cat) return report;
  for (const f of report.findings || []) {
    const own = (cat.findings || {})[f.id] || {};
    for (const part of ['title', 'why', 'advice']) if (own[part]) f[part] = own[part];
  }
  return report;
}

function fromBase64(b64) {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
  const bin = atob(b64);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
  return out;
}

function toBase64(bytes) {
  if (bytes.toBase64) return bytes.toBase64();
  let s = '';
  for (let i = 0; i < bytes.length; i += 0x8000) s += String.fromCharCode.apply(null, bytes.subarray(i, i + 0x8000));
  return btoa(s);
}

async function handle(msg) {
  await start();
  try {
    if (msg.type === 'check') {
      return { report: await localise(check(fromBase64(msg.b64), String(msg.name || ''))) };
    }
    if (msg.type === 'clean') {
      const c = clean(fromBase64(msg.b64), '{}');
      return { b64: toBase64(c.bytes), format: c.format, removed: c.removed, kept: c.kept, report: c.report };
    }
    return { error: 'unknown request' };
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) setTimeout(() => chrome.runtime.reload(), 100);
    return { error: String((err && err.message) || err) };
  }
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || (msg.type !== 'check' && msg.type !== 'clean')) return false;
  handle(msg).then(sendResponse, (err) => sendResponse({ error: String((err && err.message) || err) }));
  return true; // answer asynchronously
});
