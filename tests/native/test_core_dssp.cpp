// DSSP on real entries shipped by Debian packages, checked against Debian's mkdssp 4.2.2.
// Expected strings were produced once with
//   mkdssp --output-format dssp FILE OUT        (column 17 of each residue line, ' ' → '-',
//                                                '!' break lines skipped)
// where FILE is the entry as shipped (mmCIF) or, for PDB entries, the same coordinates with only
// HEADER/SEQRES/CRYST1/ATOM/HETATM records (mkdssp 4 rejects some legacy headers); edge cases
// (gap, missing O) were cut the same way from 1hpv.pdb before running mkdssp.
#include <doctest/doctest.h>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include "core/dssp.h"
#include "core/io.h"

using namespace foldsight;

namespace {

std::string slurp(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

bool load(const char* path, Structure& s) {
  std::string data = slurp(path);
  if (data.empty()) return false;
  ParseError err;
  return read_structure(reinterpret_cast<const uint8_t*>(data.data()), data.size(), path, Format::Auto, s, &err);
}

// DSSP string of one author chain of `model`, over the residues DSSP considers (mkdssp's list).
std::string chain_ss(const Structure& s, const std::string& chain, size_t model = 0) {
  std::string out;
  for (uint32_t r : dssp_residues(s, model))
    if (s.chain_auth[s.res_chain[r]] == chain) out += s.ss[r];
  return out;
}

// Drops PDB ATOM/HETATM lines for which drop(line) is true.
template <class F>
std::string filter_lines(const std::string& text, F drop) {
  std::istringstream in(text);
  std::string line, out;
  while (std::getline(in, line))
    if (!drop(line)) out += line + "\n";
  return out;
}

bool atom_of(const std::string& l, char chain, int resnum) {
  return (l.rfind("ATOM  ", 0) == 0 || l.rfind("HETATM", 0) == 0) && l.size() > 26 && l[21] == chain &&
         std::stoi(l.substr(22, 4)) == resnum;
}

const char* const k1hpvA =
    "-EEESSS--EEEEEETTEEEEEEE-TT-SSEEE-S----S--EEEEEE-SS-EEEEEEEEEEEEEETTEEEEEEEEESS-SS-EE-HHHHTTTT-EEE-";
const char* const k1hpvB =
    "-EEETTS--EEEEEETTEEEEEEE-TT-SS-EE-S----S--EEEEEEETTEEEEEEEEEEEEEEETTEEEEEEEEESS-SS-EE-HHHHTTTT-EEE-";

}  // namespace

TEST_CASE("dssp: 1HPV (pymol-data) both chains equal mkdssp, sheets and helix") {
  Structure s;
  REQUIRE(load("/usr/share/pymol/data/tut/1hpv.pdb", s));
  assign_secondary_structure(s);
  CHECK(s.has_ss);
  CHECK(chain_ss(s, "A") == k1hpvA);
  CHECK(chain_ss(s, "B") == k1hpvB);
}

TEST_CASE("dssp: 1A8O mmCIF with MSE (biopython) equals mkdssp") {
  Structure s;
  REQUIRE(load("/usr/share/doc/python-biopython-doc/Tests/PDB/1A8O.cif.gz", s));
  assign_secondary_structure(s);
  CHECK(chain_ss(s, "A") == "------TTS-HHHHHHHHHHHHHTTT--HHHHHHHHHTHHHHTS-HHHHHHHHTT-TT--HHHHHHHT--");
}

TEST_CASE("dssp: 1A7G mmCIF has 3-10, PPII and an isolated bridge") {
  Structure s;
  REQUIRE(load("/usr/share/doc/python-biopython-doc/Tests/PDB/1A7G.cif.gz", s));
  assign_secondary_structure(s);
  CHECK(chain_ss(s, "E") == "-EEEEEEEEE-HHHHHHHHHHGGG-GGG-S-BPPPEE-TT---TTTTEEEEEE-S-HHHHHHHHHHS---TTSEEEEEEEE-");
}

TEST_CASE("dssp: 5EEP (tm-align example) has PPII and bridges") {
  Structure s;
  REQUIRE(load("/usr/share/doc/tm-align/examples/5eep.pdb.gz", s));
  assign_secondary_structure(s);
  CHECK(chain_ss(s, "A") ==
        "---BTTTB-HHHHHHHHSS--SHHHHHHHHHHHHTTSPPPPHHHHTTSEEPTT-SS-EEEEEEE-TTS-EEEEEEESSHHHHHHHHHHHHHHTTB-HHHHHHS-"
        "TTHHHHHHT-STT--HHHHHHHHHHHHHHHHHHH--");
}

TEST_CASE("dssp: 1NI7 (tm-align example, NMR) pi helix wins over alpha, first model") {
  Structure s;
  REQUIRE(load("/usr/share/doc/tm-align/examples/1ni7.pdb.gz", s));
  REQUIRE(s.model_count() > 1);
  assign_secondary_structure(s);
  CHECK(chain_ss(s, "A") ==
        "----------TTSSS-HHHHHHHHTT--SHHHHHHHHHHHHHHS----HHHHHHSEEE-SSSS-EEEE----SSS----EEEESSHHHHHHHHHHHHHTTT--"
        "HHHHHHS-THHHIIIIISSSSS-HHHHHHHHHHHHHHHHHHHHHH-");
}

TEST_CASE("dssp: a gap (C-N > 2.5 A) breaks turns, bends and ladders like mkdssp") {
  std::string text = filter_lines(slurp("/usr/share/pymol/data/tut/1hpv.pdb"),
                                  [](const std::string& l) { return atom_of(l, 'A', 40) || atom_of(l, 'A', 41); });
  Structure s;
  ParseError err;
  REQUIRE(read_pdb(text, s, &err));
  assign_secondary_structure(s);
  CHECK(chain_ss(s, "A") ==
        "-EEESSS--EEEEEETTEEEEEEE-TT-SSEEE-S-----EEEEEE-SS-EEEEEEEEEEEEEETTEEEEEEEEESS-SS-EE-HHHHTTTT-EEE-");
  CHECK(chain_ss(s, "B") == k1hpvB);
}

TEST_CASE("dssp: a residue without O is left out, as mkdssp does") {
  std::string text = filter_lines(slurp("/usr/share/pymol/data/tut/1hpv.pdb"), [](const std::string& l) {
    return atom_of(l, 'A', 50) && l.substr(12, 4) == " O  ";
  });
  Structure s;
  ParseError err;
  REQUIRE(read_pdb(text, s, &err));
  assign_secondary_structure(s);
  CHECK(chain_ss(s, "A") ==
        "-EEESSS--EEEEEETTEEEEEEE-TT-SSEEE-S----S--EEEEEE---EEEEEEEEEEEEEETTEEEEEEEEESS-SS-EE-HHHHTTTT-EEE-");
  size_t a50 = SIZE_MAX;
  for (size_t r = 0; r < s.residue_count(); ++r)
    if (s.chain_auth[s.res_chain[r]] == "A" && s.seq_id[r] == 50 && is_amino_acid(s.res_name[r])) a50 = r;
  REQUIRE(a50 != SIZE_MAX);
  CHECK(s.ss[a50] == '-');
  for (uint32_t r : dssp_residues(s, 0)) CHECK(r != a50);
}

TEST_CASE("dssp: models are independent (two identical models give the same, unpolluted result)") {
  std::string one = filter_lines(slurp("/usr/share/pymol/data/tut/1hpv.pdb"), [](const std::string& l) {
    return l.rfind("ATOM  ", 0) != 0 && l.rfind("HETATM", 0) != 0;
  });
  // Identical coordinates in both models: had the models been mixed, every N would sit on an
  // O-partner of the other copy and the H-bond pattern would collapse.
  std::string two = "MODEL        1\n" + one + "ENDMDL\nMODEL        2\n" + one + "ENDMDL\n";
  Structure s;
  ParseError err;
  REQUIRE(read_pdb(two, s, &err));
  REQUIRE(s.model_count() == 2);
  assign_secondary_structure(s);
  CHECK(chain_ss(s, "A", 0) == k1hpvA);
  CHECK(chain_ss(s, "B", 0) == k1hpvB);
  CHECK(chain_ss(s, "A", 1) == k1hpvA);
  CHECK(chain_ss(s, "B", 1) == k1hpvB);
}

TEST_CASE("dssp: non-protein residues are untouched, file codes of amino acids are replaced") {
  Structure s;
  REQUIRE(load("/usr/share/pymol/data/tut/1hpv.pdb", s));
  // 1HPV carries HELIX/SHEET records; mark everything so we can see what DSSP rewrites.
  s.ss.assign(s.residue_count(), 'X');
  assign_secondary_structure(s);
  size_t other = 0;
  for (size_t r = 0; r < s.residue_count(); ++r) {
    if (is_amino_acid(s.res_name[r])) {
      CHECK(s.ss[r] != 'X');
    } else {
      CHECK(s.ss[r] == 'X');  // inhibitor and waters
      ++other;
    }
  }
  CHECK(other > 0);
  CHECK(dssp_residues(s, 0).size() == 198);
}

TEST_CASE("dssp: empty and protein-free structures") {
  Structure empty;
  assign_secondary_structure(empty);
  CHECK(empty.has_ss);
  CHECK(empty.ss.empty());

  Structure water;
  ParseError err;
  REQUIRE(read_pdb("HETATM    1  O   HOH A   1       1.000   2.000   3.000  1.00  0.00           O\n", water, &err));
  assign_secondary_structure(water);
  CHECK(water.ss.size() == 1);
  CHECK(dssp_residues(water, 0).empty());
}
