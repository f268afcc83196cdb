#include <cstdio>
#include "commands.h"
#include "core/tm_score.h"

namespace foldsight {

namespace {
// The first chain of the first model that has CA atoms (TMscore reads the first chain).
CaTrace first_ca_trace(const Structure& s) {
  size_t chains = s.model_count() > 0 ? s.model_chain_begin[1] : 0;
  for (size_t c = 0; c < chains; ++c) {
    CaTrace t = ca_trace(s, c);
    if (t.size() > 0) return t;
  }
  return CaTrace{};
}
}  // namespace

// foldsight superpose MODEL NATIVE: CA atoms of the first chain of each, paired by residue
// number as TMscore does; TM-score is normalised by the native's length. When the two share
// no residue number, residues are paired by a Needleman–Wunsch alignment of the sequences
// (a note says so on stderr). rmsd is over all paired residues after their optimal
// superposition ("RMSD of the common residues" in TMscore), aligned is the number of pairs.
int cmd_superpose(int argc, char** argv) {
  if (argc != 3) {
    std::fprintf(stderr, "usage: foldsight superpose MODEL NATIVE\n");
    return 2;
  }
  Structure model, native;
  if (!cli_load(argv[1], model) || !cli_load(argv[2], native)) return 1;
  CaTrace a = first_ca_trace(model), b = first_ca_trace(native);
  if (a.size() == 0 || b.size() == 0) {
    std::fprintf(stderr, "%s: no CA atoms in the first chain\n", a.size() == 0 ? argv[1] : argv[2]);
    return 1;
  }
  ResiduePairing pairs = pair_by_residue_number(a, b);
  if (pairs.size() == 0) {
    pairs = pair_by_sequence(a.sequence, b.sequence);
    std::fprintf(stderr, "foldsight superpose: no common residue numbers, paired %zu residues by sequence alignment\n",
                 pairs.size());
  }
  if (pairs.size() == 0) {
    std::fprintf(stderr, "foldsight superpose: %s and %s have no residues in common\n", argv[1], argv[2]);
    return 1;
  }
  TmScoreResult r = tm_score(a, b, pairs);
  std::printf("{\"rmsd\":%.4f,\"tm_score\":%.5f,\"aligned\":%zu}\n", r.rmsd, r.tm_score, r.aligned);
  return 0;
}

}  // namespace foldsight
