// The Cartesian stage of the folding engine: one point per residue (CA), free in space, so that a
// distogram alone can fold a chain. Torsion space cannot: a change of one torsion swings the whole
// rest of the chain, and from an arbitrary start the minimiser stalls in a misfolded knot.
//
//  1. coord_start(): a start from the distogram alone. Expected CB-CB distances (completed by
//     shortest paths where the distogram only says "beyond 22 Å") → classical MDS (top three
//     eigenvectors of the double-centred squared-distance matrix) → coordinates.
//  2. CoordEnergy: distogram negative log-likelihood on virtual CB atoms (placed from CA(i-1..i+1)
//     with a linear fit, so they carry handedness), CA(i)-CA(i+1) 3.8 Å, CA(i)-CA(i+2) 5.0-7.3 Å,
//     CA-CA sterics (cell list), template CA distances, and secondary-structure terms from ss_probs
//     (helix/strand i,i+3 and i,i+4 distances, right-handed signed volume of helical CA quartets).
//     Minimised with L-BFGS over the 3L coordinates.
// The folding session (fold.cpp) hands the refined trace to the torsion stage through
// backbone_from_ca + backbone_torsions, so the final model has ideal geometry.
#pragma once
#include <cstdint>
#include <vector>
#include <Eigen/Core>
#include "predict/backbone.h"
#include "predict/fold_energy.h"
#include "predict/restraints.h"

namespace foldsight {

struct CoordWeights {
  double distogram = 1.0;
  double bond = 30.0;        // CA(i)-CA(i+1) harmonic around 3.8 Å, per Å^2
  double angle = 10.0;       // CA(i)-CA(i+2) outside 5.0-7.3 Å, per Å^2
  double steric = 10.0;      // CA-CA closer than 4 Å (|i-j| >= 3), per Å^2
  double templ = 1.0;        // template CA distances
  double ss = 2.0;           // secondary-structure distances and handedness
  double near_prob = 0.25;   // distogram pairs with P(d < 20 Å) at least this are kept,
  int pairs_per_residue = 48;  // the most likely ones of each residue
  int far_pairs_per_residue = 8;  // plus this many others per residue (they keep the chain apart)
  double template_cutoff = 16.0;
};

struct CoordPair {
  int i = 0, j = 0;
  int table = -1;    // first index into CoordEnergy::table_u / table_m; -1 = template
  float target = 0;  // template distance
  float weight = 0;
};

struct CoordEnergy {
  int length = 0;
  CoordWeights weights;
  std::vector<double> centers;           // distogram bin centres (Å)
  std::vector<float> table_u, table_m;   // per distogram pair: potential and slope at each centre
  std::vector<CoordPair> pairs;
  std::vector<float> helix, strand;      // per residue probabilities from ss_probs (empty = none)
  double restraint_scale = 1;            // multiplies distogram and template terms
  double geometry_scale = 1;             // multiplies bond, angle and steric terms

  // Energy of x = [x0 y0 z0 x1 ...] (CA coordinates); fills grad (size 3L).
  double evaluate(const Eigen::VectorXd& x, Eigen::VectorXd& grad, EnergyTerms* terms = nullptr);

  // Scratch.
  std::vector<Vec3> ca_, cb_, fca_, fcb_;
  std::vector<int> cell_start_, cell_items_, cell_of_;
};

CoordEnergy make_coord_energy(const FoldInput& in, const CoordWeights& w);

// Virtual CB of every residue from the CA trace (chain ends: the neighbouring residue's offset).
void virtual_cb(const std::vector<Vec3>& ca, std::vector<Vec3>& cb);

// Classical-MDS start from the distogram (empty when there is none). mirror = the mirror image.
Eigen::VectorXd coord_start(const FoldInput& in, bool mirror);

// A start from the template CA targets (several templates are already in one frame): aligned
// residues where they are, the others spaced evenly on the straight line between their aligned
// neighbours (chain ends continue the last step). Empty when templates place fewer than half of
// the residues: then the distogram's MDS start is the better guess of the overall shape.
Eigen::VectorXd template_coord_start(const FoldInput& in);

// Handedness of a CA trace: (#CA(i..i+3) pseudo-torsions in the right-handed helix range
// 20..80 deg) - (# in -80..-20 deg), each weighted by 1 + 4 * helix probability when known.
// Real proteins score clearly positive; mirror images negative.
double trace_handedness(const std::vector<Vec3>& ca, const FoldInput& in);

std::vector<Vec3> to_points(const Eigen::VectorXd& x);

// Phi/psi (radians; phi[0], psi[L-1] NaN) of an ideal-geometry, all-trans chain that follows a CA
// trace. Torsions measured on backbone_from_ca() alone carry small errors that the rebuilt chain
// accumulates into a drift of many Å over a few hundred residues; here the chain is rebuilt residue
// by residue, each (phi, psi) chosen near the measured one so that the next three CA atoms land on
// the trace, so errors stay local.
void torsions_from_trace(const std::vector<Vec3>& trace, std::vector<double>& phi, std::vector<double>& psi);

}  // namespace foldsight
