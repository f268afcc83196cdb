// A small Dear ImGui renderer on WebGPU (WGSL shaders/imgui.wgsl), written for
// Emscripten 3.1.6's bindings: the upstream backend ships SPIR-V, which browsers reject.
#pragma once
#include <webgpu/webgpu.h>
#include "imgui.h"

namespace foldsight {
bool imgui_wgpu_init(WGPUDevice device, WGPUTextureFormat color_format, WGPUTextureFormat depth_format);
void imgui_wgpu_render(ImDrawData* draw_data, WGPURenderPassEncoder pass);
}  // namespace foldsight
