// Inputs to the folding engine: what the learned model and the template search say about one chain.
// Plain data; the folding engine (fold.h) turns it into restraint potentials.
#pragma once
#include <cmath>
#include <string>
#include <vector>

namespace foldsight {

// One Cα–Cα distance of a further template, restrained beside those of template_ca.
struct TemplatePair {
  int i = 0, j = 0;
  float distance = 0, weight = 0;
};

struct FoldInput {
  int length = 0;                  // L residues
  std::string sequence;            // one-letter codes, size L
  std::vector<float> distogram;    // L*L*nbins CB-CB distance probabilities, row-major [i][j][bin]; empty = none
  std::vector<float> bin_edges;    // nbins-1 upper edges in Angstrom; the last bin is "beyond the last edge"
  std::vector<float> phi, psi;     // radians per residue, NaN where unknown
  std::vector<float> torsion_weight;  // per residue, 0..1
  std::vector<float> profile;      // L*20 predicted HHblits frequencies (ACDEFGHIKLMNPQRSTVWY) or empty
  std::vector<float> ss_probs;     // L*8 (DSSP 8-state, order "HGIEBTS-" as scripts/train/model.py SS8) or empty
  std::vector<float> template_ca;  // L*3 template CA coordinates, NaN where the residue is unaligned
  std::vector<float> template_weight;  // per residue template confidence 0..1
  std::vector<TemplatePair> template_pairs;  // further templates' distances (template_restraints.h)
};

// Calls fn(i, j, distance, weight) for every pair of template-aligned residues (j ≥ i + 2)
// closer than `cutoff` Å in the template; weight = template_weight[i] · template_weight[j];
// then for each of template_pairs within the cutoff.
// Both folding stages (torsion and Cartesian) restrain these distances.
template <class Fn>
void for_each_template_pair(const FoldInput& in, double cutoff, Fn&& fn) {
  const int L = in.length;
  if ((int)in.template_ca.size() != 3 * L) return;
  auto aligned = [&](int i) {
    return std::isfinite(in.template_ca[3 * i]) && i < (int)in.template_weight.size() && in.template_weight[i] > 0;
  };
  for (int i = 0; i < L; ++i) {
    if (!aligned(i)) continue;
    const float* a = &in.template_ca[3 * i];
    for (int j = i + 2; j < L; ++j) {
      if (!aligned(j)) continue;
      const float* b = &in.template_ca[3 * j];
      double dx = double(a[0]) - b[0], dy = double(a[1]) - b[1], dz = double(a[2]) - b[2];
      double d = std::sqrt(dx * dx + dy * dy + dz * dz);
      if (d > cutoff) continue;
      fn(i, j, d, double(in.template_weight[i]) * in.template_weight[j]);
    }
  }
  for (const TemplatePair& p : in.template_pairs)
    if (p.distance <= cutoff) fn(p.i, p.j, double(p.distance), double(p.weight));
}

}  // namespace foldsight
