// Draws indexed triangle meshes from src/geometry (cartoon, trace, surface). Buffers are
// uploaded once per change; the frame only binds and draws.
#pragma once
#include <webgpu/webgpu.h>
#include "geometry/mesh.h"
#include "render/sphere_renderer.h"

namespace foldsight {

struct MeshRenderer {
  WGPUDevice device = nullptr;
  WGPURenderPipeline pipeline = nullptr;
  WGPURenderPipeline pick_pipeline = nullptr;
  WGPUBindGroup bind_group = nullptr, pick_bind_group = nullptr;
  WGPUBuffer positions = nullptr, normals = nullptr, colors = nullptr, picks = nullptr, indices = nullptr;
  uint64_t position_bytes = 0, normal_bytes = 0, color_bytes = 0, pick_bytes = 0, index_bytes = 0;
  uint32_t index_count = 0;
};

// Shares the frame uniform buffer of the sphere renderer (same layout).
void mesh_renderer_init(MeshRenderer& r, WGPUDevice device, WGPUTextureFormat color_format, WGPUBuffer frame_uniforms);
void mesh_renderer_upload(MeshRenderer& r, const Mesh& mesh);
// Pick ids per vertex are mesh.atom_ids + 1 (0 = not pickable) unless atom_ids is empty.
void mesh_renderer_draw(const MeshRenderer& r, WGPURenderPassEncoder pass, bool pick = false);

}  // namespace foldsight
