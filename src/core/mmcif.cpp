// mmCIF reader. One pass over a streaming tokenizer (cif_tokenizer.h): the _atom_site loop
// goes straight into the Structure through AtomSiteBuilder (column indices looked up once
// per loop, numbers parsed in place without allocation); the few small categories we use
// are kept as CifTables and applied at the end (cif_model.cpp). Only the first data block
// is read, as gemmi does.
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <string>
#include "cif_model.h"
#include "cif_tokenizer.h"
#include "io.h"

namespace foldsight {
namespace {

bool iequals(std::string_view a, std::string_view b) {
  if (a.size() != b.size()) return false;
  for (size_t i = 0; i < a.size(); ++i)
    if (std::tolower((unsigned char)a[i]) != std::tolower((unsigned char)b[i])) return false;
  return true;
}

bool istarts(std::string_view a, std::string_view prefix) {
  return a.size() >= prefix.size() && iequals(a.substr(0, prefix.size()), prefix);
}

std::string lower(std::string_view v) {
  std::string r(v);
  for (char& c : r) c = char(std::tolower((unsigned char)c));
  return r;
}

enum class Kw { None, Loop, Data, Save, Global, Stop };

// Reserved words are recognised only unquoted; "_x" tags likewise.
Kw keyword(std::string_view v, bool quoted) {
  if (quoted || v.size() < 5) return Kw::None;
  char c = char(v[0] | 0x20);
  if (c == 'l' && v.size() == 5 && istarts(v, "loop_")) return Kw::Loop;
  if (c == 'd' && istarts(v, "data_")) return Kw::Data;
  if (c == 's' && istarts(v, "save_")) return Kw::Save;
  if (c == 'g' && v.size() == 7 && istarts(v, "global_")) return Kw::Global;
  if (c == 's' && v.size() == 5 && istarts(v, "stop_")) return Kw::Stop;
  return Kw::None;
}

bool is_tag(std::string_view v, bool quoted) { return !quoted && !v.empty() && v[0] == '_'; }


const double kPow10[] = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10,
                         1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18};

// Decimal number as written in mmCIF ("-12.345", "1.5e-3", "0.25(4)"); false on junk.
// Up to 18 significant digits the mantissa is exact and one division rounds correctly;
// longer numbers go through strtod.
#if defined(__GNUC__)
__attribute__((always_inline))
#endif
inline bool parse_float(std::string_view v, float& out) {
  const char* p = v.data();
  const char* e = p + v.size();
  if (p == e) return false;
  bool neg = false;
  if (*p == '-' || *p == '+') { neg = *p == '-'; ++p; }
  uint64_t mant = 0;
  const char* d0 = p;
  for (; p < e && unsigned(*p - '0') < 10; ++p) mant = mant * 10 + unsigned(*p - '0');
  long digits = p - d0, frac = 0;
  if (p < e && *p == '.') {
    const char* f0 = ++p;
    for (; p < e && unsigned(*p - '0') < 10; ++p) mant = mant * 10 + unsigned(*p - '0');
    frac = p - f0;
    digits += frac;
  }
  if (digits == 0) return false;
  int exp10 = -int(frac);
  if (p < e && (*p == 'e' || *p == 'E')) {
    ++p;
    bool eneg = false;
    if (p < e && (*p == '-' || *p == '+')) { eneg = *p == '-'; ++p; }
    if (p == e || unsigned(*p - '0') >= 10) return false;
    int x = 0;
    for (; p < e && unsigned(*p - '0') < 10; ++p) x = x < 10000 ? x * 10 + (*p - '0') : x;
    exp10 += eneg ? -x : x;
  }
  if (p < e && *p != '(') return false;  // standard uncertainty "(4)" is allowed and ignored
  double d;
  if (digits > 18) {
    std::string s(v.substr(0, size_t(p - v.data())));
    d = std::fabs(std::strtod(s.c_str(), nullptr));
  } else {
    d = double(mant);
    if (exp10 < 0) d = exp10 >= -18 ? d / kPow10[-exp10] : d * std::pow(10.0, exp10);
    else if (exp10 > 0) d = exp10 <= 18 ? d * kPow10[exp10] : d * std::pow(10.0, exp10);
  }
  out = float(neg ? -d : d);
  return std::isfinite(out);
}

#if defined(__GNUC__)
__attribute__((always_inline))
#endif
inline bool parse_int(std::string_view v, int32_t& out) {
  const char* p = v.data();
  const char* e = p + v.size();
  if (p == e) return false;
  bool neg = false;
  if (*p == '-' || *p == '+') { neg = *p == '-'; ++p; }
  if (p == e || e - p > 10) return false;
  int64_t r = 0;
  for (; p < e; ++p) {
    unsigned d = unsigned(*p - '0');
    if (d >= 10) return false;
    r = r * 10 + d;
  }
  if (r > INT32_MAX) return false;
  out = int32_t(neg ? -r : r);
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

class Parser {
 public:
  Parser(CifTokenizer& tk, size_t size_hint, Structure& out) : tk_(tk), size_hint_(size_hint), s_(out), atoms_(out) {}

  bool run(ParseError* err) {
    CifToken t;
    bool in_block = false;
    while (take(t)) {
      std::string_view v = tk_.view(t);
      Kw kw = keyword(v, t.quoted);
      if (kw == Kw::Data) {
        if (in_block) break;  // only the first data block
        in_block = true;
        s_.name = std::string(v.substr(5));
        continue;
      }
      if (!in_block) return fail(err, t.line, "expected a data_ block header");
      if (kw == Kw::Loop) {
        if (!loop(t.line, err)) return false;
        continue;
      }
      if (is_tag(v, t.quoted)) {
        if (!pair(t, err)) return false;
        continue;
      }
      if (kw == Kw::Save || kw == Kw::Global || kw == Kw::Stop) continue;
      return fail(err, t.line, "unexpected value '" + std::string(v.substr(0, 40)) + "' outside a loop");
    }
    if (!tk_.error.empty()) return fail(err, tk_.error_line, tk_.error);
    if (!seen_atoms_) return fail(err, tk_.line, "no _atom_site loop found");
    atoms_.finish();
    apply_cif_categories(tables_, s_);
    return true;
  }

 private:
  CifTokenizer& tk_;
  size_t size_hint_;
  Structure& s_;
  AtomSiteBuilder atoms_;
  std::vector<CifTable> tables_;
  bool seen_atoms_ = false;
  CifToken pending_;
  bool have_pending_ = false;

  bool take(CifToken& t) {
    if (have_pending_) { t = pending_; have_pending_ = false; return true; }
    return tk_.next(t);
  }
  void push_back(const CifToken& t) { pending_ = t; have_pending_ = true; }

  static bool fail(ParseError* err, int line, std::string msg) {
    if (err) *err = {line, std::move(msg)};
    return false;
  }
  bool read_error(ParseError* err, int line, const char* what) {
    if (!tk_.error.empty()) return fail(err, tk_.error_line, tk_.error);
    return fail(err, line, what);
  }

  static std::string_view category_of(std::string_view tag, std::string_view& item) {
    size_t dot = tag.find('.');
    if (dot == std::string_view::npos) { item = {}; return tag.substr(1); }
    item = tag.substr(dot + 1);
    return tag.substr(1, dot - 1);
  }

  CifTable& table(const std::string& name) {
    for (CifTable& t : tables_)
      if (t.name == name) return t;
    tables_.push_back(CifTable{name, {}, {}});
    return tables_.back();
  }

  // "_category.item value" outside a loop: a one-row category.
  bool pair(const CifToken& tag_tok, ParseError* err) {
    std::string_view tag = tk_.view(tag_tok);
    std::string_view item;
    std::string cat = lower(category_of(tag, item));
    std::string item_l = lower(item);
    CifToken v;
    if (!take(v)) return read_error(err, tag_tok.line, "tag without a value at end of input");
    std::string_view val = tk_.view(v);
    if (!v.quoted && (keyword(val, false) != Kw::None || is_tag(val, false)))
      return fail(err, v.line, "tag " + std::string(tag.substr(0, 60)) + " has no value");
    if (!cif_category_wanted(cat)) return true;
    CifTable& t = table(cat);
    if (t.rows() > 1) return true;  // a loop already gave this category
    t.tags.push_back(item_l);
    t.values.emplace_back(val);
    return true;
  }

  bool loop(int loop_line, ParseError* err) {
    std::vector<std::string> tags;
    std::string cat;
    CifToken t;
    bool have_value = false;
    while (take(t)) {
      std::string_view v = tk_.view(t);
      if (!is_tag(v, t.quoted)) { have_value = true; break; }
      std::string_view item;
      std::string c = lower(category_of(v, item));
      if (tags.empty()) cat = c;
      else if (c != cat) return fail(err, t.line, "loop mixes categories _" + cat + " and _" + c);
      tags.push_back(lower(item));
    }
    if (tags.empty()) return read_error(err, loop_line, "loop_ without tags");
    if (!have_value) {
      if (!tk_.error.empty()) return fail(err, tk_.error_line, tk_.error);
      return true;  // loop with no rows at end of input
    }
    if (keyword(tk_.view(t), t.quoted) != Kw::None) {  // empty loop
      push_back(t);
      return true;
    }
    if (cat == "atom_site") return atom_site(tags, t, err);
    bool keep = cif_category_wanted(cat);
    CifTable* tab = nullptr;
    if (keep) {
      tab = &table(cat);
      tab->tags = tags;
      tab->values.clear();
    }
    size_t n = 0;
    int first_line = t.line;
    for (;;) {
      if (tab) tab->values.emplace_back(tk_.view(t));
      ++n;
      if (!take(t)) break;
      std::string_view v = tk_.view(t);
      if (!t.quoted && (is_tag(v, false) || keyword(v, false) != Kw::None)) {
        push_back(t);
        break;
      }
    }
    if (!tk_.error.empty()) return fail(err, tk_.error_line, tk_.error);
    if (n % tags.size() != 0)
      return fail(err, first_line, "loop _" + cat + " has " + std::to_string(n) + " values, not a multiple of its " +
                                       std::to_string(tags.size()) + " tags");
    return true;
  }

  bool atom_site(const std::vector<std::string>& tags, CifToken first, ParseError* err) {
    if (seen_atoms_) return fail(err, first.line, "second _atom_site loop");
    seen_atoms_ = true;
    int col[kColCount];
    for (int& c : col) c = -1;
    for (size_t i = 0; i < tags.size(); ++i)
      for (int c = 0; c < kColCount; ++c)
        if (tags[i] == kColNames[c]) col[c] = int(i);
    if (col[kX] < 0 || col[kY] < 0 || col[kZ] < 0)
      return fail(err, first.line, "_atom_site loop lacks Cartn_x/y/z");
    // Prefer auth names (what gemmi shows), fall back to label ones.
    int name_col = col[kAuthAtom] >= 0 ? col[kAuthAtom] : col[kAtomId];
    int comp_col = col[kAuthComp] >= 0 ? col[kAuthComp] : col[kCompId];
    const size_t ncol = tags.size();
    std::vector<CifToken> row(ncol);
    size_t loop_start = first.pos;
    size_t rows = 0;
    bool reserved = false;
    CifToken t = first;
    AtomSiteRow a;
    int bad_line = 0;
    AtomSiteCols cols;
    std::copy(col, col + kColCount, cols.col);
    cols.name = name_col;
    cols.comp = comp_col;
    val_.resize(ncol);
    bool fast = false;             // row[] already holds this row (simple_row)
    for (;;) {
      if (!fast) {
        tk_.keep = t.pos;
        row[0] = t;
        for (size_t i = 1; i < ncol; ++i)
          if (!tk_.next(row[i])) {
            tk_.keep = SIZE_MAX;
            return read_error(err, row[0].line, "truncated _atom_site row (fewer values than tags)");
          }
      }
      fast = false;
      if (const char* what = (this->*convert_)(row.data(), ncol, cols, a, bad_line)) {
        tk_.keep = SIZE_MAX;
        return fail(err, bad_line, what);
      }
      ++rows;
      if (!reserved && rows == 512) {
        // Reserve the atom arrays once from the bytes one row takes: growth by doubling
        // would hold old and new arrays at once and overshoot by up to 2x.
        size_t used = tk_.absolute_pos() - loop_start;
        if (size_hint_ > loop_start && used > 0) {
          double per_row = double(used) / double(rows);
          size_t est = size_t(double(size_hint_ - loop_start) / per_row * 1.02) + 64;
          atoms_.reserve_atoms(est);
        }
        reserved = true;
      }
      tk_.keep = SIZE_MAX;
      // Next row: one line of plain values in the common case, token by token otherwise.
      if ((tk_.*simple_row_)(row.data(), ncol)) {
        std::string_view fv = tk_.view(row[0]);
        if (is_tag(fv, false) || keyword(fv, false) != Kw::None) {
          tk_.rewind_to(row[0].pos);
          break;
        }
        fast = true;
        continue;
      }
      if (!tk_.error.empty()) break;
      if (!tk_.next(t)) break;
      std::string_view fv = tk_.view(t);
      if (!t.quoted && (is_tag(fv, false) || keyword(fv, false) != Kw::None)) {
        push_back(t);
        break;
      }
    }
    if (!tk_.error.empty()) return fail(err, tk_.error_line, tk_.error);
    return true;
  }

  struct AtomSiteCols { int col[kColCount]; int name, comp; };
  // Called through pointers so that wasm-opt cannot inline them into the row loop: V8
  // optimizes a wasm function when it is called, never inside a running loop, so the
  // per-row work must stay in functions of their own to get optimized code under Node.
  const char* (Parser::*convert_)(const CifToken*, size_t, const AtomSiteCols&, AtomSiteRow&, int&) =
      &Parser::convert_row;
  bool (CifTokenizer::*simple_row_)(CifToken*, size_t) = &CifTokenizer::simple_row;
  std::vector<std::string_view> val_;

  // One _atom_site row from its tokens into `a`; the error text (and bad_line) on bad
  // values. Kept out of line: V8 optimizes a wasm function when it is called, not inside
  // a running loop, so the per-row work must be a function of its own to get fast code.
#if defined(__GNUC__)
  __attribute__((noinline))
#endif
  const char* convert_row(const CifToken* row, size_t ncol, const AtomSiteCols& c, AtomSiteRow& a, int& bad_line) {
    std::string_view* val = val_.data();
    for (size_t i = 0; i < ncol; ++i) {
      std::string_view v = tk_.view(row[i]);
      if (!row[i].quoted) {
        char c0 = v[0];
        if (v.size() == 1 && (c0 == '?' || c0 == '.')) v = {};
        // A tag or reserved word where a value belongs: the row is short of values.
        else if (i > 0 && (c0 == '_' || (v.size() >= 5 && ((c0 | 0x20) == 'l' || (c0 | 0x20) == 'd' ||
                                                         (c0 | 0x20) == 's' || (c0 | 0x20) == 'g') &&
                                          keyword(v, false) != Kw::None))) {
          bad_line = row[i].line;
          return "truncated _atom_site row (fewer values than tags)";
        }
      }
      val[i] = v;
    }
    bad_line = row[0].line;
    auto get = [&](int k) -> std::string_view { return k < 0 ? std::string_view() : val[size_t(k)]; };
    a.group = get(c.col[kGroup]);
    a.symbol = get(c.col[kSymbol]);
    a.atom_name = get(c.name);
    a.alt = get(c.col[kAltId]);
    a.comp = get(c.comp);
    a.label_asym = get(c.col[kLabelAsym]);
    a.entity = get(c.col[kEntity]);
    a.ins = get(c.col[kIns]);
    a.auth_asym = get(c.col[kAuthAsym]);
    if (!parse_float(val[size_t(c.col[kX])], a.x) || !parse_float(val[size_t(c.col[kY])], a.y) ||
        !parse_float(val[size_t(c.col[kZ])], a.z))
      return "bad coordinate in _atom_site";
    a.occ = 1.f;
    a.b = 0.f;
    std::string_view v;
    if (!(v = get(c.col[kOcc])).empty() && !parse_float(v, a.occ)) return "bad occupancy in _atom_site";
    if (!(v = get(c.col[kB])).empty() && !parse_float(v, a.b)) return "bad B_iso_or_equiv in _atom_site";
    a.model = 1;
    if (!(v = get(c.col[kModel])).empty() && !parse_int(v, a.model)) return "bad pdbx_PDB_model_num in _atom_site";
    a.label_seq = a.auth_seq = kCifNullInt;
    if (!(v = get(c.col[kLabelSeq])).empty() && !parse_int(v, a.label_seq)) return "bad label_seq_id in _atom_site";
    if (!(v = get(c.col[kAuthSeq])).empty() && !parse_int(v, a.auth_seq)) return "bad auth_seq_id in _atom_site";
    a.charge = 0;
    if (!(v = get(c.col[kCharge])).empty() && !parse_int(v, a.charge)) return "bad pdbx_formal_charge in _atom_site";
    a.id = 0;
    if (!(v = get(c.col[kId])).empty()) parse_int(v, a.id);
    atoms_.add(a);
    return nullptr;
  }
};

}  // namespace

bool read_mmcif(std::string_view text, Structure& out, ParseError* err) {
  out = Structure();
  CifTokenizer tk(text);
  Parser p(tk, text.size(), out);
  return p.run(err);
}

bool read_mmcif_stream(const std::function<long(char*, size_t)>& read, size_t size_hint, Structure& out,
                       ParseError* err) {
  out = Structure();
  CifTokenizer tk(read, size_t(1) << 20);
  Parser p(tk, size_hint, out);
  return p.run(err);
}

}  // namespace foldsight
