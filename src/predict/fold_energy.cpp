#include "predict/fold_energy.h"
#include <algorithm>
#include <cmath>
#include <Eigen/Geometry>

namespace foldsight {

namespace {

// NeRF with the bond angle's cosine and sine precomputed.
inline Vec3 place(const Vec3& a, const Vec3& b, const Vec3& c, double bond, double cos_a, double sin_a,
                  double torsion) {
  Vec3 bc = (c - b).normalized();
  Vec3 n = (b - a).cross(bc).normalized();
  Vec3 m = n.cross(bc);
  return c + (-bond * cos_a) * bc + (bond * sin_a * std::cos(torsion)) * m + (bond * sin_a * std::sin(torsion)) * n;
}

}  // namespace

void build_chain(const Eigen::VectorXd& x, int L, std::vector<Vec3>& n, std::vector<Vec3>& ca,
                 std::vector<Vec3>& c, std::vector<Vec3>* cb) {
  static const double cCaCN = std::cos(ideal::kCaCN), sCaCN = std::sin(ideal::kCaCN);
  static const double cCNCa = std::cos(ideal::kCNCa), sCNCa = std::sin(ideal::kCNCa);
  static const double cNCaC = std::cos(ideal::kNCaC), sNCaC = std::sin(ideal::kNCaC);
  static const double cNCaCb = std::cos(ideal::kNCaCb), sNCaCb = std::sin(ideal::kNCaCb);
  n.resize(L); ca.resize(L); c.resize(L);
  if (L == 0) return;
  n[0] = Vec3(0, 0, 0);
  ca[0] = Vec3(ideal::kNCa, 0, 0);
  c[0] = ca[0] + ideal::kCaC * Vec3(-cNCaC, sNCaC, 0);
  for (int i = 1; i < L; ++i) {
    n[i] = place(n[i - 1], ca[i - 1], c[i - 1], ideal::kCN, cCaCN, sCaCN, x[L + i - 1]);
    ca[i] = place(ca[i - 1], c[i - 1], n[i], ideal::kNCa, cCNCa, sCNCa, M_PI);
    c[i] = place(c[i - 1], n[i], ca[i], ideal::kCaC, cNCaC, sNCaC, x[i]);
  }
  if (cb) {
    cb->resize(L);
    for (int i = 0; i < L; ++i)
      (*cb)[i] = place(c[i], n[i], ca[i], ideal::kCaCb, cNCaCb, sNCaCb, ideal::kCNCaCb);
  }
}

double distogram_potential(const FoldEnergy& e, int table, double d, double* dudd) {
  const std::vector<double>& cs = e.centers;
  const double* u = e.table_u.data() + table;
  const double* m = e.table_m.data() + table;
  int nb = (int)cs.size();
  if (d <= cs[0]) { *dudd = m[0]; return u[0] + m[0] * (d - cs[0]); }
  if (d >= cs[nb - 1]) {
    double s = std::max(m[nb - 1], 0.0);
    *dudd = s;
    return u[nb - 1] + s * (d - cs[nb - 1]);
  }
  int k = int(std::upper_bound(cs.begin(), cs.end(), d) - cs.begin()) - 1;
  double h = cs[k + 1] - cs[k], t = (d - cs[k]) / h;
  double t2 = t * t, t3 = t2 * t;
  // Cubic Hermite segment: value and slope continuous at the centres.
  double v = (2 * t3 - 3 * t2 + 1) * u[k] + (t3 - 2 * t2 + t) * h * m[k] + (-2 * t3 + 3 * t2) * u[k + 1] +
             (t3 - t2) * h * m[k + 1];
  *dudd = ((6 * t2 - 6 * t) * u[k] + (3 * t2 - 4 * t + 1) * h * m[k] + (-6 * t2 + 6 * t) * u[k + 1] +
           (3 * t2 - 2 * t) * h * m[k + 1]) / h;
  return v;
}

bool distogram_pair_table(std::vector<double>& p, const std::vector<double>& centers, bool far_mean_if_empty,
                          std::vector<double>& u, std::vector<double>& m) {
  const int nb = int(p.size());
  double sum = 0, mean = 0, var = 0, inner = 0;
  for (int k = 0; k < nb; ++k) sum += p[k];
  if (sum <= 0) return false;
  for (int k = 0; k < nb; ++k) p[k] /= sum;
  for (int k = 0; k < nb - 1; ++k) mean += p[k] * centers[k], inner += p[k];
  if (far_mean_if_empty && inner < 1e-6) mean = centers[nb - 1];
  else mean /= std::max(inner, 1e-9);
  for (int k = 0; k < nb - 1; ++k) var += p[k] * (centers[k] - mean) * (centers[k] - mean);
  var /= std::max(inner, 1e-9);
  double s = std::sqrt(var) + 3.0, gsum = 0;
  std::vector<double> g(nb);
  for (int k = 0; k < nb; ++k) g[k] = std::exp(-0.5 * std::pow((centers[k] - mean) / s, 2)), gsum += g[k];
  u.resize(nb), m.resize(nb);
  double umin = 1e30;
  for (int k = 0; k < nb; ++k) u[k] = -std::log(0.9 * p[k] + 0.1 * g[k] / gsum + 1e-4), umin = std::min(umin, u[k]);
  for (double& v : u) v -= umin;
  for (int k = 0; k < nb; ++k) {
    int a = std::max(k - 1, 0), b = std::min(k + 1, nb - 1);
    m[k] = (u[b] - u[a]) / (centers[b] - centers[a]);
  }
  return true;
}

FoldEnergy make_fold_energy(const FoldInput& in, const FoldWeights& w) {
  FoldEnergy e;
  int L = in.length;
  e.length = L;
  e.weights = w;
  e.phi0.assign(L, 0); e.psi0.assign(L, 0); e.kphi.assign(L, 0); e.kpsi.assign(L, 0);
  for (int i = 0; i < L; ++i) {
    double tw = i < (int)in.torsion_weight.size() ? in.torsion_weight[i] : 0.0;
    if (i < (int)in.phi.size() && std::isfinite(in.phi[i]) && i > 0) { e.phi0[i] = in.phi[i]; e.kphi[i] = w.torsion * tw; }
    if (i < (int)in.psi.size() && std::isfinite(in.psi[i]) && i + 1 < L) { e.psi0[i] = in.psi[i]; e.kpsi[i] = w.torsion * tw; }
  }

  // Distogram: bin centres from the edges (end bins as wide as their neighbours).
  int nb = (int)in.bin_edges.size() + 1;
  if (nb >= 3 && (int)in.distogram.size() == L * L * nb) {
    const std::vector<float>& ed = in.bin_edges;
    e.centers.resize(nb);
    e.centers[0] = ed[0] - 0.5 * (ed[1] - ed[0]);
    for (int k = 1; k < nb - 1; ++k) e.centers[k] = 0.5 * (ed[k - 1] + ed[k]);
    e.centers[nb - 1] = ed[nb - 2] + 0.5 * (ed[nb - 2] - ed[nb - 3]);
    int close_bins = 0;  // bins entirely below 12 Å
    while (close_bins < nb - 1 && ed[close_bins] <= 12.0f) ++close_bins;
    auto prob = [&](int i, int j, int k) {  // symmetrised
      return 0.5 * (in.distogram[((size_t)i * L + j) * nb + k] + in.distogram[((size_t)j * L + i) * nb + k]);
    };
    // Top-k partners of each residue by contact probability.
    std::vector<float> pc((size_t)L * L, 0.f);
    for (int i = 0; i < L; ++i)
      for (int j = i + 3; j < L; ++j) {
        double s = 0;
        for (int k = 0; k < close_bins; ++k) s += prob(i, j, k);
        pc[(size_t)i * L + j] = pc[(size_t)j * L + i] = (float)s;
      }
    std::vector<uint8_t> chosen((size_t)L * L, 0);
    std::vector<int> order;
    for (int i = 0; i < L; ++i) {
      order.clear();
      for (int j = 0; j < L; ++j)
        if (std::abs(i - j) >= 3 && pc[(size_t)i * L + j] >= w.min_contact_prob) order.push_back(j);
      int k = std::min<int>(w.pairs_per_residue, (int)order.size());
      std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
        return pc[(size_t)i * L + a] > pc[(size_t)i * L + b];
      });
      for (int t = 0; t < k; ++t) {
        int j = order[t];
        chosen[(size_t)std::min(i, j) * L + std::max(i, j)] = 1;
      }
    }
    std::vector<double> p(nb), u(nb), m(nb);
    for (int i = 0; i < L; ++i)
      for (int j = i + 3; j < L; ++j) {
        if (!chosen[(size_t)i * L + j]) continue;
        for (int k = 0; k < nb; ++k) p[k] = prob(i, j, k);
        if (!distogram_pair_table(p, e.centers, false, u, m)) continue;
        PairRestraint r;
        r.i = i; r.j = j;
        r.table = (int)e.table_u.size();
        r.weight = (float)(w.distogram * pc[(size_t)i * L + j]);
        e.table_u.insert(e.table_u.end(), u.begin(), u.end());
        e.table_m.insert(e.table_m.end(), m.begin(), m.end());
        e.pairs.push_back(r);
      }
  }

  // Template: CA-CA distances between aligned residues.
  for_each_template_pair(in, w.template_cutoff, [&](int i, int j, double d, double weight) {
    PairRestraint r;
    r.i = i;
    r.j = j;
    r.target = (float)d;
    r.weight = (float)(w.templ * weight);
    e.pairs.push_back(r);
  });
  std::stable_sort(e.pairs.begin(), e.pairs.end(),
                   [](const PairRestraint& a, const PairRestraint& b) { return a.j - a.i < b.j - b.i; });
  return e;
}

double FoldEnergy::evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& grad, EnergyTerms* terms) {
  const int L = length;
  grad.setZero(2 * L);
  EnergyTerms t;
  build_chain(x, L, n_, ca_, c_, &cb_);
  fca_.assign(L, Vec3::Zero());
  fcb_.assign(L, Vec3::Zero());

  for (const PairRestraint& pr : pairs) {
    if (pr.j - pr.i > max_separation) break;
    PairRestraint r = pr;
    r.weight = (float)(pr.weight * restraint_scale);
    if (r.table >= 0) {
      Vec3 v = cb_[r.i] - cb_[r.j];
      double d = std::max(v.norm(), 1e-6), du;
      t.distogram += r.weight * distogram_potential(*this, r.table, d, &du);
      Vec3 f = (r.weight * du / d) * v;
      fcb_[r.i] += f; fcb_[r.j] -= f;
    } else {
      Vec3 v = ca_[r.i] - ca_[r.j];
      double d = std::max(v.norm(), 1e-6);
      // Flat bottom of 0.5 Å, harmonic to 2 Å beyond it, linear after (robust to template errors).
      double dev = std::abs(d - r.target) - 0.5;
      if (dev <= 0) continue;
      double val, dv;
      if (dev < 2.0) { val = dev * dev; dv = 2 * dev; } else { val = 4 * dev - 4; dv = 4; }
      t.templ += r.weight * val;
      Vec3 f = (r.weight * dv * (d > r.target ? 1.0 : -1.0) / d) * v;
      fca_[r.i] += f; fca_[r.j] -= f;
    }
  }

  // Sterics: CA-CA below 3.8 Å and CB-CB below 3.6 Å for |i - j| >= 2. Both need CA-CA below
  // reach = 3.6 Å + 2 |CA-CB|. Consecutive CA atoms are at most `step` apart, so a residue j with
  // CA-CA distance D >= reach rules out the next floor((D - reach) / step) residues too: the loop
  // skips them without changing the result.
  const double ca_min = 3.8, cb_min = 3.6, ws = weights.steric * steric_scale;
  double step = 0, cb_arm = 0;
  for (int i = 0; i < L; ++i) {
    if (i + 1 < L) step = std::max(step, (ca_[i + 1] - ca_[i]).norm());
    cb_arm = std::max(cb_arm, (cb_[i] - ca_[i]).norm());
  }
  step += 1e-9;
  const double reach = std::max(ca_min, cb_min + 2 * cb_arm) + 1e-9;
  for (int i = 0; i < L; ++i) {
    const Vec3 ai = ca_[i], bi = cb_[i];
    for (int j = i + 2; j < L; ++j) {
      Vec3 v = ai - ca_[j];
      double d2 = v.squaredNorm();
      if (d2 >= reach * reach) {
        j += int((std::sqrt(d2) - reach) / step);
        continue;
      }
      if (d2 < ca_min * ca_min) {
        double d = std::max(std::sqrt(d2), 1e-6), o = ca_min - d;
        t.steric += ws * o * o;
        Vec3 f = (-2 * ws * o / d) * v;
        fca_[i] += f; fca_[j] -= f;
      }
      Vec3 u = bi - cb_[j];
      d2 = u.squaredNorm();
      if (d2 < cb_min * cb_min) {
        double d = std::max(std::sqrt(d2), 1e-6), o = cb_min - d;
        t.steric += ws * o * o;
        Vec3 f = (-2 * ws * o / d) * u;
        fcb_[i] += f; fcb_[j] -= f;
      }
    }
  }

  // Torsion restraints (von Mises form).
  for (int i = 0; i < L; ++i) {
    if (kphi[i] > 0) {
      t.torsion += kphi[i] * (1 - std::cos(x[i] - phi0[i]));
      grad[i] += kphi[i] * std::sin(x[i] - phi0[i]);
    }
    if (kpsi[i] > 0) {
      t.torsion += kpsi[i] * (1 - std::cos(x[L + i] - psi0[i]));
      grad[L + i] += kpsi[i] * std::sin(x[L + i] - psi0[i]);
    }
  }

  // Chain rule through the torsions with suffix sums of force and torque.
  Vec3 F = Vec3::Zero(), M = Vec3::Zero();  // over residues > i
  for (int i = L - 1; i >= 0; --i) {
    // psi_i turns residues > i about CA_i -> C_i.
    if (i + 1 < L) {
      Vec3 e = (c_[i] - ca_[i]).normalized();
      grad[L + i] += e.dot(M - ca_[i].cross(F));
    }
    // phi_i turns CB_i and residues > i about N_i -> CA_i.
    if (i > 0) {
      Vec3 Fi = F + fcb_[i], Mi = M + cb_[i].cross(fcb_[i]);
      Vec3 e = (ca_[i] - n_[i]).normalized();
      grad[i] += e.dot(Mi - ca_[i].cross(Fi));
    }
    F += fca_[i] + fcb_[i];
    M += ca_[i].cross(fca_[i]) + cb_[i].cross(fcb_[i]);
  }
  if (terms) *terms = t;
  return t.total();
}

}  // namespace foldsight
