// PDB and mmCIF writers. The mmCIF writer emits the full _atom_site loop with label and
// auth ids so a read → write → read round trip keeps every modelled per-atom field.
// The PDB writer follows the fixed-column layout; serials beyond 99,999 are renumbered
// modulo 100,000 (hybrid-36 output is not written yet).
#include <cstdio>
#include <cstring>
#include <string>
#include "io.h"

namespace foldsight {
namespace {

std::string cif_value(std::string_view v) {
  if (v.empty()) return "?";
  bool needs_quote = v[0] == '_' || v[0] == '#' || v[0] == '$' || v[0] == '\'' || v[0] == '"' ||
                     v[0] == ';' || v[0] == '[' || v[0] == ']' || v == "?" || v == ".";
  for (char c : v) if (c == ' ' || c == '\t') needs_quote = true;
  if (!needs_quote) return std::string(v);
  if (v.find('"') == std::string_view::npos) return "\"" + std::string(v) + "\"";
  return "'" + std::string(v) + "'";
}

}  // namespace

std::string write_mmcif(const Structure& s) {
  std::string out;
  out.reserve(s.atom_count() * 100 + 1024);
  out += "data_" + (s.name.empty() ? std::string("foldsight") : cif_value(s.name)) + "\n#\n";
  out +=
      "loop_\n_atom_site.group_PDB\n_atom_site.id\n_atom_site.type_symbol\n"
      "_atom_site.label_atom_id\n_atom_site.label_alt_id\n_atom_site.label_comp_id\n"
      "_atom_site.label_asym_id\n_atom_site.label_entity_id\n_atom_site.label_seq_id\n"
      "_atom_site.pdbx_PDB_ins_code\n_atom_site.Cartn_x\n_atom_site.Cartn_y\n_atom_site.Cartn_z\n"
      "_atom_site.occupancy\n_atom_site.B_iso_or_equiv\n_atom_site.pdbx_formal_charge\n"
      "_atom_site.auth_seq_id\n_atom_site.auth_asym_id\n_atom_site.pdbx_PDB_model_num\n";
  char buf[512];
  for (size_t m = 0; m < s.model_count(); ++m)
    for (uint32_t c = s.model_chain_begin[m]; c < s.model_chain_begin[m + 1]; ++c)
      for (uint32_t r = s.chain_res_begin[c]; r < s.chain_res_begin[c + 1]; ++r)
        for (uint32_t a = s.res_atom_begin[r]; a < s.res_atom_begin[r + 1]; ++a) {
          const char* el = element_symbol(s.element[a]);
          std::string alt(1, s.altloc[a]);
          std::string ins(1, s.ins_code[r]);
          std::snprintf(buf, sizeof buf, "%s %d %s %s %s %s %s %s %d %s %.3f %.3f %.3f %.2f %.2f %d %d %s %d\n",
                        s.het[r] ? "HETATM" : "ATOM", s.serial[a], (el && *el) ? el : "X",
                        cif_value(s.atom_name[a].data()).c_str(), s.altloc[a] == ' ' ? "." : alt.c_str(),
                        cif_value(s.res_name[r].data()).c_str(), cif_value(s.chain_label[c]).c_str(),
                        s.chain_entity[c].empty() ? "?" : cif_value(s.chain_entity[c]).c_str(),
                        s.label_seq_id[r], s.ins_code[r] == ' ' ? "?" : ins.c_str(), s.x[a], s.y[a], s.z[a],
                        s.occupancy[a], s.b_factor[a], int(s.charge[a]), s.seq_id[r],
                        cif_value(s.chain_auth[c]).c_str(), s.model_num[m]);
          out += buf;
        }
  out += "#\n";
  return out;
}

std::string write_pdb(const Structure& s) {
  std::string out;
  out.reserve(s.atom_count() * 82 + 256);
  char buf[128];
  bool multi = s.model_count() > 1;
  for (size_t m = 0; m < s.model_count(); ++m) {
    if (multi) {
      std::snprintf(buf, sizeof buf, "MODEL     %4d\n", s.model_num[m]);
      out += buf;
    }
    for (uint32_t c = s.model_chain_begin[m]; c < s.model_chain_begin[m + 1]; ++c) {
      char chain = s.chain_auth[c].empty() ? ' ' : s.chain_auth[c][0];
      for (uint32_t r = s.chain_res_begin[c]; r < s.chain_res_begin[c + 1]; ++r)
        for (uint32_t a = s.res_atom_begin[r]; a < s.res_atom_begin[r + 1]; ++a) {
          // PDB convention: names shorter than 4 chars start in column 14 unless the
          // element symbol has two letters.
          const char* el = element_symbol(s.element[a]);
          const char* name = s.atom_name[a].data();
          char name_field[5];
          if (std::strlen(name) < 4 && el && std::strlen(el) == 1)
            std::snprintf(name_field, sizeof name_field, " %-3s", name);
          else
            std::snprintf(name_field, sizeof name_field, "%-4s", name);
          char charge[3] = "  ";
          if (s.charge[a] != 0) {
            charge[0] = char('0' + (s.charge[a] < 0 ? -s.charge[a] : s.charge[a]) % 10);
            charge[1] = s.charge[a] < 0 ? '-' : '+';
          }
          std::snprintf(buf, sizeof buf, "%-6s%5d %4s%c%3.3s %c%4d%c   %8.3f%8.3f%8.3f%6.2f%6.2f          %2s%2s\n",
                        s.het[r] ? "HETATM" : "ATOM", s.serial[a] % 100000, name_field, s.altloc[a],
                        s.res_name[r].data(), chain, s.seq_id[r] % 10000, s.ins_code[r], s.x[a], s.y[a], s.z[a],
                        s.occupancy[a], s.b_factor[a], (el && *el) ? el : "", charge);
          out += buf;
        }
      if (s.chain_res_begin[c + 1] > s.chain_res_begin[c] && !s.het[s.chain_res_begin[c + 1] - 1]) out += "TER\n";
    }
    if (multi) out += "ENDMDL\n";
  }
  out += "END\n";
  return out;
}

}  // namespace foldsight
