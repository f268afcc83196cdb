// Kabsch superposition, TM-score (against values printed by Debian's TMscore 20190822),
// residue pairing and contact maps, on real structures shipped by Debian packages.
#include <doctest/doctest.h>
#include <cmath>
#include <fstream>
#include <iterator>
#include <random>
#include <string>
#include <vector>
#include "core/contacts.h"
#include "core/io.h"
#include "core/superpose.h"
#include "core/tm_score.h"

using namespace foldsight;

static Structure load_structure(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  Structure s;
  ParseError err;
  REQUIRE_MESSAGE(!data.empty(), path);
  REQUIRE_MESSAGE(read_structure(data.data(), data.size(), path, Format::Auto, s, &err), err.message);
  return s;
}

static std::array<double, 9> axis_angle(double ax, double ay, double az, double angle) {
  double n = std::sqrt(ax * ax + ay * ay + az * az);
  ax /= n; ay /= n; az /= n;
  double c = std::cos(angle), s = std::sin(angle), t = 1 - c;
  return {t * ax * ax + c,      t * ax * ay - s * az, t * ax * az + s * ay,
          t * ax * ay + s * az, t * ay * ay + c,      t * ay * az - s * ax,
          t * ax * az - s * ay, t * ay * az + s * ax, t * az * az + c};
}

static double det3(const std::array<double, 9>& m) {
  return m[0] * (m[4] * m[8] - m[5] * m[7]) - m[1] * (m[3] * m[8] - m[5] * m[6]) +
         m[2] * (m[3] * m[7] - m[4] * m[6]);
}

static double rmsd_after(const RigidTransform& t, const std::vector<Vec3d>& a, const std::vector<Vec3d>& b) {
  std::vector<Vec3d> moved;
  for (const Vec3d& p : a) moved.push_back(t.apply(p));
  return rmsd_in_place(moved.data(), b.data(), a.size());
}

TEST_CASE("superpose: recovers a known rigid motion of 1HPV chain A exactly") {
  Structure s = load_structure("/usr/share/pymol/data/tut/1hpv.pdb");
  CaTrace a = ca_trace(s, 0);
  REQUIRE(a.size() == 99);
  RigidTransform motion;
  motion.rot = axis_angle(0.3, -1.2, 0.7, 2.1);
  motion.shift = {{12.5, -40.25, 3.0}};
  std::vector<Vec3d> target;
  for (const Vec3d& p : a.xyz) target.push_back(motion.apply(p));
  Superposition sp = superpose(a.xyz, target);
  CHECK(sp.rmsd < 1e-9);
  for (int k = 0; k < 9; ++k) CHECK(sp.transform.rot[k] == doctest::Approx(motion.rot[k]).epsilon(1e-9));
  for (int k = 0; k < 3; ++k) CHECK(sp.transform.shift[k] == doctest::Approx(motion.shift[k]).epsilon(1e-9));
  CHECK(det3(sp.transform.rot) == doctest::Approx(1.0));

  // Weights: corrupt ten targets and give them zero weight — the motion is still exact.
  std::vector<Vec3d> corrupt = target;
  std::vector<double> w(a.size(), 1.0);
  for (int k = 0; k < 10; ++k) {
    corrupt[k * 9][0] += 7.0;
    w[k * 9] = 0.0;
  }
  Superposition sw = superpose(a.xyz.data(), corrupt.data(), a.size(), w.data());
  CHECK(sw.rmsd < 1e-9);
  for (int k = 0; k < 9; ++k) CHECK(sw.transform.rot[k] == doctest::Approx(motion.rot[k]).epsilon(1e-9));
  Superposition su = superpose(a.xyz, corrupt);
  CHECK(su.rmsd > 0.5);
}

TEST_CASE("superpose: mirror images give a proper rotation at the true minimum") {
  Structure s = load_structure("/usr/share/pymol/data/tut/1hpv.pdb");
  CaTrace a = ca_trace(s, 0), b = ca_trace(s, 1);
  REQUIRE(a.size() == b.size());
  // Mirror chain B through a plane: no rotation can match it, and an SVD-based solver that
  // ignored det < 0 would return a reflection with a lower (impossible) RMSD.
  std::vector<Vec3d> mirrored;
  for (const Vec3d& p : b.xyz) mirrored.push_back({{-p[0], p[1], p[2]}});
  Superposition sp = superpose(a.xyz, mirrored);
  CHECK(det3(sp.transform.rot) == doctest::Approx(1.0).epsilon(1e-12));
  CHECK(sp.rmsd == doctest::Approx(rmsd_after(sp.transform, a.xyz, mirrored)).epsilon(1e-9));
  CHECK(sp.rmsd > 2.0);  // a real chiral protein cannot be superposed on its mirror image
  // Any small rotation away from the optimum (re-fitting the shift) can only increase RMSD.
  std::mt19937 rng(7);
  std::uniform_real_distribution<double> u(-1, 1);
  for (int trial = 0; trial < 50; ++trial) {
    RigidTransform t = sp.transform;
    std::array<double, 9> d = axis_angle(u(rng), u(rng), u(rng) + 1e-3, 0.02);
    std::array<double, 9> r{};
    for (int i = 0; i < 3; ++i)
      for (int j = 0; j < 3; ++j)
        for (int k = 0; k < 3; ++k) r[3 * i + j] += d[3 * i + k] * t.rot[3 * k + j];
    t.rot = r;
    Vec3d cm{{0, 0, 0}}, ct{{0, 0, 0}};
    for (size_t i = 0; i < a.size(); ++i)
      for (int k = 0; k < 3; ++k) {
        cm[k] += a.xyz[i][k] / a.size();
        ct[k] += mirrored[i][k] / a.size();
      }
    for (int k = 0; k < 3; ++k) t.shift[k] = ct[k] - (r[3 * k] * cm[0] + r[3 * k + 1] * cm[1] + r[3 * k + 2] * cm[2]);
    CHECK(rmsd_after(t, a.xyz, mirrored) >= sp.rmsd);
  }
  // The two protease monomers themselves superpose well (same sequence, same fold).
  Superposition ab = superpose(a.xyz, b.xyz);
  CHECK(ab.rmsd < 1.0);
  CHECK(ab.rmsd < sp.rmsd);
}

TEST_CASE("tm_score: tm-align example pair matches TMscore 20190822") {
  Structure m = load_structure("/usr/share/doc/tm-align/examples/1ni7.pdb.gz");
  Structure n = load_structure("/usr/share/doc/tm-align/examples/5eep.pdb.gz");
  CaTrace a = ca_trace(m, 0), b = ca_trace(n, 0);
  CHECK(a.size() == 149);  // "Structure1: Length= 149"
  CHECK(b.size() == 140);
  ResiduePairing p = pair_by_residue_number(a, b);
  REQUIRE(p.size() == 140);  // "Number of residues in common= 140"
  TmScoreResult r = tm_score(a, b, p);
  CHECK(r.tm_score == doctest::Approx(0.8987).epsilon(0.0006));  // "TM-score = 0.8987 (d0= 4.40)"
  CHECK(r.d0 == doctest::Approx(4.40).epsilon(0.002));
  CHECK(r.rmsd == doctest::Approx(1.616).epsilon(0.001));        // "RMSD of the common residues= 1.616"
  CHECK(r.aligned == 140);
  // Reverse direction: normalised by 1ni7's 149 residues. TMscore prints 0.8491.
  TmScoreResult rev = tm_score(b, a, pair_by_residue_number(b, a));
  CHECK(rev.tm_score == doctest::Approx(0.8491).epsilon(0.0006));
  // Self comparison.
  TmScoreResult self = tm_score(a, a, pair_by_residue_number(a, a));
  CHECK(self.tm_score == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(self.rmsd < 1e-6);
  // The reported transform really gives the reported score.
  double sum = 0;
  for (size_t k = 0; k < p.size(); ++k) {
    Vec3d q = r.transform.apply(a.xyz[p.a[k]]);
    const Vec3d& t = b.xyz[p.b[k]];
    double d2 = (q[0] - t[0]) * (q[0] - t[0]) + (q[1] - t[1]) * (q[1] - t[1]) + (q[2] - t[2]) * (q[2] - t[2]);
    sum += 1 / (1 + d2 / (r.d0 * r.d0));
  }
  CHECK(sum / b.size() == doctest::Approx(r.tm_score).epsilon(1e-9));
}

TEST_CASE("tm_score: short chains use the d0 lower bound and few pairs work") {
  Structure m = load_structure("/usr/share/doc/tm-align/examples/1ni7.pdb.gz");
  CaTrace a = ca_trace(m, 0);
  TmScoreResult r = tm_score(a.xyz.data(), a.xyz.data(), 3, 10);
  CHECK(r.d0 == 0.5);
  CHECK(r.tm_score == doctest::Approx(0.3).epsilon(1e-9));  // 3 perfect pairs out of L = 10
  TmScoreResult none = tm_score(a.xyz.data(), a.xyz.data(), 0, 10);
  CHECK(none.tm_score == 0.0);
}

TEST_CASE("pair_by_sequence: renumbered chain with a deletion is paired correctly") {
  Structure s = load_structure("/usr/share/doc/tm-align/examples/1ni7.pdb.gz");
  CaTrace native = ca_trace(s, 0);
  CaTrace model;
  for (size_t i = 0; i < native.size(); ++i) {
    if (i >= 60 && i < 72) continue;  // 12 missing residues
    model.xyz.push_back(native.xyz[i]);
    model.seq_id.push_back(native.seq_id[i] + 1000);
    model.ins_code.push_back(native.ins_code[i]);
    model.sequence.push_back(native.sequence[i]);
  }
  CHECK(pair_by_residue_number(model, native).size() == 0);
  ResiduePairing p = pair_by_sequence(model.sequence, native.sequence);
  REQUIRE(p.size() == model.size());
  size_t wrong = 0;
  for (size_t k = 0; k < p.size(); ++k) {
    uint32_t expect = p.a[k] < 60 ? p.a[k] : p.a[k] + 12;
    if (p.b[k] != expect) MESSAGE("model " << p.a[k] << " -> native " << p.b[k] << " expected " << expect);
    wrong += p.b[k] != expect;
  }
  CHECK(wrong == 0);
  TmScoreResult r = tm_score(model, native, p);
  CHECK(r.rmsd < 1e-6);
  CHECK(r.tm_score == doctest::Approx(double(model.size()) / native.size()).epsilon(1e-6));
}

TEST_CASE("contacts: grid search equals brute force on 1HPV (CA and CB, intra and inter chain)") {
  Structure s = load_structure("/usr/share/pymol/data/tut/1hpv.pdb");
  REQUIRE(s.chain_count() >= 2);
  for (ContactAtom kind : {ContactAtom::CA, ContactAtom::CB}) {
    for (float cutoff : {6.0f, 8.0f, 12.0f}) {
      for (uint32_t cb : {0u, 1u}) {
        int sep = cb == 0 ? 3 : 0;
        std::vector<Contact> got = chain_contacts(s, 0, cb, cutoff, kind, sep);
        std::vector<Contact> want;
        for (uint32_t i = s.chain_res_begin[0]; i < s.chain_res_begin[1]; ++i)
          for (uint32_t j = s.chain_res_begin[cb]; j < s.chain_res_begin[cb + 1]; ++j) {
            if (cb == 0 && (j <= i || int(j - i) < sep)) continue;
            uint32_t x = contact_atom(s, i, kind), y = contact_atom(s, j, kind);
            if (x == UINT32_MAX || y == UINT32_MAX) continue;
            float d = std::sqrt((s.x[x] - s.x[y]) * (s.x[x] - s.x[y]) + (s.y[x] - s.y[y]) * (s.y[x] - s.y[y]) +
                                (s.z[x] - s.z[y]) * (s.z[x] - s.z[y]));
            if (d <= cutoff) want.push_back({i, j, d});
          }
        REQUIRE(got.size() == want.size());
        for (size_t k = 0; k < got.size(); ++k) {
          CHECK(got[k].res_a == want[k].res_a);
          CHECK(got[k].res_b == want[k].res_b);
          CHECK(got[k].distance == doctest::Approx(want[k].distance));
        }
        if (cb == 1) CHECK(!got.empty());  // the dimer interface exists
      }
    }
  }
  // Whole model, every chain pair; glycines (no CB) fall back to CA.
  std::vector<Contact> all = model_contacts(s, 0, 8.0f, ContactAtom::CB, 3);
  CHECK(all.size() > 300);
  size_t gly = 0;
  for (uint32_t r = 0; r < s.residue_count(); ++r)
    if (std::string(s.res_name[r].data()) == "GLY") {
      ++gly;
      uint32_t a = contact_atom(s, r, ContactAtom::CB);
      REQUIRE(a != UINT32_MAX);
      CHECK(std::string(s.atom_name[a].data()) == "CA");
    }
  CHECK(gly > 0);
}
