#include "geometry/atom_instances.h"

namespace foldsight {

LineSegments build_lines(const Structure& s, const std::vector<uint8_t>& mask,
                         const std::vector<uint32_t>& colors) {
  LineSegments out;
  for (const Bond& b : s.bonds) {
    if (!mask[b.a] || !mask[b.b]) continue;
    float mx = 0.5f * (s.x[b.a] + s.x[b.b]), my = 0.5f * (s.y[b.a] + s.y[b.b]),
          mz = 0.5f * (s.z[b.a] + s.z[b.b]);
    // a → midpoint, midpoint → b: each half belongs to (and picks) its own atom.
    out.positions.insert(out.positions.end(),
                         {s.x[b.a], s.y[b.a], s.z[b.a], mx, my, mz, mx, my, mz, s.x[b.b], s.y[b.b], s.z[b.b]});
    out.colors.insert(out.colors.end(), {colors[b.a], colors[b.a], colors[b.b], colors[b.b]});
    out.atom_ids.insert(out.atom_ids.end(), {b.a, b.a, b.b, b.b});
  }
  return out;
}

CylinderInstances build_line_cylinders(const Structure& s, const std::vector<uint8_t>& mask,
                                       const std::vector<uint32_t>& colors, float radius) {
  CylinderInstances c;
  size_t count = 0;
  for (const Bond& b : s.bonds) count += mask[b.a] && mask[b.b];
  c.a_xyz.reserve(count * 3); c.b_xyz.reserve(count * 3); c.radius.reserve(count);
  c.color_a.reserve(count); c.color_b.reserve(count); c.atom_a.reserve(count); c.atom_b.reserve(count);
  for (const Bond& b : s.bonds) {
    if (!mask[b.a] || !mask[b.b]) continue;
    c.a_xyz.insert(c.a_xyz.end(), {s.x[b.a], s.y[b.a], s.z[b.a]});
    c.b_xyz.insert(c.b_xyz.end(), {s.x[b.b], s.y[b.b], s.z[b.b]});
    c.radius.push_back(radius);
    c.color_a.push_back(colors[b.a]);
    c.color_b.push_back(colors[b.b]);
    c.atom_a.push_back(b.a);
    c.atom_b.push_back(b.b);
  }
  return c;
}

}  // namespace foldsight
