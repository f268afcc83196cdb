#include "render/sphere_renderer.h"
#include "embedded_shaders.h"
#include "render/gpu_util.h"
#include <algorithm>

namespace foldsight {

void sphere_renderer_init(SphereRenderer& r, WGPUDevice device, WGPUTextureFormat color_format) {
  r.device = device;
  WGPUShaderModule module = create_wgsl_module(device, kShader_spheres);

  WGPUDepthStencilState ds = depth_state(kDepthFormat, true, WGPUCompareFunction_Less);
  PipelineSpec spec;
  spec.module = module;
  spec.topology = WGPUPrimitiveTopology_TriangleList;   // 6 vertices a sphere, no vertex buffers
  spec.color_format = color_format;
  spec.depth = &ds;
  ScenePipelines pipelines = create_scene_pipelines(device, spec, kDepthFormat, kPickFormat);
  r.pipeline = pipelines.opaque, r.transparent_pipeline = pipelines.transparent, r.pick_pipeline = pipelines.pick;
  r.transparent_depth_pipeline = pipelines.transparent_depth;

  WGPUBufferDescriptor bd{};
  bd.size = (sizeof(FrameUniforms) + 15) / 16 * 16;
  bd.usage = WGPUBufferUsage_Uniform | WGPUBufferUsage_CopyDst;
  r.uniforms = wgpuDeviceCreateBuffer(device, &bd);
}

namespace {
constexpr uint64_t kUniformBytes = (sizeof(FrameUniforms) + 15) / 16 * 16;

void release_groups(std::vector<WGPUBindGroup>& groups) {
  for (WGPUBindGroup g : groups) wgpuBindGroupRelease(g);
  groups.clear();
}

// Bind groups of `pipeline` for every kSpheresPerBinding range of the instance buffer.
void make_groups(const SphereRenderer& r, WGPURenderPipeline pipeline, std::vector<WGPUBindGroup>& out) {
  release_groups(out);
  WGPUBindGroupLayout layout = wgpuRenderPipelineGetBindGroupLayout(pipeline, 0);
  const uint64_t chunk = uint64_t(kSpheresPerBinding) * sizeof(SphereInstance);
  for (uint64_t off = 0; off < r.instance_capacity; off += chunk) {
    WGPUBindGroupEntry e[2] = {};
    e[0].binding = 0, e[0].buffer = r.uniforms, e[0].size = kUniformBytes;
    e[1].binding = 1, e[1].buffer = r.instances, e[1].offset = off;
    e[1].size = std::min<uint64_t>(chunk, r.instance_capacity - off);
    WGPUBindGroupDescriptor bgd{};
    bgd.layout = layout;
    bgd.entryCount = 2;
    bgd.entries = e;
    out.push_back(wgpuDeviceCreateBindGroup(r.device, &bgd));
  }
  wgpuBindGroupLayoutRelease(layout);
}
}  // namespace

void sphere_renderer_upload(SphereRenderer& r, const std::vector<SphereInstance>& spheres) {
  size_t bytes = spheres.size() * sizeof(SphereInstance);
  // Small updates (the highlight layer, every hover) reuse the buffer; big ones get a new buffer
  // filled at creation (see create_buffer_with_data).
  if (bytes > r.instance_capacity || !r.instances || bytes > (256u << 10)) {
    if (r.instances) wgpuBufferDestroy(r.instances), wgpuBufferRelease(r.instances);
    r.instances = create_buffer_with_data(r.device, spheres.data(), bytes, WGPUBufferUsage_Storage, 256);
    r.instance_capacity = bytes < 256 ? 256 : (bytes + 3) / 4 * 4;
    make_groups(r, r.pipeline, r.groups);
    make_groups(r, r.pick_pipeline, r.pick_groups);
    make_groups(r, r.transparent_pipeline, r.transparent_groups);
    make_groups(r, r.transparent_depth_pipeline, r.transparent_depth_groups);
  } else if (bytes) {
    wgpuQueueWriteBuffer(wgpuDeviceGetQueue(r.device), r.instances, 0, spheres.data(), bytes);
  }
  r.instance_count = uint32_t(spheres.size());
  r.has_opaque = r.has_transparent = false;
  for (const SphereInstance& s : spheres) ((s.rgba >> 24) >= 255 ? r.has_opaque : r.has_transparent) = true;
}

void sphere_renderer_set_uniforms(SphereRenderer& r, const FrameUniforms& u) {
  wgpuQueueWriteBuffer(wgpuDeviceGetQueue(r.device), r.uniforms, 0, &u, sizeof(u));
}

void sphere_renderer_draw(const SphereRenderer& r, WGPURenderPassEncoder pass, DrawPass which) {
  if (!r.instance_count) return;
  const bool pick = which == DrawPass::Pick, transparent = which == DrawPass::Transparent,
             transparent_depth = which == DrawPass::TransparentDepth;
  if ((which == DrawPass::Opaque && !r.has_opaque) || ((transparent || transparent_depth) && !r.has_transparent)) return;
  wgpuRenderPassEncoderSetPipeline(pass, pick                ? r.pick_pipeline
                                         : transparent       ? r.transparent_pipeline
                                         : transparent_depth ? r.transparent_depth_pipeline
                                                             : r.pipeline);
  const std::vector<WGPUBindGroup>& groups = pick                ? r.pick_groups
                                             : transparent       ? r.transparent_groups
                                             : transparent_depth ? r.transparent_depth_groups
                                                                 : r.groups;
  for (size_t g = 0; g < groups.size(); ++g) {
    const uint64_t first = uint64_t(g) * kSpheresPerBinding;
    if (first >= r.instance_count) break;
    const uint64_t n = std::min<uint64_t>(kSpheresPerBinding, r.instance_count - first);
    wgpuRenderPassEncoderSetBindGroup(pass, 0, groups[g], 0, nullptr);
    wgpuRenderPassEncoderDraw(pass, uint32_t(n * 6), 1, 0, 0);
  }
}

}  // namespace foldsight
