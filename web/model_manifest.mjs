// The learned model's manifest (models/manifest.json): read and checked before the model is
// used, by the prediction worker and the CLI alike. The manifest is outside data (the service
// worker caches it, an embedder may serve its own), so a file that does not describe a model the
// pipeline can run is refused with the reason, never half-used: the folding engine assumes the
// alphabet, the 8 DSSP states, 4 torsion values and 1 Å distogram bins from 2 Å written here.

import { ALPHABET } from './predict_core.mjs';

export const MAX_MODEL_BYTES = 64 * 1024 * 1024;   // the model is ~5 MB; the issue allows 20 MB
const SS8_STATES = 'HGIEBTS-';

function fail(why) { throw new Error('model manifest: ' + why); }

function isObject(v) { return v !== null && typeof v === 'object' && !Array.isArray(v); }

function field(obj, key, type, where) {
  const v = obj[key];
  if (type === 'array' ? !Array.isArray(v) : type === 'object' ? !isObject(v) : typeof v !== type) {
    fail(`${where}"${key}" must be ${type === 'array' ? 'an array' : type === 'object' ? 'an object' : 'a ' + type}`);
  }
  return v;
}

// `shape` as written ([1, "L", ...]) must be exactly `want`.
function checkShape(t, want) {
  const shape = field(t, 'shape', 'array', `${t.name}: `);
  if (shape.length !== want.length || shape.some((d, i) => d !== want[i])) {
    fail(`${t.name}: shape ${JSON.stringify(shape).slice(0, 80)}, expected ${JSON.stringify(want)}`);
  }
}

function tensor(list, name, dtype, where) {
  const t = list.find((x) => isObject(x) && x.name === name);
  if (!t) fail(`no ${where} named "${name}"`);
  if (t.dtype !== dtype) fail(`${name}: dtype ${JSON.stringify(t.dtype)}, expected "${dtype}"`);
  return t;
}

// Parses and checks manifest text (string or bytes). Returns {name, version, file, sha256,
// sizeBytes, nbins, binEdges, raw}; throws an Error saying what is wrong.
export function readModelManifest(text) {
  if (typeof text !== 'string') {
    try { text = new TextDecoder('utf-8', { fatal: true }).decode(text); } catch (e) { fail('not UTF-8 text'); }
  }
  if (text.length > 1024 * 1024) fail(`${text.length} characters; a manifest is a few kB`);
  let m;
  try { m = JSON.parse(text); } catch (e) { fail('not JSON (' + (e && e.message ? e.message : String(e)) + ')'); }
  if (!isObject(m)) fail('not a JSON object');
  const name = field(m, 'name', 'string', '');
  const version = field(m, 'version', 'string', '');
  const file = field(m, 'file', 'string', '');
  // Served next to the manifest: a plain file name, never a path or a URL.
  if (!/^[A-Za-z0-9][A-Za-z0-9._-]{0,127}\.onnx$/.test(file) || file.includes('..')) fail(`"file" ${JSON.stringify(file.slice(0, 80))} is not a plain .onnx file name`);
  const sha256 = field(m, 'sha256', 'string', '');
  if (!/^[0-9a-f]{64}$/.test(sha256)) fail('"sha256" must be 64 lower-case hex digits');
  const sizeBytes = field(m, 'size_bytes', 'number', '');
  if (!Number.isInteger(sizeBytes) || sizeBytes <= 0 || sizeBytes > MAX_MODEL_BYTES) fail(`"size_bytes" ${sizeBytes} is not a model size (1 byte to ${MAX_MODEL_BYTES})`);

  const inputs = field(m, 'inputs', 'array', '');
  const outputs = field(m, 'outputs', 'array', '');
  const aatype = tensor(inputs, 'aatype', 'int64', 'input');
  checkShape(aatype, [1, 'L']);
  if (aatype.alphabet !== ALPHABET) fail(`aatype: alphabet ${JSON.stringify(String(aatype.alphabet).slice(0, 40))}, the pipeline encodes ${ALPHABET}`);
  if (aatype.unknown_index !== 20) fail('aatype: "unknown_index" must be 20');

  const ss8 = tensor(outputs, 'ss8', 'float32', 'output');
  checkShape(ss8, [1, 'L', 8]);
  if (ss8.states !== SS8_STATES) fail(`ss8: states ${JSON.stringify(String(ss8.states).slice(0, 20))}, expected "${SS8_STATES}"`);
  checkShape(tensor(outputs, 'torsion', 'float32', 'output'), [1, 'L', 4]);
  checkShape(tensor(outputs, 'confidence', 'float32', 'output'), [1, 'L']);
  const dist = tensor(outputs, 'distogram', 'float32', 'output');
  const shape = field(dist, 'shape', 'array', 'distogram: ');
  const nbins = shape[3];
  if (!Number.isInteger(nbins) || nbins < 2 || nbins > 256) fail(`distogram: ${JSON.stringify(nbins)} bins`);
  checkShape(dist, [1, 'L', 'L', nbins]);
  const edges = field(dist, 'bin_edges_angstrom', 'array', 'distogram: ');
  // The folding engine's bins: [<2), [2,3), ..., [nbins-1 - 1 + 2, ∞) — 1 Å wide from 2 Å.
  if (edges.length !== nbins - 1 || edges.some((e, k) => e !== 2 + k)) fail(`distogram: bin edges must be 2, 3, … ${nbins} Å (${nbins - 1} edges) for the folding engine`);
  return { name, version, file, sha256, sizeBytes, nbins, binEdges: edges.slice(), raw: m };
}

// Checks the downloaded model against the manifest (size, then SHA-256); throws when it differs
// (a stale cache or a half-written file would otherwise give silently wrong predictions).
export async function checkModelBytes(manifest, bytes) {
  if (bytes.length !== manifest.sizeBytes) throw new Error(`model ${manifest.file}: ${bytes.length} bytes, the manifest says ${manifest.sizeBytes}`);
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes));
  const hex = Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
  if (hex !== manifest.sha256) throw new Error(`model ${manifest.file}: SHA-256 ${hex.slice(0, 12)}… differs from the manifest's ${manifest.sha256.slice(0, 12)}…`);
}
