#!/usr/bin/env node
// Mutation fuzzer for the share-link and session-file decoders of web/share.mjs (JavaScript
// only: links and .foldsight files are decoded in the page before anything reaches C++).
//
// Seeds are real links and session files made by the module's own encoders (encodeState,
// encodeSession, encrypt, gzip) from states holding real structure text. Each execution picks
// a layer and mutates it (bit flips, byte/char insert and delete, range duplication, splices
// with another seed, truncation, dictionary tokens):
//   link-text      the '#s=…' / '#e=…' fragment string            -> decodeFragment
//   link-bytes     the fragment's decoded bytes, re-encoded       -> decodeFragment
//   link-json      the JSON inside, re-gzipped (and re-encrypted) -> decodeFragment
//   session-bytes  a .foldsight file's bytes                      -> decodeSession
//   session-json   the JSON inside a session, re-encoded          -> decodeSession
//   base64         fromBase64Url on mutated text; validateState on mutated JSON
// Contract checked: a decoder either returns a state that passes validateState, or throws a
// ShareError (code 'damaged' or 'passphrase') with a readable message; anything else
// (TypeError, RangeError, a non-ShareError, an empty message) or a call slower than
// --timeout-ms is a finding: the input is saved under --artifacts and the run exits 1.
// PBKDF2 iterations are capped at 1 inside this harness (seeds are encrypted with 1 iteration) (a mutated header can ask for up to
// the decoder's limit of 10 M; the header is authenticated data, so such a link fails the tag
// whatever the key, and the cap changes no outcome, only the time).
//
//   node tests/fuzz/js/fuzz_share.mjs [--runs=N] [--seconds=S] [--seed=K] [--artifacts=DIR] [--timeout-ms=MS]
//                                    [--parallel=P]   (inputs in flight at once, default 16)
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, parseOptions, makeRandom } from './fuzz_common.mjs';
import { gzipSync } from 'node:zlib';

const share = await import(pathToFileURL(join(ROOT, 'web', 'share.mjs')));

const opt = parseOptions('share', { parallel: 16 }, 100000);
const { rnd, ri, pick } = makeRandom(opt.seed);

// ---- PBKDF2 cap ----
const ITER_CAP = 1;
let capped = 0;
const subtle = globalThis.crypto.subtle;
const deriveKey = subtle.deriveKey.bind(subtle);
Object.defineProperty(subtle, 'deriveKey', {
  configurable: true,
  value: (alg, ...rest) => {
    if (alg && alg.iterations > ITER_CAP) { capped++; alg = { ...alg, iterations: ITER_CAP }; }
    return deriveKey(alg, ...rest);
  },
});

// ---- seeds: real structure text, encoded by the module's encoders ----
function firstLines(path, re, n) {
  if (!existsSync(path)) return null;
  let text = readFileSync(path, 'latin1');
  if (path.endsWith('.gz')) return null;
  const lines = text.split('\n').filter((l) => re.test(l)).slice(0, n);
  return lines.length ? lines.join('\n') + '\n' : null;
}
const pdbText = firstLines('/usr/share/pymol/data/tut/1hpv.pdb', /^(ATOM|HETATM|HELIX|SHEET|TER)/, 30) ||
  'ATOM      1  N   PRO A   1      -3.600   4.660  21.770  1.00 31.20           N\nATOM      2  CA  PRO A   1      -2.460   5.430  21.280  1.00 29.28           C\n';
let cifText = null;
for (const p of ['/usr/share/doc/python-biopython-doc/Tests/PDB/1A8O.cif', '/usr/share/doc/python-biopython-doc/Tests/PDB/1LCD.cif']) {
  if (!existsSync(p)) continue;
  const lines = readFileSync(p, 'latin1').split('\n');
  const at = lines.findIndex((l) => l.startsWith('_atom_site.'));
  if (at > 0) { cifText = ['data_1', 'loop_', ...lines.slice(at, at + 40)].join('\n') + '\n'; break; }
}
cifText ||= 'data_x\nloop_\n_atom_site.group_PDB\n_atom_site.id\n_atom_site.type_symbol\n_atom_site.label_atom_id\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\nATOM 1 C CA 1.0 2.0 3.0\n';
const view = [1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0.5, -2.25, -60, 1];
const extra = {
  reps: [[{ kind: 'cartoon', selection: 'polymer', color: 'chain', visible: true },
          { kind: 'ball-and-stick', selection: 'ligand', color: 'element', visible: true }]],
  selection: [[0, 3], [0, 4]],
  measurements: [{ kind: 'distance', value: 3.81, atoms: [[0, 1], [0, 9]] }],
};
const states = [
  { app: 'foldsight', v: 1, structures: [{ name: '1hpv.pdb', format: 'pdb', text: pdbText }], view },
  { app: 'foldsight', v: 1, structures: [{ name: '1a8o.cif', format: 'mmcif', text: cifText }] },
  { app: 'foldsight', v: 1, structures: [{ name: 'a.pdb', format: 'pdb', text: pdbText.slice(0, 400) },
    { name: 'b.cif', format: 'mmcif', text: cifText.slice(0, 600) }], view, extra },
  { app: 'foldsight', v: 1, structures: [], view: null },
];
const PASS = 'correct horse';
const enc = new TextEncoder(), dec = new TextDecoder();
// Re-encoding after a JSON mutation uses node:zlib (the same gzip format, synchronous and much
// faster than CompressionStream); the seeds themselves come from share.mjs's encoders.
async function linkFor(json, mode) {   // mode: 's' plain, 'e' encrypted (1 PBKDF2 iteration)
  const packed = gzipSync(enc.encode(json), { level: 1 });
  return mode === 's' ? '#s=' + share.toBase64Url(packed) : '#e=' + share.toBase64Url(await share.encrypt(packed, PASS, ITER_CAP));
}
async function sessionFor(json, mode) {
  const packed = gzipSync(enc.encode(json), { level: 1 });
  if (mode === 's') return packed;
  const sealed = await share.encrypt(packed, PASS, ITER_CAP);
  const out = new Uint8Array(4 + sealed.length);
  out.set([0x46, 0x53, 0x45, 0x31]);
  out.set(sealed, 4);
  return out;
}
const jsons = states.map((s) => JSON.stringify(s));
const links = [], sessions = [];
async function sealed(s) {   // share.mjs's gzip + encrypt, with 1 PBKDF2 iteration
  return share.encrypt(await share.gzip(enc.encode(JSON.stringify(s))), PASS, ITER_CAP);
}
for (const s of states) links.push(await share.encodeState(s, ''), '#e=' + share.toBase64Url(await sealed(s)));
for (const s of states) {
  const e = await sealed(s), file = new Uint8Array(4 + e.length);
  file.set([0x46, 0x53, 0x45, 0x31]);
  file.set(e, 4);
  sessions.push(await share.encodeSession(s, ''), file);
}

// ---- mutators ----
const TOKENS = ['"app"', '"foldsight"', '"v"', '"structures"', '"view"', '"extra"', '"format"', '"pdb"', '"mmcif"',
  '"text"', '"name"', 'null', 'true', 'false', '[]', '{}', '[[]]', '0', '-0', '2', '1e309', '-1e309', '1e-400', 'NaN',
  '"__proto__"', '"constructor"', '"toString"', '"\\u0000"', '"\\ud800"', ',', ':', '"', '\\', 'ATOM  ', 'data_',
  '#s=', '#e=', '=', '-', '_', 'AAAA', '////', '%00', '\u00e9', '\ud83d\ude00'];
function mutateString(s, others) {
  const n = 1 + ri(4);
  for (let k = 0; k < n; ++k) {
    const i = ri(s.length + 1);
    switch (ri(8)) {
      case 0: s = s.slice(0, i) + String.fromCharCode(ri(128)) + s.slice(i + 1); break;
      case 1: s = s.slice(0, i) + String.fromCharCode(ri(0x300)) + s.slice(i); break;
      case 2: s = s.slice(0, i) + s.slice(i + 1 + ri(8)); break;
      case 3: s = s.slice(0, i) + pick(TOKENS) + s.slice(i); break;
      case 4: { const j = ri(s.length + 1); s = s.slice(0, i) + s.slice(Math.min(i, j), Math.max(i, j)) + s.slice(i); break; }
      case 5: { const o = pick(others); s = s.slice(0, i) + o.slice(ri(o.length + 1)); break; }
      case 6: s = s.slice(0, i); break;
      default: s = s.slice(0, i) + pick('ABCXYZabcxyz0189-_+/=') + s.slice(i + 1); break;
    }
  }
  return s;
}
function mutateBytes(b, others) {
  let a = Array.from(b);
  const n = 1 + ri(4);
  for (let k = 0; k < n; ++k) {
    const i = ri(a.length + 1);
    switch (ri(8)) {
      case 0: if (a.length) { const j = ri(a.length); a[j] ^= 1 << ri(8); } break;
      case 1: if (a.length) a[ri(a.length)] = ri(256); break;
      case 2: a.splice(i, 0, ri(256)); break;
      case 3: a.splice(i, 1 + ri(16)); break;
      case 4: { const j = ri(a.length + 1); a.splice(i, 0, ...a.slice(Math.min(i, j), Math.min(Math.max(i, j), Math.min(i, j) + 256))); break; }
      case 5: { const o = Array.from(pick(others)); a = a.slice(0, i).concat(o.slice(ri(o.length + 1))); break; }
      case 6: a.length = i; break;
      default: if (a.length) { const j = ri(a.length); a[j] = pick([0, 0xff, 0x7f, 0x80, 0x1f, 0x8b, 0x01]); } break;
    }
  }
  return Uint8Array.from(a);
}

// ---- the contract ----
const layerMs = {};
const suspects = [];
let suspectsCleared = 0;
let execs = 0, accepted = 0, rejected = 0, unsafeExtra = 0, slowest = 0;
const layerCount = {};
function extraIsSafe(x) {   // what web/foldsight_api.js applySessionExtras needs (it is not validated by the decoder)
  const pair = (p) => Array.isArray(p) && p.length === 2 && p.every(Number.isInteger);
  return x == null || (typeof x === 'object' &&
    (x.reps == null || (Array.isArray(x.reps) && x.reps.every((r) => Array.isArray(r) && r.every((o) => o && typeof o === 'object')))) &&
    (x.selection == null || (Array.isArray(x.selection) && x.selection.every(pair))) &&
    (x.measurements == null || (Array.isArray(x.measurements) && x.measurements.every((m) => m && Array.isArray(m.atoms) && m.atoms.length <= 4 && m.atoms.every(pair)))));
}
function finding(layer, input, why) {
  mkdirSync(opt.artifacts, { recursive: true });
  const file = join(opt.artifacts, `crash-${layer}-${execs}.json`);
  const data = typeof input === 'string' ? { layer, text: input } : { layer, base64: Buffer.from(input.bytes || input).toString('base64'), passphrase: input.passphrase };
  writeFileSync(file, JSON.stringify(data, null, 1) + '\n');
  console.log(`fuzz_share: FINDING in ${layer} after ${execs} executions: ${why}\nfuzz_share: input saved as ${file}`);
  process.exit(1);
}
async function check(layer, input, call) {
  const t0 = performance.now();
  let result, error = null;
  try { result = await call(); } catch (e) { error = e; }
  const ms = performance.now() - t0;
  execs++;
  layerCount[layer] = (layerCount[layer] || 0) + 1;
  layerMs[layer] = (layerMs[layer] || 0) + ms;
  slowest = Math.max(slowest, ms);
  // With `parallel` inputs in flight a call's time includes the others' turns on the thread
  // pool, so a slow call is only suspected here and timed again alone after its batch.
  if (ms > opt.timeoutMs) suspects.push({ layer, input, call, ms });
  if (error) {
    rejected++;
    if (!(error instanceof share.ShareError)) finding(layer, input, `threw ${error && error.name}: ${error && error.message}`);
    if (typeof error.message !== 'string' || !error.message.trim()) finding(layer, input, 'ShareError without a message');
    if (error.code !== 'damaged' && error.code !== 'passphrase') finding(layer, input, `ShareError with code ${error.code}`);
    return;
  }
  if (result === undefined) return;   // sync checks that return nothing
  accepted++;
  try { share.validateState(result); } catch (e) { finding(layer, input, 'returned a state that fails validateState: ' + e.message); }
  if (!extraIsSafe(result.extra)) unsafeExtra++;
}

const passphrases = [PASS, PASS, '', 'wrong', '\u0000', 'é'];
async function one() {
  const layer = pick(['link-text', 'link-text', 'link-bytes', 'link-json', 'session-bytes', 'session-json', 'base64']);
  const pass = pick(passphrases);
  if (layer === 'link-text') {
    const hash = mutateString(pick(links), links);
    return check(layer, hash, () => share.decodeFragment(hash, pass));
  }
  if (layer === 'link-bytes') {
    const src = pick(links);
    const bytes = mutateBytes(share.fromBase64Url(src.slice(3)), links.map((l) => share.fromBase64Url(l.slice(3))));
    const hash = src.slice(0, 3) + share.toBase64Url(bytes);
    return check(layer, hash, () => share.decodeFragment(hash, pass));
  }
  if (layer === 'link-json') {
    const json = mutateString(pick(jsons), jsons);
    const hash = await linkFor(json, pick(['s', 's', 'e']));
    return check(layer, hash, () => share.decodeFragment(hash, PASS));
  }
  if (layer === 'session-bytes') {
    const bytes = mutateBytes(pick(sessions), sessions);
    return check(layer, { bytes, passphrase: pass }, () => share.decodeSession(bytes, pass));
  }
  if (layer === 'session-json') {
    const json = mutateString(pick(jsons), jsons);
    const bytes = await sessionFor(json, pick(['s', 's', 'e']));
    return check(layer, { bytes, passphrase: PASS }, () => share.decodeSession(bytes, PASS));
  }
  // base64 + validateState: synchronous parts, checked the same way
  const text = mutateString(pick(links).slice(3), links);
  await check('base64', text, () => { share.fromBase64Url(text); });
  const json = mutateString(pick(jsons), jsons);
  let state;
  try { state = JSON.parse(json); } catch (e) { return; }
  return check('validate', json, () => { share.validateState(state); });
}

// The unmutated seeds must decode.
for (const l of links) {
  const st = await share.decodeFragment(l, PASS);
  if (!st || !Array.isArray(st.structures)) { console.log('fuzz_share: a seed link does not decode'); process.exit(1); }
}
for (const s of sessions) await share.decodeSession(s, PASS);

const start = performance.now();
let lastReport = start;
for (;;) {
  // Several inputs in flight: the streams and WebCrypto calls wait on Node's thread pool.
  await Promise.all(Array.from({ length: opt.parallel }, one));
  while (suspects.length) {
    const s = suspects.shift();
    const t0 = performance.now();
    try { await s.call(); } catch (e) { /* the outcome was checked the first time */ }
    const alone = performance.now() - t0;
    if (alone > opt.timeoutMs) finding(s.layer, s.input, `took ${s.ms.toFixed(0)} ms in a batch and ${alone.toFixed(0)} ms alone (limit ${opt.timeoutMs})`);
    suspectsCleared++;
  }
  const now = performance.now();
  if (opt.runs && execs >= opt.runs) break;
  if (opt.seconds && now - start >= opt.seconds * 1000) break;
  if (now - lastReport > 60000) {
    lastReport = now;
    console.log(`#${execs} ${((now - start) / 1000).toFixed(0)} s ${(execs / ((now - start) / 1000)).toFixed(0)} exec/s rss ${(process.memoryUsage().rss / 1048576).toFixed(0)} MB`);
  }
}
const secs = (performance.now() - start) / 1000;
console.log(`fuzz_share: executions per layer ${JSON.stringify(layerCount)}`);
console.log(`fuzz_share: decoder ms per layer ${JSON.stringify(Object.fromEntries(Object.entries(layerMs).map(([k, v]) => [k, Math.round(v)])))}`);
console.log(`fuzz_share: accepted ${accepted}, rejected with ShareError ${rejected}, accepted states whose 'extra' applySessionExtras would mishandle ${unsafeExtra}, PBKDF2 calls capped ${capped}, slowest call ${slowest.toFixed(1)} ms (${suspectsCleared} over the limit in a batch but fast alone)`);
console.log(`fuzz_share: ${execs} executions in ${secs.toFixed(1)} s (${(execs / secs).toFixed(0)} exec/s), peak RSS ${(process.resourceUsage().maxRSS / 1024).toFixed(0)} MB, no findings`);
