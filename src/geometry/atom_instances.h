// Instance builders for atom-level representations: spacefill, ball-and-stick, lines.
// mask: one byte per atom, 1 = included. colors: one RGBA8 per atom (from color_atoms).
#pragma once
#include <cstdint>
#include <vector>
#include "core/structure.h"
#include "geometry/mesh.h"

namespace foldsight {

// Spacefill: one sphere per masked atom, van der Waals radius * radius_scale.
SphereInstances build_spacefill(const Structure& s, const std::vector<uint8_t>& mask,
                                const std::vector<uint32_t>& colors, float radius_scale = 1.0f);

struct BallAndStickOptions {
  float atom_radius_scale = 0.25f;  // sphere radius = scale * vdW ...
  float fixed_atom_radius = 0.0f;   // ... unless this is > 0
  float bond_radius = 0.15f;        // Å
};
struct BallAndStick {
  SphereInstances atoms;
  CylinderInstances bonds;          // split-coloured at the midpoint
};
// Bonds come from s.bonds; a bond is drawn when both of its atoms are masked.
BallAndStick build_ball_and_stick(const Structure& s, const std::vector<uint8_t>& mask,
                                  const std::vector<uint32_t>& colors,
                                  const BallAndStickOptions& options = {});

// Lines: each bond as two half-segments, each coloured and picked by its own atom.
LineSegments build_lines(const Structure& s, const std::vector<uint8_t>& mask,
                         const std::vector<uint32_t>& colors);
// Same, as thin cylinders for renderers without wide-line support.
CylinderInstances build_line_cylinders(const Structure& s, const std::vector<uint8_t>& mask,
                                       const std::vector<uint32_t>& colors, float radius = 0.05f);

}  // namespace foldsight
