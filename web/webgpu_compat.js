// Compatibility layer between Emscripten 3.1.6's WebGPU bindings (written against a 2021
// draft of the API) and today's browsers. Each override replaces a built-in of the same
// name in library_webgpu.js; see shared notes "toolchain-recipe" §2 for what broke and why.
mergeInto(LibraryManager.library, {
  // Render passes: today's API takes loadOp/storeOp + clearValue instead of loadValue.
  // 3.1.6's webgpu.h numbers load ops Undefined=0, Clear=1, Load=2.
  wgpuCommandEncoderBeginRenderPass__deps: ['$WebGPU'],
  wgpuCommandEncoderBeginRenderPass: function(encoderId, descriptor) {
    function loadOp(v) { return v === 2 ? 'load' : 'clear'; }
    function makeColorAttachment(caPtr) {
      var viewId = {{{ gpu.makeGetU32('caPtr', C_STRUCTS.WGPURenderPassColorAttachment.view) }}};
      var resolveId = {{{ gpu.makeGetU32('caPtr', C_STRUCTS.WGPURenderPassColorAttachment.resolveTarget) }}};
      var att = {
        'view': WebGPU.mgrTextureView.get(viewId),
        'loadOp': loadOp({{{ gpu.makeGetU32('caPtr', C_STRUCTS.WGPURenderPassColorAttachment.loadOp) }}}),
        'storeOp': WebGPU.StoreOp[{{{ gpu.makeGetU32('caPtr', C_STRUCTS.WGPURenderPassColorAttachment.storeOp) }}}],
        'clearValue': WebGPU.makeColor(caPtr + {{{ C_STRUCTS.WGPURenderPassColorAttachment.clearColor }}}),
      };
      if (resolveId) att['resolveTarget'] = WebGPU.mgrTextureView.get(resolveId);
      return att;
    }
    function makeDepthStencilAttachment(dsaPtr) {
      if (dsaPtr === 0) return undefined;
      var view = WebGPU.mgrTextureView.get({{{ gpu.makeGetU32('dsaPtr', C_STRUCTS.WGPURenderPassDepthStencilAttachment.view) }}});
      var att = { 'view': view };
      if ({{{ gpu.makeGetBool('dsaPtr', C_STRUCTS.WGPURenderPassDepthStencilAttachment.depthReadOnly) }}}) {
        att['depthReadOnly'] = true;
      } else {
        att['depthLoadOp'] = loadOp({{{ gpu.makeGetU32('dsaPtr', C_STRUCTS.WGPURenderPassDepthStencilAttachment.depthLoadOp) }}});
        att['depthStoreOp'] = WebGPU.StoreOp[{{{ gpu.makeGetU32('dsaPtr', C_STRUCTS.WGPURenderPassDepthStencilAttachment.depthStoreOp) }}}];
        att['depthClearValue'] = {{{ makeGetValue('dsaPtr', C_STRUCTS.WGPURenderPassDepthStencilAttachment.clearDepth, 'float') }}};
      }
      // Stencil ops are only legal when the view's format has a stencil aspect.
      var fmt = view && view.__foldsightFormat;
      if (fmt && fmt.indexOf('stencil') >= 0) {
        att['stencilLoadOp'] = loadOp({{{ gpu.makeGetU32('dsaPtr', C_STRUCTS.WGPURenderPassDepthStencilAttachment.stencilLoadOp) }}});
        att['stencilStoreOp'] = WebGPU.StoreOp[{{{ gpu.makeGetU32('dsaPtr', C_STRUCTS.WGPURenderPassDepthStencilAttachment.stencilStoreOp) }}}];
        att['stencilClearValue'] = {{{ gpu.makeGetU32('dsaPtr', C_STRUCTS.WGPURenderPassDepthStencilAttachment.clearStencil) }}};
      }
      return att;
    }
    var count = {{{ gpu.makeGetU32('descriptor', C_STRUCTS.WGPURenderPassDescriptor.colorAttachmentCount) }}};
    var caPtr = {{{ makeGetValue('descriptor', C_STRUCTS.WGPURenderPassDescriptor.colorAttachments, '*') }}};
    var colorAttachments = [];
    for (var i = 0; i < count; ++i)
      colorAttachments.push(makeColorAttachment(caPtr + {{{ C_STRUCTS.WGPURenderPassColorAttachment.__size__ }}} * i));
    var desc = {
      'colorAttachments': colorAttachments,
      'depthStencilAttachment': makeDepthStencilAttachment(
          {{{ makeGetValue('descriptor', C_STRUCTS.WGPURenderPassDescriptor.depthStencilAttachment, '*') }}}),
    };
    var encoder = WebGPU.mgrCommandEncoder.get(encoderId);
    return WebGPU.mgrRenderPassEncoder.create(encoder['beginRenderPass'](desc));
  },

  // getPreferredFormat(adapter) was replaced by navigator.gpu.getPreferredCanvasFormat().
  wgpuSurfaceGetPreferredFormat__deps: ['$WebGPU'],
  wgpuSurfaceGetPreferredFormat: function(surfaceId, adapterId) {
    return WebGPU.PreferredFormat[navigator['gpu']['getPreferredCanvasFormat']()];
  },

  // dispatch → dispatchWorkgroups.
  wgpuComputePassEncoderDispatch__deps: ['$WebGPU'],
  wgpuComputePassEncoderDispatch: function(passId, x, y, z) {
    WebGPU.mgrComputePassEncoder.get(passId)['dispatchWorkgroups'](x, y, z);
  },
  wgpuComputePassEncoderDispatchIndirect__deps: ['$WebGPU'],
  wgpuComputePassEncoderDispatchIndirect: function(passId, indirectBufferId, offset_low, offset_high) {
    var buffer = WebGPU.mgrBuffer.get(indirectBufferId);
    WebGPU.mgrComputePassEncoder.get(passId)['dispatchWorkgroupsIndirect'](buffer, offset_low);
  },
});
