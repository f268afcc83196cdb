// libFuzzer target: the selection language (typed by users, and carried by share links and
// session files as each representation's selection). The input is the expression; it is parsed
// and evaluated on a small structure built once from PDB text (two models; protein, DNA, a
// heme ligand, waters, hydrogens, altlocs, insertion codes, negative residue numbers).
// Invariants: an error names a position inside the expression and a message; an accepted
// selection has valid node links and gives one 0/1 per atom, and `not (X)` selects exactly
// the complement of X. (select_atoms is parse + evaluate; calling it too would only halve the
// rate: the error path's spelling suggestion dominates the time of a refused expression.)
#include <cmath>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <string>
#include <string_view>
#include <vector>
#include "core/io.h"
#include "core/selection.h"
#include "fuzz_invariants.h"

namespace {

using namespace foldsight;

void atom_line(std::string& out, bool het, int serial, const char* name, char alt, const char* resn, char chain, int resi,
               char ins, double x, double y, double z, double occ, double b, const char* elem) {
  char line[96];
  std::snprintf(line, sizeof line, "%-6s%5d %-4s%c%3s %c%4d%c   %8.3f%8.3f%8.3f%6.2f%6.2f          %2s\n",
                het ? "HETATM" : "ATOM", serial, name, alt, resn, chain, resi, ins, x, y, z, occ, b, elem);
  out += line;
}

std::string test_structure_pdb() {
  std::string t;
  int serial = 1;
  const char* resn[] = {"MET", "ALA", "GLY", "SER", "LYS", "GLU", "CYS", "TRP", "PRO", "HIS"};
  const int resi[] = {-2, -1, 1, 2, 5, 5, 5, 6, 7, 8};
  const char ins[] = {' ', ' ', ' ', ' ', ' ', 'A', 'B', ' ', ' ', ' '};
  for (int model = 1; model <= 2; ++model) {
    char head[32];
    std::snprintf(head, sizeof head, "MODEL     %4d\n", model);
    t += head;
    const double shift = (model - 1) * 0.7;
    for (int r = 0; r < 10; ++r) {
      const double x = 3.8 * r + shift, y = 2.0 * std::sin(r), z = 1.5 * std::cos(r);
      const double b = 10 + 8 * r;
      atom_line(t, false, serial++, " N", ' ', resn[r], 'A', resi[r], ins[r], x - 1.2, y + 0.4, z, 1, b, "N");
      atom_line(t, false, serial++, " CA", ' ', resn[r], 'A', resi[r], ins[r], x, y, z, 1, b, "C");
      atom_line(t, false, serial++, " C", ' ', resn[r], 'A', resi[r], ins[r], x + 1.3, y - 0.3, z + 0.2, 1, b, "C");
      atom_line(t, false, serial++, " O", ' ', resn[r], 'A', resi[r], ins[r], x + 1.6, y - 1.4, z + 0.5, 1, b, "O");
      if (r != 2) {  // glycine has no CB
        atom_line(t, false, serial++, " CB", 'A', resn[r], 'A', resi[r], ins[r], x, y + 1.5, z - 0.4, 0.6, b, "C");
        atom_line(t, false, serial++, " CB", 'B', resn[r], 'A', resi[r], ins[r], x, y + 1.4, z - 0.6, 0.4, b, "C");
      }
      atom_line(t, false, serial++, " H", ' ', resn[r], 'A', resi[r], ins[r], x - 1.5, y + 1.3, z, 1, b, "H");
      atom_line(t, false, serial++, " HA", ' ', resn[r], 'A', resi[r], ins[r], x + 0.1, y - 0.9, z - 0.8, 1, b, "H");
    }
    t += "TER\n";
    const char* dna[] = {"DA", "DG"};
    for (int r = 0; r < 2; ++r) {
      const double x = 6.0 * r + shift, y = 12.0, z = 3.0;
      atom_line(t, false, serial++, " P", ' ', dna[r], 'b', r + 1, ' ', x, y, z, 1, 30, "P");
      atom_line(t, false, serial++, " OP1", ' ', dna[r], 'b', r + 1, ' ', x + 1, y + 1, z, 1, 30, "O");
      atom_line(t, false, serial++, " C1'", ' ', dna[r], 'b', r + 1, ' ', x + 2, y - 1, z + 1, 1, 30, "C");
      atom_line(t, false, serial++, " N9", ' ', dna[r], 'b', r + 1, ' ', x + 3, y - 1, z + 2, 1, 30, "N");
    }
    t += "TER\n";
    atom_line(t, true, serial++, "FE", ' ', "HEM", 'A', 101, ' ', 8 + shift, 4, 4, 1, 55, "FE");
    atom_line(t, true, serial++, " NA", ' ', "HEM", 'A', 101, ' ', 9 + shift, 5, 4, 1, 55, "N");
    atom_line(t, true, serial++, " C1A", ' ', "HEM", 'A', 101, ' ', 10 + shift, 5.5, 4.5, 1, 55, "C");
    for (int w = 0; w < 3; ++w)
      atom_line(t, true, serial++, " O", ' ', "HOH", 'W', 201 + w, ' ', 5.0 * w + shift, -6, 0, 1, 70, "O");
    t += "ENDMDL\n";
  }
  t += "END\n";
  return t;
}

const Structure& structure() {
  static const Structure s = [] {
    Structure s;
    ParseError err;
    const std::string text = test_structure_pdb();
    if (!read_pdb(text, s, &err)) {
      std::fprintf(stderr, "fuzz_selection: test structure does not parse: %s (line %d)\n", err.message.c_str(), err.line);
      __builtin_trap();
    }
    return s;
  }();
  return s;
}

void check_links(const Selection& sel) {
  const int n = int(sel.nodes.size());
  require(sel.root >= 0 && sel.root < n);
  for (const Selection::Node& node : sel.nodes) require(node.a < n && node.b < n);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  check_structure(structure());
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const Structure& s = structure();
  const size_t na = s.atom_count();
  std::string_view expr(reinterpret_cast<const char*>(data), size);
  Selection sel;
  SelectionError err;
  if (!parse_selection(expr, sel, &err)) {
    require(!err.message.empty() && err.position <= expr.size());
    require(sel.root < 0);
    require(!format_selection_error(expr, err).empty());
    std::vector<uint8_t> mask;
    Selection refused;  // evaluating a refused selection selects nothing
    evaluate_selection(refused, s, mask);
    require(mask.size() == na);
    for (uint8_t v : mask) require(v == 0);
    return 0;
  }
  check_links(sel);
  std::vector<uint8_t> mask;
  evaluate_selection(sel, s, mask);
  require(mask.size() == na);
  for (uint8_t v : mask) require(v <= 1);
  SelectionError err2;
  // The complement; may be refused only for the size limit or nesting it adds.
  const std::string negated = "not (" + std::string(expr) + ")";
  Selection neg;
  if (parse_selection(negated, neg, &err2)) {
    check_links(neg);
    std::vector<uint8_t> inverse;
    evaluate_selection(neg, s, inverse);
    require(inverse.size() == na);
    for (size_t i = 0; i < na; ++i) require(inverse[i] == (mask[i] ? 0 : 1));
  }
  return 0;
}
