#include "render/mesh_renderer.h"
#include <algorithm>
#include <cstdint>
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
  ScenePipelines pipelines = create_scene_pipelines(device, spec, kDepthFormat, kPickFormat);
  r.pipeline = pipelines.opaque, r.transparent_pipeline = pipelines.transparent, r.pick_pipeline = pipelines.pick;
  r.transparent_depth_pipeline = pipelines.transparent_depth;
  spec.cull = WGPUCullMode_Back;
  r.culled_pipeline = create_pipeline(device, spec);

  r.bind_group = uniform_bind_group(device, r.pipeline, frame_uniforms, (sizeof(FrameUniforms) + 15) / 16 * 16);
  r.pick_bind_group = uniform_bind_group(device, r.pick_pipeline, frame_uniforms, (sizeof(FrameUniforms) + 15) / 16 * 16);
  r.transparent_bind_group =
      uniform_bind_group(device, r.transparent_pipeline, frame_uniforms, (sizeof(FrameUniforms) + 15) / 16 * 16);
  r.transparent_depth_bind_group =
      uniform_bind_group(device, r.transparent_depth_pipeline, frame_uniforms, (sizeof(FrameUniforms) + 15) / 16 * 16);
  r.culled_bind_group = uniform_bind_group(device, r.culled_pipeline, frame_uniforms, (sizeof(FrameUniforms) + 15) / 16 * 16);
}

static WGPUBuffer upload(WGPUDevice device, const void* data, size_t bytes, WGPUBufferUsageFlags usage) {
  return create_buffer_with_data(device, data, bytes, usage);
}

static void release(WGPUBuffer& b) {
  if (b) wgpuBufferDestroy(b), wgpuBufferRelease(b);
  b = nullptr;
}

namespace {
void release_chunks(std::vector<MeshChunk>& chunks) {
  for (MeshChunk& c : chunks) release(c.positions), release(c.normals), release(c.colors), release(c.picks), release(c.indices);
  chunks.clear();
}

// Uploads the chunk starting at triangle t; returns the first triangle after it. Chunks cut at
// triangle boundaries: the builders append pieces whose triangles use nearby vertices, so a
// chunk covers a compact vertex range [v0, v1].
size_t upload_chunk(MeshRenderer& r, const Mesh& m, size_t t, std::vector<MeshChunk>& out) {
  const size_t tris = m.indices.size() / 3;
  uint32_t v0 = UINT32_MAX, v1 = 0;
  size_t t1 = t;
  for (; t1 < tris; ++t1) {
    uint32_t lo = std::min({m.indices[3 * t1], m.indices[3 * t1 + 1], m.indices[3 * t1 + 2]});
    uint32_t hi = std::max({m.indices[3 * t1], m.indices[3 * t1 + 1], m.indices[3 * t1 + 2]});
    uint32_t n0 = std::min(v0, lo), n1 = std::max(v1, hi);
    if (t1 > t && n1 - n0 + 1 > kMeshChunkVertices) break;
    v0 = n0, v1 = n1;
  }
  MeshChunk c;
  c.vertex_count = uint64_t(v1) - v0 + 1;
  const size_t nv = size_t(c.vertex_count);
  c.positions = upload(r.device, m.positions.data() + 3 * size_t(v0), nv * 12, WGPUBufferUsage_Vertex);
  c.normals = upload(r.device, m.normals.data() + 3 * size_t(v0), nv * 12, WGPUBufferUsage_Vertex);
  c.colors = upload(r.device, m.colors.data() + size_t(v0), nv * 4, WGPUBufferUsage_Vertex);
  for (size_t i = 0; i < nv; ++i) ((m.colors[v0 + i] >> 24) >= 255 ? c.has_opaque : c.has_transparent) = true;
  double sum[3] = {0, 0, 0};
  for (size_t i = 0; i < nv; ++i)
    for (int k = 0; k < 3; ++k) sum[k] += m.positions[3 * (v0 + i) + k];
  for (int k = 0; k < 3; ++k) c.center[k] = float(sum[k] / double(nv));
  std::vector<uint32_t> picks(nv, 0);
  if (m.atom_ids.size() == m.vertex_count())
    for (size_t i = 0; i < nv; ++i) picks[i] = m.atom_ids[v0 + i] == 0xffffffffu ? 0 : m.atom_ids[v0 + i] + 1;
  c.picks = upload(r.device, picks.data(), nv * 4, WGPUBufferUsage_Vertex);
  std::vector<uint32_t> idx(m.indices.begin() + long(3 * t), m.indices.begin() + long(3 * t1));
  if (v0)
    for (uint32_t& i : idx) i -= v0;
  c.indices = upload(r.device, idx.data(), idx.size() * 4, WGPUBufferUsage_Index);
  c.index_count = uint32_t(idx.size());
  out.push_back(c);
  return t1;
}
}  // namespace

bool mesh_renderer_upload_step(MeshRenderer& r, const Mesh& m) {
  const size_t tris = m.indices.size() / 3;
  if (r.pending_triangle < tris) r.pending_triangle = upload_chunk(r, m, r.pending_triangle, r.pending);
  if (r.pending_triangle < tris) return false;
  release_chunks(r.chunks);
  r.chunks.swap(r.pending);
  r.pending_triangle = 0;
  r.order.clear();
  return true;
}

void mesh_renderer_upload_reset(MeshRenderer& r) {
  release_chunks(r.pending);
  r.pending_triangle = 0;
}

void mesh_renderer_upload(MeshRenderer& r, const Mesh& m) {
  mesh_renderer_upload_reset(r);
  while (!mesh_renderer_upload_step(r, m)) {
  }
}

void mesh_renderer_set_view(MeshRenderer& r, const Mat4& view) {
  if (!r.lod) {
    r.order.clear();
    return;
  }
  // View-space z of each centre (the camera looks down -z: larger is nearer).
  std::vector<std::pair<float, uint32_t>> z(r.chunks.size());
  for (size_t i = 0; i < r.chunks.size(); ++i) {
    const float* c = r.chunks[i].center;
    z[i] = {-(view.m[2] * c[0] + view.m[6] * c[1] + view.m[10] * c[2]), uint32_t(i)};
  }
  std::sort(z.begin(), z.end());
  r.order.resize(z.size());
  for (size_t i = 0; i < z.size(); ++i) r.order[i] = z[i].second;
}

void mesh_renderer_draw(const MeshRenderer& r, WGPURenderPassEncoder pass, DrawPass which) {
  if (r.chunks.empty()) return;
  const bool pick = which == DrawPass::Pick,
             transparent = which == DrawPass::Transparent || which == DrawPass::TransparentDepth;
  if (transparent && std::none_of(r.chunks.begin(), r.chunks.end(), [](const MeshChunk& c) { return c.has_transparent; })) return;
  const bool lod = r.lod && which == DrawPass::Opaque;
  WGPURenderPipeline pipeline = r.pipeline;
  WGPUBindGroup group = r.bind_group;
  if (pick) pipeline = r.pick_pipeline, group = r.pick_bind_group;
  else if (which == DrawPass::Transparent) pipeline = r.transparent_pipeline, group = r.transparent_bind_group;
  else if (which == DrawPass::TransparentDepth) pipeline = r.transparent_depth_pipeline, group = r.transparent_depth_bind_group;
  else if (lod) pipeline = r.culled_pipeline, group = r.culled_bind_group;
  wgpuRenderPassEncoderSetPipeline(pass, pipeline);
  wgpuRenderPassEncoderSetBindGroup(pass, 0, group, 0, nullptr);
  const bool ordered = r.order.size() == r.chunks.size();
  for (size_t k = 0; k < r.chunks.size(); ++k) {
    const MeshChunk& c = r.chunks[ordered ? r.order[k] : k];
    if ((which == DrawPass::Opaque && !c.has_opaque) || (transparent && !c.has_transparent)) continue;
    wgpuRenderPassEncoderSetVertexBuffer(pass, 0, c.positions, 0, c.vertex_count * 12);
    wgpuRenderPassEncoderSetVertexBuffer(pass, 1, c.normals, 0, c.vertex_count * 12);
    wgpuRenderPassEncoderSetVertexBuffer(pass, 2, c.colors, 0, c.vertex_count * 4);
    wgpuRenderPassEncoderSetVertexBuffer(pass, 3, c.picks, 0, c.vertex_count * 4);
    wgpuRenderPassEncoderSetIndexBuffer(pass, c.indices, WGPUIndexFormat_Uint32, 0, uint64_t(c.index_count) * 4);
    wgpuRenderPassEncoderDrawIndexed(pass, c.index_count, 1, 0, 0, 0);
  }
}

}  // namespace foldsight
