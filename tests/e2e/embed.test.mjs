// Embedding (issue 9): a page with Foldsight in an iframe drives it through the postMessage API.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, dataUrlToPng, nonBackgroundFraction } from './support.mjs';

let server, browser;
before(async () => { server = await startServer(8096); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test('an embedding page loads, turns, restyles and captures the viewer by postMessage', async () => {
  const page = await browser.newPage({ viewport: { width: 1000, height: 700 } });
  const errors = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  await page.goto(server.url + 'embed-example.html');
  const stats = await page.evaluate(() => window.embeddedFoldsight.stats());
  assert.equal(stats.atoms, 1631);
  await page.evaluate(() => window.embeddedFoldsight.rotate(30));
  await page.evaluate(() => window.embeddedFoldsight.setRepresentation('spacefill', { selection: 'not water' }));
  const url = await page.evaluate(() => window.embeddedFoldsight.capture({ width: 400, height: 300 }));
  const covered = nonBackgroundFraction(dataUrlToPng(url), [255, 255, 255]);
  console.log(`# embedded capture: ${(100 * covered).toFixed(1)} % of pixels drawn`);
  assert.ok(covered > 0.1);
  const msg = await page.evaluate(() => window.embeddedFoldsight.setRepresentation('blobs').then(() => 'ok', (e) => e.message));
  assert.match(msg, /unknown representation/);
  assert.deepEqual(errors, []);
});
