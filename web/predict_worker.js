// Prediction Web Worker: keeps search, inference and folding off the page's main thread so the
// 3D view keeps drawing. Messages in:  {type:'predict', id, sequence, useTemplates}
// Messages out: {type:'progress', id, stage, fraction}, {type:'result', id, ...}, {type:'error', id, message}
// Everything it fetches is same-origin (models/, library/, ort/, foldsight_predict.*); the
// template library and the model are kept in Cache Storage after the first visit.
// A classic worker: importScripts loads the Emscripten module (the same file Node require()s),
// dynamic import() loads the ES modules.
importScripts('foldsight_predict.js');   /* global createFoldsightPredict */
let core = null;

const CACHE = 'foldsight-data-v1';
let ready = null;   // Promise of {mod, ort, session, backend}

async function fetchCached(url, onProgress) {
  let cache = null;
  try { cache = await caches.open(CACHE); } catch (e) { /* Cache Storage unavailable (e.g. opaque origin) */ }
  let resp = cache ? await cache.match(url) : null;
  if (!resp) {
    resp = await fetch(url);
    if (!resp.ok) throw new Error(`${url}: HTTP ${resp.status}`);
    if (cache) await cache.put(url, resp.clone());
  }
  const total = Number(resp.headers.get('content-length')) || 0;
  if (!resp.body || !total) return new Uint8Array(await resp.arrayBuffer());
  const out = new Uint8Array(total);
  const reader = resp.body.getReader();
  let got = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    out.set(value, got);
    got += value.length;
    onProgress?.(got / total);
  }
  return got === total ? out : out.slice(0, got);
}

async function init(post) {
  const base = new URL('./', self.location.href).href;
  core = await import('./predict_core.mjs');
  const { readModelManifest, checkModelBytes } = await import('./model_manifest.mjs');
  const mod = await createFoldsightPredict({ locateFile: (p) => base + p });
  post('load', 0.1);
  const ort = await import('./ort/ort.webgpu.min.mjs');
  ort.env.wasm.wasmPaths = base + 'ort/';
  // Leave one core to the page (its frame and, with a software GPU, the rasteriser).
  ort.env.wasm.numThreads = self.crossOriginIsolated ? Math.max(1, Math.min(4, (navigator.hardwareConcurrency || 1) - 1)) : 1;
  const manifest = readModelManifest(await fetchCached(base + 'models/manifest.json'));
  const modelBytes = await fetchCached(base + 'models/' + manifest.file, (f) => post('load', 0.1 + 0.3 * f));
  await checkModelBytes(manifest, modelBytes);
  let session = null, backend = 'wasm';
  // WebGPU execution provider on a real GPU; a software adapter (SwiftShader, as in headless
  // tests and some VMs) runs the model slower than WebAssembly and competes with drawing.
  let gpuUsable = false;
  if (self.navigator.gpu) {
    try {
      const adapter = await navigator.gpu.requestAdapter();
      const info = adapter && (adapter.info || (adapter.requestAdapterInfo ? await adapter.requestAdapterInfo() : {}));
      const desc = info ? `${info.vendor || ''} ${info.architecture || ''} ${info.description || ''}`.toLowerCase() : '';
      gpuUsable = !!adapter && !adapter.isFallbackAdapter && !/swiftshader|llvmpipe|software/.test(desc);
    } catch (e) { gpuUsable = false; }
  }
  if (gpuUsable) {
    try {
      session = await ort.InferenceSession.create(modelBytes, { executionProviders: ['webgpu'] });
      backend = 'webgpu';
    } catch (e) { session = null; }
  }
  if (!session) session = await ort.InferenceSession.create(modelBytes, { executionProviders: ['wasm'] });
  post('load', 0.45);
  const tLib = performance.now();
  const packed = await fetchCached(base + 'library/templates.fslib.gz', (f) => post('load', 0.45 + 0.45 * f));
  const libBytes = new Uint8Array(await new Response(new Blob([packed]).stream().pipeThrough(new DecompressionStream('gzip'))).arrayBuffer());
  post('load', 0.95);
  core.loadLibrary(mod, libBytes);
  const librarySeconds = (performance.now() - tLib) / 1000;   // download (or cache) + inflate + index
  post('load', 1);
  return { mod, ort, session, backend, librarySeconds };
}

self.onmessage = async (ev) => {
  const msg = ev.data;
  if (msg.type === 'template') {   // a template chain as PDB, for the template table
    try {
      const env = await (ready || (ready = init(() => {})));
      self.postMessage({ type: 'template', id: msg.id, pdb: core.templatePdb(env.mod, msg.name), error: '' });
    } catch (e) {
      self.postMessage({ type: 'template', id: msg.id, pdb: '', error: e && e.message ? e.message : String(e) });
    }
    return;
  }
  if (msg.type !== 'predict') return;
  const post = (stage, fraction) => self.postMessage({ type: 'progress', id: msg.id, stage, fraction });
  try {
    if (!ready) ready = init(post);
    let env;
    try { env = await ready; } catch (e) { ready = null; throw e; }
    const r = await core.predict(env.mod, env.ort, env.session, msg.sequence, {
      useTemplates: msg.useTemplates !== false,
      onProgress: post,
      sliceMs: 30,
      yieldToEventLoop: () => new Promise((res) => setTimeout(res, 0)),
    });
    const frames = new Float32Array(r.frames.length * r.sequence.length * 3);
    r.frames.forEach((f, i) => frames.set(f, i * r.sequence.length * 3));
    self.postMessage({ type: 'result', id: msg.id, sequence: r.sequence, pdb: r.pdb, frames, frameCount: r.frames.length,
      seconds: r.seconds, times: r.times, meanConfidence: r.meanConfidence, predictedTm: r.predictedTm,
      templates: r.templates, backend: env.backend, librarySeconds: env.librarySeconds }, [frames.buffer]);
  } catch (e) {
    self.postMessage({ type: 'error', id: msg.id, message: e && e.message ? e.message : String(e) });
  }
};
