#include "predict/predict_pipeline.h"
#include <algorithm>
#include <cmath>
#include <cstdio>

namespace foldsight {

std::vector<float> distogram_bin_edges(int nbins) {
  std::vector<float> edges;
  for (int k = 0; k + 1 < nbins; ++k) edges.push_back(2.0f + float(k));
  return edges;
}

bool prepare_prediction(const std::string& sequence, const ModelOutputs& out, const TemplateLibrary* library,
                        PredictionInput& in, std::string* error, const std::vector<TemplateHit>* searched) {
  const int L = int(sequence.size());
  if (L < 1 || out.length != L) {
    if (error) *error = "model outputs do not match the sequence length";
    return false;
  }
  in = PredictionInput{};
  in.sequence = sequence;
  FoldInput& f = in.fold;
  f.length = L;
  f.sequence = sequence;
  if (out.distogram && out.nbins > 1) {
    f.distogram.assign(out.distogram, out.distogram + size_t(L) * L * out.nbins);
    f.bin_edges = distogram_bin_edges(out.nbins);
  }
  f.phi.resize(L), f.psi.resize(L), f.torsion_weight.resize(L);
  for (int i = 0; i < L; ++i) {
    const float* t = out.torsion + 4 * i;
    f.phi[i] = std::atan2(t[0], t[1]);
    f.psi[i] = std::atan2(t[2], t[3]);
    // The model's per-residue confidence (P(secondary structure right)) says how far to trust
    // its angles; below one half they are little better than the coil prior.
    float c = out.confidence ? out.confidence[i] : 0.5f;
    f.torsion_weight[i] = std::max(0.0f, std::min(1.0f, 2.0f * (c - 0.4f)));
  }
  // The chain ends have no defined phi (first) / psi (last).
  f.torsion_weight[0] *= 0.5f, f.torsion_weight[L - 1] *= 0.5f;
  if (out.profile) f.profile.assign(out.profile, out.profile + size_t(L) * kProfileDims);
  if (out.ss8) f.ss_probs.assign(out.ss8, out.ss8 + size_t(L) * 8);
  if (library) add_template_restraints(*library, sequence, f, in.templates, searched);
  return true;
}

FoldOptions prediction_fold_options(const PredictionInput& in) {
  FoldOptions o;
  const int L = in.fold.length;
  // Keep a 300-residue prediction within its time budget in wasm: fewer starts for long chains,
  // and a strong template needs fewer still.
  o.starts = L > 600 ? 2 : L > 250 ? 3 : 4;
  if (!in.templates.empty() && in.templates.front().coverage > 0.8) o.starts = std::min(o.starts, 3);
  // Where a confident template aligns, its coordinates are far more reliable than what a
  // single-sequence distogram says: let the template restraints dominate there (a prior, not
  // fitted to any benchmark).
  if (!in.templates.empty()) o.weights.templ = 5.0;
  // With a confident template the start from the predicted torsions hardly ever wins (fold.h);
  // its time goes to longer runs of the other starts instead, which converge further. On
  // training-validation chains with a confident hit (168, own entry left out): mean TM +0.0016
  // at 700 iterations per start, +0.0027 at 1,000 (500 before); 1,000 only up to 250 residues,
  // so that 300 stay well within the time budget.
  if (!in.templates.empty() && in.templates.front().confident) {
    o.predicted_start_with_template = false;
    o.iterations_per_start = L > 250 ? 700 : 1000;
  }
  o.seed = 1;
  return o;
}

Structure prediction_structure(const PredictionInput& in, const FoldResult& r) {
  return backbone_to_structure(r.backbone, in.sequence, r.confidence, "A", "prediction");
}

// Predicted TM-score: the engine's estimate (mean squared per-residue confidence) and the best
// template's identity × coverage, mapped linearly onto TM-scores measured with TMscore on the
// training run's own validation chains (never benchmark targets), each predicted with its own
// PDB entry left out of the templates: `scripts/train/calibrate_confidence.py --count 70`
// printed these coefficients (70 chains, Pearson r 0.893 on them, 2026-11-29).
float calibrated_tm(const PredictionInput& in, float raw) {
  constexpr float kA = 0.2033f, kB = 0.5013f, kC = 0.7843f;
  // weak hits (no confident one) earn no credit: their identity says little about the fold
  const bool confident = !in.templates.empty() && in.templates.front().confident;
  float t = confident ? float(in.templates.front().identity * in.templates.front().coverage) : 0.0f;
  return std::max(0.0f, std::min(1.0f, kA + kB * raw + kC * t));
}

std::string prediction_summary_json(const PredictionInput& in, const FoldResult& r) {
  double mean = 0;
  for (float c : r.confidence) mean += c;
  mean /= std::max<size_t>(1, r.confidence.size());
  std::string s;
  char buf[256];
  std::snprintf(buf, sizeof buf,
                "{\"length\":%d,\"mean_confidence\":%.2f,\"predicted_tm\":%.4f,\"predicted_tm_raw\":%.4f,\"templates\":[",
                in.fold.length, mean, calibrated_tm(in, r.predicted_tm), r.predicted_tm);
  s = buf;
  for (size_t k = 0; k < in.templates.size(); ++k) {
    const TemplateUse& t = in.templates[k];
    std::snprintf(buf, sizeof buf,
                  "%s{\"id\":\"%s\",\"identity\":%.3f,\"coverage\":%.3f,\"evalue\":%.3g,\"confident\":%s}",
                  k ? "," : "", t.id.c_str(), t.identity, t.coverage, t.evalue, t.confident ? "true" : "false");
    s += buf;
  }
  s += "]}";
  return s;
}

}  // namespace foldsight
