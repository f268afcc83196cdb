// Triangle meshes (cartoon, trace, surface): per-vertex colour, Blinn–Phong lighting with the
// same light and depth cue as the sphere impostors so representations match.
struct Uniforms {
  view: mat4x4<f32>,
  proj: mat4x4<f32>,
  light_dir: vec4<f32>,
  fog: vec4<f32>,
  background: vec4<f32>,
};
@group(0) @binding(0) var<uniform> u: Uniforms;

struct VOut {
  @builtin(position) pos: vec4<f32>,
  @location(0) view_pos: vec3<f32>,
  @location(1) normal: vec3<f32>,
  @location(2) color: vec4<f32>,
  @location(3) @interpolate(flat) pick: u32,
};

@vertex
fn vs_main(@location(0) position: vec3<f32>, @location(1) normal: vec3<f32>, @location(2) color: vec4<f32>,
           @location(3) pick: u32) -> VOut {
  let vp = u.view * vec4<f32>(position, 1.0);
  var o: VOut;
  o.pos = u.proj * vp;
  o.view_pos = vp.xyz;
  o.normal = (u.view * vec4<f32>(normal, 0.0)).xyz;
  o.color = color;
  o.pick = pick;
  return o;
}

fn shade(in: VOut, front: bool) -> vec3<f32> {
  var n = normalize(in.normal);
  if (!front) { n = -n; }
  let dir = normalize(in.view_pos);
  let l = u.light_dir.xyz;
  let diffuse = abs(dot(n, l));
  let h = normalize(l - dir);
  let spec = pow(max(dot(n, h), 0.0), 40.0) * 0.2;
  var rgb = in.color.rgb * (0.38 + 0.62 * diffuse) + vec3<f32>(spec);
  let fog_t = clamp((-in.view_pos.z - u.fog.x) / max(u.fog.y - u.fog.x, 1e-3), 0.0, 1.0) * u.fog.z;
  rgb = mix(rgb, u.background.rgb, fog_t);
  return clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0));
}

// Opaque pass: what is fully opaque (vertex alpha 1); it writes depth.
@fragment
fn fs_main(in: VOut, @builtin(front_facing) front: bool) -> @location(0) vec4<f32> {
  if (in.color.a < 0.998) { discard; }
  return vec4<f32>(shade(in, front), 1.0);
}

// Transparent pass, after the opaque one, without depth writes: premultiplied colour blended
// over what is behind (representations with opacity below 1).
@fragment
fn fs_transparent(in: VOut, @builtin(front_facing) front: bool) -> @location(0) vec4<f32> {
  // Alpha 0 (opacity 0) draws nothing, not even depth (outlines would trace it).
  if (in.color.a >= 0.998 || in.color.a < 0.002) { discard; }
  return vec4<f32>(shade(in, front) * in.color.a, in.color.a);
}

// Id buffer for picking (0 = not pickable, e.g. the folding movie's tube).
@fragment
fn fs_pick(in: VOut) -> @location(0) u32 {
  return in.pick;
}
