// The workspace with real input events (issue 5): drop a file, open an example from the
// gallery, reopen a recent file after a reload (IndexedDB), type selections into the
// representation manager (a bad one shows its error inline and changes nothing), and a missing
// URL or a bad file show a readable error while the loaded structures stay as they were.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, dataUrlToPng } from './support.mjs';

let server, browser, ctx, page;
const errors = [];
before(async () => {
  server = await startServer(8101);
  browser = await launch();
  ctx = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  page = await ctx.newPage();
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url);
  await page.evaluate(() => window.foldsight.ready.then(() => true));
});
after(async () => { await browser?.close(); server?.close(); });

const frames = (n = 3) => page.evaluate((k) => new Promise((r) => { const f = () => (--k ? requestAnimationFrame(f) : r()); requestAnimationFrame(f); }), n);
const rect = (label) => page.evaluate((l) => window.foldsight.uiItemRect(l), label);
async function click(label, opts = {}) {
  const r = await rect(label);
  assert.ok(r, `"${label}" is on screen`);
  await page.mouse.click(r.x + (opts.dx ?? r.w / 2), r.y + r.h / 2);
  await frames(3);
}
// ImGui reads key state once per frame: a key must stay down across a frame to count.
async function hold(...keys) {
  for (const k of keys) await page.keyboard.down(k);
  await frames(2);
  for (const k of [...keys].reverse()) await page.keyboard.up(k);
  await frames(1);
}
// Replaces the text of an ImGui input field: click it, Ctrl+A, type, Enter.
async function typeInto(label, text) {
  await click(label);
  await hold('Control', 'a');
  await page.keyboard.type(text);
  await frames(2);
  await hold('Enter');
  await frames(3);
}
const stats = () => page.evaluate(() => window.foldsight.stats());
async function waitStructures(n) { await page.waitForFunction((k) => window.foldsight.stats().structures === k, n, { timeout: 30000 }); await frames(3); }

// A real drop event carrying a File, on the canvas.
async function dropFile(name, bytes) {
  const dt = await page.evaluateHandle(({ name, b64 }) => {
    const d = new DataTransfer();
    d.items.add(new File([Uint8Array.from(atob(b64), (c) => c.charCodeAt(0))], name));
    return d;
  }, { name, b64: Buffer.from(bytes).toString('base64') });
  await page.dispatchEvent('#canvas', 'drop', { dataTransfer: dt });
}

test('a dropped file opens and joins the recent files; after a reload one click reopens it', async () => {
  const n = (await stats()).structures;
  await dropFile('1A8O.cif.gz', fs.readFileSync('/usr/share/doc/python-biopython-doc/Tests/PDB/1A8O.cif.gz'));
  await waitStructures(n + 1);
  assert.equal((await stats()).atoms, 1631 + 644, '1hpv (1,631 atoms) + 1A8O (644, as gemmi counts)');
  await click('open:title', { dx: 9 });   // expand the Open window
  await page.waitForFunction(() => window.foldsight.uiItemRect('recent:0'), null, { timeout: 10000 });
  await page.reload();
  await page.evaluate(() => window.foldsight.ready.then(() => true));
  await frames(5);
  if (!(await rect('recent:0'))) await click('open:title', { dx: 9 });
  await page.waitForFunction(() => window.foldsight.uiItemRect('recent:0'), null, { timeout: 10000 });
  const before = (await stats()).structures;
  await click('recent:0');
  await waitStructures(before + 1);
  assert.equal((await stats()).atoms, 1631 + 644);
});

test('a gallery example opens with one click', async () => {
  if (!(await rect('example:3'))) await click('open:title', { dx: 9 });
  const n = (await stats()).structures;
  await click('example:3');   // 2XHE, Unc18-syntaxin
  await waitStructures(n + 1);
  const names = await page.evaluate(() => window.foldsight.sessionExtras().reps.length);
  assert.equal(names, n + 1);
});

test('typing a selection in the representation manager changes the picture; a bad one shows its error and changes nothing', async () => {
  await page.evaluate(() => window.foldsight.clear());
  await page.evaluate(() => window.foldsight.load('demo/1hpv.pdb'));
  await frames(5);
  const shot = async () => dataUrlToPng(await page.evaluate(() => window.foldsight.capture({ width: 640, height: 400 })));
  const before = await shot();
  await typeInto('rep:0:0:selection', 'chain A');
  let reps = await page.evaluate(() => window.foldsight.sessionExtras().reps[0]);
  assert.equal(reps[0].selection, 'chain A');
  const after = await shot();
  let changed = 0;
  for (let i = 0; i < before.data.length; i += 4) if (Math.abs(before.data[i] - after.data[i]) > 30) ++changed;
  console.log(`# "chain A": ${(100 * changed / (before.width * before.height)).toFixed(1)} % of pixels changed`);
  assert.ok(changed > 0.02 * before.width * before.height, 'chain B disappeared');
  await typeInto('rep:0:0:selection', 'chain A and resi 10-');
  assert.ok(await rect('rep:0:0:error'), 'the error is shown under the field');
  reps = await page.evaluate(() => window.foldsight.sessionExtras().reps[0]);
  assert.equal(reps[0].selection, 'chain A', 'the representation keeps its last valid selection');
});

test('a missing URL and a bad file show a readable error; the loaded structures stay', async () => {
  const before = await stats();
  if (!(await rect('open:url'))) await click('open:title', { dx: 9 });
  await typeInto('open:url', 'no-such-file.pdb');
  await page.waitForFunction(() => window.foldsight.uiError() !== '', null, { timeout: 10000 });
  const msg = await page.evaluate(() => window.foldsight.uiError());
  console.log(`# missing URL: "${msg}"`);
  assert.match(msg, /could not fetch no-such-file\.pdb: HTTP 404/);
  await dropFile('broken.pdb', Buffer.from('ATOM      1  N   ALA A   1      11.1x4  13.0   1.0  1.00 20.00           N\n'));
  await page.waitForFunction((m) => window.foldsight.uiError() !== m, msg, { timeout: 10000 });
  const msg2 = await page.evaluate(() => window.foldsight.uiError());
  console.log(`# bad file: "${msg2}"`);
  assert.match(msg2, /broken\.pdb/);
  const after = await stats();
  assert.equal(after.structures, before.structures);
  assert.equal(after.atoms, before.atoms);
  assert.deepEqual(errors, []);
});

test('on a tablet (768 × 1024) the panels start collapsed down the right edge and the structure fills the view', async () => {
  const tctx = await browser.newContext({ viewport: { width: 768, height: 1024 } });
  const tab = await tctx.newPage();
  await tab.goto(server.url);
  await tab.evaluate(() => window.foldsight.ready.then(() => true));
  await tab.evaluate(() => new Promise((r) => { let n = 10; const f = () => (--n ? requestAnimationFrame(f) : r()); requestAnimationFrame(f); }));
  const trect = (label) => tab.evaluate((l) => window.foldsight.uiItemRect(l), label);
  const title = await trect('open:title');
  assert.ok(title && Math.abs(title.x + title.w - 762) < 2, `Open title bar at the right edge: ${JSON.stringify(title)}`);
  for (const item of ['open:url', 'rep:0:0:kind', 'Sequence', 'Measure']) assert.equal(await trect(item), null, `${item} is collapsed away`);
  // The structure is framed for the portrait screen: its projection fills the middle band.
  const img = dataUrlToPng(await tab.evaluate(() => window.foldsight.capture({ width: 384, height: 512 })));
  let inked = 0, left = 0, right = 0;
  for (let y = 0; y < img.height; ++y)
    for (let x = 0; x < img.width; ++x) {
      const i = (y * img.width + x) * 4;
      if (img.data[i] + img.data[i + 1] + img.data[i + 2] < 740) inked++, x < 8 && left++, x >= img.width - 8 && right++;
    }
  console.log(`# tablet: structure covers ${(100 * inked / (img.width * img.height)).toFixed(1)} % of the view; pixels at the left/right edges ${left}/${right}`);
  assert.ok(inked / (img.width * img.height) > 0.08, 'the structure fills the view');
  assert.ok(left + right < 40, 'the structure fits between the side edges');
  // A tap on a title bar opens the panel.
  await tab.mouse.move(title.x + title.h / 2, title.y + title.h / 2);   // the title bar's arrow
  await tab.mouse.down();
  await tab.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
  await tab.mouse.up();
  await tab.waitForFunction(() => window.foldsight.uiItemRect('open:url'), null, { timeout: 5000 });
  await tctx.close();
});
