// Bounding box and bounding sphere of the masked atoms, for camera framing.
#pragma once
#include <cstdint>
#include <vector>
#include "core/structure.h"

namespace foldsight {

struct Bounds {
  float min[3] = {0, 0, 0}, max[3] = {0, 0, 0};
  float center[3] = {0, 0, 0};  // bounding-sphere centre
  float radius = 0;             // bounding-sphere radius (atom centres; add ~2 Å for vdW shells)
  size_t count = 0;             // masked atoms; 0 → everything above is zero
};

// Empty mask means all atoms.
Bounds compute_bounds(const Structure& s, const std::vector<uint8_t>& mask);

}  // namespace foldsight
