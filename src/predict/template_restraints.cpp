#include "predict/template_restraints.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <limits>
#include "core/superpose.h"
#include "predict/realign.h"

namespace foldsight {

std::vector<TemplateHit> search_library(const Library& lib, std::string_view sequence, int max_hits) {
  SearchOptions opt;
  opt.max_hits = std::max(1, max_hits);
  return search_templates(lib, sequence, opt);
}

std::string hits_to_json(const Library&, const std::vector<TemplateHit>& hits) {
  std::string s = "[";
  char buf[320];
  for (size_t k = 0; k < hits.size(); ++k) {
    const TemplateHit& h = hits[k];
    std::snprintf(buf, sizeof buf,
                  "%s{\"id\":\"%s\",\"identity\":%.4f,\"coverage\":%.4f,\"evalue\":%.3g,\"score\":%.2f,"
                  "\"confident\":%s,\"query_begin\":%d,\"query_end\":%d}",
                  k ? "," : "", h.id.c_str(), h.identity, h.coverage, h.evalue, h.bits,
                  h.evalue <= kConfidentEvalue ? "true" : "false", h.query_begin, h.query_end);
    s += buf;
  }
  return s + "]";
}

float template_weight(const TemplateHit& hit) {
  // Structural similarity rises steeply with sequence identity (Chothia & Lesk): a 25 %
  // identity template is still right about the fold but not the details.
  double w = 0.35 + 0.9 * hit.identity;
  if (hit.evalue > 1e-10) w *= 0.85;
  return float(std::clamp(w, 0.3, 1.0));
}

// Further templates' pair distances, as far as the folding stages look (fold_energy.h's cutoff).
constexpr float kTemplatePairCutoff = 24.0f;
// A further template's per-residue weight relative to template_weight (pairs: its square, 1/4).
constexpr float kFurtherTemplateWeight = 0.5f;

static bool any_confident(const std::vector<TemplateHit>& hits) {
  for (const TemplateHit& h : hits)
    if (h.evalue <= kConfidentEvalue) return true;
  return false;
}

// Query residues the hit aligns to a residue of its template's backbone.
static std::vector<int> aligned_residues(const TemplateHit& h, const Backbone& bb, int L) {
  std::vector<int> aligned;
  for (int i = 0; i < L; ++i) {
    int t = h.query_to_template[size_t(i)];
    if (t >= 0 && t < int(bb.size())) aligned.push_back(i);
  }
  return aligned;
}

static int add_template_pairs(const TemplateHit& h, const Backbone& bb, float scale, FoldInput& in) {
  const std::vector<int> aligned = aligned_residues(h, bb, in.length);
  const float w = scale * template_weight(h) * kFurtherTemplateWeight;
  for (size_t a = 0; a < aligned.size(); ++a) {
    const Vec3& p = bb.ca[size_t(h.query_to_template[aligned[a]])];
    for (size_t b = a + 1; b < aligned.size(); ++b) {
      if (aligned[b] < aligned[a] + 2) continue;
      float d = (p - bb.ca[size_t(h.query_to_template[aligned[b]])]).norm();
      if (d <= kTemplatePairCutoff) in.template_pairs.push_back({aligned[a], aligned[b], d, w * w});
    }
  }
  return int(aligned.size());
}

void template_restraints_from_hits(const Library& lib, const std::vector<TemplateHit>& hits, FoldInput& in,
                                   std::vector<TemplateUse>& used, int max_templates, int further_templates) {
  const int L = in.length;
  const float nan = std::numeric_limits<float>::quiet_NaN();
  if (int(in.template_ca.size()) != 3 * L) in.template_ca.assign(size_t(3 * L), nan);
  if (int(in.template_weight.size()) != L) in.template_weight.assign(size_t(L), 0.0f);
  int taken = 0, further = 0;
  const bool confident = any_confident(hits);
  const double cutoff = confident ? kConfidentEvalue : kWeakTemplateEvalue;
  const float scale = confident ? 1.0f : kWeakTemplateWeight;
  for (const TemplateHit& h : hits) {
    if (taken >= max_templates && further >= further_templates) break;
    if (h.evalue > cutoff || h.index < 0 || int(h.query_to_template.size()) != L) continue;
    Backbone bb = template_backbone(lib, size_t(h.index));
    int pairs_from = 0;   // residues whose pair distances this hit restrains as a further template
    if (taken > 0 && further < further_templates) pairs_from = add_template_pairs(h, bb, scale, in), ++further;
    auto note_further = [&] {
      if (pairs_from) used.push_back({h.id, h.identity, h.coverage, h.evalue, pairs_from, confident});
    };
    if (taken >= max_templates) { note_further(); continue; }
    // Residues this hit aligns, and which of them are already covered (for superposition).
    std::vector<int> fresh, overlap;
    for (int i = 0; i < L; ++i) {
      int t = h.query_to_template[i];
      if (t < 0 || t >= int(bb.size())) continue;
      (std::isfinite(in.template_ca[3 * i]) ? overlap : fresh).push_back(i);
    }
    if (fresh.size() < 8) { note_further(); continue; }   // adds too little to be worth a restraint set
    // A later template must be placed in the frame of what is there already.
    RigidTransform place;   // identity for the first template
    if (taken > 0) {
      if (overlap.size() < 12) { note_further(); continue; }
      std::vector<Vec3d> a, b;   // template (moving) → current model
      for (int i : overlap) {
        const Vec3& p = bb.ca[size_t(h.query_to_template[i])];
        a.push_back({p.x(), p.y(), p.z()});
        b.push_back({double(in.template_ca[3 * i]), double(in.template_ca[3 * i + 1]), double(in.template_ca[3 * i + 2])});
      }
      Superposition sp = superpose(a, b);
      if (sp.rmsd > 3.0) { note_further(); continue; }   // the two templates disagree about the shared part
      place = sp.transform;
    }
    const float w = scale * template_weight(h) * (taken ? 0.8f : 1.0f);
    for (int i : fresh) {
      const Vec3& p = bb.ca[size_t(h.query_to_template[i])];
      Vec3d q = place.apply({p.x(), p.y(), p.z()});
      in.template_ca[3 * i] = float(q[0]), in.template_ca[3 * i + 1] = float(q[1]), in.template_ca[3 * i + 2] = float(q[2]);
      in.template_weight[i] = w;
    }
    used.push_back({h.id, h.identity, h.coverage, h.evalue, std::max(int(fresh.size()), pairs_from), confident});
    ++taken;
  }
}

// The distogram's mean over pairs at least 6 apart, per separation bucket (log, 3 × nbins): what
// distogram_agreement scores against, so pairs the model knows nothing about add nothing.
static int separation_bucket(int sep) { return sep < 12 ? 0 : sep < 24 ? 1 : 2; }

static std::vector<double> distogram_reference(const FoldInput& in) {
  const int L = in.length, nb = int(in.bin_edges.size()) + 1;
  std::vector<double> ref(size_t(3 * nb), 0.0), count(3, 0.0);
  for (int i = 0; i < L; ++i)
    for (int j = i + 6; j < L; ++j) {
      const float* p = &in.distogram[(size_t(i) * L + j) * nb];
      const int b = separation_bucket(j - i);
      for (int k = 0; k < nb; ++k) ref[size_t(b * nb + k)] += p[k];
      count[size_t(b)] += 1;
    }
  for (int b = 0; b < 3; ++b)
    for (int k = 0; k < nb; ++k) ref[size_t(b * nb + k)] = std::log(ref[size_t(b * nb + k)] / std::max(1.0, count[size_t(b)]) + 1e-4);
  return ref;
}

static double distogram_agreement(const Library& lib, const TemplateHit& h, const FoldInput& in,
                                  const std::vector<double>& ref) {
  const int L = in.length, nb = int(in.bin_edges.size()) + 1;
  Backbone bb = template_backbone(lib, size_t(h.index));
  const std::vector<int> aligned = aligned_residues(h, bb, L);
  double score = 0;
  for (size_t a = 0; a < aligned.size(); ++a) {
    const Vec3& pa = bb.cb[size_t(h.query_to_template[size_t(aligned[a])])];
    for (size_t c = a + 1; c < aligned.size(); ++c) {
      const int i = aligned[a], j = aligned[c];
      if (j - i < 6) continue;
      const double d = (pa - bb.cb[size_t(h.query_to_template[size_t(j)])]).norm();
      const int k = int(std::upper_bound(in.bin_edges.begin(), in.bin_edges.end(), float(d)) - in.bin_edges.begin());
      score += std::log(double(in.distogram[(size_t(i) * L + j) * nb + k]) + 1e-4) - ref[size_t(separation_bucket(j - i) * nb + k)];
    }
  }
  return score;
}

static bool has_distogram(const FoldInput& in) {
  const size_t L = size_t(in.length), nb = in.bin_edges.size() + 1;
  return L > 0 && in.distogram.size() == L * L * nb;
}

double distogram_agreement(const Library& lib, const TemplateHit& h, const FoldInput& in) {
  if (!has_distogram(in) || int(h.query_to_template.size()) != in.length || h.index < 0) return 0;
  return distogram_agreement(lib, h, in, distogram_reference(in));
}

void add_template_restraints(const Library& lib, const std::string& sequence, FoldInput& in,
                             std::vector<TemplateUse>& used, const std::vector<TemplateHit>* searched) {
  std::vector<TemplateHit> hits = searched ? *searched : search_library(lib, sequence, kTemplateSearchHits);
  if (hits.size() > size_t(kTemplateSearchHits)) hits.resize(size_t(kTemplateSearchHits));
  const bool confident = any_confident(hits);
  RealignOptions ro;
  ro.max_evalue = confident ? kConfidentEvalue : kWeakTemplateEvalue;
  // The learned model's predicted profile joins the query's profile: the only family
  // information there is when the hits are few or weak.
  if (in.profile.size() == size_t(kProfileDims) * size_t(in.length))
    ro.predicted_profile = in.profile.data(), ro.predicted_weight = kPredictedProfileWeight;
  if (!confident) ro.max_hits = kTemplateSearchHits;   // every weak hit: any may be the fold
  realign_hits(lib, sequence, hits, ro);
  // Weak hits are a guess at the fold: take first the one whose distances the model's own
  // distogram finds likeliest (threading by predicted contacts), not merely the best E-value.
  if (!confident && has_distogram(in)) {
    const std::vector<double> ref = distogram_reference(in);   // once, not per hit
    std::vector<std::pair<double, size_t>> order;
    for (size_t k = 0; k < hits.size(); ++k) {
      const TemplateHit& h = hits[k];
      const bool usable = int(h.query_to_template.size()) == in.length && h.index >= 0;
      order.push_back({usable ? -distogram_agreement(lib, h, in, ref) : 0.0, k});
    }
    std::stable_sort(order.begin(), order.end());
    std::vector<TemplateHit> sorted;
    for (const auto& o : order) sorted.push_back(hits[o.second]);
    hits = std::move(sorted);
  }
  template_restraints_from_hits(lib, hits, in, used);
}

}  // namespace foldsight
