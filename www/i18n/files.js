// The catalog files by name, for the doors a site may bundle (the web component and the npm
// package): each is written out as `new URL('literal', import.meta.url)`, the one form bundlers
// (Vite, webpack 5) find, so a build ships the files and rewrites their URLs. Hand this map to
// catalog.js as `base`. It must list every language in languages.json
// (tests/e2e/bundler.test.mjs checks that, and that Hindi works in a Vite build).
export const CATALOG_FILES = {
  'languages.json': new URL('./languages.json', import.meta.url),
  'en.json': new URL('./en.json', import.meta.url),
  'hi.json': new URL('./hi.json', import.meta.url),
};
