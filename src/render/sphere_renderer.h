// Draws atoms as lit, ray-cast sphere impostors with depth testing (spacefill and the
// atom part of ball-and-stick). Instance data is uploaded once per change, never per frame.
#pragma once
#include <webgpu/webgpu.h>
#include <cstdint>
#include <vector>
#include "render/camera.h"
#include "render/gpu_util.h"

namespace foldsight {

// `pick` is the id written to the pick buffer: global atom index + 1 (0 = nothing).
struct SphereInstance { float x, y, z, r; uint32_t rgba; uint32_t pick; };

struct FrameUniforms {
  Mat4 view, proj;
  float light_dir[4];
  float fog[4];
  float background[4];
};

struct SphereRenderer {
  WGPUDevice device = nullptr;
  WGPURenderPipeline pipeline = nullptr;
  WGPURenderPipeline pick_pipeline = nullptr;   // writes atom ids into an R32Uint target
  WGPURenderPipeline transparent_pipeline = nullptr, transparent_depth_pipeline = nullptr;
  WGPUBuffer uniforms = nullptr;
  WGPUBuffer instances = nullptr;   // storage buffer of SphereInstance, read by the vertex shader
  // One bind group (uniforms + a range of `instances`) per kSpheresPerBinding spheres, for each
  // of the three pipelines: a storage binding holds at most 128 MiB.
  std::vector<WGPUBindGroup> groups, pick_groups, transparent_groups, transparent_depth_groups;
  uint32_t instance_count = 0;
  size_t instance_capacity = 0;
  bool has_opaque = false, has_transparent = false;   // of the uploaded instances
};

static constexpr uint32_t kSpheresPerBinding = 1u << 22;   // 96 MiB of SphereInstance
static constexpr WGPUTextureFormat kDepthFormat = WGPUTextureFormat_Depth32Float;
static constexpr WGPUTextureFormat kPickFormat = WGPUTextureFormat_R32Uint;

void sphere_renderer_init(SphereRenderer& r, WGPUDevice device, WGPUTextureFormat color_format);
void sphere_renderer_upload(SphereRenderer& r, const std::vector<SphereInstance>& spheres);
void sphere_renderer_set_uniforms(SphereRenderer& r, const FrameUniforms& u);
void sphere_renderer_draw(const SphereRenderer& r, WGPURenderPassEncoder pass, DrawPass which = DrawPass::Opaque);

}  // namespace foldsight
