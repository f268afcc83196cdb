#include "geometry/atom_instances.h"

namespace foldsight {

BallAndStick build_ball_and_stick(const Structure& s, const std::vector<uint8_t>& mask,
                                  const std::vector<uint32_t>& colors,
                                  const BallAndStickOptions& o) {
  BallAndStick out;
  out.atoms = build_spacefill(s, mask, colors, o.atom_radius_scale);
  if (o.fixed_atom_radius > 0)
    for (size_t i = 0; i < out.atoms.size(); ++i) out.atoms.xyzr[i * 4 + 3] = o.fixed_atom_radius;
  CylinderInstances& c = out.bonds;
  size_t count = 0;
  for (const Bond& b : s.bonds) count += mask[b.a] && mask[b.b];
  c.a_xyz.reserve(count * 3); c.b_xyz.reserve(count * 3); c.radius.reserve(count);
  c.color_a.reserve(count); c.color_b.reserve(count); c.atom_a.reserve(count); c.atom_b.reserve(count);
  for (const Bond& b : s.bonds) {
    if (!mask[b.a] || !mask[b.b]) continue;
    c.a_xyz.insert(c.a_xyz.end(), {s.x[b.a], s.y[b.a], s.z[b.a]});
    c.b_xyz.insert(c.b_xyz.end(), {s.x[b.b], s.y[b.b], s.z[b.b]});
    c.radius.push_back(o.bond_radius);
    c.color_a.push_back(colors[b.a]);
    c.color_b.push_back(colors[b.b]);
    c.atom_a.push_back(b.a);
    c.atom_b.push_back(b.b);
  }
  return out;
}

}  // namespace foldsight
