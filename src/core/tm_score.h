// TM-score (Zhang & Skolnick, Proteins 2004 57:702) with the definition and the search of the
// `TMscore` program: model and native residues are paired beforehand (by residue number, as
// TMscore does), d0 = 1.24 (L-15)^(1/3) - 1.8 (at least 0.5) with L the native length, and the
// best superposition is searched heuristically: seed fragments of the paired list of lengths
// n, n/2, n/4, n/8, n/16 and 4 at every start position, each followed by iterative extension
// (superpose on the pairs closer than d0_search+1, recompute, until the set stops changing or
// 20 rounds). The score is the best sum of 1/(1+(d/d0)^2) over the pairs, divided by L.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "structure.h"
#include "superpose.h"

namespace foldsight {

// The CA atoms of one chain as TMscore reads them: ATOM records only (no HETATM), first
// conformer (altloc ' ' or 'A'), in file order.
struct CaTrace {
  std::vector<Vec3d> xyz;
  std::vector<int32_t> seq_id;
  std::vector<char> ins_code;
  std::string sequence;  // one-letter codes, 'X' when unknown
  size_t size() const { return xyz.size(); }
};
CaTrace ca_trace(const Structure& s, size_t chain);

// Paired residue indices: model a[k] ↔ native b[k].
struct ResiduePairing {
  std::vector<uint32_t> a, b;
  size_t size() const { return a.size(); }
};
// Pairs residues with equal number and insertion code, in the model's order (TMscore's rule).
ResiduePairing pair_by_residue_number(const CaTrace& model, const CaTrace& native);
// Global Needleman–Wunsch on one-letter codes (match +2, mismatch -1, affine gaps: open -5,
// extend -1, end gaps free); aligned positions with identical letters are paired. The
// fallback when model and native share no residue number.
ResiduePairing pair_by_sequence(const std::string& a, const std::string& b);

struct TmScoreResult {
  double tm_score = 0;    // normalised by native_length
  double d0 = 0;
  double rmsd = 0;        // RMSD of all paired residues after their own optimal superposition
  size_t aligned = 0;     // number of paired residues
  RigidTransform transform;  // the superposition giving tm_score (model → native)
};

// model[k] is paired with native[k] for k < n; native_length is L (normalisation and d0).
TmScoreResult tm_score(const Vec3d* model, const Vec3d* native, size_t n, size_t native_length);
TmScoreResult tm_score(const CaTrace& model, const CaTrace& native, const ResiduePairing& pairs);

}  // namespace foldsight
