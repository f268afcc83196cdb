// Prediction in the tab (issues 6 and 8): predict a validation sequence through
// window.foldsight.predict, keep drawing while it runs, play the folding movie, and get the same
// model as the CLI (`foldsight predict`, the same pipeline under Node).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startServer, launch, openApp } from './support.mjs';

const haveModel = existsSync(path.join(ROOT, 'dist/models/manifest.json'));
let server, browser, page, errors;
const requests = [];

// First target of the homolog validation set (a template exists for it).
function firstTarget() {
  const lines = readFileSync(path.join(ROOT, '..', 'shared', 'benchmark', 'validation_homolog.fasta'), 'utf8').split('\n');
  const i = lines.findIndex((l) => l.startsWith('>'));
  let seq = '';
  for (let k = i + 1; k < lines.length && !lines[k].startsWith('>'); ++k) seq += lines[k].trim();
  return { name: lines[i].slice(1).split(/\s/)[0], seq };
}

before(async () => {
  server = await startServer(8093);
  browser = await launch();
  // A modest canvas: headless Chromium draws with SwiftShader (on the CPU), which shares the
  // machine's cores with the prediction worker.
  ({ page, errors } = await openApp(browser, server.url, { width: 1000, height: 700 }));
  page.on('request', (r) => requests.push(r.url()));
});
after(async () => { await browser?.close(); server?.close(); });

test('predict: the frame keeps drawing, the movie plays, the model equals the CLI\'s', { skip: !haveModel && 'no trained model in dist/models' }, async () => {
  const target = firstTarget();
  // Sample frame times on the page while the prediction runs in the worker.
  await page.evaluate(() => {
    // Main-thread tasks over 50 ms (our JS + wasm): what "never blocks the frame" is about. The
    // rAF intervals below also include SwiftShader's drawing on the CPU, shared with the worker.
    window.__longTasks = [];
    new PerformanceObserver((l) => { for (const e of l.getEntries()) window.__longTasks.push(e.duration); })
      .observe({ type: 'longtask', buffered: false });
    window.__frameTimes = [];
    window.__frameWork = [];
    let last = performance.now();
    const tick = (t) => {
      window.__frameTimes.push(t - last); last = t;
      window.__frameWork.push(window.foldsight.stats().frameWorkMaxMs);   // the app's own work per frame
      if (window.__sampling) requestAnimationFrame(tick);
    };
    window.__sampling = true;
    requestAnimationFrame(tick);
  });
  // Through the UI: paste the sequence into the predict panel and press Predict. The request the
  // panel makes is observed (Module.onPredictRequest) to get the result's figures.
  await page.evaluate(() => {
    const orig = window.Module.onPredictRequest;
    window.__uiPredict = new Promise((resolve, reject) => {
      window.Module.onPredictRequest = (seq, templates) => {
        window.Module.onPredictRequest = orig;
        window.__typed = seq;
        window.foldsight.predict(seq, { templates }).then(resolve, reject);
      };
    });
  });
  const field = await page.evaluate(() => window.foldsight.uiItemRect('Sequence'));
  // ImGui reads input once per frame: the mouse button and keys stay down across frames.
  const twoFrames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  const press = async (x, y) => { await page.mouse.move(x, y); await twoFrames(); await page.mouse.down(); await twoFrames(); await page.mouse.up(); await twoFrames(); };
  await press(field.x + field.w / 2, field.y + field.h / 2);
  await page.keyboard.down('Control'); await page.keyboard.down('a');
  await twoFrames();
  await page.keyboard.up('a'); await page.keyboard.up('Control');
  await page.keyboard.type(target.seq);
  await twoFrames();
  const button = await page.evaluate(() => window.foldsight.uiItemRect('Predict'));
  await press(button.x + button.w / 2, button.y + button.h / 2);
  const r = await page.evaluate(() => window.__uiPredict);
  assert.equal(await page.evaluate(() => window.__typed), target.seq, 'the panel sent what was typed');
  const frameTimes = await page.evaluate(() => { window.__sampling = false; return window.__frameTimes.slice(2); });
  const worst = Math.max(...frameTimes);
  const sorted = [...frameTimes].sort((a, b) => a - b);
  console.log(`# frame times during prediction: median ${sorted[sorted.length >> 1].toFixed(1)} ms, ` +
              `p95 ${sorted[Math.floor(sorted.length * 0.95)].toFixed(1)} ms, worst ${worst.toFixed(1)} ms`);
  console.log(`# ${target.name} L=${target.seq.length}: ${r.seconds.toFixed(2)} s (${JSON.stringify(r.times)}), ` +
              `confidence ${r.meanConfidence.toFixed(1)}, backend ${r.backend}, ${r.frames} movie frames, ` +
              `worst frame ${worst.toFixed(1)} ms over ${frameTimes.length} frames; template library ` +
              `download + inflate + index ${r.librarySeconds.toFixed(2)} s`);
  assert.ok(r.frames >= 30, `movie has ${r.frames} frames`);
  const frameWork = await page.evaluate(() => window.__frameWork.slice(2));
  const workSorted = [...frameWork].sort((a, b) => a - b);
  console.log(`# the app's own work per frame during the prediction: median ${workSorted[workSorted.length >> 1].toFixed(1)} ms, ` +
              `max ${Math.max(...frameWork).toFixed(1)} ms over ${frameWork.length} frames (frame intervals above include ` +
              `SwiftShader drawing on the CPU next to the worker)`);
  // Median within a 60 Hz frame's budget, and no frame's own work near the 100 ms of a visible
  // stall (the big-load test's bound): on a saturated 2-core machine single frames reached 51 ms.
  assert.ok(workSorted[workSorted.length >> 1] <= 16, 'the median frame\'s own work fits a 60 Hz frame');
  assert.ok(Math.max(...frameWork) <= 100, 'no frame\'s own work comes near a visible stall');
  const longTasks = await page.evaluate(() => window.__longTasks);
  console.log(`# main-thread tasks over 50 ms during the prediction: ${longTasks.length}` +
              (longTasks.length ? ` (longest ${Math.max(...longTasks).toFixed(0)} ms)` : ''));
  // The frame's own work is bounded above (≤ 100 ms); any main-thread task (messages, GC, the
  // result being loaded) stays under 100 ms even on this loaded 2-core machine.
  assert.deepEqual(longTasks.filter((d) => d >= 100), [], 'the main thread never blocks for 100 ms');

  // The movie plays by itself; wait for it to reach its last frame.
  await page.waitForFunction(() => !window.foldsight.stats().movie.playing, null, { timeout: 30000 });
  const movie = await page.evaluate(() => window.foldsight.stats().movie);
  assert.equal(movie.current, movie.frames - 1, 'movie ends on its last frame');
  assert.ok(movie.shown >= 30, `movie showed ${movie.shown} distinct frames`);

  // Same model as the CLI.
  const dir = mkdtempSync(path.join(tmpdir(), 'fs-predict-'));
  writeFileSync(path.join(dir, 'q.fasta'), `>${target.name}\n${target.seq}\n`);
  execFileSync(path.join(ROOT, 'scripts/foldsight'), ['predict', path.join(dir, 'q.fasta'), '-o', path.join(dir, 'cli.pdb')]);
  const web = await page.evaluate(() => window.foldsight.exportStructure(-1, 'pdb'));
  writeFileSync(path.join(dir, 'web.pdb'), web);
  const sup = JSON.parse(execFileSync(path.join(ROOT, 'scripts/foldsight'), ['superpose', path.join(dir, 'web.pdb'), path.join(dir, 'cli.pdb')]).toString());
  console.log(`# browser vs CLI model: TM ${sup.tm_score.toFixed(4)}, RMSD ${sup.rmsd.toFixed(3)} Å`);
  assert.ok(sup.tm_score >= 0.99, `TM ${sup.tm_score}`);

  const origin = new URL(server.url).origin;
  const foreign = requests.filter((u) => !u.startsWith(origin) && !u.startsWith('data:') && !u.startsWith('blob:'));
  assert.deepEqual(foreign, [], 'every request is same-origin');
  assert.deepEqual(errors, []);
});

test('predict: the template table lists the templates; a click shows one superposed on the model', { skip: !haveModel && 'no trained model in dist/models' }, async () => {
  const twoFrames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await twoFrames();
  const row = await page.evaluate(() => window.foldsight.uiItemRect('template:0'));
  assert.ok(row, 'the template table shows the first template');
  const n = await page.evaluate(() => window.foldsight.stats().structures);
  await page.mouse.move(row.x + 20, row.y + row.h / 2); await twoFrames();
  await page.mouse.down(); await twoFrames(); await page.mouse.up();
  await page.waitForFunction((k) => window.foldsight.stats().structures === k + 1, n, { timeout: 30000 });
  await page.waitForFunction(() => window.foldsight.uiItemRect('superpose:result'), null, { timeout: 10000 });
  // The same through the API gives the figures: a homolog template sits on the model.
  const hit = await page.evaluate(() => window.foldsight.stats());
  const r = await page.evaluate(() => window.foldsight.showTemplate(window.__lastTemplate || ''), null).catch((e) => ({ error: String(e) }));
  console.log(`# template shown and superposed (${hit.structures} structures); API without a name: ${r.error ? 'rejected' : 'resolved'}`);
  assert.ok(r.error, 'an unknown template name is refused');
});

test('predict: wrong letters give a readable error and the app keeps its structures', { skip: !haveModel && 'no trained model in dist/models' }, async () => {
  const before = await page.evaluate(() => window.foldsight.stats().structures);
  const msg = await page.evaluate(() => window.foldsight.predict('MKT1AYIAK').then(() => 'resolved', (e) => e.message));
  assert.match(msg, /'1' at position 4 is not an amino-acid letter/);
  assert.equal(await page.evaluate(() => window.foldsight.stats().structures), before);
});

test('mutate a residue from the sequence panel: re-predicts and morphs the old model into the new', { skip: !haveModel && 'no trained model in dist/models' }, async () => {
  const frames = (n) => page.evaluate((k) => new Promise((r) => { const f = () => (--k ? requestAnimationFrame(f) : r()); requestAnimationFrame(f); }), n);
  // A small prediction to mutate (fast on any machine).
  const seq = 'MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ';
  await page.evaluate(() => window.foldsight.clear());   // the prediction's row first in the sequence panel
  await page.evaluate((q) => window.foldsight.predict(q, { templates: false }), seq);
  await frames(3);
  const n = await page.evaluate(() => window.foldsight.stats().structures);
  const si = n - 1;
  // Right-click residue 5 (Tyr, numbered 5 in the prediction) in the sequence panel, choose W.
  const title = await page.evaluate(() => window.foldsight.uiItemRect('window:Sequence'));   // to the front
  // Other windows may cover most of it: press where only the strip's window is (its lower middle).
  await page.mouse.move(title.x + title.w / 2, title.y + 160); await frames(2);
  await page.mouse.down(); await frames(2); await page.mouse.up(); await frames(2);
  const cell = await page.evaluate((k) => window.foldsight.uiItemRect(`seq:${k}:A:5`), si);
  assert.ok(cell, 'the predicted chain is in the sequence panel');
  await page.mouse.move(cell.x + cell.w / 2, cell.y + cell.h / 2);
  await frames(3);
  await page.mouse.down({ button: 'right' }); await frames(2); await page.mouse.up({ button: 'right' });
  await frames(3);
  const w = await page.evaluate(() => window.foldsight.uiItemRect('mutate:W'));
  if (!w) await page.screenshot({ path: '/tmp/fs-mutate-fail.png' });
  assert.ok(w, 'the mutate menu is open');
  await page.mouse.move(w.x + w.w / 2, w.y + w.h / 2); await frames(2);
  await page.mouse.down(); await frames(2); await page.mouse.up();
  await page.waitForFunction((k) => window.foldsight.stats().structures === k + 1, n, { timeout: 120000 });
  const mutated = await page.evaluate(() => window.Module.UTF8ToString(window.Module._fs_sequence_of(-1)));
  assert.equal(mutated, seq.slice(0, 4) + 'W' + seq.slice(5));
  const movie = await page.evaluate(() => window.foldsight.stats().movie);
  assert.equal(movie.frames, 40, 'the morph (40 frames) replaces the folding movie');
  await page.waitForFunction(() => !window.foldsight.stats().movie.playing, null, { timeout: 30000 });
  const end = await page.evaluate(() => window.foldsight.stats().movie);
  assert.equal(end.current, end.frames - 1, 'the morph ends on the new model');
  // The API does the same: mutate back.
  const r = await page.evaluate((k) => window.foldsight.mutate(k, 4, 'Y'), n);
  assert.equal(r.sequence, seq);
  console.log(`# mutate Y5W and back: ${n + 2} structures, morph ${end.frames} frames, re-prediction ${r.seconds.toFixed(2)} s`);
});

test('predict: Cancel stops a running prediction and the next one works', { skip: !haveModel && 'no trained model in dist/models' }, async () => {
  const before = await page.evaluate(() => window.foldsight.stats().structures);
  // 664 residues: long enough (several seconds) to be running when Cancel is pressed.
  const p = page.evaluate(() => window.foldsight.predict('MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQ'.repeat(8))
    .then(() => 'resolved', (e) => (e.cancelled ? 'cancelled' : e.message)));
  await page.waitForFunction(() => window.foldsight.uiItemRect('Cancel prediction'), null, { timeout: 20000 });
  const c = await page.evaluate(() => window.foldsight.uiItemRect('Cancel prediction'));
  const twoFrames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await page.mouse.move(c.x + c.w / 2, c.y + c.h / 2); await twoFrames();
  await page.mouse.down(); await twoFrames(); await page.mouse.up();
  assert.equal(await p, 'cancelled');
  assert.equal(await page.evaluate(() => window.foldsight.stats().structures), before);
  const r = await page.evaluate(() => window.foldsight.predict('MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ', { templates: false }));
  assert.ok(r.frames >= 2);
});

// Leave-one-out on a library chain (what scripts/train/calibrate_confidence.py relies on):
// sperm-whale myoglobin 1A6M_A finds itself first, and never once its entry is left out.
test('CLI: --exclude-templates leaves a chain or a whole entry out of the search', () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fs-exclude-'));
  const fa = path.join(dir, 'q.fasta');
  writeFileSync(fa, '>1A6M_A\nVLSEGEWQLVLHVWAKVEADVAGHGQDILIRLFKSHPETLEKFDRFKHLKTEAEMKASEDLKKHGVTVLTALGAILKKKGHHEAELKPLAQSHATKHKIPIKYLEFISEAIIHVLHSRHPGDFGADAQGAMNKALELFRKDIAAKYKELGY\n');
  const ids = (...extra) => execFileSync(path.join(ROOT, 'scripts/foldsight'), ['search', fa, ...extra]).toString()
    .trim().split('\n').map((l) => l.split('\t')[0]);
  const all = ids();
  assert.equal(all[0], '1A6M_A');
  for (const x of ['1A6M', '1A6M_A']) {
    const left = ids('--exclude-templates', x);
    assert.ok(!left.includes('1A6M_A'), x);
    assert.deepEqual(left.slice(0, 5), all.filter((id) => id !== '1A6M_A').slice(0, 5), x);
  }
});

// Fold recognition: 5HWV_A (a training-validation chain, not a benchmark target) has no
// confident hit once its own entry is left out; its weak hits, realigned and ordered by the
// distogram, still give its fold (TM 0.65 measured; 0.17 from the single-sequence model alone).
test('CLI: without a confident hit, weak hits (marked weak) restrain the model and find the fold', { skip: !haveModel && 'no trained model in dist/models' }, () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'fs-weak-'));
  const native = path.join(dir, 'native.pdb'), fa = path.join(dir, 'q.fasta');
  // sequence and native Cα from StructureDB (Debian promod3-data), as scripts/bench/predict reads them
  execFileSync('/usr/bin/python3', ['-c', `
import promod3.loop
db = promod3.loop.LoadStructureDB()
i = next(k for k in range(db.GetNumCoords()) if db.GetCoordInfo(k).id + '_' + db.GetCoordInfo(k).chain_name == '5HWV_A')
seq, bb = db.GetSequence(i), db.GetBackboneList(i)
open(${JSON.stringify(fa)}, 'w').write('>5HWV_A\\n' + seq + '\\n')
with open(${JSON.stringify(native)}, 'w') as f:
    for k in range(len(bb)):
        c = bb.GetCA(k)
        f.write('ATOM  %5d  CA  ALA A%4d    %8.3f%8.3f%8.3f  1.00  0.00           C\\n' % (k + 1, k + 1, c[0], c[1], c[2]))
`]);
  const tm = (model) => +/TM-score\s*=\s*([\d.]+)/.exec(execFileSync('TMscore', [model, native]).toString())[1];
  const predict = (...extra) => {
    const out = path.join(dir, `m${extra.length}.pdb`), js = path.join(dir, `m${extra.length}.json`);
    execFileSync(path.join(ROOT, 'scripts/foldsight'), ['predict', fa, '-o', out, '--json', js, ...extra]);
    return { tm: tm(out), info: JSON.parse(readFileSync(js, 'utf8')) };
  };
  const weak = predict('--exclude-templates', '5HWV');
  assert.ok(weak.info.templates.length >= 1);
  for (const t of weak.info.templates) {
    assert.equal(t.confident, false, t.id);
    assert.ok(t.evalue > 1e-4 && !t.id.startsWith('5HWV'), t.id);
  }
  const alone = predict('--no-templates');
  assert.equal(alone.info.templates.length, 0);
  assert.ok(weak.tm >= 0.45, `weak hits: TM ${weak.tm}`);
  assert.ok(alone.tm < 0.35, `single-sequence model alone: TM ${alone.tm}`);
});
