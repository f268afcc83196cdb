// Uniform cell list over a subset of atoms: neighbours within a radius no larger than the
// cell size are found by visiting the 27 cells around a point. Shared by bond perception
// and the selection language ("within N of"). Cells are stored densely (counting sort),
// with the cell size grown when a sparse bounding box would need too many cells.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <vector>
#include "structure.h"

namespace foldsight {

struct SpatialGrid {
  float cell = 1.f;                 // edge of a cell, Å (≥ the radius asked for at build time)
  float min_x = 0, min_y = 0, min_z = 0;
  int nx = 0, ny = 0, nz = 0;
  std::vector<uint32_t> cell_start;  // size nx*ny*nz + 1
  std::vector<uint32_t> atoms;       // atom indices, grouped by cell
  std::vector<float> xyz;            // coordinates of `atoms`, same order (3 per atom)

  bool empty() const { return atoms.empty(); }

  // Calls fn(atom, d2) for every grid atom within `radius` (≤ cell) of (px, py, pz).
  template <class Fn>
  void for_each_near(float px, float py, float pz, float radius, Fn&& fn) const {
    if (atoms.empty()) return;
    const float r2 = radius * radius;
    const int cx = cell_index(px, min_x, nx), cy = cell_index(py, min_y, ny), cz = cell_index(pz, min_z, nz);
    for (int ix = std::max(cx - 1, 0); ix <= std::min(cx + 1, nx - 1); ++ix)
      for (int iy = std::max(cy - 1, 0); iy <= std::min(cy + 1, ny - 1); ++iy)
        for (int iz = std::max(cz - 1, 0); iz <= std::min(cz + 1, nz - 1); ++iz) {
          const size_t c = (size_t(ix) * ny + iy) * nz + iz;
          for (uint32_t k = cell_start[c]; k < cell_start[c + 1]; ++k) {
            const float dx = xyz[3 * k] - px, dy = xyz[3 * k + 1] - py, dz = xyz[3 * k + 2] - pz;
            const float d2 = dx * dx + dy * dy + dz * dz;
            if (d2 <= r2) fn(atoms[k], d2);
          }
        }
  }

  // True when some grid atom within `radius` (≤ cell) of the point satisfies pred(atom);
  // stops at the first one.
  template <class Pred>
  bool any_near(float px, float py, float pz, float radius, Pred&& pred) const {
    if (atoms.empty()) return false;
    const float r2 = radius * radius;
    const int cx = cell_index(px, min_x, nx), cy = cell_index(py, min_y, ny), cz = cell_index(pz, min_z, nz);
    for (int ix = std::max(cx - 1, 0); ix <= std::min(cx + 1, nx - 1); ++ix)
      for (int iy = std::max(cy - 1, 0); iy <= std::min(cy + 1, ny - 1); ++iy)
        for (int iz = std::max(cz - 1, 0); iz <= std::min(cz + 1, nz - 1); ++iz) {
          const size_t c = (size_t(ix) * ny + iy) * nz + iz;
          for (uint32_t k = cell_start[c]; k < cell_start[c + 1]; ++k) {
            const float dx = xyz[3 * k] - px, dy = xyz[3 * k + 1] - py, dz = xyz[3 * k + 2] - pz;
            if (dx * dx + dy * dy + dz * dz <= r2 && pred(atoms[k])) return true;
          }
        }
    return false;
  }

  int cell_index(float v, float lo, int n) const {
    // Points outside the box map to a virtual cell one step outside (its neighbours include
    // the border cells) or to a cell two steps outside (no neighbours at all).
    const float f = (v - lo) / cell;
    if (!(f >= -1)) return -2;  // also NaN
    if (f < 0) return -1;
    if (f >= float(n) + 1) return n + 1;
    return int(f);
  }
};

// Builds a grid over the given atoms of s; every later query radius must be ≤ min_cell.
SpatialGrid build_spatial_grid(const Structure& s, const std::vector<uint32_t>& atoms, float min_cell);

}  // namespace foldsight
