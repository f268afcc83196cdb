#include "geometry/cartoon.h"

namespace foldsight {

Mesh build_trace(const Structure& s, const std::vector<uint8_t>& mask,
                 const std::vector<uint32_t>& atom_colors, float radius, int subdivisions,
                 int radial_segments) {
  CartoonOptions o;
  o.trace = true;
  o.tube_radius = radius;
  o.nucleic_radius = radius;
  o.subdivisions = subdivisions;
  o.radial_segments = radial_segments;
  return build_cartoon(s, mask, atom_colors, o);
}

}  // namespace foldsight
