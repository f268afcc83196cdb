// Runs before main(): obtain the WebGPU device (main() needs it synchronously) and explain
// in plain words when this browser cannot run Foldsight.
Module['preRun'] = Module['preRun'] || [];
Module['preRun'].push(function () {
  function fail(msg) {
    var el = document.getElementById('fatal');
    if (el) { el.textContent = msg; el.style.display = 'block'; }
    if (Module['onFatal']) Module['onFatal'](msg);
  }
  var UNSUPPORTED = 'Foldsight needs WebGPU. Use Chrome or Edge 113+ (desktop or Android), ' +
      'Safari 18+, or Firefox 141+ on Windows; make sure hardware acceleration is on.';
  if (!navigator.gpu) { fail(UNSUPPORTED); return; }
  addRunDependency('webgpu-device');
  // Pipelines created with a NULL layout: today's API wants layout:'auto'.
  var proto = GPUDevice.prototype;
  ['createRenderPipeline', 'createComputePipeline'].forEach(function (name) {
    var orig = proto[name];
    if (orig.__foldsight) return;
    proto[name] = function (d) { if (d && d.layout === undefined) d.layout = 'auto'; return orig.call(this, d); };
    proto[name].__foldsight = true;
  });
  var origCreateView = GPUTexture.prototype.createView;
  if (!origCreateView.__foldsight) {
    GPUTexture.prototype.createView = function (d) {
      var v = origCreateView.call(this, d); v.__foldsightFormat = (d && d.format) || this.format; return v;
    };
    GPUTexture.prototype.createView.__foldsight = true;
  }
  function newDevice() {
    return navigator.gpu.requestAdapter().then(function (adapter) {
      if (!adapter) throw new Error(UNSUPPORTED + ' (no GPU adapter was found)');
      return adapter.requestDevice();
    }).then(function (device) {
      device.addEventListener('uncapturederror', function (e) { console.error('WebGPU error: ' + e.error.message); });
      device.lost.then(function (info) { onLost(device, info); });
      return device;
    });
  }
  // A lost device (driver reset, GPU process crash, tab in the background too long, or
  // GPUDevice.destroy()) is replaced: the app recreates its GPU resources on the new device and
  // draws the same scene; the data model lives in the wasm heap and is untouched.
  var losses = [];
  function onLost(device, info) {
    if (Module['preinitializedWebGPUDevice'] !== device) return;   // an old device, already replaced
    var now = Date.now();
    losses = losses.filter(function (t) { return now - t < 30000; }).concat([now]);
    if (!Module['_fs_device_lost'] || losses.length > 3) {
      fail('The GPU device was lost (' + (info.message || info.reason) + '). Reload the page to continue.');
      return;
    }
    console.warn('WebGPU device lost (' + (info.message || info.reason) + '): recreating it');
    Module['_fs_device_lost']();
    newDevice().then(function (d) {
      Module['preinitializedWebGPUDevice'] = d;
      Module['_fs_device_restored']();
    }).catch(function (e) {
      fail('The GPU device was lost and could not be recreated (' + String(e && e.message || e) + '). Reload the page to continue.');
    });
  }
  newDevice().then(function (device) {
    Module['preinitializedWebGPUDevice'] = device;
    removeRunDependency('webgpu-device');
  }).catch(function (e) { fail(String(e && e.message || e)); });
});
