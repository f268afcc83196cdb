#include "cif_model.h"
#include <algorithm>
#include <array>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <map>
#include <tuple>

namespace foldsight {

// ---- atoms ----

void AtomSiteBuilder::reserve_atoms(size_t n) {
  s_.x.reserve(n); s_.y.reserve(n); s_.z.reserve(n);
  s_.occupancy.reserve(n); s_.b_factor.reserve(n);
  s_.atom_name.reserve(n); s_.element.reserve(n); s_.altloc.reserve(n);
  s_.charge.reserve(n); s_.serial.reserve(n); s_.atom_residue.reserve(n);
  // About 8 atoms per residue in proteins; water lowers it, so this is a start, not a bound.
  size_t nr = n / 7 + 16;
  s_.res_name.reserve(nr); s_.seq_id.reserve(nr); s_.label_seq_id.reserve(nr);
  s_.ins_code.reserve(nr); s_.het.reserve(nr); s_.ss.reserve(nr);
  s_.res_atom_begin.reserve(nr + 1); s_.res_chain.reserve(nr);
}

void AtomSiteBuilder::add(const AtomSiteRow& r) {
  std::string_view auth = r.auth_asym.empty() ? r.label_asym : r.auth_asym;
  std::string_view label = r.label_asym.empty() ? auth : r.label_asym;
  int32_t auth_seq = r.auth_seq, label_seq = r.label_seq;
  if (auth_seq == kCifNullInt) auth_seq = label_seq == kCifNullInt ? 0 : label_seq;
  if (label_seq == kCifNullInt) label_seq = auth_seq;
  if (r.model != cur_model_) {
    b_.begin_model(r.model);
    cur_model_ = r.model;
    chain_open_ = false;
  }
  if (!chain_open_ || std::string_view(cur_auth_) != auth || std::string_view(cur_label_) != label) {
    cur_auth_.assign(auth);
    cur_label_.assign(label);
    b_.begin_chain(cur_auth_, cur_label_, std::string(r.entity));
    chain_open_ = true;
    res_open_ = false;
  }
  ResName rn{};   // as make_resname, inline: this runs once per atom
  for (size_t i = 0, k = 0; i < r.comp.size() && k < 5; ++i)
    if (r.comp[i] != ' ') rn[k++] = r.comp[i];
  char ins = r.ins.empty() ? ' ' : r.ins[0];
  if (!res_open_ || rn != cur_res_ || auth_seq != cur_seq_ || ins != cur_ins_ || label_seq != cur_label_seq_) {
    b_.begin_residue(rn, auth_seq, label_seq, ins, r.group == "HETATM");
    cur_res_ = rn;
    cur_seq_ = auth_seq;
    cur_ins_ = ins;
    cur_label_seq_ = label_seq;
    res_open_ = true;
  }
  // Not make_name4: it drops quote characters, and nucleotide names carry primes (C1', O5').
  Name4 an{};
  for (size_t i = 0, k = 0; i < r.atom_name.size() && k < 4; ++i)
    if (r.atom_name[i] != ' ') an[k++] = r.atom_name[i];
  uint8_t el = r.symbol.empty() ? element_from_atom_name(an, rn) : element_from_symbol_fast(r.symbol);
  char alt = r.alt.empty() ? ' ' : r.alt[0];
  int charge = std::clamp(r.charge, -128, 127);
  b_.add_atom(an, el, alt, r.x, r.y, r.z, r.occ, r.b, int8_t(charge), r.id);
}

uint8_t element_from_symbol_fast(std::string_view sym) {
  // Table over (first letter, second letter or 0), filled once from element_from_symbol.
  static const std::vector<uint8_t> lut = [] {
    std::vector<uint8_t> t(27 * 27, 0);
    for (int a = 0; a < 26; ++a)
      for (int b = 0; b <= 26; ++b) {
        char s[2] = {char('A' + a), char(b ? 'a' + b - 1 : 0)};
        t[size_t(a * 27 + b)] = element_from_symbol(s, b ? 2 : 1);
      }
    return t;
  }();
  if (sym.empty() || sym.size() > 2) return element_from_symbol(sym.data(), sym.size());
  int a = std::toupper((unsigned char)sym[0]) - 'A';
  int b = sym.size() == 2 ? std::tolower((unsigned char)sym[1]) - 'a' + 1 : 0;
  if (a < 0 || a >= 26 || b < 0 || b > 26) return element_from_symbol(sym.data(), sym.size());
  return lut[size_t(a * 27 + b)];
}

// ---- tables ----

int CifTable::col(std::string_view tag) const {
  for (size_t i = 0; i < tags.size(); ++i)
    if (tags[i] == tag) return int(i);
  return -1;
}

std::string_view CifTable::get(size_t row, int c) const {
  if (c < 0) return {};
  const std::string& v = values[row * tags.size() + size_t(c)];
  if (v == "?" || v == ".") return {};
  return v;
}

bool cif_category_wanted(std::string_view c) {
  return c == "struct_conf" || c == "struct_sheet_range" || c == "entity" ||
         c == "pdbx_struct_assembly" || c == "pdbx_struct_assembly_gen" ||
         c == "pdbx_struct_oper_list" || c == "struct_conn" || c == "ma_qa_metric_local" ||
         c == "ma_qa_metric" || c == "entry";
}

namespace {

const CifTable* find_table(const std::vector<CifTable>& ts, std::string_view name) {
  for (const CifTable& t : ts)
    if (t.name == name) return &t;
  return nullptr;
}

bool parse_int(std::string_view v, int32_t& out) {
  if (v.empty() || v.size() > 11) return false;
  size_t i = 0;
  bool neg = false;
  if (v[0] == '-' || v[0] == '+') { neg = v[0] == '-'; i = 1; }
  if (i == v.size()) return false;
  long long r = 0;
  for (; i < v.size(); ++i) {
    if (v[i] < '0' || v[i] > '9') return false;
    r = r * 10 + (v[i] - '0');
  }
  if (r > INT32_MAX) return false;
  out = int32_t(neg ? -r : r);
  return true;
}

float parse_float(std::string_view v) {
  std::string s(v);
  return std::strtof(s.c_str(), nullptr);
}

// Residue lookup by (chain label, label_seq_id) and (chain auth, auth seq, ins code),
// restricted to one model.
struct ResidueIndex {
  std::map<std::pair<std::string, int32_t>, std::vector<uint32_t>> by_label;
  std::map<std::tuple<std::string, int32_t, char>, std::vector<uint32_t>> by_auth;
  std::map<std::tuple<std::string, int32_t, char>, std::vector<uint32_t>> by_label_auth;  // (label asym, auth seq, ins)
  explicit ResidueIndex(const Structure& s) {
    for (uint32_t r = 0; r < s.residue_count(); ++r) {
      uint32_t c = s.res_chain[r];
      by_label[{s.chain_label[c], s.label_seq_id[r]}].push_back(r);
      by_auth[{s.chain_auth[c], s.seq_id[r], s.ins_code[r]}].push_back(r);
      by_label_auth[{s.chain_label[c], s.seq_id[r], s.ins_code[r]}].push_back(r);
    }
  }
};

// Marks residues of a range [beg, end] with `code`, in every model. Label ids when the
// file gives them (they are unambiguous), auth ids otherwise.
void mark_range(Structure& s, const ResidueIndex& idx, const CifTable& t, size_t row, char code) {
  int32_t beg = 0, end = 0;
  std::string_view asym = t.get(row, t.col("beg_label_asym_id"));
  std::string_view end_asym = t.get(row, t.col("end_label_asym_id"));
  bool label = !asym.empty() && parse_int(t.get(row, t.col("beg_label_seq_id")), beg) &&
               parse_int(t.get(row, t.col("end_label_seq_id")), end) &&
               (end_asym.empty() || end_asym == asym);
  if (label && end - beg < 100000) {
    std::pair<std::string, int32_t> key{std::string(asym), 0};
    for (int32_t n = beg; n <= end; ++n) {
      key.second = n;
      auto it = idx.by_label.find(key);
      if (it == idx.by_label.end()) continue;
      for (uint32_t r : it->second) s.ss[r] = code;
    }
    return;
  }
  asym = t.get(row, t.col("beg_auth_asym_id"));
  if (asym.empty() || !parse_int(t.get(row, t.col("beg_auth_seq_id")), beg) ||
      !parse_int(t.get(row, t.col("end_auth_seq_id")), end))
    return;
  std::string_view bi = t.get(row, t.col("pdbx_beg_pdb_ins_code"));
  std::string_view ei = t.get(row, t.col("pdbx_end_pdb_ins_code"));
  char bins = bi.empty() ? ' ' : bi[0], eins = ei.empty() ? ' ' : ei[0];
  for (uint32_t c = 0; c < s.chain_count(); ++c) {
    if (s.chain_auth[c] != asym) continue;
    bool in = false;
    for (uint32_t r = s.chain_res_begin[c]; r < s.chain_res_begin[c + 1]; ++r) {
      if (s.seq_id[r] == beg && s.ins_code[r] == bins) in = true;
      if (in && !is_water(s.res_name[r])) s.ss[r] = code;
      if (s.seq_id[r] == end && s.ins_code[r] == eins) in = false;
    }
  }
}

// struct_conf types (PDB and mkdssp spellings). STRN is 'E', or 'B' for a one-residue
// range (an isolated bridge, as our writer stores it).
char conf_code(std::string_view type, std::string_view helix_class, bool one_residue) {
  if (type.substr(0, 4) == "TURN") return 'T';
  if (type == "BEND") return 'S';
  if (type == "STRN") return one_residue ? 'B' : 'E';
  if (type.find("HELX_LH_PP") != std::string_view::npos) return 'P';
  if (type.find("3T") != std::string_view::npos) return 'G';
  if (type.find("PI") != std::string_view::npos) return 'I';
  if (type.find("HELX") != std::string_view::npos) {
    if (helix_class == "5") return 'G';
    if (helix_class == "3") return 'I';
    return 'H';
  }
  return 0;
}

void apply_secondary_structure(const std::vector<CifTable>& ts, Structure& s) {
  const CifTable* conf = find_table(ts, "struct_conf");
  const CifTable* sheet = find_table(ts, "struct_sheet_range");
  if (!conf && !sheet) return;
  ResidueIndex idx(s);
  if (conf)
    for (size_t r = 0; r < conf->rows(); ++r) {
      bool one = conf->get(r, conf->col("beg_label_seq_id")) == conf->get(r, conf->col("end_label_seq_id")) &&
                 conf->get(r, conf->col("beg_auth_seq_id")) == conf->get(r, conf->col("end_auth_seq_id"));
      char code = conf_code(conf->get(r, conf->col("conf_type_id")), conf->get(r, conf->col("pdbx_pdb_helix_class")), one);
      if (code) mark_range(s, idx, *conf, r, code);
    }
  if (sheet)
    for (size_t r = 0; r < sheet->rows(); ++r) mark_range(s, idx, *sheet, r, 'E');
  s.has_ss = true;
}

void apply_entities(const std::vector<CifTable>& ts, Structure& s) {
  const CifTable* t = find_table(ts, "entity");
  if (!t) return;
  for (size_t r = 0; r < t->rows(); ++r) {
    Entity e;
    e.id = std::string(t->get(r, t->col("id")));
    e.type = std::string(t->get(r, t->col("type")));
    e.description = std::string(t->get(r, t->col("pdbx_description")));
    s.entities.push_back(std::move(e));
  }
}

using Mat34 = std::array<float, 12>;

Mat34 compose(const Mat34& a, const Mat34& b) {  // a * b (apply b first)
  Mat34 m{};
  for (int i = 0; i < 3; ++i) {
    for (int j = 0; j < 3; ++j)
      m[size_t(i * 4 + j)] = a[size_t(i * 4)] * b[size_t(j)] + a[size_t(i * 4 + 1)] * b[size_t(4 + j)] +
                             a[size_t(i * 4 + 2)] * b[size_t(8 + j)];
    m[size_t(i * 4 + 3)] = a[size_t(i * 4)] * b[3] + a[size_t(i * 4 + 1)] * b[7] + a[size_t(i * 4 + 2)] * b[11] +
                           a[size_t(i * 4 + 3)];
  }
  return m;
}

void apply_assemblies(const std::vector<CifTable>& ts, Structure& s) {
  const CifTable* asm_t = find_table(ts, "pdbx_struct_assembly");
  const CifTable* gen_t = find_table(ts, "pdbx_struct_assembly_gen");
  const CifTable* op_t = find_table(ts, "pdbx_struct_oper_list");
  if (!asm_t || !gen_t || !op_t) return;
  std::map<std::string, Mat34, std::less<>> ops;
  static const char* const kItems[12] = {"matrix[1][1]", "matrix[1][2]", "matrix[1][3]", "vector[1]",
                                         "matrix[2][1]", "matrix[2][2]", "matrix[2][3]", "vector[2]",
                                         "matrix[3][1]", "matrix[3][2]", "matrix[3][3]", "vector[3]"};
  int cols[12];
  for (int k = 0; k < 12; ++k) cols[k] = op_t->col(kItems[k]);
  for (size_t r = 0; r < op_t->rows(); ++r) {
    Mat34 m{};
    for (int k = 0; k < 12; ++k) m[size_t(k)] = parse_float(op_t->get(r, cols[k]));
    ops[std::string(op_t->get(r, op_t->col("id")))] = m;
  }
  for (size_t a = 0; a < asm_t->rows(); ++a) {
    Assembly as;
    as.id = std::string(asm_t->get(a, asm_t->col("id")));
    as.details = std::string(asm_t->get(a, asm_t->col("details")));
    for (size_t g = 0; g < gen_t->rows(); ++g) {
      if (gen_t->get(g, gen_t->col("assembly_id")) != as.id) continue;
      Assembly::Gen gen;
      std::string_view list = gen_t->get(g, gen_t->col("asym_id_list"));
      size_t p = 0;
      while (p <= list.size()) {
        size_t q = list.find(',', p);
        if (q == std::string_view::npos) q = list.size();
        std::string id;
        for (char c : list.substr(p, q - p))
          if (!std::isspace((unsigned char)c)) id += c;
        if (!id.empty()) gen.asym_ids.push_back(id);
        p = q + 1;
      }
      std::vector<std::vector<std::string>> groups;
      if (!parse_oper_expression(gen_t->get(g, gen_t->col("oper_expression")), groups)) continue;
      std::vector<Mat34> prod = {Mat34{1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0}};
      bool ok = true;
      for (const auto& group : groups) {
        std::vector<Mat34> next;
        for (const Mat34& left : prod)
          for (const std::string& id : group) {
            auto it = ops.find(id);
            if (it == ops.end()) { ok = false; break; }
            next.push_back(compose(left, it->second));
          }
        prod.swap(next);
      }
      if (!ok) continue;
      gen.operators = std::move(prod);
      as.gens.push_back(std::move(gen));
    }
    s.assemblies.push_back(std::move(as));
  }
}

void apply_struct_conn(const std::vector<CifTable>& ts, Structure& s) {
  const CifTable* t = find_table(ts, "struct_conn");
  if (!t || s.model_count() == 0) return;
  ResidueIndex idx(s);
  int type = t->col("conn_type_id");
  int order = t->col("pdbx_value_order");
  auto find_atom = [&](size_t row, int k) -> int64_t {
    std::string p = "ptnr" + std::to_string(k) + "_";
    std::string px = "pdbx_ptnr" + std::to_string(k) + "_";
    std::string_view asym = t->get(row, t->col(p + "label_asym_id"));
    std::string_view atom = t->get(row, t->col(p + "label_atom_id"));
    std::string_view alt = t->get(row, t->col(px + "label_alt_id"));
    std::string_view ins = t->get(row, t->col(px + "pdb_ins_code"));
    std::string_view sym = t->get(row, t->col(p + "symmetry"));
    if (!sym.empty() && sym != "1_555") return -1;
    int32_t seq = 0;
    const std::vector<uint32_t>* cands = nullptr;
    if (!asym.empty() && parse_int(t->get(row, t->col(p + "auth_seq_id")), seq)) {
      auto it = idx.by_label_auth.find({std::string(asym), seq, ins.empty() ? ' ' : ins[0]});
      if (it != idx.by_label_auth.end()) cands = &it->second;
    }
    if (!cands && !asym.empty() && parse_int(t->get(row, t->col(p + "label_seq_id")), seq)) {
      auto it = idx.by_label.find({std::string(asym), seq});
      if (it != idx.by_label.end()) cands = &it->second;
    }
    if (!cands) {
      std::string_view auth = t->get(row, t->col(p + "auth_asym_id"));
      if (!auth.empty() && parse_int(t->get(row, t->col(p + "auth_seq_id")), seq)) {
        auto it = idx.by_auth.find({std::string(auth), seq, ins.empty() ? ' ' : ins[0]});
        if (it != idx.by_auth.end()) cands = &it->second;
      }
    }
    if (!cands) return -1;
    Name4 name{};
    for (size_t i = 0, k = 0; i < atom.size() && k < 4; ++i)
      if (atom[i] != ' ') name[k++] = atom[i];
    for (uint32_t r : *cands) {
      if (s.chain_model[s.res_chain[r]] != 0) continue;  // bonds are stated for the first model
      for (uint32_t a = s.res_atom_begin[r]; a < s.res_atom_begin[r + 1]; ++a)
        if (s.atom_name[a] == name && (alt.empty() || s.altloc[a] == alt[0] || s.altloc[a] == ' ')) return a;
    }
    return -1;
  };
  for (size_t r = 0; r < t->rows(); ++r) {
    std::string_view ty = t->get(r, type);
    if (!(ty.substr(0, 6) == "covale" || ty == "disulf" || ty == "metalc")) continue;
    int64_t a = find_atom(r, 1), b = find_atom(r, 2);
    if (a < 0 || b < 0 || a == b) continue;
    std::string_view o = t->get(r, order);
    BondOrder bo = BondOrder::Single;
    if (o == "doub") bo = BondOrder::Double;
    else if (o == "trip") bo = BondOrder::Triple;
    else if (o == "arom") bo = BondOrder::Aromatic;
    s.file_bonds.push_back({uint32_t(a), uint32_t(b), bo});
  }
}

void apply_plddt(const std::vector<CifTable>& ts, Structure& s) {
  const CifTable* t = find_table(ts, "ma_qa_metric_local");
  if (!t) return;
  // Which metric ids are pLDDT (ma_qa_metric); without that table take every local metric.
  std::vector<std::string> plddt_ids;
  if (const CifTable* m = find_table(ts, "ma_qa_metric"))
    for (size_t r = 0; r < m->rows(); ++r) {
      std::string_view ty = m->get(r, m->col("type")), name = m->get(r, m->col("name"));
      std::string_view mode = m->get(r, m->col("mode"));
      if ((ty == "pLDDT" || name.find("pLDDT") != std::string_view::npos) && (mode.empty() || mode == "local"))
        plddt_ids.emplace_back(m->get(r, m->col("id")));
    }
  std::map<std::pair<std::string, int32_t>, float> values;
  int asym = t->col("label_asym_id"), seq = t->col("label_seq_id"), metric = t->col("metric_id"),
      value = t->col("metric_value");
  for (size_t r = 0; r < t->rows(); ++r) {
    if (!plddt_ids.empty() &&
        std::find(plddt_ids.begin(), plddt_ids.end(), t->get(r, metric)) == plddt_ids.end())
      continue;
    int32_t n = 0;
    if (!parse_int(t->get(r, seq), n)) continue;
    std::string_view v = t->get(r, value);
    if (v.empty()) continue;
    values[{std::string(t->get(r, asym)), n}] = parse_float(v);
  }
  if (values.empty()) return;
  s.res_confidence.assign(s.residue_count(), 0.f);
  for (uint32_t r = 0; r < s.residue_count(); ++r) {
    auto it = values.find({s.chain_label[s.res_chain[r]], s.label_seq_id[r]});
    if (it != values.end()) s.res_confidence[r] = it->second;
  }
}

}  // namespace

bool parse_oper_expression(std::string_view e, std::vector<std::vector<std::string>>& groups) {
  groups.clear();
  std::string_view rest = e;
  auto parse_list = [&](std::string_view list) -> bool {
    std::vector<std::string> ids;
    size_t p = 0;
    while (p <= list.size()) {
      size_t q = list.find(',', p);
      if (q == std::string_view::npos) q = list.size();
      std::string item;
      for (char c : list.substr(p, q - p))
        if (!std::isspace((unsigned char)c)) item += c;
      p = q + 1;
      if (item.empty()) return false;
      size_t dash = item.find('-', 1);
      int32_t a = 0, b = 0;
      if (dash != std::string::npos && parse_int(std::string_view(item).substr(0, dash), a) &&
          parse_int(std::string_view(item).substr(dash + 1), b)) {
        if (b < a || b - a > 100000) return false;
        for (int32_t k = a; k <= b; ++k) ids.push_back(std::to_string(k));
      } else {
        ids.push_back(item);
      }
    }
    if (ids.empty()) return false;
    groups.push_back(std::move(ids));
    return true;
  };
  if (rest.empty()) return false;
  if (rest.find('(') == std::string_view::npos) return parse_list(rest);
  while (!rest.empty()) {
    if (std::isspace((unsigned char)rest[0])) { rest.remove_prefix(1); continue; }
    if (rest[0] != '(') return false;
    size_t close = rest.find(')');
    if (close == std::string_view::npos) return false;
    if (!parse_list(rest.substr(1, close - 1))) return false;
    rest.remove_prefix(close + 1);
  }
  return !groups.empty();
}

void apply_cif_categories(const std::vector<CifTable>& ts, Structure& s) {
  if (const CifTable* e = find_table(ts, "entry"))
    if (e->rows() && s.name.empty()) s.name = std::string(e->get(0, e->col("id")));
  apply_secondary_structure(ts, s);
  apply_entities(ts, s);
  apply_assemblies(ts, s);
  apply_struct_conn(ts, s);
  apply_plddt(ts, s);
}

}  // namespace foldsight
