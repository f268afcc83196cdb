// Ray-cast sphere impostors: one camera-facing quad per atom, the exact sphere surface and
// depth are computed per fragment, so spheres intersect correctly at any zoom.
struct Uniforms {
  view: mat4x4<f32>,
  proj: mat4x4<f32>,
  light_dir: vec4<f32>,   // view space, normalised
  fog: vec4<f32>,         // near, far of the depth cue, strength, unused
  background: vec4<f32>,
};
@group(0) @binding(0) var<uniform> u: Uniforms;

struct VOut {
  @builtin(position) pos: vec4<f32>,
  @location(0) view_pos: vec3<f32>,
  @location(1) @interpolate(flat) center_r: vec4<f32>,
  @location(2) @interpolate(flat) color: vec4<f32>,
  @location(3) @interpolate(flat) pick: u32,
};

// The spheres, 6 words each (SphereInstance: x, y, z, r, rgba8, pick), read by index. Every
// sphere is two triangles of one non-instanced draw (6 vertices a sphere): software rasterisers
// (SwiftShader) run each instance of an instanced draw as a draw call of its own, which cost
// ~16 µs a sphere, 16 s a frame for a million atoms.
@group(0) @binding(1) var<storage, read> spheres: array<u32>;

@vertex
fn vs_main(@builtin(vertex_index) vi: u32) -> VOut {
  var corners = array<vec2<f32>, 6>(vec2<f32>(-1.0, -1.0), vec2<f32>(1.0, -1.0), vec2<f32>(-1.0, 1.0),
                                    vec2<f32>(-1.0, 1.0), vec2<f32>(1.0, -1.0), vec2<f32>(1.0, 1.0));
  let base = (vi / 6u) * 6u;
  let center_r = vec4<f32>(bitcast<f32>(spheres[base]), bitcast<f32>(spheres[base + 1u]),
                           bitcast<f32>(spheres[base + 2u]), bitcast<f32>(spheres[base + 3u]));
  let c = (u.view * vec4<f32>(center_r.xyz, 1.0)).xyz;
  let r = center_r.w;
  // Quad in front of the sphere, enlarged so the perspective silhouette stays inside it.
  let d = max(-c.z, r * 1.01);
  let grow = 1.0 + r / max(d - r, 1e-3);
  let p = vec3<f32>(c.xy + corners[vi % 6u] * r * grow * 1.05, c.z + r);
  var o: VOut;
  o.pos = u.proj * vec4<f32>(p, 1.0);
  o.view_pos = p;
  o.center_r = vec4<f32>(c, r);
  o.color = unpack4x8unorm(spheres[base + 4u]);
  o.pick = spheres[base + 5u];
  return o;
}

// Distance along the view ray to the sphere's front surface, or -1 when the ray misses.
fn ray_sphere(dir: vec3<f32>, c: vec3<f32>, r: f32) -> f32 {
  let b = dot(dir, c);
  let disc = b * b - dot(c, c) + r * r;
  if (disc < 0.0) { return -1.0; }
  return b - sqrt(disc);
}

fn depth_of(hit: vec3<f32>) -> f32 {
  let clip = u.proj * vec4<f32>(hit, 1.0);
  return clip.z / clip.w;
}

struct FOut {
  @location(0) color: vec4<f32>,
  @builtin(frag_depth) depth: f32,
};

fn shade(in: VOut) -> FOut {
  let dir = normalize(in.view_pos);
  let c = in.center_r.xyz;
  let t = ray_sphere(dir, c, in.center_r.w);
  if (t < 0.0) { discard; }
  let hit = dir * t;
  let n = normalize(hit - c);
  let l = u.light_dir.xyz;
  let diffuse = max(dot(n, l), 0.0);
  let h = normalize(l - dir);
  let spec = pow(max(dot(n, h), 0.0), 48.0) * 0.25;
  let rim = pow(1.0 - max(dot(n, -dir), 0.0), 3.0) * 0.15;
  var rgb = in.color.rgb * (0.35 + 0.65 * diffuse) + vec3<f32>(spec) - vec3<f32>(rim);
  // Depth cue: fade far atoms towards the background.
  let fog_t = clamp((-hit.z - u.fog.x) / max(u.fog.y - u.fog.x, 1e-3), 0.0, 1.0) * u.fog.z;
  rgb = mix(rgb, u.background.rgb, fog_t);
  var o: FOut;
  o.color = vec4<f32>(clamp(rgb, vec3<f32>(0.0), vec3<f32>(1.0)), 1.0);
  o.depth = depth_of(hit);
  return o;
}

// Opaque pass (instance alpha 1), writing depth.
@fragment
fn fs_main(in: VOut) -> FOut {
  if (in.color.a < 0.998) { discard; }
  return shade(in);
}

// Transparent pass: premultiplied, blended over the opaque scene, no depth writes.
@fragment
fn fs_transparent(in: VOut) -> FOut {
  // Alpha 0 (opacity 0) draws nothing, not even depth (outlines would trace it).
  if (in.color.a >= 0.998 || in.color.a < 0.002) { discard; }
  var o = shade(in);
  o.color = vec4<f32>(o.color.rgb * in.color.a, in.color.a);
  return o;
}

struct PickOut {
  @location(0) id: u32,
  @builtin(frag_depth) depth: f32,
};

// Id buffer for picking: the same ray-sphere test, writing the atom id instead of a colour.
@fragment
fn fs_pick(in: VOut) -> PickOut {
  let dir = normalize(in.view_pos);
  let t = ray_sphere(dir, in.center_r.xyz, in.center_r.w);
  if (t < 0.0) { discard; }
  var o: PickOut;
  o.id = in.pick;
  o.depth = depth_of(dir * t);
  return o;
}
