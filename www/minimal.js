// Minimal ThinkTwice page: pick a file, show what it gives away. All page
// text goes through textContent (never innerHTML): metadata is hostile input.
// State for people and tests: body[data-state] = loading | idle | working | done | error.
import { Engine } from './engine/engine.js';

const $ = (id) => document.getElementById(id);
const engine = new Engine();

function setState(state, message) {
  document.body.dataset.state = state;
  $('status').textContent = message;
}

function el(tag, text, attrs = {}) {
  const node = document.createElement(tag);
  if (text !== undefined) node.textContent = text;
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  return node;
}

function renderFinding(f) {
  const li = el('li', undefined, { 'data-finding': f.id, 'data-severity': f.severity });
  li.append(el('strong', f.title), el('p', f.why), el('p', f.advice));
  const evidence = el('ul', undefined, { class: 'evidence' });
  for (const e of f.evidence || []) evidence.append(el('li', `${e.source} ${e.field}: ${e.value}`));
  if (evidence.childElementCount) li.append(evidence);
  return li;
}

function render(report) {
  $('result-file').textContent = report.file;
  const size = report.image ? `, ${report.image.width} × ${report.image.height} pixels` : '';
  $('result-summary').textContent = `${report.format}${size}. Risk: ${report.risk}.`;
  $('findings').replaceChildren(...report.findings.map(renderFinding));
  $('result').hidden = false;
}

async function onFile(file) {
  setState('working', `Checking ${file.name}…`);
  $('result').hidden = true;
  try {
    const report = await engine.check(file); // rejects with a plain sentence (EngineError)
    render(report);
    if (report.error) setState('error', report.error);
    else if (report.findings.length) setState('done', `Found ${report.findings.length} thing(s) this photo gives away.`);
    else setState('done', 'Nothing found in the parts ThinkTwice checks.');
  } catch (e) {
    setState('error', e.message);
  }
}

$('file').addEventListener('change', async (event) => {
  for (const file of event.target.files) await onFile(file);
});

engine.start().then(() => engine.version()).then((version) => {
  $('version').textContent = `ThinkTwice ${version}`;
  $('file').disabled = false;
  setState('idle', 'Ready. Choose a photo.');
}, (e) => setState('error', e.message));
