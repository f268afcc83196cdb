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
// Level of detail for huge scenes (over kMeshLodAtoms atoms shown, e.g. a million-atom cartoon):
// the opaque pass culls back faces (every mesh the builders make is closed, outward CCW), which
// halves the triangles a software rasteriser fills, and draws the chunks nearest the camera
// first (GPUs with early depth testing then skip what they hide; SwiftShader tests depth only
// after the fragment shader unless the shader asks for early tests, which WGSL cannot). The
// picture is the same.
constexpr size_t kMeshLodAtoms = 500000;

struct MeshChunk {
  WGPUBuffer positions = nullptr, normals = nullptr, colors = nullptr, picks = nullptr, indices = nullptr;
  uint64_t vertex_count = 0;
  uint32_t index_count = 0;
  float center[3] = {0, 0, 0};   // of the chunk's vertices, to draw near chunks first
  bool has_opaque = false, has_transparent = false;   // vertex alphas in this chunk
};

struct MeshRenderer {
  WGPUDevice device = nullptr;
  WGPURenderPipeline pipeline = nullptr;
  WGPURenderPipeline pick_pipeline = nullptr;
  WGPURenderPipeline transparent_pipeline = nullptr, transparent_depth_pipeline = nullptr;
  WGPURenderPipeline culled_pipeline = nullptr;   // opaque with back faces culled (huge scenes)
  WGPUBindGroup culled_bind_group = nullptr;
  WGPUBindGroup bind_group = nullptr, pick_bind_group = nullptr, transparent_bind_group = nullptr,
                transparent_depth_bind_group = nullptr;
  std::vector<MeshChunk> chunks;    // drawn
  std::vector<MeshChunk> pending;   // being uploaded (mesh_renderer_upload_step); drawn once complete
  size_t pending_triangle = 0;      // next triangle of the mesh being uploaded
  bool lod = false;                 // set by the app: the scene has over kMeshLodAtoms atoms
  std::vector<uint32_t> order;      // chunks front to back, set per frame by mesh_renderer_set_view
};

// Shares the frame uniform buffer of the sphere renderer (same layout).
void mesh_renderer_init(MeshRenderer& r, WGPUDevice device, WGPUTextureFormat color_format, WGPUBuffer frame_uniforms);
void mesh_renderer_upload(MeshRenderer& r, const Mesh& mesh);
// Incremental upload of a big mesh, one chunk per call, so no frame copies hundreds of MB: call
// with the same mesh until it returns true; the previous mesh is drawn until then.
bool mesh_renderer_upload_step(MeshRenderer& r, const Mesh& mesh);
// Drops a partial incremental upload (the mesh changed before it completed).
void mesh_renderer_upload_reset(MeshRenderer& r);
// Orders the chunks of a huge scene front to back for this frame's view (a sort of a few
// dozen chunk centres; nothing is rebuilt).
void mesh_renderer_set_view(MeshRenderer& r, const Mat4& view);
// Pick ids per vertex are mesh.atom_ids + 1 (0 = not pickable) unless atom_ids is empty.
void mesh_renderer_draw(const MeshRenderer& r, WGPURenderPassEncoder pass, DrawPass which = DrawPass::Opaque);

}  // namespace foldsight
