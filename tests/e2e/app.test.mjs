// End-to-end: the app in real headless Chromium draws the demo protein with WebGPU.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import fs from 'node:fs';
import { startServer, launch, openApp, dataUrlToPng, nonBackgroundFraction, clickUiItem } from './support.mjs';

const DEMO = '/usr/share/pymol/data/tut/1hpv.pdb';
let server, browser, page, errors;

before(async () => {
  server = await startServer(18080 + (process.pid % 1000));
  browser = await launch();
  ({ page, errors } = await openApp(browser, server.url));
});
after(async () => { await browser?.close(); server?.close(); });

function countAtoms(pdbText) {
  // First model only, as the app shows it: ATOM/HETATM lines before the first ENDMDL.
  let n = 0;
  for (const line of pdbText.split('\n')) {
    if (line.startsWith('ENDMDL')) break;
    if (line.startsWith('ATOM  ') || line.startsWith('HETATM')) ++n;
  }
  return n;
}

test('stats report the demo protein and the webgpu backend', async () => {
  const stats = await page.evaluate(() => window.foldsight.stats());
  assert.equal(stats.backend, 'webgpu');
  assert.equal(stats.atoms, countAtoms(fs.readFileSync(DEMO, 'utf8')));
  assert.equal(stats.structures, 1);
  assert.ok(stats.residues > 100 && stats.chains >= 2, JSON.stringify(stats));
});

test('capture shows the protein on the white background', async () => {
  const url = await page.evaluate(() => window.foldsight.capture({ width: 640, height: 480 }));
  assert.match(url, /^data:image\/png;base64,/);
  const img = dataUrlToPng(url);
  assert.equal(img.width, 640);
  assert.equal(img.height, 480);
  // Corner pixel is the background.
  assert.deepEqual([...img.data.subarray(0, 3)], [255, 255, 255]);
  const frac = nonBackgroundFraction(img, [255, 255, 255]);
  assert.ok(frac >= 0.05, `only ${(frac * 100).toFixed(1)} % of pixels show the protein`);
  // Default view: cartoon coloured by chain, so no oxygen-red spheres of the protein.
  assert.ok(redPixels(img) < img.width * img.height * 0.01, 'default view is a chain-coloured cartoon');
});

test('rotation for 3 s keeps drawing without console errors', async () => {
  const before = await page.evaluate(() => window.foldsight.stats().frames);
  const t0 = Date.now();
  while (Date.now() - t0 < 3000) {
    await page.evaluate(() => window.foldsight.rotate(5));
    await page.waitForTimeout(50);
  }
  const after = await page.evaluate(() => window.foldsight.stats().frames);
  assert.ok(after - before >= 5, `frames advanced only ${after - before}`);
  assert.deepEqual(errors, []);
});

async function clickUi(label) {
  assert.ok(await clickUiItem(page, label), `the ${label} control is on screen`);
}

function redPixels(img) {
  let red = 0;
  for (let i = 0; i < img.data.length; i += 4) if (img.data[i] > 200 && img.data[i + 1] < 40 && img.data[i + 2] < 40) ++red;
  return red;
}

test('clicking the ImGui Spacefill and element controls changes the picture', async () => {
  const a = dataUrlToPng(await page.evaluate(() => window.foldsight.capture({ width: 320, height: 240 })));
  await clickUi('Spacefill');
  await clickUi('element');
  const b = dataUrlToPng(await page.evaluate(() => window.foldsight.capture({ width: 320, height: 240 })));
  let diff = 0;
  for (let i = 0; i < a.data.length; i += 4) if (Math.abs(a.data[i] - b.data[i]) + Math.abs(a.data[i + 1] - b.data[i + 1]) + Math.abs(a.data[i + 2] - b.data[i + 2]) > 30) ++diff;
  assert.ok(diff > a.width * a.height * 0.02, `only ${diff} pixels changed after switching to spacefill`);
  // Element colouring shows oxygens in red.
  assert.ok(redPixels(b) > 200, `expected oxygen-red pixels, got ${redPixels(b)}`);
});

test('a bad file is rejected with a readable error and the demo stays loaded', async () => {
  const msg = await page.evaluate(() => window.foldsight.load('HEADER junk\nATOM      1  CA  ALA A   1     abc\n', { format: 'pdb' })
    .then(() => 'resolved', (e) => e.message));
  assert.match(msg, /line 2/);
  const stats = await page.evaluate(() => window.foldsight.stats());
  assert.equal(stats.structures, 1);
  assert.deepEqual(errors, []);
});

test('without WebGPU the page explains which browsers work instead of a blank canvas', async () => {
  const p = await browser.newPage();
  await p.addInitScript(() => { Object.defineProperty(Navigator.prototype, 'gpu', { get: () => undefined }); });
  await p.goto(server.url);
  const ready = await p.evaluate(() => window.foldsight.ready.then(() => 'ok', (e) => e.message));
  assert.match(ready, /needs WebGPU/);
  const text = await p.locator('#fatal').innerText();
  assert.match(text, /Chrome or Edge 113\+/);
  assert.ok(await p.locator('#fatal').isVisible());
  await p.close();
});
