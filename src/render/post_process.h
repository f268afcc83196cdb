// Image-quality pass after the scene: screen-space ambient occlusion, silhouette outlines and
// FXAA antialiasing (shaders/postprocess.wgsl). The scene is drawn into offscreen colour and
// depth images (PostTargets + a depth texture with TEXTURE_BINDING usage); post_process_encode
// composites them into the final target (swap chain or capture texture).
#pragma once
#include <webgpu/webgpu.h>
#include "render/camera.h"

namespace foldsight {

// The user's toggles (main panel "Image quality"). With all three off the scene is drawn
// straight into the final target, as before this pass existed.
struct ImageQuality {
  bool ssao = true;
  bool outlines = true;
  bool antialias = true;
  bool any() const { return ssao || outlines || antialias; }
};

struct PostProcess {
  WGPUDevice device = nullptr;
  WGPUTextureFormat color_format = WGPUTextureFormat_Undefined;
  WGPURenderPipeline ao = nullptr;          // fs_ao: occlusion into kAoFormat
  WGPURenderPipeline composite = nullptr;   // fs_main: into color_format, read-only depth attached
  WGPUBuffer uniforms = nullptr;
  WGPUSampler linear = nullptr;
};

// The offscreen images of one frame size: the scene's colour and the occlusion, and the two
// passes' bind groups over them, made once per depth view rather than every frame (a reference to
// that view is held while they exist, so a released view's handle cannot come back as a new one).
struct PostTargets {
  int w = 0, h = 0;
  WGPUTexture color = nullptr, ao = nullptr;
  WGPUTextureView color_view = nullptr, ao_view = nullptr;
  WGPUTextureView group_depth = nullptr;
  WGPUBindGroup ao_group = nullptr, composite_group = nullptr;
};

// What one frame's post-processing needs besides the images.
struct PostFrame {
  Mat4 view, proj;      // the scene's camera
  ImageQuality quality;
  float pixel_ratio = 1;   // device pixels per CSS pixel: outline thickness
  float background[3] = {1, 1, 1};
  // World-space box around everything the scene draws (min xyz, max xyz), when `has_box`: only
  // its projection on screen is processed, the rest is background. Software rasterisers shade
  // every pixel of a full-screen pass at a real cost.
  bool has_box = false;
  float box[6] = {0, 0, 0, 0, 0, 0};
};

// The pixel rectangle (x, y, w, h) of `f.box` on a w×h target, plus `margin` pixels; all of it
// when there is no box or part of it is behind the camera; w or h 0 when it is off screen.
void post_screen_rect(const PostFrame& f, int w, int h, int margin, int out[4]);

// `depth_format` is the scene's depth format: the composite pass keeps the scene depth attached
// read-only, so pipelines drawn after it in the same pass (the UI) find the attachment they expect.
void post_process_init(PostProcess& p, WGPUDevice device, WGPUTextureFormat color_format, WGPUTextureFormat depth_format);

// (Re)creates `t` at w×h unless it already has that size.
void post_targets_ensure(PostTargets& t, const PostProcess& p, int w, int h);
void post_targets_release(PostTargets& t);

// Encodes the occlusion pass (when on) and the composite pass into `out`; returns the composite
// pass still open (scissor reset to the whole target) so the caller can draw over it (the UI),
// then end and release it.
WGPURenderPassEncoder post_process_encode(const PostProcess& p, WGPUCommandEncoder enc, PostTargets& t,
                                          WGPUTextureView depth, WGPUTextureView out, const PostFrame& f);

}  // namespace foldsight
