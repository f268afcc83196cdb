// Load Web Worker: parses a structure file, finds its bonds and secondary structure, and sends
// the annotated structure back as a blob (src/core/structure_blob.h) — so opening a big file
// never blocks the page's frame. It runs the same C++ parsers as the app, in the worker module
// (foldsight_predict.wasm, src/predict_api/load_exports.cpp).
// In:  {type:'warm'} (compile the module now),
//      {type:'load', id, name, keepBytes, and one of: bytes (transferred) | url, source (as the
//       caller wrote it, for messages) | file (a File, read here)}
// Out: {type:'progress', id, stage, fraction},
//      {type:'done', id, blob (transferred), raw (the file's bytes, when keepBytes)},
//      {type:'error', id, message, fetchError (the message names the URL itself)}
importScripts('foldsight_predict.js');   /* global createFoldsightPredict */
let modPromise = null;
let current = 0;

function module() {
  if (!modPromise) {
    const base = new URL('./', self.location.href).href;
    modPromise = createFoldsightPredict({
      locateFile: (p) => base + p,
      onLoadProgress: (stage, fraction) => self.postMessage({ type: 'progress', id: current, stage, fraction }),
    });
  }
  return modPromise;
}

// Uncompressed size the worker accepts: beyond it the wasm heap (4 GB at most, the parsed
// structure needs ~45 bytes per atom besides the text) would run out.
const MAX_TEXT_BYTES = 1536 * 1024 * 1024;

// gzip is inflated here (the browser's DecompressionStream), in chunks, stopping at the limit.
async function inflate(bytes, name, id) {
  const reader = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('gzip')).getReader();
  const chunks = [];
  let total = 0;
  for (;;) {
    let r;
    try { r = await reader.read(); } catch (e) { throw new Error(`corrupt gzip data (${e.message})`); }
    if (r.done) break;
    total += r.value.length;
    if (total > MAX_TEXT_BYTES) {
      reader.cancel();
      throw new Error(`more than ${MAX_TEXT_BYTES >> 20} MB once uncompressed: too large to open in a browser tab`);
    }
    chunks.push(r.value);
    if (chunks.length % 64 === 0) self.postMessage({ type: 'progress', id, stage: 'inflating', fraction: Math.min(0.99, total / (bytes.length * 5)) });
  }
  const out = new Uint8Array(total);
  let at = 0;
  for (const c of chunks) out.set(c, at), at += c.length;
  return out;
}

// Files smaller than this show no download progress (they take a moment).
const QUIET_BYTES = 256 * 1024;

class FetchError extends Error {}

// Downloads `url` with progress; messages as the page's own loader words them.
async function download(url, label, id) {
  let resp;
  try { resp = await fetch(url); } catch (e) { throw new FetchError(`could not fetch ${label} (${e.message})`); }
  if (!resp.ok) throw new FetchError(`could not fetch ${label}: HTTP ${resp.status}`);
  const total = Number(resp.headers.get('content-length')) || 0;
  if (!resp.body || !total) return new Uint8Array(await resp.arrayBuffer());
  let out = new Uint8Array(total), got = 0;
  const reader = resp.body.getReader();
  for (let n = 0; ; ++n) {
    const r = await reader.read();
    if (r.done) break;
    if (got + r.value.length > out.length) {   // more than announced: grow
      const bigger = new Uint8Array(Math.max(out.length * 2, got + r.value.length));
      bigger.set(out.subarray(0, got));
      out = bigger;
    }
    out.set(r.value, got);
    got += r.value.length;
    if (total > QUIET_BYTES && n % 16 === 0) self.postMessage({ type: 'progress', id, stage: 'downloading', fraction: Math.min(1, got / total) });
  }
  return got === out.length ? out : out.slice(0, got);
}

self.onmessage = async (ev) => {
  const msg = ev.data;
  if (msg.type === 'warm') { module().catch(() => { modPromise = null; }); return; }
  if (msg.type !== 'load') return;
  current = msg.id;
  let ptr = 0, namePtr = 0, mod = null;
  try {
    let bytes;
    if (msg.url) bytes = await download(msg.url, msg.source || msg.url, msg.id);
    else if (msg.file) {
      if (msg.file.size > QUIET_BYTES) self.postMessage({ type: 'progress', id: msg.id, stage: 'reading', fraction: 0 });
      bytes = new Uint8Array(await msg.file.arrayBuffer());
    } else bytes = new Uint8Array(msg.bytes);
    const raw = msg.keepBytes ? bytes : null;
    if (bytes.length > QUIET_BYTES) self.postMessage({ type: 'progress', id: msg.id, stage: 'parsing', fraction: 0 });
    mod = await module();
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      bytes = await inflate(bytes, msg.name, msg.id);
      if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b)
        throw new Error('the file is compressed twice (gzip inside gzip): decompress it once and open it again');
    }
    if (bytes.length > MAX_TEXT_BYTES) throw new Error(`${bytes.length >> 20} MB is too large to open in a browser tab`);
    ptr = mod._malloc(bytes.length + 1);
    if (!ptr) throw new Error(`not enough memory to read ${msg.name} (${bytes.length} bytes)`);
    mod.HEAPU8.set(bytes, ptr);
    const n = mod.lengthBytesUTF8(msg.name) + 1;
    namePtr = mod._malloc(n);
    mod.stringToUTF8(msg.name, namePtr, n);
    if (mod._fsl_parse(ptr, bytes.length, namePtr) !== 0) throw new Error(mod.UTF8ToString(mod._fsl_last_error()));
    mod._free(ptr); ptr = 0;
    const size = mod._fsl_blob_size();
    const blob = mod.HEAPU8.slice(mod._fsl_blob_data(), mod._fsl_blob_data() + size);
    mod._fsl_blob_free();
    const transfer = [blob.buffer];
    if (raw) transfer.push(raw.buffer);
    self.postMessage({ type: 'done', id: msg.id, blob: blob.buffer, raw: raw ? raw.buffer : null }, transfer);
  } catch (e) {
    // An exhausted heap aborts the module: start a fresh one for the next file.
    if (!(e instanceof FetchError) && (!mod || /abort|memory/i.test(String(e && e.message)))) modPromise = null;
    self.postMessage({ type: 'error', id: msg.id, message: e && e.message ? e.message : String(e), fetchError: e instanceof FetchError });
  } finally {
    if (mod && ptr) mod._free(ptr);
    if (mod && namePtr) mod._free(namePtr);
  }
};
