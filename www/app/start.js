// Starts the page's workers as early as the page allows: the checker (engine/engine.js) at once,
// and the picture worker (engine/picture.js: face module, face model, code module) at once on a
// repeat visit (its files come from this device) or, on a first visit, as soon as the core's bytes
// are in (so they do not share a slow line with the core). index.html loads this file as an
// async module: it runs the moment its own few imports are here, without waiting for the rest of
// the page's scripts to arrive and compile (on a slow phone that wait was ~0.5 s of a repeat
// visit). app/app.js takes what it started. Owns nothing else: it must not touch the DOM, texts or
// any photo.

import { Engine } from '../engine/engine.js';
import { pictureWorker } from '../engine/picture.js';

/** A repeat visit: the service worker answered this page from the files stored on this device. */
export const openedFromDevice = Boolean(globalThis.navigator?.serviceWorker?.controller);

/** The page's checker; place names only when the page asks (app.js: once a photo is chosen). */
export const engine = new Engine({ places: 'later' });

/** engine.start(): resolves once the checker is ready, rejects when it cannot start here (app.js says so). */
export const engineStarting = engine.start();
engineStarting.catch(() => {}); // reported by app.js, once its texts are there

/**
 * The picture worker's handle (pictureWorker(): {client, downloaded, faceFiles}) once its files are
 * asked for; its worker is started then too. Never rejects.
 */
export const picture = (openedFromDevice ? Promise.resolve() : engine.compiled).then(() => {
  const handle = pictureWorker({ fromDevice: openedFromDevice });
  handle.client.ready().catch(() => {}); // starts the worker and the downloads; app/faces.js reports failures
  return handle;
});
