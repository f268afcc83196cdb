// Shared pieces of the privacy, offline and share tests (issue 9): a server for any site root
// (FOLDSIGHT_DIST overrides dist/), a recorder of Content-Security-Policy violations installed
// before any page script runs, and a pixel comparison.
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { ROOT } from './support.mjs';

export const SITE = process.env.FOLDSIGHT_DIST ? path.resolve(process.env.FOLDSIGHT_DIST) : path.join(ROOT, 'dist');
export const HAVE_MODEL = existsSync(path.join(SITE, 'models/manifest.json')) && existsSync(path.join(SITE, 'predict_worker.js'));
export const PEPT = '/usr/share/pymol/data/demo/pept.pdb';

// The site must ship the files of this feature; say which are missing instead of timing out.
export function missingSiteFiles() {
  return ['share.mjs', 'sw.js', 'boot.js'].filter((f) => !existsSync(path.join(SITE, f)))
    .map((f) => `${path.join(SITE, f)} missing (copy web/${f} into dist/)`);
}

export async function serveSite(port) {
  const proc = spawn('python3', [path.join(ROOT, 'scripts/serve'), SITE, String(port)], { stdio: ['ignore', 'pipe', 'inherit'] });
  await new Promise((resolve, reject) => {
    proc.stdout.on('data', (d) => { if (String(d).includes('serving')) resolve(); });
    proc.on('exit', (code) => reject(new Error('server exited ' + code)));
  });
  let closed = false;
  return {
    url: `http://127.0.0.1:${port}/`,
    origin: `http://127.0.0.1:${port}`,
    close: () => new Promise((resolve) => {
      if (closed || proc.exitCode !== null) return resolve();
      closed = true;
      proc.on('exit', () => resolve());
      proc.kill();
    }),
  };
}

// Installed with context.addInitScript: every securitypolicyviolation of every document goes
// into window.__csp (the tests read it; any entry fails them).
export function recordCspViolations() {
  window.__csp = [];
  document.addEventListener('securitypolicyviolation', (e) => {
    window.__csp.push({ directive: e.violatedDirective, blocked: e.blockedURI, source: e.sourceFile, line: e.lineNumber, sample: e.sample });
  });
}

// A page of `context` at `url` with console errors collected; waits for window.foldsight.ready
// and for the share module (loaded as a module script, after the API).
export async function openPage(context, url) {
  const page = await context.newPage();
  const errors = [];
  page.on('console', (m) => { if (m.type() === 'error') errors.push(m.text()); });
  page.on('pageerror', (e) => errors.push(String(e)));
  const response = await page.goto(url);
  await page.evaluate(() => window.foldsight.ready.then(() => true));
  await page.waitForFunction(() => !!(window.foldsight.share && window.foldsight.linkOpened));   // a Promise would be awaited
  return { page, errors, response };
}

export async function cspViolations(page) { return page.evaluate(() => window.__csp || ['recorder missing']); }

// Fraction of pixels where some channel differs by more than `tol`.
export function pixelDifference(a, b, tol = 8) {
  if (a.width !== b.width || a.height !== b.height) return 1;
  let n = 0;
  for (let i = 0; i < a.data.length; i += 4)
    if (Math.abs(a.data[i] - b.data[i]) > tol || Math.abs(a.data[i + 1] - b.data[i + 1]) > tol || Math.abs(a.data[i + 2] - b.data[i + 2]) > tol) ++n;
  return n / (a.width * a.height);
}

export const nextFrames = (page) => page.evaluate(() => new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(r))));
