#include "geometry/atom_instances.h"

namespace foldsight {

SphereInstances build_spacefill(const Structure& s, const std::vector<uint8_t>& mask,
                                const std::vector<uint32_t>& colors, float radius_scale) {
  SphereInstances out;
  const size_t n = s.atom_count();
  size_t count = 0;
  for (size_t a = 0; a < n; ++a) count += mask[a] != 0;
  out.xyzr.resize(count * 4);
  out.colors.resize(count);
  out.atom_ids.resize(count);
  // vdW radius per element looked up once: the switch in vdw_radius is not free at 1M atoms.
  float radius[256];
  for (int z = 0; z < 256; ++z) radius[z] = vdw_radius(uint8_t(z)) * radius_scale;
  size_t k = 0;
  for (size_t a = 0; a < n; ++a) {
    if (!mask[a]) continue;
    float* p = &out.xyzr[k * 4];
    p[0] = s.x[a]; p[1] = s.y[a]; p[2] = s.z[a]; p[3] = radius[s.element[a]];
    out.colors[k] = colors[a];
    out.atom_ids[k] = uint32_t(a);
    ++k;
  }
  return out;
}

}  // namespace foldsight
