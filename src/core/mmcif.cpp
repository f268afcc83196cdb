// mmCIF reader, first version: tokenizes the whole text (quoted strings, ';' text fields,
// comments) and reads the _atom_site loop into the data model. Other categories
// (struct_conf, struct_sheet_range, entity, struct_conn, ma_qa_metric_local) are not read yet.
#include <cctype>
#include <climits>
#include <cstdlib>
#include <cstring>
#include <string>
#include "io.h"

namespace foldsight {
namespace {

struct Token { std::string_view text; int line; bool quoted; };

struct Tokenizer {
  std::string_view s;
  size_t p = 0;
  int line = 1;
  bool error = false;
  std::string message;

  // Returns false at end of input or on error.
  bool next(Token& t) {
    for (;;) {
      while (p < s.size() && (s[p] == ' ' || s[p] == '\t' || s[p] == '\r' || s[p] == '\n')) {
        if (s[p] == '\n') ++line;
        ++p;
      }
      if (p >= s.size()) return false;
      if (s[p] == '#') {
        while (p < s.size() && s[p] != '\n') ++p;
        continue;
      }
      break;
    }
    bool line_start = p == 0 || s[p - 1] == '\n';
    if (s[p] == ';' && line_start) {
      int start_line = line;
      size_t b = p + 1;
      size_t e = s.find("\n;", b);
      if (e == std::string_view::npos) {
        error = true;
        line = start_line;
        message = "unterminated ';' text field";
        return false;
      }
      for (size_t i = p; i < e + 1; ++i) if (s[i] == '\n') ++line;
      t = {s.substr(b, e - b), start_line, true};
      p = e + 2;
      return true;
    }
    if (s[p] == '\'' || s[p] == '"') {
      char q = s[p];
      size_t b = p + 1, i = b;
      // A quote closes only when followed by whitespace or end of input.
      while (i < s.size() && s[i] != '\n' &&
             !(s[i] == q && (i + 1 == s.size() || s[i + 1] == ' ' || s[i + 1] == '\t' ||
                             s[i + 1] == '\n' || s[i + 1] == '\r')))
        ++i;
      if (i >= s.size() || s[i] != q) {
        error = true;
        message = "unterminated quoted string";
        return false;
      }
      t = {s.substr(b, i - b), line, true};
      p = i + 1;
      return true;
    }
    size_t b = p;
    while (p < s.size() && s[p] != ' ' && s[p] != '\t' && s[p] != '\n' && s[p] != '\r') ++p;
    t = {s.substr(b, p - b), line, false};
    return true;
  }
};

bool starts_with_ci(std::string_view a, std::string_view prefix) {
  if (a.size() < prefix.size()) return false;
  for (size_t i = 0; i < prefix.size(); ++i)
    if (std::tolower((unsigned char)a[i]) != std::tolower((unsigned char)prefix[i])) return false;
  return true;
}

bool is_null(std::string_view v, bool quoted) { return !quoted && (v == "?" || v == "."); }

bool to_float(std::string_view v, float& out) {
  char buf[64];
  if (v.empty() || v.size() >= sizeof buf) return false;
  std::memcpy(buf, v.data(), v.size());
  buf[v.size()] = 0;
  char* end = nullptr;
  out = std::strtof(buf, &end);
  // Tolerate standard-uncertainty suffixes like 1.23(4).
  return end != buf && (*end == 0 || *end == '(');
}

bool to_int(std::string_view v, int& out) {
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
  if (r > 2147483647LL) return false;
  out = int(neg ? -r : r);
  return true;
}

enum Col {
  kGroup, kId, kSymbol, kAtomId, kAltId, kCompId, kLabelAsym, kEntity, kLabelSeq, kIns,
  kX, kY, kZ, kOcc, kB, kCharge, kAuthSeq, kAuthComp, kAuthAsym, kAuthAtom, kModel, kColCount
};
const char* const kColNames[kColCount] = {
  "group_pdb", "id", "type_symbol", "label_atom_id", "label_alt_id", "label_comp_id",
  "label_asym_id", "label_entity_id", "label_seq_id", "pdbx_pdb_ins_code", "cartn_x",
  "cartn_y", "cartn_z", "occupancy", "b_iso_or_equiv", "pdbx_formal_charge", "auth_seq_id",
  "auth_comp_id", "auth_asym_id", "auth_atom_id", "pdbx_pdb_model_num"};

}  // namespace

bool read_mmcif(std::string_view text, Structure& out, ParseError* err) {
  out = Structure();
  StructureBuilder b(out);
  Tokenizer tk;
  tk.s = text;
  Token t;
  auto fail = [&](int line, std::string msg) {
    if (err) *err = {line, std::move(msg)};
    return false;
  };
  bool in_loop_header = false;
  bool seen_atoms = false;
  std::vector<Token> row;
  while (tk.next(t)) {
    if (t.quoted) continue;
    if (starts_with_ci(t.text, "data_") && out.name.empty()) {
      out.name = std::string(t.text.substr(5));
      continue;
    }
    if (!(t.text.size() == 5 && starts_with_ci(t.text, "loop_"))) { in_loop_header = false; continue; }
    // Read the loop header.
    std::vector<std::string_view> tags;
    Token first_value{};
    bool have_value = false;
    while (tk.next(t)) {
      if (!t.quoted && !t.text.empty() && t.text[0] == '_') { tags.push_back(t.text); continue; }
      first_value = t;
      have_value = true;
      break;
    }
    (void)in_loop_header;
    bool atom_site = !tags.empty() && starts_with_ci(tags[0], "_atom_site.");
    if (!have_value) break;
    if (!atom_site) {
      // Skip the values of this loop: stop at the next keyword or tag.
      Token v = first_value;
      for (;;) {
        if (!v.quoted && (starts_with_ci(v.text, "loop_") || starts_with_ci(v.text, "data_") ||
                          (!v.text.empty() && v.text[0] == '_'))) {
          // Re-dispatch: crude but correct for loop_ (which is all we look for).
          if (starts_with_ci(v.text, "loop_")) { tk.p -= v.text.size(); }
          break;
        }
        if (!tk.next(v)) break;
      }
      continue;
    }
    if (seen_atoms) return fail(t.line, "second _atom_site loop");
    seen_atoms = true;
    int col[kColCount];
    for (int& c : col) c = -1;
    for (size_t i = 0; i < tags.size(); ++i) {
      std::string_view name = tags[i].substr(11);
      for (int c = 0; c < kColCount; ++c)
        if (name.size() == std::strlen(kColNames[c]) && starts_with_ci(name, kColNames[c])) col[c] = int(i);
    }
    if (col[kX] < 0 || col[kY] < 0 || col[kZ] < 0)
      return fail(first_value.line, "_atom_site loop lacks Cartn_x/y/z");
    row.assign(tags.size(), Token{});
    Token v = first_value;
    bool have = true;
    int cur_model = INT32_MIN;
    std::string cur_auth, cur_label, cur_entity;
    bool chain_open = false;
    ResName cur_res{};
    int cur_seq = INT32_MIN, cur_label_seq = INT32_MIN;
    char cur_ins = 0;
    bool res_open = false;
    while (have) {
      if (!v.quoted && (starts_with_ci(v.text, "loop_") || starts_with_ci(v.text, "data_") ||
                        (!v.text.empty() && v.text[0] == '_'))) {
        if (starts_with_ci(v.text, "loop_")) tk.p -= v.text.size();
        break;
      }
      row[0] = v;
      for (size_t i = 1; i < tags.size(); ++i) {
        if (!tk.next(row[i])) return fail(tk.error ? tk.line : v.line, tk.error ? tk.message : "truncated _atom_site row");
      }
      int line = row[0].line;
      auto get = [&](int c) -> std::string_view {
        if (c < 0 || is_null(row[size_t(c)].text, row[size_t(c)].quoted)) return {};
        return row[size_t(c)].text;
      };
      float x, y, z, occ = 1.f, bf = 0.f;
      if (!to_float(get(col[kX]), x) || !to_float(get(col[kY]), y) || !to_float(get(col[kZ]), z))
        return fail(line, "bad coordinate in _atom_site");
      if (!get(col[kOcc]).empty() && !to_float(get(col[kOcc]), occ)) return fail(line, "bad occupancy");
      if (!get(col[kB]).empty() && !to_float(get(col[kB]), bf)) return fail(line, "bad B-factor");
      int model = 1;
      if (!get(col[kModel]).empty() && !to_int(get(col[kModel]), model)) return fail(line, "bad model number");
      std::string_view label_asym = get(col[kLabelAsym]);
      std::string_view auth_asym = get(col[kAuthAsym]);
      if (auth_asym.empty()) auth_asym = label_asym;
      if (label_asym.empty()) label_asym = auth_asym;
      std::string_view entity = get(col[kEntity]);
      std::string_view comp = get(col[kAuthComp]);
      if (comp.empty()) comp = get(col[kCompId]);
      int label_seq = INT32_MIN, auth_seq = INT32_MIN;
      if (!get(col[kLabelSeq]).empty() && !to_int(get(col[kLabelSeq]), label_seq)) return fail(line, "bad label_seq_id");
      if (!get(col[kAuthSeq]).empty() && !to_int(get(col[kAuthSeq]), auth_seq)) return fail(line, "bad auth_seq_id");
      if (auth_seq == INT32_MIN) auth_seq = label_seq == INT32_MIN ? 0 : label_seq;
      if (label_seq == INT32_MIN) label_seq = auth_seq;
      std::string_view ins_s = get(col[kIns]);
      char ins = ins_s.empty() ? ' ' : ins_s[0];
      bool het = get(col[kGroup]) == "HETATM";
      std::string_view atom = get(col[kAuthAtom]);
      if (atom.empty()) atom = get(col[kAtomId]);
      std::string_view alt_s = get(col[kAltId]);
      char alt = alt_s.empty() ? ' ' : alt_s[0];
      int charge = 0;
      if (!get(col[kCharge]).empty() && !to_int(get(col[kCharge]), charge)) return fail(line, "bad formal charge");
      int serial = 0;
      if (!get(col[kId]).empty()) to_int(get(col[kId]), serial);

      if (model != cur_model) {
        b.begin_model(model);
        cur_model = model;
        chain_open = false;
      }
      if (!chain_open || label_asym != cur_label || auth_asym != cur_auth) {
        cur_label.assign(label_asym);
        cur_auth.assign(auth_asym);
        cur_entity.assign(entity);
        b.begin_chain(cur_auth, cur_label, cur_entity);
        chain_open = true;
        res_open = false;
      }
      ResName rn = make_resname(comp.data(), comp.size());
      if (!res_open || rn != cur_res || auth_seq != cur_seq || ins != cur_ins || label_seq != cur_label_seq) {
        b.begin_residue(rn, auth_seq, label_seq, ins, het);
        cur_res = rn; cur_seq = auth_seq; cur_ins = ins; cur_label_seq = label_seq;
        res_open = true;
      }
      Name4 an = make_name4(atom.data(), atom.size());
      std::string_view sym = get(col[kSymbol]);
      uint8_t el = sym.empty() ? element_from_atom_name(an, rn) : element_from_symbol(sym.data(), sym.size());
      b.add_atom(an, el, alt, x, y, z, occ, bf, int8_t(charge), serial);
      have = tk.next(v);
    }
    if (tk.error) return fail(tk.line, tk.message);
  }
  if (tk.error) return fail(tk.line, tk.message);
  if (!seen_atoms) return fail(tk.line, "no _atom_site loop found");
  b.finish();
  return true;
}

}  // namespace foldsight
