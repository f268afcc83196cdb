// Orbit camera: rotation matrix about a target point, distance along the view axis.
#pragma once
#include <cmath>

namespace foldsight {

struct Mat4 { float m[16]; };  // column-major, as WGSL expects

struct Camera {
  float rot[9] = {1, 0, 0, 0, 1, 0, 0, 0, 1};  // world → view rotation, row-major
  float target[3] = {0, 0, 0};
  float distance = 50.0f;
  float fov_y = 0.7854f;  // 45°
  float radius = 20.0f;   // of the framed scene, sets near/far planes

  // Rotate about the view's vertical (y) axis, then the horizontal (x) axis.
  void orbit(float yaw, float pitch) {
    float cy = std::cos(yaw), sy = std::sin(yaw), cp = std::cos(pitch), sp = std::sin(pitch);
    const float ry[9] = {cy, 0, sy, 0, 1, 0, -sy, 0, cy};
    const float rx[9] = {1, 0, 0, 0, cp, -sp, 0, sp, cp};
    float t[9], r[9];
    mul3(ry, rot, t);
    mul3(rx, t, r);
    for (int i = 0; i < 9; ++i) rot[i] = r[i];
  }
  // Move the target in the view plane by (dx, dy) scene units.
  void pan(float dx, float dy) {
    for (int i = 0; i < 3; ++i) target[i] -= rot[0 * 3 + i] * dx + rot[1 * 3 + i] * dy;
  }
  void zoom(float factor) {
    distance = std::fmax(2.0f, std::fmin(distance * factor, radius * 20.0f + 50.0f));
  }
  // Frames a sphere; `aspect` (width / height) below 1 — a portrait screen — frames it by the
  // narrower horizontal field of view.
  void frame(const float center[3], float r, float aspect = 1.0f) {
    for (int i = 0; i < 3; ++i) target[i] = center[i];
    radius = std::fmax(r, 2.0f);
    float fov = aspect < 1.0f ? 2.0f * std::atan(std::tan(fov_y * 0.5f) * aspect) : fov_y;
    distance = radius / std::sin(fov * 0.5f) * 0.8f;  // the bounding sphere is loose: fill the view
  }
  Mat4 view() const {
    Mat4 v{};
    // view = T(0,0,-distance) * R * T(-target)
    for (int r = 0; r < 3; ++r) {
      for (int c = 0; c < 3; ++c) v.m[c * 4 + r] = rot[r * 3 + c];
      float t = 0;
      for (int c = 0; c < 3; ++c) t -= rot[r * 3 + c] * target[c];
      v.m[12 + r] = t + (r == 2 ? -distance : 0.0f);
    }
    v.m[15] = 1;
    return v;
  }
  float near_plane() const { return std::fmax(0.5f, distance - radius * 1.5f); }
  float far_plane() const { return distance + radius * 1.5f; }
  Mat4 projection(float aspect) const {
    // WebGPU clip space: z in [0, 1].
    float f = 1.0f / std::tan(fov_y * 0.5f), n = near_plane(), fa = far_plane();
    Mat4 p{};
    p.m[0] = f / aspect;
    p.m[5] = f;
    p.m[10] = fa / (n - fa);
    p.m[11] = -1;
    p.m[14] = n * fa / (n - fa);
    return p;
  }

 private:
  static void mul3(const float* a, const float* b, float* out) {
    for (int r = 0; r < 3; ++r)
      for (int c = 0; c < 3; ++c) out[r * 3 + c] = a[r * 3] * b[c] + a[r * 3 + 1] * b[3 + c] + a[r * 3 + 2] * b[6 + c];
  }
};

}  // namespace foldsight
