#include <cstdio>
#include <cstring>
#include <string>
#include "commands.h"
#include "core/structural_align.h"
#include "core/tm_score.h"

namespace foldsight {

namespace {

// CA trace of author chain `id` in the first model (mmCIF may split one author chain into
// several label chains: they are joined in file order), or of the first chain that has CA
// atoms when id is empty (what TMalign reads).
CaTrace chain_trace(const Structure& s, const std::string& id) {
  CaTrace out;
  size_t chains = s.model_count() > 0 ? s.model_chain_begin[1] : 0;
  for (size_t c = 0; c < chains; ++c) {
    if (!id.empty() && s.chain_auth[c] != id) continue;
    CaTrace t = ca_trace(s, c);
    if (t.size() == 0) continue;
    out.xyz.insert(out.xyz.end(), t.xyz.begin(), t.xyz.end());
    out.seq_id.insert(out.seq_id.end(), t.seq_id.begin(), t.seq_id.end());
    out.ins_code.insert(out.ins_code.end(), t.ins_code.begin(), t.ins_code.end());
    out.sequence += t.sequence;
    if (id.empty()) break;
  }
  return out;
}

}  // namespace

// foldsight align A B [--chain-a X] [--chain-b Y]: sequence-independent structural alignment
// (TM-align's method) of one chain of each file; A is moved onto B. JSON: TM-scores normalised
// by A's and by B's length (TMalign's "Chain_1" and "Chain_2"), RMSD and number of the aligned
// pairs (those within TM-align's d8 cutoff), their sequence identity, the gapped alignment rows,
// and the superposition (rotation row-major, then translation: x' = R x + t).
int cmd_align(int argc, char** argv) {
  const char* files[2] = {nullptr, nullptr};
  std::string chain[2];
  int nfiles = 0;
  for (int k = 1; k < argc; ++k) {
    bool ca = std::strcmp(argv[k], "--chain-a") == 0, cb = std::strcmp(argv[k], "--chain-b") == 0;
    if ((ca || cb) && k + 1 < argc) {
      chain[ca ? 0 : 1] = argv[++k];
    } else if (argv[k][0] != '-' && nfiles < 2) {
      files[nfiles++] = argv[k];
    } else {
      nfiles = -1;
      break;
    }
  }
  if (nfiles != 2) {
    std::fprintf(stderr, "usage: foldsight align A B [--chain-a X] [--chain-b Y]\n");
    return 2;
  }
  CaTrace t[2];
  for (int k = 0; k < 2; ++k) {
    Structure s;
    if (!cli_load(files[k], s)) return 1;
    t[k] = chain_trace(s, chain[k]);
    if (t[k].size() == 0) {
      if (chain[k].empty())
        std::fprintf(stderr, "%s: no chain with CA atoms\n", files[k]);
      else
        std::fprintf(stderr, "%s: no CA atoms in chain %s\n", files[k], chain[k].c_str());
      return 1;
    }
  }
  StructuralAlignment r = align_structures(t[0].xyz, t[0].sequence, t[1].xyz, t[1].sequence);
  const RigidTransform& tr = r.transform;
  std::printf("{\"tm_score_a\":%.5f,\"tm_score_b\":%.5f,\"rmsd\":%.3f,\"aligned\":%d,\"seq_identity\":%.3f,"
              "\"length_a\":%zu,\"length_b\":%zu,\"alignment_a\":\"%s\",\"alignment_b\":\"%s\",\"rotation\":[",
              r.tm_score_a, r.tm_score_b, r.rmsd, r.aligned, r.seq_identity, t[0].size(), t[1].size(),
              r.aligned_a.c_str(), r.aligned_b.c_str());
  for (int k = 0; k < 9; ++k) std::printf("%s%.8f", k ? "," : "", tr.rot[k]);
  std::printf("],\"translation\":[%.6f,%.6f,%.6f]}\n", tr.shift[0], tr.shift[1], tr.shift[2]);
  return 0;
}

}  // namespace foldsight
