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

static int add_template_pairs(const TemplateHit& h, const Backbone& bb, FoldInput& in) {
  std::vector<int> aligned;
  for (int i = 0; i < in.length; ++i) {
    int t = h.query_to_template[i];
    if (t >= 0 && t < int(bb.size())) aligned.push_back(i);
  }
  const float w = template_weight(h) * kFurtherTemplateWeight;
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
  for (const TemplateHit& h : hits) {
    if (taken >= max_templates && further >= further_templates) break;
    if (h.evalue > kConfidentEvalue || h.index < 0 || int(h.query_to_template.size()) != L) continue;
    Backbone bb = template_backbone(lib, size_t(h.index));
    int pairs_from = 0;   // residues whose pair distances this hit restrains as a further template
    if (taken > 0 && further < further_templates) pairs_from = add_template_pairs(h, bb, in), ++further;
    auto note_further = [&] {
      if (pairs_from) used.push_back({h.id, h.identity, h.coverage, h.evalue, pairs_from});
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
    const float w = template_weight(h) * (taken ? 0.8f : 1.0f);
    for (int i : fresh) {
      const Vec3& p = bb.ca[size_t(h.query_to_template[i])];
      Vec3d q = place.apply({p.x(), p.y(), p.z()});
      in.template_ca[3 * i] = float(q[0]), in.template_ca[3 * i + 1] = float(q[1]), in.template_ca[3 * i + 2] = float(q[2]);
      in.template_weight[i] = w;
    }
    used.push_back({h.id, h.identity, h.coverage, h.evalue, std::max(int(fresh.size()), pairs_from)});
    ++taken;
  }
}

void add_template_restraints(const Library& lib, const std::string& sequence, FoldInput& in,
                             std::vector<TemplateUse>& used, const std::vector<TemplateHit>* searched) {
  std::vector<TemplateHit> hits = searched ? *searched : search_library(lib, sequence, kTemplateSearchHits);
  if (hits.size() > size_t(kTemplateSearchHits)) hits.resize(size_t(kTemplateSearchHits));
  RealignOptions ro;
  ro.max_evalue = kConfidentEvalue;
  realign_hits(lib, sequence, hits, ro);
  template_restraints_from_hits(lib, hits, in, used);
}

}  // namespace foldsight
