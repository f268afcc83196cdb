// Bond perception on real structures. The expected counts do not come from our templates:
// for a connected molecule graph, bonds = atoms − 1 + independent rings (Euler), so every
// complete standard residue must have (its atoms − 1 + rings) bonds inside it, with the
// ring counts taken from chemistry (Phe/Tyr/His/Pro 1, Trp 2, purine nucleotides 3 with
// the sugar, pyrimidine nucleotides 2). Hydrogens, whatever their naming, add one atom and
// one bond each, so the rule holds for files with hydrogens too.
#include <doctest/doctest.h>
#include <algorithm>
#include <cmath>
#include <cstring>
#include <functional>
#include <map>
#include <numeric>
#include <string>
#include <vector>
#include "core/bonds.h"
#include "core/io.h"

using namespace foldsight;

namespace {

const char kBio[] = "/usr/share/doc/python-biopython-doc/Tests/PDB/";

Structure load(const std::string& path) {
  Structure s;
  ParseError err;
  REQUIRE_MESSAGE(read_structure_file(path.c_str(), Format::Auto, s, &err), path, ": ", err.message);
  return s;
}

int chemical_rings(const std::string& res) {
  if (res == "PHE" || res == "TYR" || res == "HIS" || res == "PRO" || res == "HYP" || res == "PCA") return 1;
  if (res == "TRP") return 2;
  if (res == "DA" || res == "DG" || res == "A" || res == "G") return 3;
  if (res == "DC" || res == "DT" || res == "C" || res == "U") return 2;
  return 0;
}

bool is_standard(const ResName& r) {
  static const char* const kNames[] = {"ALA", "ARG", "ASN", "ASP", "CYS", "GLN", "GLU", "GLY", "HIS", "ILE",
                                       "LEU", "LYS", "MET", "PHE", "PRO", "SER", "THR", "TRP", "TYR", "VAL",
                                       "MSE", "HYP", "DA",  "DC",  "DG",  "DT",  "A",   "C",   "G",   "U",   "HOH"};
  for (const char* n : kNames)
    if (std::strcmp(r.data(), n) == 0) return true;
  return false;
}

std::string name_of(const Structure& s, uint32_t atom) { return s.atom_name[atom].data(); }

// Number of residues of a chain whose bond count inside them differs from Euler's rule.
struct ResidueCheck {
  size_t checked = 0, wrong = 0, incomplete = 0;
  std::string first_wrong;
};

ResidueCheck check_residues(const Structure& s) {
  std::vector<size_t> inside(s.residue_count(), 0);
  auto first_conformer = [&s](uint32_t i) { return s.altloc[i] == ' ' || s.altloc[i] == 'A'; };
  for (const Bond& b : s.bonds)
    if (s.atom_residue[b.a] == s.atom_residue[b.b] && first_conformer(b.a) && first_conformer(b.b))
      ++inside[s.atom_residue[b.a]];
  ResidueCheck c;
  for (size_t r = 0; r < s.residue_count(); ++r) {
    if (!is_standard(s.res_name[r])) continue;
    size_t n = s.res_atom_begin[r + 1] - s.res_atom_begin[r];
    for (uint32_t i = s.res_atom_begin[r]; i < s.res_atom_begin[r + 1]; ++i)
      if (s.altloc[i] != ' ' && s.altloc[i] != 'A') --n;  // the rule holds per conformer
    // A ring residue with atoms missing (unresolved side chain) has a broken ring.
    const std::string name = s.res_name[r].data();
    const int full = name == "PHE" ? 11 : name == "TYR" ? 12 : name == "HIS" ? 10 : name == "TRP" ? 14 : name == "PRO" ? 7 : 0;
    int heavy = 0;
    for (uint32_t i = s.res_atom_begin[r]; i < s.res_atom_begin[r + 1]; ++i)
      heavy += s.element[i] != 1 && (s.altloc[i] == ' ' || s.altloc[i] == 'A') && name_of(s, i) != "OXT";
    if (full && heavy < full) {
      ++c.incomplete;
      continue;
    }
    const size_t expected = n - 1 + size_t(chemical_rings(name));
    ++c.checked;
    if (inside[r] != expected) {
      if (!c.wrong++)
        c.first_wrong = std::string(s.res_name[r].data()) + " " + std::to_string(s.seq_id[r]) + ": " +
                        std::to_string(inside[r]) + " bonds, expected " + std::to_string(expected);
    }
  }
  return c;
}

// Components of the bond graph restricted to the given atoms.
size_t components(const Structure& s, const std::vector<uint32_t>& atoms) {
  std::map<uint32_t, uint32_t> parent;
  for (uint32_t a : atoms) parent[a] = a;
  std::function<uint32_t(uint32_t)> find = [&](uint32_t a) { return parent[a] == a ? a : parent[a] = find(parent[a]); };
  for (const Bond& b : s.bonds)
    if (parent.count(b.a) && parent.count(b.b)) parent[find(b.a)] = find(b.b);
  size_t n = 0;
  for (auto& kv : parent) n += find(kv.first) == kv.first;
  return n;
}

// Bonds joining residue r-1 to residue r within each chain, per chain.
std::vector<size_t> consecutive_links(const Structure& s) {
  std::vector<size_t> links(s.chain_count(), 0);
  for (const Bond& b : s.bonds) {
    uint32_t ra = s.atom_residue[b.a], rb = s.atom_residue[b.b];
    if (rb == ra + 1 && s.res_chain[ra] == s.res_chain[rb]) ++links[s.res_chain[ra]];
  }
  return links;
}

void check_invariants(const Structure& s) {
  for (size_t k = 0; k < s.bonds.size(); ++k) {
    const Bond& b = s.bonds[k];
    REQUIRE(b.a < b.b);
    REQUIRE(b.b < s.atom_count());
    if (k) REQUIRE((s.bonds[k - 1].a < b.a || (s.bonds[k - 1].a == b.a && s.bonds[k - 1].b < b.b)));
    CHECK_FALSE((s.element[b.a] == 1 && s.element[b.b] == 1));
    const char la = s.altloc[b.a], lb = s.altloc[b.b];
    CHECK((la == lb || la == ' ' || lb == ' '));
    // No bond between models.
    CHECK(s.chain_model[s.res_chain[s.atom_residue[b.a]]] == s.chain_model[s.res_chain[s.atom_residue[b.b]]]);
  }
}

}  // namespace

TEST_CASE("bonds: 1hpv protein follows Euler's rule, peptide links, inhibitor in one piece") {
  Structure s = load("/usr/share/pymol/data/tut/1hpv.pdb");
  compute_bonds(s);
  check_invariants(s);

  ResidueCheck rc = check_residues(s);
  CHECK(rc.checked == 198 + 80);  // two chains of 99 residues, 80 waters
  CHECK_MESSAGE(rc.wrong == 0, rc.first_wrong);

  // Both protease chains are unbroken: 98 peptide bonds each, all C–N.
  std::vector<size_t> links = consecutive_links(s);
  REQUIRE(s.chain_count() >= 2);
  CHECK(links[0] == 98);
  CHECK(links[1] == 98);

  // The inhibitor (amprenavir, residue 478): C25 N3 O6 S, 35 heavy atoms, three rings
  // (tetrahydrofuran, phenyl, aminophenyl) → 35 − 1 + 3 = 37 bonds, one component.
  uint32_t lig = UINT32_MAX;
  for (uint32_t r = 0; r < s.residue_count(); ++r)
    if (std::strcmp(s.res_name[r].data(), "478") == 0) lig = r;
  REQUIRE(lig != UINT32_MAX);
  std::vector<uint32_t> atoms(s.res_atom_begin[lig + 1] - s.res_atom_begin[lig]);
  std::iota(atoms.begin(), atoms.end(), s.res_atom_begin[lig]);
  CHECK(atoms.size() == 35);
  size_t inside = 0, outside = 0;
  for (const Bond& b : s.bonds) {
    bool ia = s.atom_residue[b.a] == lig, ib = s.atom_residue[b.b] == lig;
    inside += ia && ib;
    outside += ia != ib;
  }
  CHECK(inside == 37);
  CHECK(outside == 0);  // non-covalent inhibitor
  CHECK(components(s, atoms) == 1);

  // Total: residue-internal bonds + 196 peptide bonds + 37 inhibitor bonds, nothing else
  // (no disulfides in HIV protease; the file's CONECT records are the inhibitor's bonds).
  size_t expected = 196 + 37;
  for (size_t r = 0; r < s.residue_count(); ++r)
    if (is_standard(s.res_name[r]))
      expected += s.res_atom_begin[r + 1] - s.res_atom_begin[r] - 1 + chemical_rings(s.res_name[r].data());
  CHECK(s.bonds.size() == expected);

  // Bond orders from the templates: one C=O per residue, six aromatic bonds per Phe ring.
  size_t carbonyl = 0, phe_aromatic = 0, phe = 0;
  for (const Bond& b : s.bonds) {
    if (b.order == BondOrder::Double && name_of(s, b.a) == "C" && name_of(s, b.b) == "O") ++carbonyl;
    if (b.order == BondOrder::Aromatic && std::strcmp(s.res_name[s.atom_residue[b.a]].data(), "PHE") == 0) ++phe_aromatic;
  }
  for (size_t r = 0; r < s.residue_count(); ++r) phe += std::strcmp(s.res_name[r].data(), "PHE") == 0;
  CHECK(carbonyl == 198);
  CHECK(phe > 0);
  CHECK(phe_aromatic == 6 * phe);

  // Recomputing replaces, never accumulates.
  const size_t n = s.bonds.size();
  compute_bonds(s);
  CHECK(s.bonds.size() == n);
}

TEST_CASE("bonds: hydrogens with non-standard names (il2.pdb: HN, HB1/HB2) get exactly one bond") {
  Structure s = load("/usr/share/pymol/data/demo/il2.pdb");
  compute_bonds(s);
  check_invariants(s);
  std::vector<int> degree(s.atom_count(), 0);
  for (const Bond& b : s.bonds) ++degree[b.a], ++degree[b.b];
  size_t hydrogens = 0, wrong = 0;
  for (size_t i = 0; i < s.atom_count(); ++i)
    if (s.element[i] == 1) {
      ++hydrogens;
      wrong += degree[i] != 1;
    }
  CHECK(hydrogens == 1059);  // gemmi counts 1059 hydrogens in this file
  CHECK(wrong == 0);
  ResidueCheck rc = check_residues(s);
  CHECK(rc.checked == s.residue_count());
  CHECK_MESSAGE(rc.wrong == 0, rc.first_wrong);
  std::vector<size_t> links = consecutive_links(s);
  for (size_t c = 0; c < s.chain_count(); ++c) {
    const size_t nres = s.chain_res_begin[c + 1] - s.chain_res_begin[c];
    // il2.pdb has gaps (missing loops): links = residues − 1 − breaks, where a break is a
    // consecutive pair with no C–N pair within 2 Å.
    size_t breaks = 0;
    for (uint32_t r = s.chain_res_begin[c] + 1; r < s.chain_res_begin[c + 1]; ++r) {
      bool linked = false;
      for (uint32_t i = s.res_atom_begin[r - 1]; i < s.res_atom_begin[r]; ++i)
        for (uint32_t j = s.res_atom_begin[r]; j < s.res_atom_begin[r + 1]; ++j)
          if (name_of(s, i) == "C" && name_of(s, j) == "N") {
            float dx = s.x[i] - s.x[j], dy = s.y[i] - s.y[j], dz = s.z[i] - s.z[j];
            linked |= std::sqrt(dx * dx + dy * dy + dz * dz) <= 2.0f;
          }
      breaks += !linked;
    }
    CHECK(links[c] == nres - 1 - breaks);
  }
}

TEST_CASE("bonds: DNA–protein NMR ensemble 1LCD (O3'–P links, hydrogens, three models)") {
  Structure s = load(std::string(kBio) + "1LCD.cif.gz");
  s.file_bonds.clear();  // perceive everything ourselves
  compute_bonds(s);
  check_invariants(s);
  REQUIRE(s.model_count() == 3);
  ResidueCheck rc = check_residues(s);
  CHECK(rc.checked > 0);
  CHECK_MESSAGE(rc.wrong == 0, rc.first_wrong);
  std::vector<size_t> links = consecutive_links(s);
  size_t dna_chains = 0;
  for (size_t c = 0; c < s.chain_count(); ++c) {
    const uint32_t r0 = s.chain_res_begin[c], r1 = s.chain_res_begin[c + 1];
    if (r1 - r0 < 2 || s.res_name[r0][0] != 'D') continue;
    ++dna_chains;
    CHECK(links[c] == r1 - r0 - 1);
    // Every link is O3'–P.
    for (const Bond& b : s.bonds) {
      uint32_t ra = s.atom_residue[b.a], rb = s.atom_residue[b.b];
      if (ra != rb && s.res_chain[ra] == c && s.res_chain[rb] == c) {
        CHECK(name_of(s, b.a) == "O3'");
        CHECK(name_of(s, b.b) == "P");
      }
    }
  }
  CHECK(dna_chains == 2 * 3);  // two strands in each of three models
  // The three models are the same molecule (their waters differ): the same number of bonds
  // outside water each.
  std::vector<size_t> per_model(3, 0);
  for (const Bond& b : s.bonds)
    if (!is_water(s.res_name[s.atom_residue[b.a]])) ++per_model[s.chain_model[s.res_chain[s.atom_residue[b.a]]]];
  CHECK(per_model[0] == per_model[1]);
  CHECK(per_model[1] == per_model[2]);
}

TEST_CASE("bonds: disulfides by distance include the file's struct_conn ones") {
  // Expected SG–SG pairs: those gemmi measures closer than 2.3 Å in each file (all between
  // 1.5 and 2.06 Å). 4ZHL's struct_conn lists 4 of its 6; the two biopython test files
  // 6WQA and 7CFN carry no struct_conn.
  struct Case { const char* file; size_t disulfides; };
  for (Case c : {Case{"4ZHL.cif.gz", 6}, Case{"6WQA.cif.gz", 4}, Case{"7CFN.cif.gz", 3}}) {
    CAPTURE(c.file);
    Structure s = load(std::string(kBio) + c.file);
    std::vector<std::pair<uint32_t, uint32_t>> stated;
    for (const Bond& b : s.file_bonds)
      if (name_of(s, b.a) == "SG" && name_of(s, b.b) == "SG") stated.push_back({b.a, b.b});
    s.file_bonds.clear();
    compute_bonds(s);
    check_invariants(s);
    std::vector<std::pair<uint32_t, uint32_t>> found;
    for (const Bond& b : s.bonds)
      if (name_of(s, b.a) == "SG" && name_of(s, b.b) == "SG") found.push_back({b.a, b.b});
    CHECK(found.size() == c.disulfides);
    for (auto& p : stated) CHECK(std::find(found.begin(), found.end(), p) != found.end());
    ResidueCheck rc = check_residues(s);
    CHECK(rc.checked > 200);
    CHECK_MESSAGE(rc.wrong == 0, rc.first_wrong);
  }
}

TEST_CASE("bonds: modified and unknown residues (1AS5 hydroxyproline, 2n0n AIB/PH8/NH2)") {
  // 1AS5: conotoxin NMR ensemble with hydrogens and HYP (template) and an NH2 cap.
  Structure s = load(std::string(kBio) + "1AS5.cif.gz");
  s.file_bonds.clear();
  compute_bonds(s);
  check_invariants(s);
  ResidueCheck rc = check_residues(s);
  CHECK(rc.checked > 0);
  CHECK_MESSAGE(rc.wrong == 0, rc.first_wrong);
  std::vector<size_t> links = consecutive_links(s);
  for (size_t c = 0; c < s.chain_count(); ++c)
    CHECK(links[c] == s.chain_res_begin[c + 1] - s.chain_res_begin[c] - 1);

  // 2n0n: a peptide whose residues AIB and PH8 have no template: their bonds come from
  // distances, and the chain is still linked end to end (NH2 cap included).
  Structure t = load(std::string(kBio) + "2n0n_M1.pdb.gz");
  compute_bonds(t);
  check_invariants(t);
  links = consecutive_links(t);
  REQUIRE(t.chain_count() >= 1);
  CHECK(links[0] == t.chain_res_begin[1] - t.chain_res_begin[0] - 1);
  std::vector<uint32_t> all(t.res_atom_begin[t.chain_res_begin[1]]);
  std::iota(all.begin(), all.end(), 0);
  CHECK(components(t, all) == 1);
  std::vector<int> degree(t.atom_count(), 0);
  for (const Bond& b : t.bonds) ++degree[b.a], ++degree[b.b];
  for (uint32_t i = 0; i < t.atom_count(); ++i)
    if (t.element[i] == 1) CHECK(degree[i] == 1);
}

TEST_CASE("bonds: file bonds are merged without duplicates; empty structure") {
  Structure s = load("/usr/share/pymol/data/tut/1hpv.pdb");
  compute_bonds(s);
  const std::vector<Bond> plain = s.bonds;
  // A stated bond the geometry would never produce (two waters) is kept, once.
  uint32_t w1 = UINT32_MAX, w2 = UINT32_MAX;
  for (uint32_t i = 0; i < s.atom_count(); ++i)
    if (std::strcmp(s.res_name[s.atom_residue[i]].data(), "HOH") == 0) (w1 == UINT32_MAX ? w1 : w2) = i;
  REQUIRE(w2 != UINT32_MAX);
  s.file_bonds.push_back({w2, w1, BondOrder::Single});
  s.file_bonds.push_back({w1, w2, BondOrder::Single});
  compute_bonds(s);
  CHECK(s.bonds.size() == plain.size() + 1);
  check_invariants(s);

  Structure empty;
  compute_bonds(empty);
  CHECK(empty.bonds.empty());
}
