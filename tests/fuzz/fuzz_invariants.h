// Checks a fuzz target runs on every Structure a reader accepted: the hierarchy ranges
// must be consistent, or later code (bonds, DSSP, geometry) would index out of bounds.
// A violation traps, so libFuzzer records the input as a crash.
#pragma once
#include "core/structure.h"

namespace foldsight {

inline void require(bool ok) {
  if (!ok) __builtin_trap();
}

inline void check_structure(const Structure& s) {
  const size_t na = s.atom_count(), nr = s.residue_count(), nc = s.chain_count(), nm = s.model_count();
  for (size_t n : {s.y.size(), s.z.size(), s.occupancy.size(), s.b_factor.size(), s.atom_name.size(),
                   s.element.size(), s.altloc.size(), s.charge.size(), s.serial.size(), s.atom_residue.size()})
    require(n == na);
  for (size_t n : {s.seq_id.size(), s.label_seq_id.size(), s.ins_code.size(), s.het.size(), s.ss.size(),
                   s.res_chain.size()})
    require(n == nr);
  require(s.res_atom_begin.size() == nr + 1 && s.chain_res_begin.size() == nc + 1 &&
          s.model_chain_begin.size() == nm + 1);
  require(s.chain_label.size() == nc && s.chain_entity.size() == nc && s.chain_model.size() == nc);
  require(s.res_atom_begin[0] == 0 && s.res_atom_begin[nr] == na);
  require(s.chain_res_begin[0] == 0 && s.chain_res_begin[nc] == nr);
  require(s.model_chain_begin[0] == 0 && s.model_chain_begin[nm] == nc);
  for (size_t r = 0; r < nr; ++r) {
    require(s.res_atom_begin[r] <= s.res_atom_begin[r + 1]);
    require(s.res_chain[r] < nc);
    require(s.chain_res_begin[s.res_chain[r]] <= r && r < s.chain_res_begin[s.res_chain[r] + 1]);
  }
  for (size_t i = 0; i < na; ++i) {
    uint32_t r = s.atom_residue[i];
    require(r < nr && s.res_atom_begin[r] <= i && i < s.res_atom_begin[r + 1]);
  }
  for (size_t c = 0; c < nc; ++c) {
    require(s.chain_res_begin[c] <= s.chain_res_begin[c + 1]);
    require(s.chain_model[c] < nm);
    uint32_t m = s.chain_model[c];
    require(s.model_chain_begin[m] <= c && c < s.model_chain_begin[m + 1]);
  }
  for (size_t m = 0; m < nm; ++m) require(s.model_chain_begin[m] <= s.model_chain_begin[m + 1]);
  for (const Bond& b : s.file_bonds) require(b.a < na && b.b < na);
  for (const Bond& b : s.bonds) require(b.a < na && b.b < na);
  require(s.res_confidence.empty() || s.res_confidence.size() == nr);
}

}  // namespace foldsight
