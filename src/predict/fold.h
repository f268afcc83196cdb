// The folding engine: from restraints (FoldInput) to a full backbone + CB model with per-residue
// confidence and the trajectory of the run. Two phases:
//  1. Cartesian (coord_fold.h), when there is a distogram: classical-MDS starts (and their mirror
//     images) refined as free CA traces; the lowest-energy trace is turned into torsions
//     (backbone_from_ca + backbone_torsions). Torsion space alone cannot fold from a distogram.
//  2. Torsion space: FoldEnergy over phi/psi with L-BFGS, from the Cartesian-derived start (first
//     pulled towards its trace, then on the plain energy) and from the torsion starts (predicted
//     torsions, the template's torsions, perturbed copies; those run in stages that admit restraints
//     of growing sequence separation). The lowest final energy wins; bond geometry stays ideal.
//
// Two ways to run it: fold() blocks until done; FoldSession::step() advances a bounded number of
// iterations per call so a browser frame never blocks.
#pragma once
#include <cstdint>
#include <memory>
#include <vector>
#include "predict/backbone.h"
#include "predict/coord_fold.h"
#include "predict/fold_energy.h"
#include "predict/lbfgs.h"
#include "predict/restraints.h"

namespace foldsight {

struct FoldOptions {
  FoldWeights weights;
  LbfgsOptions lbfgs;
  int starts = 4;                    // independent minimisations (fewer when there is nothing to vary)
  int iterations_per_start = 500;    // L-BFGS iterations over all stages of one start
  int max_frames = 60;               // trajectory frames kept (evenly spaced)
  double perturbation = 0.6;         // radians: s.d. of the torsion noise of the random starts
  uint64_t seed = 1;
  // Cartesian phase (only with a distogram).
  bool coordinate_stage = true;
  CoordWeights coord_weights;
  int coordinate_starts = 2;           // MDS, its mirror image, then noisy copies of both
  int coordinate_iterations = 400;     // L-BFGS iterations per Cartesian start
  double coordinate_noise = 2.0;       // Å: s.d. of the noise of the extra Cartesian starts
  double refine_share = 0.7;           // torsion iterations of the Cartesian-derived start, x iterations_per_start
  // When the Cartesian phase runs, the torsion starts keep the predicted torsions and the template's
  // torsions but only this many perturbed copies (the Cartesian start replaces random search).
  int perturbed_starts_with_coordinates = 0;
  // With a template and the Cartesian phase, also minimise from the predicted torsions. Where the
  // template is a confident hit that start hardly ever wins (2 of 86 held-out chains, with the same
  // mean TM without it) and takes a quarter of the folding time.
  bool predicted_start_with_template = true;
};

struct FoldProgress {
  int start = 0, starts = 0;   // start being minimised, of how many (Cartesian ones included)
  int iterations = 0;          // done so far, all starts
  int total_iterations = 0;    // upper bound of all starts
  double energy = 0;           // current start
  double best_energy = 0;      // best finished start so far
  bool done = false;
  float fraction() const { return total_iterations ? std::min(1.f, float(iterations) / total_iterations) : 1.f; }
};

struct FoldResult {
  Backbone backbone;                      // N, CA, C, O, CB
  std::vector<double> phi, psi;           // torsions of the model
  std::vector<float> confidence;          // per residue, 0..100 (lDDT-like)
  float predicted_tm = 0;                 // 0..1
  double energy = 0;
  EnergyTerms terms;
  int best_start = -1;                    // index among the torsion-phase starts
  bool from_coordinates = false;          // the winner came from the Cartesian phase
  int iterations = 0;                     // all starts, both phases
  // CA snapshots (L*3 floats each) of the winning start's run (from the Cartesian phase's MDS start
  // when it won), superposed on the final model, first = starting conformation, last = the final
  // model's CA.
  std::vector<std::vector<float>> frames;
};

struct FoldSession {
  FoldSession(const FoldInput& input, const FoldOptions& options);
  ~FoldSession();
  // Runs at most max_iterations L-BFGS iterations; returns where the run stands.
  FoldProgress step(int max_iterations);
  bool done() const { return progress_.done; }
  const FoldProgress& progress() const { return progress_; }
  const FoldResult& result() const { return result_; }  // complete once done()

 private:
  struct State;
  void finish();  // the winning model, its confidence and frames
  std::unique_ptr<State> state_;
  FoldProgress progress_;
  FoldResult result_;
};

FoldResult fold(const FoldInput& input, const FoldOptions& options = {}, FoldProgress* progress = nullptr);

// Starting torsions where nothing else is known: from 8-state SS probabilities ("HGIEBTS-")
// when present, else a PPII-like coil.
void default_torsions(const FoldInput& input, std::vector<double>& phi, std::vector<double>& psi);

}  // namespace foldsight
