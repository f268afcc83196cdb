// Covalent bonds: residue templates for standard residues, peptide / nucleotide links,
// distance-based for everything else, plus struct_conn / CONECT records from the file.
#pragma once
#include "structure.h"

namespace foldsight {
// Fills s.bonds (replacing what was there, except bonds the reader took from the file).
void compute_bonds(Structure& s);
}  // namespace foldsight
