// ThinkTwice content script: checks a photo BEFORE the page gets it.
//
// How: capture-phase listeners on `window` for `input`/`change` (file inputs)
// and `drop` run before any listener of the page. When the files include a
// photo, the event is stopped (stopImmediatePropagation), the photo is checked
// by the extension's background (the wasm never runs in the page; faces and
// codes included), and:
//   - nothing worth a warning → the same event is sent again at once;
//   - faces are the only thing worth a warning → a gentle card ("This photo
//     shows 3 faces. Is this a site you trust with them?"): Send with faces
//     covered / Send as it is, and "don't ask again on this site" (kept in the
//     extension's own storage, per origin, so photo sites do not nag);
//   - otherwise a warning card offers Send a safer copy / Send as it is /
//     Cancel (the page gets nothing).
// A chosen copy is put in input.files or in the drop's DataTransfer, then the
// events are sent again. The card lives in a CLOSED Shadow DOM, and only
// clicks that really come from the user (isTrusted) count, so the page can
// neither read it nor press its buttons. Its words come from the background,
// in the browser's language (the shared catalog).
//
// Cannot intercept (see README): files read without an <input>/drop event
// (e.g. showOpenFilePicker, paste), a page that reads input.files before the
// change event, drops handled on `dragover` only, and closed shadow roots of
// the page's own components (events are still caught at window, but the input
// is found through composedPath only for open roots).

(() => {
  if (window.__thinktwiceInjected) return;
  window.__thinktwiceInjected = true;

  const MAX_BYTES = 40 * 1024 * 1024; // messages carry base64; bigger files pass unchecked
  const WARN_RISKS = new Set(['high', 'people', 'medium']);
  const IMAGE_EXT = /\.(jpe?g|png|webp|gif|tiff?|heic|heif|hif|avif|dng|mpo)$/i;
  const isPhoto = (f) => (f.type || '').startsWith('image/') || IMAGE_EXT.test(f.name || '');
  const pending = new WeakMap(); // input → true while a check runs for it
  let replaying = false; // true while we re-dispatch: let those events through

  // ------------------------------------------------------------ file inputs

  function onInputEvent(event) {
    if (replaying) return;
    const input = event.composedPath()[0];
    if (!(input instanceof HTMLInputElement) || input.type !== 'file') return;
    const files = [...(input.files || [])];
    if (!files.some(isPhoto)) return;
    event.stopImmediatePropagation();
    if (pending.get(input)) return; // `input` and `change` of one choice: handle once
    pending.set(input, true);
    // The events of this choice finish in this task; start after them.
    setTimeout(() => decide(files).then((choice) => {
      pending.delete(input);
      if (choice.action === 'cancel') { input.value = ''; return; }
      if (choice.files) {
        const dt = new DataTransfer();
        for (const f of choice.files) dt.items.add(f);
        input.files = dt.files;
      }
      replay(() => {
        input.dispatchEvent(new Event('input', { bubbles: true, composed: true }));
        input.dispatchEvent(new Event('change', { bubbles: true }));
      });
    }), 0);
  }

  // ------------------------------------------------------------ drops

  function onDrop(event) {
    if (replaying || !event.dataTransfer) return;
    const files = [...(event.dataTransfer.files || [])];
    if (!files.some(isPhoto)) return;
    event.stopImmediatePropagation();
    event.preventDefault(); // or the browser would open the file itself
    const target = event.composedPath()[0];
    const init = {
      bubbles: true, cancelable: true, composed: true,
      clientX: event.clientX, clientY: event.clientY, screenX: event.screenX, screenY: event.screenY,
      ctrlKey: event.ctrlKey, shiftKey: event.shiftKey, altKey: event.altKey, metaKey: event.metaKey,
    };
    decide(files).then((choice) => {
      if (choice.action === 'cancel') return;
      const dt = new DataTransfer();
      for (const f of choice.files || files) dt.items.add(f);
      replay(() => target.dispatchEvent(new DragEvent('drop', { ...init, dataTransfer: dt })));
    });
  }

  function replay(fn) {
    replaying = true;
    try { fn(); } finally { replaying = false; }
  }

  window.addEventListener('input', onInputEvent, true);
  window.addEventListener('change', onInputEvent, true);
  window.addEventListener('drop', onDrop, true);

  // ------------------------------------------------------------ checking

  /** The findings worth a warning (the core's severities). */
  const warnings = (report) => (report.findings || []).filter((f) => f.severity === 'high' || f.severity === 'medium');
  const QUIET_KEY = `quiet-faces:${location.origin}`;

  /** Checks the photos; resolves {action: 'continue'|'cancel'|'safer'|'cover', files?}. */
  async function decide(files) {
    const t0 = performance.now();
    const checked = [];
    for (const file of files) {
      if (!isPhoto(file) || file.size > MAX_BYTES) { checked.push({ file }); continue; }
      try {
        const answer = await ask({ type: 'check', name: file.name, b64: await toBase64(file) });
        checked.push({ file, report: answer.report, texts: answer.texts, error: answer.error });
      } catch (err) {
        checked.push({ file, error: String(err.message || err) });
      }
    }
    const risky = checked.filter((c) => c.report && WARN_RISKS.has(c.report.risk));
    if (!risky.length) return { action: 'continue' };
    const facesOnly = risky.every((c) => warnings(c.report).every((f) => f.id === 'faces'));
    if (facesOnly && await quietHere()) return { action: 'continue' };
    const { action, dontAsk } = await showCard(risky, performance.now() - t0, facesOnly ? 'faces' : 'warn');
    if (dontAsk) await chrome.storage.local.set({ [QUIET_KEY]: true }).catch(() => {});
    if (action !== 'safer' && action !== 'cover') return { action };
    const out = [];
    for (const c of checked) {
      if (!c.report || !WARN_RISKS.has(c.report.risk)) { out.push(c.file); continue; }
      const answer = await ask({ type: 'clean', b64: await toBase64(c.file), report: c.report, coverFaces: action === 'cover' });
      if (answer.error) {
        // No safer copy for this one: say so and let the person choose again.
        const again = await showCard([{ ...c, cleanError: answer.error }], 0, 'failed');
        if (again.action === 'cancel') return { action: 'cancel' };
        out.push(c.file);
        continue;
      }
      out.push(new File([fromBase64(answer.b64)], c.file.name, { type: answer.type || c.file.type, lastModified: Date.now() }));
    }
    return { action, files: out };
  }

  /** Whether the person said "don't ask again" about faces on this site. */
  async function quietHere() {
    try {
      return Boolean((await chrome.storage.local.get(QUIET_KEY))[QUIET_KEY]);
    } catch {
      return false;
    }
  }

  function ask(msg) {
    return new Promise((resolve, reject) => {
      try {
        chrome.runtime.sendMessage(msg, (answer) => {
          const err = chrome.runtime.lastError;
          if (err) reject(new Error(err.message));
          else resolve(answer || { error: 'no answer' });
        });
      } catch (err) { reject(err); }
    });
  }

  function toBase64(file) {
    return new Promise((resolve, reject) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result).replace(/^data:[^,]*,/, ''));
      reader.onerror = () => reject(reader.error || new Error('could not read the file'));
      reader.readAsDataURL(file); // native base64: fast even for 12 MP photos
    });
  }

  function fromBase64(b64) {
    if (Uint8Array.fromBase64) return Uint8Array.fromBase64(b64);
    const bin = atob(b64);
    const out = new Uint8Array(bin.length);
    for (let i = 0; i < bin.length; i++) out[i] = bin.charCodeAt(i);
    return out;
  }

  // ------------------------------------------------------------ the card

  const STYLE = `
  :host { all: initial; }
  .card { position: fixed; z-index: 2147483647; right: 16px; bottom: 16px; width: min(380px, calc(100vw - 32px));
    background: #fff; color: #1d1d1f; border: 2px solid #c92a2a; border-radius: 12px; padding: 14px 16px;
    box-shadow: 0 8px 30px rgba(0,0,0,.25); font: 15px/1.4 system-ui, sans-serif; }
  h2 { font-size: 17px; margin: 0 0 6px; }
  .file { font-weight: 600; overflow-wrap: anywhere; margin: 0 0 4px; }
  ul { margin: 4px 0 10px; padding-left: 20px; }
  li { margin: 3px 0; }
  .err { color: #9a3412; }
  .row { display: flex; gap: 8px; flex-wrap: wrap; }
  button { font: inherit; font-weight: 600; padding: 7px 10px; border-radius: 8px; border: 1px solid #6b7280;
    background: #f3f4f6; color: #111; cursor: pointer; }
  button.primary { background: #2b8a3e; border-color: #2b8a3e; color: #fff; }
  button:focus-visible { outline: 3px solid #3b5bdb; outline-offset: 2px; }
  .small { font-size: 12px; color: #4b5563; margin: 8px 0 0; }
  .card.faces { border-color: #e8590c; }
  .quiet { display: block; margin: 0 0 10px; }`;

  const SEVERITY = { high: 0, medium: 1, low: 2, info: 3 };

  /**
   * Shows a card and resolves {action, dontAsk} once the person clicks. kind: 'warn' (findings),
   * 'faces' (faces are the only worry: the gentle question), 'failed' (no safer copy could be made).
   * Texts from the photo go in as textContent only; the card's words come with the report.
   */
  function showCard(items, ms, kind) {
    const texts = items[0].texts || {};
    const say = (key, fallback) => texts[key] || fallback;
    return new Promise((resolve) => {
      const host = document.createElement('thinktwice-warning');
      host.dataset.state = 'shown';
      host.dataset.kind = kind;
      host.dataset.ms = String(Math.round(ms));
      const root = host.attachShadow({ mode: 'closed' });
      const card = el('div', `card ${kind}`);
      card.setAttribute('role', 'alertdialog');
      card.setAttribute('aria-labelledby', 'tt-title');
      const heading = kind === 'faces' && items.length === 1 ? say('faces_question', say('title', 'Think twice before this page gets your photo'))
        : say('title', 'Think twice before this page gets your photo');
      const title = el('h2', null, heading);
      title.id = 'tt-title';
      card.append(title);
      if (kind === 'faces') card.append(el('p', null, say('faces_hint', '')));
      for (const item of items) {
        card.append(el('p', 'file', item.file.name || 'photo'));
        if (item.cleanError) card.append(el('p', 'err', say('no_copy', 'No safer copy could be made: {reason}').replace('{reason}', item.cleanError)));
        if (kind === 'faces') continue;
        const list = el('ul');
        const top = [...(item.report.findings || [])]
          .sort((a, b) => (SEVERITY[a.severity] ?? 9) - (SEVERITY[b.severity] ?? 9)).slice(0, 3);
        for (const f of top) list.append(el('li', null, f.title));
        card.append(list);
      }
      let dontAsk = false;
      if (kind === 'faces') {
        const label = el('label', 'quiet');
        const box = el('input');
        box.type = 'checkbox';
        box.dataset.action = 'dont-ask';
        // Only the person's own click counts; the page cannot reach a closed root, but be sure.
        box.addEventListener('change', (e) => { dontAsk = e.isTrusted ? box.checked : dontAsk; });
        label.append(box, ` ${say('dont_ask', "Don't ask again on this site")}`);
        card.append(label);
      }
      const row = el('div', 'row');
      const buttons = {
        warn: [['safer', say('safer', 'Send a safer copy')], ['continue', say('as_is', 'Send as it is')], ['cancel', say('cancel', 'Cancel')]],
        faces: [['cover', say('send_covered', 'Send with faces covered')], ['continue', say('as_is', 'Send as it is')]],
        failed: [['continue', say('original', 'Send the original')], ['cancel', say('cancel', 'Cancel')]],
      }[kind];
      for (const [action, label] of buttons) {
        const b = el('button', action === 'safer' || action === 'cover' ? 'primary' : null, label);
        b.type = 'button';
        b.dataset.action = action;
        b.addEventListener('click', (e) => {
          if (!e.isTrusted) return; // the page cannot choose for you
          host.remove();
          resolve({ action, dontAsk });
        });
        row.append(b);
      }
      card.append(row, el('p', 'small', say('small', 'Checked by ThinkTwice on this device. Nothing was uploaded.')));
      adoptStyle(root);
      root.append(card);
      (document.body || document.documentElement).append(host);
      root.querySelector('button').focus();
    });
  }

  /** A constructed sheet: unlike an inline <style>, the page's CSP cannot block it. */
  function adoptStyle(root) {
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(STYLE);
      root.adoptedStyleSheets = [sheet];
    } catch {
      const style = document.createElement('style');
      style.textContent = STYLE;
      root.append(style);
    }
  }

  function el(tag, className, text) {
    const node = document.createElement(tag);
    if (className) node.className = className;
    if (text !== undefined) node.textContent = text;
    return node;
  }
})();
