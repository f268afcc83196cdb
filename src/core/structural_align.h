// Sequence-independent structural alignment of two protein chains from their CA atoms, after
// TM-align (Zhang & Skolnick, Nucleic Acids Res 2005 33:2302). Residues are paired by structure
// alone: several initial alignments (gapless threading, secondary structure, superposed local
// fragments, secondary structure plus distance, threading of the longest unbroken fragment)
// are each refined by iterating a Needleman–Wunsch dynamic programme on 1/(1+(d/d0)^2) under
// the current superposition and a TM-score superposition search on the new alignment, until
// the score stops changing. The best alignment is reported with TM-scores normalised by the
// length of either chain, as the `TMalign` program prints them ("Chain_1" = A, "Chain_2" = B).
#pragma once
#include <string>
#include <utility>
#include <vector>
#include "superpose.h"

namespace foldsight {

struct StructuralAlignment {
  // Aligned residue indices (i in A, j in B), increasing in both. Like TMalign's report, only
  // pairs closer than the cutoff d8 = 1.5 L^0.3 + 3.5 (L the shorter length) after the best
  // superposition are kept; the others count as unaligned.
  std::vector<std::pair<int, int>> pairs;
  double tm_score_a = 0;  // normalised by the length of A (TMalign's "Chain_1")
  double tm_score_b = 0;  // normalised by the length of B ("Chain_2")
  double d0_a = 0, d0_b = 0;
  double rmsd = 0;        // over `pairs`, after their own optimal superposition
  int aligned = 0;        // pairs.size()
  double seq_identity = 0;  // identical one-letter codes among the pairs / aligned
  RigidTransform transform;  // moves A onto B (the superposition giving tm_score_b)
  std::string aligned_a, aligned_b;  // gapped one-letter rows, '-' for gaps, as TMalign prints
};

// seq_a/seq_b: one letter per CA (may be empty or shorter: then 'X' is used).
StructuralAlignment align_structures(const std::vector<Vec3d>& ca_a, const std::string& seq_a,
                                     const std::vector<Vec3d>& ca_b, const std::string& seq_b);

// TM-align's secondary structure from CA geometry alone: per residue 'H' (helix), 'E' (strand),
// 'T' (turn) or 'C', from the six CA distances within i-2..i+2. Only used to seed alignments.
std::string ca_secondary_structure(const std::vector<Vec3d>& ca);

}  // namespace foldsight
