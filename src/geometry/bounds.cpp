#include "geometry/bounds.h"

#include <algorithm>
#include <cmath>

namespace foldsight {

Bounds compute_bounds(const Structure& s, const std::vector<uint8_t>& mask) {
  Bounds b;
  const size_t n = s.atom_count();
  const bool all = mask.empty();
  b.min[0] = b.min[1] = b.min[2] = 1e30f;
  b.max[0] = b.max[1] = b.max[2] = -1e30f;
  for (size_t a = 0; a < n; ++a) {
    if (!all && !mask[a]) continue;
    ++b.count;
    b.min[0] = std::min(b.min[0], s.x[a]); b.max[0] = std::max(b.max[0], s.x[a]);
    b.min[1] = std::min(b.min[1], s.y[a]); b.max[1] = std::max(b.max[1], s.y[a]);
    b.min[2] = std::min(b.min[2], s.z[a]); b.max[2] = std::max(b.max[2], s.z[a]);
  }
  if (!b.count) return Bounds{};
  // Sphere centred on the box (within ~15% of minimal for globular molecules, one pass).
  for (int k = 0; k < 3; ++k) b.center[k] = 0.5f * (b.min[k] + b.max[k]);
  float r2 = 0;
  for (size_t a = 0; a < n; ++a) {
    if (!all && !mask[a]) continue;
    float dx = s.x[a] - b.center[0], dy = s.y[a] - b.center[1], dz = s.z[a] - b.center[2];
    r2 = std::max(r2, dx * dx + dy * dy + dz * dz);
  }
  b.radius = std::sqrt(r2);
  return b;
}

}  // namespace foldsight
