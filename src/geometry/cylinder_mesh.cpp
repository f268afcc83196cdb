#include "geometry/cylinder_mesh.h"
#include <cmath>

namespace foldsight {

void append_mesh(const Mesh& m, Mesh& out) {
  uint32_t base = uint32_t(out.vertex_count());
  out.positions.insert(out.positions.end(), m.positions.begin(), m.positions.end());
  out.normals.insert(out.normals.end(), m.normals.begin(), m.normals.end());
  out.colors.insert(out.colors.end(), m.colors.begin(), m.colors.end());
  if (m.atom_ids.size() == m.vertex_count())
    out.atom_ids.insert(out.atom_ids.end(), m.atom_ids.begin(), m.atom_ids.end());
  else
    out.atom_ids.resize(out.vertex_count(), 0xffffffffu);
  for (uint32_t i : m.indices) out.indices.push_back(base + i);
}

void append_cylinder_mesh(const CylinderInstances& c, int segments, Mesh& out) {
  if (segments < 3) segments = 3;
  const float kTwoPi = 6.28318530718f;
  for (size_t k = 0; k < c.size(); ++k) {
    float a[3] = {c.a_xyz[3 * k], c.a_xyz[3 * k + 1], c.a_xyz[3 * k + 2]};
    float b[3] = {c.b_xyz[3 * k], c.b_xyz[3 * k + 1], c.b_xyz[3 * k + 2]};
    float axis[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]};
    float len = std::sqrt(axis[0] * axis[0] + axis[1] * axis[1] + axis[2] * axis[2]);
    if (len < 1e-6f) continue;
    for (float& v : axis) v /= len;
    // Any unit vector perpendicular to the axis, then the third by cross product.
    float helper[3] = {std::fabs(axis[0]) < 0.9f ? 1.0f : 0.0f, std::fabs(axis[0]) < 0.9f ? 0.0f : 1.0f, 0.0f};
    float u[3] = {axis[1] * helper[2] - axis[2] * helper[1], axis[2] * helper[0] - axis[0] * helper[2],
                  axis[0] * helper[1] - axis[1] * helper[0]};
    float ul = std::sqrt(u[0] * u[0] + u[1] * u[1] + u[2] * u[2]);
    for (float& v : u) v /= ul;
    float w[3] = {axis[1] * u[2] - axis[2] * u[1], axis[2] * u[0] - axis[0] * u[2], axis[0] * u[1] - axis[1] * u[0]};
    float mid[3] = {0.5f * (a[0] + b[0]), 0.5f * (a[1] + b[1]), 0.5f * (a[2] + b[2])};
    const float r = c.radius[k];
    // Two tubes: a→mid in colour a, mid→b in colour b.
    for (int half = 0; half < 2; ++half) {
      const float* p0 = half ? mid : a;
      const float* p1 = half ? b : mid;
      uint32_t color = half ? c.color_b[k] : c.color_a[k];
      uint32_t atom = half ? c.atom_b[k] : c.atom_a[k];
      uint32_t base = uint32_t(out.vertex_count());
      for (int s = 0; s < segments; ++s) {
        float t = kTwoPi * float(s) / float(segments);
        float n[3] = {std::cos(t) * u[0] + std::sin(t) * w[0], std::cos(t) * u[1] + std::sin(t) * w[1],
                      std::cos(t) * u[2] + std::sin(t) * w[2]};
        for (const float* p : {p0, p1}) {
          out.positions.insert(out.positions.end(), {p[0] + r * n[0], p[1] + r * n[1], p[2] + r * n[2]});
          out.normals.insert(out.normals.end(), {n[0], n[1], n[2]});
          out.colors.push_back(color);
          out.atom_ids.push_back(atom);
        }
      }
      for (int s = 0; s < segments; ++s) {
        uint32_t i0 = base + 2 * s, i1 = base + 2 * ((s + 1) % segments);
        out.indices.insert(out.indices.end(), {i0, i1, i0 + 1, i1, i1 + 1, i0 + 1});
      }
    }
  }
}

}  // namespace foldsight
