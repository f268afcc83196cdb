// Load Web Worker: parses a structure file, finds its bonds and secondary structure, and sends
// the annotated structure back as a blob (src/core/structure_blob.h) — so opening a big file
// never blocks the page's frame. It runs the same C++ parsers as the app, in the worker module
// (foldsight_predict.wasm, src/predict_api/load_exports.cpp).
// In:  {type:'warm'} (compile the module now), {type:'load', id, name, bytes (transferred)}
// Out: {type:'progress', id, stage, fraction}, {type:'done', id, blob (transferred)},
//      {type:'error', id, message}
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

self.onmessage = async (ev) => {
  const msg = ev.data;
  if (msg.type === 'warm') { module().catch(() => { modPromise = null; }); return; }
  if (msg.type !== 'load') return;
  current = msg.id;
  let ptr = 0, namePtr = 0, mod = null;
  try {
    mod = await module();
    let bytes = new Uint8Array(msg.bytes);
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
    self.postMessage({ type: 'done', id: msg.id, blob: blob.buffer }, [blob.buffer]);
  } catch (e) {
    // An exhausted heap aborts the module: start a fresh one for the next file.
    if (!mod || /abort|memory/i.test(String(e && e.message))) modPromise = null;
    self.postMessage({ type: 'error', id: msg.id, message: e && e.message ? e.message : String(e) });
  } finally {
    if (mod && ptr) mod._free(ptr);
    if (mod && namePtr) mod._free(namePtr);
  }
};
