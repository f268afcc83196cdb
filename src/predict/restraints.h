// Inputs to the folding engine: what the learned model and the template search say about one chain.
// Plain data; the folding engine (fold.h) turns it into restraint potentials.
#pragma once
#include <string>
#include <vector>

namespace foldsight {

struct FoldInput {
  int length = 0;                  // L residues
  std::string sequence;            // one-letter codes, size L
  std::vector<float> distogram;    // L*L*nbins CB-CB distance probabilities, row-major [i][j][bin]; empty = none
  std::vector<float> bin_edges;    // nbins-1 upper edges in Angstrom; the last bin is "beyond the last edge"
  std::vector<float> phi, psi;     // radians per residue, NaN where unknown
  std::vector<float> torsion_weight;  // per residue, 0..1
  std::vector<float> ss_probs;     // L*8 (DSSP 8-state, order "HGIEBTS-" as scripts/train/model.py SS8) or empty
  std::vector<float> template_ca;  // L*3 template CA coordinates, NaN where the residue is unaligned
  std::vector<float> template_weight;  // per residue template confidence 0..1
};

}  // namespace foldsight
