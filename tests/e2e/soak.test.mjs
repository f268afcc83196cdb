// Soak (issue 10, acceptance 3): in one page, load and close 200 structures (real files of
// every format: PDB, mmCIF, gzip, big ones through the load worker) and run 50 predictions;
// after each phase force a full GC and measure the page's JS heap and WebAssembly memory, and
// the same in the load and prediction workers. Everything returns to within 10 % of the
// baseline taken after a warm-up.
//
// WebAssembly memory never shrinks: a module's linear memory only grows, when its allocator
// cannot serve a request from freed space. So the figure compared for wasm is the total linear
// memory after a phase vs after the warm-up: memory that is freed is reused and the total stays
// flat; a leak of what each load or prediction allocates grows it by ~N × that (200 loads).
// If the app exports the allocator's in-use bytes (Module._fs_heap_in_use, proposed in the
// report of this test's author), that figure is compared as well.
// Also checked: Emscripten's WebGPU handle tables (window.WebGPU.mgr*) hold no more live
// objects than at the baseline — a handle never released (a render pass per frame, an encoder
// per capture) grows the JS heap with every frame; and a third phase of 20 offscreen captures
// and 20 picks (the path of the 3D hover) is measured the same way.
// FOLDSIGHT_SOAK_LOADS / FOLDSIGHT_SOAK_PREDICTIONS shorten it for a quick look.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium } from 'playwright-core';
import { ROOT, CHROME_ARGS, startServer } from './support.mjs';

const PORT = 8122;
const LOADS = Number(process.env.FOLDSIGHT_SOAK_LOADS || 200);
const PREDICTIONS = Number(process.env.FOLDSIGHT_SOAK_PREDICTIONS || 50);
const TOLERANCE = 0.10;
const haveModel = fs.existsSync(path.join(ROOT, 'dist/models/manifest.json'));
const SOURCES = ['/usr/share/doc/python-biopython-doc/Tests/PDB', '/usr/share/pymol/data/tut', '/usr/share/pymol/data/demo',
  '/usr/share/pymol/data/chempy'];

let tmp, server, browser, page, cdp, files = [];
const pageErrors = [], consoleMessages = [];

const serve = (root, port) => startServer(port, root);

before(async () => {
  // Served site: dist/ (symlinked entries) plus soak/ with the structure files.
  tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-soak-'));
  const site = path.join(tmp, 'site');
  fs.mkdirSync(path.join(site, 'soak'), { recursive: true });
  for (const e of fs.readdirSync(path.join(ROOT, 'dist'))) fs.symlinkSync(path.join(ROOT, 'dist', e), path.join(site, e));
  for (const dir of SOURCES) {
    if (!fs.existsSync(dir)) continue;
    for (const f of fs.readdirSync(dir)) {
      if (!/\.(pdb|ent|cif)(\.gz)?$/i.test(f) || files.includes(f)) continue;
      fs.symlinkSync(path.join(dir, f), path.join(site, 'soak', f));
      files.push(f);
    }
  }
  files.sort();
  server = await serve(site, PORT);
  browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true,
    args: [...CHROME_ARGS, '--js-flags=--expose-gc', '--enable-precise-memory-info'] });
  const ctx = await browser.newContext({ viewport: { width: 800, height: 500 }, serviceWorkers: 'block' });
  page = await ctx.newPage();
  page.on('pageerror', (e) => pageErrors.push(String(e)));
  page.on('console', (m) => consoleMessages.push(`${m.type()}: ${m.text()}`));
  await page.goto(server.url);
  await page.evaluate(() => window.foldsight.ready.then(() => true));
  cdp = await ctx.newCDPSession(page);
});
after(async () => {
  await browser?.close();
  server?.close();
  if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
});

const settle = () => page.evaluate(async () => {
  while (window.foldsight.stats().build.pending) await new Promise((r) => setTimeout(r, 10));
  await new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r)));
});

// Wasm linear memory and JS heap of the page and of each worker, after full GCs everywhere.
async function measure(label) {
  await settle();
  for (let i = 0; i < 3; ++i) {
    await cdp.send('HeapProfiler.collectGarbage');
    await page.evaluate(() => window.gc && window.gc());
    for (const w of page.workers()) await w.evaluate(() => self.gc && self.gc()).catch(() => {});
  }
  const heap = await cdp.send('Runtime.getHeapUsage');
  const m = await page.evaluate(() => ({
    wasm: window.Module.HEAPU8.buffer.byteLength,
    inUse: window.Module._fs_heap_in_use ? window.Module._fs_heap_in_use() : null,
    perfUsed: performance.memory ? performance.memory.usedJSHeapSize : null,
    structures: window.foldsight.stats().structures, atoms: window.foldsight.stats().atoms,
    frames: window.foldsight.stats().frames,
    // Live WebGPU objects in Emscripten's handle tables (one entry per object not yet released).
    handles: window.WebGPU ? Object.fromEntries(Object.keys(window.WebGPU).filter((k) => /^mgr/.test(k))
      .map((k) => [k.slice(3), Object.keys(window.WebGPU[k].objects).length]).filter(([, n]) => n > 0)) : null,
  }));
  const workers = {};
  for (const w of page.workers()) {
    const name = w.url().split('/').pop();
    // Each worker's module: load_worker.js keeps it in `modPromise`, predict_worker.js in `ready`.
    workers[name] = await w.evaluate(async () => {
      let mod = null;
      try { if (typeof modPromise !== 'undefined' && modPromise) mod = await modPromise; } catch (e) { /* none */ }
      try { if (!mod && typeof ready !== 'undefined' && ready) mod = (await ready).mod; } catch (e) { /* none */ }
      return { wasm: mod ? mod.HEAPU8.buffer.byteLength : 0, js: performance.memory ? performance.memory.usedJSHeapSize : null };
    }).catch((e) => ({ error: String(e.message).slice(0, 80) }));
  }
  const r = { label, perfUsed: m.perfUsed, jsHeap: heap.usedSize, jsHeapTotal: heap.totalSize, wasm: m.wasm, inUse: m.inUse, structures: m.structures, atoms: m.atoms, frames: m.frames, handles: m.handles, workers };
  const mb = (v) => (v / 2 ** 20).toFixed(2);
  console.log(`# ${label.padEnd(34)} page JS heap ${mb(r.jsHeap)} MiB (performance.memory ${r.perfUsed ? mb(r.perfUsed) : '?'}), page wasm ${mb(r.wasm)} MiB` +
    (r.inUse !== null ? ` (in use ${mb(r.inUse)} MiB)` : '') +
    Object.entries(workers).map(([n, w]) => `; ${n} wasm ${w.wasm !== undefined ? mb(w.wasm) : '?'} MiB`).join('') +
    `; ${r.structures} structures, frame ${r.frames}`);
  if (r.handles) console.log(`#   live WebGPU handles: ${Object.entries(r.handles).map(([k, n]) => `${k} ${n}`).join(', ')}`);
  return r;
}

function within(base, now, what, failures) {
  const ratio = now / base;
  const ok = ratio <= 1 + TOLERANCE;
  if (!ok) failures.push(`${what}: ${(base / 2 ** 20).toFixed(2)} → ${(now / 2 ** 20).toFixed(2)} MiB (${((ratio - 1) * 100).toFixed(1)} %)`);
  return `${what} ${((ratio - 1) * 100).toFixed(1)} %`;
}
function compare(base, now, failures) {
  const parts = [within(base.jsHeap, now.jsHeap, `${now.label}: page JS heap`, failures),
    within(base.wasm, now.wasm, `${now.label}: page wasm`, failures)];
  if (base.inUse !== null && now.inUse !== null) parts.push(within(base.inUse, now.inUse, `${now.label}: page wasm in use`, failures));
  for (const [n, w] of Object.entries(now.workers)) {
    const b = base.workers[n];
    if (!b || !b.wasm || !w.wasm) continue;
    parts.push(within(b.wasm, w.wasm, `${now.label}: ${n} wasm`, failures));
    if (b.js && w.js) parts.push(within(b.js, w.js, `${now.label}: ${n} JS`, failures));
  }
  // Every GPU object a phase created is released by its end: the handle tables are back to the
  // baseline's size (a frame in flight may hold a couple).
  if (base.handles && now.handles) {
    for (const [k, n] of Object.entries(now.handles)) {
      const b = base.handles[k] || 0;
      if (n > b + 2) failures.push(`${now.label}: ${n - b} more live WebGPU ${k} objects than at the baseline (${b} → ${n}, over ${now.frames - base.frames} frames)`);
    }
  }
  console.log('# vs baseline: ' + parts.join(', '));
}

// Short sequences for the predictions: stretches of 40–80 residues of real proteins.
function sequences(n) {
  const text = fs.readFileSync(path.join(ROOT, '..', 'shared', 'benchmark', 'validation_homolog.fasta'), 'utf8');
  const seqs = text.split('>').slice(1).map((r) => r.split('\n').slice(1).join('').trim()).filter((s) => s.length >= 80);
  const out = [];
  for (let i = 0; i < n; ++i) {
    const s = seqs[(i * 7) % seqs.length], len = 40 + ((i * 13) % 41), at = (i * 17) % (s.length - len);
    out.push(s.slice(at, at + len));
  }
  return out;
}

test(`soak: ${LOADS} loads + closes and ${PREDICTIONS} predictions return memory to within 10 % of the baseline`, { timeout: 15 * 60_000 }, async () => {
  const t0 = Date.now();
  // Which files load (the soak loads only those; the bad ones are the other suite's business).
  const loadable = [];
  for (const f of files) {
    const r = await page.evaluate((u) => window.foldsight.load(u).then((x) => x.atoms, (e) => -1), 'soak/' + f);
    if (r > 0) loadable.push({ f, atoms: r });
    await page.evaluate(() => window.foldsight.clear());
  }
  console.log(`# ${loadable.length} of ${files.length} files load: ${loadable.map((x) => `${x.f} (${x.atoms})`).join(', ')}`);
  assert.ok(loadable.length >= 10, 'enough real files to vary');

  // Closing: one structure at a time with foldsight.remove(index) where the app has it (the
  // second one first, so later ones shift down), else clear().
  const closeAll = () => {
    const f = window.foldsight;
    if (typeof f.remove !== 'function') { f.clear(); return 'clear'; }
    while (f.stats().structures) f.remove(f.stats().structures > 1 ? 1 : 0);
    return 'remove';
  };
  const closeHow = await page.evaluate(closeAll);
  console.log(`# structures are closed with foldsight.${closeHow}()`);

  // Warm-up: one full cycle of what the soak does (every file, four at a time, each drawn,
  // then closed; two predictions: the prediction worker loads its model and the template
  // library once; three captures and picks), so the baseline already holds each heap's
  // high-water mark of that work and the code it runs is compiled.
  const cycle = async (i) => {
    const { f, atoms: a } = loadable[(i * 5) % loadable.length];
    const r = await page.evaluate((u) => window.foldsight.load(u), 'soak/' + f);
    assert.equal(r.atoms, a, f);
    await settle();
    if (i % 4 === 3) await page.evaluate(closeAll);
    return a;
  };
  for (let i = 0; i < 2 * loadable.length; ++i) await cycle(i);
  await page.evaluate(() => window.foldsight.clear());
  const seqs = sequences(PREDICTIONS + 2);
  if (haveModel) {
    for (const s of seqs.slice(0, 2)) { await page.evaluate((q) => window.foldsight.predict(q), s); await page.evaluate(() => window.foldsight.clear()); }
  }
  // ... and a few offscreen captures and picks (phase 3's work).
  await page.evaluate((u) => window.foldsight.load(u), 'soak/' + loadable[0].f);
  await settle();
  for (let i = 0; i < 3; ++i) {
    await page.evaluate(() => window.foldsight.capture({ width: 320, height: 240 }));
    await page.evaluate(() => window.foldsight.pick([{ x: 400, y: 250 }]));
  }
  await page.evaluate(() => window.foldsight.clear());
  const base = await measure('baseline (after warm-up)');
  assert.equal(base.structures, 0);

  // Phase 1: LOADS loads, each drawn, closed four at a time (several structures coexist).
  const failures = [];
  let atoms = 0, tl = Date.now(), byWorker = 0;
  const mids = [];
  for (let i = 0; i < LOADS; ++i) {
    const { f } = loadable[(i * 5) % loadable.length];
    atoms += await cycle(i);
    if (/\.gz$/.test(f) || fs.statSync(path.join(tmp, 'site/soak', f)).size > 256 * 1024) ++byWorker;
    if ((i + 1) % 50 === 0 && i + 1 < LOADS) mids.push(await measure(`after ${i + 1} loads`));
  }
  await page.evaluate(() => window.foldsight.clear());
  const loadSeconds = (Date.now() - tl) / 1000;
  console.log(`# ${LOADS} loads (${atoms.toLocaleString('en')} atoms in all, ${byWorker} through the load worker) and ` +
    `${Math.ceil(LOADS / 4)} clears in ${loadSeconds.toFixed(1)} s`);
  const afterLoads = await measure(`after ${LOADS} loads + closes`);
  assert.equal(afterLoads.structures, 0);
  for (const m of mids) compare(base, m, []);   // printed to see where it grows, not asserted
  compare(base, afterLoads, failures);

  // Phase 2: PREDICTIONS predictions of 40–80 residues (templates on), each closed afterwards.
  let afterPredictions = null;
  if (!haveModel) console.log('# predictions skipped: no trained model in dist/models');
  else {
    const tp = Date.now(), times = [];
    for (const s of seqs.slice(2)) {
      const r = await page.evaluate((q) => window.foldsight.predict(q), s);
      times.push(r.seconds);
      await page.evaluate(() => window.foldsight.clear());
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`# ${PREDICTIONS} predictions (40–80 residues) in ${((Date.now() - tp) / 1000).toFixed(1)} s: ` +
      `median ${sorted[sorted.length >> 1].toFixed(2)} s, max ${sorted[sorted.length - 1].toFixed(2)} s each`);
    afterPredictions = await measure(`after ${PREDICTIONS} predictions`);
    compare(base, afterPredictions, failures);
  }
  // Phase 3: offscreen captures and picks (the same offscreen path as the 3D hover).
  await page.evaluate((u) => window.foldsight.load(u), 'soak/' + loadable[0].f);
  await settle();
  const CAPTURES = 20;
  for (let i = 0; i < CAPTURES; ++i) {
    await page.evaluate(() => window.foldsight.capture({ width: 320, height: 240 }));
    await page.evaluate(() => window.foldsight.pick([{ x: 400, y: 250 }]));
  }
  await page.evaluate(() => window.foldsight.clear());
  const afterCaptures = await measure(`after ${CAPTURES} captures + ${CAPTURES} picks`);
  compare(base, afterCaptures, failures);

  console.log(`# soak: ${LOADS} loads, ${haveModel ? PREDICTIONS : 0} predictions, ${CAPTURES} captures + picks, ${((Date.now() - t0) / 1000).toFixed(0)} s; ` +
    `uncaught page errors ${pageErrors.length}, console messages ${consoleMessages.length}; ${failures.length ? 'GREW: ' + failures.join('; ') : 'all figures within 10 % of the baseline'}`);
  assert.deepEqual(pageErrors, []);
  assert.deepEqual(failures, []);
});
