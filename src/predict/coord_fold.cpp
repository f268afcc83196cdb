#include "predict/coord_fold.h"
#include <algorithm>
#include <cmath>
#include <queue>
#include <Eigen/Eigenvalues>
#include <Eigen/QR>

namespace foldsight {

namespace {

// Virtual CB = CA(i) + k1 (b - c) + k2 (b x c) + k3 (b + c), b = CA(i) - CA(i-1), c = CA(i+1) - CA(i).
// Least-squares fit over 1,098 residues of 2XHE A and 7DDO A (biopython test files): 0.42 Å RMS.
const double kCb1 = 0.21770, kCb2 = -0.07224, kCb3 = 0.03192;

// Bin centres from the edges (end bins as wide as their neighbours), as fold_energy does.
std::vector<double> bin_centers(const std::vector<float>& ed) {
  int nb = (int)ed.size() + 1;
  std::vector<double> c(nb);
  c[0] = ed[0] - 0.5 * (ed[1] - ed[0]);
  for (int k = 1; k < nb - 1; ++k) c[k] = 0.5 * (ed[k - 1] + ed[k]);
  c[nb - 1] = ed[nb - 2] + 0.5 * (ed[nb - 2] - ed[nb - 3]);
  return c;
}

bool has_distogram(const FoldInput& in) {
  int nb = (int)in.bin_edges.size() + 1;
  return nb >= 3 && in.length > 0 && in.distogram.size() == (size_t)in.length * in.length * nb;
}

// Flat-bottom harmonic: k (lo - d)^2 below lo, k (d - hi)^2 above hi.
inline double flat_bottom(double d, double lo, double hi, double k, double* dedd) {
  if (d < lo) { *dedd = -2 * k * (lo - d); return k * (lo - d) * (lo - d); }
  if (d > hi) { *dedd = 2 * k * (d - hi); return k * (d - hi) * (d - hi); }
  *dedd = 0;
  return 0;
}

uint64_t mix(uint64_t z) {
  z += 0x9e3779b97f4a7c15ull;
  z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
  z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
  return z ^ (z >> 31);
}

}  // namespace

std::vector<Vec3> to_points(const Eigen::VectorXd& x) {
  std::vector<Vec3> p(x.size() / 3);
  for (size_t i = 0; i < p.size(); ++i) p[i] = Vec3(x[3 * i], x[3 * i + 1], x[3 * i + 2]);
  return p;
}

void virtual_cb(const std::vector<Vec3>& ca, std::vector<Vec3>& cb) {
  const size_t L = ca.size();
  cb = ca;
  if (L < 3) return;
  for (size_t i = 1; i + 1 < L; ++i) {
    Vec3 b = ca[i] - ca[i - 1], c = ca[i + 1] - ca[i];
    cb[i] = ca[i] + kCb1 * (b - c) + kCb2 * b.cross(c) + kCb3 * (b + c);
  }
  cb[0] = ca[0] + (cb[1] - ca[1]);
  cb[L - 1] = ca[L - 1] + (cb[L - 2] - ca[L - 2]);
}

CoordEnergy make_coord_energy(const FoldInput& in, const CoordWeights& w) {
  CoordEnergy e;
  const int L = in.length;
  e.length = L;
  e.weights = w;
  if (has_distogram(in)) {
    const int nb = (int)in.bin_edges.size() + 1;
    e.centers = bin_centers(in.bin_edges);
    int near_bins = 0;  // bins entirely below 20 Å
    while (near_bins < nb - 1 && in.bin_edges[near_bins] <= 20.0f) ++near_bins;
    auto prob = [&](int i, int j, int k) {
      return 0.5 * (in.distogram[((size_t)i * L + j) * nb + k] + in.distogram[((size_t)j * L + i) * nb + k]);
    };
    // P(d < 20 Å) of every pair; each residue keeps its most likely near partners.
    std::vector<float> pn((size_t)L * L, 0.f);
    for (int i = 0; i < L; ++i)
      for (int j = i + 3; j < L; ++j) {
        double s = 0, t = 0;
        for (int k = 0; k < nb; ++k) { double p = prob(i, j, k); t += p; if (k < near_bins) s += p; }
        pn[(size_t)i * L + j] = pn[(size_t)j * L + i] = t > 0 ? (float)(s / t) : 0.f;
      }
    std::vector<uint8_t> chosen((size_t)L * L, 0);
    std::vector<int> order;
    for (int i = 0; i < L; ++i) {
      order.clear();
      for (int j = 0; j < L; ++j)
        if (std::abs(i - j) >= 3 && pn[(size_t)i * L + j] >= w.near_prob) order.push_back(j);
      int k = std::min<int>(w.pairs_per_residue, (int)order.size());
      std::partial_sort(order.begin(), order.begin() + k, order.end(), [&](int a, int b) {
        return pn[(size_t)i * L + a] > pn[(size_t)i * L + b] || (pn[(size_t)i * L + a] == pn[(size_t)i * L + b] && a < b);
      });
      for (int t = 0; t < k; ++t) chosen[(size_t)std::min(i, order[t]) * L + std::max(i, order[t])] = 1;
    }
    // A few far partners per residue, chosen by a hash so that runs repeat exactly.
    for (int i = 0; i < L && L > 6; ++i)
      for (int t = 0, tries = 0; t < w.far_pairs_per_residue && tries < 4 * w.far_pairs_per_residue; ++tries) {
        int j = (int)(mix((uint64_t)i * 7919 + tries) % (uint64_t)L);
        if (std::abs(i - j) < 3) continue;
        uint8_t& c = chosen[(size_t)std::min(i, j) * L + std::max(i, j)];
        if (c) continue;
        c = 1;
        ++t;
      }
    std::vector<double> p(nb), u(nb), m(nb);
    for (int i = 0; i < L; ++i)
      for (int j = i + 3; j < L; ++j) {
        if (!chosen[(size_t)i * L + j]) continue;
        for (int k = 0; k < nb; ++k) p[k] = prob(i, j, k);
        if (!distogram_pair_table(p, e.centers, true, u, m)) continue;
        CoordPair r;
        r.i = i; r.j = j;
        r.table = (int)e.table_u.size();
        r.weight = (float)w.distogram;
        for (int k = 0; k < nb; ++k) e.table_u.push_back((float)u[k]), e.table_m.push_back((float)m[k]);
        e.pairs.push_back(r);
      }
  }
  for_each_template_pair(in, w.template_cutoff, [&](int i, int j, double d, double weight) {
    CoordPair r;
    r.i = i;
    r.j = j;
    r.target = (float)d;
    r.weight = (float)(w.templ * weight);
    e.pairs.push_back(r);
  });
  if ((int)in.ss_probs.size() == 8 * L) {
    e.helix.resize(L);
    e.strand.resize(L);
    for (int i = 0; i < L; ++i) {
      const float* q = &in.ss_probs[8 * i];
      e.helix[i] = q[0] + q[1] + q[2];
      e.strand[i] = q[3] + q[4];
    }
  }
  return e;
}

double CoordEnergy::evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& grad, EnergyTerms* terms) {
  const int L = length;
  grad.setZero(3 * L);
  EnergyTerms t;
  ca_ = to_points(x);
  virtual_cb(ca_, cb_);
  fca_.assign(L, Vec3::Zero());
  fcb_.assign(L, Vec3::Zero());
  const int nb = (int)centers.size();

  // Pair restraints: distogram on CB, template on CA.
  for (const CoordPair& r : pairs) {
    double w = r.weight * restraint_scale;
    if (r.table >= 0) {
      Vec3 v = cb_[r.i] - cb_[r.j];
      double d = std::max(v.norm(), 1e-6), du, val;
      const float* u = table_u.data() + r.table;
      const float* m = table_m.data() + r.table;
      if (d <= centers[0]) { du = m[0]; val = u[0] + m[0] * (d - centers[0]); }
      else if (d >= centers[nb - 1]) { du = std::max(m[nb - 1], 0.f); val = u[nb - 1] + du * (d - centers[nb - 1]); }
      else {
        int k = int(std::upper_bound(centers.begin(), centers.end(), d) - centers.begin()) - 1;
        double h = centers[k + 1] - centers[k], s = (d - centers[k]) / h, s2 = s * s, s3 = s2 * s;
        val = (2 * s3 - 3 * s2 + 1) * u[k] + (s3 - 2 * s2 + s) * h * m[k] + (-2 * s3 + 3 * s2) * u[k + 1] +
              (s3 - s2) * h * m[k + 1];
        du = ((6 * s2 - 6 * s) * u[k] + (3 * s2 - 4 * s + 1) * h * m[k] + (-6 * s2 + 6 * s) * u[k + 1] +
              (3 * s2 - 2 * s) * h * m[k + 1]) / h;
      }
      t.distogram += w * val;
      Vec3 f = (w * du / d) * v;
      fcb_[r.i] += f; fcb_[r.j] -= f;
    } else {
      Vec3 v = ca_[r.i] - ca_[r.j];
      double d = std::max(v.norm(), 1e-6);
      // Flat bottom of 0.5 Å, harmonic to 2 Å beyond it, linear after (robust to template errors).
      double dev = std::abs(d - r.target) - 0.5;
      if (dev <= 0) continue;
      double val, dd;
      if (dev < 2) { val = dev * dev; dd = 2 * dev; }
      else { val = 4 * dev - 4; dd = 4; }
      t.templ += w * val;
      Vec3 f = (w * dd * (d > r.target ? 1 : -1) / d) * v;
      fca_[r.i] += f; fca_[r.j] -= f;
    }
  }

  // Chain geometry: CA(i)-CA(i+1) 3.8 Å, CA(i)-CA(i+2) 5.0-7.3 Å.
  auto pair_term = [&](int i, int j, double lo, double hi, double k, double& acc) {
    Vec3 v = ca_[i] - ca_[j];
    double d = std::max(v.norm(), 1e-6), dd;
    double val = flat_bottom(d, lo, hi, k, &dd);
    if (val == 0 && dd == 0) return;
    acc += val;
    Vec3 f = (dd / d) * v;
    fca_[i] += f; fca_[j] -= f;
  };
  for (int i = 0; i + 1 < L; ++i) pair_term(i, i + 1, 3.8, 3.8, weights.bond * geometry_scale, t.steric);
  for (int i = 0; i + 2 < L; ++i) pair_term(i, i + 2, 5.0, 7.3, weights.angle * geometry_scale, t.steric);

  // Secondary structure from ss_probs: helix (i,i+3) 4.9-5.6 Å, (i,i+4) 5.9-6.6 Å and a right-handed
  // CA quartet; strand (i,i+2) 6.2-7.2 Å, (i,i+3) 9.3-10.8 Å.
  if ((int)helix.size() == L) {
    auto minp = [&](const std::vector<float>& p, int i, int n) {
      float m = 1;
      for (int k = i; k < i + n; ++k) m = std::min(m, p[k]);
      return m;
    };
    double ks = weights.ss * restraint_scale;
    for (int i = 0; i + 3 < L; ++i) {
      double h = minp(helix, i, 4), s3 = minp(strand, i, 4);
      if (h > 0.3) {
        pair_term(i, i + 3, 4.9, 5.6, ks * h, t.torsion);
        // Signed volume of the quartet: positive for right-handed helices (CA pseudo-torsion +50°).
        Vec3 b1 = ca_[i + 1] - ca_[i], b2 = ca_[i + 2] - ca_[i + 1], b3 = ca_[i + 3] - ca_[i + 2];
        double v = b1.dot(b2.cross(b3)), v0 = 25;
        if (v < v0) {
          double k = 0.01 * ks * h;
          t.torsion += k * (v0 - v) * (v0 - v);
          double dv = -2 * k * (v0 - v);
          Vec3 g1 = dv * b2.cross(b3), g2 = dv * b3.cross(b1), g3 = dv * b1.cross(b2);
          fca_[i] -= g1; fca_[i + 1] += g1 - g2; fca_[i + 2] += g2 - g3; fca_[i + 3] += g3;
        }
        if (i + 4 < L) {
          double h4 = std::min<double>(h, helix[i + 4]);
          if (h4 > 0.3) pair_term(i, i + 4, 5.9, 6.6, ks * h4, t.torsion);
        }
      }
      if (s3 > 0.3) pair_term(i, i + 3, 9.3, 10.8, ks * s3, t.torsion);
    }
    for (int i = 0; i + 2 < L; ++i) {
      double s = minp(strand, i, 3);
      if (s > 0.3) pair_term(i, i + 2, 6.2, 7.2, ks * s, t.torsion);
    }
  }

  // Sterics: CA-CA at least 4 Å for |i - j| >= 3, through a cell list (cells of >= 4 Å, at most
  // 40 per axis).
  if (L > 3) {
    const double cut = 4.0;
    Vec3 lo = ca_[0], hi = ca_[0];
    for (const Vec3& p : ca_) { lo = lo.cwiseMin(p); hi = hi.cwiseMax(p); }
    Vec3 ext = hi - lo;
    double cell = std::max(cut, ext.maxCoeff() / 40.0);
    int n[3];
    for (int a = 0; a < 3; ++a) n[a] = std::max(1, (int)(ext[a] / cell) + 1);
    size_t ncell = (size_t)n[0] * n[1] * n[2];
    cell_start_.assign(ncell + 1, 0);
    cell_of_.resize(L);
    cell_items_.resize(L);
    auto index = [&](const Vec3& p, int* c) {
      for (int a = 0; a < 3; ++a) c[a] = std::min(n[a] - 1, (int)((p[a] - lo[a]) / cell));
      return ((size_t)c[0] * n[1] + c[1]) * n[2] + c[2];
    };
    int c3[3];
    for (int i = 0; i < L; ++i) { cell_of_[i] = (int)index(ca_[i], c3); ++cell_start_[cell_of_[i] + 1]; }
    for (size_t k = 0; k < ncell; ++k) cell_start_[k + 1] += cell_start_[k];
    {
      std::vector<int> fill(cell_start_.begin(), cell_start_.end() - 1);
      for (int i = 0; i < L; ++i) cell_items_[fill[cell_of_[i]]++] = i;
    }
    double ks = weights.steric * geometry_scale;
    for (int i = 0; i < L; ++i) {
      index(ca_[i], c3);
      for (int dx = -1; dx <= 1; ++dx)
        for (int dy = -1; dy <= 1; ++dy)
          for (int dz = -1; dz <= 1; ++dz) {
            int a = c3[0] + dx, b = c3[1] + dy, c = c3[2] + dz;
            if (a < 0 || b < 0 || c < 0 || a >= n[0] || b >= n[1] || c >= n[2]) continue;
            size_t k = ((size_t)a * n[1] + b) * n[2] + c;
            for (int q = cell_start_[k]; q < cell_start_[k + 1]; ++q) {
              int j = cell_items_[q];
              if (j < i + 3) continue;
              Vec3 v = ca_[i] - ca_[j];
              double d2 = v.squaredNorm();
              if (d2 >= cut * cut) continue;
              double d = std::max(std::sqrt(d2), 1e-6);
              t.steric += ks * (cut - d) * (cut - d);
              Vec3 f = (-2 * ks * (cut - d) / d) * v;
              fca_[i] += f; fca_[j] -= f;
            }
          }
    }
  }

  // Forces on the virtual CB atoms go to the CA atoms they are built from.
  if (L >= 3) {
    auto spread = [&](int i, const Vec3& F) {  // F = dE/dCB(i), i in 1..L-2
      Vec3 b = ca_[i] - ca_[i - 1], c = ca_[i + 1] - ca_[i];
      Vec3 db = (kCb1 + kCb3) * F + kCb2 * c.cross(F);
      Vec3 dc = (kCb3 - kCb1) * F + kCb2 * F.cross(b);
      fca_[i - 1] -= db;
      fca_[i] += F + db - dc;
      fca_[i + 1] += dc;
    };
    for (int i = 1; i + 1 < L; ++i) spread(i, fcb_[i]);
    // Ends: CB(0) = CA(0) + CB(1) - CA(1), likewise at the C terminus.
    fca_[0] += fcb_[0];
    fca_[1] -= fcb_[0];
    spread(1, fcb_[0]);
    fca_[L - 1] += fcb_[L - 1];
    fca_[L - 2] -= fcb_[L - 1];
    spread(L - 2, fcb_[L - 1]);
  } else {
    for (int i = 0; i < L; ++i) fca_[i] += fcb_[i];
  }
  for (int i = 0; i < L; ++i)
    for (int a = 0; a < 3; ++a) grad[3 * i + a] = fca_[i][a];
  if (terms) *terms = t;
  return t.total();
}

Eigen::VectorXd coord_start(const FoldInput& in, bool mirror) {
  if (!has_distogram(in)) return Eigen::VectorXd();
  const int L = in.length, nb = (int)in.bin_edges.size() + 1;
  std::vector<double> centers = bin_centers(in.bin_edges);
  // Expected distance of every pair; the graph of confident short ones for shortest paths.
  Eigen::MatrixXd D = Eigen::MatrixXd::Zero(L, L);
  std::vector<std::vector<std::pair<int, double>>> adj(L);
  for (int i = 0; i < L; ++i)
    for (int j = i + 1; j < L; ++j) {
      double s = 0, m = 0;
      for (int k = 0; k < nb; ++k) {
        double p = 0.5 * (in.distogram[((size_t)i * L + j) * nb + k] + in.distogram[((size_t)j * L + i) * nb + k]);
        s += p;
        m += p * centers[k];
      }
      m = s > 0 ? m / s : centers[nb - 1];
      D(i, j) = D(j, i) = m;
      if (m < 12.0 || j == i + 1) { adj[i].push_back({j, m}); adj[j].push_back({i, m}); }
    }
  // Beyond the distogram's range the shortest path through confident pairs (an overestimate of the
  // straight distance, hence the factor) says how far apart two residues are.
  std::vector<double> dist(L);
  using Item = std::pair<double, int>;
  for (int src = 0; src < L; ++src) {
    std::fill(dist.begin(), dist.end(), INFINITY);
    std::priority_queue<Item, std::vector<Item>, std::greater<Item>> q;
    dist[src] = 0;
    q.push({0, src});
    while (!q.empty()) {
      auto [d, v] = q.top();
      q.pop();
      if (d > dist[v]) continue;
      for (auto [w, len] : adj[v])
        if (d + len < dist[w]) { dist[w] = d + len; q.push({dist[w], w}); }
    }
    for (int j = src + 1; j < L; ++j)
      if (D(src, j) > 15.0 && std::isfinite(dist[j])) {
        double v = std::max(D(src, j), 0.8 * dist[j]);
        D(src, j) = v;
      }
  }
  for (int i = 0; i < L; ++i)
    for (int j = 0; j < i; ++j) D(i, j) = D(j, i);
  // Classical MDS: B = -1/2 J D^2 J, coordinates from its three largest eigenpairs.
  Eigen::MatrixXd B = D.cwiseProduct(D);
  Eigen::VectorXd rm = B.rowwise().mean();
  double all = rm.mean();
  for (int i = 0; i < L; ++i)
    for (int j = 0; j < L; ++j) B(i, j) = -0.5 * (B(i, j) - rm[i] - rm[j] + all);
  Eigen::MatrixXd V(L, 3);
  Eigen::Vector3d lambda = Eigen::Vector3d::Zero();
  if (L <= 200) {
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(B);
    for (int a = 0; a < 3 && a < L; ++a) {
      V.col(a) = es.eigenvectors().col(L - 1 - a);
      lambda[a] = es.eigenvalues()[L - 1 - a];
    }
    for (int a = L; a < 3; ++a) V.col(a).setZero();
  } else {
    // Subspace iteration with Rayleigh-Ritz: O(L^2) per iteration instead of the O(L^3) solver.
    const int k = 8;
    Eigen::MatrixXd Q(L, k);
    for (int i = 0; i < L; ++i)
      for (int a = 0; a < k; ++a) Q(i, a) = (double)(mix((uint64_t)i * 131 + a) >> 11) / 9007199254740992.0 - 0.5;
    for (int it = 0; it < 40; ++it) {
      Eigen::MatrixXd Z = B * Q;
      Eigen::HouseholderQR<Eigen::MatrixXd> qr(Z);
      Q = qr.householderQ() * Eigen::MatrixXd::Identity(L, k);
    }
    Eigen::MatrixXd T = Q.transpose() * B * Q;
    Eigen::SelfAdjointEigenSolver<Eigen::MatrixXd> es(T);
    for (int a = 0; a < 3; ++a) {
      V.col(a) = Q * es.eigenvectors().col(k - 1 - a);
      lambda[a] = es.eigenvalues()[k - 1 - a];
    }
  }
  Eigen::VectorXd x(3 * L);
  for (int i = 0; i < L; ++i)
    for (int a = 0; a < 3; ++a) x[3 * i + a] = V(i, a) * std::sqrt(std::max(lambda[a], 0.0));
  if (mirror)
    for (int i = 0; i < L; ++i) x[3 * i] = -x[3 * i];
  return x;
}

Eigen::VectorXd template_coord_start(const FoldInput& in) {
  const int L = in.length;
  if ((int)in.template_ca.size() != 3 * L || L < 2) return Eigen::VectorXd();
  std::vector<int> known;
  for (int i = 0; i < L; ++i)
    if (std::isfinite(in.template_ca[3 * i]) && i < (int)in.template_weight.size() && in.template_weight[i] > 0)
      known.push_back(i);
  if (2 * (int)known.size() < L || known.size() < 2) return Eigen::VectorXd();
  Eigen::VectorXd x(3 * L);
  auto at = [&](int i) { return Vec3(in.template_ca[3 * i], in.template_ca[3 * i + 1], in.template_ca[3 * i + 2]); };
  for (int i : known) x.segment<3>(3 * i) = at(i);
  for (size_t k = 0; k + 1 < known.size(); ++k) {   // gaps between aligned residues
    int a = known[k], b = known[k + 1];
    for (int i = a + 1; i < b; ++i) x.segment<3>(3 * i) = at(a) + (at(b) - at(a)) * (double(i - a) / (b - a));
  }
  // Chain ends: continue the first / last aligned step, 3.8 Å per residue.
  int f = known.front(), f2 = known[1], l = known.back(), l2 = known[known.size() - 2];
  Vec3 df = (at(f) - at(f2)).normalized() * 3.8, dl = (at(l) - at(l2)).normalized() * 3.8;
  for (int i = f - 1; i >= 0; --i) x.segment<3>(3 * i) = at(f) + df * double(f - i);
  for (int i = l + 1; i < L; ++i) x.segment<3>(3 * i) = at(l) + dl * double(i - l);
  return x;
}

void torsions_from_trace(const std::vector<Vec3>& trace, std::vector<double>& phi, std::vector<double>& psi) {
  const int L = (int)trace.size();
  Backbone bb = backbone_from_ca(trace);
  std::vector<double> om;
  backbone_torsions(bb, phi, psi, om);
  if (L < 3) return;
  auto measured = [&](const std::vector<double>& a, int i, double fallback) {
    return i < L && std::isfinite(a[i]) ? a[i] : fallback;
  };
  // Residue 0 with ideal N-CA-C geometry, oriented like the rebuilt backbone.
  Vec3 ca = trace[0];
  Vec3 n = ca + ideal::kNCa * (bb.n[0] - ca).normalized();
  Vec3 side = (bb.c[0] - ca) - (bb.c[0] - ca).dot((n - ca).normalized()) * (n - ca).normalized();
  if (side.norm() < 1e-6) side = (n - ca).unitOrthogonal();
  Vec3 u = (n - ca).normalized(), v = side.normalized();
  Vec3 c = ca + ideal::kCaC * (std::cos(ideal::kNCaC) * u + std::sin(ideal::kNCaC) * v);
  // Places C(i) (phi_i), then residues i+1.. with the given torsions; returns the squared misfit of
  // the next three CA atoms, weighted 1, 0.5, 0.25.
  auto misfit = [&](int i, const Vec3& ni, const Vec3& cai, const Vec3& cprev, double ph, double ps, Vec3* c_out,
                    Vec3* n_out, Vec3* ca_out) {
    Vec3 ci = i == 0 ? c : place_atom(cprev, ni, cai, ideal::kCaC, ideal::kNCaC, ph);
    Vec3 a = ni, b = cai, d = ci;
    double f = 0, w = 1, tpsi = ps;
    for (int k = i + 1; k <= std::min(L - 1, i + 3); ++k) {
      Vec3 nk = place_atom(a, b, d, ideal::kCN, ideal::kCaCN, tpsi);
      Vec3 cak = place_atom(b, d, nk, ideal::kNCa, ideal::kCNCa, M_PI);
      if (k == i + 1 && c_out) { *c_out = ci; *n_out = nk; *ca_out = cak; }
      f += w * (cak - trace[k]).squaredNorm();
      w *= 0.5;
      Vec3 ck = place_atom(d, nk, cak, ideal::kCaC, ideal::kNCaC, measured(phi, k, -1.2));
      a = nk; b = cak; d = ck;
      tpsi = measured(psi, k, 2.4);
    }
    return f;
  };
  Vec3 cprev = c;  // C(i-1) while at residue i
  for (int i = 0; i + 1 < L; ++i) {
    double ph0 = i == 0 ? 0 : measured(phi, i, -1.2), ps0 = measured(psi, i, 2.4);
    double best = INFINITY, bph = ph0, bps = ps0;
    // Coarse then fine grid around the measured torsions (phi only matters from residue 1 on).
    for (double step : {10 * M_PI / 180, 3 * M_PI / 180, 1 * M_PI / 180}) {
      double cph = bph, cps = bps;
      int range = step > 0.1 ? 4 : 3;
      for (int a = i == 0 ? 0 : -range; a <= (i == 0 ? 0 : range); ++a)
        for (int b = -range; b <= range; ++b) {
          double ph = cph + a * step, ps = cps + b * step;
          double f = misfit(i, n, ca, cprev, ph, ps, nullptr, nullptr, nullptr);
          if (f < best) { best = f; bph = ph; bps = ps; }
        }
    }
    Vec3 ci, nn, cn;
    misfit(i, n, ca, cprev, bph, bps, &ci, &nn, &cn);
    if (i > 0) phi[i] = std::remainder(bph, 2 * M_PI);
    psi[i] = std::remainder(bps, 2 * M_PI);
    cprev = ci;
    n = nn;
    ca = cn;
  }
}

double trace_handedness(const std::vector<Vec3>& ca, const FoldInput& in) {
  const int L = (int)ca.size();
  bool ss = (int)in.ss_probs.size() == 8 * L;
  double score = 0;
  for (int i = 0; i + 3 < L; ++i) {
    double t = dihedral(ca[i], ca[i + 1], ca[i + 2], ca[i + 3]) * 180 / M_PI;
    double w = 1;
    if (ss) {
      double h = 1;
      for (int k = i; k < i + 4; ++k) {
        const float* q = &in.ss_probs[8 * k];
        h = std::min<double>(h, q[0] + q[1] + q[2]);
      }
      w += 4 * h;
    }
    if (t > 20 && t < 80) score += w;
    else if (t < -20 && t > -80) score -= w;
  }
  return score;
}

}  // namespace foldsight
