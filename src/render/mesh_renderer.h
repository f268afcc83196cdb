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
  WGPUBindGroup bind_group = nullptr;
  WGPUBuffer positions = nullptr, normals = nullptr, colors = nullptr, indices = nullptr;
  uint64_t position_bytes = 0, normal_bytes = 0, color_bytes = 0, index_bytes = 0;
  uint32_t index_count = 0;
};

// Shares the frame uniform buffer of the sphere renderer (same layout).
void mesh_renderer_init(MeshRenderer& r, WGPUDevice device, WGPUTextureFormat color_format, WGPUBuffer frame_uniforms);
void mesh_renderer_upload(MeshRenderer& r, const Mesh& mesh);
void mesh_renderer_draw(const MeshRenderer& r, WGPURenderPassEncoder pass);

}  // namespace foldsight
