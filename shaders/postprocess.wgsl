// Post-processing of the scene image (src/render/post_process.cpp): screen-space ambient
// occlusion from the depth buffer, dark silhouette outlines where depth jumps, and FXAA-style
// antialiasing. Two full-screen passes: fs_ao writes the occlusion into an R8 image at half the
// resolution (a quarter of the work), fs_main blurs it and composites everything into the final
// target. Background pixels (depth 1) keep
// the scene's colour except where antialiasing blends them with an edge next to them.
struct Post {
  proj: vec4<f32>,      // projection terms p[0], p[5], p[10], p[14] (column-major Mat4)
  size: vec4<f32>,      // width, height, 1 / width, 1 / height
  params: vec4<f32>,    // SSAO radius (view units, Å), SSAO strength, outline strength, outline px
  flags: vec4<f32>,     // SSAO on, outlines on, antialiasing on, unused
};
@group(0) @binding(0) var<uniform> u: Post;
@group(0) @binding(1) var depth_tex: texture_depth_2d;
@group(0) @binding(2) var color_tex: texture_2d<f32>;
@group(0) @binding(3) var ao_tex: texture_2d<f32>;
@group(0) @binding(4) var lin: sampler;

struct VOut {
  @builtin(position) pos: vec4<f32>,
};

// One triangle covering the screen.
@vertex
fn vs_main(@builtin(vertex_index) vi: u32) -> VOut {
  var p = array<vec2<f32>, 3>(vec2<f32>(-1.0, -1.0), vec2<f32>(3.0, -1.0), vec2<f32>(-1.0, 3.0));
  var o: VOut;
  o.pos = vec4<f32>(p[vi], 0.0, 1.0);
  return o;
}

fn depth_at(px: vec2<i32>) -> f32 {
  let c = clamp(px, vec2<i32>(0, 0), vec2<i32>(i32(u.size.x) - 1, i32(u.size.y) - 1));
  return textureLoad(depth_tex, c, 0);
}

// View-space position of pixel `px` (its centre) at depth buffer value `d`.
fn view_pos(px: vec2<i32>, d: f32) -> vec3<f32> {
  let z = -u.proj.w / (d + u.proj.z);   // view z (negative in front of the camera)
  let ndc = vec2<f32>((f32(px.x) + 0.5) * u.size.z * 2.0 - 1.0, 1.0 - (f32(px.y) + 0.5) * u.size.w * 2.0);
  return vec3<f32>(ndc.x * -z / u.proj.x, ndc.y * -z / u.proj.y, z);
}

// ---- SSAO ----

// Of two one-sided differences, the smaller (a neighbour across an edge gives a big one).
fn best_diff(p: vec3<f32>, a: vec3<f32>, b: vec3<f32>) -> vec3<f32> {
  let da = p - a;
  let db = b - p;
  if (abs(da.z) < abs(db.z)) { return da; }
  return db;
}

@fragment
fn fs_ao(in: VOut) -> @location(0) vec4<f32> {
  let half_px = vec2<i32>(in.pos.xy);
  let px = half_px * 2;   // the full-resolution pixel it stands for
  let d = depth_at(px);
  if (d >= 1.0) { return vec4<f32>(1.0); }
  let p = view_pos(px, d);
  // Normal from the depth buffer: neighbours on the smoother side in x and in y.
  let l = view_pos(px + vec2<i32>(-1, 0), depth_at(px + vec2<i32>(-1, 0)));
  let r = view_pos(px + vec2<i32>(1, 0), depth_at(px + vec2<i32>(1, 0)));
  let t = view_pos(px + vec2<i32>(0, -1), depth_at(px + vec2<i32>(0, -1)));
  let b = view_pos(px + vec2<i32>(0, 1), depth_at(px + vec2<i32>(0, 1)));
  var n = normalize(cross(best_diff(p, l, r), best_diff(p, t, b)));
  if (n.z < 0.0) { n = -n; }   // towards the camera
  let radius = u.params.x;
  // The radius on screen, in pixels (at least a few, at most a sixth of the view).
  let radius_px = clamp(radius * u.proj.y * 0.5 * u.size.y / -p.z, 3.0, u.size.y / 6.0);
  // A 4×4 tiled rotation of the sample pattern; the composite pass's 4×4 blur averages it out.
  let cell = vec2<u32>(half_px) % vec2<u32>(4u, 4u);
  var bayer = array<f32, 16>(0.0, 8.0, 2.0, 10.0, 12.0, 4.0, 14.0, 6.0, 3.0, 11.0, 1.0, 9.0, 15.0, 7.0, 13.0, 5.0);
  let rot = (bayer[cell.y * 4u + cell.x] + 0.5) / 16.0 * 6.2831853;
  let cs = vec2<f32>(cos(rot), sin(rot)) * radius_px;
  // 8 points of a Vogel spiral in the unit disk (r = sqrt((i + 0.5) / 8), golden-angle steps).
  var disk = array<vec2<f32>, 8>(vec2<f32>(0.2500, 0.0000), vec2<f32>(-0.3193, 0.2925), vec2<f32>(0.0489, -0.5569),
                                 vec2<f32>(0.4024, 0.5249), vec2<f32>(-0.7385, -0.1306), vec2<f32>(0.6996, -0.4450),
                                 vec2<f32>(-0.2340, 0.8705), vec2<f32>(-0.4463, -0.8593));
  var occlusion = 0.0;
  for (var i = 0; i < 8; i = i + 1) {
    let o = disk[i];
    let q = px + vec2<i32>(vec2<f32>(o.x * cs.x - o.y * cs.y, o.x * cs.y + o.y * cs.x));
    let dq = depth_at(q);
    let v = view_pos(q, dq) - p;
    let len = length(v);
    // Occluders above the surface's tangent plane, fading out beyond the radius (the
    // background, at the far plane, is always beyond it).
    let cosine = dot(v, n) / max(len, 1e-4);
    occlusion = occlusion + max(cosine - 0.15, 0.0) * (1.0 - smoothstep(radius * 0.6, radius, len));
  }
  let ao = clamp(1.0 - u.params.y * occlusion / 8.0, 0.0, 1.0);
  return vec4<f32>(ao, ao, ao, 1.0);
}

// ---- composite ----

fn luma(c: vec3<f32>) -> f32 { return dot(c, vec3<f32>(0.299, 0.587, 0.114)); }

fn sample_color(uv: vec2<f32>) -> vec3<f32> { return textureSampleLevel(color_tex, lin, uv, 0.0).rgb; }

fn load_color(px: vec2<i32>) -> vec3<f32> {
  let c = clamp(px, vec2<i32>(0, 0), vec2<i32>(i32(u.size.x) - 1, i32(u.size.y) - 1));
  return textureLoad(color_tex, c, 0).rgb;
}

// FXAA (after Timothy Lottes' FXAA 3.11 "console" variant): blend along the edge direction
// found from the luma of the four diagonal neighbours; flat areas are left exactly as they are.
fn fxaa(px: vec2<i32>, center: vec3<f32>) -> vec3<f32> {
  let inv = u.size.zw;
  let uv = (vec2<f32>(px) + 0.5) * inv;
  // The diagonal neighbours by texel fetch (cheaper than filtered samples in software).
  let l_nw = luma(load_color(px + vec2<i32>(-1, -1)));
  let l_ne = luma(load_color(px + vec2<i32>(1, -1)));
  let l_sw = luma(load_color(px + vec2<i32>(-1, 1)));
  let l_se = luma(load_color(px + vec2<i32>(1, 1)));
  let l_m = luma(center);
  let l_min = min(l_m, min(min(l_nw, l_ne), min(l_sw, l_se)));
  let l_max = max(l_m, max(max(l_nw, l_ne), max(l_sw, l_se)));
  if (l_max - l_min < max(0.04, l_max * 0.1)) { return center; }
  var dir = vec2<f32>(-((l_nw + l_ne) - (l_sw + l_se)), (l_nw + l_sw) - (l_ne + l_se));
  let reduce = max((l_nw + l_ne + l_sw + l_se) * (0.25 / 8.0), 1.0 / 128.0);
  let rcp_min = 1.0 / (min(abs(dir.x), abs(dir.y)) + reduce);
  dir = clamp(dir * rcp_min, vec2<f32>(-8.0), vec2<f32>(8.0)) * inv;
  let a = 0.5 * (sample_color(uv + dir * (1.0 / 3.0 - 0.5)) + sample_color(uv + dir * (2.0 / 3.0 - 0.5)));
  let b = a * 0.5 + 0.25 * (sample_color(uv - dir * 0.5) + sample_color(uv + dir * 0.5));
  let l_b = luma(b);
  if (l_b < l_min || l_b > l_max) { return a; }
  return b;
}

@fragment
fn fs_main(in: VOut) -> @location(0) vec4<f32> {
  let px = vec2<i32>(in.pos.xy);
  var rgb = textureLoad(color_tex, px, 0).rgb;
  if (u.flags.z > 0.5) { rgb = fxaa(px, rgb); }
  let d = depth_at(px);
  if (d >= 1.0) { return vec4<f32>(rgb, 1.0); }
  if (u.flags.x > 0.5) {
    // 4×4 box blur of the half-resolution occlusion as four bilinear taps at pixel corners,
    // each the exact mean of 2×2 of its pixels: the 4×4 tiled sample rotations average out.
    let ao_size = vec2<f32>(textureDimensions(ao_tex));
    let c = vec2<f32>(px / 2);   // the corner before this pixel's occlusion pixel
    var ao = 0.0;
    ao = ao + textureSampleLevel(ao_tex, lin, (c + vec2<f32>(-1.0, -1.0)) / ao_size, 0.0).r;
    ao = ao + textureSampleLevel(ao_tex, lin, (c + vec2<f32>(1.0, -1.0)) / ao_size, 0.0).r;
    ao = ao + textureSampleLevel(ao_tex, lin, (c + vec2<f32>(-1.0, 1.0)) / ao_size, 0.0).r;
    ao = ao + textureSampleLevel(ao_tex, lin, (c + vec2<f32>(1.0, 1.0)) / ao_size, 0.0).r;
    rgb = rgb * (ao * 0.25);
  }
  if (u.flags.y > 0.5) {
    // Outlines: the share of the 8 neighbours (at `params.w` pixels) lying well behind this
    // pixel (or background); the fraction keeps the line itself smooth.
    let z = -u.proj.w / (d + u.proj.z);
    let pixel = 2.0 * -z / (u.proj.y * u.size.y);    // one pixel's size at this depth
    let gap = max(1.2, 4.0 * pixel);                   // a depth jump that counts as an edge (Å)
    let s = i32(u.params.w);
    var edge = 0.0;
    for (var k = 0; k < 8; k = k + 1) {
      var o = vec2<i32>(k % 3 - 1, k / 3 - 1);
      if (k == 4) { o = vec2<i32>(1, 1); }
      let dn = depth_at(px + o * s);
      let zn = -u.proj.w / (dn + u.proj.z);
      if (dn >= 1.0 || z - zn > gap) { edge = edge + 1.0; }
    }
    rgb = mix(rgb, vec3<f32>(0.05, 0.05, 0.06), clamp(edge / 3.0, 0.0, 1.0) * u.params.z);
  }
  return vec4<f32>(rgb, 1.0);
}
