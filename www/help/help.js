// The "where to get help" page: kind steps and official contacts, in the person's
// language. Owns only this page's rendering; the words live in the i18n catalogs
// (help.*) and the contacts, each with its source, in help/contacts.json.
// Everything is set with textContent; the page fetches only this site's own files.
import * as i18n from '../app/i18n.js';

const STEPS = ['help.step.no_pay', 'help.step.keep', 'help.step.adult', 'help.step.report', 'help.step.remove'];

async function main() {
  await i18n.loadCatalogs();
  const asked = new URLSearchParams(location.search).get('lang');
  i18n.setLanguage(asked || i18n.pickInitialLanguage(), Boolean(asked));
  document.title = i18n.t('help.title');
  i18n.applyStatic();
  const steps = document.getElementById('steps');
  for (const key of STEPS) steps.append(item(i18n.t(key)));
  const response = await fetch(new URL('contacts.json', import.meta.url));
  const { contacts, checked } = await response.json();
  const list = document.getElementById('contacts');
  for (const c of contacts) list.append(contact(c));
  document.getElementById('checked').textContent = i18n.t('help.checked', { date: checked });
}

function item(text) {
  const li = document.createElement('li');
  li.textContent = text;
  return li;
}

/** One contact: what it is for, then the number to call or the site to open, and its source. */
function contact(c) {
  const li = item('');
  li.dataset.contact = c.id;
  const what = document.createElement('strong');
  what.textContent = i18n.t(`help.contact.${c.id}`);
  const link = document.createElement('a');
  link.textContent = c.kind === 'phone' ? c.value : c.value.replace(/^https:\/\//, '');
  link.href = c.kind === 'phone' ? `tel:${c.value}` : c.value;
  link.rel = 'noopener noreferrer';
  li.append(what, ' ', link);
  return li;
}

main().catch((e) => {
  document.getElementById('contacts').append(item(String(e && e.message || e)));
});
