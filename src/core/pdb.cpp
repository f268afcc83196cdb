// PDB format reader (fixed columns). Handles ATOM/HETATM, MODEL/ENDMDL, TER, altlocs,
// insertion codes and hybrid-36 serials. HELIX/SHEET records set residue secondary structure.
#include <cstdlib>
#include <cstring>
#include <string>
#include "io.h"

namespace foldsight {
namespace {

std::string_view col(std::string_view line, size_t a, size_t b) {  // 1-based inclusive columns
  if (line.size() < a) return {};
  return line.substr(a - 1, std::min(b, line.size()) - (a - 1));
}

std::string_view trim(std::string_view s) {
  while (!s.empty() && (s.front() == ' ' || s.front() == '\t')) s.remove_prefix(1);
  while (!s.empty() && (s.back() == ' ' || s.back() == '\t' || s.back() == '\r')) s.remove_suffix(1);
  return s;
}

bool parse_float(std::string_view s, float& v) {
  s = trim(s);
  if (s.empty() || s.size() > 31) return false;
  char buf[32];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  char* end = nullptr;
  v = std::strtof(buf, &end);
  return end == buf + s.size();
}

bool parse_int(std::string_view s, int& v) {
  s = trim(s);
  if (s.empty() || s.size() > 11) return false;
  char buf[16];
  std::memcpy(buf, s.data(), s.size());
  buf[s.size()] = 0;
  char* end = nullptr;
  long r = std::strtol(buf, &end, 10);
  if (end != buf + s.size()) return false;
  v = int(r);
  return true;
}

// Hybrid-36 (used for serials > 99999 and residue numbers > 9999).
bool parse_hybrid36(std::string_view s, int width, int& v) {
  s = trim(s);
  if (s.empty()) return false;
  char c = s[0];
  if (c == '-' || (c >= '0' && c <= '9')) return parse_int(s, v);
  if (int(s.size()) != width) return false;
  bool upper = c >= 'A' && c <= 'Z';
  long val = 0;
  for (char ch : s) {
    int d;
    if (ch >= '0' && ch <= '9') d = ch - '0';
    else if (upper && ch >= 'A' && ch <= 'Z') d = ch - 'A' + 10;
    else if (!upper && ch >= 'a' && ch <= 'z') d = ch - 'a' + 10;
    else return false;
    val = val * 36 + d;
  }
  long pow10 = 1;
  for (int i = 0; i < width; ++i) pow10 *= 10;
  long pow36 = 1;
  for (int i = 0; i < width - 1; ++i) pow36 *= 36;
  // "A000" (upper) starts right after 10^width - 1.
  v = int(val - 10 * pow36 + pow10 + (upper ? 0 : 26 * pow36));
  return true;
}

struct SsRange { char chain; int start; char start_ins; int end; char end_ins; char code; };

}  // namespace

bool read_pdb(std::string_view text, Structure& out, ParseError* err) {
  out = Structure{};
  StructureBuilder b(out);
  std::vector<SsRange> ss_ranges;
  int line_no = 0;
  bool in_model = false, model_has_atoms = false;
  std::string cur_chain;
  bool have_chain = false, have_res = false;
  ResName cur_res{};
  int cur_seq = 0;
  char cur_ins = ' ';
  bool cur_het = false;
  bool chain_terminated = false;
  size_t pos = 0;
  auto fail = [&](const std::string& msg) {
    if (err) { err->line = line_no; err->message = msg; }
    out = Structure{};
    return false;
  };
  while (pos < text.size()) {
    size_t nl = text.find('\n', pos);
    if (nl == std::string_view::npos) nl = text.size();
    std::string_view line = text.substr(pos, nl - pos);
    pos = nl + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.size() > 1000) return fail("line is " + std::to_string(line.size()) + " characters long; PDB lines are at most 80");
    for (char ch : line)
      if (static_cast<unsigned char>(ch) < 9 || (static_cast<unsigned char>(ch) > 13 && static_cast<unsigned char>(ch) < 32))
        return fail("binary data in a PDB file");
    if (line.size() < 6 && line.substr(0, 3) != "END" && line.substr(0, 3) != "TER") {
      continue;
    }
    std::string_view rec = line.substr(0, std::min<size_t>(6, line.size()));
    if (rec == "ATOM  " || rec == "HETATM") {
      if (line.size() < 54) return fail("ATOM/HETATM record too short for coordinates (needs 54 columns, has " + std::to_string(line.size()) + ")");
      float x, y, z;
      if (!parse_float(col(line, 31, 38), x) || !parse_float(col(line, 39, 46), y) ||
          !parse_float(col(line, 47, 54), z))
        return fail("coordinates in columns 31-54 are not numbers");
      float occ = 1.0f, bf = 0.0f;
      if (line.size() >= 60 && !trim(col(line, 55, 60)).empty() && !parse_float(col(line, 55, 60), occ))
        return fail("occupancy in columns 55-60 is not a number");
      if (line.size() >= 66 && !trim(col(line, 61, 66)).empty() && !parse_float(col(line, 61, 66), bf))
        return fail("B-factor in columns 61-66 is not a number");
      int serial = 0;
      if (!trim(col(line, 7, 11)).empty() && !parse_hybrid36(col(line, 7, 11), 5, serial))
        return fail("atom serial in columns 7-11 is not a number");
      int seq = 0;
      if (!parse_hybrid36(col(line, 23, 26), 4, seq)) return fail("residue number in columns 23-26 is not a number");
      std::string_view aname = col(line, 13, 16);
      char alt = line.size() >= 17 ? line[16] : ' ';
      std::string_view rname = col(line, 18, 20);
      if (line.size() >= 21 && line[20] != ' ') rname = col(line, 18, 21);  // 4-char residue names
      std::string chain(trim(col(line, 22, 22)));
      char ins = line.size() >= 27 ? line[26] : ' ';
      bool het = rec == "HETATM";
      if (!in_model && out.model_num.empty()) b.begin_model(1);
      model_has_atoms = true;
      ResName rn = make_resname(rname.data(), rname.size());
      if (!have_chain || chain != cur_chain || chain_terminated) {
        // A chain id seen again after TER (e.g. waters after the protein) stays one chain
        // in the author's naming, but a new chain record keeps hierarchy ranges contiguous.
        b.begin_chain(chain, chain, "");
        cur_chain = chain;
        have_chain = true;
        have_res = false;
        chain_terminated = false;
      }
      if (!have_res || seq != cur_seq || ins != cur_ins || rn != cur_res || het != cur_het) {
        b.begin_residue(rn, seq, seq, ins, het);
        cur_res = rn; cur_seq = seq; cur_ins = ins; cur_het = het; have_res = true;
      }
      Name4 an = make_name4(aname.data(), aname.size());
      uint8_t el = 0;
      if (line.size() >= 78) el = element_from_symbol(col(line, 77, 78).data(), col(line, 77, 78).size());
      if (!el) el = element_from_atom_name(an, rn);
      int charge = 0;
      if (line.size() >= 80) {
        std::string_view c = col(line, 79, 80);
        if (c.size() == 2 && c[0] >= '0' && c[0] <= '9' && (c[1] == '+' || c[1] == '-'))
          charge = (c[0] - '0') * (c[1] == '-' ? -1 : 1);
      }
      b.add_atom(an, el, alt, x, y, z, occ, bf, int8_t(charge), serial);
    } else if (rec == "MODEL ") {
      int num = int(out.model_num.size()) + 1;
      parse_int(col(line, 11, 14), num);
      if (!out.model_num.empty() && !model_has_atoms && !in_model) {
        out.model_num.back() = num;  // implicit model 1 that is still empty
      } else {
        b.begin_model(num);
      }
      in_model = true;
      model_has_atoms = false;
      have_chain = false;
    } else if (rec == "ENDMDL") {
      in_model = false;
      have_chain = false;
    } else if (rec.substr(0, 3) == "TER") {
      chain_terminated = true;
    } else if (rec == "HELIX ") {
      int s = 0, e = 0, cls = 1;
      if (line.size() < 37 || !parse_int(col(line, 22, 25), s) || !parse_int(col(line, 34, 37), e)) continue;
      parse_int(col(line, 39, 40), cls);
      char code = cls == 5 ? 'G' : cls == 3 ? 'I' : 'H';
      ss_ranges.push_back({line[19], s, line.size() > 25 ? line[25] : ' ', e, line.size() > 37 ? line[37] : ' ', code});
    } else if (rec == "SHEET ") {
      int s = 0, e = 0;
      if (line.size() < 37 || !parse_int(col(line, 23, 26), s) || !parse_int(col(line, 34, 37), e)) continue;
      ss_ranges.push_back({line[21], s, line.size() > 26 ? line[26] : ' ', e, line.size() > 37 ? line[37] : ' ', 'E'});
    } else if (rec == "END   " || rec == "END") {
      break;
    }
  }
  if (out.x.empty()) return fail("no ATOM or HETATM records: not a PDB coordinate file");
  // Drop trailing empty model created by a MODEL record with no atoms.
  b.finish();
  if (!ss_ranges.empty()) {
    out.has_ss = true;
    for (size_t r = 0; r < out.residue_count(); ++r) {
      const std::string& ch = out.chain_auth[out.res_chain[r]];
      char c = ch.empty() ? ' ' : ch[0];
      for (const SsRange& g : ss_ranges) {
        if (g.chain != c) continue;
        int sq = out.seq_id[r];
        bool after_start = sq > g.start || (sq == g.start && (out.ins_code[r] >= g.start_ins));
        bool before_end = sq < g.end || (sq == g.end && out.ins_code[r] <= g.end_ins);
        if (after_start && before_end && !out.het[r]) out.ss[r] = g.code;
      }
    }
  }
  return true;
}

}  // namespace foldsight
