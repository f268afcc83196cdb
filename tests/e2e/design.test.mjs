// Design self-consistency (issue 8): load validation natives as "designs", predict each one's
// sequence in the tab, and check the reported TM-score / RMSD against Debian's TMscore run on
// the same pair (the prediction exported from the app, the design as loaded).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { ROOT, startServer, launch, openApp } from './support.mjs';

const haveModel = existsSync(path.join(ROOT, 'dist/models/manifest.json'));
const COUNT = Number(process.env.DESIGN_CHECKS || 10);
let server, browser, page;

// Natives from the StructureDB (Debian promod3-data), backbone + CB, residues numbered 1..L.
function writeNatives(dir, names) {
  const py = `
import sys, promod3.loop
db = promod3.loop.LoadStructureDB()
idx = {}
for i in range(db.GetNumCoords()):
    ci = db.GetCoordInfo(i); idx[ci.id + '_' + ci.chain_name] = i
three = dict(A='ALA',C='CYS',D='ASP',E='GLU',F='PHE',G='GLY',H='HIS',I='ILE',K='LYS',L='LEU',M='MET',N='ASN',P='PRO',Q='GLN',R='ARG',S='SER',T='THR',V='VAL',W='TRP',Y='TYR')
for name in sys.argv[2:]:
    i = idx[name]; seq = db.GetSequence(i); bb = db.GetBackboneList(i); n = 1
    with open('%s/%s.pdb' % (sys.argv[1], name), 'w') as f:
        for k in range(len(bb)):
            atoms = [('N', bb.GetN(k)), ('CA', bb.GetCA(k)), ('C', bb.GetC(k)), ('O', bb.GetO(k))]
            if seq[k] != 'G': atoms.append(('CB', bb.GetCB(k)))
            for a, v in atoms:
                f.write('ATOM  %5d  %-3s %3s A%4d    %8.3f%8.3f%8.3f  1.00  0.00           %s\\n' % (n, a, three.get(seq[k], 'UNK'), k + 1, v[0], v[1], v[2], a[0])); n += 1
        f.write('END\\n')
`;
  execFileSync('/usr/bin/python3', ['-c', py, dir, ...names]);
}

before(async () => {
  server = await startServer(8095);
  browser = await launch();
  ({ page } = await openApp(browser, server.url));
});
after(async () => { await browser?.close(); server?.close(); });

test(`design check on ${COUNT} validation natives agrees with TMscore`, { skip: !haveModel && 'no trained model in dist/models', timeout: 1800000 }, async () => {
  const names = readFileSync(path.join(ROOT, '..', 'shared', 'benchmark', 'validation_homolog.txt'), 'utf8')
    .split('\n').map((l) => l.trim()).filter(Boolean).slice(0, COUNT);
  const dir = mkdtempSync(path.join(tmpdir(), 'fs-design-'));
  writeNatives(dir, names);
  let worstTm = 0, worstRmsd = 0;
  for (const name of names) {
    await page.evaluate(() => window.foldsight.clear());
    const design = readFileSync(path.join(dir, name + '.pdb'), 'utf8');
    await page.evaluate((t) => window.foldsight.load(t), design);
    const r = await page.evaluate(() => window.foldsight.designCheck(0));
    const model = await page.evaluate(() => window.foldsight.exportStructure(-1, 'pdb'));
    writeFileSync(path.join(dir, name + '.model.pdb'), model);
    const out = execFileSync('TMscore', [path.join(dir, name + '.model.pdb'), path.join(dir, name + '.pdb')]).toString();
    const tm = Number(/TM-score\s*=\s*([\d.]+)/.exec(out)[1]);
    const rmsd = Number(/RMSD of  the common residues=\s*([\d.]+)/.exec(out)[1]);
    worstTm = Math.max(worstTm, Math.abs(tm - r.tmScore));
    worstRmsd = Math.max(worstRmsd, Math.abs(rmsd - r.rmsd));
    console.log(`# ${name}: app TM ${r.tmScore.toFixed(4)} RMSD ${r.rmsd.toFixed(3)} | TMscore ${tm.toFixed(4)} RMSD ${rmsd.toFixed(3)}`);
  }
  console.log(`# worst |dTM| ${worstTm.toFixed(4)}, worst |dRMSD| ${worstRmsd.toFixed(3)} A`);
  assert.ok(worstTm <= 0.01, `TM differs by ${worstTm}`);
  assert.ok(worstRmsd <= 0.05, `RMSD differs by ${worstRmsd}`);
});

test('the design report: per-residue deviation plot, JSON + PNG saved by the Export button', { skip: !haveModel && 'no trained model in dist/models' }, async () => {
  // The last design of the test above is still loaded with its prediction superposed.
  const report = await page.evaluate(() => window.foldsight.designReport());
  const j = JSON.parse(report.json);
  assert.equal(j.per_residue.length, j.design_length);
  const paired = j.per_residue.filter((x) => x.ca_deviation !== null);
  assert.equal(paired.length, j.aligned);
  // The RMSD of the reported deviations is the reported RMSD (same superposition).
  const rms = Math.sqrt(paired.reduce((s, x) => s + x.ca_deviation ** 2, 0) / paired.length);
  console.log(`# report: ${j.design}, TM ${j.tm_score.toFixed(3)}, RMSD ${j.rmsd.toFixed(3)} (from per-residue deviations ${rms.toFixed(3)}), PNG ${report.png.length} chars`);
  assert.ok(rms >= j.rmsd - 0.01, 'the Kabsch RMSD is the smallest over the pairs');
  assert.match(report.png, /^data:image\/png;base64,/);
  const twoFrames = () => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await twoFrames();
  assert.ok(await page.evaluate(() => window.foldsight.uiItemRect('design:deviation')), 'the deviation plot is shown');
  // Bring the predict panel to the front (it may be under the sequence strip), then press Export.
  const title = await page.evaluate(() => window.foldsight.uiItemRect('Predict window'));
  await page.mouse.move(title.x + 120, title.y + title.h / 2); await twoFrames();
  await page.mouse.down(); await twoFrames(); await page.mouse.up(); await twoFrames();
  const b = await page.evaluate(() => window.foldsight.uiItemRect('design:export'));
  const downloads = [];
  page.on('download', (d) => downloads.push(d.suggestedFilename()));
  await page.mouse.move(b.x + b.w / 2, b.y + b.h / 2); await twoFrames();
  await page.mouse.down(); await twoFrames(); await page.mouse.up();
  await page.waitForFunction(() => true);
  for (let i = 0; i < 50 && downloads.length < 2; ++i) await new Promise((r) => setTimeout(r, 100));
  assert.deepEqual(downloads.sort(), [`design-check-${j.design.replace(/\.[^.]*$/, '')}.json`, `design-check-${j.design.replace(/\.[^.]*$/, '')}.png`]);
});
