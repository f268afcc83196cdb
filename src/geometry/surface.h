// Gaussian molecular surface: a smooth density Σ exp(−k (d²/r² − 1)) over the masked atoms,
// sampled on a grid and polygonised at density 1 by marching tetrahedra (watertight by
// construction, no lookup tables). Vertices take the colour and pick id of the atom that
// contributes most to the density there (≈ the nearest atom, radius-weighted).
#pragma once
#include <cstdint>
#include <vector>
#include "core/structure.h"
#include "geometry/mesh.h"

namespace foldsight {

struct SurfaceOptions {
  float grid_spacing = 1.0f;   // Å; 0.5 is smoother, 1.5–2 for very large selections
  float smoothness = 1.5f;     // k: lower = blobbier; Mol*'s Gaussian surface default is similar
  float radius_scale = 1.0f;   // atom radius = vdW * scale
  float radius_offset = 0.0f;  // Å added to each radius (e.g. 0.5 for a fatter, more SES-like skin)
};

Mesh build_surface(const Structure& s, const std::vector<uint8_t>& mask,
                   const std::vector<uint32_t>& atom_colors, const SurfaceOptions& options = {});

}  // namespace foldsight
