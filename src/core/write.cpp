// PDB and mmCIF writers. The mmCIF writer emits every category of cif_out.h (atom_site with
// label and auth ids, entities, secondary structure, assemblies, struct_conn, pLDDT), so
// read → write → read gives back the same Structure. The PDB writer keeps what the format
// can hold: serials and residue numbers beyond its columns in hybrid-36, HELIX/SHEET from
// the secondary structure, CONECT from the file bonds.
#include <cctype>
#include <cstdio>
#include <cstring>
#include <string>
#include "cif_out.h"
#include "io.h"

namespace foldsight {
namespace {

bool is_reserved(std::string_view v) {
  auto ieq = [&](const char* w) {
    size_t n = std::strlen(w);
    if (v.size() < n) return false;
    for (size_t i = 0; i < n; ++i)
      if (std::tolower((unsigned char)v[i]) != w[i]) return false;
    return true;
  };
  return ieq("data_") || ieq("save_") || (v.size() == 5 && ieq("loop_")) || (v.size() == 7 && ieq("global_")) ||
         (v.size() == 5 && ieq("stop_"));
}

void append_cif_value(std::string& out, std::string_view v) {
  if (v.empty()) { out += '?'; return; }
  bool plain = !(v[0] == '_' || v[0] == '#' || v[0] == '$' || v[0] == '\'' || v[0] == '"' || v[0] == ';' ||
                 v[0] == '[' || v[0] == ']' || v == "?" || v == "." || is_reserved(v));
  bool newline = false, sq_ws = false, dq_ws = false;
  for (size_t i = 0; i < v.size(); ++i) {
    char c = v[i];
    if (c == ' ' || c == '\t') plain = false;
    if (c == '\n' || c == '\r') newline = true;
    bool end = i + 1 == v.size() || v[i + 1] == ' ' || v[i + 1] == '\t';
    if (c == '\'' && end) sq_ws = true;
    if (c == '"' && end) dq_ws = true;
  }
  if (plain && !newline) { out += v; return; }
  if (newline || (sq_ws && dq_ws)) {
    out += "\n;";
    out += v;
    out += "\n;\n";
    return;
  }
  char q = sq_ws ? '"' : '\'';
  out += q;
  out += v;
  out += q;
}

void append_cell(std::string& out, const OutColumn& c, size_t row, std::string& scratch) {
  if (c.null_at) {
    CifNull n = c.null_at(row);
    if (n != CifNull::Present) { out += n == CifNull::Inapplicable ? '.' : '?'; return; }
  }
  char buf[40];
  switch (c.kind) {
    case OutColumn::Int: {
      int len = std::snprintf(buf, sizeof buf, "%d", c.int_at(row));
      out.append(buf, size_t(len));
      break;
    }
    case OutColumn::Float: out += float_text(c.float_at(row), buf, sizeof buf); break;
    case OutColumn::Str: append_cif_value(out, c.str_at(row, scratch)); break;
  }
}

std::string block_name(const std::string& name) {
  std::string n;
  for (char c : name) n += (std::isspace((unsigned char)c) || !std::isprint((unsigned char)c)) ? '_' : c;
  return n.empty() ? "foldsight" : n;
}

// Hybrid-36 (as in the PDB and cctbx): decimal below 10^width, then base-36 with upper-case
// letters first ("A0000" = 100000), then lower case.
std::string hy36(int width, int value) {
  long long v = value;
  long long dec = 1;
  for (int i = 0; i < width; ++i) dec *= 10;
  long long neg_lim = dec / 10;
  if (v < dec && v > -neg_lim) {
    char b[16];
    std::snprintf(b, sizeof b, "%*lld", width, v);
    return b;
  }
  long long span = 26;
  for (int i = 1; i < width; ++i) span *= 36;
  long long off = 10;
  for (int i = 1; i < width; ++i) off *= 36;
  const char* digits = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ";
  long long k = v - dec;
  if (k >= 0 && k < span) {
    k += off;
  } else if (k >= span && k < 2 * span) {
    k = k - span + off;
    digits = "0123456789abcdefghijklmnopqrstuvwxyz";
  } else {
    return std::string(size_t(width), '*');
  }
  std::string r(size_t(width), '0');
  for (int i = width - 1; i >= 0; --i) {
    r[size_t(i)] = digits[k % 36];
    k /= 36;
  }
  return r;
}

std::vector<SsRun> pdb_ss_runs(const Structure& s) {
  std::vector<SsRun> runs;
  for (const SsRun& run : secondary_structure_runs(s))
    if (run.code == 'H' || run.code == 'G' || run.code == 'I' || run.code == 'E') runs.push_back(run);
  return runs;
}

}  // namespace

std::string write_mmcif(const Structure& s) {
  std::vector<OutCategory> cats = structure_categories(s);
  std::string out;
  out.reserve(s.atom_count() * 90 + 4096);
  out += "data_" + block_name(s.name) + "\n#\n";
  std::string scratch;
  for (const OutCategory& cat : cats) {
    if (cat.rows == 0) continue;
    if (cat.rows == 1) {
      for (const OutColumn& c : cat.cols) {
        out += '_' + cat.name + '.' + c.name + ' ';
        append_cell(out, c, 0, scratch);
        out += '\n';
      }
    } else {
      out += "loop_\n";
      for (const OutColumn& c : cat.cols) out += '_' + cat.name + '.' + c.name + '\n';
      for (size_t r = 0; r < cat.rows; ++r) {
        for (size_t k = 0; k < cat.cols.size(); ++k) {
          if (k) out += ' ';
          append_cell(out, cat.cols[k], r, scratch);
        }
        out += '\n';
      }
    }
    out += "#\n";
  }
  return out;
}

std::string write_pdb(const Structure& s) {
  std::string out;
  out.reserve(s.atom_count() * 82 + 256);
  char buf[160];
  auto chain_char = [&](uint32_t c) { return s.chain_auth[c].empty() ? ' ' : s.chain_auth[c][0]; };

  // HELIX / SHEET from the first model's secondary structure.
  int nh = 0, ns = 0;
  for (const SsRun& run : pdb_ss_runs(s)) {
    uint32_t c = s.res_chain[run.first];
    std::string b = hy36(4, s.seq_id[run.first]), e = hy36(4, s.seq_id[run.last]);
    if (run.code == 'E') {
      ++ns;
      std::snprintf(buf, sizeof buf, "SHEET  %3d %3s%2d %3.3s %c%4s%c %3.3s %c%4s%c%2d\n", ns % 1000, "A", 1,
                    s.res_name[run.first].data(), chain_char(c), b.c_str(), s.ins_code[run.first],
                    s.res_name[run.last].data(), chain_char(c), e.c_str(), s.ins_code[run.last], 0);
    } else {
      ++nh;
      int cls = run.code == 'G' ? 5 : run.code == 'I' ? 3 : 1;
      std::snprintf(buf, sizeof buf, "HELIX  %3d %3d %3.3s %c %4s%c %3.3s %c %4s%c%2d%36s%5u\n", nh % 1000,
                    nh % 1000, s.res_name[run.first].data(), chain_char(c), b.c_str(), s.ins_code[run.first],
                    s.res_name[run.last].data(), chain_char(c), e.c_str(), s.ins_code[run.last], cls, "",
                    run.last - run.first + 1);
    }
    out += buf;
  }

  // Serials must be unique and increasing within a model for CONECT to refer to atoms;
  // otherwise renumber 1..n per model.
  std::vector<int32_t> serial(s.serial);
  for (size_t m = 0; m < s.model_count(); ++m) {
    uint32_t c0 = s.model_chain_begin[m], c1 = s.model_chain_begin[m + 1];
    if (c0 == c1) continue;
    uint32_t a0 = s.res_atom_begin[s.chain_res_begin[c0]], a1 = s.res_atom_begin[s.chain_res_begin[c1]];
    bool ok = true;
    for (uint32_t a = a0; a < a1 && ok; ++a) ok = serial[a] > 0 && (a == a0 || serial[a] > serial[a - 1]);
    if (!ok)
      for (uint32_t a = a0; a < a1; ++a) serial[a] = int32_t(a - a0 + 1);
  }

  bool multi = s.model_count() > 1;
  for (size_t m = 0; m < s.model_count(); ++m) {
    if (multi) {
      std::snprintf(buf, sizeof buf, "MODEL     %4d\n", s.model_num[m]);
      out += buf;
    }
    for (uint32_t c = s.model_chain_begin[m]; c < s.model_chain_begin[m + 1]; ++c) {
      char chain = chain_char(c);
      for (uint32_t r = s.chain_res_begin[c]; r < s.chain_res_begin[c + 1]; ++r) {
        std::string seq = hy36(4, s.seq_id[r]);
        for (uint32_t a = s.res_atom_begin[r]; a < s.res_atom_begin[r + 1]; ++a) {
          // PDB convention: names shorter than 4 chars start in column 14 unless the
          // element symbol has two letters.
          const char* el = s.element[a] ? element_symbol(s.element[a]) : "";
          const char* name = s.atom_name[a].data();
          char name_field[6];
          if (std::strlen(name) < 4 && std::strlen(el) != 2)
            std::snprintf(name_field, sizeof name_field, " %-3s", name);
          else
            std::snprintf(name_field, sizeof name_field, "%-4s", name);
          char charge[3] = "  ";
          if (s.charge[a] != 0 && s.charge[a] > -10 && s.charge[a] < 10) {
            charge[0] = char('0' + (s.charge[a] < 0 ? -s.charge[a] : s.charge[a]));
            charge[1] = s.charge[a] < 0 ? '-' : '+';
          }
          std::string ser = hy36(5, serial[a]);
          std::snprintf(buf, sizeof buf, "%-6s%5s %4s%c%3.3s %c%4s%c   %8.3f%8.3f%8.3f%6.2f%6.2f          %2s%2s\n",
                        s.het[r] ? "HETATM" : "ATOM", ser.c_str(), name_field, s.altloc[a], s.res_name[r].data(),
                        chain, seq.c_str(), s.ins_code[r], s.x[a], s.y[a], s.z[a], s.occupancy[a], s.b_factor[a], el,
                        charge);
          out += buf;
        }
      }
      if (s.chain_res_begin[c + 1] > s.chain_res_begin[c] && !s.het[s.chain_res_begin[c + 1] - 1]) out += "TER\n";
    }
    if (multi) out += "ENDMDL\n";
  }
  for (const Bond& b : s.file_bonds) {
    if (b.a >= s.atom_count() || b.b >= s.atom_count()) continue;
    std::snprintf(buf, sizeof buf, "CONECT%5s%5s\n", hy36(5, serial[b.a]).c_str(), hy36(5, serial[b.b]).c_str());
    out += buf;
  }
  out += "END\n";
  return out;
}

}  // namespace foldsight
