// Dear ImGui draw lists: 2D triangles, vertex colour times font-atlas texture.
struct Uniforms { mvp: mat4x4<f32>, };
@group(0) @binding(0) var<uniform> u: Uniforms;
@group(0) @binding(1) var samp: sampler;
@group(0) @binding(2) var tex: texture_2d<f32>;

struct VOut { @builtin(position) pos: vec4<f32>, @location(0) color: vec4<f32>, @location(1) uv: vec2<f32>, };

@vertex
fn vs_main(@location(0) pos: vec2<f32>, @location(1) uv: vec2<f32>, @location(2) color: vec4<f32>) -> VOut {
  var o: VOut;
  o.pos = u.mvp * vec4<f32>(pos, 0.0, 1.0);
  o.color = color;
  o.uv = uv;
  return o;
}

@fragment
fn fs_main(in: VOut) -> @location(0) vec4<f32> {
  return in.color * textureSample(tex, samp, in.uv);
}
