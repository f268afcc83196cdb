// Offline (issue 9): after a first visit, with the browser context offline AND the server
// stopped (so nothing can come from the network, whatever the emulation covers), a reload
// draws the demo protein again, a share link opens, and (with a trained model) predict works.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { launch, dataUrlToPng, nonBackgroundFraction } from './support.mjs';
import { HAVE_MODEL, serveSite, missingSiteFiles, recordCspViolations, openPage, cspViolations, nextFrames } from './privacy_support.mjs';

const missing = missingSiteFiles();
const SEQ = 'MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQ';
let server, browser, context, page, errors, online = {};

before(async () => {
  server = await serveSite(8113);
  browser = await launch();
  context = await browser.newContext({ viewport: { width: 960, height: 640 } });
  await context.addInitScript(recordCspViolations);
});
after(async () => { await browser?.close(); await server?.close(); });

test('first visit: the service worker installs and controls the page', async () => {
  assert.deepEqual(missing, [], 'the site ships the offline files');
  ({ page, errors } = await openPage(context, server.url));
  await page.evaluate(() => navigator.serviceWorker.ready.then(() => true));
  await page.waitForFunction(() => !!navigator.serviceWorker.controller, null, { timeout: 20000 });
  await page.waitForFunction(() => !!document.documentElement.dataset.version, null, { timeout: 5000 });
  online.version = await page.evaluate(() => document.documentElement.dataset.version);
  online.stats = await page.evaluate(() => window.foldsight.stats());
  online.share = await page.evaluate(() => window.foldsight.share());
  if (HAVE_MODEL) online.predict = await page.evaluate((s) => window.foldsight.predict(s), SEQ);   // caches the library
  const cached = await page.evaluate(async () => {
    const out = [];
    for (const name of await caches.keys()) for (const r of await (await caches.open(name)).keys()) out.push(name + ' ' + new URL(r.url).pathname);
    return out;
  });
  console.log(`# version ${online.version}; ${cached.length} cached entries: ${cached.map((c) => c.split(' ')[1]).join(' ')}`);
  for (const f of ['/', '/foldsight.js', '/foldsight.wasm', '/foldsight_api.js', '/demo/1hpv.pdb'])
    assert.ok(cached.some((c) => c.endsWith(' ' + f)), `${f} is cached`);
  assert.ok(online.stats.atoms > 1000, JSON.stringify(online.stats));
});

test('offline: a reload draws the demo protein from the cache', async () => {
  assert.ok(online.stats, 'first visit done');
  await server.close();
  await context.setOffline(true);
  const before = Date.now();
  const response = await page.reload();
  assert.ok(response.fromServiceWorker(), 'the page came from the service worker');
  await page.evaluate(() => window.foldsight.ready.then(() => true));
  const stats = await page.evaluate(() => window.foldsight.stats());
  assert.equal(stats.atoms, online.stats.atoms);
  await nextFrames(page);
  const img = dataUrlToPng(await page.evaluate(() => window.foldsight.capture({ width: 480, height: 360 })));
  const frac = nonBackgroundFraction(img, [255, 255, 255]);
  console.log(`# offline reload: ready in ${Date.now() - before} ms, ${stats.atoms} atoms, ${(100 * frac).toFixed(1)} % of pixels drawn`);
  assert.ok(frac > 0.03, `only ${(100 * frac).toFixed(1)} % drawn`);
  assert.equal(await page.evaluate(() => document.documentElement.dataset.version), online.version);
  assert.deepEqual(await cspViolations(page), [], 'the cached page keeps its CSP and breaks none of it');
});

test('offline: a share link opens in a new tab', async () => {
  assert.ok(online.share);
  const b = await openPage(context, online.share);
  assert.deepEqual(await b.page.evaluate(() => window.foldsight.linkOpened), { opened: true });
  assert.equal(await b.page.evaluate(() => window.foldsight.stats().atoms), online.stats.atoms);
  assert.deepEqual(b.errors, []);
  await b.page.close();
});

test('offline: predict works', { skip: !HAVE_MODEL && 'no trained model in the site (models/manifest.json): offline predict not testable' }, async () => {
  const r = await page.evaluate((s) => window.foldsight.predict(s), SEQ);
  console.log(`# offline predict L=${SEQ.length}: ${r.seconds.toFixed(2)} s, backend ${r.backend}, confidence ${r.meanConfidence.toFixed(1)}`);
  assert.ok(r.frames > 0);
  assert.equal(r.pdb, online.predict.pdb, 'same model as online');
});

test('offline: no console errors', () => {
  // Failed update checks of sw.js while offline are not errors of the app.
  assert.deepEqual(errors.filter((e) => !/sw\.js/.test(e)), []);
});

// Updates: a new deployment (a new stamp in sw.js) is picked up on the next online visit, shows
// its version, and drops the old version's cache. Runs on a copy of the site (links to its files).
test('update: a new version is picked up on the next online visit', async () => {
  const { mkdtempSync, readFileSync, writeFileSync, readdirSync, symlinkSync } = await import('node:fs');
  const { tmpdir } = await import('node:os');
  const path = await import('node:path');
  const { SITE } = await import('./privacy_support.mjs');
  const { spawn } = await import('node:child_process');
  const { ROOT } = await import('./support.mjs');
  const dir = mkdtempSync(path.join(tmpdir(), 'fs-update-'));
  for (const f of readdirSync(SITE)) if (f !== 'sw.js') symlinkSync(path.join(SITE, f), path.join(dir, f));
  const sw = readFileSync(path.join(SITE, 'sw.js'), 'utf8');
  assert.match(sw, /const STAMP = '[^']*';/);
  const stamp = (v) => writeFileSync(path.join(dir, 'sw.js'), sw.replace(/const STAMP = '[^']*';/, `const STAMP = '${v}';`));
  stamp('test-A');
  const proc = spawn('python3', [path.join(ROOT, 'scripts/serve'), dir, '8114'], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve) => proc.stdout.on('data', (d) => { if (String(d).includes('serving')) resolve(); }));
  const ctx = await browser.newContext();
  try {
    const { page: p } = await openPage(ctx, 'http://127.0.0.1:8114/');
    await p.waitForFunction(() => document.documentElement.dataset.version === 'test-A', null, { timeout: 20000 });
    stamp('test-B');
    await p.reload();
    await p.evaluate(() => window.foldsight.ready.then(() => true));
    await p.waitForFunction(() => document.documentElement.dataset.version === 'test-B', null, { timeout: 20000 });
    // The old cache goes when the new worker finishes activating.
    for (let t = 0; t < 50 && (await p.evaluate(() => caches.keys())).includes('foldsight-app-test-A'); ++t) await p.waitForTimeout(200);
    const names = await p.evaluate(() => caches.keys());
    console.log(`# update: version test-A -> test-B after one online reload; caches ${JSON.stringify(names)}`);
    assert.ok(names.includes('foldsight-app-test-B') && !names.includes('foldsight-app-test-A'), JSON.stringify(names));
  } finally {
    await ctx.close();
    proc.kill();
  }
});
