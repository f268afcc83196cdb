// PDB reader on real entries from Debian packages (1HPV from pymol-data, 5EEP from tm-align)
// and on small hand-written records for the cases real files rarely show. Expected counts
// are gemmi's (tests/ref/check_counts_pdb compares every shipped file with gemmi).
#include <doctest/doctest.h>
#include <cstdio>
#include <fstream>
#include <set>
#include <sstream>
#include <string>
#include "core/io.h"

using namespace foldsight;

static std::string slurp(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

// One ATOM/HETATM record in the fixed columns of the format.
static std::string atom_rec(const char* rec, int serial, const char* name, char alt, const char* res,
                            const char* chain, int seq, char ins, float x, const char* elem = "C",
                            const char* charge = "  ") {
  char buf[100];
  std::snprintf(buf, sizeof buf, "%-6s%5d %-4s%c%3s%2s%4d%c   %8.3f%8.3f%8.3f%6.2f%6.2f          %2s%2s\n",
                rec, serial, name, alt, res, chain, seq, ins, x, 2.0, 3.0, 1.0, 20.0, elem, charge);
  return buf;
}

static size_t chain_residues(const Structure& s, size_t c) { return s.chain_res_begin[c + 1] - s.chain_res_begin[c]; }

static void check_ranges(const Structure& s) {
  REQUIRE(s.res_atom_begin.size() == s.residue_count() + 1);
  REQUIRE(s.chain_res_begin.size() == s.chain_count() + 1);
  REQUIRE(s.model_chain_begin.size() == s.model_count() + 1);
  CHECK(s.res_atom_begin.back() == s.atom_count());
  CHECK(s.chain_res_begin.back() == s.residue_count());
  CHECK(s.model_chain_begin.back() == s.chain_count());
  for (size_t i = 0; i < s.atom_count(); ++i) {
    uint32_t r = s.atom_residue[i];
    REQUIRE(i >= s.res_atom_begin[r]);
    REQUIRE(i < s.res_atom_begin[r + 1]);
  }
  for (size_t r = 0; r < s.residue_count(); ++r) {
    uint32_t c = s.res_chain[r];
    REQUIRE(r >= s.chain_res_begin[c]);
    REQUIRE(r < s.chain_res_begin[c + 1]);
  }
}

TEST_CASE("read_pdb: 1HPV counts, hierarchy ranges, HELIX/SHEET, CONECT") {
  std::string text = slurp("/usr/share/pymol/data/tut/1hpv.pdb");
  REQUIRE(!text.empty());
  Structure s;
  ParseError err;
  REQUIRE(read_pdb(text, s, &err));
  check_ranges(s);
  // gemmi (charge columns blanked: it rejects 1HPV's "04"): 1 model, 3 chains, 279 residues.
  CHECK(s.atom_count() == 1631);
  CHECK(s.model_count() == 1);
  CHECK(s.chain_count() == 3);
  CHECK(s.residue_count() == 279);
  size_t protein = 0, water = 0;
  for (size_t r = 0; r < s.residue_count(); ++r) {
    protein += is_amino_acid(s.res_name[r]) && !s.het[r];
    water += is_water(s.res_name[r]);
  }
  CHECK(protein == 198);
  CHECK(water > 0);
  // Columns 73-80 hold "1HPV1704" (old style): no element, no charge there.
  for (size_t i = 0; i < s.atom_count(); ++i) REQUIRE(s.charge[i] == 0);
  CHECK(s.has_ss);
  // HELIX ARG 87 - LEU 90 in A and B; SHEET strands.
  size_t helix = 0, strand = 0;
  for (char c : s.ss) helix += c == 'H', strand += c == 'E';
  CHECK(helix == 8);
  CHECK(strand > 40);
  CHECK(std::string(s.atom_name[0].data()) == "N");
  CHECK(std::string(s.res_name[0].data()) == "PRO");
  CHECK(s.element[0] == 7);
  // 35 CONECT records of the inhibitor 478: 37 distinct bonds (each listed from both ends).
  CHECK(s.file_bonds.size() == 37);
  for (const Bond& b : s.file_bonds) {
    REQUIRE(b.a < b.b);
    CHECK(std::string(s.res_name[s.atom_residue[b.a]].data()) == "478");
    CHECK(std::string(s.res_name[s.atom_residue[b.b]].data()) == "478");
  }
  // Serial 1519 (C1) bonds 1522 and 1552.
  std::set<std::pair<int, int>> by_serial;
  for (const Bond& b : s.file_bonds) by_serial.insert({s.serial[b.a], s.serial[b.b]});
  CHECK(by_serial.count({1519, 1522}) == 1);
  CHECK(by_serial.count({1519, 1552}) == 1);
}

TEST_CASE("read_structure: 5EEP.pdb.gz waters after TER stay in chain A (as in gemmi)") {
  std::string gz = slurp("/usr/share/doc/tm-align/examples/5eep.pdb.gz");
  REQUIRE(!gz.empty());
  Structure s;
  ParseError err;
  REQUIRE(read_structure(reinterpret_cast<const uint8_t*>(gz.data()), gz.size(), "5eep.pdb.gz",
                         Format::Auto, s, &err));
  check_ranges(s);
  CHECK(s.model_count() == 1);
  CHECK(s.chain_count() == 1);
  CHECK(s.residue_count() == 180);
  CHECK(s.atom_count() == 1104);
  CHECK(s.name == "5eep.pdb.gz");
}

TEST_CASE("read_structure: 1NI7.pdb.gz, 20 NMR models") {
  std::string gz = slurp("/usr/share/doc/tm-align/examples/1ni7.pdb.gz");
  REQUIRE(!gz.empty());
  Structure s;
  REQUIRE(read_structure(reinterpret_cast<const uint8_t*>(gz.data()), gz.size(), "1ni7.pdb.gz",
                         Format::Auto, s, nullptr));
  check_ranges(s);
  CHECK(s.model_count() == 20);
  CHECK(s.chain_count() == 20);
  CHECK(s.residue_count() == 2980);
  CHECK(s.atom_count() == 45800);
  for (size_t m = 0; m < 20; ++m) CHECK(s.model_num[m] == int(m) + 1);
}

TEST_CASE("read_pdb: hybrid-36 serials and residue numbers") {
  std::string text =
      "ATOM  A0000  CA  ALA A9999      11.000  12.000  13.000  1.00 20.00           C\n"
      "ATOM  A0001  CA  GLY AA000      14.000  12.000  13.000  1.00 20.00           C\n"
      "ATOM  a0000  CA  GLY Aa000      14.000  12.000  13.000  1.00 20.00           C\n"
      "CONECTA0000A0001    1\n";
  Structure s;
  REQUIRE(read_pdb(text, s, nullptr));
  CHECK(s.serial[0] == 100000);
  CHECK(s.serial[1] == 100001);
  CHECK(s.serial[2] == 100000 + 26 * 36 * 36 * 36 * 36);
  CHECK(s.seq_id[0] == 9999);
  CHECK(s.seq_id[1] == 10000);
  CHECK(s.seq_id[2] == 10000 + 26 * 36 * 36 * 36);
  REQUIRE(s.file_bonds.size() == 1);  // serial 1 does not exist; A0000-A0001 does
  CHECK(s.file_bonds[0].a == 0);
  CHECK(s.file_bonds[0].b == 1);
}

TEST_CASE("read_pdb: chains split by TER or by other chains are one chain per model") {
  std::string t;
  t += atom_rec("ATOM", 1, "CA", ' ', "ALA", "A", 1, ' ', 1);
  t += atom_rec("ATOM", 2, "CA", ' ', "GLY", "A", 2, ' ', 2);
  t += "TER       3      GLY A   2\n";
  t += atom_rec("ATOM", 4, "CA", ' ', "SER", "B", 1, ' ', 3);
  t += "TER       5      SER B   1\n";
  t += atom_rec("HETATM", 6, "O", ' ', "HOH", "A", 101, ' ', 4, "O");
  t += atom_rec("HETATM", 7, "O", ' ', "HOH", "B", 101, ' ', 5, "O");
  t += atom_rec("HETATM", 8, "O", ' ', "HOH", "A", 102, ' ', 6, "O");
  Structure s;
  REQUIRE(read_pdb(t, s, nullptr));
  check_ranges(s);
  REQUIRE(s.chain_count() == 2);
  CHECK(s.chain_auth[0] == "A");
  CHECK(s.chain_auth[1] == "B");
  CHECK(chain_residues(s, 0) == 4);  // ALA 1, GLY 2, HOH 101, HOH 102
  CHECK(chain_residues(s, 1) == 2);
  // Atoms were put in hierarchy order: chain A's waters now precede chain B.
  CHECK(s.serial[0] == 1);
  CHECK(s.serial[2] == 6);
  CHECK(s.serial[3] == 8);
  CHECK(s.serial[4] == 4);
  CHECK(s.het[2] == 1);
  CHECK(s.x[2] == doctest::Approx(4.0));
}

TEST_CASE("read_pdb: residue identity (altloc blocks, insertion codes, microheterogeneity, ATOM/HETATM)") {
  std::string t;
  // Residues 10 and 11 in conformer A, then both again in conformer B: gemmi joins the B atoms
  // to the residues already read.
  t += atom_rec("ATOM", 1, "CA", 'A', "LEU", "A", 10, ' ', 1);
  t += atom_rec("ATOM", 2, "CA", 'A', "SER", "A", 11, ' ', 2);
  t += atom_rec("ATOM", 3, "CA", 'B', "LEU", "A", 10, ' ', 3);
  t += atom_rec("ATOM", 4, "CA", 'B', "SER", "A", 11, ' ', 4);
  // Insertion codes: 12, 12A, 12B are three residues.
  t += atom_rec("ATOM", 5, "CA", ' ', "GLY", "A", 12, ' ', 5);
  t += atom_rec("ATOM", 6, "CA", ' ', "GLY", "A", 12, 'A', 6);
  t += atom_rec("ATOM", 7, "CA", ' ', "GLY", "A", 12, 'B', 7);
  // Microheterogeneity: two names at one position are two residues.
  t += atom_rec("ATOM", 8, "CA", 'A', "ALA", "A", 13, ' ', 8);
  t += atom_rec("ATOM", 9, "CA", 'B', "VAL", "A", 13, ' ', 9);
  // A HETATM inside a residue does not split it.
  t += atom_rec("ATOM", 10, "CA", ' ', "MSE", "A", 14, ' ', 10);
  t += atom_rec("HETATM", 11, "SE", ' ', "MSE", "A", 14, ' ', 11, "SE");
  Structure s;
  REQUIRE(read_pdb(t, s, nullptr));
  check_ranges(s);
  CHECK(s.chain_count() == 1);
  REQUIRE(s.residue_count() == 8);
  CHECK(s.seq_id[0] == 10);
  CHECK(s.res_atom_begin[1] - s.res_atom_begin[0] == 2);
  CHECK(s.altloc[0] == 'A');
  CHECK(s.altloc[1] == 'B');
  CHECK(s.x[1] == doctest::Approx(3.0));
  CHECK(s.ins_code[2] == ' ');
  CHECK(s.ins_code[3] == 'A');
  CHECK(s.ins_code[4] == 'B');
  CHECK(std::string(s.res_name[6].data()) == "VAL");
  CHECK(s.het[7] == 0);
  CHECK(s.res_atom_begin[8] - s.res_atom_begin[7] == 2);
  CHECK(s.element[10] == 34);
}

TEST_CASE("read_pdb: models (MODEL/ENDMDL, empty models, atoms outside MODEL)") {
  std::string a = atom_rec("ATOM", 1, "CA", ' ', "ALA", "A", 1, ' ', 1);
  Structure s;
  REQUIRE(read_pdb("MODEL        1\nENDMDL\nMODEL        2\n" + a + "ENDMDL\n", s, nullptr));
  check_ranges(s);
  CHECK(s.model_count() == 2);  // gemmi counts the empty model too
  CHECK(s.model_num[1] == 2);
  CHECK(s.model_chain_begin[1] == 0);
  REQUIRE(read_pdb(a + "ENDMDL\nMODEL        2\n" + a + "ENDMDL\n" + a, s, nullptr));
  check_ranges(s);
  CHECK(s.model_count() == 3);
  CHECK(s.chain_count() == 3);
  CHECK(s.chain_model[2] == 2);
  REQUIRE(read_pdb("MODEL        7\n" + a + "ENDMDL\nEND\n" + a, s, nullptr));
  CHECK(s.model_count() == 1);
  CHECK(s.model_num[0] == 7);
  CHECK(s.atom_count() == 1);  // nothing after END is read
}

TEST_CASE("read_pdb: CONECT stays inside each model and drops duplicates") {
  std::string m;
  m += atom_rec("HETATM", 1, "C1", ' ', "LIG", "A", 1, ' ', 1);
  m += atom_rec("HETATM", 2, "C2", ' ', "LIG", "A", 1, ' ', 2);
  m += atom_rec("HETATM", 3, "O1", ' ', "LIG", "A", 1, ' ', 3, "O");
  std::string t = "MODEL        1\n" + m + "ENDMDL\nMODEL        2\n" + m + "ENDMDL\n";
  t += "CONECT    1    2\nCONECT    2    1    3\nCONECT    3    2\nCONECT    2    3    9\n";
  Structure s;
  REQUIRE(read_pdb(t, s, nullptr));
  REQUIRE(s.file_bonds.size() == 4);  // 1-2 and 2-3 in each model; serial 9 is absent
  CHECK(s.file_bonds[0].a == 0);
  CHECK(s.file_bonds[0].b == 1);
  CHECK(s.file_bonds[1].a == 1);
  CHECK(s.file_bonds[1].b == 2);
  CHECK(s.file_bonds[2].a == 3);
  CHECK(s.file_bonds[3].b == 5);
}

TEST_CASE("read_pdb: charges, elements and two-character chain ids") {
  std::string t;
  t += atom_rec("HETATM", 1, "FE", ' ', "HEM", "A", 1, ' ', 1, "FE", "2+");
  t += atom_rec("HETATM", 2, "O", ' ', "HOH", "A", 2, ' ', 2, "O", "+2");
  t += atom_rec("ATOM", 3, "NZ", ' ', "LYS", "A", 3, ' ', 3, "N", "1-");
  t += atom_rec("ATOM", 4, "CA", ' ', "ALA", "A", 4, ' ', 4, "C", "68");  // malformed: ignored
  t += atom_rec("HETATM", 5, "CL", ' ', "CL", "A", 5, ' ', 5, "  ");      // element from the name
  t += atom_rec("ATOM", 6, "HG21", ' ', "THR", "A", 6, ' ', 6, "  ");     // H, not Hg
  t += atom_rec("ATOM", 7, "CA", ' ', "ALA", "XY", 1, ' ', 7);
  Structure s;
  ParseError err;
  REQUIRE(read_pdb(t, s, &err));
  CHECK(s.charge[0] == 2);
  CHECK(s.charge[1] == 2);
  CHECK(s.charge[2] == -1);
  CHECK(s.charge[3] == 0);
  CHECK(s.element[0] == 26);
  CHECK(s.element[4] == 17);
  CHECK(s.element[5] == 1);
  REQUIRE(s.chain_count() == 2);
  CHECK(s.chain_auth[1] == "XY");
}

TEST_CASE("read_pdb: HELIX/SHEET ranges follow chain order across insertion codes") {
  std::string t;
  int serial = 1;
  const char ins[] = {' ', ' ', 'A', 'B', ' ', ' '};
  const int seq[] = {1, 2, 2, 2, 3, 4};
  for (int i = 0; i < 6; ++i) t += atom_rec("ATOM", serial++, "CA", ' ', "ALA", "A", seq[i], ins[i], float(i));
  t = "HELIX    1   1 ALA A    2A ALA A    3  5                                   4\n" + t;
  Structure s;
  REQUIRE(read_pdb(t, s, nullptr));
  CHECK(s.has_ss);
  CHECK(std::string(s.ss.begin(), s.ss.end()) == "--GGG-");
}

TEST_CASE("read_pdb: malformed input names the line and never crashes") {
  Structure s;
  ParseError err;
  CHECK_FALSE(read_pdb("HEADER x\nATOM      1  CA  ALA A   1      1.0     2.0\n", s, &err));
  CHECK(err.line == 2);
  CHECK_FALSE(read_pdb("HEADER x\nATOM      1  CA  ALA A   1     abc     2.000   3.000\n", s, &err));
  CHECK(err.line == 2);
  CHECK_FALSE(read_pdb(std::string("\x01\x02\x03garbage\n", 11), s, &err));
  CHECK(err.line == 1);
  CHECK_FALSE(read_pdb(std::string(200000, 'A'), s, &err));
  CHECK(err.line == 1);
  CHECK_FALSE(read_pdb("HEADER only\nEND\n", s, &err));
  CHECK(s.atom_count() == 0);
}

TEST_CASE("detect_format: extension first, then content") {
  auto detect = [](const char* name, const std::string& text) {
    return detect_format(name, reinterpret_cast<const uint8_t*>(text.data()), text.size());
  };
  CHECK(detect("a.PDB.gz", "data_x") == Format::Pdb);
  CHECK(detect("a.ent", "") == Format::Pdb);
  CHECK(detect("a.cif.gz", "") == Format::Mmcif);
  CHECK(detect("upload", "# written by a tool\n#\n\ndata_1ABC\n") == Format::Mmcif);
  CHECK(detect("upload", "HEADER    PROTEIN\nATOM      1") == Format::Pdb);
  CHECK(detect("upload", "\n>sp|P1\nMKV\n") == Format::Fasta);
  CHECK(detect("upload", "\x83\xa7version") == Format::BinaryCif);
}
