// Is the app's spare worker worth it? Measures, in headless Chromium, through
// the one engine (www/engine/engine.js) set up as the app sets it up (places
// table loaded): the time from a wasm trap to the next file's report, with and
// without a spare worker, and the resident memory the spare costs (all of this
// browser's processes, idle page, after start). A benchmark: it prints
// figures, asserts nothing. Usage: node bench/engine-spare.mjs [ROUNDS]
// (after scripts/build-wasm.sh core and scripts/build-geo.sh).
import { chromium } from 'playwright-core';
import { execSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { serveStatic } from '../tests/e2e/harness.mjs';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const rounds = Number(process.argv[2] || 10);
const { server, base } = await serveStatic(path.join(root, 'www'));

/** Resident MB of the browser whose command line names `profile`, and all its descendants. */
function browserRssMb(profile) {
  const rows = execSync('ps -eo pid=,ppid=,rss=,args=', { encoding: 'utf8' }).split('\n').filter(Boolean)
    .map((l) => l.trim().split(/\s+/)).map(([pid, ppid, rss, ...args]) => ({ pid, ppid, rss: Number(rss), args: args.join(' ') }));
  const ours = new Set(rows.filter((r) => r.args.includes(profile) && !r.args.includes('--type=')).map((r) => r.pid));
  for (let grew = true; grew;) {
    grew = false;
    for (const r of rows) if (ours.has(r.ppid) && !ours.has(r.pid)) { ours.add(r.pid); grew = true; }
  }
  return rows.filter((r) => ours.has(r.pid)).reduce((a, r) => a + r.rss, 0) / 1024;
}

async function measure(spare) {
  const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'engine-spare-'));
  const ctx = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM_BIN || '/usr/bin/chromium', headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-dev-shm-usage'],
  });
  const page = ctx.pages()[0] || await ctx.newPage();
  await page.goto(`${base}/minimal.html`);
  const rssBefore = browserRssMb(profile);
  const { out: times, startMs } = await page.evaluate(async ({ spare, rounds }) => {
    const { Engine } = await import('/engine/engine.js');
    const canvas = new OffscreenCanvas(64, 48);
    canvas.getContext('2d').fillRect(0, 0, 10, 10);
    const jpeg = await canvas.convertToBlob({ type: 'image/jpeg' });
    window.engine = new Engine({ places: true, spare });
    const s0 = performance.now();
    await window.engine.start();
    const startMs = performance.now() - s0;
    await new Promise((r) => setTimeout(r, 500)); // let the spare settle before the memory sample
    const out = [];
    for (let i = 0; i < rounds; i++) {
      await window.engine.trapForTests().catch(() => {});
      const t0 = performance.now();
      await window.engine.check(jpeg, 'after-trap.jpg');
      out.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 300)); // a person picks the next file; the new spare starts meanwhile
    }
    return { out, startMs };
  }, { spare, rounds });
  const rssStarted = browserRssMb(profile);
  await ctx.close();
  fs.rmSync(profile, { recursive: true, force: true });
  times.sort((a, b) => a - b);
  return { startMs, median: times[Math.floor(times.length / 2)], max: times[times.length - 1], rssStarted, rssBefore };
}

for (const spare of [false, true]) {
  const r = await measure(spare);
  console.log(`spare ${spare ? 'on ' : 'off'}: start ${r.startMs.toFixed(0)} ms; trap → next report median ${r.median.toFixed(0)} ms, worst ${r.max.toFixed(0)} ms` +
    ` (${rounds} rounds); browser RSS with the engine started ${r.rssStarted.toFixed(0)} MB (page alone ${r.rssBefore.toFixed(0)} MB)`);
}
server.close();
