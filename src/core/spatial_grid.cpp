#include "spatial_grid.h"
#include <algorithm>
#include <limits>

namespace foldsight {

SpatialGrid build_spatial_grid(const Structure& s, const std::vector<uint32_t>& atoms, float min_cell) {
  SpatialGrid g;
  g.cell = std::max(min_cell, 0.5f);
  if (atoms.empty()) return g;
  float lo[3] = {std::numeric_limits<float>::max(), std::numeric_limits<float>::max(), std::numeric_limits<float>::max()};
  float hi[3] = {-lo[0], -lo[1], -lo[2]};
  std::vector<uint32_t> kept;
  kept.reserve(atoms.size());
  for (uint32_t a : atoms) {
    const float p[3] = {s.x[a], s.y[a], s.z[a]};
    if (!std::isfinite(p[0]) || !std::isfinite(p[1]) || !std::isfinite(p[2])) continue;
    for (int k = 0; k < 3; ++k) lo[k] = std::min(lo[k], p[k]), hi[k] = std::max(hi[k], p[k]);
    kept.push_back(a);
  }
  if (kept.empty()) return g;
  // A dense grid of a sparse box (far-apart fragments) could need far more cells than atoms;
  // larger cells keep memory linear in the atom count at the cost of more distance tests.
  const double max_cells = 8.0 * double(kept.size()) + 4096.0;
  for (;;) {
    double n = 1;
    for (int k = 0; k < 3; ++k) n *= std::floor(double(hi[k] - lo[k]) / g.cell) + 1;
    if (n <= max_cells) break;
    g.cell *= 1.5f;
  }
  g.min_x = lo[0], g.min_y = lo[1], g.min_z = lo[2];
  g.nx = int((hi[0] - lo[0]) / g.cell) + 1;
  g.ny = int((hi[1] - lo[1]) / g.cell) + 1;
  g.nz = int((hi[2] - lo[2]) / g.cell) + 1;
  const size_t ncell = size_t(g.nx) * g.ny * g.nz;
  std::vector<uint32_t> cell_of(kept.size());
  g.cell_start.assign(ncell + 1, 0);
  for (size_t i = 0; i < kept.size(); ++i) {
    const uint32_t a = kept[i];
    int cx = std::min(int((s.x[a] - g.min_x) / g.cell), g.nx - 1);
    int cy = std::min(int((s.y[a] - g.min_y) / g.cell), g.ny - 1);
    int cz = std::min(int((s.z[a] - g.min_z) / g.cell), g.nz - 1);
    cell_of[i] = uint32_t((size_t(cx) * g.ny + cy) * g.nz + cz);
    ++g.cell_start[cell_of[i] + 1];
  }
  for (size_t c = 0; c < ncell; ++c) g.cell_start[c + 1] += g.cell_start[c];
  g.atoms.resize(kept.size());
  g.xyz.resize(kept.size() * 3);
  std::vector<uint32_t> fill(g.cell_start.begin(), g.cell_start.end() - 1);
  for (size_t i = 0; i < kept.size(); ++i) {
    const uint32_t k = fill[cell_of[i]]++;
    const uint32_t a = kept[i];
    g.atoms[k] = a;
    g.xyz[3 * k] = s.x[a], g.xyz[3 * k + 1] = s.y[a], g.xyz[3 * k + 2] = s.z[a];
  }
  return g;
}

}  // namespace foldsight
