// Helper of scripts/build-single-file.sh: writes ONE self-contained HTML file
// (the full app: JS, CSS, catalogs, the core wasm and, for faces, codes and
// covered copies, the face, code and copy wasm and the face model, as base64) that works opened from file://
// with no server and no network.
//
// How, without a bundler: the app's ES modules are wrapped one by one in
// function scopes (imports become lookups in a module table, exports become the
// scope's return value), inside one inline module script. That script shadows
// `fetch` (answered from the inlined files) and `Worker` (the checking worker
// is created from a Blob URL holding the wasm-bindgen glue + www/engine/worker.js;
// the picture worker likewise from the face and code glues + www/app/faces-worker.js,
// the copy worker from the copy glue + www/engine/copy-worker.js; each with the shared
// message loop www/engine/serve.js when it imports it; the page's `fetch`
// answers their wasm and the model from memory).
// Any import/export form this tiny rewriter does not know stops the build.
// The CSP stays strict: the inline script and style are allowed by hash only.
//
// Usage: node scripts/single-file.mjs WWW_DIR OUT_FILE
import fs from 'node:fs';
import path from 'node:path';
import crypto from 'node:crypto';

const [www, out] = process.argv.slice(2);
const read = (p) => fs.readFileSync(path.join(www, p), 'utf8');

// ---- the app's modules, dependencies first
const ORDER = ['i18n/catalog.js', 'engine/client.js', 'engine/copy.js', 'engine/picture.js', 'app/i18n.js', 'app/map.js', 'app/dom.js', 'app/place.js', 'app/codes.js', 'app/share.js', 'app/safer.js', 'app/faces.js', 'app/render.js', 'app/samples.js', 'app/classroom.js', 'engine/engine.js', 'app/start.js', 'app/offline.js', 'app/app.js'];

function wrapModule(file) {
  let src = read(file);
  const exports = [];
  const key = (spec) => { // '../engine/engine.js' from app/app.js → 'engine/engine.js', which must come earlier in ORDER
    const resolved = path.posix.join(path.posix.dirname(file), spec);
    if (ORDER.indexOf(resolved) < 0 || ORDER.indexOf(resolved) > ORDER.indexOf(file)) throw new Error(`${file}: ${resolved} is not earlier in ORDER`);
    return resolved;
  };
  src = src.replace(/^import \* as (\w+) from '(\.\.?\/[\w/]+\.js)';$/gm, (m, ns, spec) => `const ${ns} = __modules['${key(spec)}'];`);
  src = src.replace(/^import \{([^}]*)\} from '(\.\.?\/[\w/]+\.js)';$/gm, (m, names, spec) =>
    `const {${names.replace(/\bas\b/g, ':')}} = __modules['${key(spec)}'];`);
  src = src.replace(/^export (async function|function|class|const|let) (\w+)/gm, (m, kind, name) => {
    exports.push(name);
    return `${kind} ${name}`;
  });
  const leftover = src.match(/^\s*(import|export)\b.*$/m);
  if (leftover) throw new Error(`${file}: the single-file rewriter does not know "${leftover[0].trim()}"`);
  return `__modules['${file}'] = (() => {\n${src}\nreturn { ${exports.join(', ')} };\n})();\n`;
}

// ---- the workers' shared message loop (www/engine/serve.js), for all three worker scripts: the one that
// imports it gets it wrapped like an app module (its `export`s dropped, see wrapModule) in front of its body,
// and its `import {…} from './serve.js'` line (or '../engine/serve.js') becomes a lookup in it. Any other
// import/export left in a worker stops the build.
const SHARED = 'engine/serve.js';
function withShared(file, src) {
  let used = false;
  src = src.replace(/^import \{([\w\s,]*)\} from '(\.\.?\/[\w/]+\.js)';$/gm, (m, names, spec) => {
    if (path.posix.join(path.posix.dirname(file), spec) !== SHARED) throw new Error(`${file}: the single-file rewriter does not know "${m}"`);
    used = true;
    return `const {${names.replace(/\bas\b/g, ':')}} = __modules['${SHARED}'];`;
  });
  const leftover = src.match(/^\s*(import|export)\b.*$/m);
  if (leftover) throw new Error(`${file}: the single-file rewriter does not know "${leftover[0].trim()}"`);
  return used ? `const __modules = {};\n${wrapModule(SHARED)}\n${src}` : src;
}

// ---- the worker: glue + worker body, one module script from a Blob URL
// Chromium refuses MODULE workers from Blob URLs on file:// pages, so the glue
// becomes a classic script: drop `export`, and import.meta.url (only used when no
// module is passed in, which never happens here) becomes the worker's own URL.
let glue = read('pkg/thinktwice.js');
glue = glue.replace(/^export \{[^}]*\};?$/m, '').replace(/^export (function|class|const|let) /gm, '$1 ')
  .replace(/import\.meta\.url/g, 'self.location.href');
if (/^\s*(import|export)\b/m.test(glue)) throw new Error('pkg/thinktwice.js: unknown import/export form');
let worker = read('engine/worker.js');
const importLine = /^import init, \{[\w\s,]*\} from '\.\.\/pkg\/thinktwice\.js';$/m;
if (!importLine.test(worker)) throw new Error('engine/worker.js: unexpected import line');
worker = withShared('engine/worker.js', worker.replace(importLine, 'const init = __wbg_init;'));
const workerSrc = `${glue}\n${worker}`;

// ---- the picture and copy workers: wasm-bindgen glues + worker body, one classic script each, the wasm
// inlined. Each glue is wrapped in a function scope (two glues in one script would clash) that returns its
// exports; the worker's import lines become lookups in them. import.meta.url becomes a made-up
// hierarchical URL (a Blob URL cannot resolve relative paths); nothing reaches the network.
const PICTURE_BASE = 'file:///thinktwice/';
const b64 = (p) => fs.readFileSync(path.join(www, p)).toString('base64');
function wrapGlue(part) {
  const file = `pkg-${part}/thinktwice_${part}.js`;
  const exports = ['__wbg_init'];
  let glue = read(file).replace(/^export \{[^}]*\};?$/m, '').replace(/^export (function|class|const|let) (\w+)/gm, (m, kind, name) => {
    exports.push(name);
    return `${kind} ${name}`;
  }).replace(/import\.meta\.url/g, `'${PICTURE_BASE}${file}'`);
  if (/^\s*(import|export)\b/m.test(glue)) throw new Error(`${file}: unknown import/export form`);
  return `const __glue_${part} = (() => {\n${glue}\nreturn { ${exports.join(', ')} };\n})();\n`;
}
/** A worker script with its `import init, {…} from '../pkg-X/thinktwice_X.js'` lines answered by the wrapped glues. */
function workerScript(file) {
  let src = read(file);
  const parts = [];
  src = src.replace(/^import (\w+), \{([\w\s,]*)\} from '\.\.\/pkg-(\w+)\/thinktwice_\3\.js';$/gm, (m, init, names, part) => {
    parts.push(part);
    return `const { __wbg_init: ${init}, ${names.trim()} } = __glue_${part};`;
  });
  if (!parts.length) throw new Error(`${file}: unexpected import line`);
  src = withShared(file, src);
  src = src.replace(/import\.meta\.url/g, `'${PICTURE_BASE}${file}'`);
  // The page fetches the wasm and the model (engine/client.js hands them over); the worker never fetches.
  return `// ---- single-file worker ${file} (see scripts/single-file.mjs)
const fetch = async () => new Response('not in this file', { status: 404 });
${parts.map(wrapGlue).join('\n')}
${src}`;
}
const pictureSrc = workerScript('app/faces-worker.js');
const copySrc = workerScript('engine/copy-worker.js');
const pictureFiles = Object.fromEntries(['pkg-faces/thinktwice_faces_bg.wasm', 'pkg-codes/thinktwice_codes_bg.wasm',
  'pkg-copy/thinktwice_copy_bg.wasm', 'models/centerface.ttfw'].map((f) => [f, b64(f)]));

// ---- files the app fetches, answered from memory
const files = {};
const languages = JSON.parse(read('i18n/languages.json'));
files['i18n/languages.json'] = { type: 'application/json', text: JSON.stringify(languages) };
for (const code of languages) files[`i18n/${code}.json`] = { type: 'application/json', text: JSON.stringify(JSON.parse(read(`i18n/${code}.json`))) };
const wasmB64 = fs.readFileSync(path.join(www, 'pkg/thinktwice_bg.wasm')).toString('base64');

const prelude = `
// ---- single-file shims (see scripts/single-file.mjs)
const __modules = {};
const __files = ${JSON.stringify(files)};
const __wasmB64 = "${wasmB64}";
const __workerSrc = ${JSON.stringify(workerSrc)};
const __pictureSrc = ${JSON.stringify(pictureSrc)};
const __copySrc = ${JSON.stringify(copySrc)};
const __pictureFiles = ${JSON.stringify(pictureFiles)};
function __wasmBytes() {
  if (Uint8Array.fromBase64) return Uint8Array.fromBase64(__wasmB64);
  const bin = atob(__wasmB64); const b = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i++) b[i] = bin.charCodeAt(i);
  return b;
}
/** The app's fetches, answered from the inlined files: this page never uses the network. */
const fetch = async (url) => {
  const key = String(url).split('/').slice(-2).join('/');
  if (key === 'pkg/thinktwice_bg.wasm') return new Response(__wasmBytes(), { headers: { 'content-type': 'application/wasm' } });
  if (__pictureFiles[key]) {
    const bin = atob(__pictureFiles[key]); const bytes = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) bytes[i] = bin.charCodeAt(i);
    return new Response(bytes, { headers: { 'content-type': key.endsWith('.wasm') ? 'application/wasm' : 'application/octet-stream' } });
  }
  const f = __files[key];
  if (!f) return new Response('not in this file', { status: 404 });
  return new Response(f.text, { headers: { 'content-type': f.type } });
};
const __workerUrls = {};
/** The checking, picture and copy workers, from Blob URLs (file:// pages cannot load worker files); classic ones (see above). */
const Worker = function (url, options) {
  const which = String(url).includes('faces-worker') ? 'picture' : String(url).includes('copy-worker') ? 'copy' : 'check';
  const src = { picture: __pictureSrc, copy: __copySrc, check: __workerSrc }[which];
  __workerUrls[which] ||= URL.createObjectURL(new Blob([src], { type: 'text/javascript' }));
  return new globalThis.Worker(__workerUrls[which], { ...options, type: 'classic' });
};
`;

const script = prelude + ORDER.map(wrapModule).join('\n');
const style = read('app/styles.css');
const hash = (s) => `'sha256-${crypto.createHash('sha256').update(s).digest('base64')}'`;

let html = read('index.html');
const csp = `default-src 'none'; script-src ${hash(script)} 'wasm-unsafe-eval'; worker-src blob:; ` +
  `img-src blob: data:; style-src ${hash(style)}; connect-src 'none'; object-src 'none'; base-uri 'none'; form-action 'none'`;
const swap = (re, value, what) => {
  if (!re.test(html)) throw new Error(`index.html: cannot find ${what}`);
  html = html.replace(re, () => value);
};
swap(/<meta http-equiv="Content-Security-Policy" content="[^"]*">/, `<meta http-equiv="Content-Security-Policy" content="${csp}">`, 'the CSP');
swap(/<link rel="stylesheet" href="app\/styles.css">/, `<style>${style}</style>`, 'the stylesheet');
swap(/<script type="module" src="app\/app.js"><\/script>/, `<script type="module">${script}</script>`, 'the app script');
swap(/<!-- Async: starts the workers[^\n]*\n<script type="module" async src="app\/start.js"><\/script>\n/, '', 'the start script (inlined with the app)');
html = html.replace(/<link rel="manifest"[^>]*>\n?/, ''); // no service worker or install from file://
html = html.replace(/<!-- On a slow line[\s\S]*?-->\n/, '').replace(/<link rel="(?:modulepreload|preload)"[^>]*>\n/g, ''); // all inlined
fs.mkdirSync(path.dirname(out), { recursive: true });
fs.writeFileSync(out, html);
console.log(`single-file: ${out} ${html.length} bytes`);
