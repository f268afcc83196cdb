// Share links carry representations, the residue selection and measurements (issue 9).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, launch, openApp } from './support.mjs';

let server, browser;
before(async () => { server = await startServer(8098); browser = await launch(); });
after(async () => { await browser?.close(); server?.close(); });

test('a share link restores representations, selection and measurements', async () => {
  const { page } = await openApp(browser, server.url, { width: 800, height: 500 });
  await page.evaluate(() => {
    const fs = window.foldsight;
    fs.setRepresentation('cartoon', { selection: 'polymer', color: 'rainbow' });
    fs.setRepresentation('spacefill', { selection: 'resn HOH', color: 'element', add: true });
    fs.applySessionExtras({ selection: [[0, 3], [0, 4]], measurements: [{ kind: 'distance', atoms: [[0, 1], [0, 9]] }] });
  });
  const before = await page.evaluate(() => window.foldsight.sessionExtras());
  assert.equal(before.reps[0].length, 2);
  assert.equal(before.measurements.length, 1);
  const url = await page.evaluate(() => window.foldsight.share({}));
  const { page: page2 } = await openApp(browser, url, { width: 800, height: 500 });
  await page2.evaluate(() => window.foldsight.linkOpened);
  const after = await page2.evaluate(() => window.foldsight.sessionExtras());
  assert.deepEqual(after, before);
});
