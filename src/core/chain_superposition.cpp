#include "chain_superposition.h"
#include <algorithm>
#include <cmath>
#include "structural_align.h"
#include "tm_score.h"

namespace foldsight {

namespace {
// Gapped rows of two sequences from increasing index pairs (everything between pairs is gap).
void gapped_rows(const std::string& a, const std::string& b, const ResiduePairing& p, std::string& ra, std::string& rb) {
  size_t i = 0, j = 0;
  auto flush_to = [&](size_t ti, size_t tj) {
    while (i < ti) ra += a[i++], rb += '-';
    while (j < tj) ra += '-', rb += b[j++];
  };
  for (size_t k = 0; k < p.size(); ++k) {
    flush_to(p.a[k], p.b[k]);
    ra += a[i++], rb += b[j++];
  }
  flush_to(a.size(), b.size());
}
}  // namespace

ChainSuperposition superpose_chains(const Structure& mobile, size_t mobile_chain, const Structure& target,
                                    size_t target_chain, SuperposeMode mode) {
  ChainSuperposition r;
  if (mobile_chain >= mobile.chain_count() || target_chain >= target.chain_count()) {
    r.error = "no such chain";
    return r;
  }
  CaTrace m = ca_trace(mobile, mobile_chain), t = ca_trace(target, target_chain);
  r.mobile_length = m.size(), r.target_length = t.size();
  if (m.size() < 3 || t.size() < 3) {
    r.error = "both chains need at least 3 residues with a CA atom (protein chains)";
    return r;
  }
  if (mode == SuperposeMode::Structure) {
    StructuralAlignment a = align_structures(m.xyz, m.sequence, t.xyz, t.sequence);
    r.tm_score = a.tm_score_b, r.tm_score_mobile = a.tm_score_a;
    r.rmsd = a.rmsd, r.aligned = size_t(a.aligned), r.seq_identity = a.seq_identity;
    r.transform = a.transform;
    r.aligned_mobile = a.aligned_a, r.aligned_target = a.aligned_b;
    r.ok = true;
    return r;
  }
  ResiduePairing pairs = pair_by_sequence(m.sequence, t.sequence);
  if (pairs.size() < 3) {
    r.error = "the sequences share fewer than 3 aligned identical residues: superpose by structure instead";
    return r;
  }
  std::vector<Vec3d> pm, pt;
  for (size_t k = 0; k < pairs.size(); ++k) pm.push_back(m.xyz[pairs.a[k]]), pt.push_back(t.xyz[pairs.b[k]]);
  Superposition s = superpose(pm, pt);
  r.transform = s.transform;
  r.rmsd = s.rmsd;
  r.aligned = pairs.size();
  r.seq_identity = 1.0;   // pair_by_sequence pairs identical letters only
  // TM-scores of this superposition (not re-optimised: Kabsch is what was asked for).
  auto tm_of = [&](size_t length) {
    double d0 = std::max(0.5, length > 15 ? 1.24 * std::cbrt(double(length) - 15.0) - 1.8 : 0.5);   // TMscore's d0
    double sum = 0;
    for (size_t k = 0; k < pm.size(); ++k) {
      Vec3d p = r.transform.apply(pm[k]);
      double dx = p[0] - pt[k][0], dy = p[1] - pt[k][1], dz = p[2] - pt[k][2];
      sum += 1.0 / (1.0 + (dx * dx + dy * dy + dz * dz) / (d0 * d0));
    }
    return sum / double(length);
  };
  r.tm_score = tm_of(t.size()), r.tm_score_mobile = tm_of(m.size());
  gapped_rows(m.sequence, t.sequence, pairs, r.aligned_mobile, r.aligned_target);
  r.ok = true;
  return r;
}

void transform_structure(Structure& s, const RigidTransform& t) {
  for (size_t i = 0; i < s.atom_count(); ++i) {
    Vec3d p = t.apply({double(s.x[i]), double(s.y[i]), double(s.z[i])});
    s.x[i] = float(p[0]), s.y[i] = float(p[1]), s.z[i] = float(p[2]);
  }
}

}  // namespace foldsight
