#include "ui/imgui_wgpu.h"
#include <cstring>
#include <vector>
#include "embedded_shaders.h"
#include "render/gpu_util.h"

namespace foldsight {
namespace {
struct Backend {
  WGPUDevice device = nullptr;
  WGPURenderPipeline pipeline = nullptr;
  WGPUBuffer uniforms = nullptr;
  WGPUBindGroup bind_group = nullptr;
  WGPUBuffer vb = nullptr, ib = nullptr;
  size_t vb_size = 0, ib_size = 0;
};
Backend g;  // one ImGui context per page; the backend's GPU objects live as long as it

WGPUBuffer make_buffer(size_t size, WGPUBufferUsageFlags usage) {
  WGPUBufferDescriptor bd{};
  bd.size = (size + 3) / 4 * 4;
  bd.usage = usage | WGPUBufferUsage_CopyDst;
  return wgpuDeviceCreateBuffer(g.device, &bd);
}
}  // namespace

bool imgui_wgpu_init(WGPUDevice device, WGPUTextureFormat color_format, WGPUTextureFormat depth_format) {
  g.device = device;
  WGPUShaderModule module = create_wgsl_module(device, kShader_imgui);

  WGPUVertexAttribute attrs[3] = {};
  attrs[0] = {WGPUVertexFormat_Float32x2, offsetof(ImDrawVert, pos), 0};
  attrs[1] = {WGPUVertexFormat_Float32x2, offsetof(ImDrawVert, uv), 1};
  attrs[2] = {WGPUVertexFormat_Unorm8x4, offsetof(ImDrawVert, col), 2};
  WGPUVertexBufferLayout vbl{};
  vbl.arrayStride = sizeof(ImDrawVert);
  vbl.stepMode = WGPUVertexStepMode_Vertex;
  vbl.attributeCount = 3;
  vbl.attributes = attrs;

  WGPUBlendState blend{};
  blend.color = {WGPUBlendOperation_Add, WGPUBlendFactor_SrcAlpha, WGPUBlendFactor_OneMinusSrcAlpha};
  blend.alpha = {WGPUBlendOperation_Add, WGPUBlendFactor_One, WGPUBlendFactor_OneMinusSrcAlpha};
  // The UI is drawn in the scene's pass, which has a depth attachment: match it, never test.
  WGPUDepthStencilState ds = depth_state(depth_format, false, WGPUCompareFunction_Always);
  PipelineSpec spec;
  spec.module = module;
  spec.buffers = &vbl;
  spec.buffer_count = 1;
  spec.color_format = color_format;
  spec.blend = &blend;
  spec.depth = depth_format != WGPUTextureFormat_Undefined ? &ds : nullptr;
  g.pipeline = create_pipeline(device, spec);

  // Font atlas.
  ImGuiIO& io = ImGui::GetIO();
  io.BackendFlags |= ImGuiBackendFlags_RendererHasVtxOffset;   // draw commands honour VtxOffset (> 64 k vertices)
  unsigned char* pixels;
  int w, h;
  io.Fonts->GetTexDataAsRGBA32(&pixels, &w, &h);
  WGPUTexture tex = create_texture_2d(device, w, h, WGPUTextureFormat_RGBA8Unorm,
                                      WGPUTextureUsage_TextureBinding | WGPUTextureUsage_CopyDst);
  WGPUExtent3D extent = {uint32_t(w), uint32_t(h), 1};
  WGPUImageCopyTexture dst{};
  dst.texture = tex;
  dst.aspect = WGPUTextureAspect_All;
  WGPUTextureDataLayout layout{};
  layout.bytesPerRow = uint32_t(w * 4);
  layout.rowsPerImage = uint32_t(h);
  wgpuQueueWriteTexture(wgpuDeviceGetQueue(device), &dst, pixels, size_t(w) * h * 4, &layout, &extent);
  WGPUTextureView view = create_view_2d(tex, WGPUTextureFormat_RGBA8Unorm);
  WGPUSamplerDescriptor sd{};
  sd.minFilter = WGPUFilterMode_Linear;
  sd.magFilter = WGPUFilterMode_Linear;
  sd.mipmapFilter = WGPUFilterMode_Linear;
  sd.addressModeU = sd.addressModeV = sd.addressModeW = WGPUAddressMode_Repeat;
  sd.lodMaxClamp = 32.0f;
  sd.maxAnisotropy = 1;
  WGPUSampler sampler = wgpuDeviceCreateSampler(device, &sd);

  g.uniforms = make_buffer(64, WGPUBufferUsage_Uniform);
  WGPUBindGroupEntry e[3] = {};
  e[0].binding = 0;
  e[0].buffer = g.uniforms;
  e[0].size = 64;
  e[1].binding = 1;
  e[1].sampler = sampler;
  e[2].binding = 2;
  e[2].textureView = view;
  WGPUBindGroupDescriptor bgd{};
  bgd.layout = wgpuRenderPipelineGetBindGroupLayout(g.pipeline, 0);
  bgd.entryCount = 3;
  bgd.entries = e;
  g.bind_group = wgpuDeviceCreateBindGroup(device, &bgd);
  return g.pipeline != nullptr;
}

void imgui_wgpu_render(ImDrawData* dd, WGPURenderPassEncoder pass) {
  if (!dd || dd->TotalVtxCount == 0) return;
  WGPUQueue queue = wgpuDeviceGetQueue(g.device);
  size_t vbytes = size_t(dd->TotalVtxCount) * sizeof(ImDrawVert);
  size_t ibytes = (size_t(dd->TotalIdxCount) * sizeof(ImDrawIdx) + 3) / 4 * 4;
  if (vbytes > g.vb_size) {
    if (g.vb) wgpuBufferDestroy(g.vb), wgpuBufferRelease(g.vb);
    g.vb_size = vbytes + 5000 * sizeof(ImDrawVert);
    g.vb = make_buffer(g.vb_size, WGPUBufferUsage_Vertex);
  }
  if (ibytes > g.ib_size) {
    if (g.ib) wgpuBufferDestroy(g.ib), wgpuBufferRelease(g.ib);
    g.ib_size = ibytes + 10000 * sizeof(ImDrawIdx);
    g.ib = make_buffer(g.ib_size, WGPUBufferUsage_Index);
  }
  std::vector<ImDrawVert> verts;
  std::vector<ImDrawIdx> idx;
  verts.reserve(dd->TotalVtxCount);
  idx.reserve(dd->TotalIdxCount + 2);
  for (int n = 0; n < dd->CmdListsCount; ++n) {
    const ImDrawList* cl = dd->CmdLists[n];
    verts.insert(verts.end(), cl->VtxBuffer.Data, cl->VtxBuffer.Data + cl->VtxBuffer.Size);
    idx.insert(idx.end(), cl->IdxBuffer.Data, cl->IdxBuffer.Data + cl->IdxBuffer.Size);
  }
  while ((idx.size() * sizeof(ImDrawIdx)) % 4) idx.push_back(0);
  wgpuQueueWriteBuffer(queue, g.vb, 0, verts.data(), vbytes);
  wgpuQueueWriteBuffer(queue, g.ib, 0, idx.data(), idx.size() * sizeof(ImDrawIdx));

  float L = dd->DisplayPos.x, R = L + dd->DisplaySize.x, T = dd->DisplayPos.y, B = T + dd->DisplaySize.y;
  float mvp[16] = {2.0f / (R - L), 0, 0, 0, 0, 2.0f / (T - B), 0, 0, 0, 0, 0.5f, 0,
                   (R + L) / (L - R), (T + B) / (B - T), 0.5f, 1.0f};
  wgpuQueueWriteBuffer(queue, g.uniforms, 0, mvp, sizeof(mvp));

  wgpuRenderPassEncoderSetPipeline(pass, g.pipeline);
  wgpuRenderPassEncoderSetBindGroup(pass, 0, g.bind_group, 0, nullptr);
  wgpuRenderPassEncoderSetVertexBuffer(pass, 0, g.vb, 0, vbytes);
  wgpuRenderPassEncoderSetIndexBuffer(pass, g.ib, sizeof(ImDrawIdx) == 2 ? WGPUIndexFormat_Uint16 : WGPUIndexFormat_Uint32,
                                      0, idx.size() * sizeof(ImDrawIdx));
  ImVec2 scale = dd->FramebufferScale;
  float fb_w = dd->DisplaySize.x * scale.x, fb_h = dd->DisplaySize.y * scale.y;
  int voff = 0, ioff = 0;
  for (int n = 0; n < dd->CmdListsCount; ++n) {
    const ImDrawList* cl = dd->CmdLists[n];
    for (const ImDrawCmd& cmd : cl->CmdBuffer) {
      if (cmd.UserCallback) continue;
      float x0 = (cmd.ClipRect.x - L) * scale.x, y0 = (cmd.ClipRect.y - T) * scale.y;
      float x1 = (cmd.ClipRect.z - L) * scale.x, y1 = (cmd.ClipRect.w - T) * scale.y;
      if (x0 < 0) x0 = 0;
      if (y0 < 0) y0 = 0;
      if (x1 > fb_w) x1 = fb_w;
      if (y1 > fb_h) y1 = fb_h;
      if (x1 <= x0 || y1 <= y0) continue;
      wgpuRenderPassEncoderSetScissorRect(pass, uint32_t(x0), uint32_t(y0), uint32_t(x1 - x0), uint32_t(y1 - y0));
      wgpuRenderPassEncoderDrawIndexed(pass, cmd.ElemCount, 1, ioff + cmd.IdxOffset, voff + int(cmd.VtxOffset), 0);
    }
    voff += cl->VtxBuffer.Size;
    ioff += cl->IdxBuffer.Size;
  }
}

}  // namespace foldsight
