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
      var first = url ? api.load(url).catch(function (e) { showError(e.message); })
                      : (/^#[se]=/.test(location.hash) ? Promise.resolve() : loadDemo());
      first.then(function () { resolveReady(api); }, rejectReady);
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

  // Drag and drop: structure files are opened; a FASTA file fills the predict panel.
  window.addEventListener('dragover', function (e) { e.preventDefault(); });
  window.addEventListener('drop', function (e) {
    e.preventDefault();
    var files = e.dataTransfer ? Array.prototype.slice.call(e.dataTransfer.files) : [];
    files.forEach(function (f) {
      if (/\.(fasta|fa|faa|seq)$/i.test(f.name)) {
        f.text().then(function (t) {
          var n = Module.lengthBytesUTF8(t) + 1, p = Module._malloc(n);
          Module.stringToUTF8(t, p, n);
          Module._fs_set_predict_sequence(p);
          Module._free(p);
        });
      } else {
        api.load(f).catch(function (err) { showError(err.message); });
      }
    });
  });

  function lastError() { return Module.UTF8ToString(Module._fs_last_error()); }

  async function gunzipIfNeeded(bytes) {
    if (bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b) {
      var ds = new DecompressionStream('gzip');
      var out = new Response(new Blob([bytes]).stream().pipeThrough(ds));
      try { return new Uint8Array(await out.arrayBuffer()); }
      catch (e) { throw new Error('corrupt gzip data: ' + e.message); }
    }
    return bytes;
  }

  async function loadBytes(bytes, name) {
    bytes = await gunzipIfNeeded(bytes);
    var ptr = Module._malloc(bytes.length + 1);
    if (!ptr) throw new Error('not enough memory to load ' + name + ' (' + bytes.length + ' bytes)');
    Module.HEAPU8.set(bytes, ptr);
    var nameLen = Module.lengthBytesUTF8(name) + 1;
    var namePtr = Module._malloc(nameLen);
    Module.stringToUTF8(name, namePtr, nameLen);
    var idx = Module._fs_load(ptr, bytes.length, namePtr);
    Module._free(ptr); Module._free(namePtr);
    if (idx < 0) throw new Error(name + ': ' + lastError());
    return {
      atoms: Module._fs_structure_count_of(idx, 0),
      residues: Module._fs_structure_count_of(idx, 1),
      chains: Module._fs_structure_count_of(idx, 2),
    };
  }

  function withCString(str, fn) {
    var n = Module.lengthBytesUTF8(str) + 1, p = Module._malloc(n);
    Module.stringToUTF8(str, p, n);
    try { return fn(p); } finally { Module._free(p); }
  }

  // Prediction runs in a Web Worker (web/predict_worker.js): search, ONNX Runtime inference and
  // folding never block the frame. The C++ app receives progress, the folding movie's frames and
  // the final model, which it loads like any other file (one data model).
  var predictWorker = null, predictWaiters = {}, nextPredict = 1;
  function worker() {
    if (predictWorker) return predictWorker;
    predictWorker = new Worker('predict_worker.js');
    predictWorker.onmessage = function (ev) {
      var m = ev.data, w = predictWaiters[m.id];
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
    return Object.assign({}, r, { sequence: seq, tmScore: cmp.tm_score, rmsd: cmp.rmsd, aligned: cmp.aligned });
  }
  Module.onDesignCheckRequest = function (index) {
    designCheck(index).catch(function (e) { withCString(e.message, function (p) { Module._fs_predict_failed(p); }); });
  };

  // The ImGui predict panel calls this (C++ → JS); errors are shown by the panel itself.
  Module.onPredictRequest = function (sequence, useTemplates) {
    predict(sequence, { templates: useTemplates }).catch(function () {});
  };

  async function loadAny(source, opts) {
    if (typeof File !== 'undefined' && source instanceof File) {
      return loadBytes(new Uint8Array(await source.arrayBuffer()), source.name);
    }
    if (typeof source === 'string' && source.indexOf('\n') < 0) {
      var r;
      try { r = await fetch(source); } catch (e) { throw new Error('could not fetch ' + source + ' (' + e.message + ')'); }
      if (!r.ok) throw new Error('could not fetch ' + source + ': HTTP ' + r.status);
      var name = source.split('/').pop().split('?')[0] || 'structure';
      return loadBytes(new Uint8Array(await r.arrayBuffer()), name);
    }
    if (typeof source === 'string') {
      var ext = { pdb: 'pdb', mmcif: 'cif', cif: 'cif' }[opts.format || 'pdb'] || 'pdb';
      return loadBytes(new TextEncoder().encode(source), 'text.' + ext);
    }
    if (source instanceof ArrayBuffer || ArrayBuffer.isView(source)) {
      return loadBytes(new Uint8Array(source.buffer || source), opts.name || 'structure.' + (opts.format || 'pdb'));
    }
    throw new Error('load(): source must be a URL, a File or the text of a structure file');
  }

  var api = {
    ready: ready,
    predict: predict,
    designCheck: designCheck,
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
            Module._fs_structure_add_rep(i, kp, sp, cp, r.visible ? 1 : 0, k === 0 ? 1 : 0);
          }); }); });
        });
      });
      (x.selection || []).forEach(function (p) { Module._fs_select_residue(p[0], p[1]); });
      (x.measurements || []).forEach(function (m) {
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
          return withCString(opts.color || '', function (c) { return Module._fs_set_representation(k, sel, c, opts.add ? 1 : 0); });
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
      return loadAny(source, opts || {}).catch(function (e) { showError(e.message); throw e; });
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
        movie: { frames: Module._fs_stat(7), current: Module._fs_stat(8), shown: Module._fs_stat(9), playing: !!Module._fs_stat(10) },
      };
    },
    rotate: function (degrees) { Module._fs_rotate(+degrees || 0); },
    clear: function () { Module._fs_clear(); },
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
  var methods = ['load', 'predict', 'designCheck', 'capture', 'stats', 'rotate', 'clear', 'exportStructure',
                 'setRepresentation', 'viewState', 'setViewState', 'pick'];
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
