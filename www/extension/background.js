// The extension's checker: the WebAssembly core runs here, in the extension's
// own service worker (Firefox: event page), never in the web page. Faces and
// codes are looked for by the shared picture client (../engine/picture.js),
// which needs a Worker: Chromium's service worker has none, so there it runs in
// an offscreen document (offscreen.html, made on the first photo); Firefox's
// event page runs it itself; it answers plain boxes, which the core here adds to
// the report (withFaces / withCodes). Content scripts send a photo's bytes (base64,
// because extension messages are JSON) and get back the report, faces and
// codes included, with the card's texts in the browser's language (from the
// shared catalog, ./i18n/catalog.js), or a safer copy whose covered boxes the
// core chooses (coverBoxes). A copy that draws the picture again (boxes covered,
// a TIFF, a lossless WebP) is made by the picture client too: the core module
// has no image codecs.
// Messages: {type:'check', name, b64}                → {report, texts}
//           {type:'clean', b64, report?, coverFaces} → {b64, format, type, removed, kept, covered, report}
//           anything failing                         → {error}
// After a wasm trap the instance must not be used again: we reload the
// extension's background (the page gets an error for that one photo).
// It never fetches anything but the extension's own files.

import init, { check, clean, coverBoxes, withFaces, withCodes } from './pkg/thinktwice.js';
import { copyType } from './engine/engine.js';
import { Picture } from './engine/picture.js';
import * as catalog from './i18n/catalog.js';
import { fromBase64, toBase64 } from './base64.js';

const I18N = new URL('./i18n/', import.meta.url);
/** The card's texts, by the name the content script knows them by. */
const CARD_TEXTS = ['title', 'safer', 'as_is', 'cancel', 'original', 'no_copy', 'small', 'faces_hint', 'send_covered', 'dont_ask'];

let ready = null;
function start() {
  ready ||= init({ module_or_path: chrome.runtime.getURL('pkg/thinktwice_bg.wasm') });
  return ready;
}

let catalogPromise = null;
/** The catalog of the browser's language (English when there is none). */
function browserCatalog() {
  catalogPromise ||= catalog.fetchLanguages(I18N).then((codes) =>
    catalog.loadCatalog(catalog.pickLanguage(navigator.languages || [navigator.language], codes), I18N));
  return catalogPromise;
}

/** The card's words for this report (faces counted), in the browser's language. */
function cardTexts(cat, report) {
  const texts = Object.fromEntries(CARD_TEXTS.map((k) => [k, catalog.text(cat, `ext.${k}`)]));
  const faces = (report.faces || []).length;
  if (faces) texts.faces_question = catalog.plural(cat, 'ext.faces_question', faces);
  return texts;
}

// ------------------------------------------------------------ the picture look

let picture = null;
let offscreen = null;

/** {report, faces, codes, found} from the picture client, here (Firefox) or in the offscreen document (Chromium). */
async function look(b64, report) {
  if (typeof Worker === 'function') {
    picture ||= new Picture();
    return picture.look(new Blob([fromBase64(b64)]), report);
  }
  await openOffscreen();
  const answer = await chrome.runtime.sendMessage({ target: 'offscreen', type: 'look', b64, report });
  return answer || { report, faces: 'failed', codes: 'failed', found: {} };
}

/** The report with the faces and codes the picture client found, added by the core. */
async function lookAndAdd(b64, report) {
  const { found = {} } = await look(b64, report);
  // JSON text in and out (src/wasm/core.rs).
  if (found.faces) report = JSON.parse(withFaces(JSON.stringify(report), JSON.stringify(found.faces)));
  if (found.codes) report = JSON.parse(withCodes(JSON.stringify(report), JSON.stringify(found.codes)));
  return report;
}

/** The safer copy that draws the picture again, from the picture client (here or offscreen), like the core's clean. */
async function redraw(b64, options) {
  if (typeof Worker === 'function') {
    picture ||= new Picture();
    return picture.redraw(fromBase64(b64), options);
  }
  await openOffscreen();
  const answer = await chrome.runtime.sendMessage({ target: 'offscreen', type: 'clean', b64, options });
  if (!answer || answer.error) throw new Error(answer?.error || 'no safer copy');
  return { ...answer, bytes: fromBase64(answer.b64) };
}

function openOffscreen() {
  offscreen ||= (async () => {
    const contexts = await chrome.runtime.getContexts?.({ contextTypes: ['OFFSCREEN_DOCUMENT'] });
    if (contexts?.length) return;
    await chrome.offscreen.createDocument({
      url: 'offscreen.html', reasons: ['WORKERS'],
      justification: 'Look for faces and codes in a photo, on this device, before a page gets it.',
    });
  })().catch((err) => { offscreen = null; throw err; });
  return offscreen;
}

// ------------------------------------------------------------ requests

async function handle(msg) {
  await start();
  try {
    if (msg.type === 'check') {
      let report = check(fromBase64(msg.b64), String(msg.name || ''));
      if (!report.error) {
        try {
          report = await lookAndAdd(msg.b64, report);
        } catch (err) {
          console.warn('ThinkTwice: picture not checked:', err); // the metadata verdict still stands
        }
      }
      const cat = await browserCatalog();
      return { report: catalog.localiseReport(report, cat), texts: cardTexts(cat, report) };
    }
    if (msg.type === 'clean') {
      const cover = msg.report ? coverBoxes(msg.report, Boolean(msg.coverFaces)) : [];
      let c = cover.length ? null : clean(fromBase64(msg.b64), JSON.stringify({ cover }));
      if (!c || c.reencode) c = await redraw(msg.b64, { cover });
      return { b64: toBase64(c.bytes), format: c.format, type: copyType(c.format), removed: c.removed, kept: c.kept, covered: cover, report: c.report };
    }
    return { error: 'unknown request' };
  } catch (err) {
    if (err instanceof WebAssembly.RuntimeError) setTimeout(() => chrome.runtime.reload(), 100);
    return { error: String((err && err.message) || err) };
  }
}

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || msg.target === 'offscreen' || (msg.type !== 'check' && msg.type !== 'clean')) return false;
  handle(msg).then(sendResponse, (err) => sendResponse({ error: String((err && err.message) || err) }));
  return true; // answer asynchronously
});
