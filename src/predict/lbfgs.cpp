#include "predict/lbfgs.h"
#include <cmath>

namespace foldsight {

void Lbfgs::start(const Eigen::VectorXd& x0, const EnergyFunction& f) {
  x = x0;
  g.resize(x.size());
  energy = f(x, g);
  evaluations = 1;
  iterations = 0;
  done = x.size() == 0 || !std::isfinite(energy);
  s_.clear(); y_.clear(); rho_.clear();
}

bool Lbfgs::iterate(const EnergyFunction& f) {
  if (done) return false;
  if (g.lpNorm<Eigen::Infinity>() < options.gradient_tol) { done = true; return false; }
  // Two-loop recursion: d = -H g.
  Eigen::VectorXd q = g;
  int m = (int)s_.size();
  std::vector<double> alpha(m);
  for (int k = m - 1; k >= 0; --k) {
    alpha[k] = rho_[k] * s_[k].dot(q);
    q -= alpha[k] * y_[k];
  }
  if (m > 0) q *= s_[m - 1].dot(y_[m - 1]) / y_[m - 1].squaredNorm();
  for (int k = 0; k < m; ++k) {
    double beta = rho_[k] * y_[k].dot(q);
    q += (alpha[k] - beta) * s_[k];
  }
  Eigen::VectorXd d = -q;
  double slope = g.dot(d);
  if (!(slope < 0)) {  // lost descent (bad curvature pairs): restart from steepest descent
    s_.clear(); y_.clear(); rho_.clear();
    d = -g;
    slope = g.dot(d);
  }
  double step = 1.0;
  double biggest = d.lpNorm<Eigen::Infinity>();
  if (biggest * step > options.max_change) step = options.max_change / biggest;
  Eigen::VectorXd xn(x.size()), gn(x.size());
  double en = energy;
  bool accepted = false;
  for (int t = 0; t < options.max_line_search; ++t) {
    xn = x + step * d;
    en = f(xn, gn);
    ++evaluations;
    if (std::isfinite(en) && en <= energy + 1e-4 * step * slope) { accepted = true; break; }
    step *= 0.35;
  }
  ++iterations;
  if (!accepted) { done = true; return false; }
  Eigen::VectorXd s = xn - x, y = gn - g;
  double sy = s.dot(y);
  if (sy > 1e-12) {
    if ((int)s_.size() == options.history) {
      s_.erase(s_.begin()); y_.erase(y_.begin()); rho_.erase(rho_.begin());
    }
    s_.push_back(s); y_.push_back(y); rho_.push_back(1.0 / sy);
  }
  double change = std::abs(energy - en);
  x.swap(xn); g.swap(gn);
  energy = en;
  if (change <= options.energy_tol * std::max(1.0, std::abs(energy))) { done = true; return false; }
  return true;
}

}  // namespace foldsight
