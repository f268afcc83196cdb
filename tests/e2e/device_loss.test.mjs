// WebGPU device loss (issue 10, acceptance 4): GPUDevice.destroy() on the app's device; the app
// requests a new device, recreates every GPU resource and draws the same scene — the capture
// after recovery equals the one before, and nothing loaded is lost. Twice in a row.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, dataUrlToPng } from './support.mjs';

let server, browser, page, errors;
before(async () => {
  server = await startServer(8099);
  browser = await launch();
  ({ page, errors } = await openApp(browser, server.url, { width: 1000, height: 700 }));
});
after(async () => { await browser?.close(); server?.close(); });

function diffFraction(a, b) {
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4)
    if (Math.abs(a.data[i] - b.data[i]) > 8 || Math.abs(a.data[i + 1] - b.data[i + 1]) > 8 || Math.abs(a.data[i + 2] - b.data[i + 2]) > 8) ++n;
  return n / (a.width * a.height);
}
const capture = async () => dataUrlToPng(await page.evaluate(() => window.foldsight.capture({ width: 600, height: 450 })));

test('after GPUDevice.destroy() the app recovers and draws the same picture', async () => {
  // Something beyond the default: a second representation and a selection, so "the same scene" means more.
  await page.evaluate(() => { window.foldsight.setRepresentation('spacefill', { selection: 'ligand', color: 'element', add: true }); });
  const before = await capture();
  const grid = [];
  for (let y = 100; y < 650; y += 50) for (let x = 100; x < 950; x += 50) grid.push({ x, y });
  const pickKey = (hits) => hits.map((h) => (h ? h.structure + ':' + h.atom : '-')).join(' ');
  const picksBefore = pickKey(await page.evaluate((g) => window.foldsight.pick(g), grid));
  const state = await page.evaluate(() => ({ atoms: window.foldsight.atomCount(), extras: window.foldsight.sessionExtras(), view: window.foldsight.viewState() }));
  for (let round = 1; round <= 2; ++round) {
    const t0 = Date.now();
    await page.evaluate(() => window.Module.preinitializedWebGPUDevice.destroy());
    await page.waitForFunction((r) => window.foldsight.stats().device.restores >= r && !window.foldsight.stats().device.lost, round, { timeout: 20000 });
    const framesAt = await page.evaluate(() => window.foldsight.stats().frames);
    await page.waitForFunction((f) => window.foldsight.stats().frames > f + 3, framesAt, { timeout: 20000 });
    const after = await capture();
    const d = diffFraction(before, after);
    console.log(`# round ${round}: recovered in ${Date.now() - t0} ms; ${(100 * d).toFixed(3)} % of pixels differ from before the loss`);
    assert.ok(d < 0.001, `capture differs by ${d}`);
    const now = await page.evaluate(() => ({ atoms: window.foldsight.atomCount(), extras: window.foldsight.sessionExtras(), view: window.foldsight.viewState() }));
    assert.deepEqual(now, state, 'structures, representations, selection and view are unchanged');
  }
  // Picking (the id buffer) gives the same atoms on the new device.
  const picksAfter = pickKey(await page.evaluate((g) => window.foldsight.pick(g), grid));
  assert.ok(picksBefore.split(' ').filter((k) => k !== '-').length > 20, 'the grid hits atoms');
  assert.equal(picksAfter, picksBefore);
  assert.deepEqual(errors.filter((e) => !/WebGPU error|device (was )?lost|destroyed/i.test(e)), []);
});
