#include <cstdio>
#include <set>
#include <string>
#include "commands.h"

namespace foldsight {

// Secondary-structure counts come from the file's records (HELIX/SHEET, struct_conf); a file
// without them reports all protein residues as coil here — `foldsight ss` computes DSSP.
int cmd_info(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: foldsight info FILE\n");
    return 2;
  }
  Structure s;
  if (!cli_load(argv[1], s)) return 1;
  // Chains are counted as gemmi and the PDB archive count them: distinct author chain ids per
  // model. The data model keeps polymer, ligand and water runs of one author chain as separate
  // (label_asym_id) chains, which is what mmCIF calls them, so both views are available.
  size_t chains = 0;
  for (size_t m = 0; m < s.model_count(); ++m) {
    std::set<std::string> ids;
    for (uint32_t c = s.model_chain_begin[m]; c < s.model_chain_begin[m + 1]; ++c) ids.insert(s.chain_auth[c]);
    chains += ids.size();
  }
  size_t h = 0, e = 0, c = 0;
  for (size_t r = 0; r < s.residue_count(); ++r) {
    if (!is_amino_acid(s.res_name[r])) continue;
    char k = r < s.ss.size() ? s.ss[r] : '-';
    if (k == 'H' || k == 'G' || k == 'I') ++h;
    else if (k == 'E' || k == 'B') ++e;
    else ++c;
  }
  std::printf("{\"models\":%zu,\"chains\":%zu,\"residues\":%zu,\"atoms\":%zu,\"ss\":{\"H\":%zu,\"E\":%zu,\"C\":%zu}}\n",
              s.model_count(), chains, s.residue_count(), s.atom_count(), h, e, c);
  return 0;
}

}  // namespace foldsight
