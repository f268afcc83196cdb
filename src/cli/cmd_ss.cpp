#include <cstdio>
#include <cstring>
#include <string>
#include <vector>
#include "commands.h"
#include "core/dssp.h"

namespace foldsight {

// Always DSSP (file HELIX/SHEET records are ignored), first model only. One entry per author
// chain with protein residues, in file order; the letters cover exactly the residues mkdssp
// lists (complete backbone), so outputs can be compared position by position.
// `--ids` prints one residue per line instead: CHAIN, number, insertion code ('.' for none), code.
int cmd_ss(int argc, char** argv) {
  bool ids = argc == 3 && std::strcmp(argv[1], "--ids") == 0;
  if (argc != 2 && !ids) {
    std::fprintf(stderr, "usage: foldsight ss [--ids] FILE\n");
    return 2;
  }
  Structure s;
  if (!cli_load(argv[argc - 1], s)) return 1;
  if (s.model_count() == 0) return 0;
  assign_secondary_structure(s);
  std::vector<uint32_t> residues = dssp_residues(s, 0);
  // Group by author chain id (mmCIF may split one author chain into several label chains).
  std::vector<std::string> order;
  std::vector<std::vector<uint32_t>> groups;
  for (uint32_t r : residues) {
    const std::string& id = s.chain_auth[s.res_chain[r]];
    size_t g = 0;
    while (g < order.size() && order[g] != id) ++g;
    if (g == order.size()) {
      order.push_back(id);
      groups.emplace_back();
    }
    groups[g].push_back(r);
  }
  std::string line;
  for (size_t g = 0; g < order.size(); ++g) {
    if (ids) {
      for (uint32_t r : groups[g])
        std::printf("%s\t%d\t%c\t%c\n", order[g].c_str(), s.seq_id[r], s.ins_code[r] == ' ' ? '.' : s.ins_code[r], s.ss[r]);
      continue;
    }
    line.clear();
    for (uint32_t r : groups[g]) line += s.ss[r];
    std::printf(">%s\n%s\n", order[g].c_str(), line.c_str());
  }
  return 0;
}

}  // namespace foldsight
