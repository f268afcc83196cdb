// Draws indexed triangle meshes from src/geometry (cartoon, trace, surface). Buffers are
// uploaded once per change; the frame only binds and draws.
#pragma once
#include <webgpu/webgpu.h>
#include <vector>
#include "geometry/mesh.h"
#include "render/sphere_renderer.h"

namespace foldsight {

// Big meshes are split into chunks of at most kMeshChunkVertices vertices, each in its own
// buffers: WebGPU guarantees buffers of 256 MB only (maxBufferSize), and a multi-million-atom
// cartoon needs more. 64 k vertices (~2.5 MB) is also what the browser copies to the GPU process
// in a few milliseconds, so a big scene is uploaded chunk by chunk without holding a frame.
constexpr uint32_t kMeshChunkVertices = 64u << 10;

struct MeshChunk {
  WGPUBuffer positions = nullptr, normals = nullptr, colors = nullptr, picks = nullptr, indices = nullptr;
  uint64_t vertex_count = 0;
  uint32_t index_count = 0;
  bool has_opaque = false, has_transparent = false;   // vertex alphas in this chunk
};

struct MeshRenderer {
  WGPUDevice device = nullptr;
  WGPURenderPipeline pipeline = nullptr;
  WGPURenderPipeline pick_pipeline = nullptr;
  WGPURenderPipeline transparent_pipeline = nullptr;
  WGPUBindGroup bind_group = nullptr, pick_bind_group = nullptr, transparent_bind_group = nullptr;
  std::vector<MeshChunk> chunks;    // drawn
  std::vector<MeshChunk> pending;   // being uploaded (mesh_renderer_upload_step); drawn once complete
  size_t pending_triangle = 0;      // next triangle of the mesh being uploaded
};

// Shares the frame uniform buffer of the sphere renderer (same layout).
void mesh_renderer_init(MeshRenderer& r, WGPUDevice device, WGPUTextureFormat color_format, WGPUBuffer frame_uniforms);
void mesh_renderer_upload(MeshRenderer& r, const Mesh& mesh);
// Incremental upload of a big mesh, one chunk per call, so no frame copies hundreds of MB: call
// with the same mesh until it returns true; the previous mesh is drawn until then.
bool mesh_renderer_upload_step(MeshRenderer& r, const Mesh& mesh);
// Drops a partial incremental upload (the mesh changed before it completed).
void mesh_renderer_upload_reset(MeshRenderer& r);
// Pick ids per vertex are mesh.atom_ids + 1 (0 = not pickable) unless atom_ids is empty.
void mesh_renderer_draw(const MeshRenderer& r, WGPURenderPassEncoder pass, DrawPass which = DrawPass::Opaque);

}  // namespace foldsight
