#include "render/sphere_renderer.h"
#include "embedded_shaders.h"
#include "render/gpu_util.h"

namespace foldsight {

void sphere_renderer_init(SphereRenderer& r, WGPUDevice device, WGPUTextureFormat color_format) {
  r.device = device;
  WGPUShaderModule module = create_wgsl_module(device, kShader_spheres);

  WGPUVertexAttribute attrs[3] = {};
  attrs[0].format = WGPUVertexFormat_Float32x4;
  attrs[0].offset = 0;
  attrs[0].shaderLocation = 0;
  attrs[1].format = WGPUVertexFormat_Unorm8x4;
  attrs[1].offset = 16;
  attrs[1].shaderLocation = 1;
  attrs[2].format = WGPUVertexFormat_Uint32;
  attrs[2].offset = 20;
  attrs[2].shaderLocation = 2;
  WGPUVertexBufferLayout vbl{};
  vbl.arrayStride = sizeof(SphereInstance);
  vbl.stepMode = WGPUVertexStepMode_Instance;
  vbl.attributeCount = 3;
  vbl.attributes = attrs;

  WGPUDepthStencilState ds = depth_state(kDepthFormat, true, WGPUCompareFunction_Less);
  PipelineSpec spec;
  spec.module = module;
  spec.buffers = &vbl;
  spec.buffer_count = 1;
  spec.topology = WGPUPrimitiveTopology_TriangleStrip;
  spec.color_format = color_format;
  spec.depth = &ds;
  ScenePipelines pipelines = create_scene_pipelines(device, spec, kDepthFormat, kPickFormat);
  r.pipeline = pipelines.opaque, r.transparent_pipeline = pipelines.transparent, r.pick_pipeline = pipelines.pick;

  WGPUBufferDescriptor bd{};
  bd.size = (sizeof(FrameUniforms) + 15) / 16 * 16;
  bd.usage = WGPUBufferUsage_Uniform | WGPUBufferUsage_CopyDst;
  r.uniforms = wgpuDeviceCreateBuffer(device, &bd);
  r.bind_group = uniform_bind_group(device, r.pipeline, r.uniforms, bd.size);
  r.pick_bind_group = uniform_bind_group(device, r.pick_pipeline, r.uniforms, bd.size);
  r.transparent_bind_group = uniform_bind_group(device, r.transparent_pipeline, r.uniforms, bd.size);
}

void sphere_renderer_upload(SphereRenderer& r, const std::vector<SphereInstance>& spheres) {
  size_t bytes = spheres.size() * sizeof(SphereInstance);
  // Small updates (the highlight layer, every hover) reuse the buffer; big ones get a new buffer
  // filled at creation (see create_buffer_with_data).
  if (bytes > r.instance_capacity || !r.instances || bytes > (256u << 10)) {
    if (r.instances) wgpuBufferDestroy(r.instances), wgpuBufferRelease(r.instances);
    r.instances = create_buffer_with_data(r.device, spheres.data(), bytes, WGPUBufferUsage_Vertex, 256);
    r.instance_capacity = bytes < 256 ? 256 : (bytes + 3) / 4 * 4;
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
  if ((which == DrawPass::Opaque && !r.has_opaque) || (which == DrawPass::Transparent && !r.has_transparent)) return;
  const bool pick = which == DrawPass::Pick, transparent = which == DrawPass::Transparent;
  wgpuRenderPassEncoderSetPipeline(pass, pick ? r.pick_pipeline : transparent ? r.transparent_pipeline : r.pipeline);
  wgpuRenderPassEncoderSetBindGroup(pass, 0, pick ? r.pick_bind_group : transparent ? r.transparent_bind_group : r.bind_group, 0,
                                    nullptr);
  wgpuRenderPassEncoderSetVertexBuffer(pass, 0, r.instances, 0, r.instance_count * sizeof(SphereInstance));
  wgpuRenderPassEncoderDraw(pass, 4, r.instance_count, 0, 0);
}

}  // namespace foldsight
