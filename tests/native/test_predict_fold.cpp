// The folding engine on real chains (Debian pymol-data 1HPV, 1TII; biopython test files 2XHE,
// 7DDO): restraints derived from the native structure (exact, noisy, template-only) must fold back
// to it. TM-scores are fixed-alignment (residue i ↔ i), normalised by the native length.
#include <doctest/doctest.h>
#include <chrono>
#include <cmath>
#include <cstdint>
#include "predict/fold.h"
#include "predict_test_util.h"

using namespace foldsight;
using namespace foldsight_test;

namespace {

const char* k1hpv = "/usr/share/pymol/data/tut/1hpv.pdb";
const char* k1tii = "/usr/share/pymol/data/demo/1tii.pdb";
const char* k2xhe = "/usr/share/doc/python-biopython-doc/Tests/PDB/2XHE.pdb.gz";
const char* k7ddo = "/usr/share/doc/python-biopython-doc/Tests/PDB/7DDO.pdb.gz";

struct TestRng {
  uint64_t s;
  double uniform() {
    s = s * 6364136223846793005ull + 1442695040888963407ull;
    return (s >> 11) * (1.0 / 9007199254740992.0);
  }
};

// Distogram of the native CB-CB distances on the model's 22 bins (edges 2..22 Å), each a Gaussian
// of s.d. `sigma` around the true distance, mixed with `uniform` of a flat distribution.
void set_distogram(FoldInput& in, const Backbone& nat, double sigma, double uniform) {
  const int L = (int)nat.size(), nb = 22;
  in.bin_edges.clear();
  for (int k = 2; k <= 22; ++k) in.bin_edges.push_back((float)k);
  in.distogram.assign((size_t)L * L * nb, 0.f);
  std::vector<double> p(nb);
  for (int i = 0; i < L; ++i)
    for (int j = 0; j < L; ++j) {
      double d = std::min((nat.cb[i] - nat.cb[j]).norm(), 22.5), s = 0;
      for (int k = 0; k < nb; ++k) {
        double c = k + 1.5;  // bin centres 1.5 .. 22.5
        p[k] = std::exp(-0.5 * (c - d) * (c - d) / (sigma * sigma));
        s += p[k];
      }
      for (int k = 0; k < nb; ++k)
        in.distogram[((size_t)i * L + j) * nb + k] = (float)((1 - uniform) * p[k] / s + uniform / nb);
    }
}

// Like set_distogram, but each pair's distribution is centred off the true distance by a
// pair-specific Gaussian error of s.d. `offset` (a predictor's systematic errors, not just blur).
void set_offset_distogram(FoldInput& in, const Backbone& nat, double sigma, double uniform, double offset) {
  const int L = (int)nat.size(), nb = 22;
  set_distogram(in, nat, sigma, uniform);
  TestRng rng{2024};
  std::vector<double> p(nb);
  for (int i = 0; i < L; ++i)
    for (int j = i + 1; j < L; ++j) {
      double u1 = std::max(rng.uniform(), 1e-12), u2 = rng.uniform();
      double off = offset * std::sqrt(-2 * std::log(u1)) * std::cos(2 * M_PI * u2);
      double d = std::min(std::max((nat.cb[i] - nat.cb[j]).norm() + off, 1.5), 22.5), s = 0;
      for (int k = 0; k < nb; ++k) {
        double c = k + 1.5;
        p[k] = std::exp(-0.5 * (c - d) * (c - d) / (sigma * sigma));
        s += p[k];
      }
      for (int k = 0; k < nb; ++k)
        in.distogram[((size_t)i * L + j) * nb + k] = in.distogram[((size_t)j * L + i) * nb + k] =
            (float)((1 - uniform) * p[k] / s + uniform / nb);
    }
}

FoldInput oracle_input(const Backbone& nat, const std::string& seq) {
  FoldInput in;
  in.length = (int)nat.size();
  in.sequence = seq;
  set_distogram(in, nat, 1.0, 0.0);
  std::vector<double> phi, psi, om;
  backbone_torsions(nat, phi, psi, om);
  in.phi.assign(phi.begin(), phi.end());
  in.psi.assign(psi.begin(), psi.end());
  in.torsion_weight.assign(nat.size(), 1.f);
  return in;
}

// Smallest CA-CA distance over all pairs i < j.
double min_ca_distance(const Backbone& bb) {
  double m = 1e9;
  for (size_t i = 0; i < bb.size(); ++i)
    for (size_t j = i + 1; j < bb.size(); ++j) m = std::min(m, (bb.ca[i] - bb.ca[j]).norm());
  return m;
}

void check_chain(const FoldResult& r, size_t L) {
  REQUIRE(r.backbone.size() == L);
  for (size_t i = 0; i + 1 < L; ++i) {
    double d = (r.backbone.ca[i + 1] - r.backbone.ca[i]).norm();
    CHECK(d > 3.7);
    CHECK(d < 3.9);
  }
  CHECK(min_ca_distance(r.backbone) >= 3.0);  // no clash
  REQUIRE(r.confidence.size() == L);
  for (float c : r.confidence) {
    CHECK(c >= 0.f);
    CHECK(c <= 100.f);
  }
  CHECK(r.predicted_tm >= 0.f);
  CHECK(r.predicted_tm <= 1.f);
  // Trajectory: starts somewhere else, ends exactly at the model.
  REQUIRE(r.frames.size() >= 2);
  CHECK(r.frames.size() <= 60);
  const std::vector<float>& last = r.frames.back();
  REQUIRE(last.size() == 3 * L);
  double worst = 0;
  for (size_t i = 0; i < L; ++i)
    for (int k = 0; k < 3; ++k) worst = std::max(worst, std::abs(last[3 * i + k] - r.backbone.ca[i][k]));
  CHECK(worst < 1e-4);
}

double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

}  // namespace

TEST_CASE("fold: oracle restraints fold 1HPV A and 1TII D back to the native") {
  for (auto spec : {std::make_pair(k1hpv, "A"), std::make_pair(k1tii, "D")}) {
    std::string seq;
    Backbone nat = read_chain_backbone(spec.first, spec.second, &seq);
    REQUIRE(nat.size() >= 98);
    FoldInput in = oracle_input(nat, seq);
    auto t0 = std::chrono::steady_clock::now();
    FoldResult r = fold(in);
    double sec = seconds_since(t0);
    double tm = tm_score(r.backbone.ca, nat.ca);
    MESSAGE(std::string(spec.first) << " " << std::string(spec.second) << " (L=" << nat.size() << ") oracle fold: TM " << tm << ", CA RMSD "
            << ca_rmsd(r.backbone.ca, nat.ca) << " Å, pTM " << r.predicted_tm << ", " << sec << " s");
    CHECK(tm >= 0.8);
    check_chain(r, nat.size());
    // The frames show a real run: the first is far from the model.
    std::vector<Vec3> first;
    for (size_t i = 0; i < nat.size(); ++i) first.push_back(Vec3(r.frames[0][3 * i], r.frames[0][3 * i + 1], r.frames[0][3 * i + 2]));
    // With a distogram the run starts at the classical-MDS embedding, which already has the rough
    // fold (TM ~0.7 to the model) but is several Å away from it.
    double tm_first = tm_score(first, r.backbone.ca), rmsd_first = ca_rmsd(first, r.backbone.ca);
    MESSAGE("first frame vs model: TM " << tm_first << ", CA RMSD " << rmsd_first << " Å");
    CHECK(tm_first < 0.85);
    CHECK(rmsd_first > 1.5);
  }
}

TEST_CASE("fold: noisy restraints (flat distributions, 30 % wrong torsions) still find the 1HPV A fold") {
  std::string seq;
  Backbone nat = read_chain_backbone(k1hpv, "A", &seq);
  REQUIRE(nat.size() == 99);
  FoldInput in = oracle_input(nat, seq);
  set_distogram(in, nat, 2.5, 0.2);  // s.d. 2.5 Å and a fifth of the mass spread flat
  TestRng rng{42};
  int wrong = 0;
  for (int i = 0; i < in.length; ++i)
    if (rng.uniform() < 0.3) {
      in.phi[i] = (float)(2 * M_PI * rng.uniform() - M_PI);
      in.psi[i] = (float)(2 * M_PI * rng.uniform() - M_PI);
      ++wrong;
    }
  FoldResult r = fold(in);
  double tm = tm_score(r.backbone.ca, nat.ca);
  MESSAGE("1HPV A noisy restraints (" << wrong << " wrong torsion pairs): TM " << tm << ", pTM " << r.predicted_tm);
  CHECK(tm >= 0.5);
  check_chain(r, nat.size());
  // Confidence reacts to the flat distributions.
  FoldResult sharp = fold(oracle_input(nat, seq));
  double mean_noisy = 0, mean_sharp = 0;
  for (int i = 0; i < 99; ++i) { mean_noisy += r.confidence[i] / 99; mean_sharp += sharp.confidence[i] / 99; }
  CHECK(mean_noisy < mean_sharp);
}

TEST_CASE("fold: template CA for 70 % of 1HPV A and nothing else") {
  std::string seq;
  Backbone nat = read_chain_backbone(k1hpv, "A", &seq);
  REQUIRE(nat.size() == 99);
  const int L = 99;
  auto template_input = [&](auto is_gap) {
    FoldInput in;
    in.length = L;
    in.sequence = seq;
    in.template_ca.assign(3 * L, NAN);
    in.template_weight.assign(L, 0.f);
    for (int i = 0; i < L; ++i) {
      if (is_gap(i)) continue;
      for (int k = 0; k < 3; ++k) in.template_ca[3 * i + k] = (float)nat.ca[i][k];
      in.template_weight[i] = 1.f;
    }
    return in;
  };
  // 30 % unaligned as alignments leave it: a 3-residue gap in every 10 residues.
  FoldInput in = template_input([](int i) { return i % 10 >= 4 && i % 10 < 7; });
  int aligned = 0;
  for (float w : in.template_weight) aligned += w > 0;
  CHECK(aligned == 69);
  FoldResult r = fold(in);
  double tm = tm_score(r.backbone.ca, nat.ca);
  MESSAGE("1HPV A template-only, 70 % aligned in 3-residue gaps: TM " << tm << ", CA RMSD "
          << ca_rmsd(r.backbone.ca, nat.ca) << " Å");
  CHECK(tm >= 0.8);
  check_chain(r, L);  // loops closed: every consecutive CA at 3.8 Å
  // Aligned residues are confident, gap residues clearly less.
  double in_gap = 0, outside = 0;
  for (int i = 0; i < L; ++i) (in.template_weight[i] > 0 ? outside : in_gap) += r.confidence[i];
  CHECK(in_gap / 30 < 30);
  CHECK(outside / 69 > 60);

  // Three 10-residue gaps: the aligned 70 % is placed exactly but the long loops are free, so
  // TM is bounded near 0.7 + what the loops get right by chance.
  FoldInput long_gaps = template_input([](int i) { return (i >= 10 && i < 20) || (i >= 45 && i < 55) || (i >= 75 && i < 85); });
  FoldResult rl = fold(long_gaps);
  double tml = tm_score(rl.backbone.ca, nat.ca);
  MESSAGE("1HPV A template-only, three 10-residue gaps: TM " << tml);
  CHECK(tml >= 0.68);
  check_chain(rl, L);

  // With the whole chain as template the ideal-geometry model fits the native closely.
  for (int i = 0; i < L; ++i) {
    for (int k = 0; k < 3; ++k) in.template_ca[3 * i + k] = (float)nat.ca[i][k];
    in.template_weight[i] = 1.f;
  }
  FoldResult full = fold(in);
  double rmsd = ca_rmsd(full.backbone.ca, nat.ca);
  MESSAGE("1HPV A full template: CA RMSD " << rmsd << " Å, TM " << tm_score(full.backbone.ca, nat.ca));
  CHECK(rmsd < 1.0);
}

TEST_CASE("fold: a further template's pair distances pull a hinge the first template has wrong") {
  std::string seq;
  Backbone nat = read_chain_backbone(k1hpv, "A", &seq);
  REQUIRE(nat.size() == 99);
  const int L = 99;
  // The first template is the native with residues 60-98 turned by 25 degrees about an axis
  // through residue 59 (a hinge it has in another state).
  Eigen::Matrix3d turn = Eigen::AngleAxisd(25.0 * M_PI / 180.0, Eigen::Vector3d(0.36, 0.48, 0.8).normalized()).toRotationMatrix();
  FoldInput in;
  in.length = L;
  in.sequence = seq;
  in.template_ca.resize(3 * L);
  in.template_weight.assign(L, 1.f);
  for (int i = 0; i < L; ++i) {
    Eigen::Vector3d p = i < 60 ? nat.ca[i] : Eigen::Vector3d(nat.ca[59] + turn * (nat.ca[i] - nat.ca[59]));
    for (int k = 0; k < 3; ++k) in.template_ca[3 * i + k] = (float)p[k];
  }
  FoldResult first_only = fold(in);
  // Two further templates in the native state, known through their distances, at a quarter
  // of the weight each (as template_restraints_from_hits adds them).
  for (int copy = 0; copy < 2; ++copy)
    for (int i = 0; i < L; ++i)
      for (int j = i + 2; j < L; ++j) {
        float d = (float)(nat.ca[i] - nat.ca[j]).norm();
        if (d <= 24.f) in.template_pairs.push_back({i, j, d, 0.25f});
      }
  FoldResult both = fold(in);
  double r1 = ca_rmsd(first_only.backbone.ca, nat.ca), r2 = ca_rmsd(both.backbone.ca, nat.ca);
  MESSAGE("1HPV A, first template with a 25 degree hinge: CA RMSD " << r1 << " Å to the native; with two further "
          "templates' distances: " << r2 << " Å");
  CHECK(r2 < 0.8 * r1);
  check_chain(both, L);
}

TEST_CASE("fold: with a template, predicted_start_with_template = false drops only the predicted-torsion start") {
  std::string seq;
  Backbone nat = read_chain_backbone(k1hpv, "A", &seq);
  REQUIRE(nat.size() == 99);
  const int L = 99;
  // A blurred distogram (so the Cartesian phase runs), the native torsions, and the native as a
  // template for 80 % of the residues.
  FoldInput in = oracle_input(nat, seq);
  set_distogram(in, nat, 2.0, 0.2);
  in.template_ca.assign(3 * L, NAN);
  in.template_weight.assign(L, 0.f);
  for (int i = 0; i < L; ++i) {
    if (i % 5 == 2) continue;
    for (int k = 0; k < 3; ++k) in.template_ca[3 * i + k] = (float)nat.ca[i][k];
    in.template_weight[i] = 1.f;
  }
  FoldOptions with, without;
  with.starts = without.starts = 3;
  without.predicted_start_with_template = false;
  FoldSession a(in, with), b(in, without);
  // Cartesian template trace + hand-over, predicted torsions, template torsions; then without the second.
  CHECK(a.progress().starts == 4);
  CHECK(b.progress().starts == 3);
  CHECK(a.progress().total_iterations - b.progress().total_iterations == with.iterations_per_start);
  while (!a.done()) a.step(1 << 20);
  while (!b.done()) b.step(1 << 20);
  double ta = tm_score(a.result().backbone.ca, nat.ca), tb = tm_score(b.result().backbone.ca, nat.ca);
  MESSAGE("1HPV A, template for 80 %: TM " << ta << " with the predicted-torsion start, " << tb << " without");
  CHECK(tb >= 0.9);
  CHECK(tb >= ta - 0.02);
  check_chain(b.result(), L);
}

TEST_CASE("fold: the steric term skips far residues without changing the energy") {
  // A compact native chain and a looser random one: FoldEnergy's steric term (which skips
  // residues that the chain cannot bring within reach) equals the brute-force sum over all pairs.
  std::string seq;
  Backbone nat = read_chain_backbone(k2xhe, "A", &seq);
  REQUIRE(nat.size() >= 300);
  const int L = 300;
  std::vector<double> phi, psi, om;
  backbone_torsions(nat, phi, psi, om);
  TestRng rng{7};
  for (int variant = 0; variant < 3; ++variant) {
    FoldInput in;
    in.length = L;
    in.sequence = seq.substr(0, L);
    FoldEnergy e = make_fold_energy(in, FoldWeights{});
    Eigen::VectorXd x(2 * L), g;
    for (int i = 0; i < L; ++i) {
      // 0: the native; 1: noisy native torsions; 2: a tight random coil with clashes
      double noise = variant == 0 ? 0 : variant == 1 ? 0.3 : 2.0;
      x[i] = (std::isfinite(phi[i]) ? phi[i] : -1.2) + noise * (rng.uniform() - 0.5);
      x[L + i] = (std::isfinite(psi[i]) ? psi[i] : 2.4) + noise * (rng.uniform() - 0.5);
    }
    EnergyTerms t;
    e.evaluate(x, g, &t);
    std::vector<Vec3> n, ca, c, cb;
    build_chain(x, L, n, ca, c, &cb);
    double brute = 0;
    int clashes = 0;
    for (int i = 0; i < L; ++i)
      for (int j = i + 2; j < L; ++j) {
        double d = (ca[i] - ca[j]).norm(), db = (cb[i] - cb[j]).norm();
        if (d < 3.8) brute += 10 * (3.8 - d) * (3.8 - d), ++clashes;
        if (db < 3.6) brute += 10 * (3.6 - db) * (3.6 - db), ++clashes;
      }
    MESSAGE("variant " << variant << ": steric " << t.steric << " from " << clashes << " close pairs");
    CHECK(t.steric == doctest::Approx(brute).epsilon(1e-12));
    if (variant == 2) CHECK(clashes > 0);
  }
}

TEST_CASE("fold: FoldSession stepped in slices gives the same model as fold()") {
  std::string seq;
  Backbone nat = read_chain_backbone(k1hpv, "A", &seq);
  REQUIRE(nat.size() == 99);
  FoldInput in = oracle_input(nat, seq);
  FoldOptions opt;
  opt.starts = 2;
  opt.iterations_per_start = 200;
  FoldResult whole = fold(in, opt);
  FoldSession session(in, opt);
  float last_fraction = -1;
  int calls = 0;
  while (!session.done()) {
    FoldProgress p = session.step(7);
    CHECK(p.fraction() >= last_fraction);
    last_fraction = p.fraction();
    ++calls;
  }
  CHECK(calls > 10);
  CHECK(last_fraction == 1.f);
  const FoldResult& sliced = session.result();
  REQUIRE(sliced.backbone.size() == whole.backbone.size());
  double worst = 0;
  for (size_t i = 0; i < nat.size(); ++i) worst = std::max(worst, (sliced.backbone.ca[i] - whole.backbone.ca[i]).norm());
  CHECK(worst < 1e-9);
  CHECK(sliced.frames.size() == whole.frames.size());
}

TEST_CASE("fold: timing at L = 300 and a 1,000-residue chain finishes") {
  std::string s1, s2;
  Backbone a = read_chain_backbone(k2xhe, "A", &s1), b = read_chain_backbone(k7ddo, "A", &s2);
  REQUIRE(a.size() >= 300);
  REQUIRE(a.size() + b.size() >= 1000);
  auto take = [](const Backbone& x, size_t n) {
    Backbone y = x;
    y.n.resize(n); y.ca.resize(n); y.c.resize(n); y.o.resize(n); y.cb.resize(n);
    return y;
  };
  Backbone a300 = take(a, 300);
  FoldInput in = oracle_input(a300, s1.substr(0, 300));
  auto t0 = std::chrono::steady_clock::now();
  FoldResult r = fold(in);
  double sec = seconds_since(t0);
  double tm = tm_score(r.backbone.ca, a300.ca);
  MESSAGE("2XHE A 1-300 oracle fold: TM " << tm << ", " << sec << " s");
  CHECK(tm >= 0.7);
  check_chain(r, 300);

  // 1,000 residues (2XHE A then 7DDO A moved 150 Å away, so the two halves' restraints do not
  // overlap): restraints are sparse (top-k per residue), so it finishes.
  Backbone big = a;
  Vec3 away(150, 0, 0);
  for (size_t i = 0; i < b.size(); ++i) {
    big.n.push_back(b.n[i] + away); big.ca.push_back(b.ca[i] + away); big.c.push_back(b.c[i] + away);
    big.o.push_back(b.o[i] + away); big.cb.push_back(b.cb[i] + away);
  }
  big = take(big, 1000);
  FoldInput in2 = oracle_input(big, (s1 + s2).substr(0, 1000));
  t0 = std::chrono::steady_clock::now();
  FoldResult r2 = fold(in2);
  sec = seconds_since(t0);
  CHECK(r2.backbone.size() == 1000);
  double tm2 = tm_score(r2.backbone.ca, big.ca);
  std::vector<Vec3> first_half(r2.backbone.ca.begin(), r2.backbone.ca.begin() + a.size()),
      native_half(big.ca.begin(), big.ca.begin() + a.size());
  double tm_a = tm_score(first_half, native_half);
  MESSAGE("L=1000 fold: " << sec << " s, TM whole " << tm2 << ", TM of the 2XHE A part " << tm_a << ", min CA-CA "
          << min_ca_distance(r2.backbone) << " Å");
  CHECK(min_ca_distance(r2.backbone) >= 3.0);
  CHECK(tm_a >= 0.5);
}

// Distogram only, no torsions: torsion-space minimisation alone stalls in misfolds (TM ~0.25-0.3 at
// L = 300); the Cartesian phase (MDS start + CA-trace refinement, coord_fold.h) must find the fold.
FoldInput distogram_only_input(const Backbone& nat, const std::string& seq, double sigma, double uniform) {
  FoldInput in;
  in.length = (int)nat.size();
  in.sequence = seq.substr(0, nat.size());
  set_distogram(in, nat, sigma, uniform);
  return in;
}

TEST_CASE("fold: Cartesian energy gradient matches finite differences; virtual CB is close to the real one") {
  std::string seq;
  Backbone nat = read_chain_backbone(k1hpv, "A", &seq);
  REQUIRE(nat.size() == 99);
  // Virtual CB from the CA trace alone vs CB from N, CA, C.
  std::vector<Vec3> cb;
  virtual_cb(nat.ca, cb);
  double sum = 0;
  for (size_t i = 1; i + 1 < nat.size(); ++i) sum += (cb[i] - nat.cb[i]).squaredNorm();
  double rms = std::sqrt(sum / (nat.size() - 2));
  MESSAGE("1HPV A virtual CB from CA: RMS " << rms << " Å");
  CHECK(rms < 0.7);  // 0.42 Å on the chains of the fit (2XHE A, 7DDO A)

  FoldInput in = distogram_only_input(nat, seq, 1.5, 0.1);
  in.ss_probs.assign(8 * 99, 0.f);
  for (int i = 0; i < 99; ++i) in.ss_probs[8 * i + (i % 3 == 0 ? 0 : i % 3 == 1 ? 3 : 7)] = 1.f;  // every kind of term
  CoordEnergy e = make_coord_energy(in, CoordWeights());
  CHECK(e.pairs.size() > 1000);
  Eigen::VectorXd x = coord_start(in, false), g, g2;
  REQUIRE(x.size() == 3 * 99);
  TestRng rng{7};
  for (int i = 0; i < x.size(); ++i) x[i] += 2 * rng.uniform() - 1;  // off any minimum, into clashes
  double e0 = e.evaluate(x, g);
  CHECK(std::isfinite(e0));
  double worst = 0;
  for (int q = 0; q < x.size(); q += 5) {
    Eigen::VectorXd y = x;
    y[q] += 1e-5;
    double ep = e.evaluate(y, g2);
    y[q] -= 2e-5;
    double em = e.evaluate(y, g2);
    worst = std::max(worst, std::abs((ep - em) / 2e-5 - g[q]) / (1 + std::abs(g[q])));
  }
  CHECK(worst < 1e-4);
}

TEST_CASE("fold: distogram alone (no torsions) folds 1HPV A and 2XHE A 1-300") {
  std::string s1, s2;
  Backbone a = read_chain_backbone(k1hpv, "A", &s1), b = read_chain_backbone(k2xhe, "A", &s2);
  REQUIRE(a.size() == 99);
  REQUIRE(b.size() >= 300);
  b.n.resize(300); b.ca.resize(300); b.c.resize(300); b.o.resize(300); b.cb.resize(300);
  for (auto* spec : {&a, &b}) {
    const Backbone& nat = *spec;
    const std::string& seq = spec == &a ? s1 : s2;
    for (double sigma : {0.5, 1.5}) {  // 0.5 Å: practically one-hot
      FoldInput in = distogram_only_input(nat, seq, sigma, 0.0);
      auto t0 = std::chrono::steady_clock::now();
      FoldResult r = fold(in);
      double sec = seconds_since(t0);
      double tm = tm_score(r.backbone.ca, nat.ca);
      MESSAGE("distogram-only (s.d. " << sigma << " Å), L=" << nat.size() << ": TM " << tm << ", CA RMSD "
              << ca_rmsd(r.backbone.ca, nat.ca) << " Å, " << sec << " s, Cartesian start won: " << r.from_coordinates);
      CHECK(tm >= 0.6);
      check_chain(r, nat.size());
      // Distances alone do not tell a fold from its mirror image; the virtual CB (and the energy
      // that compares both) must pick the right-handed one: 2XHE A is mostly helical.
      if (spec == &b) {
        double hand = trace_handedness(r.backbone.ca, in), native_hand = trace_handedness(nat.ca, in);
        MESSAGE("handedness of the model " << hand << ", of the native " << native_hand);
        CHECK(hand > 0.5 * native_hand);
        CHECK(native_hand > 50);
      }
    }
  }
}

TEST_CASE("fold: blurred distogram alone (s.d. 3 Å + 30 % uniform) still finds the fold") {
  std::string s1, s2;
  Backbone a = read_chain_backbone(k1hpv, "A", &s1), b = read_chain_backbone(k7ddo, "A", &s2);
  REQUIRE(a.size() == 99);
  REQUIRE(b.size() >= 300);
  for (auto* spec : {&a, &b}) {
    const Backbone& nat = *spec;
    FoldInput in = distogram_only_input(nat, spec == &a ? s1 : s2, 3.0, 0.3);
    auto t0 = std::chrono::steady_clock::now();
    FoldResult r = fold(in);
    double sec = seconds_since(t0);
    double tm = tm_score(r.backbone.ca, nat.ca);
    MESSAGE("blurred distogram-only, L=" << nat.size() << ": TM " << tm << ", " << sec << " s, pTM " << r.predicted_tm);
    CHECK(tm >= 0.4);
    check_chain(r, nat.size());
    // The movie starts at the MDS start, not at the model.
    std::vector<Vec3> first;
    for (size_t i = 0; i < nat.size(); ++i) first.push_back(Vec3(r.frames[0][3 * i], r.frames[0][3 * i + 1], r.frames[0][3 * i + 2]));
    CHECK(ca_rmsd(first, r.backbone.ca) > 1.0);
  }
}

TEST_CASE("fold: distogram alone with per-pair errors (s.d. 3 Å offsets, 3 Å blur, 30 % uniform)") {
  std::string s1, s2;
  Backbone a = read_chain_backbone(k1hpv, "A", &s1), b = read_chain_backbone(k2xhe, "A", &s2);
  REQUIRE(a.size() == 99);
  REQUIRE(b.size() >= 300);
  b.n.resize(300); b.ca.resize(300); b.c.resize(300); b.o.resize(300); b.cb.resize(300);
  for (auto* spec : {&a, &b}) {
    const Backbone& nat = *spec;
    FoldInput in;
    in.length = (int)nat.size();
    in.sequence = (spec == &a ? s1 : s2).substr(0, nat.size());
    set_offset_distogram(in, nat, 3.0, 0.3, 3.0);
    auto t0 = std::chrono::steady_clock::now();
    FoldResult r = fold(in);
    double sec = seconds_since(t0);
    double tm = tm_score(r.backbone.ca, nat.ca);
    MESSAGE("distogram with per-pair errors, L=" << nat.size() << ": TM " << tm << ", " << sec << " s");
    CHECK(tm >= 0.5);
    check_chain(r, nat.size());
  }
}
