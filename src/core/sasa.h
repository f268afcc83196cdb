// Solvent-accessible surface area by the Shrake–Rupley method: each atom's sphere of radius
// r_vdw + probe is sampled with points on a golden-section spiral; a point counts as
// accessible when it lies inside no neighbouring expanded sphere. Neighbours come from a
// uniform grid, so the cost is linear in the number of atoms.
#pragma once
#include <cstdint>
#include <vector>
#include "structure.h"

namespace foldsight {

struct SasaOptions {
  float probe = 1.4f;          // Å, water
  int points = 240;            // sphere points per atom (>= 92; 960 for reference-grade values)
  bool include_hydrogens = false;
  bool include_water = false;
  bool include_hetero = true;  // ligands, ions (HETATM residues other than water)
  // Optional per-atom radius override (size atom_count(); values <= 0 fall back to vdw_radius).
  const std::vector<float>* radii = nullptr;
};

struct SasaResult {
  std::vector<float> atom;     // Å² per atom (size atom_count(); 0 for atoms not included)
  std::vector<float> residue;  // Å² per residue (size residue_count())
  double total = 0;            // Å² over the model
};

// SASA of one model (other models' atoms are neither counted nor occluding). With alternate
// conformers only the first one (altloc ' ' or the first letter of each residue) is used.
SasaResult shrake_rupley(const Structure& s, uint32_t model = 0, const SasaOptions& opt = {});

// Unit vectors on a golden-section spiral: n nearly uniform points on the sphere.
std::vector<float> golden_spiral(int n);  // xyz triplets

}  // namespace foldsight
