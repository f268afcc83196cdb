// Secondary structure assignment: Kabsch–Sander H-bond energy, 8 states as in DSSP 4
// (H G I E B T S P, '-' for none). Writes Structure::ss for protein residues.
#pragma once
#include "structure.h"

namespace foldsight {
void assign_secondary_structure(Structure& s);
}  // namespace foldsight
