// Selection language on real structures. Expected counts come from reading the files
// independently: 1hpv.pdb by its fixed columns in Python, 1LCD / 4ZHL with gemmi 0.5.7
// (iterating atoms and applying the same condition); `within` is checked against brute force.
#include <doctest/doctest.h>
#include <cstring>
#include <string>
#include <vector>
#include "core/io.h"
#include "core/selection.h"

using namespace foldsight;

namespace {

const char kBio[] = "/usr/share/doc/python-biopython-doc/Tests/PDB/";

Structure load(const std::string& path) {
  Structure s;
  ParseError err;
  REQUIRE_MESSAGE(read_structure_file(path.c_str(), Format::Auto, s, &err), path, ": ", err.message);
  return s;
}

size_t count(const Structure& s, const char* expr) {
  std::vector<uint8_t> mask;
  SelectionError err;
  const bool ok = select_atoms(s, expr, mask, &err);
  REQUIRE_MESSAGE(ok, expr, ": ", format_selection_error(expr, err));
  REQUIRE(mask.size() == s.atom_count());
  size_t n = 0;
  for (uint8_t m : mask) n += m != 0;
  return n;
}

SelectionError error_of(const char* expr) {
  Structure empty;
  std::vector<uint8_t> mask;
  SelectionError err;
  CHECK_MESSAGE(!select_atoms(empty, expr, mask, &err), expr);
  return err;
}

size_t brute_within(const Structure& s, const std::vector<uint8_t>& center, float d) {
  size_t n = 0;
  for (size_t i = 0; i < s.atom_count(); ++i) {
    bool hit = center[i];
    const uint32_t mi = s.chain_model[s.res_chain[s.atom_residue[i]]];
    for (size_t j = 0; j < s.atom_count() && !hit; ++j) {
      if (!center[j] || s.chain_model[s.res_chain[s.atom_residue[j]]] != mi) continue;
      const float dx = s.x[i] - s.x[j], dy = s.y[i] - s.y[j], dz = s.z[i] - s.z[j];
      hit = dx * dx + dy * dy + dz * dz <= d * d;
    }
    n += hit;
  }
  return n;
}

}  // namespace

TEST_CASE("selection: 1hpv counts") {
  const Structure s = load("/usr/share/pymol/data/tut/1hpv.pdb");
  REQUIRE(s.atom_count() == 1631);
  CHECK(count(s, "all") == 1631);
  CHECK(count(s, "none") == 0);
  CHECK(count(s, "name CA and chain A") == 99);
  CHECK(count(s, "NAME ca AND CHAIN A") == 99);  // keywords and names are case-insensitive
  CHECK(count(s, "name CA and chain A+B") == 198);
  CHECK(count(s, "resn HOH") == 80);
  CHECK(count(s, "water") == 80);
  CHECK(count(s, "ligand") == 35);  // the inhibitor, residue 478
  CHECK(count(s, "resn 478") == 35);
  CHECK(count(s, "protein") == 1631 - 80 - 35);
  CHECK(count(s, "polymer") == count(s, "protein"));
  CHECK(count(s, "nucleic") == 0);
  CHECK(count(s, "b > 50") == 224);
  CHECK(count(s, "b < 20") == 298);
  CHECK(count(s, "b>50 or b<20") == 224 + 298);
  CHECK(count(s, "not (b>50 or b<20)") == 1631 - 224 - 298);
  CHECK(count(s, "b >= 20 and b <= 50") == 1631 - 224 - 298);
  CHECK(count(s, "chain B and resi 25-30") == 40);
  CHECK(count(s, "chain B and resi 25+26+27-30") == 40);
  CHECK(count(s, "backbone") == 794);  // N CA C O of 198 residues + 2 OXT
  CHECK(count(s, "sidechain") == count(s, "protein") - 794);
  CHECK(count(s, "resn ALA+GLY") == 134);
  CHECK(count(s, "elem O") == count(s, "name O*"));  // 1hpv has no element column: from names
  CHECK(count(s, "hydrogen") == 0);
  CHECK(count(s, "model 1") == 1631);
  CHECK(count(s, "model 2") == 0);
  // Precedence: and before or.
  CHECK(count(s, "water or name CA and chain A") == 80 + 99);
  CHECK(count(s, "(water or name CA) and chain A") == 99);
  CHECK(count(s, "not water and not protein") == 35);
  CHECK(count(s, "!water & !protein") == 35);
  CHECK(count(s, "water | ligand") == 115);

  // within: grid result equals brute force, and contains the centre.
  std::vector<uint8_t> lig;
  SelectionError err;
  REQUIRE(select_atoms(s, "ligand", lig, &err));
  for (float d : {3.5f, 5.0f, 8.0f}) {
    const std::string expr = "within " + std::to_string(d) + " of ligand";
    const size_t n = count(s, expr.c_str());
    CHECK(n == brute_within(s, lig, d));
    CHECK(n > 35);
  }
  const size_t near5 = count(s, "within 5 of ligand");
  CHECK(count(s, "within 5 of ligand and water") + count(s, "within 5 of ligand and protein") + 35 == near5);
  // byres grows to whole residues: every residue with an atom near the ligand.
  const size_t byres = count(s, "byres (within 5 of ligand)");
  CHECK(byres >= near5);
  CHECK(count(s, "byres within 5 of ligand") == byres);
  CHECK(count(s, "byres name CA and chain A") == count(s, "chain A and protein"));
}

TEST_CASE("selection: NMR ensemble with DNA (1LCD), counts from gemmi") {
  const Structure s = load(std::string(kBio) + "1LCD.cif.gz");
  REQUIRE(s.atom_count() == 3384);
  CHECK(count(s, "chain A and resi 10-50") == 1173);
  CHECK(count(s, "model 2") == 1125);
  CHECK(count(s, "model 1+3") == 3384 - 1125);
  CHECK(count(s, "model 1-2") == 3384 - 1122);
  CHECK(count(s, "nucleic") == 1476);
  CHECK(count(s, "resn DA+DT") == 789);
  CHECK(count(s, "resn da,dt") == 789);
  CHECK(count(s, "name P") == 60);
  CHECK(count(s, "hydrogen") == 711);
  CHECK(count(s, "elem H") == 711);
  CHECK(count(s, "element h") == 711);
  CHECK(count(s, "water") == 414);
  CHECK(count(s, "name C*") == 1392);
  CHECK(count(s, "name CA and model 1 and chain A") == 51);
  CHECK(count(s, "ligand") == 3);  // one sodium ion per model
  CHECK(count(s, "polymer") == 3384 - 414 - 3);
  CHECK(count(s, "nucleic and backbone") + count(s, "nucleic and sidechain") == 1476);
  // "within" stays inside each model: brute force with the same rule.
  std::vector<uint8_t> centre;
  SelectionError err;
  REQUIRE(select_atoms(s, "resn NA", centre, &err));
  CHECK(count(s, "within 6 of resn NA") == brute_within(s, centre, 6.0f));
}

TEST_CASE("selection: insertion codes and B-factors (4ZHL), counts from gemmi") {
  const Structure s = load(std::string(kBio) + "4ZHL.cif.gz");
  CHECK(count(s, "resi 37") == 10);
  CHECK(count(s, "resi 37A") == 11);
  CHECK(count(s, "resi 37a") == 11);
  CHECK(count(s, "resi 37-37B") == 25);
  CHECK(count(s, "resi 36-37") == 46);
  CHECK(count(s, "resi 60A+62A") == 17);
  CHECK(count(s, "chain P") == 79);
  CHECK(count(s, "chain U and name CA") == 247);
  CHECK(count(s, "b > 50") == 733);
  CHECK(count(s, "b < 20") == 0);
  CHECK(count(s, "altloc A") == 0);
}

TEST_CASE("selection: parse once, evaluate on several structures") {
  Selection sel;
  SelectionError err;
  REQUIRE(parse_selection("name CA and (chain A or chain B)", sel, &err));
  const Structure a = load("/usr/share/pymol/data/tut/1hpv.pdb");
  const Structure b = load(std::string(kBio) + "1LCD.cif.gz");
  std::vector<uint8_t> m;
  evaluate_selection(sel, a, m);
  size_t n = 0;
  for (uint8_t v : m) n += v;
  CHECK(n == 198);
  evaluate_selection(sel, b, m);
  REQUIRE(m.size() == b.atom_count());
  n = 0;
  for (uint8_t v : m) n += v;
  CHECK(n == 3 * 51);  // chain B is DNA: no CA
}

TEST_CASE("selection: errors name the position") {
  SelectionError e = error_of("resi ");
  CHECK(e.position == 5);
  CHECK(e.message == "expected a number after 'resi'");
  e = error_of("resi abc");
  CHECK(e.position == 5);
  CHECK(e.message.find("expected a number after 'resi'") == 0);
  e = error_of("chian A");
  CHECK(e.position == 0);
  CHECK(e.message == "unknown keyword 'chian' — did you mean 'chain'?");
  e = error_of("protien");
  CHECK(e.message.find("did you mean 'protein'") != std::string::npos);
  e = error_of("(chain A and name CA");
  CHECK(e.position == 0);
  CHECK(e.message.find("unbalanced parenthesis") == 0);
  e = error_of("chain A and name CA)");
  CHECK(e.position == 19);
  CHECK(e.message.find("unbalanced parenthesis") == 0);
  e = error_of("chain A and (name CA or (resi 5)");
  CHECK(e.position == 12);
  e = error_of("chain A and");
  CHECK(e.position == 11);
  CHECK(e.message == "unexpected end of selection after 'and'");
  e = error_of("and chain A");
  CHECK(e.position == 0);
  e = error_of("within 5 ligand");
  CHECK(e.position == 9);
  CHECK(e.message == "expected 'of' after 'within 5'");
  e = error_of("within x of ligand");
  CHECK(e.position == 7);
  e = error_of("b 50");
  CHECK(e.position == 2);
  e = error_of("b > high");
  CHECK(e.position == 4);
  e = error_of("elem Xq");
  CHECK(e.position == 5);
  CHECK(e.message == "unknown element 'Xq'");
  e = error_of("resi 10-");
  CHECK(e.position == 8);
  e = error_of("resi 1++5");
  CHECK(e.position == 7);
  e = error_of("resi 50-10");
  CHECK(e.position == 5);
  e = error_of("chain A name CA");
  CHECK(e.position == 8);
  CHECK(e.message == "expected 'and' or 'or' before 'name'");
  e = error_of("");
  CHECK(e.message == "empty selection");
  e = error_of("()");
  CHECK(e.position == 1);
  // Deep nesting is refused, not a stack overflow.
  std::string deep(5000, '(');
  e = error_of(deep.c_str());
  CHECK(!e.message.empty());
  std::string nots;
  for (int i = 0; i < 1000; ++i) nots += "not ";
  e = error_of((nots + "all").c_str());
  CHECK(!e.message.empty());
  CHECK(format_selection_error("chian A", error_of("chian A")).find("\nchian A\n^") != std::string::npos);
}

TEST_CASE("selection: mutated expressions either parse or report a position inside the text") {
  const Structure s = load("/usr/share/pymol/data/tut/1hpv.pdb");
  const std::string seeds[] = {"chain A and resi 10-50", "within 5 of (resn 478 or water)", "not b > 50 | name C*",
                               "byres (elem O and sidechain) and resi -3--1+100A"};
  const char alphabet[] = "()<>=!&| +-,*abcdefnorstwAB0159.";
  uint32_t rng = 12345;
  auto next = [&rng]() { return rng = rng * 1664525u + 1013904223u; };
  size_t parsed = 0, rejected = 0;
  for (const std::string& seed : seeds)
    for (int k = 0; k < 500; ++k) {
      std::string e = seed;
      for (int m = int(next() % 4); m >= 0; --m) {
        const size_t at = next() % (e.size() + 1);
        switch (next() % 3) {
          case 0: e.insert(e.begin() + at, alphabet[next() % (sizeof alphabet - 1)]); break;
          case 1: if (at < e.size()) e.erase(e.begin() + at); break;
          default: if (at < e.size()) e[at] = alphabet[next() % (sizeof alphabet - 1)]; break;
        }
      }
      std::vector<uint8_t> mask;
      SelectionError err;
      if (select_atoms(s, e, mask, &err)) {
        ++parsed;
      } else {
        ++rejected;
        CHECK_MESSAGE(err.position <= e.size(), e);
        CHECK_MESSAGE(!err.message.empty(), e);
      }
      CHECK(mask.size() == s.atom_count());
    }
  CHECK(parsed > 0);
  CHECK(rejected > 0);
}
