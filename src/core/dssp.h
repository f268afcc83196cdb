// Secondary structure assignment: Kabsch–Sander H-bond energy, 8 states as in DSSP 4
// (H G I E B T S P, '-' for none). Writes Structure::ss for protein residues.
#pragma once
#include <cstdint>
#include <vector>
#include "structure.h"

namespace foldsight {
// Computes DSSP for every model (models are independent) and sets s.has_ss. Amino-acid residues
// get a code ('-' when DSSP leaves them out: incomplete backbone); other residues keep theirs.
void assign_secondary_structure(Structure& s);

// The residues DSSP works on in `model`, in its order: protein residues with N, CA, C and O
// (first alternate conformer). Same set and order as mkdssp lists them.
std::vector<uint32_t> dssp_residues(const Structure& s, size_t model);
}  // namespace foldsight
