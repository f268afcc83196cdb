// Cartoon and trace: a smooth spline through the backbone (Cα for protein, P for nucleic acids)
// swept with a per-residue cross-section: helices as flat ribbons, strands as flat arrows
// (arrowhead on the last residue of each strand), coil and nucleic backbone as round tubes.
#pragma once
#include <cstdint>
#include <vector>
#include "core/structure.h"
#include "geometry/mesh.h"

namespace foldsight {

struct CartoonOptions {
  int subdivisions = 8;        // spline samples per residue (LOD: 2–3 for huge structures)
  int radial_segments = 12;    // points around each cross-section (≥ 4, even)
  float tube_radius = 0.25f;   // coil / trace
  float helix_half_width = 1.1f, helix_half_thickness = 0.22f;
  float strand_half_width = 1.0f, strand_half_thickness = 0.22f;
  float arrow_half_width = 1.7f;
  float nucleic_radius = 0.45f;
  float max_ca_gap = 4.2f;     // Å; larger Cα–Cα distance = chain break
  float max_p_gap = 8.0f;      // Å; larger P–P distance = chain break
  bool trace = false;          // every residue as tube (trace representation)
};

struct CartoonStats {
  size_t segments = 0;   // continuous backbone pieces drawn
  size_t residues = 0;   // residues drawn
  size_t arrows = 0;     // strand arrowheads drawn
};

// mask: per atom (a residue is drawn when its Cα / P atom is masked). atom_colors: per atom;
// a residue takes the colour of its Cα / P atom, and its vertices pick that atom.
Mesh build_cartoon(const Structure& s, const std::vector<uint8_t>& mask,
                   const std::vector<uint32_t>& atom_colors, const CartoonOptions& options = {},
                   CartoonStats* stats = nullptr);

// Tube through Cα / P only, ignoring secondary structure.
Mesh build_trace(const Structure& s, const std::vector<uint8_t>& mask,
                 const std::vector<uint32_t>& atom_colors, float radius = 0.3f,
                 int subdivisions = 6, int radial_segments = 8);

// Reasonable level of detail for a structure of this size (keeps the mesh within a few M vertices).
CartoonOptions cartoon_options_for_size(size_t residue_count);

}  // namespace foldsight
