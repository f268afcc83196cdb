// The folding energy in torsion space: restraint potentials built from a FoldInput (distogram,
// torsions, template CA distances) plus sterics, evaluated with its analytic gradient with respect
// to every phi and psi. Bond geometry stays ideal, so chains never break.
//
// Gradient: turning torsion k by dθ moves every atom r downstream of its bond axis (unit e through
// point b) by e × (r - b) dθ, so dE/dθ = e · Σ (r - b) × F with F = dE/dr, over those atoms.
// Suffix sums of F and r × F over the chain make the whole gradient O(L) once the pair forces are known.
#pragma once
#include <cstdint>
#include <vector>
#include <Eigen/Core>
#include "predict/backbone.h"
#include "predict/restraints.h"

namespace foldsight {

struct FoldWeights {
  double distogram = 1.0;
  double torsion = 2.0;
  double templ = 1.0;       // template CA-CA distances
  double steric = 10.0;
  int pairs_per_residue = 24;    // distogram: top-k pairs of each residue by P(d < 12 Å)
  double min_contact_prob = 0.05;  // distogram pairs below this P(d < 12 Å) are dropped
  double template_cutoff = 24.0;   // template pairs: only those closer than this in the template
};

struct EnergyTerms {
  double distogram = 0, torsion = 0, templ = 0, steric = 0;
  double total() const { return distogram + torsion + templ + steric; }
};

// One distance restraint between CB atoms (distogram) or CA atoms (template).
struct PairRestraint {
  int i = 0, j = 0;
  int table = -1;      // distogram: first index into FoldEnergy::table_u / table_m; -1 = template
  float target = 0;    // template distance
  float weight = 0;
};

struct FoldEnergy {
  int length = 0;
  FoldWeights weights;
  std::vector<double> centers;         // distogram bin centres (Å)
  std::vector<double> table_u, table_m;  // per distogram pair: potential and slope at each centre
  std::vector<PairRestraint> pairs;    // sorted by |i - j|
  std::vector<double> phi0, psi0, kphi, kpsi;  // torsion targets and strengths (0 = none)
  int max_separation = 1 << 30;        // staging: pairs with |i - j| above this are ignored
  double steric_scale = 1;             // staging: multiplies weights.steric
  double restraint_scale = 1;          // staging: multiplies the distogram and template pair terms

  // Energy of torsions x = [phi_0..phi_{L-1}, psi_0..psi_{L-1}]; fills grad (size 2L).
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& grad, EnergyTerms* terms = nullptr);

  // Scratch, reused between evaluations.
  std::vector<Vec3> n_, ca_, c_, cb_, fca_, fcb_;
};

FoldEnergy make_fold_energy(const FoldInput& in, const FoldWeights& w);

// N, CA, C, CB of the chain for torsions x (same layout as evaluate).
void build_chain(const Eigen::VectorXd& x, int L, std::vector<Vec3>& n, std::vector<Vec3>& ca,
                 std::vector<Vec3>& c, std::vector<Vec3>* cb);

// Tabulates one distogram pair at the bin centres: u = -log(0.9 p + 0.1 g) relative to its
// minimum, where g is a broad Gaussian around the predicted mean (so the potential keeps a slope
// far from the predicted distances), and m = central-difference slopes. p (nb values, summing to
// anything > 0) is normalised in place. When the distance bins below the last hold no
// probability, the mean is the last centre if `far_mean_if_empty`. False when p sums to 0.
bool distogram_pair_table(std::vector<double>& p, const std::vector<double>& centers, bool far_mean_if_empty,
                          std::vector<double>& u, std::vector<double>& m);

// Distogram potential of one pair at distance d: value and derivative.
double distogram_potential(const FoldEnergy& e, int table, double d, double* dudd);

}  // namespace foldsight
