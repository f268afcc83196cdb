// Loads the committed ONNX model with onnxruntime-web (wasm EP) under Node and checks that its
// outputs match torch's, saved by scripts/train/train.py next to the model (max abs diff <= 1e-3).
// FOLDSIGHT_MODEL_DIR overrides the folder (e.g. build/train/smoke for the smoke model).
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const dir = process.env.FOLDSIGHT_MODEL_DIR || join(root, 'models');
const ort = await import('onnxruntime-web');
ort.env.wasm.numThreads = 1;

const manifest = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
const ref = JSON.parse(readFileSync(join(dir, 'foldsight-ss-dist.reference.json'), 'utf8'));
const session = await ort.InferenceSession.create(readFileSync(join(dir, manifest.file)), { executionProviders: ['wasm'] });

function encode(seq) {
  const alphabet = manifest.inputs[0].alphabet;
  return BigInt64Array.from(seq, (c) => BigInt(alphabet.includes(c) ? alphabet.indexOf(c) : 20));
}

test('manifest matches the session', () => {
  assert.deepEqual(session.inputNames, manifest.inputs.map((i) => i.name));
  assert.deepEqual([...session.outputNames].sort(), manifest.outputs.map((o) => o.name).sort());
});

test('onnxruntime-web outputs match torch reference within 1e-3', async () => {
  const ids = encode(ref.sequence);
  assert.deepEqual(Array.from(ids, Number), ref.aatype);
  const out = await session.run({ aatype: new ort.Tensor('int64', ids, [1, ids.length]) });
  for (const [name, want] of Object.entries(ref.outputs)) {
    const got = out[name];
    assert.deepEqual(got.dims.map(Number), want.shape, `${name} shape`);
    let maxDiff = 0;
    for (let i = 0; i < want.data.length; i++) maxDiff = Math.max(maxDiff, Math.abs(got.data[i] - want.data[i]));
    assert.ok(maxDiff <= 1e-3, `${name} max abs diff ${maxDiff}`);
  }
  // probabilities must be normalised per residue (catches a wrong softmax axis)
  const ss = out.ss8.data, L = ids.length;
  for (let i = 0; i < L; i++) {
    let s = 0; for (let k = 0; k < 8; k++) s += ss[i * 8 + k];
    assert.ok(Math.abs(s - 1) < 1e-4);
  }
});

test('dynamic length: L=300 runs, timing reported', async () => {
  const L = 300;
  const ids = encode(Array.from({ length: L }, (_, i) => 'ACDEFGHIKLMNPQRSTVWY'[(i * 7) % 20]).join(''));
  const feeds = { aatype: new ort.Tensor('int64', ids, [1, L]) };
  await session.run(feeds);                      // warm-up
  const t0 = performance.now();
  const out = await session.run(feeds);
  const ms = performance.now() - t0;
  console.log(`# inference L=${L}: ${ms.toFixed(0)} ms (wasm EP, 1 thread)`);
  assert.deepEqual(out.distogram.dims.map(Number), [1, L, L, manifest.outputs.find((o) => o.name === 'distogram').bin_edges_angstrom.length + 1]);
});

// The manifest reader the worker and the CLI use (web/model_manifest.mjs): the real manifest and
// model pass; each kind of damage is refused with its reason.
const { readModelManifest, checkModelBytes } = await import(join(root, 'web', 'model_manifest.mjs'));

test('manifest reader accepts this model and checks its bytes', async () => {
  const text = readFileSync(join(dir, 'manifest.json'), 'utf8');
  const m = readModelManifest(text);
  assert.equal(m.file, manifest.file);
  assert.equal(m.nbins, 22);
  const bytes = new Uint8Array(readFileSync(join(dir, m.file)));
  await checkModelBytes(m, bytes);
  const flipped = bytes.slice();
  flipped[flipped.length >> 1] ^= 1;
  await assert.rejects(checkModelBytes(m, flipped), /SHA-256 .* differs from the manifest/);
  await assert.rejects(checkModelBytes(m, bytes.subarray(1)), /bytes, the manifest says/);
});

test('manifest reader refuses damaged manifests with the reason', () => {
  const good = JSON.parse(readFileSync(join(dir, 'manifest.json'), 'utf8'));
  const damaged = (edit) => { const m = structuredClone(good); edit(m); return JSON.stringify(m); };
  const out = (name, m) => m.outputs.find((o) => o.name === name);
  const cases = [
    ['{"name": "x"', /not JSON/],
    ['[]', /not a JSON object/],
    [new Uint8Array([0xff, 0xfe, 0x7b]), /not UTF-8/],
    [damaged((m) => { m.file = '../../etc/passwd.onnx'; }), /not a plain \.onnx file name/],
    [damaged((m) => { m.file = 'https://example.org/m.onnx'; }), /not a plain \.onnx file name/],
    [damaged((m) => { delete m.sha256; }), /"sha256" must be a string/],
    [damaged((m) => { m.size_bytes = 1e12; }), /"size_bytes" .* is not a model size/],
    [damaged((m) => { m.inputs[0].alphabet = 'ARNDCQEGHILKMFPSTWYV'; }), /alphabet .* the pipeline encodes/],
    [damaged((m) => { out('ss8', m).states = 'HE-'; }), /ss8: states/],
    [damaged((m) => { out('torsion', m).shape = [1, 'L', 6]; }), /torsion: shape/],
    [damaged((m) => { m.outputs = m.outputs.filter((o) => o.name !== 'confidence'); }), /no output named "confidence"/],
    [damaged((m) => { out('distogram', m).bin_edges_angstrom[3] = 5.5; }), /bin edges must be 2, 3/],
    [damaged((m) => { out('distogram', m).shape = [1, 'L', 'L', 'many']; }), /distogram: "many" bins/],
  ];
  for (const [text, why] of cases) assert.throws(() => readModelManifest(text), (e) => e instanceof Error && /^model manifest: /.test(e.message) && why.test(e.message), String(why));
});
