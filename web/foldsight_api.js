// window.foldsight: the browser API (see shared PRODUCT.md). Thin: every call goes to the C++
// app, which owns the single data model; JS only moves bytes and promises.
(function () {
  var resolveReady, rejectReady;
  var ready = new Promise(function (res, rej) { resolveReady = res; rejectReady = rej; });
  var captureWaiters = {};
  var pickWaiters = {};
  var nextCapture = 1;

  document.getElementById('canvas').addEventListener('contextmenu', function (e) { e.preventDefault(); });
  window.Module = {
    canvas: document.getElementById('canvas'),
    print: function (t) { console.log(t); },
    printErr: function (t) { console.warn(t); },
    onFatal: function (msg) { rejectReady(new Error(msg)); },
    onAppReady: function () {
      // ?url=… opens that structure instead of the demo (a link to any file the browser can
      // fetch); a share link (#s= / #e=) is opened by web/share.mjs once `ready` resolves.
      var params = new URLSearchParams(location.search);
      var url = params.get('url');
      var first = url ? api.load(url, { remember: true }).catch(function (e) { showError(e.message); })
                      : (/^#[se]=/.test(location.hash) ? Promise.resolve() : loadDemo());
      first.then(function () {
        resolveReady(api);
        refreshRecent();
        (window.requestIdleCallback || setTimeout)(warmLoadWorker);
      }, rejectReady);
      var v = document.documentElement.dataset.version;
      if (v) withCString(v, function (p) { Module._fs_set_version(p); });
      new MutationObserver(function () {
        var nv = document.documentElement.dataset.version;
        if (nv) withCString(nv, function (p) { Module._fs_set_version(p); });
      }).observe(document.documentElement, { attributes: true, attributeFilter: ['data-version'] });
    },
    // Called by C++ when the pick (id) buffer has been read back: ids are atom index + 1.
    onPickDone: function (id, ptr, w, h, bytesPerRow) {
      var waiter = pickWaiters[id]; delete pickWaiters[id];
      if (!waiter) return;
      if (!ptr) { waiter.reject(new Error('pick failed')); return; }
      var ids = new Uint32Array(w * h), src = new Uint32Array(Module.HEAPU8.buffer, ptr, (bytesPerRow / 4) * h);
      for (var y = 0; y < h; ++y) ids.set(src.subarray(y * bytesPerRow / 4, y * bytesPerRow / 4 + w), y * w);
      waiter.resolve({ ids: ids, width: w, height: h });
    },
    // Called by C++ when an offscreen capture has been read back from the GPU.
    onCaptureDone: function (id, ptr, w, h, bytesPerRow, bgra) {
      if (!ptr) {   // the GPU read-back failed (e.g. the device was lost meanwhile)
        var failed = captureWaiters[id]; delete captureWaiters[id];
        if (failed) failed.reject(new Error('capture failed: the GPU read-back did not complete'));
        return;
      }
      var pixels = new Uint8ClampedArray(w * h * 4);
      var src = Module.HEAPU8;
      for (var y = 0; y < h; ++y) {
        pixels.set(src.subarray(ptr + y * bytesPerRow, ptr + y * bytesPerRow + w * 4), y * w * 4);
      }
      if (bgra) for (var i = 0; i < pixels.length; i += 4) { var t = pixels[i]; pixels[i] = pixels[i + 2]; pixels[i + 2] = t; }
      var c = document.createElement('canvas'); c.width = w; c.height = h;
      c.getContext('2d').putImageData(new ImageData(pixels, w, h), 0, 0);
      var waiter = captureWaiters[id]; delete captureWaiters[id];
      if (waiter) waiter.resolve(c.toDataURL('image/png'));
    },
  };

  // Touch: one finger orbits, two fingers pinch to zoom and drag to pan.
  (function installTouch(canvas) {
    var last = null;
    function points(e) { return Array.prototype.map.call(e.touches, function (t) { return { x: t.clientX, y: t.clientY }; }); }
    function summary(p) {
      if (p.length === 1) return { n: 1, x: p[0].x, y: p[0].y };
      var cx = (p[0].x + p[1].x) / 2, cy = (p[0].y + p[1].y) / 2;
      return { n: 2, x: cx, y: cy, d: Math.hypot(p[0].x - p[1].x, p[0].y - p[1].y) };
    }
    function move(e) {
      if (!Module._fs_touch_orbit) return;
      var s = summary(points(e));
      if (last && last.n === s.n) {
        if (s.n === 1) Module._fs_touch_orbit(s.x - last.x, s.y - last.y);
        else Module._fs_touch_zoom_pan(last.d > 0 ? s.d / last.d : 1, s.x - last.x, s.y - last.y);
      }
      last = s;
      e.preventDefault();
    }
    canvas.addEventListener('touchstart', function (e) { last = summary(points(e)); }, { passive: true });
    canvas.addEventListener('touchmove', move, { passive: false });
    canvas.addEventListener('touchend', function (e) { last = e.touches.length ? summary(points(e)) : null; }, { passive: true });
  })(document.getElementById('canvas'));

  function loadDemo() {
    return fetch('demo/1hpv.pdb').then(function (r) {
      if (!r.ok) throw new Error('demo protein missing: ' + r.status);
      return r.arrayBuffer();
    }).then(function (buf) { return loadBytes(new Uint8Array(buf), '1hpv.pdb'); });
  }

  // Errors that happen outside C++ (network, file reading) go to the same error panel.
  function showError(message) {
    if (!Module._fs_show_error) return;
    var n = Module.lengthBytesUTF8(message) + 1, p = Module._malloc(n);
    Module.stringToUTF8(message, p, n);
    Module._fs_show_error(p);
    Module._free(p);
  }

  // Drag and drop (and the Open window's file picker): structure files are opened; a FASTA
  // file fills the predict panel. Share-session files (.foldsight) are handled by share.mjs.
  function openFiles(files) {
    files.forEach(function (f) {
      if (/\.foldsight$/i.test(f.name)) return;
      if (/\.(fasta|fa|faa|seq)$/i.test(f.name)) {
        f.text().then(function (t) { withCString(t, function (p) { Module._fs_set_predict_sequence(p); }); });
      } else {
        uiLoad(f);
      }
    });
  }
  window.addEventListener('dragover', function (e) { e.preventDefault(); });
  window.addEventListener('drop', function (e) {
    e.preventDefault();
    openFiles(e.dataTransfer ? Array.prototype.slice.call(e.dataTransfer.files) : []);
  });

  function lastError() { return Module.UTF8ToString(Module._fs_last_error()); }



  // Files are parsed and annotated in the load worker (web/load_worker.js) so the frame keeps
  // drawing; the app decodes the annotated structure it returns. Without a worker (it failed to
  // start) the app parses on this thread. Loads run one at a time; Cancel (the progress window
  // or foldsight.cancelLoad()) stops the one running, wherever it is.
  var loadWorker = null, loadJob = null, nextLoad = 1, loadQueue = Promise.resolve(), activeLoad = null;
  function setLoadProgress(name, stage, fraction) {
    withCString(name, function (np) { withCString(stage, function (sp) { Module._fs_load_progress(np, sp, fraction); }); });
  }
  function cancelledError(name) { var e = new Error(name + ': loading cancelled'); e.cancelled = true; return e; }
  function checkCancelled(load) { if (load.cancelled) throw cancelledError(load.name); }
  function startLoadWorker() {
    var w = new Worker('load_worker.js');
    w.onmessage = function (ev) {
      var m = ev.data, job = loadJob;
      if (!job || m.id !== job.id) return;
      if (m.type === 'progress') { setLoadProgress(job.name, m.stage, m.fraction); return; }
      loadJob = null;
      if (m.type === 'error') job.reject(new Error(m.fetchError ? m.message : job.name + ': ' + m.message));
      else { mark('parsed by the load worker'); job.resolve({ blob: new Uint8Array(m.blob), raw: m.raw ? new Uint8Array(m.raw) : null }); }
    };
    w.onerror = function (e) {
      e.preventDefault();
      var job = loadJob; loadJob = null; loadWorker = null;
      w.terminate();
      if (job) job.reject(new Error(job.name + ': the load worker failed (' + (e.message || 'could not start') + ')'));
    };
    return w;
  }
  // The worker compiles its WebAssembly once; doing that while the page is idle keeps the
  // compile off the first big file's critical path.
  function warmLoadWorker() {
    if (typeof Worker === 'undefined' || loadWorker) return;
    try { loadWorker = startLoadWorker(); loadWorker.postMessage({ type: 'warm' }); } catch (e) { loadWorker = null; }
  }
  // `source`: {bytes} (copied, then transferred), {url} (fetched by the worker) or {file} (read by
  // the worker). Resolves to {blob, raw}: raw = the file's bytes when `keepBytes` (recent files).
  function parseInWorker(source, name, keepBytes) {
    if (!loadWorker) loadWorker = startLoadWorker();
    return new Promise(function (resolve, reject) {
      loadJob = { id: nextLoad++, name: name, resolve: resolve, reject: reject };
      var msg = { type: 'load', id: loadJob.id, name: name, keepBytes: !!keepBytes }, transfer = [];
      if (source.bytes) {
        setLoadProgress(name, 'parsing', 0);
        var copy = source.bytes.slice();
        msg.bytes = copy.buffer, transfer.push(copy.buffer);
      } else if (source.url) {
        msg.url = source.url, msg.source = source.label;
      } else {
        msg.file = source.file;
      }
      loadWorker.postMessage(msg, transfer);
      mark('posted to the load worker');
    });
  }
  function cancelLoad() {
    var load = activeLoad;
    if (!load || load.cancelled) return false;
    load.cancelled = true;
    if (load.abort) load.abort.abort();
    var job = loadJob;
    if (job) {
      loadJob = null;
      if (loadWorker) { loadWorker.terminate(); loadWorker = null; }
      job.reject(cancelledError(job.name));
    }
    setLoadProgress('', '', 0);
    return true;
  }
  Module.onLoadCancel = cancelLoad;

  // Phases of a load on the page's timeline (performance.getEntriesByType('mark'), 'fs:' names),
  // for profiling and the big-load test.
  function mark(what) { if (typeof performance !== 'undefined' && performance.mark) performance.mark('fs:' + what); }

  // Files up to this size are parsed on the main thread: quicker than a worker round trip and
  // far below a frame's worth of work. Gzip may inflate to anything: always the worker.
  var MAIN_THREAD_BYTES = 256 * 1024;

  // Hands a file (parsed here) or a worker's blob (already parsed) to the app. A blob is copied
  // into the heap in one task and decoded in the next, so neither holds the page for long.
  async function addToApp(bytes, name, blob) {
    var length = bytes.length, ptr = Module._malloc(length + 1);
    if (!ptr) throw new Error('not enough memory to load ' + name + ' (' + length + ' bytes)');
    Module.HEAPU8.set(bytes, ptr);
    bytes = null;
    if (blob) await new Promise(function (r) { setTimeout(r, 0); });
    var idx = withCString(name, function (np) {
      return blob ? Module._fs_load_blob(ptr, length, np) : Module._fs_load(ptr, length, np);
    });
    Module._free(ptr);
    mark('handed to the app');
    if (idx < 0) throw new Error(name + ': ' + lastError());
    return {
      atoms: Module._fs_structure_count_of(idx, 0),
      residues: Module._fs_structure_count_of(idx, 1),
      chains: Module._fs_structure_count_of(idx, 2),
    };
  }

  async function loadBytes(bytes, name, load) {
    load = load || { name: name, cancelled: false };
    var gz = bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
    if ((bytes.length <= MAIN_THREAD_BYTES && !gz) || typeof Worker === 'undefined') {
      checkCancelled(load);
      return addToApp(bytes, name, false);
    }
    var parsed;
    try { parsed = await parseInWorker({ bytes: bytes }, name, false); } finally { setLoadProgress('', '', 0); }
    checkCancelled(load);
    return addToApp(parsed.blob, name, true);
  }

  // Reads a response body with progress (and cancel) when its size is known.
  async function readBody(resp, load) {
    var total = Number(resp.headers.get('content-length')) || 0;
    if (!resp.body || !total) return new Uint8Array(await resp.arrayBuffer());
    var out = new Uint8Array(total), got = 0, reader = resp.body.getReader();
    var since = performance.now();
    for (;;) {
      var chunk = await reader.read();
      checkCancelled(load);
      if (chunk.done) break;
      if (got + chunk.value.length > out.length) {   // more than announced: grow
        var bigger = new Uint8Array(Math.max(out.length * 2, got + chunk.value.length)); bigger.set(out.subarray(0, got)); out = bigger;
      }
      out.set(chunk.value, got); got += chunk.value.length;
      // A body that has already arrived resolves read() after read() in microtasks of one
      // task: give the frame its turn every few milliseconds.
      if (performance.now() - since > 6) {
        if (total > MAIN_THREAD_BYTES) setLoadProgress(load.name, 'downloading', Math.min(1, got / total));
        await new Promise(function (r) { setTimeout(r, 0); });
        since = performance.now();
      }
    }
    return out.subarray(0, got);
  }

  function withCString(str, fn) {
    var n = Module.lengthBytesUTF8(str) + 1, p = Module._malloc(n);
    Module.stringToUTF8(str, p, n);
    try { return fn(p); } finally { Module._free(p); }
  }

  // Prediction runs in a Web Worker (web/predict_worker.js): search, ONNX Runtime inference and
  // folding never block the frame. The C++ app receives progress, the folding movie's frames and
  // the final model, which it loads like any other file (one data model).
  var predictWorker = null, predictWaiters = {}, nextPredict = 1, templateWaiters = {};
  function worker() {
    if (predictWorker) return predictWorker;
    predictWorker = new Worker('predict_worker.js');
    predictWorker.onmessage = function (ev) {
      var m = ev.data;
      if (m.type === 'template') {
        var tw = templateWaiters[m.id]; delete templateWaiters[m.id];
        if (tw) { if (m.pdb) tw.resolve(m.pdb); else tw.reject(new Error(m.error || 'template not found')); }
        return;
      }
      var w = predictWaiters[m.id];
      if (!w) return;
      if (m.type === 'progress') {
        withCString(m.stage, function (p) { Module._fs_predict_progress(p, m.fraction); });
      } else if (m.type === 'error') {
        delete predictWaiters[m.id];
        withCString(m.message, function (p) { Module._fs_predict_failed(p); });
        w.reject(new Error(m.message));
      } else if (m.type === 'result') {
        delete predictWaiters[m.id];
        try {
          var name = 'prediction-' + m.id + '.pdb';
          var bytes = new TextEncoder().encode(m.pdb);
          var ptr = Module._malloc(bytes.length + 1);
          Module.HEAPU8.set(bytes, ptr);
          var fptr = Module._malloc(Math.max(4, m.frames.length * 4));
          Module.HEAPF32.set(m.frames, fptr >> 2);
          var summary = JSON.stringify({ seconds: m.seconds, meanConfidence: m.meanConfidence, predictedTm: m.predictedTm,
            templates: m.templates, backend: m.backend, times: m.times });
          Module._fs_predict_templates_clear();
          (m.templates || []).forEach(function (t) {
            withCString(String(t.id), function (ip) { Module._fs_predict_template_add(ip, +t.identity || 0, +t.coverage || 0, +t.evalue || 0, t.confident === false ? 0 : 1); });
          });
          var idx = withCString(name, function (np) {
            return withCString(summary, function (sp) {
              return Module._fs_predict_done(ptr, bytes.length, np, fptr, m.frameCount, m.sequence.length, sp);
            });
          });
          Module._free(ptr); Module._free(fptr);
          if (idx < 0) throw new Error('prediction: ' + lastError());
          w.resolve({ seconds: m.seconds, meanConfidence: m.meanConfidence, predictedTm: m.predictedTm,
            templates: m.templates, frames: m.frameCount, backend: m.backend, times: m.times, pdb: m.pdb,
            librarySeconds: m.librarySeconds });
        } catch (e) { w.reject(e); }
      }
    };
    predictWorker.onerror = function (e) {
      var msg = 'prediction worker failed: ' + (e.message || 'could not start');
      Object.keys(predictWaiters).forEach(function (k) { predictWaiters[k].reject(new Error(msg)); });
      predictWaiters = {};
      withCString(msg, function (p) { Module._fs_predict_failed(p); });
      predictWorker = null;
    };
    return predictWorker;
  }
  // A template of the latest prediction, loaded and superposed on it by structure (the template
  // table's rows, foldsight.showTemplate). Resolves to the superposition's figures.
  function showTemplate(name) {
    var id = nextPredict++;
    return new Promise(function (resolve, reject) {
      templateWaiters[id] = { resolve: resolve, reject: reject };
      worker().postMessage({ type: 'template', id: id, name: String(name) });
    }).then(function (pdb) {
      var target = Module._fs_predict_result_index();
      return queueLoad(pdb, { format: 'pdb' }).then(function () {
        var n = Module._fs_stat(6);
        withCString('template ' + name, function (p) { Module._fs_rename_structure(n - 1, p); });
        if (target < 0) return { superposed: false };
        return api.superpose(n - 1, target, { mode: 'structure' });
      });
    });
  }
  Module.onShowTemplate = function (name) { showTemplate(name).catch(function (e) { showError(e.message); }); };

  // Cancel (the predict panel's button or foldsight.cancelPredict()): the worker is stopped;
  // the next prediction starts a fresh one (library and model come from Cache Storage).
  function cancelPredict() {
    var ids = Object.keys(predictWaiters);
    if (!ids.length) return false;
    if (predictWorker) { predictWorker.terminate(); predictWorker = null; }
    ids.forEach(function (k) {
      var e = new Error('prediction cancelled'); e.cancelled = true;
      predictWaiters[k].reject(e);
    });
    predictWaiters = {};
    withCString('cancelled', function (p) { Module._fs_predict_failed(p); });
    return true;
  }
  Module.onPredictCancel = cancelPredict;
  function predict(sequence, opts) {
    opts = opts || {};
    var id = nextPredict++;
    return new Promise(function (resolve, reject) {
      predictWaiters[id] = { resolve: resolve, reject: reject };
      Module._fs_predict_started();
      worker().postMessage({ type: 'predict', id: id, sequence: String(sequence), useTemplates: opts.templates !== false });
    });
  }
  // Design self-consistency: predict the sequence of loaded structure `index` (a design) and
  // compare the prediction with it (TM-score, RMSD; the prediction is superposed on the design).
  async function designCheck(index) {
    var seq = Module.UTF8ToString(Module._fs_sequence_of(index | 0));
    if (!seq) throw new Error('designCheck: structure ' + index + ' has no protein chain');
    var n = Module._fs_stat(6);
    var design = (index | 0) < 0 ? n + (index | 0) : (index | 0);
    var r = await predict(seq);
    var cmp = JSON.parse(Module.UTF8ToString(Module._fs_design_check(-1, design)));
    if (!cmp) throw new Error('designCheck: could not compare the prediction with the design');
    lastDesignReport = { design: Module.UTF8ToString(Module._fs_structure_name(design)), sequence: seq,
      tm_score: cmp.tm_score, rmsd: cmp.rmsd, aligned: cmp.aligned, design_length: cmp.design_length,
      mean_confidence: r.meanConfidence, predicted_tm: r.predictedTm, templates_used: r.templates,
      per_residue: cmp.deviation, date: new Date().toISOString(), app: 'Foldsight ' + (document.documentElement.dataset.version || '') };
    return Object.assign({}, r, { sequence: seq, tmScore: cmp.tm_score, rmsd: cmp.rmsd, aligned: cmp.aligned,
      deviation: cmp.deviation });
  }
  // The design report: the JSON above and a PNG of the superposed pair, saved as two files
  // (made in this tab; nothing is uploaded).
  var lastDesignReport = null;
  function designReport() {
    if (!lastDesignReport) return Promise.reject(new Error('no design check has been run'));
    return api.capture({ width: 1200, height: 900 }).then(function (png) {
      return { json: JSON.stringify(lastDesignReport, null, 1), png: png };
    });
  }
  function download(name, href) {
    var a = document.createElement('a');
    a.href = href; a.download = name;
    document.body.appendChild(a); a.click(); a.remove();
  }
  Module.onExportDesignReport = function () {
    designReport().then(function (r) {
      var base = 'design-check-' + lastDesignReport.design.replace(/\.[^.]*$/, '');
      var url = URL.createObjectURL(new Blob([r.json], { type: 'application/json' }));
      download(base + '.json', url);
      setTimeout(function () { URL.revokeObjectURL(url); }, 10000);
      download(base + '.png', r.png);
    }).catch(function (e) { showError(e.message); });
  };
  Module.onDesignCheckRequest = function (index) {
    designCheck(index).catch(function (e) { withCString(e.message, function (p) { Module._fs_predict_failed(p); }); });
  };

  // "Mutate residue" (sequence panel menu or foldsight.mutate): predict the mutated sequence;
  // the app morphs the old model into the new one.
  Module.onMutateRequest = function (sequence) { predict(sequence).catch(function () {}); };
  function mutate(structure, residue, letter) {
    var code = String(letter || '?').toUpperCase().charCodeAt(0);
    var seq = Module.UTF8ToString(Module._fs_mutate(structure | 0, residue | 0, code));
    if (!seq) return Promise.reject(new Error('mutate: ' + lastError()));
    return predict(seq).then(function (r) { return Object.assign({ sequence: seq }, r); });
  }

  // The ImGui predict panel calls this (C++ → JS); errors are shown by the panel itself.
  Module.onPredictRequest = function (sequence, useTemplates) {
    predict(sequence, { templates: useTemplates }).catch(function () {});
  };

  // URLs and files go to the load worker whole: it downloads or reads, inflates and parses, and
  // the page only receives the parsed structure (a 17 MB download read on the page costs it
  // tens of milliseconds in one task).
  async function loadViaWorker(source, name, opts, load) {
    var parsed;
    try { parsed = await parseInWorker(source, name, opts.remember); } finally { setLoadProgress('', '', 0); }
    checkCancelled(load);
    var result = await addToApp(parsed.blob, name, true);
    return parsed.raw ? remember(opts, name, parsed.raw, result) : result;
  }

  async function loadAny(source, opts, load) {
    var viaWorker = typeof Worker !== 'undefined';
    if (viaWorker && typeof File !== 'undefined' && source instanceof File) {
      load.name = source.name;
      return loadViaWorker({ file: source }, source.name, opts, load);
    }
    if (viaWorker && typeof source === 'string' && source.indexOf('\n') < 0) {
      var wname = source.split('?')[0].split('#')[0].split('/').filter(Boolean).pop() || source;
      load.name = wname;
      return loadViaWorker({ url: new URL(source, location.href).href, label: source }, wname, opts, load);
    }
    if (typeof File !== 'undefined' && source instanceof File) {
      load.name = source.name;
      if (source.size > MAIN_THREAD_BYTES) setLoadProgress(load.name, 'reading', 0);
      var data;
      try { data = new Uint8Array(await source.arrayBuffer()); } catch (e) { setLoadProgress('', '', 0); throw e; }
      checkCancelled(load);
      return remember(opts, source.name, data, await loadBytes(data, source.name, load));
    }
    if (typeof source === 'string' && source.indexOf('\n') < 0) {
      var name = source.split('?')[0].split('#')[0].split('/').filter(Boolean).pop() || source;
      load.name = name;
      load.abort = typeof AbortController !== 'undefined' ? new AbortController() : null;
      var r, bytes;
      try {
        try { r = await fetch(source, load.abort ? { signal: load.abort.signal } : {}); } catch (e) {
          checkCancelled(load);
          throw new Error('could not fetch ' + source + ' (' + e.message + ')');
        }
        if (!r.ok) throw new Error('could not fetch ' + source + ': HTTP ' + r.status);
        bytes = await readBody(r, load);
        mark('fetched');
      } catch (e) {
        setLoadProgress('', '', 0);
        if (load.cancelled) throw cancelledError(name);
        throw e;
      }
      return remember(opts, name, bytes, await loadBytes(bytes, name, load));
    }
    if (typeof source === 'string') {
      var ext = { pdb: 'pdb', mmcif: 'cif', cif: 'cif' }[opts.format || 'pdb'] || 'pdb';
      load.name = 'text.' + ext;
      return loadBytes(new TextEncoder().encode(source), load.name, load);
    }
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
      load.name = opts.name || 'structure.' + (opts.format || 'pdb');
      var view = source instanceof ArrayBuffer ? new Uint8Array(source) : new Uint8Array(source.buffer, source.byteOffset, source.byteLength);
      return remember(opts, load.name, view, await loadBytes(view, load.name, load));
    }
    throw new Error('load(): source must be a URL, a File or the text of a structure file');
  }

  // Files opened through the UI (drop, picker, Open URL, recent list) join the recent files,
  // which live in this browser's IndexedDB only (web/recent_files.js).
  function remember(opts, name, bytes, result) {
    if (opts.remember && window.foldsightRecent) window.foldsightRecent.add(name, bytes).then(refreshRecent);
    return result;
  }
  function refreshRecent() {
    if (!window.foldsightRecent || !Module._fs_recent_clear) return Promise.resolve();
    return window.foldsightRecent.list().then(function (rows) {
      Module._fs_recent_clear();
      rows.forEach(function (r) {
        var d = new Date(r.opened), pad = function (v) { return String(v).padStart(2, '0'); };
        var when = d.getFullYear() + '-' + pad(d.getMonth() + 1) + '-' + pad(d.getDate()) + ' ' + pad(d.getHours()) + ':' + pad(d.getMinutes());
        withCString(r.name, function (np) { withCString(when, function (wp) { Module._fs_recent_add(r.id, np, r.size, wp); }); });
      });
    });
  }
  function uiLoad(source, opts) {
    return api.load(source, Object.assign({ remember: true }, opts || {})).catch(function () {});
  }
  Module.onOpenUrl = function (url) { uiLoad(url); };
  Module.onOpenExample = function (path) { uiLoad(path, { remember: false }); };
  Module.onOpenRecent = function (id) {
    window.foldsightRecent.get(id).then(function (r) {
      if (!r) { showError('That recent file is no longer stored in this browser.'); refreshRecent(); return; }
      return uiLoad(r.bytes, { name: r.name });
    });
  };
  Module.onForgetRecent = function (id) { window.foldsightRecent.forget(id).then(refreshRecent); };
  Module.onClearRecent = function () { window.foldsightRecent.clear().then(refreshRecent); };
  Module.onOpenFilePicker = function () {
    var input = document.createElement('input');
    input.type = 'file';
    input.multiple = true;
    input.accept = '.pdb,.ent,.cif,.mmcif,.bcif,.gz,.fasta,.fa,.faa,.seq';
    input.addEventListener('change', function () { openFiles(Array.prototype.slice.call(input.files)); });
    input.click();
  };

  // One load at a time, in call order; each can be cancelled while it runs.
  function queueLoad(source, opts) {
    var load = { name: 'structure', cancelled: false };
    var run = function () {
      activeLoad = load;
      return loadAny(source, opts, load).finally(function () { if (activeLoad === load) activeLoad = null; });
    };
    var p = loadQueue.then(run, run);
    loadQueue = p.catch(function () {});
    return p;
  }

  var api = {
    ready: ready,
    predict: predict,
    designCheck: designCheck,
    showTemplate: function (name) { return showTemplate(name); },
    // After designCheck: {json, png} of the report the panel's "Export report" saves.
    designReport: function () { return designReport(); },
    // Stops the running prediction (its promise rejects with .cancelled); false if none.
    cancelPredict: function () { return cancelPredict(); },
    // Mutates residue `residue` (index in structure `structure`) to `letter`, predicts the new
    // sequence and morphs the old model into the new one; resolves like predict() plus {sequence}.
    mutate: mutate,
    // Atoms under screen points (CSS pixels of the canvas): one id-buffer render, then lookups.
    // Resolves to one entry per point: null (background) or the atom's description.
    pick: function (points) {
      var id = nextCapture++;
      return new Promise(function (resolve, reject) {
        pickWaiters[id] = { resolve: resolve, reject: reject };
        if (!Module._fs_pick_render(id)) { delete pickWaiters[id]; reject(new Error('pick failed')); }
      }).then(function (buf) {
        var dpr = buf.width / Module.canvas.clientWidth;
        return points.map(function (p) {
          var x = Math.floor(p.x * dpr), y = Math.floor(p.y * dpr);
          if (x < 0 || y < 0 || x >= buf.width || y >= buf.height) return null;
          var v = buf.ids[y * buf.width + x];
          return v ? JSON.parse(Module.UTF8ToString(Module._fs_atom_info(v - 1))) : null;
        });
      });
    },
    // Description of global atom `i` (atoms of all loaded structures in load order), or null.
    atom: function (i) { return JSON.parse(Module.UTF8ToString(Module._fs_atom_info(i | 0))); },
    atomCount: function () { return Module._fs_atom_total(); },
    // What a share link carries besides structures and camera: representations per structure,
    // selected residues, measurements (see fs_session_extras).
    sessionExtras: function () { return JSON.parse(Module.UTF8ToString(Module._fs_session_extras())); },
    applySessionExtras: function (x) {
      (x.reps || []).forEach(function (reps, i) {
        reps.forEach(function (r, k) {
          withCString(r.kind, function (kp) { withCString(r.selection, function (sp) { withCString(r.color, function (cp) {
            Module._fs_structure_add_rep(i, kp, sp, cp, r.visible ? 1 : 0, k === 0 ? 1 : 0, typeof r.opacity === 'number' ? r.opacity : 1);
          }); }); });
        });
      });
      (x.selection || []).forEach(function (p) { Module._fs_select_residue(p[0], p[1]); });
      (x.measurements || []).forEach(function (m) {
        if (!m || !Array.isArray(m.atoms) || m.atoms.length < 2 || m.atoms.length > 4) return;   // 2–4 atoms fit the buffer
        var p = Module._malloc(32);
        m.atoms.forEach(function (a, k) { Module.HEAP32[(p >> 2) + 2 * k] = a[0]; Module.HEAP32[(p >> 2) + 2 * k + 1] = a[1]; });
        Module._fs_add_measurement(m.atoms.length, p);
        Module._free(p);
      });
    },
    // Camera + look as 16 numbers (see fs_view_state); used by share links.
    viewState: function () {
      var p = Module._malloc(64);
      Module._fs_view_state(p);
      var v = Array.from(Module.HEAPF32.subarray(p >> 2, (p >> 2) + 16));
      Module._free(p);
      return v;
    },
    setViewState: function (v) {
      if (!Array.isArray(v) || v.length !== 16 || !v.every(Number.isFinite)) throw new Error('setViewState: expected 16 numbers');
      var p = Module._malloc(64);
      Module.HEAPF32.set(v, p >> 2);
      Module._fs_set_view_state(p);
      Module._free(p);
    },
    // Image quality toggles (main panel): {ssao, outlines, antialias}, all on by default.
    imageQuality: function () {
      var b = Module._fs_image_quality();
      return { ssao: !!(b & 1), outlines: !!(b & 2), antialias: !!(b & 4) };
    },
    // Sets the toggles named in `opts` (the others keep their state); returns the new state.
    setImageQuality: function (opts) {
      var q = api.imageQuality();
      opts = opts || {};
      ['ssao', 'outlines', 'antialias'].forEach(function (k) { if (k in opts) q[k] = !!opts[k]; });
      Module._fs_set_image_quality((q.ssao ? 1 : 0) | (q.outlines ? 2 : 0) | (q.antialias ? 4 : 0));
      return q;
    },
    // Camera matrices (column-major view, projection), framebuffer size and device pixel ratio.
    camera: function () {
      var p = Module._malloc(35 * 4);
      Module._fs_camera(p);
      var f = Array.from(Module.HEAPF32.subarray(p >> 2, (p >> 2) + 35));
      Module._free(p);
      return { view: f.slice(0, 16), proj: f.slice(16, 32), width: f[32], height: f[33], dpr: f[34] };
    },
    setRepresentation: function (kind, opts) {
      opts = opts || {};
      var rc = withCString(String(kind), function (k) {
        return withCString(opts.selection || 'all', function (sel) {
          var opacity = opts.opacity === undefined ? 1 : Number(opts.opacity);
          return withCString(opts.color || '', function (c) { return Module._fs_set_representation(k, sel, c, opts.add ? 1 : 0, opacity); });
        });
      });
      if (rc !== 0) throw new Error('setRepresentation: ' + lastError());
    },
    exportStructure: function (index, format) {
      format = format || 'pdb';
      if (format !== 'pdb' && format !== 'mmcif') throw new Error("exportStructure: format must be 'pdb' or 'mmcif'");
      var p = Module._fs_export(index | 0, format === 'mmcif' ? 1 : 0);
      if (!p) throw new Error('exportStructure: ' + lastError());
      return Module.UTF8ToString(p);
    },
    load: function (source, opts) {
      // Every failure also shows in the app's error panel; what was loaded stays.
      return queueLoad(source, opts || {}).catch(function (e) { if (!e.cancelled) showError(e.message); throw e; });
    },
    capture: function (opts) {
      opts = opts || {};
      var w = Math.max(1, Math.min(4096, opts.width | 0 || Module.canvas.width));
      var h = Math.max(1, Math.min(4096, opts.height | 0 || Module.canvas.height));
      var id = nextCapture++;
      return new Promise(function (resolve, reject) {
        captureWaiters[id] = { resolve: resolve, reject: reject };
        if (!Module._fs_capture(id, w, h)) { delete captureWaiters[id]; reject(new Error('capture failed')); }
      });
    },
    stats: function () {
      return {
        atoms: Module._fs_stat(0), residues: Module._fs_stat(1), chains: Module._fs_stat(2),
        fps: Module._fs_stat(3), frameMs: Module._fs_stat(4), frames: Module._fs_stat(5),
        structures: Module._fs_stat(6), backend: 'webgpu',
        device: { restores: Module._fs_stat(15), lost: !!Module._fs_stat(16) },
        frameWorkMaxMs: Module._fs_stat(17),   // longest frame's own work since the last stats() call
        // its longest parts since the last stats() call: UI, scene building, highlight, GPU commands
        frameParts: { uiMs: Module._fs_stat(18), buildMs: Module._fs_stat(19), highlightMs: Module._fs_stat(20), gpuMs: Module._fs_stat(21) },
        build: { totalMs: Module._fs_stat(11), uploadMs: Module._fs_stat(12), longestSliceMs: Module._fs_stat(13),
                 pending: !!Module._fs_stat(14) },
        movie: { frames: Module._fs_stat(7), current: Module._fs_stat(8), shown: Module._fs_stat(9), playing: !!Module._fs_stat(10) },
      };
    },
    rotate: function (degrees) { Module._fs_rotate(+degrees || 0); },
    // Superposes loaded structure `mobile` (moved) onto `target`: opts.mode 'structure'
    // (TM-align's method, default) or 'sequence'; opts.mobileChain / targetChain are chain
    // indices (default 0). Resolves to {tm_score (by target), tm_score_mobile, rmsd, aligned,
    // seq_identity, alignment_mobile, alignment_target, ...}.
    superpose: function (mobile, target, opts) {
      opts = opts || {};
      var mode = (opts.mode || 'structure') === 'sequence' ? 0 : 1;
      var r = JSON.parse(Module.UTF8ToString(Module._fs_superpose(mobile | 0, target | 0, opts.mobileChain | 0, opts.targetChain | 0, mode)));
      if (r.error) throw new Error('superpose: ' + r.error);
      return r;
    },
    // The message the error panel shows now ("" when none): what the user reads.
    uiError: function () { return Module.UTF8ToString(Module._fs_ui_error()); },
    // Cancels the file being opened (its load() rejects with .cancelled); false if none.
    cancelLoad: function () { return cancelLoad(); },
    clear: function () { Module._fs_clear(); },
    // Removes loaded structure `index` (negative counts from the end); false if there is none.
    remove: function (index) { return Module._fs_remove(index | 0) === 0; },
    // Test hook: screen rectangle (CSS pixels) of the ImGui item with this label, or null.
    uiItemRect: function (label) {
      var n = Module.lengthBytesUTF8(label) + 1, p = Module._malloc(n);
      Module.stringToUTF8(label, p, n);
      var out = Module._malloc(16);
      var ok = Module._fs_ui_item_rect(p, out);
      var f = Module.HEAPF32.subarray(out >> 2, (out >> 2) + 4);
      var r = ok ? { x: f[0], y: f[1], w: f[2], h: f[3] } : null;
      Module._free(p); Module._free(out);
      return r;
    },
  };
  window.foldsight = api;

  // Embedding (see web/embed-example.html): a page that shows Foldsight in an iframe calls the
  // same API by postMessage: {foldsight: id, method, args} → {foldsight: id, result | error}.
  // Only data goes back (no functions, no DOM); Files and text pass through structured clone.
  var methods = ['load', 'predict', 'designCheck', 'mutate', 'remove', 'capture', 'stats', 'rotate', 'clear', 'exportStructure', 'superpose',
                 'setRepresentation', 'viewState', 'setViewState', 'pick', 'imageQuality', 'setImageQuality'];
  window.addEventListener('message', function (ev) {
    var m = ev.data;
    if (!m || typeof m.foldsight === 'undefined' || methods.indexOf(m.method) < 0 || !ev.source) return;
    var reply = function (payload) {
      payload.foldsight = m.foldsight;
      ev.source.postMessage(payload, ev.origin === 'null' ? '*' : ev.origin);
    };
    ready.then(function () { return api[m.method].apply(api, m.args || []); })
      .then(function (result) { reply({ result: result === undefined ? null : result }); },
            function (e) { reply({ error: e && e.message ? e.message : String(e) }); });
  });
})();
