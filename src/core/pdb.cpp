// PDB format reader (fixed columns): ATOM/HETATM, MODEL/ENDMDL, altlocs, insertion codes,
// hybrid-36 serials and residue numbers, HELIX/SHEET (→ ss) and CONECT (→ file_bonds).
//
// The hierarchy follows gemmi's read_structure, so that counts agree with it:
//  - a chain is named by columns 21-22; a change of name starts a new chain "part", and all
//    parts with one name in a model are one chain (waters after TER stay in chain A);
//  - a residue is (name in 18-20, number, insertion code, segment in 73-76); atoms of one
//    residue that are split inside a chain part (alternate conformations listed twice)
//    are gathered into that residue;
//  - ATOM and HETATM do not split a residue; TER does not split a chain;
//  - MODEL starts a model (empty ones count); atoms outside MODEL/ENDMDL get a new model.
// Our model keeps each residue's atoms contiguous, so in the rare files that interleave
// chains or residues the atoms are reordered into that hierarchy (stable otherwise).
#include <algorithm>
#include <cstdint>
#include <cstring>
#include <string>
#include <unordered_map>
#include "io.h"

namespace foldsight {
namespace {

// Longest line we accept. PDB lines are 80 columns; some programs append a few more.
constexpr size_t kMaxLine = 1024;

bool is_blank(const char* p, size_t n) {
  for (size_t i = 0; i < n; ++i)
    if (p[i] != ' ' && p[i] != '\t') return false;
  return true;
}

// The field [a, b] (1-based, inclusive) of a line; shorter lines give a shorter field.
struct Field { const char* p; size_t n; };
Field col(const char* line, size_t len, size_t a, size_t b) {
  if (len < a) return {line, 0};
  return {line + a - 1, std::min(b, len) - (a - 1)};
}

void trim(Field& f) {
  while (f.n && (*f.p == ' ' || *f.p == '\t')) ++f.p, --f.n;
  while (f.n && (f.p[f.n - 1] == ' ' || f.p[f.n - 1] == '\t')) --f.n;
}

// Strict decimal: [sign] digits [. digits] [e [sign] digits], surrounding blanks allowed.
bool parse_float(Field f, float& v) {
  trim(f);
  const char* p = f.p;
  const char* end = f.p + f.n;
  if (p == end) return false;
  bool neg = false;
  if (*p == '-' || *p == '+') neg = *p++ == '-';
  double d = 0;
  int digits = 0;
  for (; p < end && *p >= '0' && *p <= '9'; ++p, ++digits) d = d * 10 + (*p - '0');
  if (p < end && *p == '.') {
    double m = 0.1;
    for (++p; p < end && *p >= '0' && *p <= '9'; ++p, ++digits, m *= 0.1) d += m * (*p - '0');
  }
  if (!digits) return false;
  if (p < end && (*p == 'e' || *p == 'E')) {
    ++p;
    bool eneg = false;
    if (p < end && (*p == '-' || *p == '+')) eneg = *p++ == '-';
    int e = 0, edigits = 0;
    for (; p < end && *p >= '0' && *p <= '9'; ++p, ++edigits) e = std::min(e * 10 + (*p - '0'), 400);
    if (!edigits) return false;
    for (int i = 0; i < e; ++i) d = eneg ? d * 0.1 : d * 10;
  }
  if (p != end) return false;
  v = float(neg ? -d : d);
  return true;
}

bool parse_int(Field f, int& v) {
  trim(f);
  const char* p = f.p;
  const char* end = f.p + f.n;
  if (p == end) return false;
  bool neg = false;
  if (*p == '-' || *p == '+') neg = *p++ == '-';
  if (p == end || end - p > 9) return false;
  int r = 0;
  for (; p < end; ++p) {
    if (*p < '0' || *p > '9') return false;
    r = r * 10 + (*p - '0');
  }
  v = neg ? -r : r;
  return true;
}

// Hybrid-36 (http://cci.lbl.gov/hybrid_36/): decimal up to 10^width - 1, then "A000..."
// (upper case) continues, then "a000..." (lower case).
bool parse_hybrid36(Field f, int width, int& v) {
  trim(f);
  if (!f.n) return false;
  char c = f.p[0];
  if (c == '-' || c == '+' || (c >= '0' && c <= '9')) return parse_int(f, v);
  if (int(f.n) != width) return false;
  bool upper = c >= 'A' && c <= 'Z';
  if (!upper && !(c >= 'a' && c <= 'z')) return false;
  long val = 0;
  for (size_t i = 0; i < f.n; ++i) {
    char ch = f.p[i];
    int d;
    if (ch >= '0' && ch <= '9') d = ch - '0';
    else if (upper && ch >= 'A' && ch <= 'Z') d = ch - 'A' + 10;
    else if (!upper && ch >= 'a' && ch <= 'z') d = ch - 'a' + 10;
    else return false;
    val = val * 36 + d;
  }
  long pow10 = 1, pow36 = 1;
  for (int i = 0; i < width; ++i) pow10 *= 10;
  for (int i = 0; i < width - 1; ++i) pow36 *= 36;
  // "A000" (value 10·36^(w-1)) follows 10^w - 1; "a000" follows "ZZZZ".
  v = int(val - 10 * pow36 + pow10 + (upper ? 0 : 26 * pow36));
  return true;
}

bool all_stars(Field f) {
  trim(f);
  if (!f.n) return false;
  for (size_t i = 0; i < f.n; ++i)
    if (f.p[i] != '*') return false;
  return true;
}

// Columns 79-80: "2+" as the format says; "+2" is common too. Anything else: no charge.
int8_t parse_charge(const char* line, size_t len) {
  if (len < 80) return 0;
  char a = line[78], b = line[79];
  if (a == '+' || a == '-') std::swap(a, b);
  if (a >= '0' && a <= '9' && (b == '+' || b == '-')) return int8_t((a - '0') * (b == '-' ? -1 : 1));
  return 0;
}

char upper(char c) { return (c >= 'a' && c <= 'z') ? char(c - 32) : c; }

// Record name from the first 4 columns, upper case, blank padded (gemmi matches 4 columns).
uint32_t record4(const char* line, size_t len) {
  uint32_t r = 0;
  for (size_t i = 0; i < 4; ++i) r = r << 8 | uint8_t(i < len ? upper(line[i]) : ' ');
  return r;
}
constexpr uint32_t rec(const char (&s)[5]) {
  return uint32_t(uint8_t(s[0])) << 24 | uint32_t(uint8_t(s[1])) << 16 | uint32_t(uint8_t(s[2])) << 8 | uint8_t(s[3]);
}

// Element: columns 77-78 when they hold letters, otherwise from the atom name. In columns
// 13-14 the symbol is right-justified: " C" is carbon, "FE" iron, "1H"/" H" hydrogen.
uint8_t element_of(const char* line, size_t len, const Name4& name, const ResName& res) {
  if (len >= 77) {
    Field f = col(line, len, 77, 78);
    bool letters = false;
    for (size_t i = 0; i < f.n; ++i) letters |= (f.p[i] >= 'A' && f.p[i] <= 'Z') || (f.p[i] >= 'a' && f.p[i] <= 'z');
    if (letters) {
      uint8_t z = element_from_symbol(f.p, f.n);
      if (z) return z;
    }
  }
  char c13 = line[12], c14 = line[13];
  bool standard = is_amino_acid(res) || is_nucleotide(res) || is_water(res);
  if (c13 == ' ' || (c13 >= '0' && c13 <= '9')) return element_from_symbol(&c14, 1);
  if (!standard) {
    char two[2] = {c13, c14};
    if (uint8_t z = element_from_symbol(two, 2)) return z;
  }
  return element_from_atom_name(name, res);
}

struct SsRange {
  char chain;
  int start; char start_ins;
  int end; char end_ins;
  char code;
};

// Identity of a residue inside a chain part.
struct ResKey {
  int32_t seq;
  char ins;
  char seg[4];
  ResName name;
  bool operator==(const ResKey& o) const {
    return seq == o.seq && ins == o.ins && std::memcmp(seg, o.seg, 4) == 0 && name == o.name;
  }
};
struct ResKeyHash {
  size_t operator()(const ResKey& k) const {
    uint64_t h = uint32_t(k.seq) * 0x9E3779B97F4A7C15ull;
    h ^= uint64_t(uint8_t(k.ins)) << 8;
    for (char c : k.seg) h = (h ^ uint8_t(c)) * 0x100000001B3ull;
    for (char c : k.name) h = (h ^ uint8_t(c)) * 0x100000001B3ull;
    return size_t(h ^ (h >> 29));
  }
};

struct PendingResidue {
  ResName name;
  int32_t seq;
  char ins;
  bool het;
  uint32_t chain;  // index into chains
};
struct PendingChain {
  std::string name;
  uint32_t model;
};
struct PendingModel {
  int num;
  size_t atoms = 0;
};

// clear() costs the bucket count, which stays at its peak: files that alternate chains
// atom by atom after a large chain would make that quadratic. A big map is replaced instead.
template <class Map>
void reset(Map& m) {
  if (m.bucket_count() > 64) m = Map();
  else m.clear();
}

uint32_t chain_key(Field f) {  // at most two characters
  uint32_t k = 0;
  for (size_t i = 0; i < f.n; ++i) k = k << 8 | uint8_t(f.p[i]);
  return k | uint32_t(f.n) << 16;
}

}  // namespace

bool read_pdb(std::string_view text, Structure& out, ParseError* err) {
  out = Structure{};
  // Atoms are gathered here first; the hierarchy is put in order at the end.
  Structure tmp;
  std::vector<PendingResidue> residues;
  std::vector<PendingChain> chains;
  std::vector<PendingModel> models;
  std::vector<SsRange> ss_ranges;
  std::vector<std::pair<int32_t, int32_t>> conect;  // pairs of serials

  bool have_model = false;   // inside a model that atoms can go to
  bool have_part = false;    // a chain part is open
  uint32_t part_key = 0;     // name of the open chain part
  uint32_t cur_chain = 0;    // chain of the open part
  bool have_res = false;
  ResKey cur_key{};
  uint32_t cur_res = 0;
  std::unordered_map<uint32_t, uint32_t> model_chains;        // chain name → chain, this model
  std::unordered_map<ResKey, uint32_t, ResKeyHash> part_res;  // residues of the open part

  int line_no = 0;
  auto fail = [&](const std::string& msg) {
    if (err) { err->line = line_no; err->message = msg; }
    out = Structure{};
    return false;
  };
  auto new_model = [&](int num) {
    models.push_back({num});
    have_model = true;
    have_part = false;
    reset(model_chains);
  };

  const char* data = text.data();
  size_t pos = 0;
  while (pos < text.size()) {
    const char* line = data + pos;
    size_t rest = text.size() - pos;
    const void* nlp = std::memchr(line, '\n', rest);
    size_t len = nlp ? size_t(static_cast<const char*>(nlp) - line) : rest;
    pos += len + 1;
    ++line_no;
    if (len && line[len - 1] == '\r') --len;
    if (len > kMaxLine)
      return fail("line is " + std::to_string(len) + " characters long; PDB lines have 80 columns");
    for (size_t i = 0; i < len; ++i) {
      unsigned char u = static_cast<unsigned char>(line[i]);
      if (u < 32 && u != '\t' && u != '\r' && u != '\f' && u != '\v')
        return fail("binary data (byte " + std::to_string(u) + " in column " + std::to_string(i + 1) +
                    "): not a PDB text file");
    }
    uint32_t r4 = record4(line, len);

    if (r4 == rec("ATOM") || r4 == rec("HETA")) {
      if (len < 54)
        return fail("ATOM/HETATM record is " + std::to_string(len) +
                    " characters long; coordinates need columns 31-54");
      float x, y, z;
      if (!parse_float(col(line, len, 31, 38), x) || !parse_float(col(line, len, 39, 46), y) ||
          !parse_float(col(line, len, 47, 54), z))
        return fail("coordinates in columns 31-54 are not numbers");
      float occ = 1.0f, bf = 0.0f;
      Field focc = col(line, len, 55, 60), fb = col(line, len, 61, 66);
      if (!is_blank(focc.p, focc.n) && !parse_float(focc, occ))
        return fail("occupancy in columns 55-60 is not a number");
      if (!is_blank(fb.p, fb.n) && !parse_float(fb, bf))
        return fail("B-factor in columns 61-66 is not a number");
      int serial = 0;
      Field fserial = col(line, len, 7, 11);
      if (!is_blank(fserial.p, fserial.n) && !parse_hybrid36(fserial, 5, serial) && !all_stars(fserial))
        return fail("atom serial number in columns 7-11 is not a number");
      int seq = 0;
      Field fseq = col(line, len, 23, 26);
      if (!is_blank(fseq.p, fseq.n) && !parse_hybrid36(fseq, 4, seq))
        return fail("residue number in columns 23-26 is not a number");

      Field fchain = col(line, len, 21, 22);
      trim(fchain);
      Field fres = col(line, len, 18, 20);
      trim(fres);
      ResKey key{};
      key.seq = seq;
      key.ins = line[26] == '\t' ? ' ' : line[26];
      key.name = make_resname(fres.p, fres.n);
      std::memset(key.seg, ' ', 4);
      if (len > 72) {
        Field fseg = col(line, len, 73, 76);
        std::memcpy(key.seg, fseg.p, fseg.n);
      }
      bool het = upper(line[0]) == 'H';

      if (!have_model) new_model(int(models.size()) + 1);
      uint32_t ck = chain_key(fchain);
      if (!have_part || ck != part_key) {
        auto it = model_chains.find(ck);
        if (it == model_chains.end()) {
          it = model_chains.emplace(ck, uint32_t(chains.size())).first;
          chains.push_back({std::string(fchain.p, fchain.n), uint32_t(models.size() - 1)});
        }
        cur_chain = it->second;
        part_key = ck;
        have_part = true;
        have_res = false;
        reset(part_res);
      }
      if (!have_res || !(key == cur_key)) {
        auto it = part_res.find(key);
        if (it == part_res.end()) {
          it = part_res.emplace(key, uint32_t(residues.size())).first;
          residues.push_back({key.name, key.seq, key.ins, het, cur_chain});
        }
        cur_res = it->second;
        cur_key = key;
        have_res = true;
      }
      Field fname = col(line, len, 13, 16);
      Name4 an = make_name4(fname.p, fname.n);
      char alt = line[16] == '\t' ? ' ' : line[16];
      tmp.x.push_back(x);
      tmp.y.push_back(y);
      tmp.z.push_back(z);
      tmp.occupancy.push_back(occ);
      tmp.b_factor.push_back(bf);
      tmp.atom_name.push_back(an);
      tmp.element.push_back(element_of(line, len, an, key.name));
      tmp.altloc.push_back(alt);
      tmp.charge.push_back(parse_charge(line, len));
      tmp.serial.push_back(serial);
      tmp.atom_residue.push_back(cur_res);
      ++models.back().atoms;
    } else if (r4 == rec("MODE")) {
      int num = 0;
      if (!parse_int(col(line, len, 11, 14), num)) num = int(models.size()) + 1;
      // "MODEL 1 / ENDMDL / MODEL 1 / atoms": the empty model is the one being filled.
      if (!models.empty() && models.back().atoms == 0 && models.back().num == num)
        have_model = true, have_part = false;
      else
        new_model(num);
    } else if (r4 == rec("ENDM")) {
      have_model = false;
      have_part = false;
    } else if (r4 == rec("END ")) {
      break;
    } else if (r4 == rec("HELI")) {
      int s = 0, e = 0, cls = 1;
      if (len < 38 || !parse_hybrid36(col(line, len, 22, 25), 4, s) ||
          !parse_hybrid36(col(line, len, 34, 37), 4, e))
        continue;  // a helix we cannot read is no reason to reject the coordinates
      parse_int(col(line, len, 39, 40), cls);
      char code = cls == 5 ? 'G' : cls == 3 ? 'I' : 'H';
      ss_ranges.push_back({line[19], s, line[25], e, line[37], code});
    } else if (r4 == rec("SHEE")) {
      int s = 0, e = 0;
      if (len < 38 || !parse_hybrid36(col(line, len, 23, 26), 4, s) ||
          !parse_hybrid36(col(line, len, 34, 37), 4, e))
        continue;
      ss_ranges.push_back({line[21], s, line[26], e, line[37], 'E'});
    } else if (r4 == rec("CONE")) {
      int a = 0;
      if (!parse_hybrid36(col(line, len, 7, 11), 5, a)) continue;
      for (size_t c = 12; c <= 27; c += 5) {
        int b = 0;
        Field f = col(line, len, c, c + 4);
        if (f.n && parse_hybrid36(f, 5, b) && b != a) conect.emplace_back(a, b);
      }
    }
  }
  if (tmp.x.empty()) return fail("no ATOM or HETATM records: not a PDB coordinate file");
  line_no = 0;

  // ---- put the hierarchy in order: models, their chains, their residues, their atoms ----
  // Chains are created model by model, so they are already in model order. Residues are
  // created in file order; gathering them by chain (stable) gives gemmi's order, which
  // appends later parts of a chain after the earlier ones.
  const size_t n_atoms = tmp.x.size(), n_res = residues.size(), n_chains = chains.size();
  std::vector<uint32_t> res_order(n_res);  // final position → pending residue
  {
    std::vector<uint32_t> start(n_chains + 1, 0);
    for (const PendingResidue& r : residues) ++start[r.chain + 1];
    for (size_t c = 0; c < n_chains; ++c) start[c + 1] += start[c];
    for (uint32_t r = 0; r < n_res; ++r) res_order[start[residues[r].chain]++] = r;
  }
  std::vector<uint32_t> res_final(n_res);  // pending residue → final position
  for (uint32_t i = 0; i < n_res; ++i) res_final[res_order[i]] = i;
  std::vector<uint32_t> res_begin(n_res + 1, 0);
  for (size_t i = 0; i < n_atoms; ++i) ++res_begin[res_final[tmp.atom_residue[i]] + 1];
  for (size_t r = 0; r < n_res; ++r) res_begin[r + 1] += res_begin[r];
  bool in_order = true;
  for (size_t i = 1; i < n_atoms && in_order; ++i)
    in_order = res_final[tmp.atom_residue[i]] >= res_final[tmp.atom_residue[i - 1]];

  if (in_order) {
    out.x = std::move(tmp.x);
    out.y = std::move(tmp.y);
    out.z = std::move(tmp.z);
    out.occupancy = std::move(tmp.occupancy);
    out.b_factor = std::move(tmp.b_factor);
    out.atom_name = std::move(tmp.atom_name);
    out.element = std::move(tmp.element);
    out.altloc = std::move(tmp.altloc);
    out.charge = std::move(tmp.charge);
    out.serial = std::move(tmp.serial);
    out.atom_residue = std::move(tmp.atom_residue);
    for (uint32_t& r : out.atom_residue) r = res_final[r];
  } else {
    std::vector<uint32_t> atom_order(n_atoms);  // final position → file position
    std::vector<uint32_t> next(res_begin.begin(), res_begin.end() - 1);
    for (uint32_t i = 0; i < n_atoms; ++i) atom_order[next[res_final[tmp.atom_residue[i]]]++] = i;
    auto gather = [&](auto& dst, const auto& src) {
      dst.resize(n_atoms);
      for (size_t i = 0; i < n_atoms; ++i) dst[i] = src[atom_order[i]];
    };
    gather(out.x, tmp.x);
    gather(out.y, tmp.y);
    gather(out.z, tmp.z);
    gather(out.occupancy, tmp.occupancy);
    gather(out.b_factor, tmp.b_factor);
    gather(out.atom_name, tmp.atom_name);
    gather(out.element, tmp.element);
    gather(out.altloc, tmp.altloc);
    gather(out.charge, tmp.charge);
    gather(out.serial, tmp.serial);
    out.atom_residue.resize(n_atoms);
    for (size_t i = 0; i < n_atoms; ++i) out.atom_residue[i] = res_final[tmp.atom_residue[atom_order[i]]];
  }
  tmp = Structure{};

  out.res_name.reserve(n_res);
  for (uint32_t i = 0; i < n_res; ++i) {
    const PendingResidue& r = residues[res_order[i]];
    out.res_name.push_back(r.name);
    out.seq_id.push_back(r.seq);
    out.label_seq_id.push_back(r.seq);
    out.ins_code.push_back(r.ins ? r.ins : ' ');
    out.het.push_back(r.het ? 1 : 0);
    out.ss.push_back('-');
    out.res_chain.push_back(r.chain);
  }
  out.res_atom_begin = std::move(res_begin);
  out.chain_res_begin.assign(1, 0);
  for (uint32_t i = 0; i < n_res; ++i)
    if (i + 1 == n_res || out.res_chain[i + 1] != out.res_chain[i]) {
      // chains with no residues cannot exist: a chain is created with its first atom
      out.chain_res_begin.push_back(i + 1);
    }
  for (const PendingChain& c : chains) {
    out.chain_auth.push_back(c.name);
    out.chain_label.push_back(c.name);
    out.chain_entity.push_back("");
    out.chain_model.push_back(c.model);
  }
  out.model_chain_begin.assign(1, 0);
  {
    size_t c = 0;
    for (size_t m = 0; m < models.size(); ++m) {
      out.model_num.push_back(models[m].num);
      while (c < n_chains && chains[c].model == m) ++c;
      out.model_chain_begin.push_back(uint32_t(c));
    }
  }

  // ---- HELIX / SHEET: mark residues from the start to the end residue of each range ----
  if (!ss_ranges.empty()) {
    out.has_ss = true;
    std::stable_sort(ss_ranges.begin(), ss_ranges.end(),
                     [](const SsRange& p, const SsRange& q) { return p.chain < q.chain; });
    auto by_chain = [](const SsRange& g, char c) { return g.chain < c; };
    std::unordered_map<uint64_t, uint32_t> pos_of;  // (seq, ins) → residue, in one chain
    for (size_t c = 0; c < n_chains; ++c) {
      const std::string& name = out.chain_auth[c];
      char cc = name.empty() ? ' ' : name[0];
      if (name.size() > 1) continue;  // HELIX/SHEET hold one-character chain ids
      auto first = std::lower_bound(ss_ranges.begin(), ss_ranges.end(), cc, by_chain);
      if (first == ss_ranges.end() || first->chain != cc) continue;
      reset(pos_of);
      uint32_t rb = out.chain_res_begin[c], re = out.chain_res_begin[c + 1];
      auto key = [](int seq, char ins) { return uint64_t(uint32_t(seq)) << 8 | uint8_t(ins == 0 ? ' ' : ins); };
      for (uint32_t r = rb; r < re; ++r) pos_of.emplace(key(out.seq_id[r], out.ins_code[r]), r);
      for (auto g = first; g != ss_ranges.end() && g->chain == cc; ++g) {
        auto s = pos_of.find(key(g->start, g->start_ins));
        auto e = pos_of.find(key(g->end, g->end_ins));
        if (s == pos_of.end() || e == pos_of.end() || s->second > e->second) continue;
        for (uint32_t r = s->second; r <= e->second; ++r)
          if (!is_water(out.res_name[r])) out.ss[r] = g->code;
      }
    }
  }

  // ---- CONECT: serial numbers → atom indices, model by model (serials repeat per model) ----
  if (!conect.empty()) {
    std::vector<std::pair<int32_t, uint32_t>> by_serial;
    for (size_t m = 0; m < models.size(); ++m) {
      uint32_t c0 = out.model_chain_begin[m], c1 = out.model_chain_begin[m + 1];
      if (c0 == c1) continue;
      uint32_t a0 = out.res_atom_begin[out.chain_res_begin[c0]];
      uint32_t a1 = out.res_atom_begin[out.chain_res_begin[c1]];
      by_serial.clear();
      for (uint32_t i = a0; i < a1; ++i) by_serial.emplace_back(out.serial[i], i);
      std::stable_sort(by_serial.begin(), by_serial.end(),
                       [](const auto& p, const auto& q) { return p.first < q.first; });
      auto find = [&](int32_t serial, uint32_t& idx) {
        auto it = std::lower_bound(by_serial.begin(), by_serial.end(), serial,
                                   [](const auto& p, int32_t s) { return p.first < s; });
        if (it == by_serial.end() || it->first != serial) return false;
        idx = it->second;  // first atom with this serial
        return true;
      };
      for (const auto& [sa, sb] : conect) {
        uint32_t ia, ib;
        if (find(sa, ia) && find(sb, ib) && ia != ib)
          out.file_bonds.push_back({std::min(ia, ib), std::max(ia, ib), BondOrder::Single});
      }
    }
    std::sort(out.file_bonds.begin(), out.file_bonds.end(),
              [](const Bond& p, const Bond& q) { return p.a != q.a ? p.a < q.a : p.b < q.b; });
    out.file_bonds.erase(std::unique(out.file_bonds.begin(), out.file_bonds.end(),
                                     [](const Bond& p, const Bond& q) { return p.a == q.a && p.b == q.b; }),
                         out.file_bonds.end());
  }
  return true;
}

}  // namespace foldsight
