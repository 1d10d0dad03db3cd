// The extension's offscreen document (Chromium only): a page the background
// opens because its service worker cannot start Workers. It only runs the
// shared picture client (../engine/picture.js → app/faces-worker.js) for the
// background and answers {target:'offscreen', type:'look', b64, report} with
// {report, faces, codes}. It never fetches anything but the extension's own
// files and never answers the content scripts' messages.

import { Picture } from './engine/picture.js';
import { fromBase64 } from './base64.js';

const picture = new Picture();

chrome.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  if (!msg || msg.target !== 'offscreen' || msg.type !== 'look') return false;
  picture.look(new Blob([fromBase64(msg.b64)]), msg.report)
    .then(sendResponse, () => sendResponse({ report: msg.report, faces: 'failed', codes: 'failed' }));
  return true;
});
