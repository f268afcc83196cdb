// Small helpers shared by every pipeline in the app: WGSL modules, depth state and the one
// render-pipeline shape we use (vs_main + a fragment entry, one colour target, optional depth).
#pragma once
#include <webgpu/webgpu.h>
#include <cstddef>
#include <cstring>

namespace foldsight {

inline WGPUShaderModule create_wgsl_module(WGPUDevice device, const char* source) {
  WGPUShaderModuleWGSLDescriptor wgsl{};
  wgsl.chain.sType = WGPUSType_ShaderModuleWGSLDescriptor;
  wgsl.source = source;
  WGPUShaderModuleDescriptor smd{};
  smd.nextInChain = &wgsl.chain;
  return wgpuDeviceCreateShaderModule(device, &smd);
}

inline WGPUDepthStencilState depth_state(WGPUTextureFormat format, bool write, WGPUCompareFunction compare) {
  WGPUDepthStencilState ds{};
  ds.format = format;
  ds.depthWriteEnabled = write;
  ds.depthCompare = compare;
  ds.stencilFront.compare = WGPUCompareFunction_Always;
  ds.stencilBack.compare = WGPUCompareFunction_Always;
  ds.stencilReadMask = 0xffffffff;
  ds.stencilWriteMask = 0xffffffff;
  return ds;
}

inline WGPUTexture create_texture_2d(WGPUDevice device, int w, int h, WGPUTextureFormat format,
                                     WGPUTextureUsageFlags usage) {
  WGPUTextureDescriptor td{};
  td.dimension = WGPUTextureDimension_2D;
  td.size = {uint32_t(w), uint32_t(h), 1};
  td.format = format;
  td.mipLevelCount = 1;
  td.sampleCount = 1;
  td.usage = usage;
  return wgpuDeviceCreateTexture(device, &td);
}

inline WGPUTextureView create_view_2d(WGPUTexture texture, WGPUTextureFormat format,
                                      WGPUTextureAspect aspect = WGPUTextureAspect_All) {
  WGPUTextureViewDescriptor vd{};
  vd.format = format;
  vd.dimension = WGPUTextureViewDimension_2D;
  vd.mipLevelCount = 1;
  vd.arrayLayerCount = 1;
  vd.aspect = aspect;
  return wgpuTextureCreateView(texture, &vd);
}

// Which pass a renderer draws: opaque geometry (depth written); then the depth of geometry with
// opacity below 1 (no colour), so that only its nearest layer passes the depth test of the next
// pass, which blends it over the opaque scene (a surface seen through itself would otherwise
// blend its back and front faces in whatever order the triangles come); or atom ids for picking.
enum class DrawPass { Opaque, TransparentDepth, Transparent, Pick };

// Premultiplied-alpha "over" blending, for the transparent pass.
inline const WGPUBlendState* premultiplied_over() {
  static const WGPUBlendState b = {
      {WGPUBlendOperation_Add, WGPUBlendFactor_One, WGPUBlendFactor_OneMinusSrcAlpha},
      {WGPUBlendOperation_Add, WGPUBlendFactor_One, WGPUBlendFactor_OneMinusSrcAlpha}};
  return &b;
}

struct PipelineSpec {
  WGPUShaderModule module = nullptr;
  const WGPUVertexBufferLayout* buffers = nullptr;
  uint32_t buffer_count = 0;
  WGPUPrimitiveTopology topology = WGPUPrimitiveTopology_TriangleList;
  WGPUTextureFormat color_format = WGPUTextureFormat_Undefined;
  const WGPUBlendState* blend = nullptr;
  const WGPUDepthStencilState* depth = nullptr;
  const char* fragment_entry = "fs_main";   // "fs_pick" for the id-buffer pipelines
  WGPUCullMode cull = WGPUCullMode_None;     // impostor quads, two-sided ribbons and UI
  WGPUColorWriteMaskFlags color_writes = WGPUColorWriteMask_All;
};

inline WGPURenderPipeline create_pipeline(WGPUDevice device, const PipelineSpec& spec) {
  WGPUColorTargetState target{};
  target.format = spec.color_format;
  target.blend = spec.blend;
  target.writeMask = spec.color_writes;
  WGPUFragmentState fs{};
  fs.module = spec.module;
  fs.entryPoint = spec.fragment_entry;
  fs.targetCount = 1;
  fs.targets = &target;
  WGPURenderPipelineDescriptor pd{};
  pd.vertex.module = spec.module;
  pd.vertex.entryPoint = "vs_main";
  pd.vertex.bufferCount = spec.buffer_count;
  pd.vertex.buffers = spec.buffers;
  pd.primitive.topology = spec.topology;
  pd.primitive.frontFace = WGPUFrontFace_CCW;
  pd.primitive.cullMode = spec.cull;
  pd.multisample.count = 1;
  pd.multisample.mask = 0xffffffff;
  pd.fragment = &fs;
  pd.depthStencil = spec.depth;
  return wgpuDeviceCreateRenderPipeline(device, &pd);
}

// The pipelines of a scene renderer, from one spec (module, buffers, colour format, the depth
// state with writes): opaque (fs_main, depth written), transparent_depth (fs_transparent's
// fragments, depth written, no colour), transparent (fs_transparent, premultiplied blending,
// depth tested less-or-equal, not written) and pick (fs_pick into `pick_format`).
struct ScenePipelines {
  WGPURenderPipeline opaque = nullptr, transparent_depth = nullptr, transparent = nullptr, pick = nullptr;
};
inline ScenePipelines create_scene_pipelines(WGPUDevice device, PipelineSpec spec, WGPUTextureFormat depth_format,
                                             WGPUTextureFormat pick_format) {
  ScenePipelines p;
  p.opaque = create_pipeline(device, spec);
  spec.fragment_entry = "fs_transparent";
  spec.color_writes = WGPUColorWriteMask_None;
  p.transparent_depth = create_pipeline(device, spec);
  spec.color_writes = WGPUColorWriteMask_All;
  WGPUDepthStencilState test_only = depth_state(depth_format, false, WGPUCompareFunction_LessEqual);
  const WGPUDepthStencilState* with_writes = spec.depth;
  spec.depth = &test_only;
  spec.blend = premultiplied_over();
  p.transparent = create_pipeline(device, spec);
  spec.depth = with_writes;
  spec.blend = nullptr;
  spec.color_format = pick_format;
  spec.fragment_entry = "fs_pick";
  p.pick = create_pipeline(device, spec);
  return p;
}

// Bind group 0 of `pipeline` holding one uniform buffer at binding 0. Pipelines created with
// layout 'auto' each own their bind group layout, so every pipeline needs its own group.
inline WGPUBindGroup uniform_bind_group(WGPUDevice device, WGPURenderPipeline pipeline, WGPUBuffer buffer, uint64_t size) {
  WGPUBindGroupEntry e{};
  e.binding = 0;
  e.buffer = buffer;
  e.size = size;
  WGPUBindGroupDescriptor bgd{};
  bgd.layout = wgpuRenderPipelineGetBindGroupLayout(pipeline, 0);
  bgd.entryCount = 1;
  bgd.entries = &e;
  return wgpuDeviceCreateBindGroup(device, &bgd);
}

// A buffer holding `bytes` of `data`, filled while mapped at creation. Big geometry goes this
// way rather than through queue.writeBuffer, which in Chrome can hold the page's thread for
// tens of milliseconds per call while the GPU process is busy (a software rasteriser, say).
inline WGPUBuffer create_buffer_with_data(WGPUDevice device, const void* data, size_t bytes, WGPUBufferUsageFlags usage,
                                          size_t min_size = 16) {
  WGPUBufferDescriptor bd{};
  bd.size = bytes < min_size ? min_size : (bytes + 3) / 4 * 4;
  bd.usage = usage | WGPUBufferUsage_CopyDst;
  bd.mappedAtCreation = bytes > 0;
  WGPUBuffer b = wgpuDeviceCreateBuffer(device, &bd);
  if (bytes) {
    if (void* dst = wgpuBufferGetMappedRange(b, 0, size_t(bd.size))) std::memcpy(dst, data, bytes);
    wgpuBufferUnmap(b);
  }
  return b;
}

}  // namespace foldsight
