// The one DOM helper every renderer shares. Strings become text nodes and
// attributes, never markup, so text from a photo can never become HTML.
// Also places boxes over a photo. Owns nothing else: no state, no texts.

/** Small DOM helper: h('p', {class: 'x'}, 'text', child). Strings become text nodes. */
export function h(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (v === undefined || v === null || v === false) continue;
    if (k === 'class') node.className = v;
    else if (k === 'text') node.textContent = v;
    else if (k.startsWith('on')) node.addEventListener(k.slice(2), v);
    else node.setAttribute(k, v === true ? '' : String(v));
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
  return node;
}

/** Places `el` over a picture of `size` (pixels) at `box` ({x, y, w, h} in those pixels), in percent so it follows the displayed size. */
export function placeOnPicture(el, box, size) {
  el.style.left = `${(100 * box.x) / size.width}%`;
  el.style.top = `${(100 * box.y) / size.height}%`;
  el.style.width = `${(100 * box.w) / size.width}%`;
  el.style.height = `${(100 * box.h) / size.height}%`;
  return el;
}
