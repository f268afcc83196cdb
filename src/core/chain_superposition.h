// Superposing one loaded chain on another, the two ways a user asks for it: by sequence
// (residues paired by a sequence alignment, Kabsch on the pairs, as Mol*'s "superpose by
// sequence") or by structure alone (structural_align.h, TM-align's method, for remote homologs
// and designs whose sequence differs). One result type for the app's panel and API.
#pragma once
#include <string>
#include "structure.h"
#include "superpose.h"

namespace foldsight {

enum class SuperposeMode { Sequence, Structure };

struct ChainSuperposition {
  bool ok = false;
  std::string error;
  double tm_score = 0;          // normalised by the target chain's length
  double tm_score_mobile = 0;   // normalised by the mobile chain's length
  double rmsd = 0;              // over the aligned pairs
  size_t aligned = 0;
  double seq_identity = 0;      // identical residues among the aligned pairs
  size_t mobile_length = 0, target_length = 0;
  RigidTransform transform;     // moves the mobile structure onto the target
  std::string aligned_mobile, aligned_target;   // gapped one-letter rows ('-' gaps)
};

ChainSuperposition superpose_chains(const Structure& mobile, size_t mobile_chain, const Structure& target,
                                    size_t target_chain, SuperposeMode mode);

// Moves every atom of s by t.
void transform_structure(Structure& s, const RigidTransform& t);

}  // namespace foldsight
