#include "selection.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdlib>
#include <cstring>
#include "spatial_grid.h"

namespace foldsight {

namespace {

using Kind = Selection::Kind;

std::string lower(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = char(std::tolower(static_cast<unsigned char>(c)));
  return r;
}

std::string upper(std::string_view s) {
  std::string r(s);
  for (char& c : r) c = char(std::toupper(static_cast<unsigned char>(c)));
  return r;
}

// ---------------------------------------------------------------- tokens

enum class Tok : uint8_t { Word, LParen, RParen, Compare, Not, And, Or, End };

struct Token {
  Tok kind;
  size_t pos;
  std::string_view text;
};

bool is_word_char(char c) {
  return !std::isspace(static_cast<unsigned char>(c)) && c != '(' && c != ')' && c != '<' && c != '>' &&
         c != '=' && c != '!' && c != '&' && c != '|';
}

std::vector<Token> tokenize(std::string_view e) {
  std::vector<Token> out;
  size_t i = 0;
  while (i < e.size()) {
    const char c = e[i];
    if (std::isspace(static_cast<unsigned char>(c))) {
      ++i;
    } else if (c == '(' || c == ')') {
      out.push_back({c == '(' ? Tok::LParen : Tok::RParen, i, e.substr(i, 1)});
      ++i;
    } else if (c == '<' || c == '>' || c == '=' || (c == '!' && i + 1 < e.size() && e[i + 1] == '=')) {
      const size_t n = (i + 1 < e.size() && e[i + 1] == '=') ? 2 : 1;
      out.push_back({Tok::Compare, i, e.substr(i, n)});
      i += n;
    } else if (c == '!' || c == '&' || c == '|') {
      out.push_back({c == '!' ? Tok::Not : c == '&' ? Tok::And : Tok::Or, i, e.substr(i, 1)});
      ++i;
    } else {
      size_t j = i;
      while (j < e.size() && is_word_char(e[j])) ++j;
      out.push_back({Tok::Word, i, e.substr(i, j - i)});
      i = j;
    }
  }
  out.push_back({Tok::End, e.size(), {}});
  return out;
}

// ---------------------------------------------------------------- keywords

struct Keyword {
  const char* name;
  Kind kind;
};
const Keyword kFlags[] = {
    {"all", Kind::All},         {"none", Kind::None},           {"protein", Kind::Protein},
    {"nucleic", Kind::Nucleic}, {"polymer", Kind::Polymer},     {"ligand", Kind::Ligand},
    {"water", Kind::Water},     {"solvent", Kind::Water},       {"waters", Kind::Water},
    {"hydrogen", Kind::Hydrogen}, {"hydrogens", Kind::Hydrogen}, {"backbone", Kind::Backbone},
    {"sidechain", Kind::Sidechain}, {"hetatm", Kind::Hetatm},
};
const Keyword kProperties[] = {
    {"chain", Kind::Chain}, {"resi", Kind::Resi},     {"resid", Kind::Resi},    {"resn", Kind::Resn},
    {"resname", Kind::Resn}, {"name", Kind::Name},    {"elem", Kind::Elem},     {"element", Kind::Elem},
    {"model", Kind::Model}, {"altloc", Kind::Altloc}, {"alt", Kind::Altloc},
};
const char* const kOtherWords[] = {"within", "of", "byres", "not", "and", "or", "b", "q"};

size_t edit_distance(const std::string& a, const std::string& b) {
  std::vector<size_t> prev(b.size() + 1), cur(b.size() + 1);
  for (size_t j = 0; j <= b.size(); ++j) prev[j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    cur[0] = i;
    for (size_t j = 1; j <= b.size(); ++j)
      cur[j] = std::min({prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (a[i - 1] != b[j - 1])});
    std::swap(prev, cur);
  }
  return prev[b.size()];
}

std::string suggestion(const std::string& word) {
  std::string best;
  size_t best_d = 3;
  auto consider = [&](const char* k) {
    const size_t d = edit_distance(word, k);
    if (d < best_d && d < std::strlen(k)) best_d = d, best = k;
  };
  for (const Keyword& k : kFlags) consider(k.name);
  for (const Keyword& k : kProperties) consider(k.name);
  for (const char* k : kOtherWords)
    if (std::strlen(k) > 2) consider(k);
  return best;
}

const char* describe_value(Kind k) {
  switch (k) {
    case Kind::Chain: return "a chain id";
    case Kind::Resi: return "a number";
    case Kind::Resn: return "a residue name";
    case Kind::Name: return "an atom name";
    case Kind::Elem: return "an element symbol";
    case Kind::Model: return "a model number";
    case Kind::Altloc: return "an alternate location id";
    default: return "a value";
  }
}

// ---------------------------------------------------------------- parser

struct Parser {
  std::string_view expr;
  std::vector<Token> toks;
  size_t at = 0;
  Selection& sel;
  SelectionError error;
  bool failed = false;
  int depth = 0;  // nesting of not / within / byres / parentheses

  // Guards the recursion (parser and evaluator) against absurd input.
  static constexpr int kMaxDepth = 200;
  struct Nest {
    Parser& p;
    explicit Nest(Parser& pp) : p(pp) { ++p.depth; }
    ~Nest() { --p.depth; }
  };

  const Token& peek() const { return toks[at]; }

  bool fail(size_t pos, std::string message) {
    if (!failed) error = {pos, std::move(message)}, failed = true;
    return false;
  }

  int add(Selection::Node n) {
    sel.nodes.push_back(std::move(n));
    return int(sel.nodes.size() - 1);
  }

  bool is_word(const Token& t, const char* w) const { return t.kind == Tok::Word && lower(t.text) == w; }
  bool is_or(const Token& t) const { return t.kind == Tok::Or || is_word(t, "or"); }
  bool is_and(const Token& t) const { return t.kind == Tok::And || is_word(t, "and"); }
  bool is_not(const Token& t) const { return t.kind == Tok::Not || is_word(t, "not"); }

  static std::string quote(std::string_view s) { return "'" + std::string(s) + "'"; }

  int parse_or() {
    int left = parse_and();
    while (left >= 0 && is_or(peek())) {
      ++at;
      int right = parse_and();
      if (right < 0) return -1;
      Selection::Node n;
      n.kind = Kind::Or, n.a = left, n.b = right;
      left = add(std::move(n));
    }
    return left;
  }

  int parse_and() {
    int left = parse_unary();
    while (left >= 0 && is_and(peek())) {
      ++at;
      int right = parse_unary();
      if (right < 0) return -1;
      Selection::Node n;
      n.kind = Kind::And, n.a = left, n.b = right;
      left = add(std::move(n));
    }
    return left;
  }

  int parse_unary() {
    const Token& t = peek();
    Nest nest(*this);
    if (depth > kMaxDepth) return fail(t.pos, "selection nested too deeply"), -1;
    if (is_not(t)) {
      ++at;
      int a = parse_unary();
      if (a < 0) return -1;
      Selection::Node n;
      n.kind = Kind::Not, n.a = a;
      return add(std::move(n));
    }
    if (is_word(t, "byres") || is_word(t, "byresidue")) {
      ++at;
      int a = parse_unary();
      if (a < 0) return -1;
      Selection::Node n;
      n.kind = Kind::Byres, n.a = a;
      return add(std::move(n));
    }
    if (is_word(t, "within")) {
      ++at;
      const Token& num = peek();
      float d = 0;
      if (num.kind != Tok::Word || !parse_float(num.text, &d) || d < 0)
        return fail(num.pos, "expected a distance after 'within'"), -1;
      ++at;
      if (!is_word(peek(), "of")) return fail(peek().pos, "expected 'of' after 'within " + std::string(num.text) + "'"), -1;
      ++at;
      int a = parse_unary();
      if (a < 0) return -1;
      Selection::Node n;
      n.kind = Kind::Within, n.a = a, n.value = d;
      return add(std::move(n));
    }
    return parse_primary();
  }

  int parse_primary() {
    const Token t = peek();
    switch (t.kind) {
      case Tok::End:
        if (at == 0) return fail(t.pos, "empty selection"), -1;
        return fail(t.pos, "unexpected end of selection after " + quote(toks[at - 1].text)), -1;
      case Tok::LParen: {
        ++at;
        if (peek().kind == Tok::RParen) return fail(peek().pos, "empty parentheses"), -1;
        int e = parse_or();
        if (e < 0) return -1;
        if (peek().kind != Tok::RParen) {
          if (peek().kind == Tok::End) return fail(t.pos, "unbalanced parenthesis: '(' is never closed"), -1;
          return fail(peek().pos, "expected 'and', 'or' or ')' but found " + quote(peek().text)), -1;
        }
        ++at;
        return e;
      }
      case Tok::RParen: return fail(t.pos, "unbalanced parenthesis: ')' without '('"), -1;
      case Tok::Compare: return fail(t.pos, "unexpected " + quote(t.text) + " (comparisons go after 'b' or 'q')"), -1;
      case Tok::And:
      case Tok::Or: return fail(t.pos, "expected a selection before " + quote(t.text)), -1;
      default: break;
    }
    const std::string w = lower(t.text);
    if (w == "and" || w == "or") return fail(t.pos, "expected a selection before " + quote(t.text)), -1;
    if (w == "of") return fail(t.pos, "'of' without 'within'"), -1;
    ++at;
    for (const Keyword& k : kFlags)
      if (w == k.name) {
        Selection::Node n;
        n.kind = k.kind;
        return add(std::move(n));
      }
    for (const Keyword& k : kProperties)
      if (w == k.name) return parse_values(k.kind, t);
    if (w == "b" || w == "q") return parse_comparison(w == "b" ? Kind::BFactor : Kind::Occupancy, t);
    std::string msg = "unknown keyword " + quote(t.text);
    const std::string s = suggestion(w);
    if (!s.empty()) msg += " — did you mean '" + s + "'?";
    return fail(t.pos, msg), -1;
  }

  static bool parse_float(std::string_view s, float* out) {
    std::string tmp(s);
    char* end = nullptr;
    const double v = std::strtod(tmp.c_str(), &end);
    if (tmp.empty() || end != tmp.c_str() + tmp.size() || !std::isfinite(v)) return false;
    *out = float(v);
    return true;
  }

  // [-]digits[insertion letter]; returns characters consumed, 0 on failure.
  static size_t parse_resnum(std::string_view s, int* num, char* ins) {
    size_t i = 0;
    bool neg = false;
    if (i < s.size() && s[i] == '-') neg = true, ++i;
    const size_t digits = i;
    long v = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i])) && v < 1000000000) v = v * 10 + (s[i++] - '0');
    if (i == digits) return 0;
    *num = int(neg ? -v : v);
    *ins = 0;
    if (i < s.size() && std::isalpha(static_cast<unsigned char>(s[i]))) *ins = char(std::toupper(static_cast<unsigned char>(s[i++])));
    return i;
  }

  int parse_values(Kind kind, const Token& kw) {
    const Token& v = peek();
    const std::string kw_text(kw.text);
    if (v.kind != Tok::Word || is_and(v) || is_or(v) || is_not(v))
      return fail(v.pos, "expected " + std::string(describe_value(kind)) + " after '" + kw_text + "'"), -1;
    ++at;
    Selection::Node n;
    n.kind = kind;
    size_t start = 0;
    while (start <= v.text.size()) {
      size_t end = v.text.find_first_of("+,", start);
      if (end == std::string_view::npos) end = v.text.size();
      const std::string_view item = v.text.substr(start, end - start);
      const size_t pos = v.pos + start;
      if (item.empty()) return fail(pos, "empty value in the list after '" + kw_text + "'"), -1;
      if (!add_value(n, kind, item, pos, kw_text)) return -1;
      start = end + 1;
    }
    return add(std::move(n));
  }

  bool add_value(Selection::Node& n, Kind kind, std::string_view item, size_t pos, const std::string& kw) {
    switch (kind) {
      case Kind::Chain: n.words.emplace_back(item); return true;
      case Kind::Resn:
      case Kind::Name: n.words.push_back(upper(item)); return true;
      case Kind::Altloc:
        if (item.size() != 1) return fail(pos, "an alternate location id is one character, not " + quote(item));
        n.words.push_back(upper(item));
        return true;
      case Kind::Elem: {
        const uint8_t z = element_from_symbol(item.data(), item.size());
        if (!z || item.size() > 2) return fail(pos, "unknown element " + quote(item));
        n.elements.push_back(z);
        return true;
      }
      case Kind::Resi:
      case Kind::Model: {
        Selection::ResiRange r{};
        size_t used = parse_resnum(item, &r.first, &r.first_ins);
        if (!used) return fail(pos, "expected a number after '" + kw + "' but found " + quote(item));
        r.last = r.first, r.last_ins = r.first_ins ? r.first_ins : ' ';
        if (!r.first_ins) r.first_ins = ' ';
        if (used < item.size()) {
          if (item[used] != '-') return fail(pos + used, "unexpected " + quote(item.substr(used)) + " in " + quote(item));
          const std::string_view rest = item.substr(used + 1);
          size_t used2 = parse_resnum(rest, &r.last, &r.last_ins);
          if (!used2) return fail(pos + used + 1, "expected a number after '-' in the range " + quote(item));
          if (used2 < rest.size()) return fail(pos + used + 1 + used2, "unexpected " + quote(rest.substr(used2)) + " in " + quote(item));
          if (kind == Kind::Model && (r.first_ins != ' ' || r.last_ins)) return fail(pos, "model numbers have no insertion codes");
        } else if (kind == Kind::Model && r.first_ins != ' ') {
          return fail(pos, "model numbers have no insertion codes");
        }
        if (std::make_pair(r.first, r.first_ins) > std::make_pair(r.last, r.last_ins ? r.last_ins : '\x7f'))
          return fail(pos, "empty range " + quote(item) + " (first is after last)");
        n.ranges.push_back(r);
        return true;
      }
      default: return false;
    }
  }

  int parse_comparison(Kind kind, const Token& kw) {
    const Token& op = peek();
    if (op.kind != Tok::Compare)
      return fail(op.pos, "expected a comparison (<, >, <=, >=, =, !=) after '" + std::string(kw.text) + "'"), -1;
    ++at;
    const Token& num = peek();
    float v = 0;
    if (num.kind != Tok::Word || !parse_float(num.text, &v))
      return fail(num.pos, "expected a number after '" + std::string(kw.text) + " " + std::string(op.text) + "'"), -1;
    ++at;
    Selection::Node n;
    n.kind = kind;
    n.value = v;
    const std::string_view o = op.text;
    n.op = o == "<" ? '<' : o == ">" ? '>' : o == "<=" ? 'l' : o == ">=" ? 'g' : o == "!=" ? '!' : '=';
    return add(std::move(n));
  }
};

// ---------------------------------------------------------------- evaluation

bool glob_match(const char* pat, const char* s) {
  // '*' any run, '?' one character; case-insensitive (patterns are upper case).
  if (*pat == 0) return *s == 0;
  if (*pat == '*') return glob_match(pat + 1, s) || (*s && glob_match(pat, s + 1));
  if (!*s) return false;
  const char c = char(std::toupper(static_cast<unsigned char>(*s)));
  return (*pat == '?' || *pat == c) && glob_match(pat + 1, s + 1);
}

bool in_list(const char* const* names, size_t n, const char* name) {
  for (size_t i = 0; i < n; ++i)
    if (std::strcmp(names[i], name) == 0) return true;
  return false;
}

const char* const kProteinBackbone[] = {"N", "CA", "C", "O", "OXT", "H", "H1", "H2", "H3", "HA", "HA2", "HA3", "HXT"};
const char* const kNucleicBackbone[] = {"P",   "OP1",  "OP2",  "OP3",  "O1P", "O2P", "O3P", "O5'", "C5'",
                                        "C4'", "O4'",  "C3'",  "O3'",  "C2'", "O2'", "C1'", "H5'", "H5''",
                                        "H4'", "H3'",  "H2'",  "H2''", "H1'", "HO2'", "HO3'", "HO5'"};

struct Evaluator {
  const Selection& sel;
  const Structure& s;
  std::vector<uint8_t> res_class;  // bit 1 protein, 2 nucleic, 4 water
  std::vector<uint32_t> atom_model;

  enum : uint8_t { kProtein = 1, kNucleic = 2, kWater = 4 };

  void classify() {
    if (!res_class.empty() || s.residue_count() == 0) return;
    res_class.assign(s.residue_count(), 0);
    std::vector<uint8_t> polymer_chain(s.chain_count(), 0);
    for (size_t c = 0; c < s.chain_count(); ++c)
      for (const Entity& e : s.entities)
        if (e.id == s.chain_entity[c] && !e.id.empty() && e.type == "polymer") polymer_chain[c] = 1;
    for (size_t r = 0; r < s.residue_count(); ++r) {
      const ResName& n = s.res_name[r];
      uint8_t k = is_amino_acid(n) ? kProtein : is_nucleotide(n) ? kNucleic : is_water(n) ? kWater : 0;
      if (!k && polymer_chain[s.res_chain[r]]) {
        // A residue of a polymer entity that is not in our tables (modified residue).
        for (uint32_t i = s.res_atom_begin[r]; i < s.res_atom_begin[r + 1]; ++i) {
          const char* a = s.atom_name[i].data();
          if (std::strcmp(a, "CA") == 0) k = kProtein;
          if (std::strcmp(a, "C1'") == 0 || std::strcmp(a, "P") == 0) k = kNucleic;
        }
      }
      res_class[r] = k;
    }
  }

  uint8_t cls(uint32_t atom) { return res_class[s.atom_residue[atom]]; }

  bool backbone(uint32_t i) {
    const uint8_t k = cls(i);
    std::string name = s.atom_name[i].data();
    if (k & kProtein) return in_list(kProteinBackbone, std::size(kProteinBackbone), name.c_str());
    if (k & kNucleic) {
      std::replace(name.begin(), name.end(), '*', '\'');
      return in_list(kNucleicBackbone, std::size(kNucleicBackbone), name.c_str());
    }
    return false;
  }

  // Per residue predicate → atom mask.
  template <class Pred>
  void by_residue(std::vector<uint8_t>& m, Pred pred) {
    for (size_t r = 0; r < s.residue_count(); ++r)
      if (pred(uint32_t(r))) std::fill(m.begin() + s.res_atom_begin[r], m.begin() + s.res_atom_begin[r + 1], 1);
  }

  static bool in_ranges(const std::vector<Selection::ResiRange>& ranges, int num, char ins) {
    for (const Selection::ResiRange& r : ranges) {
      if (std::make_pair(num, ins) < std::make_pair(r.first, r.first_ins)) continue;
      if (r.last_ins ? std::make_pair(num, ins) <= std::make_pair(r.last, r.last_ins) : num <= r.last) return true;
    }
    return false;
  }

  std::vector<uint8_t> eval(int node) {
    const Selection::Node& n = sel.nodes[size_t(node)];
    const size_t na = s.atom_count();
    std::vector<uint8_t> m;
    // Compound nodes take their operand's mask; only leaves start from zeros, so a deep
    // chain of operators does not hold one mask per level.
    if (n.kind != Kind::Not && n.kind != Kind::And && n.kind != Kind::Or) m.assign(na, 0);
    switch (n.kind) {
      case Kind::All: std::fill(m.begin(), m.end(), 1); break;
      case Kind::None: break;
      case Kind::Not:
        m = eval(n.a);
        for (uint8_t& v : m) v = !v;
        break;
      case Kind::And: {
        m = eval(n.a);
        if (std::find(m.begin(), m.end(), 1) == m.end()) break;
        std::vector<uint8_t> b = eval(n.b);
        for (size_t i = 0; i < na; ++i) m[i] &= b[i];
        break;
      }
      case Kind::Or: {
        m = eval(n.a);
        std::vector<uint8_t> b = eval(n.b);
        for (size_t i = 0; i < na; ++i) m[i] |= b[i];
        break;
      }
      case Kind::Byres: {
        std::vector<uint8_t> a = eval(n.a);
        by_residue(m, [&](uint32_t r) {
          for (uint32_t i = s.res_atom_begin[r]; i < s.res_atom_begin[r + 1]; ++i)
            if (a[i]) return true;
          return false;
        });
        break;
      }
      case Kind::Within: {
        std::vector<uint8_t> a = eval(n.a);
        within(a, n.value, m);
        break;
      }
      case Kind::Chain: {
        // Exact ids; an id no chain has exactly falls back to case-insensitive comparison.
        for (const std::string& want : n.words) {
          bool exact = std::find(s.chain_auth.begin(), s.chain_auth.end(), want) != s.chain_auth.end();
          const std::string up = upper(want);
          by_residue(m, [&](uint32_t r) {
            const std::string& id = s.chain_auth[s.res_chain[r]];
            return exact ? id == want : upper(id) == up;
          });
        }
        break;
      }
      case Kind::Resi:
        by_residue(m, [&](uint32_t r) { return in_ranges(n.ranges, s.seq_id[r], s.ins_code[r]); });
        break;
      case Kind::Resn:
        by_residue(m, [&](uint32_t r) {
          for (const std::string& w : n.words)
            if (glob_match(w.c_str(), s.res_name[r].data())) return true;
          return false;
        });
        break;
      case Kind::Model:
        by_residue(m, [&](uint32_t r) {
          return in_ranges(n.ranges, s.model_num[s.chain_model[s.res_chain[r]]], ' ');
        });
        break;
      case Kind::Name:
        for (size_t i = 0; i < na; ++i)
          for (const std::string& w : n.words)
            if (glob_match(w.c_str(), s.atom_name[i].data())) {
              m[i] = 1;
              break;
            }
        break;
      case Kind::Elem:
        for (size_t i = 0; i < na; ++i) m[i] = std::find(n.elements.begin(), n.elements.end(), s.element[i]) != n.elements.end();
        break;
      case Kind::Altloc:
        for (size_t i = 0; i < na; ++i)
          for (const std::string& w : n.words)
            m[i] |= char(std::toupper(static_cast<unsigned char>(s.altloc[i]))) == w[0];
        break;
      case Kind::BFactor:
      case Kind::Occupancy: {
        const std::vector<float>& v = n.kind == Kind::BFactor ? s.b_factor : s.occupancy;
        for (size_t i = 0; i < na && i < v.size(); ++i) {
          const float x = v[i];
          switch (n.op) {
            case '<': m[i] = x < n.value; break;
            case '>': m[i] = x > n.value; break;
            case 'l': m[i] = x <= n.value; break;
            case 'g': m[i] = x >= n.value; break;
            case '!': m[i] = x != n.value; break;
            default: m[i] = x == n.value; break;
          }
        }
        break;
      }
      case Kind::Protein:
      case Kind::Nucleic:
      case Kind::Polymer:
      case Kind::Water:
      case Kind::Ligand: {
        classify();
        const uint8_t want = n.kind == Kind::Protein   ? kProtein
                             : n.kind == Kind::Nucleic ? kNucleic
                             : n.kind == Kind::Polymer ? (kProtein | kNucleic)
                             : n.kind == Kind::Water   ? kWater
                                                       : 0;
        by_residue(m, [&](uint32_t r) { return want ? (res_class[r] & want) != 0 : res_class[r] == 0; });
        break;
      }
      case Kind::Hydrogen:
        for (size_t i = 0; i < na; ++i) m[i] = s.element[i] == 1;
        break;
      case Kind::Backbone:
      case Kind::Sidechain:
        classify();
        for (size_t i = 0; i < na; ++i) {
          if (!(cls(uint32_t(i)) & (kProtein | kNucleic))) continue;
          const bool bb = backbone(uint32_t(i));
          m[i] = n.kind == Kind::Backbone ? bb : !bb;
        }
        break;
      case Kind::Hetatm:
        by_residue(m, [&](uint32_t r) { return s.het[r] != 0; });
        break;
    }
    return m;
  }

  void within(const std::vector<uint8_t>& center, float d, std::vector<uint8_t>& m) {
    const size_t na = s.atom_count();
    std::vector<uint32_t> atoms;
    for (size_t i = 0; i < na; ++i)
      if (center[i]) atoms.push_back(uint32_t(i));
    if (atoms.empty()) return;
    if (atom_model.empty()) {
      atom_model.resize(na);
      for (size_t i = 0; i < na; ++i) atom_model[i] = s.chain_model[s.res_chain[s.atom_residue[i]]];
    }
    const SpatialGrid grid = build_spatial_grid(s, atoms, d);
    for (size_t i = 0; i < na; ++i) {
      if (center[i]) {
        m[i] = 1;
        continue;
      }
      const uint32_t model = atom_model[i];
      m[i] = grid.any_near(s.x[i], s.y[i], s.z[i], d, [&](uint32_t j) { return atom_model[j] == model; });
    }
  }
};

}  // namespace

bool parse_selection(std::string_view expr, Selection& out, SelectionError* err) {
  out = Selection{};
  Parser p{expr, tokenize(expr), 0, out, {}, false};
  // Each operator adds a level to the evaluator's recursion; real selections are short.
  constexpr size_t kMaxTokens = 2000;
  if (p.toks.size() > kMaxTokens) {
    if (err) *err = {p.toks[kMaxTokens].pos, "selection too long (more than 2000 words)"};
    return false;
  }
  int root = p.parse_or();
  if (root >= 0 && p.peek().kind != Tok::End) {
    const Token& t = p.peek();
    if (t.kind == Tok::RParen)
      p.fail(t.pos, "unbalanced parenthesis: ')' without '('");
    else
      p.fail(t.pos, "expected 'and' or 'or' before " + Parser::quote(t.text));
    root = -1;
  }
  if (root < 0 || p.failed) {
    if (err) *err = p.error;
    out = Selection{};
    return false;
  }
  out.root = root;
  return true;
}

void evaluate_selection(const Selection& sel, const Structure& s, std::vector<uint8_t>& mask) {
  if (sel.root < 0) {
    mask.assign(s.atom_count(), 0);
    return;
  }
  Evaluator ev{sel, s, {}, {}};
  mask = ev.eval(sel.root);
}

bool select_atoms(const Structure& s, std::string_view expr, std::vector<uint8_t>& mask, SelectionError* err) {
  Selection sel;
  if (!parse_selection(expr, sel, err)) {
    mask.assign(s.atom_count(), 0);
    return false;
  }
  evaluate_selection(sel, s, mask);
  return true;
}

std::string format_selection_error(std::string_view expr, const SelectionError& err) {
  std::string out = err.message + " at position " + std::to_string(err.position) + "\n" + std::string(expr) + "\n";
  out += std::string(std::min(err.position, expr.size()), ' ') + "^";
  return out;
}

}  // namespace foldsight
