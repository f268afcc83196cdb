#include "geometry/atom_instances.h"

namespace foldsight {

BallAndStick build_ball_and_stick(const Structure& s, const std::vector<uint8_t>& mask,
                                  const std::vector<uint32_t>& colors,
                                  const BallAndStickOptions& o) {
  BallAndStick out;
  out.atoms = build_spacefill(s, mask, colors, o.atom_radius_scale);
  if (o.fixed_atom_radius > 0)
    for (size_t i = 0; i < out.atoms.size(); ++i) out.atoms.xyzr[i * 4 + 3] = o.fixed_atom_radius;
  // Sticks are the same split-coloured bond cylinders as the lines representation, thicker.
  out.bonds = build_line_cylinders(s, mask, colors, o.bond_radius);
  return out;
}

}  // namespace foldsight
