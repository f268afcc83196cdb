#!/usr/bin/env node
// Regenerates the screenshots in docs/ from the built app (dist/) in headless Chromium:
//   node scripts/docs_screenshots.mjs
// cartoon / surface / ball-and-stick views of 1HPV, the workspace, the predict panel and a
// frame of the folding movie (needs a trained model in dist/models).
import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { ROOT, startServer, launch, openApp } from '../tests/e2e/support.mjs';

const out = (name) => path.join(ROOT, 'docs', name);
const server = await startServer(8099);
const browser = await launch();
try {
  const { page } = await openApp(browser, server.url, { width: 1280, height: 800 });
  const settle = () => page.evaluate(() => new Promise((r) => setTimeout(() => requestAnimationFrame(() => requestAnimationFrame(r)), 300)));
  const shot = async (name) => {
    const url = await page.evaluate(() => window.foldsight.capture({ width: 1200, height: 800 }));
    writeFileSync(out(name), Buffer.from(url.split(',')[1], 'base64'));
    console.log('wrote', out(name));
  };
  await page.evaluate(() => window.foldsight.rotate(25));
  await page.evaluate(() => { window.foldsight.setRepresentation('cartoon', { selection: 'polymer', color: 'chain' });
    window.foldsight.setRepresentation('ball-and-stick', { selection: 'ligand', color: 'element', add: true }); });
  await settle(); await shot('1hpv-cartoon.png');
  await page.evaluate(() => window.foldsight.setRepresentation('surface', { selection: 'polymer', color: 'hydrophobicity' }));
  await settle(); await shot('1hpv-surface.png');
  await page.evaluate(() => window.foldsight.setRepresentation('ball-and-stick', { selection: 'not water', color: 'element' }));
  await settle(); await shot('1hpv-ball-and-stick.png');
  await page.evaluate(() => window.foldsight.setRepresentation('cartoon', { selection: 'polymer', color: 'secondary-structure' }));
  await settle();
  await page.screenshot({ path: out('workspace-1hpv-cartoon.png') });
  console.log('wrote', out('workspace-1hpv-cartoon.png'));
  if (existsSync(path.join(ROOT, 'dist/models/manifest.json'))) {
    const seq = 'MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQ';
    await page.evaluate(() => window.foldsight.clear());
    await page.evaluate((s) => window.foldsight.predict(s), seq);
    // A frame from the middle of the folding movie, then the finished model with the panel.
    await page.waitForFunction(() => window.foldsight.stats().movie.current >= 20, null, { timeout: 20000 }).catch(() => {});
    await page.screenshot({ path: out('folding-movie.png') });
    console.log('wrote', out('folding-movie.png'));
    await page.waitForFunction(() => !window.foldsight.stats().movie.playing, null, { timeout: 30000 }).catch(() => {});
    await settle();
    await page.screenshot({ path: out('predict-panel.png') });
    console.log('wrote', out('predict-panel.png'));
  }
} finally {
  await browser.close();
  server.close();
}
