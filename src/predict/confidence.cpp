#include "predict/confidence.h"
#include <algorithm>
#include <cmath>

namespace foldsight {

namespace {

const double kTolerances[4] = {0.5, 1.0, 2.0, 4.0};

double overlap(double lo, double hi, double a, double b) { return std::max(0.0, std::min(hi, b) - std::max(lo, a)); }

}  // namespace

std::vector<float> residue_confidence(const FoldInput& in, const Backbone& model) {
  const int L = in.length;
  std::vector<double> dist_score(L, -1.0), tmpl_score(L, -1.0);
  int nb = (int)in.bin_edges.size() + 1;
  if (nb >= 3 && (int)in.distogram.size() == L * L * nb && (int)model.size() == L) {
    // Bin intervals; the open last bin is taken as 4 Å wide.
    std::vector<double> lo(nb), hi(nb);
    for (int k = 0; k < nb; ++k) {
      lo[k] = k == 0 ? 0.0 : in.bin_edges[k - 1];
      hi[k] = k == nb - 1 ? lo[k] + 4.0 : in.bin_edges[k];
    }
    std::vector<double> num(L, 0.0), den(L, 0.0);
    for (int i = 0; i < L; ++i)
      for (int j = i + 1; j < L; ++j) {
        const float* pij = &in.distogram[((size_t)i * L + j) * nb];
        const float* pji = &in.distogram[((size_t)j * L + i) * nb];
        double w = 0;  // P(d < 15)
        for (int k = 0; k < nb; ++k) w += 0.5 * (pij[k] + pji[k]) * overlap(lo[k], hi[k], 0, 15) / (hi[k] - lo[k]);
        if (w < 0.02) continue;
        double m = (model.cb[i] - model.cb[j]).norm(), s = 0;
        for (double t : kTolerances)
          for (int k = 0; k < nb; ++k) {
            double p = 0.5 * (pij[k] + pji[k]);
            if (p > 1e-5) s += p * overlap(lo[k], hi[k], m - t, m + t) / (hi[k] - lo[k]);
          }
        s /= 4;
        num[i] += w * s; den[i] += w;
        num[j] += w * s; den[j] += w;
      }
    for (int i = 0; i < L; ++i) dist_score[i] = den[i] > 0 ? num[i] / den[i] : 0.0;
  }
  if ((int)in.template_ca.size() == 3 * L && (int)model.size() == L) {
    auto aligned = [&](int i) {
      return std::isfinite(in.template_ca[3 * i]) && i < (int)in.template_weight.size() && in.template_weight[i] > 0;
    };
    for (int i = 0; i < L; ++i) {
      if (!aligned(i)) continue;
      Vec3 ti(in.template_ca[3 * i], in.template_ca[3 * i + 1], in.template_ca[3 * i + 2]);
      double kept = 0, total = 0;
      for (int j = 0; j < L; ++j) {
        if (j == i || !aligned(j)) continue;
        Vec3 tj(in.template_ca[3 * j], in.template_ca[3 * j + 1], in.template_ca[3 * j + 2]);
        double dt = (ti - tj).norm();
        if (dt >= 15) continue;
        double dm = (model.ca[i] - model.ca[j]).norm();
        for (double t : kTolerances) kept += std::abs(dt - dm) < t;
        total += 4;
      }
      tmpl_score[i] = total > 0 ? in.template_weight[i] * kept / total : 0.0;
    }
  }
  std::vector<float> out(L);
  for (int i = 0; i < L; ++i) {
    double d = dist_score[i] >= 0 ? dist_score[i] : 0.2;  // nothing known: clearly low
    double c = d;
    if (tmpl_score[i] >= 0) {
      double w = in.template_weight[i];
      c = tmpl_score[i] + (1 - w) * d;  // tmpl_score already carries the factor w
    }
    out[i] = (float)std::clamp(100.0 * c, 0.0, 100.0);
  }
  return out;
}

float predicted_tm_score(const std::vector<float>& confidence) {
  if (confidence.empty()) return 0.f;
  double s = 0;
  for (float c : confidence) s += (c / 100.0) * (c / 100.0);
  return (float)std::clamp(0.02 + 0.98 * s / confidence.size(), 0.0, 1.0);
}

}  // namespace foldsight
