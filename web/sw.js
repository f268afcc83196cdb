// Service worker: Foldsight keeps working offline (on a plane) once it has been opened.
// Network first, cache as the fallback: online, every visit gets the deployed files (so updates
// are picked up on the next online visit, and the HTTP cache still revalidates cheaply);
// offline, the copy cached on the last visit answers. Only same-origin GETs are handled: the
// app makes no other requests.
//
// VERSION is stamped by `make dist` (sed on @VERSION@); a new value changes this file's bytes,
// which is what makes the browser install the new worker, and names a new cache.
const STAMP = '@VERSION@';
const VERSION = STAMP.charAt(0) === '@' ? 'dev' : STAMP;
const CACHE = 'foldsight-app-' + VERSION;

// The app shell and the model are fetched at install, so a reload works offline even for files
// the first visit did not need (the predictor). Missing optional files (a dist/ without a
// trained model) are skipped; the template library is cached after first use.
const SHELL = ['./', 'index.html', 'app.css', 'recent_files.js', 'foldsight_api.js', 'foldsight.js', 'foldsight.wasm', 'share.mjs', 'boot.js',
  'demo/1hpv.pdb'];
const PREDICTOR = ['foldsight_predict.js', 'foldsight_predict.wasm', 'predict_worker.js', 'predict_core.mjs', 'model_manifest.mjs', 'load_worker.js',
  'ort/ort.webgpu.min.mjs', 'ort/ort-wasm-simd-threaded.asyncify.mjs', 'ort/ort-wasm-simd-threaded.asyncify.wasm',
  'models/manifest.json'];

async function fetchInto(cache, path) {
  const url = new URL(path, self.registration.scope).href;
  const resp = await fetch(url, { cache: 'no-cache' });
  if (!resp.ok) throw new Error(path + ': HTTP ' + resp.status);
  await cache.put(url, resp.clone());
  return resp;
}

async function precache() {
  const cache = await caches.open(CACHE);
  await Promise.all(SHELL.map((p) => fetchInto(cache, p)));
  await Promise.all(PREDICTOR.map((p) => fetchInto(cache, p).catch(() => null)));
  try {
    const manifest = await (await cache.match(new URL('models/manifest.json', self.registration.scope).href)).json();
    if (manifest && typeof manifest.file === 'string' && !/(^|\/)\.\.(\/|$)/.test(manifest.file)) await fetchInto(cache, 'models/' + manifest.file);
  } catch (e) { /* no trained model deployed */ }
}

self.addEventListener('install', (event) => {
  event.waitUntil(precache().then(() => self.skipWaiting()));
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const name of await caches.keys())
      if (name.startsWith('foldsight-app-') && name !== CACHE) await caches.delete(name);
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data && event.data.type === 'version') event.source.postMessage({ type: 'version', version: VERSION });
});

// Stores a copy, unless a newer worker has taken over and deleted this version's cache
// (caches.open would create it again, and it would never be cleaned up).
async function keep(key, resp) {
  if (await caches.has(CACHE)) await (await caches.open(CACHE)).put(key, resp);
}

async function networkFirst(event) {
  const request = event.request;
  // Pages are cached without their query (?url=…) so any page of the app opens offline.
  const key = request.mode === 'navigate' ? request.url.split('?')[0] : request.url;
  try {
    const resp = await fetch(request);
    // Stored in the background: the page gets the bytes as they arrive.
    if (resp.ok && resp.status === 200 && resp.type === 'basic') event.waitUntil(keep(key, resp.clone()));
    return resp;
  } catch (err) {
    const hit = await caches.match(key, { cacheName: CACHE }) ||
      (request.mode === 'navigate' ? await caches.match(new URL('./', self.registration.scope).href, { cacheName: CACHE }) : undefined);
    if (hit) return hit;
    throw err;
  }
}

self.addEventListener('fetch', (event) => {
  const req = event.request;
  if (req.method !== 'GET' || new URL(req.url).origin !== self.location.origin || req.headers.has('range')) return;
  event.respondWith(networkFirst(event));
});
