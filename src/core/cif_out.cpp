#include "cif_out.h"
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <map>
#include <memory>

namespace foldsight {

std::string_view float_text(float v, char* buf, size_t n) {
  // Fewest fixed decimals that read back (as decimal → double → float) to the same float;
  // coordinates come out as "12.345", like the PDB writes them.
  if (std::isfinite(v) && std::fabs(v) < 1e9f) {
    static const double kPow[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8};
    for (int d = 0; d <= 8; ++d) {
      double scaled = std::round(double(v) * kPow[d]);
      if (std::fabs(scaled) > 9e15) break;
      if (float(scaled / kPow[d]) != v) continue;
      int64_t k = int64_t(scaled);
      bool neg = k < 0 || (k == 0 && std::signbit(v) && v != 0);
      uint64_t u = uint64_t(k < 0 ? -k : k);
      char tmp[32];
      int len = 0;
      do { tmp[len++] = char('0' + u % 10); u /= 10; } while (u || len <= d);
      size_t o = 0;
      if (neg) buf[o++] = '-';
      for (int i = len - 1; i >= 0; --i) {
        buf[o++] = tmp[i];
        if (i == d && d > 0) buf[o++] = '.';
      }
      return {buf, o};
    }
  }
  int len = std::snprintf(buf, n, "%.9g", double(v));
  return {buf, size_t(len > 0 ? len : 0)};
}

namespace {

OutColumn str_col(std::string name, std::function<std::string_view(size_t, std::string&)> f) {
  OutColumn c;
  c.kind = OutColumn::Str;
  c.name = std::move(name);
  c.str_at = std::move(f);
  return c;
}
OutColumn int_col(std::string name, std::function<int32_t(size_t)> f) {
  OutColumn c;
  c.kind = OutColumn::Int;
  c.name = std::move(name);
  c.int_at = std::move(f);
  return c;
}
OutColumn float_col(std::string name, std::function<float(size_t)> f) {
  OutColumn c;
  c.kind = OutColumn::Float;
  c.name = std::move(name);
  c.float_at = std::move(f);
  return c;
}
std::string_view one_char(char ch, std::string& scratch) {
  scratch.assign(1, ch);
  return scratch;
}

OutCategory atom_site(const Structure& s) {
  OutCategory cat{"atom_site", s.atom_count(), {}};
  auto res = [&s](size_t a) { return s.atom_residue[a]; };
  auto chain = [&s](size_t a) { return s.res_chain[s.atom_residue[a]]; };
  auto& C = cat.cols;
  C.push_back(str_col("group_PDB", [&s, res](size_t a, std::string&) {
    return std::string_view(s.het[res(a)] ? "HETATM" : "ATOM");
  }));
  C.push_back(int_col("id", [&s](size_t a) { return s.serial[a]; }));
  C.push_back(str_col("type_symbol", [&s](size_t a, std::string&) { return std::string_view(element_symbol(s.element[a])); }));
  auto name = [&s](size_t a, std::string&) { return std::string_view(s.atom_name[a].data()); };
  C.push_back(str_col("label_atom_id", name));
  OutColumn alt = str_col("label_alt_id", [&s](size_t a, std::string& t) { return one_char(s.altloc[a], t); });
  alt.null_at = [&s](size_t a) { return s.altloc[a] == ' ' ? CifNull::Inapplicable : CifNull::Present; };
  C.push_back(alt);
  auto comp = [&s, res](size_t a, std::string&) { return std::string_view(s.res_name[res(a)].data()); };
  C.push_back(str_col("label_comp_id", comp));
  C.push_back(str_col("label_asym_id", [&s, chain](size_t a, std::string&) { return std::string_view(s.chain_label[chain(a)]); }));
  C.push_back(str_col("label_entity_id", [&s, chain](size_t a, std::string&) { return std::string_view(s.chain_entity[chain(a)]); }));
  C.push_back(int_col("label_seq_id", [&s, res](size_t a) { return s.label_seq_id[res(a)]; }));
  OutColumn ins = str_col("pdbx_PDB_ins_code", [&s, res](size_t a, std::string& t) { return one_char(s.ins_code[res(a)], t); });
  ins.null_at = [&s, res](size_t a) { return s.ins_code[res(a)] == ' ' ? CifNull::Unknown : CifNull::Present; };
  C.push_back(ins);
  C.push_back(float_col("Cartn_x", [&s](size_t a) { return s.x[a]; }));
  C.push_back(float_col("Cartn_y", [&s](size_t a) { return s.y[a]; }));
  C.push_back(float_col("Cartn_z", [&s](size_t a) { return s.z[a]; }));
  C.push_back(float_col("occupancy", [&s](size_t a) { return s.occupancy[a]; }));
  C.push_back(float_col("B_iso_or_equiv", [&s](size_t a) { return s.b_factor[a]; }));
  C.push_back(int_col("pdbx_formal_charge", [&s](size_t a) { return int32_t(s.charge[a]); }));
  C.push_back(int_col("auth_seq_id", [&s, res](size_t a) { return s.seq_id[res(a)]; }));
  C.push_back(str_col("auth_comp_id", comp));
  C.push_back(str_col("auth_asym_id", [&s, chain](size_t a, std::string&) { return std::string_view(s.chain_auth[chain(a)]); }));
  C.push_back(str_col("auth_atom_id", name));
  C.push_back(int_col("pdbx_PDB_model_num", [&s, chain](size_t a) { return s.model_num[s.chain_model[chain(a)]]; }));
  return cat;
}

using Run = SsRun;

// Runs of one secondary-structure code inside chains of the first model.
std::vector<Run> ss_runs(const Structure& s, bool strands) {
  std::vector<Run> runs;
  for (const SsRun& run : secondary_structure_runs(s)) {
    char k = run.code;
    // 'B' is written as a one-residue STRN conf (a run of B is B residue by residue).
    if (k == 'B') {
      if (!strands)
        for (uint32_t i = run.first; i <= run.last; ++i) runs.push_back({i, i, k});
    } else if ((k == 'E') == strands && k != '-' && k != ' ' && k != 0) {
      runs.push_back({run.first, run.last, k});
    }
  }
  return runs;
}

const char* conf_type(char k) {
  switch (k) {
    case 'H': return "HELX_RH_AL_P";
    case 'G': return "HELX_RH_3T_P";
    case 'I': return "HELX_RH_PI_P";
    case 'P': return "HELX_LH_PP_P";
    case 'T': return "TURN_TY1_P";
    case 'S': return "BEND";
    case 'B': return "STRN";
    default: return "OTHER";
  }
}

void add_range_columns(OutCategory& cat, const Structure& s, std::shared_ptr<std::vector<Run>> runs) {
  auto& C = cat.cols;
  for (int end = 0; end < 2; ++end) {
    std::string p = end ? "end_" : "beg_";
    auto res = [runs, end](size_t i) { return end ? (*runs)[i].last : (*runs)[i].first; };
    C.push_back(str_col(p + "label_comp_id", [&s, res](size_t i, std::string&) { return std::string_view(s.res_name[res(i)].data()); }));
    C.push_back(str_col(p + "label_asym_id", [&s, res](size_t i, std::string&) { return std::string_view(s.chain_label[s.res_chain[res(i)]]); }));
    C.push_back(int_col(p + "label_seq_id", [&s, res](size_t i) { return s.label_seq_id[res(i)]; }));
    C.push_back(str_col(p + "auth_asym_id", [&s, res](size_t i, std::string&) { return std::string_view(s.chain_auth[s.res_chain[res(i)]]); }));
    C.push_back(int_col(p + "auth_seq_id", [&s, res](size_t i) { return s.seq_id[res(i)]; }));
    OutColumn ins = str_col("pdbx_" + p + "PDB_ins_code", [&s, res](size_t i, std::string& t) { return one_char(s.ins_code[res(i)], t); });
    ins.null_at = [&s, res](size_t i) { return s.ins_code[res(i)] == ' ' ? CifNull::Unknown : CifNull::Present; };
    C.push_back(ins);
  }
}

void secondary_structure(const Structure& s, std::vector<OutCategory>& out) {
  auto helices = std::make_shared<std::vector<Run>>(ss_runs(s, false));
  if (!helices->empty()) {
    OutCategory cat{"struct_conf", helices->size(), {}};
    cat.cols.push_back(str_col("conf_type_id", [helices](size_t i, std::string&) { return std::string_view(conf_type((*helices)[i].code)); }));
    cat.cols.push_back(str_col("id", [helices](size_t i, std::string& t) {
      t = std::string(conf_type((*helices)[i].code)) + std::to_string(i + 1);
      return std::string_view(t);
    }));
    add_range_columns(cat, s, helices);
    out.push_back(std::move(cat));
  }
  auto strands = std::make_shared<std::vector<Run>>(ss_runs(s, true));
  if (!strands->empty()) {
    OutCategory cat{"struct_sheet_range", strands->size(), {}};
    cat.cols.push_back(str_col("sheet_id", [](size_t, std::string&) { return std::string_view("A"); }));
    cat.cols.push_back(int_col("id", [](size_t i) { return int32_t(i + 1); }));
    add_range_columns(cat, s, strands);
    out.push_back(std::move(cat));
  }
}

void entities(const Structure& s, std::vector<OutCategory>& out) {
  if (s.entities.empty()) return;
  OutCategory cat{"entity", s.entities.size(), {}};
  cat.cols.push_back(str_col("id", [&s](size_t i, std::string&) { return std::string_view(s.entities[i].id); }));
  cat.cols.push_back(str_col("type", [&s](size_t i, std::string&) { return std::string_view(s.entities[i].type); }));
  cat.cols.push_back(str_col("pdbx_description", [&s](size_t i, std::string&) { return std::string_view(s.entities[i].description); }));
  out.push_back(std::move(cat));
}

void assemblies(const Structure& s, std::vector<OutCategory>& out) {
  if (s.assemblies.empty()) return;
  struct Gen { size_t assembly; std::string expr, asyms; };
  auto gens = std::make_shared<std::vector<Gen>>();
  auto ops = std::make_shared<std::vector<std::array<float, 12>>>();
  for (size_t a = 0; a < s.assemblies.size(); ++a)
    for (const Assembly::Gen& g : s.assemblies[a].gens) {
      if (g.operators.empty()) continue;
      Gen w{a, {}, {}};
      for (const auto& m : g.operators) {
        ops->push_back(m);
        w.expr += (w.expr.empty() ? "" : ",") + std::to_string(ops->size());
      }
      for (const std::string& id : g.asym_ids) w.asyms += (w.asyms.empty() ? "" : ",") + id;
      gens->push_back(std::move(w));
    }
  OutCategory as{"pdbx_struct_assembly", s.assemblies.size(), {}};
  as.cols.push_back(str_col("id", [&s](size_t i, std::string&) { return std::string_view(s.assemblies[i].id); }));
  as.cols.push_back(str_col("details", [&s](size_t i, std::string&) { return std::string_view(s.assemblies[i].details); }));
  out.push_back(std::move(as));
  if (gens->empty()) return;
  OutCategory gen{"pdbx_struct_assembly_gen", gens->size(), {}};
  gen.cols.push_back(str_col("assembly_id", [&s, gens](size_t i, std::string&) { return std::string_view(s.assemblies[(*gens)[i].assembly].id); }));
  gen.cols.push_back(str_col("oper_expression", [gens](size_t i, std::string&) { return std::string_view((*gens)[i].expr); }));
  gen.cols.push_back(str_col("asym_id_list", [gens](size_t i, std::string&) { return std::string_view((*gens)[i].asyms); }));
  out.push_back(std::move(gen));
  OutCategory op{"pdbx_struct_oper_list", ops->size(), {}};
  op.cols.push_back(int_col("id", [](size_t i) { return int32_t(i + 1); }));
  op.cols.push_back(str_col("type", [](size_t, std::string&) { return std::string_view("point symmetry operation"); }));
  static const char* const kItems[12] = {"matrix[1][1]", "matrix[1][2]", "matrix[1][3]", "vector[1]",
                                         "matrix[2][1]", "matrix[2][2]", "matrix[2][3]", "vector[2]",
                                         "matrix[3][1]", "matrix[3][2]", "matrix[3][3]", "vector[3]"};
  // Column order as in PDB files: all matrix items, then the vector.
  static const int kOrder[12] = {0, 1, 2, 4, 5, 6, 8, 9, 10, 3, 7, 11};
  for (int k : kOrder)
    op.cols.push_back(float_col(kItems[k], [ops, k](size_t i) { return (*ops)[i][size_t(k)]; }));
  out.push_back(std::move(op));
}

bool is_metal(uint8_t z) {
  return (z >= 3 && z <= 4) || (z >= 11 && z <= 13) || (z >= 19 && z <= 32) || (z >= 37 && z <= 51) || z >= 55;
}

void struct_conn(const Structure& s, std::vector<OutCategory>& out) {
  if (s.file_bonds.empty()) return;
  OutCategory cat{"struct_conn", s.file_bonds.size(), {}};
  auto& C = cat.cols;
  C.push_back(str_col("id", [](size_t i, std::string& t) { t = "bond" + std::to_string(i + 1); return std::string_view(t); }));
  C.push_back(str_col("conn_type_id", [&s](size_t i, std::string&) {
    const Bond& b = s.file_bonds[i];
    if (is_metal(s.element[b.a]) || is_metal(s.element[b.b])) return std::string_view("metalc");
    if (s.element[b.a] == 16 && s.element[b.b] == 16) return std::string_view("disulf");
    return std::string_view("covale");
  }));
  for (int k = 1; k <= 2; ++k) {
    auto atom = [&s, k](size_t i) -> uint32_t { return k == 1 ? s.file_bonds[i].a : s.file_bonds[i].b; };
    std::string p = "ptnr" + std::to_string(k) + "_", px = "pdbx_ptnr" + std::to_string(k) + "_";
    C.push_back(str_col(p + "label_asym_id", [&s, atom](size_t i, std::string&) { return std::string_view(s.chain_label[s.res_chain[s.atom_residue[atom(i)]]]); }));
    C.push_back(str_col(p + "label_comp_id", [&s, atom](size_t i, std::string&) { return std::string_view(s.res_name[s.atom_residue[atom(i)]].data()); }));
    C.push_back(int_col(p + "label_seq_id", [&s, atom](size_t i) { return s.label_seq_id[s.atom_residue[atom(i)]]; }));
    C.push_back(str_col(p + "label_atom_id", [&s, atom](size_t i, std::string&) { return std::string_view(s.atom_name[atom(i)].data()); }));
    OutColumn alt = str_col(px + "label_alt_id", [&s, atom](size_t i, std::string& t) { return one_char(s.altloc[atom(i)], t); });
    alt.null_at = [&s, atom](size_t i) { return s.altloc[atom(i)] == ' ' ? CifNull::Unknown : CifNull::Present; };
    C.push_back(alt);
    C.push_back(str_col(p + "auth_asym_id", [&s, atom](size_t i, std::string&) { return std::string_view(s.chain_auth[s.res_chain[s.atom_residue[atom(i)]]]); }));
    C.push_back(int_col(p + "auth_seq_id", [&s, atom](size_t i) { return s.seq_id[s.atom_residue[atom(i)]]; }));
    OutColumn ins = str_col(px + "PDB_ins_code", [&s, atom](size_t i, std::string& t) { return one_char(s.ins_code[s.atom_residue[atom(i)]], t); });
    ins.null_at = [&s, atom](size_t i) { return s.ins_code[s.atom_residue[atom(i)]] == ' ' ? CifNull::Unknown : CifNull::Present; };
    C.push_back(ins);
    C.push_back(str_col(p + "symmetry", [](size_t, std::string&) { return std::string_view("1_555"); }));
  }
  C.push_back(str_col("pdbx_value_order", [&s](size_t i, std::string&) {
    switch (s.file_bonds[i].order) {
      case BondOrder::Double: return std::string_view("doub");
      case BondOrder::Triple: return std::string_view("trip");
      case BondOrder::Aromatic: return std::string_view("arom");
      default: return std::string_view("sing");
    }
  }));
  out.push_back(std::move(cat));
}

void plddt(const Structure& s, std::vector<OutCategory>& out) {
  if (s.res_confidence.size() != s.residue_count() || s.model_count() == 0) return;
  auto rows = std::make_shared<std::vector<uint32_t>>();
  std::map<std::pair<std::string, int32_t>, bool> seen;
  for (uint32_t c = s.model_chain_begin[0]; c < s.model_chain_begin[1]; ++c)
    for (uint32_t r = s.chain_res_begin[c]; r < s.chain_res_begin[c + 1]; ++r)
      if (seen.emplace(std::make_pair(s.chain_label[c], s.label_seq_id[r]), true).second) rows->push_back(r);
  OutCategory metric{"ma_qa_metric", 1, {}};
  metric.cols.push_back(int_col("id", [](size_t) { return 1; }));
  metric.cols.push_back(str_col("name", [](size_t, std::string&) { return std::string_view("pLDDT"); }));
  metric.cols.push_back(str_col("mode", [](size_t, std::string&) { return std::string_view("local"); }));
  metric.cols.push_back(str_col("type", [](size_t, std::string&) { return std::string_view("pLDDT"); }));
  out.push_back(std::move(metric));
  OutCategory cat{"ma_qa_metric_local", rows->size(), {}};
  cat.cols.push_back(int_col("ordinal_id", [](size_t i) { return int32_t(i + 1); }));
  cat.cols.push_back(int_col("model_id", [](size_t) { return 1; }));
  cat.cols.push_back(str_col("label_asym_id", [&s, rows](size_t i, std::string&) { return std::string_view(s.chain_label[s.res_chain[(*rows)[i]]]); }));
  cat.cols.push_back(int_col("label_seq_id", [&s, rows](size_t i) { return s.label_seq_id[(*rows)[i]]; }));
  cat.cols.push_back(str_col("label_comp_id", [&s, rows](size_t i, std::string&) { return std::string_view(s.res_name[(*rows)[i]].data()); }));
  cat.cols.push_back(int_col("metric_id", [](size_t) { return 1; }));
  cat.cols.push_back(float_col("metric_value", [&s, rows](size_t i) { return s.res_confidence[(*rows)[i]]; }));
  out.push_back(std::move(cat));
}

}  // namespace

std::vector<OutCategory> structure_categories(const Structure& s) {
  std::vector<OutCategory> out;
  out.push_back(atom_site(s));
  entities(s, out);
  secondary_structure(s, out);
  assemblies(s, out);
  struct_conn(s, out);
  plddt(s, out);
  return out;
}

}  // namespace foldsight
