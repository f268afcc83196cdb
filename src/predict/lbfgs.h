// Limited-memory BFGS minimiser that advances one iteration at a time, so a caller can spread a
// minimisation over several animation frames. Backtracking (Armijo) line search with a cap on
// the largest change of any variable per iteration: torsion-space energies have long lever arms,
// and an uncapped first step can throw a chain across the box.
#pragma once
#include <functional>
#include <vector>
#include <Eigen/Core>

namespace foldsight {

// Returns the energy at x and writes its gradient (same size as x).
using EnergyFunction = std::function<double(const Eigen::VectorXd& x, Eigen::VectorXd& grad)>;

struct LbfgsOptions {
  int history = 20;
  double max_change = 1.2;     // largest |dx_i| in one iteration
  double gradient_tol = 1e-5;  // stop when max |g_i| falls below
  double energy_tol = 1e-8;    // stop when the relative energy change falls below
  int max_line_search = 16;
};

struct Lbfgs {
  LbfgsOptions options;
  Eigen::VectorXd x, g;
  double energy = 0;
  int iterations = 0, evaluations = 0;
  bool done = false;

  void start(const Eigen::VectorXd& x0, const EnergyFunction& f);
  // One iteration; returns false (and sets done) once converged or when no descent step exists.
  bool iterate(const EnergyFunction& f);

 private:
  std::vector<Eigen::VectorXd> s_, y_;
  std::vector<double> rho_;
};

}  // namespace foldsight
