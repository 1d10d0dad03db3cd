// Makes the app's PNG icons from www/icon.svg (run once by hand when the icon changes; the PNGs
// are committed, they are small): icons/icon-192.png and icon-512.png ("any": the icon as drawn)
// and icons/maskable-512.png ("maskable": the drawing shrunk into the safe circle, 80 % of the
// side, on a full-bleed background of the icon's own blue, so a launcher may crop it to any shape).
// Drawn by headless Chromium (the same renderer as the app), on a canvas, so the PNG is exact size.
//   node scripts/make-icons.mjs
import { chromium } from 'playwright-core';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const www = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../www');
const svg = fs.readFileSync(path.join(www, 'icon.svg'), 'utf8');
const BACKGROUND = '#3b5bdb';
const ICONS = [['icon-192.png', 192, 1], ['icon-512.png', 512, 1], ['maskable-512.png', 512, 0.8]];

const ctx = await chromium.launchPersistentContext(fs.mkdtempSync(path.join(os.tmpdir(), 'tt-icons-')), {
  executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless: true,
  args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage', '--no-first-run'] });
try {
  const page = ctx.pages()[0] || await ctx.newPage();
  fs.mkdirSync(path.join(www, 'icons'), { recursive: true });
  for (const [name, size, scale] of ICONS) {
    const b64 = await page.evaluate(async ({ svg, size, scale, background }) => {
      const img = new Image();
      img.src = `data:image/svg+xml;base64,${btoa(svg)}`;
      await img.decode();
      const canvas = document.createElement('canvas');
      canvas.width = canvas.height = size;
      const g = canvas.getContext('2d');
      if (scale < 1) { g.fillStyle = background; g.fillRect(0, 0, size, size); }
      const side = size * scale;
      g.drawImage(img, (size - side) / 2, (size - side) / 2, side, side);
      return canvas.toDataURL('image/png').split(',')[1];
    }, { svg, size, scale, background: BACKGROUND });
    const out = path.join(www, 'icons', name);
    fs.writeFileSync(out, Buffer.from(b64, 'base64'));
    console.log(`wrote ${path.relative(www, out)} (${size} x ${size}, ${fs.statSync(out).size} bytes)`);
  }
} finally {
  await ctx.close();
}
