// The prediction pipeline's C++ half: turns the learned model's outputs and the template hits
// into the folding engine's input, and the folded result into the model users see (PDB with
// confidence in the B-factor column, numbered 1..L). Inference itself runs in JS (ONNX Runtime).
#pragma once
#include <string>
#include <vector>
#include "core/structure.h"
#include "predict/fold.h"
#include "predict/template_restraints.h"

namespace foldsight {

// Raw model outputs (layouts as in models/manifest.json), borrowed.
struct ModelOutputs {
  int length = 0;
  const float* ss8 = nullptr;         // L×8 probabilities, "HGIEBTS-"
  const float* torsion = nullptr;     // L×4: sin φ, cos φ, sin ψ, cos ψ
  const float* confidence = nullptr;  // L, P(secondary structure correct)
  const float* distogram = nullptr;   // L×L×nbins
  const float* profile = nullptr;     // L×20 predicted profile (ACDEFGHIKLMNPQRSTVWY), optional
  int nbins = 0;
};

struct PredictionInput {
  std::string sequence;
  FoldInput fold;
  std::vector<TemplateUse> templates;   // hits that contributed restraints
};

// Bin edges of the distogram: 2, 3, ..., 22 Å for 22 bins (scripts/train/model.py DIST_EDGES).
std::vector<float> distogram_bin_edges(int nbins);

// Fills `in` from the sequence, the model outputs and (if library) the best template hits:
// `searched` when given (the first kTemplateSearchHits hits of search_library for this very
// sequence, e.g. kept from the search the app already showed), else a new search.
bool prepare_prediction(const std::string& sequence, const ModelOutputs& out, const TemplateLibrary* library,
                        PredictionInput& in, std::string* error,
                        const std::vector<TemplateHit>* searched = nullptr);

FoldOptions prediction_fold_options(const PredictionInput& in);

// The model as a Structure (one chain "A", residues 1..L, B-factor = confidence 0–100).
Structure prediction_structure(const PredictionInput& in, const FoldResult& result);

float calibrated_tm(const PredictionInput& in, float raw_predicted_tm);

// {"length","mean_confidence","predicted_tm","predicted_tm_raw","templates":[{"id","identity","coverage","evalue"}]}
std::string prediction_summary_json(const PredictionInput& in, const FoldResult& result);

}  // namespace foldsight
