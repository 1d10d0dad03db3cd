// The "For teachers" panel: sample photos to check in front of a class (drawn
// by samples.js, never a real person), projector mode (large text), the
// bilingual view (each card beside its copy in the other language), printing,
// and how to turn off camera location on the phones pupils have. Owns only
// these controls and body classes; checking and drawing cards stay in app.js
// and render.js. Nothing here touches the network: samples are drawn in the page.

import { t, language, languages } from './i18n.js';
import { h } from './dom.js';
import { SAMPLES, sampleFile, drawSample } from './samples.js';

const $ = (id) => document.getElementById(id);
let bilingual = false;

/**
 * Wires the panel. `check(files)` checks files like the picker does;
 * `redrawAll()` redraws every card (the bilingual view changed).
 */
export function initClassroom({ check, redrawAll }) {
  const details = $('classroom-details');
  // Samples are drawn the first time the panel opens, so a page that never needs them pays nothing.
  details.addEventListener('toggle', () => { if (details.open) drawSamples(check); });
  $('projector').addEventListener('click', (e) => toggle(e.currentTarget, 'projector'));
  $('bilingual').addEventListener('click', (e) => {
    bilingual = toggle(e.currentTarget, 'bilingual');
    redrawAll();
  });
  $('print').addEventListener('click', () => window.print());
  // Printing opens every detail, so paper shows all findings; they close again after.
  let opened = [];
  window.addEventListener('beforeprint', () => {
    opened = [...document.querySelectorAll('#results details:not([open])')];
    opened.forEach((d) => { d.open = true; });
  });
  window.addEventListener('afterprint', () => { opened.forEach((d) => { d.open = false; }); opened = []; });
}

function toggle(button, cls) {
  const on = document.body.classList.toggle(cls);
  button.setAttribute('aria-pressed', on ? 'true' : 'false');
  return on;
}

/** The other language of the bilingual view, or null when it is off. */
export function mirrorLanguage() {
  if (!bilingual) return null;
  const other = languages().map((l) => l.code).find((code) => code !== language());
  return other || null;
}

function drawSamples(check) {
  const box = $('samples');
  if (box.childElementCount) return;
  for (const sample of SAMPLES) {
    const preview = drawSample(sample);
    preview.setAttribute('aria-hidden', 'true');
    const button = h('button', { type: 'button', class: 'sample', 'data-sample': sample.id },
      preview,
      h('span', { class: 'sample-name', 'data-i18n': `sample.${sample.id}`, text: t(`sample.${sample.id}`) }),
      h('span', { class: 'hint', 'data-i18n': `sample.${sample.id}.hint`, text: t(`sample.${sample.id}.hint`) }));
    button.addEventListener('click', async () => check([await sampleFile(sample)]));
    box.append(button);
  }
}

/** The phone steps in the current language (called on every language switch). */
export function drawPhoneSteps() {
  const phones = t('steps.phones');
  $('phone-steps').replaceChildren(...(Array.isArray(phones) ? phones : []).map((p) =>
    h('div', { class: 'phone' },
      h('h4', { text: p.phone }),
      h('ul', {}, (p.ways || []).map((way) => h('li', { text: way }))))));
}
