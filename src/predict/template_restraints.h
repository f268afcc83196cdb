// From template search hits to folding restraints: the aligned residues of the best confident
// hits give Cα targets (template coordinates, several templates superposed onto the best one),
// weighted by how much the alignment is worth. The folding engine (fold.h) then closes gaps,
// rebuilds loops and removes clashes while keeping the aligned core.
#pragma once
#include <string>
#include <string_view>
#include <vector>
#include "predict/library.h"
#include "predict/restraints.h"
#include "predict/search.h"

namespace foldsight {

using TemplateLibrary = Library;

// Hits at or below this E-value are "confident" (the app and the benchmark use the same cut-off).
constexpr double kConfidentEvalue = 1e-4;

// Without a confident hit, the best weak hits (any the search reports, E up to its 10) still
// restrain the model, lightly: a remote homologue's fold, or at least a compact protein-like
// one, is a better start than what the single-sequence model folds alone (fold recognition).
// Chosen on training_validation chains without a confident hit (50 of the first 300, own entry
// left out): mean TM 0.176 without templates, 0.199 from weak hits as the search aligned them,
// 0.228 realigned against a profile of the weak hits (hits up to E 1: 0.202), 0.238 taken in
// the order of distogram_agreement; on a second sample (45 of targets 301-700): 0.200 without,
// 0.244 realigned, 0.251 in distogram order.
constexpr double kWeakTemplateEvalue = 10.0;
constexpr float kWeakTemplateWeight = 0.7f;   // of template_weight

struct TemplateUse {
  std::string id;
  double identity = 0, coverage = 0, evalue = 0;
  int residues = 0;   // query residues this template contributed
  bool confident = true;   // evalue <= kConfidentEvalue (else a weak hit, see above)
};

std::vector<TemplateHit> search_library(const Library& lib, std::string_view sequence, int max_hits);

// [{"id","identity","coverage","evalue","bits","confident","query_begin","query_end"}, ...]
std::string hits_to_json(const Library& lib, const std::vector<TemplateHit>& hits);

// Per-residue weight of a template restraint from the hit's identity and E-value (0..1).
float template_weight(const TemplateHit& hit);

// Fills in.template_ca / template_weight from up to `max_templates` confident hits of `hits`
// (or, when none is confident, weak hits at kWeakTemplateWeight)
// (best first; later ones only fill residues the earlier ones leave uncovered, after being
// superposed onto the model so far). The next `further_templates` confident hits after the
// first also restrain, at a quarter of the weight, their own Cα–Cα distances over every pair
// they align (in.template_pairs), so where templates disagree the model settles between them
// instead of copying the first. Appends what was used to `used`.
void template_restraints_from_hits(const Library& lib, const std::vector<TemplateHit>& hits, FoldInput& in,
                                   std::vector<TemplateUse>& used, int max_templates = 3, int further_templates = 2);

// How well a hit's Cβ–Cβ distances, through its alignment, agree with the model's distogram
// (in.distogram): the sum over aligned pairs at least 6 apart of log P(the template's distance
// bin) minus the log of the distogram's own mean at that separation. Higher is likelier.
double distogram_agreement(const Library& lib, const TemplateHit& hit, const FoldInput& in);

// Hits the model is built from: the best this many of search_library.
constexpr int kTemplateSearchHits = 20;
// Weight of the learned model's predicted profile (ModelOutputs::profile) in the query's profile
// when hits are realigned (RealignOptions::predicted_weight; the query residue's own column
// weighs 1). Chosen on training-validation chains, each with its own entry left out: 95 chains
// without a confident hit mean TM 0.247 -> 0.253 (weight 2: 0.250; 0.255 with all 20 weak hits
// realigned, not only the first 8); the first 100 chains, 86 with a confident hit, 0.8087 -> 0.8093.
constexpr double kPredictedProfileWeight = 1.0;

// search_library (unless `searched` holds its first kTemplateSearchHits hits already),
// realign_hits (realign.h; the confident hits, or all weak ones when none is confident; weak
// ones then in the order of distogram_agreement) and template_restraints_from_hits.
void add_template_restraints(const Library& lib, const std::string& sequence, FoldInput& in,
                             std::vector<TemplateUse>& used, const std::vector<TemplateHit>* searched = nullptr);

}  // namespace foldsight
