#include "render/mesh_renderer.h"
#include <vector>
#include "embedded_shaders.h"
#include "render/gpu_util.h"

namespace foldsight {

void mesh_renderer_init(MeshRenderer& r, WGPUDevice device, WGPUTextureFormat color_format, WGPUBuffer frame_uniforms) {
  r.device = device;
  WGPUShaderModule module = create_wgsl_module(device, kShader_mesh);

  WGPUVertexAttribute attrs[4] = {};
  attrs[0] = {WGPUVertexFormat_Float32x3, 0, 0};
  attrs[1] = {WGPUVertexFormat_Float32x3, 0, 1};
  attrs[2] = {WGPUVertexFormat_Unorm8x4, 0, 2};
  attrs[3] = {WGPUVertexFormat_Uint32, 0, 3};
  WGPUVertexBufferLayout vbl[4] = {};
  vbl[0] = {12, WGPUVertexStepMode_Vertex, 1, &attrs[0]};
  vbl[1] = {12, WGPUVertexStepMode_Vertex, 1, &attrs[1]};
  vbl[2] = {4, WGPUVertexStepMode_Vertex, 1, &attrs[2]};
  vbl[3] = {4, WGPUVertexStepMode_Vertex, 1, &attrs[3]};

  WGPUDepthStencilState ds = depth_state(kDepthFormat, true, WGPUCompareFunction_Less);
  PipelineSpec spec;
  spec.module = module;
  spec.buffers = vbl;
  spec.buffer_count = 4;
  spec.color_format = color_format;
  spec.depth = &ds;
  r.pipeline = create_pipeline(device, spec);
  spec.color_format = kPickFormat;
  spec.fragment_entry = "fs_pick";
  r.pick_pipeline = create_pipeline(device, spec);

  r.bind_group = uniform_bind_group(device, r.pipeline, frame_uniforms, (sizeof(FrameUniforms) + 15) / 16 * 16);
  r.pick_bind_group = uniform_bind_group(device, r.pick_pipeline, frame_uniforms, (sizeof(FrameUniforms) + 15) / 16 * 16);
}

static WGPUBuffer upload(WGPUDevice device, WGPUBuffer old, const void* data, size_t bytes, WGPUBufferUsageFlags usage) {
  if (old) wgpuBufferDestroy(old), wgpuBufferRelease(old);
  WGPUBufferDescriptor bd{};
  bd.size = bytes < 16 ? 16 : (bytes + 3) / 4 * 4;
  bd.usage = usage | WGPUBufferUsage_CopyDst;
  WGPUBuffer b = wgpuDeviceCreateBuffer(device, &bd);
  if (bytes) wgpuQueueWriteBuffer(wgpuDeviceGetQueue(device), b, 0, data, bytes);
  return b;
}

void mesh_renderer_upload(MeshRenderer& r, const Mesh& m) {
  r.positions = upload(r.device, r.positions, m.positions.data(), m.positions.size() * 4, WGPUBufferUsage_Vertex);
  r.normals = upload(r.device, r.normals, m.normals.data(), m.normals.size() * 4, WGPUBufferUsage_Vertex);
  r.colors = upload(r.device, r.colors, m.colors.data(), m.colors.size() * 4, WGPUBufferUsage_Vertex);
  std::vector<uint32_t> picks(m.vertex_count(), 0);
  if (m.atom_ids.size() == m.vertex_count())
    for (size_t i = 0; i < picks.size(); ++i) picks[i] = m.atom_ids[i] == 0xffffffffu ? 0 : m.atom_ids[i] + 1;
  r.picks = upload(r.device, r.picks, picks.data(), picks.size() * 4, WGPUBufferUsage_Vertex);
  r.pick_bytes = picks.size() * 4;
  r.indices = upload(r.device, r.indices, m.indices.data(), m.indices.size() * 4, WGPUBufferUsage_Index);
  r.index_count = uint32_t(m.indices.size());
  r.position_bytes = m.positions.size() * 4;
  r.normal_bytes = m.normals.size() * 4;
  r.color_bytes = m.colors.size() * 4;
  r.index_bytes = m.indices.size() * 4;
}

void mesh_renderer_draw(const MeshRenderer& r, WGPURenderPassEncoder pass, bool pick) {
  if (!r.index_count) return;
  wgpuRenderPassEncoderSetPipeline(pass, pick ? r.pick_pipeline : r.pipeline);
  wgpuRenderPassEncoderSetBindGroup(pass, 0, pick ? r.pick_bind_group : r.bind_group, 0, nullptr);
  wgpuRenderPassEncoderSetVertexBuffer(pass, 0, r.positions, 0, r.position_bytes);
  wgpuRenderPassEncoderSetVertexBuffer(pass, 1, r.normals, 0, r.normal_bytes);
  wgpuRenderPassEncoderSetVertexBuffer(pass, 2, r.colors, 0, r.color_bytes);
  wgpuRenderPassEncoderSetVertexBuffer(pass, 3, r.picks, 0, r.pick_bytes);
  wgpuRenderPassEncoderSetIndexBuffer(pass, r.indices, WGPUIndexFormat_Uint32, 0, r.index_bytes);
  wgpuRenderPassEncoderDrawIndexed(pass, r.index_count, 1, 0, 0, 0);
}

}  // namespace foldsight
