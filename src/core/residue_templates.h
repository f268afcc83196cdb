// Built-in bond templates of standard residues: the 20 amino acids, RNA/DNA nucleotides,
// common modified residues and water, with PDB (v3) atom names including hydrogens, OXT and
// the older phosphate names O1P/O2P. Bond orders follow the chemical component dictionary
// where they are fixed (C=O double, aromatic rings aromatic). Used by compute_bonds for
// intra-residue connectivity; links between residues are added there.
#pragma once
#include <cstdint>
#include <cstring>
#include <vector>
#include "structure.h"

namespace foldsight {

// Atom names packed into 32 bits (the 4 name characters), so template matching compares integers.
inline uint32_t atom_name_key(const Name4& n) {
  uint32_t k;
  std::memcpy(&k, n.data(), 4);
  return k;
}

struct ResidueTemplate {
  std::vector<uint32_t> atom_keys;  // atom_name_key of each template atom
  struct Bond { uint8_t a, b; BondOrder order; };  // indices into atom_keys
  std::vector<Bond> bonds;
  int rings = 0;  // independent rings (bonds = atoms - 1 + rings for a complete residue)

  // Index of the template atom with this name, or -1.
  int find_atom(uint32_t key) const {
    for (size_t i = 0; i < atom_keys.size(); ++i)
      if (atom_keys[i] == key) return int(i);
    return -1;
  }
};

// Template of a residue name, or nullptr when there is none (ligands, unknown residues).
const ResidueTemplate* find_residue_template(const ResName& res_name);

}  // namespace foldsight
