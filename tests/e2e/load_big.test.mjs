// Opening a big file never freezes the UI (issue 5, acceptance 3): a 202,080-atom mmCIF (2XHE
// tiled, written here by scripts/bench/make_big_cif.py) is parsed and annotated in the load
// worker and its geometry is built in slices. Every frame and every main-thread long task during
// the load is logged; progress is shown; Cancel stops a load and leaves the scene as it was.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, ROOT } from './support.mjs';

let server, browser, page, body;
before(async () => {
  // The big file is served over HTTP like the app (a site root of links to dist/ plus the file):
  // Playwright's request interception would hand the whole body to the page in one go.
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-big-'));
  const file = path.join(root, 'big200k.cif');
  execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts/bench/make_big_cif.py'), file, '200000']);
  body = fs.readFileSync(file);
  for (const f of fs.readdirSync(path.join(ROOT, 'dist'))) fs.symlinkSync(path.join(ROOT, 'dist', f), path.join(root, f));
  server = await startServer(8097, root);
  browser = await launch();
  const ctx = await browser.newContext({ viewport: { width: 1280, height: 720 }, serviceWorkers: 'block' });
  page = await ctx.newPage();
  await page.goto(server.url);
  await page.evaluate(() => window.foldsight.ready.then(() => true));
  // Let start-up finish (pipelines, font atlas, the demo's first frames) so the measured window
  // holds the load alone.
  await page.evaluate(() => new Promise((r) => { let n = 0; const f = () => (++n < 20 ? requestAnimationFrame(f) : r()); requestAnimationFrame(f); }));
  await page.waitForTimeout(500);
});
after(async () => { await browser?.close(); server?.close(); });

// Loads `url` while logging every animation frame, main-thread long task and whether the
// progress bar was on screen; resolves when the new geometry is built.
function loadLogged(url, { cancelAfterMs = 0 } = {}) {
  return page.evaluate(async ({ url, cancelAfterMs }) => {
    const fs_ = window.foldsight;
    const frames = [], longTasks = [], work = [];
    let progressSeen = 0;
    const taskStarts = [];
    const obs = new PerformanceObserver((l) => { for (const e of l.getEntries()) longTasks.push(e.duration), taskStarts.push(e.startTime); });
    performance.clearMarks();
    const parts = { uiMs: 0, buildMs: 0, highlightMs: 0, gpuMs: 0 };
    obs.observe({ type: 'longtask' });
    let on = true, last = performance.now();
    const tick = (t) => {
      frames.push(t - last); last = t;
      const s = fs_.stats();
      work.push(s.frameWorkMaxMs);   // the app's own work in the frames since the last tick
      for (const k in parts) parts[k] = Math.max(parts[k], s.frameParts[k]);
      if (fs_.uiItemRect('Loading progress')) progressSeen++;
      if (on) requestAnimationFrame(tick);
    };
    await new Promise((r) => requestAnimationFrame((t) => { last = t; r(); }));
    requestAnimationFrame(tick);
    const t0 = performance.now();
    let result = null, error = null;
    if (cancelAfterMs) setTimeout(() => fs_.cancelLoad(), cancelAfterMs);
    try { result = await fs_.load(url); } catch (e) { error = { message: e.message, cancelled: !!e.cancelled }; }
    while (fs_.stats().build.pending) await new Promise((r) => setTimeout(r, 10));
    await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
    const seconds = (performance.now() - t0) / 1000;
    on = false;
    obs.disconnect();
    const tasks = longTasks.map((d, i) => `${((taskStarts[i] - t0) / 1000).toFixed(2)} s: ${d.toFixed(0)} ms`);
    const marks = performance.getEntriesByType('mark').filter((m) => m.name.startsWith('fs:')).map((m) => `${m.name.slice(3)} ${((m.startTime - t0) / 1000).toFixed(2)} s`);
    return { result, error, seconds, frames, work, parts, marks, tasks, longTasks, progressSeen, build: fs_.stats().build, structures: fs_.stats().structures };
  }, { url, cancelAfterMs });
}

const pct = (v, p) => { const s = [...v].sort((a, b) => a - b); return s[Math.min(s.length - 1, Math.floor(p * s.length))]; };

test('a 200 k-atom mmCIF loads in the background with progress; no main-thread task reaches 100 ms', async () => {
  const before = await page.evaluate(() => window.foldsight.stats().structures);
  const r = await loadLogged('big200k.cif');
  assert.equal(r.error, null, r.error && r.error.message);
  assert.deepEqual(r.result, { atoms: 202080, residues: 26720, chains: 128 });
  assert.equal(r.structures, before + 1);
  const longest = Math.max(0, ...r.longTasks);
  console.log(`# 202,080 atoms (${(body.length / 1e6).toFixed(1)} MB) loaded and drawn in ${r.seconds.toFixed(2)} s: ` +
    `${r.frames.length} frames, frame interval median ${pct(r.frames, 0.5).toFixed(0)} ms, p95 ${pct(r.frames, 0.95).toFixed(0)} ms, ` +
    `max ${Math.max(...r.frames).toFixed(0)} ms; the app's own work per frame max ${Math.max(...r.work).toFixed(1)} ms; main-thread long tasks: ${r.longTasks.length}, longest ${longest.toFixed(0)} ms; ` +
    `geometry built in slices (longest ${r.build.longestSliceMs.toFixed(1)} ms, GPU upload ${r.build.uploadMs.toFixed(1)} ms); ` +
    `progress bar on screen in ${r.progressSeen} frames`);
  console.log(`# frame intervals (ms): ${r.frames.map((f) => f.toFixed(0)).join(' ')}`);
  console.log(`# long tasks: ${r.tasks.join(', ') || 'none'}; load phases: ${r.marks.join(', ')}; longest frame parts: UI ${r.parts.uiMs.toFixed(1)} ms, scene build/upload ${r.parts.buildMs.toFixed(1)} ms, GPU commands ${r.parts.gpuMs.toFixed(1)} ms`);
  // The page's thread (input, UI, drawing commands) is never blocked for 100 ms or more: the file
  // is read in pieces, parsed in the load worker, the geometry built in time-budgeted slices and
  // uploaded in 64 k-vertex chunks into buffers filled at creation. Frame intervals also contain
  // the GPU process, a CPU rasteriser (SwiftShader) here, so they are printed, not asserted.
  assert.ok(longest < 100, `longest main-thread task ${longest} ms`);
  assert.ok(Math.max(...r.work) < 100, `the app's longest frame ${Math.max(...r.work)} ms`);
  assert.ok(r.build.longestSliceMs < 100, `longest geometry slice ${r.build.longestSliceMs} ms`);
  // A fast machine finishes the load in under a second (0.89 s, 4 frames on CI), so the count of
  // frames depends on the machine; what must hold is that no gap between frames looks frozen.
  assert.ok(r.frames.length >= 3, `the page kept drawing during the load (${r.frames.length} frames)`);
  assert.ok(Math.max(...r.frames) < 1000, `the longest gap between frames ${Math.max(...r.frames)} ms`);
  assert.ok(r.progressSeen >= 1, 'progress was shown');
});

test('Cancel stops a big load and leaves the loaded structures untouched', async () => {
  const before = await page.evaluate(() => ({ n: window.foldsight.stats().structures, atoms: window.foldsight.atomCount() }));
  const r = await loadLogged('big200k.cif', { cancelAfterMs: 150 });
  assert.ok(r.error && r.error.cancelled, 'load() rejected as cancelled: ' + JSON.stringify(r.error));
  const after = await page.evaluate(() => ({ n: window.foldsight.stats().structures, atoms: window.foldsight.atomCount() }));
  assert.deepEqual(after, before);
  assert.equal(await page.evaluate(() => window.foldsight.uiItemRect('Loading progress')), null, 'progress window gone');
  // The next load works (a fresh worker).
  const again = await loadLogged('demo/1hpv.pdb');
  assert.equal(again.error, null);
  assert.equal(again.result.atoms, 1631);
});
