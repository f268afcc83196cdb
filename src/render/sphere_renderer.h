// Draws atoms as lit, ray-cast sphere impostors with depth testing (spacefill and the
// atom part of ball-and-stick). Instance data is uploaded once per change, never per frame.
#pragma once
#include <webgpu/webgpu.h>
#include <cstdint>
#include <vector>
#include "render/camera.h"

namespace foldsight {

struct SphereInstance { float x, y, z, r; uint32_t rgba; };

struct FrameUniforms {
  Mat4 view, proj;
  float light_dir[4];
  float fog[4];
  float background[4];
};

struct SphereRenderer {
  WGPUDevice device = nullptr;
  WGPURenderPipeline pipeline = nullptr;
  WGPUBuffer uniforms = nullptr;
  WGPUBindGroup bind_group = nullptr;
  WGPUBuffer instances = nullptr;
  uint32_t instance_count = 0;
  size_t instance_capacity = 0;
};

static constexpr WGPUTextureFormat kDepthFormat = WGPUTextureFormat_Depth32Float;

void sphere_renderer_init(SphereRenderer& r, WGPUDevice device, WGPUTextureFormat color_format);
void sphere_renderer_upload(SphereRenderer& r, const std::vector<SphereInstance>& spheres);
void sphere_renderer_set_uniforms(SphereRenderer& r, const FrameUniforms& u);
void sphere_renderer_draw(const SphereRenderer& r, WGPURenderPassEncoder pass);

}  // namespace foldsight
