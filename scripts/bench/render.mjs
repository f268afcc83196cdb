// Foldsight vs Mol* in the same headless Chromium on the same files (issue 4, acceptance 2):
// time from navigation to the first frame showing the structure, FPS during continuous
// rotation, peak memory, and the Foldsight/Mol* ratios. Run through scripts/bench/render:
//
//   scripts/bench/render [--cases small,medium,large,huge] [--reps cartoon,spacefill]
//                        [--seconds 5] [--out FILE.json] [--timeout SECONDS] [--molstar-plain]
//
// Cases (default small,medium): small = dist/demo/1hpv.pdb (1,631 atoms); medium / large / huge
// = 2XHE tiled by make_big_cif.py to >= 30 k / 200 k / 1 M atoms (made once, kept in
// build/bench/render-data/). Cartoon runs for every case; spacefill (when in --reps, default
// both) only for large and huge, as the issue asks. --timeout: per viewer and case, seconds
// (default by case size); a case that runs over is reported as failed and the run goes on.
// --molstar-plain: Mol* without its default image passes (SSAO, antialiasing, temporal
// multi-sampling), for its raw drawing speed; the default is Mol* as a user gets it.
// Mol* is the npm package `molstar` at MOLSTAR_VERSION, installed by this script into the
// git-ignored build/bench/molstar (never into the project's package.json). Each viewer's first
// frame is saved to build/bench/render-shots/ to look at. Exit status 1 if any case failed.
import { execFileSync, spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { startServer, launch, ROOT, decodePng } from '../../tests/e2e/support.mjs';

const MOLSTAR_VERSION = '5.11.0';
const BENCH = path.join(ROOT, 'build/bench');
const MOLSTAR_DIR = path.join(BENCH, 'molstar');
const MOLSTAR_VIEWER = path.join(MOLSTAR_DIR, 'node_modules/molstar/build/viewer');
const DATA_DIR = path.join(BENCH, 'render-data');
const SHOTS_DIR = path.join(BENCH, 'render-shots');   // each viewer's first frame, to look at
const VIEWPORT = { width: 1280, height: 720 };
const DEG_PER_S = 90;   // rotation speed for both viewers (Mol* spin speed 0.25 turns/s)

const CASES = {
  small: { atoms: 0, file: 'small.pdb', format: 'pdb', timeoutS: 90 },
  medium: { atoms: 30000, file: 'medium.cif', format: 'mmcif', timeoutS: 180 },
  large: { atoms: 200000, file: 'large.cif', format: 'mmcif', timeoutS: 420 },
  huge: { atoms: 1000000, file: 'huge.cif', format: 'mmcif', timeoutS: 900 },
};

function parseArgs(argv) {
  const o = { cases: ['small', 'medium'], reps: ['cartoon', 'spacefill'], seconds: 5, out: null, timeoutS: 0, molstarPlain: false };
  for (let i = 0; i < argv.length; ++i) {
    const a = argv[i], v = () => { if (i + 1 >= argv.length) die(`${a} needs a value`); return argv[++i]; };
    if (a === '--cases') o.cases = v().split(',').filter(Boolean);
    else if (a === '--reps') o.reps = v().split(',').filter(Boolean);
    else if (a === '--seconds') o.seconds = Number(v());
    else if (a === '--out') o.out = v();
    else if (a === '--timeout') o.timeoutS = Number(v());
    else if (a === '--molstar-plain') o.molstarPlain = true;
    else if (a === '-h' || a === '--help') { console.log(fs.readFileSync(new URL(import.meta.url), 'utf8').split('\nimport')[0]); process.exit(0); }
    else die(`unknown argument ${a} (see --help)`);
  }
  for (const c of o.cases) if (!CASES[c]) die(`unknown case ${c} (small, medium, large, huge)`);
  for (const r of o.reps) if (r !== 'cartoon' && r !== 'spacefill') die(`unknown representation ${r} (cartoon, spacefill)`);
  if (!(o.seconds > 0)) die('--seconds must be > 0');
  return o;
}
function die(msg) { console.error('render: ' + msg); process.exit(2); }

// Mol* is installed on first use only, pinned, into build/bench/molstar.
function ensureMolstar() {
  const pkg = path.join(MOLSTAR_DIR, 'node_modules/molstar/package.json');
  const have = fs.existsSync(pkg) && JSON.parse(fs.readFileSync(pkg, 'utf8')).version;
  if (have === MOLSTAR_VERSION && fs.existsSync(path.join(MOLSTAR_VIEWER, 'molstar.js'))) return;
  console.error(`# installing molstar@${MOLSTAR_VERSION} into ${path.relative(ROOT, MOLSTAR_DIR)} ...`);
  fs.mkdirSync(MOLSTAR_DIR, { recursive: true });
  execFileSync('npm', ['install', '--prefix', MOLSTAR_DIR, '--no-audit', '--no-fund', '--ignore-scripts',
    '--no-save', `molstar@${MOLSTAR_VERSION}`], { stdio: ['ignore', 'ignore', 'inherit'] });
  if (!fs.existsSync(path.join(MOLSTAR_VIEWER, 'molstar.js'))) die('molstar installed but build/viewer/molstar.js is missing');
}

// The test files, made once and kept (tiling 1 M atoms takes a while on a small machine).
function ensureData(name) {
  const c = CASES[name], file = path.join(DATA_DIR, c.file);
  fs.mkdirSync(DATA_DIR, { recursive: true });
  if (name === 'small') {
    if (!fs.existsSync(file)) fs.copyFileSync(path.join(ROOT, 'dist/demo/1hpv.pdb'), file);
    c.atomCount = fs.readFileSync(file, 'utf8').split('\n').filter((l) => /^(ATOM  |HETATM)/.test(l)).length;
    return file;
  }
  const countFile = file + '.atoms';
  if (!fs.existsSync(file) || !fs.existsSync(countFile)) {
    console.error(`# writing ${path.relative(ROOT, file)} (>= ${c.atoms} atoms, 2XHE tiled) ...`);
    const tmp = file + '.tmp';
    const n = execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts/bench/make_big_cif.py'), tmp, String(c.atoms)], { encoding: 'utf8' }).trim();
    fs.renameSync(tmp, file);
    fs.writeFileSync(countFile, n + '\n');
  }
  c.atomCount = Number(fs.readFileSync(countFile, 'utf8'));
  return file;
}

// A site root: links to dist/*, a molstar/ folder with Mol*'s viewer files plus the bench page,
// and data/ with the test files. Served by scripts/serve like the app (same headers for both).
function makeRoot(files) {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'fs-render-'));
  for (const f of fs.readdirSync(path.join(ROOT, 'dist'))) fs.symlinkSync(path.join(ROOT, 'dist', f), path.join(root, f));
  fs.mkdirSync(path.join(root, 'molstar'));
  for (const f of fs.readdirSync(MOLSTAR_VIEWER)) fs.symlinkSync(path.join(MOLSTAR_VIEWER, f), path.join(root, 'molstar', f));
  fs.symlinkSync(path.join(ROOT, 'scripts/bench/render_molstar.js'), path.join(root, 'molstar/render_molstar.js'));
  fs.writeFileSync(path.join(root, 'molstar/bench.html'), `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>Mol* bench</title>
<link rel="stylesheet" href="molstar.css"><link rel="stylesheet" href="bench.css"></head>
<body><div id="app"></div><script src="molstar.js"></script><script src="render_molstar.js"></script></body></html>\n`);
  fs.writeFileSync(path.join(root, 'molstar/bench.css'),
    'html, body { margin: 0; width: 100%; height: 100%; overflow: hidden; } #app { position: absolute; inset: 0; }\n');
  fs.mkdirSync(path.join(root, 'data'));
  for (const f of files) fs.symlinkSync(f, path.join(root, 'data', path.basename(f)));
  return root;
}

// Mol* needs 'unsafe-eval' (its bundle builds functions from strings), which Foldsight's
// Content-Security-Policy (scripts/serve) forbids, so Mol* is served from the same root by a plain
// http.server on a second port (no CSP, no COOP/COEP headers: what Mol*'s own site needs).
async function startPlainServer(port, root) {
  const proc = spawn('/usr/bin/python3', ['-m', 'http.server', String(port), '--bind', '127.0.0.1', '--directory', root],
    { stdio: ['ignore', 'ignore', 'ignore'] });
  const url = `http://127.0.0.1:${port}/`;
  for (let i = 0; ; ++i) {
    try { if ((await fetch(url + 'molstar/bench.html')).ok) break; } catch { /* not up yet */ }
    if (i > 100 || proc.exitCode !== null) { proc.kill(); throw new Error('http.server for Mol* did not start'); }
    await new Promise((r) => setTimeout(r, 100));
  }
  return { url, close: () => proc.kill() };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => { const p = s.address().port; s.close(() => resolve(p)); });
    s.on('error', reject);
  });
}

// Renderer processes of this machine's Chromiums. A new page gets its own renderer, which holds
// the page's JS heaps (main thread and workers), ArrayBuffers and wasm memory: its peak resident
// set (VmHWM) is a memory figure taken the same way for both viewers. Chromium may start other
// renderers meanwhile (about:blank, a spare one): the page's is the largest of the new ones.
function rendererPids() {
  const out = new Set();
  for (const d of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try { if (fs.readFileSync(`/proc/${d}/cmdline`, 'utf8').includes('--type=renderer')) out.add(Number(d)); } catch { /* gone */ }
  }
  return out;
}
function peakRss(pids) {
  let kb = 0;
  for (const p of pids) {
    try { const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${p}/status`, 'utf8')); if (m) kb = Math.max(kb, Number(m[1])); } catch { /* gone */ }
  }
  return kb * 1024;
}

// Fraction of the central half of a screenshot that differs from its most common colour (the
// background): a check that the frame counted as "first" really shows the structure.
function structurePixels(png) {
  const img = decodePng(png), counts = new Map();
  const x0 = img.width >> 2, x1 = (img.width * 3) >> 2, y0 = img.height >> 2, y1 = (img.height * 3) >> 2;
  const key = (i) => (img.data[i] >> 3) << 10 | (img.data[i + 1] >> 3) << 5 | (img.data[i + 2] >> 3);
  for (let y = y0; y < y1; ++y) for (let x = x0; x < x1; ++x) { const k = key((y * img.width + x) * 4); counts.set(k, (counts.get(k) || 0) + 1); }
  let bg = 0, best = -1;
  for (const [k, n] of counts) if (n > best) best = n, bg = k;
  return 1 - best / ((x1 - x0) * (y1 - y0));
}

// In the page: rotates for `ms` and counts animation frames and the frames the viewer drew.
// Counting starts after a spin-up (1 s and at least 3 frames drawn) so that one-off work on
// the first moving frames (shader variants, for Mol*) is left out for both viewers. The window
// is `ms` long, or longer (up to 60 s) until at least 2 frames were drawn in it, for slow cases.
const ROTATE = {
  foldsight: async ({ ms, degPerS }) => {
    const f = window.foldsight;
    let last = performance.now(), spinUp = last, s0 = f.stats().frames, t0 = 0, n = 0, worst = 0;
    await new Promise((done) => {
      const tick = () => {
        const now = performance.now();
        f.rotate(degPerS * (now - last) / 1000);
        if (t0) { worst = Math.max(worst, now - last); ++n; }
        else if (now - spinUp >= 1000 && f.stats().frames - s0 >= 3 || now - spinUp > 30000) { t0 = now; s0 = f.stats().frames; }
        last = now;
        if (!t0 || (now - t0 < ms || f.stats().frames - s0 < 2) && now - t0 < 60000) requestAnimationFrame(tick); else done();
      };
      requestAnimationFrame(tick);
    });
    return { ms: performance.now() - t0, rafs: n, drawn: f.stats().frames - s0, worstMs: worst };
  },
  molstar: async ({ ms, degPerS }) => {
    const c = window.benchViewer.plugin.canvas3d;
    let drawn = -1;   // a BehaviorSubject calls back once on subscribe
    const sub = c.didDraw.subscribe(() => { ++drawn; });
    c.setProps({ trackball: { animate: { name: 'spin', params: { speed: degPerS / 360, axis: [0, 1, 0] } } } });
    let last = performance.now(), spinUp = last, t0 = 0, n = 0, worst = 0;
    await new Promise((done) => {
      const tick = () => {
        const now = performance.now();
        if (t0) { worst = Math.max(worst, now - last); ++n; }
        else if (now - spinUp >= 1000 && drawn >= 3 || now - spinUp > 30000) { t0 = now; drawn = 0; }
        last = now;
        if (!t0 || (now - t0 < ms || drawn < 2) && now - t0 < 60000) requestAnimationFrame(tick); else done();
      };
      requestAnimationFrame(tick);
    });
    const out = { ms: performance.now() - t0, rafs: n, drawn, worstMs: worst };
    c.setProps({ trackball: { animate: { name: 'off', params: {} } } });
    sub.unsubscribe();
    return out;
  },
};

// Navigates, waits for the first frame with the structure, screenshots it, rotates, measures.
async function runOne(browser, baseUrl, viewer, name, rep, seconds, molstarPlain = false, holder = {}) {
  const c = CASES[name];
  const ctx = holder.ctx = await browser.newContext({ viewport: VIEWPORT, serviceWorkers: 'block' });
  const before = rendererPids();
  const errors = [];
  let sampler = null;
  try {
    const page = await ctx.newPage();
    const note = (t) => { if (errors.length < 5) errors.push(t.slice(0, 300)); };
    page.on('pageerror', (e) => note(String(e)));
    page.on('console', (m) => { if (m.type() === 'error') note(m.text()); });
    const cdp = await ctx.newCDPSession(page);
    // JS heap of the page's main thread, sampled: usedSize (V8 heap objects) plus, where this
    // Chromium reports it, backingStorageSize (ArrayBuffer / typed-array / wasm memory stores).
    const heap = { used: 0, backing: 0, total: 0, samples: 0 };
    const sample = async () => {
      try {
        const u = await cdp.send('Runtime.getHeapUsage');
        heap.used = Math.max(heap.used, u.usedSize); heap.backing = Math.max(heap.backing, u.backingStorageSize || 0);
        heap.total = Math.max(heap.total, u.usedSize + (u.embedderHeapUsedSize || 0) + (u.backingStorageSize || 0));
        heap.samples++;
      } catch { /* page navigating or closed */ }
    };
    let sampling = false;
    sampler = setInterval(() => { if (!sampling) { sampling = true; sample().finally(() => { sampling = false; }); } }, 200);

    const file = 'data/' + c.file;
    const url = viewer === 'foldsight' ? `${baseUrl}?url=${file}`
      : `${baseUrl}molstar/bench.html?file=../${file}&format=${c.format}&rep=${rep}${molstarPlain ? '&plain=1' : ''}`;
    await page.goto(url, { waitUntil: 'commit' });
    let first;
    if (viewer === 'foldsight') {
      await page.waitForFunction(() => window.foldsight, null, { timeout: 0 });
      first = await page.evaluate(async (rep) => {
        const f = window.foldsight, raf = () => new Promise((r) => requestAnimationFrame(r));
        await f.ready;   // resolves once the ?url= load has finished (a failed load shows an error)
        const phases = { loaded: Math.round(performance.now()) };
        for (const m of performance.getEntriesByType('mark')) if (m.name.startsWith('fs:')) phases[m.name.slice(3)] = Math.round(m.startTime);
        if (!f.stats().atoms) throw new Error('foldsight did not load the file: ' + (f.uiError() || 'no atoms'));
        // ?url= shows the default (cartoon of the polymer, ball-and-stick of ligands); other
        // representations are set as soon as the structure is there, replacing the build.
        if (rep !== 'cartoon') { f.setRepresentation(rep); await raf(); }
        while (f.stats().build.pending) await raf();
        await raf();
        phases.drawn = Math.round(performance.now());
        return { firstFrameMs: performance.now(), phases };
      }, rep);
    } else {
      await page.waitForFunction(() => window.benchResult, null, { timeout: 0 });
      first = await page.evaluate(() => window.benchResult);
    }
    await sample();
    // A screenshot waits for the compositor's next frame, which can take long on a slow page:
    // it only checks what is shown, so a timeout there leaves the check out, not the case.
    let pixels = null;
    try {
      const shot = await page.screenshot({ timeout: 180000 });
      pixels = structurePixels(shot);
      fs.mkdirSync(SHOTS_DIR, { recursive: true });
      fs.writeFileSync(path.join(SHOTS_DIR, `${name}-${rep}-${viewer}.png`), shot);
    } catch (e) { note('screenshot: ' + e.message.split('\n')[0]); }
    const env = viewer === 'foldsight' ? null : await page.evaluate(() => {
      const gl = window.benchViewer.plugin.canvas3d.webgl.gl, ext = gl.getExtension('WEBGL_debug_renderer_info');
      return { webgl: ext ? gl.getParameter(ext.UNMASKED_RENDERER_WEBGL) : gl.getParameter(gl.RENDERER), webgl2: typeof WebGL2RenderingContext !== 'undefined' && gl instanceof WebGL2RenderingContext };
    });
    const rot = await page.evaluate(ROTATE[viewer], { ms: seconds * 1000, degPerS: DEG_PER_S });
    await sample();
    const wasm = viewer === 'foldsight' ? await page.evaluate(() => window.Module.HEAPU8.length) : 0;
    const pids = [...rendererPids()].filter((p) => !before.has(p));
    const rss = peakRss(pids);
    return {
      viewer, case: name, rep, atoms: c.atomCount,
      firstFrameS: first.firstFrameMs / 1000,
      fps: rot.drawn / (rot.ms / 1000), rafFps: rot.rafs / (rot.ms / 1000), worstFrameMs: rot.worstMs, framesDrawn: rot.drawn,
      structurePixels: pixels, phases: first.phases,
      memory: { jsHeapPeak: heap.used, backingStorePeak: heap.backing, heapTotalPeak: heap.total, heapSamples: heap.samples,
        wasmMemory: wasm, peak: heap.total + wasm, rendererPeakRss: rss, rendererPids: pids.length },
      env, errors,
    };
  } finally {
    clearInterval(sampler);
    await ctx.close().catch(() => {});
  }
}

// Runs one viewer on one case; past `s` seconds its page is closed and the case reported as failed.
function timed(s, what, ...args) {
  const holder = {};
  let t;
  return Promise.race([runOne(...args.slice(0, 7), holder), new Promise((_, rej) => {
    t = setTimeout(() => { rej(new Error(`${what}: no result within ${s} s (per-case timeout)`)); holder.ctx?.close().catch(() => {}); }, s * 1000);
  })]).finally(() => clearTimeout(t));
}

const mb = (b) => (b / 1048576).toFixed(0);
const fmtRatio = (a, b) => (a > 0 && b > 0 ? (a / b).toFixed(2) : 'n/a');

async function main() {
  const o = parseArgs(process.argv.slice(2));
  ensureMolstar();
  const files = o.cases.map(ensureData);
  const root = makeRoot(files);
  const server = await startServer(await freePort(), root);
  const plain = await startPlainServer(await freePort(), root);
  const base = { foldsight: server.url, molstar: plain.url };
  const browser = await launch();
  const results = [];
  try {
    // Environment: browser, WebGPU adapter (Foldsight), WebGL renderer (Mol*, filled in below).
    const env = { chromium: browser.version(), node: process.version, molstar: MOLSTAR_VERSION, cpus: os.cpus().length,
      cpuModel: os.cpus()[0]?.model, viewport: VIEWPORT, loadavg: os.loadavg().map((x) => x.toFixed(1)).join(' ') };
    {
      const ctx = await browser.newContext({ serviceWorkers: 'block' });
      const p = await ctx.newPage();
      await p.goto(server.url + 'molstar/favicon.ico');
      env.webgpu = await p.evaluate(async () => {
        const a = navigator.gpu && await navigator.gpu.requestAdapter();
        if (!a) return 'no WebGPU adapter';
        const i = a.info || {};
        return [i.vendor, i.architecture, i.device, i.description].filter(Boolean).join(' / ') || 'adapter (no info)';
      });
      await ctx.close();
    }
    // One untimed load of the small file in each viewer first, so neither pays alone for
    // anything the browser caches across contexts (compiled code, shaders).
    ensureData('small');
    if (!o.cases.includes('small')) fs.symlinkSync(path.join(DATA_DIR, 'small.pdb'), path.join(root, 'data/small.pdb'));
    for (const v of ['foldsight', 'molstar']) {
      try { const r = await timed(180, `warm-up ${v}`, browser, base[v], v, 'small', 'cartoon', 0.5, o.molstarPlain); if (r.env) env.webgl = r.env.webgl; }
      catch (e) { console.error(`# warm-up ${v} failed: ${e.message}`); }
    }
    console.log(`# Foldsight vs Mol* ${MOLSTAR_VERSION}, headless ${env.chromium}, node ${env.node}, ${env.cpus} CPUs (${env.cpuModel}), load average ${env.loadavg}`);
    console.log(`# Foldsight: WebGPU on ${env.webgpu}; Mol*: WebGL on ${env.webgl || '?'}; viewport ${VIEWPORT.width}x${VIEWPORT.height}, rotation ${DEG_PER_S} deg/s for ${o.seconds} s`);
    console.log(`# Mol* ${o.molstarPlain ? 'WITHOUT its image passes (SSAO, antialiasing, multi-sampling off: --molstar-plain)' : 'with its default image passes (SSAO on, antialiasing, temporal multi-sampling)'};` +
      ' structure built with its plugin builders, representation forced (not its size-dependent default preset);' +
      ' served without Foldsight\'s CSP (Mol* needs unsafe-eval)');
    console.log('# first = navigation start -> first frame with the whole structure on screen (performance.now() of that frame)');
    console.log('# fps = frames the viewer drew during the rotation / seconds (raf = requestAnimationFrame callbacks/s)');
    console.log('# mem = peak of CDP Runtime.getHeapUsage (usedSize + embedderHeapUsedSize + backingStorageSize) of the page\'s main thread,');
    console.log('#       plus Foldsight\'s wasm memory (Module.HEAPU8.length); rss = peak resident set (VmHWM) of the page\'s renderer process');
    console.log('#       (all threads: workers, wasm, ArrayBuffers; not the GPU process). Ratios are Foldsight / Mol*.');
    console.log('#');
    const cols = ['case', 'atoms', 'rep', 'viewer', 'first s', 'fps', 'raf/s', 'worst ms', 'mem MB', 'wasm MB', 'rss MB', 'shown'];
    const w = [7, 9, 10, 10, 8, 7, 7, 9, 7, 8, 7, 6];
    const row = (cells) => cells.map((s, i) => String(s).padStart(w[i])).join(' ');
    console.log(row(cols));
    for (const name of o.cases) {
      const reps = o.reps.filter((r) => r === 'cartoon' || name === 'large' || name === 'huge');
      for (const rep of reps) {
        const pair = {};
        for (const viewer of ['foldsight', 'molstar']) {
          const limit = o.timeoutS || CASES[name].timeoutS + 90 + 2 * o.seconds;   // + spin-up and a stretched window
          let r;
          try { r = await timed(limit, `${name} ${rep} ${viewer}`, browser, base[viewer], viewer, name, rep, o.seconds, o.molstarPlain); }
          catch (e) { r = { viewer, case: name, rep, atoms: CASES[name].atomCount, error: e.message }; }
          pair[viewer] = r; results.push(r);
          if (r.error) { console.log(row([name, r.atoms, rep, viewer, 'FAILED', '', '', '', '', '', '', '']) + '  ' + r.error); continue; }
          console.log(row([name, r.atoms, rep, viewer, r.firstFrameS.toFixed(2), r.fps.toFixed(1), r.rafFps.toFixed(1), r.worstFrameMs.toFixed(0),
            mb(r.memory.peak), viewer === 'foldsight' ? mb(r.memory.wasmMemory) : '-', mb(r.memory.rendererPeakRss), r.structurePixels === null ? '?' : (100 * r.structurePixels).toFixed(0) + '%'])
            + (r.errors.length ? `  page errors: ${r.errors.slice(0, 2).join(' | ')}` : ''));
        }
        const f = pair.foldsight, m = pair.molstar;
        if (!f.error && !m.error) {
          const ratio = { case: name, rep, firstFrame: f.firstFrameS / m.firstFrameS, fps: f.fps / m.fps, memory: f.memory.peak / m.memory.peak,
            rss: f.memory.rendererPeakRss / m.memory.rendererPeakRss };
          results.push({ ratio });
          console.log(`${' '.repeat(7)} ratio Foldsight/Mol* ${name} ${rep}: first frame ${fmtRatio(f.firstFrameS, m.firstFrameS)}x, ` +
            `FPS ${fmtRatio(f.fps, m.fps)}x, memory ${fmtRatio(f.memory.peak, m.memory.peak)}x (rss ${fmtRatio(f.memory.rendererPeakRss, m.memory.rendererPeakRss)}x)` +
            (name === 'huge' ? `  [acceptance: first frame <= 0.5x: ${ratio.firstFrame <= 0.5 ? 'yes' : 'NO'}, FPS >= 2x: ${ratio.fps >= 2 ? 'yes' : 'NO'}]` : ''));
        }
      }
    }
    if (o.out) {
      fs.writeFileSync(o.out, JSON.stringify({ env, seconds: o.seconds, degPerSecond: DEG_PER_S, molstarPlain: o.molstarPlain, results }, null, 1) + '\n');
      console.log(`# results written to ${o.out}`);
    }
  } finally {
    await browser.close().catch(() => {});
    server.close();
    plain.close();
    fs.rmSync(root, { recursive: true, force: true });
  }
  process.exit(results.some((r) => r.error) ? 1 : 0);
}

main().catch((e) => { console.error('render: ' + (e && e.stack || e)); process.exit(1); });
