// PDB reader on a real entry (1HPV from Debian's pymol-data) and on malformed input.
#include <doctest/doctest.h>
#include <fstream>
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

TEST_CASE("read_pdb: 1HPV counts, hierarchy ranges and HELIX/SHEET") {
  std::string text = slurp("/usr/share/pymol/data/tut/1hpv.pdb");
  REQUIRE(!text.empty());
  Structure s;
  ParseError err;
  REQUIRE(read_pdb(text, s, &err));
  // 1631 ATOM/HETATM records: two 99-residue protease chains, the inhibitor and waters.
  CHECK(s.atom_count() == 1631);
  CHECK(s.model_count() == 1);
  size_t protein = 0, water = 0;
  for (size_t r = 0; r < s.residue_count(); ++r) {
    protein += is_amino_acid(s.res_name[r]) && !s.het[r];
    water += is_water(s.res_name[r]);
  }
  CHECK(protein == 198);
  CHECK(water > 0);
  CHECK(s.res_atom_begin.size() == s.residue_count() + 1);
  CHECK(s.res_atom_begin.back() == s.atom_count());
  CHECK(s.chain_res_begin.back() == s.residue_count());
  for (size_t i = 0; i < s.atom_count(); ++i) {
    uint32_t r = s.atom_residue[i];
    REQUIRE(i >= s.res_atom_begin[r]);
    REQUIRE(i < s.res_atom_begin[r + 1]);
  }
  CHECK(s.has_ss);
  size_t strand = 0;
  for (char c : s.ss) strand += c == 'E';
  CHECK(strand > 40);
  // First atom: PRO 1 N of chain A.
  CHECK(std::string(s.atom_name[0].data()) == "N");
  CHECK(std::string(s.res_name[0].data()) == "PRO");
  CHECK(s.element[0] == 7);
}

TEST_CASE("read_pdb: hybrid-36 serials and residue numbers") {
  std::string text =
      "ATOM  A0000  CA  ALA A9999      11.000  12.000  13.000  1.00 20.00           C\n"
      "ATOM  A0001  CA  GLY AA000      14.000  12.000  13.000  1.00 20.00           C\n";
  Structure s;
  REQUIRE(read_pdb(text, s, nullptr));
  CHECK(s.serial[0] == 100000);
  CHECK(s.serial[1] == 100001);
  CHECK(s.seq_id[0] == 9999);
  CHECK(s.seq_id[1] == 10000);
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
