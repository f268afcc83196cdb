// Share links (issue 9): the view travels in the URL fragment, optionally encrypted.
// Node part: the codec itself (round trip, wrong passphrase, tampering) on a real PDB file.
// Browser part: a link restores the view (< 1 % of pixels differ); an encrypted link reveals
// nothing of the structure, asks for the passphrase, and a wrong one fails cleanly.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { gunzipSync } from 'node:zlib';
import path from 'node:path';
import { ROOT, launch, dataUrlToPng } from './support.mjs';
import { PEPT, serveSite, missingSiteFiles, recordCspViolations, openPage, cspViolations, pixelDifference, nextFrames } from './privacy_support.mjs';

const share = await import(path.join(ROOT, 'web/share.mjs'));
const PASS = 'correct horse battery staple';
const peptText = readFileSync(PEPT, 'utf8');
const peptState = { app: 'foldsight', v: 1, structures: [{ name: 'pept.pdb', format: 'pdb', text: peptText }], view: Array.from({ length: 16 }, (_, i) => i * 0.5) };

// Everything a link could leak: records, atom + residue names, residue ids, coordinates. Each
// at least 6 characters, so random bytes (or base64 letters) do not match by chance.
const secrets = (() => {
  const words = new Set(['ATOM  ', 'HETATM']);
  for (const l of peptText.split('\n')) {
    if (!l.startsWith('ATOM') && !l.startsWith('HETATM')) continue;
    words.add(l.slice(12, 20).trim()).add(l.slice(17, 26).trim()).add(l.slice(30, 54).trim());
  }
  return [...words].filter((w) => w.length >= 6);
})();

// Tries every way the fragment could carry readable text: raw, base64url-decoded, and gunzipped
// from every offset (a header before a gzip stream). Returns the readable texts found.
function readableFrom(fragment) {
  const out = [fragment];
  const bytes = Buffer.from(fragment.replace(/-/g, '+').replace(/_/g, '/'), 'base64');
  out.push(bytes.toString('latin1'));
  for (let k = 0; k < Math.min(64, bytes.length); ++k) {
    try { out.push(gunzipSync(bytes.subarray(k)).toString('latin1')); } catch (e) { /* not gzip here */ }
  }
  return out;
}
const leaks = (fragment) => secrets.filter((w) => readableFrom(fragment).some((t) => t.includes(w)));

test('codec: plain and encrypted round trips give back the same state', async () => {
  const plain = await share.encodeState(peptState);
  assert.match(plain, /^#s=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await share.decodeFragment(plain), peptState);
  const sealed = await share.encodeState(peptState, PASS);
  assert.match(sealed, /^#e=[A-Za-z0-9_-]+$/);
  assert.deepEqual(await share.decodeFragment(sealed, PASS), peptState);
  const bytes = share.fromBase64Url(sealed.slice(3));
  assert.equal(bytes[0], 1, 'format version');
  assert.ok(new DataView(bytes.buffer).getUint32(1) >= 200000, 'PBKDF2 iterations');
  console.log(`# pept.pdb ${peptText.length} bytes -> plain link fragment ${plain.length} chars, encrypted ${sealed.length} chars`);
});

test('codec: an encrypted fragment reveals nothing; the plain one does (control)', async () => {
  assert.ok(secrets.length >= 10, `secrets ${secrets}`);
  const plain = await share.encodeState(peptState);
  assert.ok(leaks(plain.slice(3)).length >= 10, 'the leak detector finds the text of a plain link');
  const sealed = await share.encodeState(peptState, PASS);
  assert.deepEqual(leaks(sealed.slice(3)), []);
  // Two encryptions of the same state differ (random salt and IV).
  assert.notEqual(sealed, await share.encodeState(peptState, PASS));
});

test('codec: no or wrong passphrase and tampering fail with readable errors', async () => {
  const sealed = await share.encodeState(peptState, PASS);
  await assert.rejects(share.decodeFragment(sealed), (e) => e.code === 'passphrase' && /passphrase/.test(e.message));
  await assert.rejects(share.decodeFragment(sealed, 'correct horse battery stapler'), (e) => e.code === 'passphrase' && /Wrong passphrase/.test(e.message));
  // One flipped bit of the ciphertext, or of the header (authenticated data), is caught.
  for (const at of [40, 2]) {
    const bytes = share.fromBase64Url(sealed.slice(3));
    bytes[at] ^= 1;
    await assert.rejects(share.decodeFragment('#e=' + share.toBase64Url(bytes), PASS), share.ShareError);
  }
  await assert.rejects(share.decodeFragment('#s=AAAA'), (e) => e.code === 'damaged');
  await assert.rejects(share.decodeFragment('#s=@@'), (e) => e.code === 'damaged');
  const notOurs = '#s=' + share.toBase64Url(await share.gzip(new TextEncoder().encode('{"hello":1}')));
  await assert.rejects(share.decodeFragment(notOurs), /does not describe a Foldsight view/);
});

test('codec: .foldsight session files round trip, plain and encrypted', async () => {
  const plain = await share.encodeSession(peptState);
  assert.deepEqual([plain[0], plain[1]], [0x1f, 0x8b], 'a plain session is a gzip stream');
  assert.deepEqual(await share.decodeSession(plain), peptState);
  const sealed = await share.encodeSession(peptState, PASS);
  assert.ok(share.sessionIsEncrypted(sealed));
  assert.ok(!Buffer.from(sealed).toString('latin1').includes('ATOM'));
  assert.deepEqual(await share.decodeSession(sealed, PASS), peptState);
  await assert.rejects(share.decodeSession(sealed, 'wrong'), /Wrong passphrase/);
  await assert.rejects(share.decodeSession(new TextEncoder().encode(peptText)), /Not a Foldsight session file/);
});

// ---- In the browser ---------------------------------------------------------------------------
const missing = missingSiteFiles();
let server, browser;
before(async () => {
  server = await serveSite(8111);
  browser = await launch();
});
after(async () => { await browser?.close(); await server?.close(); });

const SIZE = { width: 640, height: 480 };
async function newContext() {
  const context = await browser.newContext({ viewport: { width: 1280, height: 720 } });
  await context.addInitScript(recordCspViolations);
  return context;
}
async function capture(page) {
  await nextFrames(page);
  return dataUrlToPng(await page.evaluate((s) => window.foldsight.capture(s), SIZE));
}

// The sender: pept.pdb, turned away from the default view, in spacefill-like style via the view state.
async function sender() {
  const context = await newContext();
  const { page, errors } = await openPage(context, server.url);
  await page.evaluate(async (text) => {
    window.foldsight.clear();
    await window.foldsight.load(text);
    window.foldsight.rotate(40);
  }, peptText);
  return { context, page, errors, img: await capture(page), stats: await page.evaluate(() => window.foldsight.stats()) };
}

test('browser: a share link restores the view (< 1 % of pixels differ)', async () => {
  assert.deepEqual(missing, [], 'the site ships the share files');
  const a = await sender();
  const url = await a.page.evaluate(() => window.foldsight.share());
  assert.ok(url.startsWith(server.url + '#s='), url.slice(0, 80));
  const ctx = await newContext();
  const b = await openPage(ctx, url);
  assert.deepEqual(await b.page.evaluate(() => window.foldsight.linkOpened), { opened: true });
  const stats = await b.page.evaluate(() => window.foldsight.stats());
  assert.equal(stats.structures, 1, 'only the shared structure (no demo)');
  assert.equal(stats.atoms, a.stats.atoms);
  const viewA = await a.page.evaluate(() => window.foldsight.viewState());
  const viewB = await b.page.evaluate(() => window.foldsight.viewState());
  viewA.forEach((v, i) => assert.ok(Math.abs(v - viewB[i]) < 1e-4, `view[${i}] ${v} vs ${viewB[i]}`));
  const img = await capture(b.page);
  const diff = pixelDifference(a.img, img);
  const covered = pixelDifference(a.img, { ...a.img, data: Buffer.alloc(a.img.data.length, 255) });
  console.log(`# share link ${url.length} chars; pixels differing (tol 8): ${(100 * diff).toFixed(3)} % (structure covers ${(100 * covered).toFixed(1)} %)`);
  assert.ok(covered > 0.01, 'the structure is visible');
  assert.ok(diff < 0.01, `${(100 * diff).toFixed(2)} % of pixels differ`);
  // Control: the comparison does see a small change of view.
  await b.page.evaluate(() => window.foldsight.rotate(5));
  const turned = pixelDifference(a.img, await capture(b.page));
  console.log(`# control: turned by 5 degrees, ${(100 * turned).toFixed(2)} % of pixels differ`);
  assert.ok(turned > 0.01, 'a 5 degree turn is detected');
  assert.deepEqual(await cspViolations(a.page), []);
  assert.deepEqual(await cspViolations(b.page), []);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.context.close(); await ctx.close();
});

test('browser: an encrypted link reveals nothing, asks for the passphrase, a wrong one fails cleanly', async () => {
  assert.deepEqual(missing, [], 'the site ships the share files');
  const a = await sender();
  const url = await a.page.evaluate((p) => window.foldsight.share({ passphrase: p }), PASS);
  const fragment = new URL(url).hash;
  assert.match(fragment, /^#e=/);
  assert.deepEqual(leaks(fragment.slice(3)), [], 'the link carries none of the structure');

  const ctx = await newContext();
  const b = await openPage(ctx, url);
  const dialog = b.page.locator('dialog#share-passphrase');
  await b.page.waitForFunction(() => document.documentElement.dataset.share === 'passphrase');
  assert.ok(await dialog.isVisible(), 'the passphrase dialog is shown');
  assert.equal(await b.page.evaluate(() => window.foldsight.stats().structures), 0, 'nothing is shown before the passphrase (no demo flash)');

  // Wrong passphrase: a readable error, nothing loaded, the dialog stays for another try.
  await dialog.locator('input[type=password]').fill('not the passphrase');
  await dialog.locator('button[value=open]').click();
  await b.page.waitForFunction(() => document.documentElement.dataset.share === 'passphrase-error');
  assert.match(await dialog.locator('.share-error').textContent(), /Wrong passphrase/);
  assert.ok(await dialog.isVisible());
  assert.equal(await b.page.evaluate(() => window.foldsight.stats().structures), 0, 'a wrong passphrase loads nothing');

  // Right passphrase: the view is restored.
  await dialog.locator('input[type=password]').fill(PASS);
  await dialog.locator('button[value=open]').click();
  await b.page.waitForFunction(() => document.documentElement.dataset.share === 'opened', null, { timeout: 30000 });
  assert.deepEqual(await b.page.evaluate(() => window.foldsight.linkOpened), { opened: true });
  assert.ok(!(await dialog.isVisible()));
  assert.equal(await b.page.evaluate(() => window.foldsight.stats().atoms), a.stats.atoms);
  const diff = pixelDifference(a.img, await capture(b.page));
  console.log(`# encrypted link ${url.length} chars; after the passphrase, pixels differing: ${(100 * diff).toFixed(3)} %`);
  assert.ok(diff < 0.01, `${(100 * diff).toFixed(2)} % of pixels differ`);

  // A .foldsight session file (encrypted) opens in a fresh page too.
  const file = await a.page.evaluate(async (p) => Array.from(new Uint8Array(await (await window.foldsight.saveSession({ passphrase: p })).arrayBuffer())), PASS);
  const c = await openPage(ctx, server.url);
  assert.match(await c.page.evaluate((f) => window.foldsight.openSession(new Uint8Array(f), { passphrase: 'nope' }).then(() => 'opened', (e) => e.message), file), /Wrong passphrase/);
  assert.equal(await c.page.evaluate(() => window.foldsight.stats().structures), 1, 'the demo stays after a wrong passphrase');
  await c.page.evaluate(([f, p]) => window.foldsight.openSession(new Uint8Array(f), { passphrase: p }), [file, PASS]);
  assert.equal(await c.page.evaluate(() => window.foldsight.stats().atoms), a.stats.atoms);
  const sessionDiff = pixelDifference(a.img, await capture(c.page));
  console.log(`# session file ${file.length} bytes (encrypted); pixels differing after opening: ${(100 * sessionDiff).toFixed(3)} %`);
  assert.ok(sessionDiff < 0.01);

  // The API form: openLink with a wrong passphrase rejects and keeps what is shown.
  const msg = await b.page.evaluate((u) => window.foldsight.openLink(u, { passphrase: 'nope' }).then(() => 'opened', (e) => e.message), url);
  assert.match(msg, /Wrong passphrase/);
  assert.equal(await b.page.evaluate(() => window.foldsight.stats().atoms), a.stats.atoms);
  assert.deepEqual(await cspViolations(b.page), []);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.context.close(); await ctx.close();
});

test('browser: the Share button hook shows the link; a dropped .foldsight file opens', async () => {
  assert.deepEqual(missing, [], 'the site ships the share files');
  const a = await sender();
  // The C++ "Share" button calls Module.onShareRequest(passphrase).
  await a.page.evaluate(() => window.Module.onShareRequest(''));
  const field = a.page.locator('dialog#share-link input');
  await field.waitFor({ state: 'visible' });
  const shown = await field.inputValue();
  assert.ok(shown.startsWith(server.url + '#s='), shown.slice(0, 60));
  assert.equal(shown, await a.page.evaluate(() => window.foldsight.share()), 'the shown link is the view\'s link');
  const file = await a.page.evaluate(async () => Array.from(new Uint8Array(await (await window.foldsight.saveSession()).arrayBuffer())));

  const ctx = await newContext();
  const b = await openPage(ctx, server.url);
  assert.equal(await b.page.evaluate(() => window.foldsight.stats().structures), 1, 'the demo');
  await b.page.evaluate((bytes) => {
    const dt = new DataTransfer();
    dt.items.add(new File([new Uint8Array(bytes)], 'view.foldsight'));
    document.getElementById('canvas').dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
  }, file);
  await b.page.waitForFunction((n) => window.foldsight.stats().atoms === n, a.stats.atoms, { timeout: 10000 });
  assert.equal(await b.page.evaluate(() => window.foldsight.stats().structures), 1, 'the session replaced the demo');
  const diff = pixelDifference(a.img, await capture(b.page));
  console.log(`# dropped .foldsight (${file.length} bytes): pixels differing ${(100 * diff).toFixed(3)} %`);
  assert.ok(diff < 0.01);
  assert.deepEqual([...a.errors, ...b.errors], []);
  await a.context.close(); await ctx.close();
});
