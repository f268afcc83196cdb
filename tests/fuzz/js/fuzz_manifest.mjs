#!/usr/bin/env node
// Mutation fuzzer for the learned model's manifest reader, readModelManifest in
// web/model_manifest.mjs: the JSON the prediction worker and `foldsight predict` read before
// fetching and running the model (outside data: cached by the service worker, replaceable by an
// embedder).
// Seeds: the committed models/manifest.json (and the smoke model's, when built). Mutations at two
// levels: on the parsed JSON (delete, retype or tweak a value anywhere in the tree, duplicate or
// drop array items, swap in hostile strings: paths, URLs, huge numbers, NaN-like text) and on the
// text (byte flips, inserts, deletions, truncation, splices), plus invalid UTF-8 bytes.
// Contract checked: returns a manifest whose file is a plain .onnx name, sha256 64 hex digits,
// size in (0, MAX_MODEL_BYTES], nbins an integer 2..256 with nbins-1 edges 2, 3, …; reading
// JSON.stringify(raw) again gives the same answer; otherwise it throws an Error (class exactly
// Error) whose message starts with "model manifest: ". Anything else, or a call slower than
// --timeout-ms, is a finding (input saved under --artifacts, exit 1).
//   node tests/fuzz/js/fuzz_manifest.mjs [--runs=N] [--seconds=S] [--seed=K] [--artifacts=DIR] [--timeout-ms=MS]
import { readFileSync, existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT, parseOptions, makeRandom, makeTextMutator, done, report } from './fuzz_common.mjs';

const { readModelManifest, MAX_MODEL_BYTES } = await import(pathToFileURL(join(ROOT, 'web', 'model_manifest.mjs')));

const opt = parseOptions('manifest', {}, 1000000);
const { rnd, ri, pick } = makeRandom(opt.seed);

const seeds = [];
for (const f of ['models/manifest.json', 'build/train/smoke/manifest.json']) {
  if (existsSync(join(ROOT, f))) seeds.push(readFileSync(join(ROOT, f), 'utf8'));
}
if (!seeds.length) { console.error('fuzz_manifest: no manifest to seed from (models/manifest.json)'); process.exit(2); }
const seedTrees = seeds.map((s) => JSON.parse(s));

const VALUES = [null, true, false, 0, -1, 1, 2, 20, 21, 22, 23, 256, 257, 1e308, -0, 0.5, 2.0000001, 1e-300,
  '', 'L', 'onnx', 'x.onnx', '../x.onnx', 'a/b.onnx', 'https://e.org/m.onnx', '.onnx', 'm..onnx', 'C:\\m.onnx',
  'ACDEFGHIKLMNPQRSTVWY', 'ACDEFGHIKLMNPQRSTVW', 'HGIEBTS-', 'float32', 'int64', 'ss8', 'distogram', 'torsion', 'confidence', 'aatype',
  '0'.repeat(64), 'f'.repeat(64), 'F'.repeat(64), '\u0000', '\ud800', '__proto__', 'constructor', 'toString',
  [], {}, [1, 'L'], [1, 'L', 8], [1, 'L', 'L', 22], [2, 3, 4], { name: 'ss8' }];
const KEYS = ['name', 'version', 'file', 'sha256', 'size_bytes', 'inputs', 'outputs', 'shape', 'dtype', 'alphabet', 'unknown_index',
  'states', 'bin_edges_angstrom', '__proto__', 'constructor'];

// A random container node of the tree (object or array) and its keys.
function containers(node, out) {
  if (node && typeof node === 'object') {
    out.push(node);
    for (const v of Object.values(node)) containers(v, out);
  }
  return out;
}
function mutateTree(tree) {
  const n = 1 + ri(3);
  for (let k = 0; k < n; ++k) {
    const all = containers(tree, []);
    const c = pick(all);
    const keys = Object.keys(c);
    const key = keys.length && ri(5) ? pick(keys) : (Array.isArray(c) ? ri(c.length + 2) : pick(KEYS));
    switch (ri(7)) {
      case 0: if (Array.isArray(c)) c.splice(Number(key), 1); else delete c[key]; break;
      case 1: c[key] = structuredClone(pick(VALUES)); break;
      case 2: if (typeof c[key] === 'number') c[key] += pick([1, -1, 0.5, 1e9, -1e9]); else c[key] = ri(300); break;
      case 3: if (typeof c[key] === 'string') { const s = c[key], i = ri(s.length + 1); c[key] = s.slice(0, i) + String.fromCharCode(ri(0x250)) + s.slice(i + ri(2)); } break;
      case 4: if (Array.isArray(c) && c.length) c.push(structuredClone(c[ri(c.length)])); break;
      case 5: { const other = pick(containers(structuredClone(pick(seedTrees)), [])); c[key] = other; break; }
      default: if (Array.isArray(c)) c.reverse(); break;
    }
  }
  return JSON.stringify(tree, null, ri(2) ? 2 : 0);
}
const mutateText = makeTextMutator({ ri, pick }, {
  tokens: ['"', '{', '}', '[', ']', ',', ':', '\\', '\\u0000', '1e999', '-', 'null', '\n'], seeds, rounds: 4, maxDelete: 32, unicode: false });
function makeInput() {
  const r = ri(10);
  if (r < 6) return mutateTree(structuredClone(pick(seedTrees)));
  if (r < 9) return mutateText(pick(seeds));
  const bytes = new TextEncoder().encode(pick(seeds));
  for (let k = 0; k < 1 + ri(4); ++k) bytes[ri(bytes.length)] = ri(256);
  return bytes;
}

let execs = 0, accepted = 0, slowest = 0;
function finding(input, why) {
  mkdirSync(opt.artifacts, { recursive: true });
  const file = join(opt.artifacts, `crash-${execs}.json`);
  writeFileSync(file, JSON.stringify({ input: typeof input === 'string' ? input : Array.from(input) }) + '\n');
  console.log(`fuzz_manifest: FINDING after ${execs} executions: ${why}\nfuzz_manifest: input saved as ${file}`);
  process.exit(1);
}
function run(input) {
  try { return { m: readModelManifest(input) }; } catch (e) { return { error: e }; }
}
function summary(m) { return JSON.stringify([m.name, m.version, m.file, m.sha256, m.sizeBytes, m.nbins, m.binEdges]); }
const start = performance.now();
for (;;) {
  const input = makeInput();
  const t0 = performance.now();
  const { m, error } = run(input);
  const ms = performance.now() - t0;
  execs++;
  if (ms > slowest) slowest = ms;
  if (ms > opt.timeoutMs) finding(input, `took ${ms.toFixed(0)} ms`);
  if (error) {
    if (!(error instanceof Error) || error.constructor !== Error) finding(input, `threw ${error && error.name}: ${error && error.message}`);
    if (!/^model manifest: ./.test(error.message)) finding(input, `message ${JSON.stringify(error.message)}`);
  } else {
    accepted++;
    if (!/^[A-Za-z0-9][A-Za-z0-9._-]*\.onnx$/.test(m.file) || m.file.includes('..')) finding(input, `accepted file ${JSON.stringify(m.file)}`);
    if (!/^[0-9a-f]{64}$/.test(m.sha256)) finding(input, 'accepted sha256');
    if (!(Number.isInteger(m.sizeBytes) && m.sizeBytes > 0 && m.sizeBytes <= MAX_MODEL_BYTES)) finding(input, `accepted size ${m.sizeBytes}`);
    if (!(Number.isInteger(m.nbins) && m.nbins >= 2 && m.nbins <= 256) || m.binEdges.length !== m.nbins - 1 || m.binEdges.some((e, k) => e !== 2 + k)) finding(input, 'accepted bins');
    const again = run(JSON.stringify(m.raw));
    if (again.error || summary(again.m) !== summary(m)) finding(input, 're-reading the accepted manifest gives another answer');
  }
  if (done(opt, execs, start)) break;
}
report('manifest', execs, start, `accepted ${accepted}, rejected ${execs - accepted}, slowest call ${slowest.toFixed(2)} ms`);
