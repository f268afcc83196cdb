// The workspace driven with real input events (issue 5): measure a distance by clicking two
// atoms, hover a residue in the sequence panel and see it highlighted in the capture.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp, dataUrlToPng } from './support.mjs';

let server, browser, page, errors;
before(async () => {
  server = await startServer(8092);
  browser = await launch();
  ({ page, errors } = await openApp(browser, server.url, { width: 1100, height: 700 }));
});
after(async () => { await browser?.close(); server?.close(); });

const frames = (n = 3) => page.evaluate((k) => new Promise((r) => { const f = () => (--k ? requestAnimationFrame(f) : r()); requestAnimationFrame(f); }), n);
function mul(m, v) { return [0, 1, 2, 3].map((r) => m[r] * v[0] + m[4 + r] * v[1] + m[8 + r] * v[2] + m[12 + r] * v[3]); }
async function screenOf(i) {
  return page.evaluate((k) => {
    const a = window.foldsight.atom(k), cam = window.foldsight.camera();
    const mul = (m, v) => [0, 1, 2, 3].map((r) => m[r] * v[0] + m[4 + r] * v[1] + m[8 + r] * v[2] + m[12 + r] * v[3]);
    const c = mul(cam.proj, mul(cam.view, [a.x, a.y, a.z, 1]));
    return { x: (c[0] / c[3] + 1) / 2 * cam.width / cam.dpr, y: (1 - c[1] / c[3]) / 2 * cam.height / cam.dpr, a };
  }, i);
}
async function clickAt(x, y) {
  await page.mouse.move(x, y);
  await frames(4);                       // the hover pick is read back asynchronously
  await page.mouse.down(); await frames(2); await page.mouse.up(); await frames(3);
}

test('clicking two atoms in measure mode gives their distance within 0.01 Å', async () => {
  await page.evaluate(() => window.foldsight.setRepresentation('spacefill', { selection: 'not water', color: 'element' }));
  await frames();
  // Two atoms that are visible: ask the pick buffer which atoms lie under two screen points.
  const hits = await page.evaluate(() => window.foldsight.pick([{ x: 500, y: 330 }, { x: 600, y: 380 }]));
  assert.ok(hits[0] && hits[1], 'both points are on atoms');
  const r = await page.evaluate(() => window.foldsight.uiItemRect('Measure'));
  await page.mouse.click(r.x + 8, r.y + r.h / 2);
  await frames();
  await clickAt(500, 330);
  await clickAt(600, 380);
  const m = await page.evaluate(() => window.foldsight.sessionExtras().measurements);
  assert.equal(m.length, 1, 'one measurement made');
  const d = Math.hypot(hits[0].x - hits[1].x, hits[0].y - hits[1].y, hits[0].z - hits[1].z);
  console.log(`# measured ${m[0].value.toFixed(4)} Å, from coordinates ${d.toFixed(4)} Å`);
  assert.ok(Math.abs(m[0].value - d) <= 0.01);
  await page.mouse.click(r.x + 8, r.y + r.h / 2);   // measure mode off
});

test('hovering a residue in the sequence panel highlights it in the capture', async () => {
  await page.evaluate(() => window.foldsight.setRepresentation('cartoon', { selection: 'polymer', color: 'chain' }));
  await frames();
  const before = dataUrlToPng(await page.evaluate(() => window.foldsight.capture({ width: 1100, height: 700 })));
  const cell = await page.evaluate(() => window.foldsight.uiItemRect('seq:0:A:25'));
  assert.ok(cell, 'the sequence panel shows residue A25');
  await page.mouse.move(cell.x + cell.w / 2, cell.y + cell.h / 2);
  await frames(4);
  const after = dataUrlToPng(await page.evaluate(() => window.foldsight.capture({ width: 1100, height: 700 })));
  // Yellow highlight pixels (0xFFD60A under lighting: red and green high, blue low) appear.
  let yellow = 0;
  for (let i = 0; i < after.data.length; i += 4) {
    const isY = (d) => d[i] > 150 && d[i + 1] > 110 && d[i + 2] < 80 && d[i] - d[i + 2] > 100;
    if (isY(after.data) && !isY(before.data)) ++yellow;
  }
  console.log(`# highlight: ${yellow} new yellow pixels`);
  assert.ok(yellow > 30);
  assert.deepEqual(errors, []);
});
