// Backbone geometry on a real chain (1HPV chain A, Debian pymol-data): NeRF against measured
// internal coordinates, ideal-geometry rebuild from torsions, backbone from a CA trace, and the
// Structure writer.
#include <doctest/doctest.h>
#include <cmath>
#include "core/io.h"
#include "predict/backbone.h"
#include "predict_test_util.h"

using namespace foldsight;
using namespace foldsight_test;

static const char* k1hpv = "/usr/share/pymol/data/tut/1hpv.pdb";

static double atom_rmsd(const std::vector<Vec3>& a, const std::vector<Vec3>& b) {
  double s = 0;
  for (size_t i = 0; i < a.size(); ++i) s += (a[i] - b[i]).squaredNorm();
  return std::sqrt(s / a.size());
}

TEST_CASE("backbone: NeRF with measured internal coordinates reproduces 1HPV chain A") {
  std::string seq;
  Backbone nat = read_chain_backbone(k1hpv, "A", &seq);
  REQUIRE(nat.size() == 99);
  // Rebuild every atom from the three before it with the measured bond, angle and dihedral:
  // exercises place_atom and dihedral together (any sign or axis slip shows as a large RMSD).
  std::vector<Vec3> chain, rebuilt;
  for (size_t i = 0; i < nat.size(); ++i) { chain.push_back(nat.n[i]); chain.push_back(nat.ca[i]); chain.push_back(nat.c[i]); }
  rebuilt.assign(chain.begin(), chain.begin() + 3);
  for (size_t k = 3; k < chain.size(); ++k) {
    const Vec3 &a = chain[k - 3], &b = chain[k - 2], &c = chain[k - 1], &d = chain[k];
    double bond = (d - c).norm();
    double angle = std::acos((b - c).normalized().dot((d - c).normalized()));
    double tor = dihedral(a, b, c, d);
    rebuilt.push_back(place_atom(rebuilt[k - 3], rebuilt[k - 2], rebuilt[k - 1], bond, angle, tor));
  }
  CHECK(atom_rmsd(rebuilt, chain) < 1e-3);

  // Known dihedrals of a real residue: phi/psi of 1HPV A residues lie in allowed regions, and the
  // ideal CB sits where the crystal's CB is.
  std::vector<double> phi, psi, om;
  backbone_torsions(nat, phi, psi, om);
  CHECK(std::isnan(phi[0]));
  CHECK(std::isnan(psi[98]));
  int trans = 0;
  for (int i = 0; i + 1 < 99; ++i) trans += std::abs(std::abs(om[i]) - M_PI) < 0.5;
  CHECK(trans >= 97);  // 1HPV has no cis peptides
}

TEST_CASE("backbone: ideal-geometry chain from 1HPV torsions") {
  Backbone nat = read_chain_backbone(k1hpv, "A", nullptr);
  REQUIRE(nat.size() == 99);
  std::vector<double> phi, psi, om;
  backbone_torsions(nat, phi, psi, om);
  Backbone bb = build_backbone(phi, psi, om);
  REQUIRE(bb.size() == 99);
  // Ideal bonds everywhere.
  for (size_t i = 0; i < bb.size(); ++i) {
    CHECK((bb.ca[i] - bb.n[i]).norm() == doctest::Approx(ideal::kNCa).epsilon(1e-6));
    CHECK((bb.cb[i] - bb.ca[i]).norm() == doctest::Approx(ideal::kCaCb).epsilon(1e-6));
    CHECK((bb.o[i] - bb.c[i]).norm() == doctest::Approx(ideal::kCO).epsilon(1e-6));
    if (i + 1 < bb.size()) CHECK((bb.ca[i + 1] - bb.ca[i]).norm() == doctest::Approx(3.80).epsilon(0.01));
  }
  // Torsions survive the round trip exactly.
  std::vector<double> phi2, psi2, om2;
  backbone_torsions(bb, phi2, psi2, om2);
  for (int i = 1; i < 98; ++i) {
    CHECK(std::abs(std::remainder(phi2[i] - phi[i], 2 * M_PI)) < 1e-6);
    CHECK(std::abs(std::remainder(psi2[i] - psi[i], 2 * M_PI)) < 1e-6);
  }
  // Locally the rebuilt chain is the native one; over the whole 99 residues ideal bond angles
  // (crystal N-CA-C angles spread by several degrees) accumulate along the lever arm.
  double worst_window = 0, mean_window = 0;
  for (int s = 0; s + 9 <= 99; ++s) {
    std::vector<Vec3> a(bb.ca.begin() + s, bb.ca.begin() + s + 9), b(nat.ca.begin() + s, nat.ca.begin() + s + 9);
    double r = ca_rmsd(a, b);
    worst_window = std::max(worst_window, r);
    mean_window += r / 91;
  }
  double whole = ca_rmsd(bb.ca, nat.ca);
  MESSAGE("ideal-geometry rebuild of 1HPV A: CA RMSD whole chain " << whole << " Å, 9-residue windows mean "
          << mean_window << " Å, worst " << worst_window << " Å");
  CHECK(mean_window < 0.4);
  CHECK(worst_window < 1.2);
  CHECK(tm_score(bb.ca, nat.ca) > 0.5);
}

TEST_CASE("backbone: full backbone from the CA trace of 1HPV chain A") {
  Backbone nat = read_chain_backbone(k1hpv, "A", nullptr);
  REQUIRE(nat.size() == 99);
  Backbone bb = backbone_from_ca(nat.ca);
  REQUIRE(bb.size() == 99);
  // Interior residues (the fit never saw 1HPV).
  std::vector<Vec3> n0, n1, c0, c1, o0, o1, b0, b1;
  for (int i = 1; i < 98; ++i) {
    n0.push_back(bb.n[i]); n1.push_back(nat.n[i]);
    c0.push_back(bb.c[i]); c1.push_back(nat.c[i]);
    o0.push_back(bb.o[i]); o1.push_back(nat.o[i]);
    b0.push_back(bb.cb[i]); b1.push_back(nat.cb[i]);
  }
  double rn = atom_rmsd(n0, n1), rc = atom_rmsd(c0, c1), ro = atom_rmsd(o0, o1), rb = atom_rmsd(b0, b1);
  MESSAGE("backbone_from_ca on 1HPV A: RMSD N " << rn << ", C " << rc << ", O " << ro << ", CB " << rb << " Å");
  CHECK(rn < 0.35);
  CHECK(rc < 0.45);
  CHECK(ro < 1.0);
  CHECK(rb < 0.5);
  // Chain ends rest on extrapolated neighbours: rougher, but still near.
  CHECK((bb.n[0] - nat.n[0]).norm() < 2.0);
  CHECK((bb.c[98] - nat.c[98]).norm() < 2.0);
}

TEST_CASE("backbone: written as a Structure, numbered 1..L with confidence in the B-factor") {
  std::string seq;
  Backbone nat = read_chain_backbone(k1hpv, "A", &seq);
  REQUIRE(nat.size() == 99);
  std::vector<float> conf(99);
  for (int i = 0; i < 99; ++i) conf[i] = float(i);
  Structure s = backbone_to_structure(nat, seq, conf, "A", "1hpv-model");
  int glycines = 0;
  for (char c : seq) glycines += c == 'G';
  CHECK(s.residue_count() == 99);
  CHECK(s.chain_count() == 1);
  CHECK(s.atom_count() == size_t(99 * 5 - glycines));
  CHECK(s.seq_id[0] == 1);
  CHECK(s.seq_id[98] == 99);
  CHECK(std::string(s.res_name[0].data()) == "PRO");
  CHECK(s.res_confidence[42] == 42.f);
  CHECK(s.b_factor[s.res_atom_begin[42]] == 42.f);
  // Through PDB text and back.
  Structure back;
  ParseError err;
  REQUIRE(read_pdb(write_pdb(s), back, &err));
  CHECK(back.residue_count() == 99);
  CHECK(back.atom_count() == s.atom_count());
  std::string seq2;
  for (size_t r = 0; r < back.residue_count(); ++r) seq2.push_back(one_letter_code(back.res_name[r]));
  CHECK(seq2 == seq);
  CHECK(back.x[1] == doctest::Approx(nat.ca[0].x()).epsilon(1e-3));
}
