// Confidence of a folded model, from how well it agrees with what predicted it.
//  - distogram: the expected lDDT of each residue if the true CB-CB distances were drawn from the
//    predicted distributions: for every partner j weighted by P(d_ij < 15 Å), the mean over the
//    lDDT tolerances (0.5, 1, 2, 4 Å) of P(|d_ij - model d_ij| < t). Sharp distributions that the
//    model satisfies score high; flat ones score low whatever the model does.
//  - template: lDDT of the model's CA against the template's CA, scaled by the template weight.
#pragma once
#include <vector>
#include "predict/backbone.h"
#include "predict/restraints.h"

namespace foldsight {

// Per residue, 0..100.
std::vector<float> residue_confidence(const FoldInput& input, const Backbone& model);

// Whole-model TM-score estimate from the per-residue confidence, 0..1. A fixed monotone map
// (mean of squared per-residue confidence); the benchmark reports its calibration (Pearson r).
float predicted_tm_score(const std::vector<float>& confidence);

}  // namespace foldsight
