// The extension's offscreen document (Chromium only): a page the background
// opens because its service worker cannot start Workers. It only runs the
// shared picture client (../engine/picture.js → app/faces-worker.js) for the
// background and answers {target:'offscreen', type:'look', b64, report} with
// {report, faces, codes, found} (found: the plain boxes, which the background's
// core adds to the report: this page has no core), and {target:'offscreen', type:'clean', b64, options} (a
// copy that draws the picture again) with {b64, format, removed, kept, report} or {error}. It never fetches anything but the extension's own
// files and never answers the content scripts' messages.

import { Picture } from './engine/picture.js';
import { fromBase64, toBase64 } from './base64.js';

const picture = new Picture();

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || msg.target !== 'offscreen') return false;
  if (msg.type === 'clean') {
    picture.redraw(fromBase64(msg.b64), msg.options || {}).then(
      (c) => sendResponse({ b64: toBase64(c.bytes), format: c.format, removed: c.removed, kept: c.kept, report: c.report }),
      (err) => sendResponse({ error: String((err && err.message) || err) }));
    return true;
  }
  if (msg.type !== 'look') return false;
  picture.look(new Blob([fromBase64(msg.b64)]), msg.report)
    .then(sendResponse, () => sendResponse({ report: msg.report, faces: 'failed', codes: 'failed', found: {} }));
  return true;
});
