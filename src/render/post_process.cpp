#include "render/post_process.h"
#include "embedded_shaders.h"
#include "render/gpu_util.h"
#include <algorithm>
#include <cmath>

namespace foldsight {

namespace {
constexpr WGPUTextureFormat kAoFormat = WGPUTextureFormat_R8Unorm;

// Layout of `Post` in shaders/postprocess.wgsl.
struct PostUniforms {
  float proj[4];     // p[0], p[5], p[10], p[14]
  float size[4];     // w, h, 1/w, 1/h
  float params[4];   // SSAO radius (Å), SSAO strength, outline strength, outline offset (px)
  float flags[4];    // ssao, outlines, antialias
};

constexpr float kAoRadius = 5.0f;       // Å, about Mol*'s default
constexpr float kAoStrength = 2.2f;
constexpr float kOutlineStrength = 0.85f;

WGPURenderPassEncoder begin_pass(WGPUCommandEncoder enc, WGPUTextureView target, WGPUTextureView read_only_depth,
                                 WGPUColor clear) {
  WGPURenderPassColorAttachment ca{};
  ca.view = target;
  ca.loadOp = WGPULoadOp_Clear;   // what the pass does not draw (outside the scene's rectangle)
  ca.storeOp = WGPUStoreOp_Store;
  ca.clearColor = clear;
  WGPURenderPassDepthStencilAttachment da{};
  da.view = read_only_depth;
  da.depthReadOnly = true;
  WGPURenderPassDescriptor rp{};
  rp.colorAttachmentCount = 1;
  rp.colorAttachments = &ca;
  rp.depthStencilAttachment = read_only_depth ? &da : nullptr;
  return wgpuCommandEncoderBeginRenderPass(enc, &rp);
}

// Bind group 0 of `pipeline`; `auto` layouts keep only the bindings its entry point uses.
WGPUBindGroup make_group(const PostProcess& p, WGPURenderPipeline pipeline, const PostTargets& t, WGPUTextureView depth,
                         bool composite) {
  WGPUBindGroupEntry e[5] = {};
  e[0].binding = 0, e[0].buffer = p.uniforms, e[0].size = sizeof(PostUniforms);
  e[1].binding = 1, e[1].textureView = depth;
  e[2].binding = 2, e[2].textureView = t.color_view;
  e[3].binding = 3, e[3].textureView = t.ao_view;
  e[4].binding = 4, e[4].sampler = p.linear;
  WGPUBindGroupDescriptor bgd{};
  bgd.layout = wgpuRenderPipelineGetBindGroupLayout(pipeline, 0);
  bgd.entryCount = composite ? 5 : 2;
  bgd.entries = e;
  WGPUBindGroup g = wgpuDeviceCreateBindGroup(p.device, &bgd);
  wgpuBindGroupLayoutRelease(bgd.layout);
  return g;
}

void release_groups(PostTargets& t) {
  if (t.ao_group) wgpuBindGroupRelease(t.ao_group);
  if (t.composite_group) wgpuBindGroupRelease(t.composite_group);
  if (t.group_depth) wgpuTextureViewRelease(t.group_depth);
  t.ao_group = t.composite_group = nullptr;
  t.group_depth = nullptr;
}

void ensure_groups(const PostProcess& p, PostTargets& t, WGPUTextureView depth) {
  if (t.group_depth == depth && t.composite_group) return;
  release_groups(t);
  t.ao_group = make_group(p, p.ao, t, depth, false);
  t.composite_group = make_group(p, p.composite, t, depth, true);
  wgpuTextureViewReference(depth);
  t.group_depth = depth;
}
}  // namespace

void post_screen_rect(const PostFrame& f, int w, int h, int margin, int out[4]) {
  out[0] = 0, out[1] = 0, out[2] = w, out[3] = h;
  if (!f.has_box) return;
  float x0 = 1e30f, y0 = 1e30f, x1 = -1e30f, y1 = -1e30f;
  for (int c = 0; c < 8; ++c) {
    const float p[4] = {f.box[c & 1 ? 3 : 0], f.box[c & 2 ? 4 : 1], f.box[c & 4 ? 5 : 2], 1.0f};
    float v[4], clip[4];
    for (int r = 0; r < 4; ++r) v[r] = f.view.m[r] * p[0] + f.view.m[4 + r] * p[1] + f.view.m[8 + r] * p[2] + f.view.m[12 + r];
    for (int r = 0; r < 4; ++r) clip[r] = f.proj.m[r] * v[0] + f.proj.m[4 + r] * v[1] + f.proj.m[8 + r] * v[2] + f.proj.m[12 + r] * v[3];
    if (clip[3] < 1e-3f) return;   // a corner at or behind the camera: the whole target
    float sx = (clip[0] / clip[3] * 0.5f + 0.5f) * float(w), sy = (0.5f - clip[1] / clip[3] * 0.5f) * float(h);
    x0 = std::fmin(x0, sx), x1 = std::fmax(x1, sx), y0 = std::fmin(y0, sy), y1 = std::fmax(y1, sy);
  }
  int ix0 = int(std::floor(std::fmax(0.0f, x0 - float(margin)))), iy0 = int(std::floor(std::fmax(0.0f, y0 - float(margin))));
  int ix1 = int(std::ceil(std::fmin(float(w), x1 + float(margin)))), iy1 = int(std::ceil(std::fmin(float(h), y1 + float(margin))));
  out[0] = std::min(ix0, w), out[1] = std::min(iy0, h);
  out[2] = std::max(0, ix1 - out[0]), out[3] = std::max(0, iy1 - out[1]);
}

void post_process_init(PostProcess& p, WGPUDevice device, WGPUTextureFormat color_format, WGPUTextureFormat depth_format) {
  p.device = device;
  p.color_format = color_format;
  WGPUShaderModule module = create_wgsl_module(device, kShader_postprocess);
  PipelineSpec spec;
  spec.module = module;
  spec.color_format = kAoFormat;
  spec.fragment_entry = "fs_ao";
  p.ao = create_pipeline(device, spec);
  WGPUDepthStencilState ds = depth_state(depth_format, false, WGPUCompareFunction_Always);
  spec.color_format = color_format;
  spec.fragment_entry = "fs_main";
  spec.depth = &ds;
  p.composite = create_pipeline(device, spec);
  wgpuShaderModuleRelease(module);

  WGPUBufferDescriptor bd{};
  bd.size = sizeof(PostUniforms);
  bd.usage = WGPUBufferUsage_Uniform | WGPUBufferUsage_CopyDst;
  p.uniforms = wgpuDeviceCreateBuffer(device, &bd);

  WGPUSamplerDescriptor sd{};
  sd.addressModeU = sd.addressModeV = sd.addressModeW = WGPUAddressMode_ClampToEdge;
  sd.magFilter = sd.minFilter = WGPUFilterMode_Linear;
  sd.mipmapFilter = WGPUFilterMode_Nearest;
  sd.lodMinClamp = 0;
  sd.lodMaxClamp = 32;
  sd.maxAnisotropy = 1;
  p.linear = wgpuDeviceCreateSampler(device, &sd);
}

void post_targets_release(PostTargets& t) {
  release_groups(t);
  if (t.color_view) wgpuTextureViewRelease(t.color_view);
  if (t.ao_view) wgpuTextureViewRelease(t.ao_view);
  if (t.color) wgpuTextureDestroy(t.color), wgpuTextureRelease(t.color);
  if (t.ao) wgpuTextureDestroy(t.ao), wgpuTextureRelease(t.ao);
  t = PostTargets{};
}

void post_targets_ensure(PostTargets& t, const PostProcess& p, int w, int h) {
  if (t.color && t.w == w && t.h == h) return;
  post_targets_release(t);
  t.w = w, t.h = h;
  const WGPUTextureUsageFlags usage = WGPUTextureUsage_RenderAttachment | WGPUTextureUsage_TextureBinding;
  t.color = create_texture_2d(p.device, w, h, p.color_format, usage);
  t.color_view = create_view_2d(t.color, p.color_format);
  t.ao = create_texture_2d(p.device, (w + 1) / 2, (h + 1) / 2, kAoFormat, usage);   // half resolution
  t.ao_view = create_view_2d(t.ao, kAoFormat);
}

WGPURenderPassEncoder post_process_encode(const PostProcess& p, WGPUCommandEncoder enc, PostTargets& t,
                                          WGPUTextureView depth, WGPUTextureView out, const PostFrame& f) {
  PostUniforms u{};
  u.proj[0] = f.proj.m[0], u.proj[1] = f.proj.m[5], u.proj[2] = f.proj.m[10], u.proj[3] = f.proj.m[14];
  u.size[0] = float(t.w), u.size[1] = float(t.h), u.size[2] = 1.0f / float(t.w), u.size[3] = 1.0f / float(t.h);
  u.params[0] = kAoRadius, u.params[1] = kAoStrength, u.params[2] = kOutlineStrength;
  u.params[3] = std::fmax(1.0f, std::round(f.pixel_ratio));
  u.flags[0] = f.quality.ssao ? 1.0f : 0.0f;
  u.flags[1] = f.quality.outlines ? 1.0f : 0.0f;
  u.flags[2] = f.quality.antialias ? 1.0f : 0.0f;
  wgpuQueueWriteBuffer(wgpuDeviceGetQueue(p.device), p.uniforms, 0, &u, sizeof u);

  // The scene's rectangle, with room for the outlines, antialiasing and the occlusion blur.
  int rect[4];
  post_screen_rect(f, t.w, t.h, 8, rect);
  const bool visible = rect[2] > 0 && rect[3] > 0;
  if (visible) ensure_groups(p, t, depth);
  if (f.quality.ssao && visible) {
    WGPURenderPassEncoder pass = begin_pass(enc, t.ao_view, nullptr, WGPUColor{1, 1, 1, 1});   // 1: unoccluded
    const int aw = (t.w + 1) / 2, ah = (t.h + 1) / 2, ax = rect[0] / 2, ay = rect[1] / 2;
    wgpuRenderPassEncoderSetScissorRect(pass, uint32_t(ax), uint32_t(ay), uint32_t(std::min(aw - ax, rect[2] / 2 + 2)),
                                        uint32_t(std::min(ah - ay, rect[3] / 2 + 2)));
    wgpuRenderPassEncoderSetPipeline(pass, p.ao);
    wgpuRenderPassEncoderSetBindGroup(pass, 0, t.ao_group, 0, nullptr);
    wgpuRenderPassEncoderDraw(pass, 3, 1, 0, 0);
    wgpuRenderPassEncoderEnd(pass);
    wgpuRenderPassEncoderRelease(pass);
  }
  WGPURenderPassEncoder pass =
      begin_pass(enc, out, depth, WGPUColor{f.background[0], f.background[1], f.background[2], 1.0});
  if (visible) {
    wgpuRenderPassEncoderSetScissorRect(pass, uint32_t(rect[0]), uint32_t(rect[1]), uint32_t(rect[2]), uint32_t(rect[3]));
    wgpuRenderPassEncoderSetPipeline(pass, p.composite);
    wgpuRenderPassEncoderSetBindGroup(pass, 0, t.composite_group, 0, nullptr);
    wgpuRenderPassEncoderDraw(pass, 3, 1, 0, 0);
    wgpuRenderPassEncoderSetScissorRect(pass, 0, 0, uint32_t(t.w), uint32_t(t.h));
  }
  return pass;
}

}  // namespace foldsight
