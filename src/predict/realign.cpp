#include "predict/realign.h"
#include <algorithm>
#include <array>
#include <cmath>
#include <limits>

namespace foldsight {

namespace {

using Column = std::array<float, kProfileDims>;
constexpr int kOther = 20;             // residue_index of any other letter
constexpr int kLetters = kOther + 1;

// Background amino-acid frequencies of BLOSUM62 (Henikoff & Henikoff 1992), ACDEFGHIKLMNPQRSTVWY.
constexpr float kBackground[kProfileDims] = {0.074f, 0.025f, 0.054f, 0.054f, 0.047f, 0.074f, 0.026f,
                                             0.068f, 0.058f, 0.099f, 0.025f, 0.045f, 0.039f, 0.034f,
                                             0.052f, 0.057f, 0.051f, 0.073f, 0.013f, 0.032f};

// P(b | a) implied by BLOSUM62: bg(b) * 2^(S(a,b)/2), normalised; unknown letters → background.
const std::array<Column, kLetters>& substitution_columns() {
  static const std::array<Column, kLetters> table = [] {
    std::array<Column, kLetters> t{};
    for (int a = 0; a < kLetters; ++a) {
      double sum = 0;
      for (int b = 0; b < kProfileDims; ++b) {
        double p = a == kOther ? kBackground[b] : kBackground[b] * std::exp2(blosum62(a, b) / 2.0);
        t[a][b] = float(p);
        sum += p;
      }
      for (float& p : t[a]) p = float(p / sum);
    }
    return t;
  }();
  return table;
}

// Local alignment (affine gaps, scores in bits) of an m × n column-pair score matrix; fills
// the hit's alignment fields. Ties prefer the diagonal, then a gap in the query.
void align_columns(const std::vector<float>& S, int m, int n, double gap_first, double gap_extend,
                   std::string_view query, std::string_view tseq, TemplateHit& hit) {
  const int W = n + 1;
  const float kNegInf = -std::numeric_limits<float>::infinity();
  std::vector<float> H(size_t(m + 1) * W, 0.0f), E(size_t(m + 1) * W, kNegInf), F(size_t(m + 1) * W, kNegInf);
  const float go = float(gap_first), ge = float(gap_extend);
  float best = 0;
  int bi = 0, bj = 0;
  for (int i = 1; i <= m; ++i)
    for (int j = 1; j <= n; ++j) {
      size_t c = size_t(i) * W + j;
      E[c] = std::max(E[c - 1] - ge, H[c - 1] - go);
      F[c] = std::max(F[c - W] - ge, H[c - W] - go);
      float h = std::max({0.0f, H[c - W - 1] + S[size_t(i - 1) * n + (j - 1)], E[c], F[c]});
      H[c] = h;
      if (h > best) best = h, bi = i, bj = j;
    }
  std::string ops;
  int i = bi, j = bj, state = 0;   // 0 = H, 1 = E (template-only), 2 = F (query-only)
  while (i > 0 && j > 0) {
    size_t c = size_t(i) * W + j;
    if (state == 0) {
      if (H[c] <= 0.0f) break;
      if (H[c] == H[c - W - 1] + S[size_t(i - 1) * n + (j - 1)]) {
        ops += 'M';
        --i, --j;
      } else {
        state = H[c] == E[c] ? 1 : 2;
      }
    } else if (state == 1) {
      ops += 'D';
      state = E[c] == H[c - 1] - go ? 0 : 1;
      --j;
    } else {
      ops += 'I';
      state = F[c] == H[c - W] - go ? 0 : 2;
      --i;
    }
  }
  std::reverse(ops.begin(), ops.end());
  set_alignment(hit, std::move(ops), i, j, m, [&](int a, int b) {
    int x = residue_index(query[size_t(a)]);
    return x != kOther && x == residue_index(tseq[size_t(b)]);
  });
}

}  // namespace

void realign_hits(const Library& lib, std::string_view query, std::vector<TemplateHit>& hits,
                  const RealignOptions& opt) {
  const int m = int(query.size());
  // Hits realigned, and hits whose columns make up the query's profile (may reach further).
  std::vector<int> realigned, profile;
  std::vector<char> in_profile(hits.size(), 0);
  for (int k = 0; k < int(hits.size()); ++k) {
    const TemplateHit& h = hits[size_t(k)];
    if (h.index < 0 || int(h.query_to_template.size()) != m) continue;
    if (h.evalue <= opt.max_evalue && int(realigned.size()) < opt.max_hits) realigned.push_back(k);
    if (h.evalue <= std::max(opt.max_evalue, opt.profile_max_evalue) && int(profile.size()) < opt.max_profile_hits)
      profile.push_back(k), in_profile[size_t(k)] = 1;
  }
  if (realigned.empty() || int(profile.size()) < opt.min_profile_hits) return;
  const auto& sub = substitution_columns();

  // Per query residue, the sum of the profile hits' aligned frequency columns (and the total
  // weight); each realigned hit then subtracts its own share.
  std::vector<Column> sum(size_t(m), Column{});
  std::vector<float> weight(size_t(m), 0.0f);
  auto add_hit = [&](const TemplateHit& h, float sign) {
    const uint8_t* codes = lib.profile_codes(size_t(h.index));
    for (int i = 0; i < m; ++i) {
      int t = h.query_to_template[size_t(i)];
      if (t < 0) continue;
      const float* f = lib.code_frequencies(codes[t]);
      for (int a = 0; a < kProfileDims; ++a) sum[size_t(i)][a] += sign * f[a];
      weight[size_t(i)] += sign;
    }
  };
  std::vector<Column> qcol(static_cast<size_t>(m));
  std::vector<float> S;
  // Each round builds the profile from the alignments of the round before (the search's first).
  for (int round = 0; round < std::max(1, opt.rounds); ++round) {
    std::fill(sum.begin(), sum.end(), Column{});
    std::fill(weight.begin(), weight.end(), 0.0f);
    for (int k : profile) add_hit(hits[size_t(k)], 1.0f);
    std::vector<TemplateHit> next;
    for (int k : realigned) {
      TemplateHit h = hits[size_t(k)];
      if (in_profile[size_t(k)]) add_hit(h, -1.0f);   // leave this hit out of the query's profile
      for (int i = 0; i < m; ++i) {
        const Column& b = sub[size_t(residue_index(query[size_t(i)]))];
        const float* pp = opt.predicted_profile ? opt.predicted_profile + size_t(i) * kProfileDims : nullptr;
        const float pw = pp ? float(opt.predicted_weight) : 0.0f;
        const float w = std::max(weight[size_t(i)], 0.0f), norm = 1.0f / (float(opt.query_weight) + pw + w);
        for (int a = 0; a < kProfileDims; ++a)
          qcol[size_t(i)][a] = (float(opt.query_weight) * b[a] + (pw > 0 ? pw * pp[a] : 0.0f) +
                                (w > 0 ? sum[size_t(i)][a] : 0.0f)) * norm / kBackground[a];
      }
      if (in_profile[size_t(k)]) add_hit(h, 1.0f);
      const size_t c = size_t(h.index);
      const int n = int(lib.length(c));
      std::string_view tseq = lib.sequence(c);
      const uint8_t* codes = lib.profile_codes(c);
      S.assign(size_t(m) * n, 0.0f);
      const float tw = float(opt.template_weight), tnorm = 1.0f / (1.0f + tw);
      for (int j = 0; j < n; ++j) {
        const float* f = lib.code_frequencies(codes[j]);
        const Column& b = sub[size_t(residue_index(tseq[size_t(j)]))];
        Column tcol;
        for (int a = 0; a < kProfileDims; ++a) tcol[a] = (f[a] + tw * b[a]) * tnorm;
        for (int i = 0; i < m; ++i) {
          float dot = 0;
          for (int a = 0; a < kProfileDims; ++a) dot += qcol[size_t(i)][a] * tcol[a];
          S[size_t(i) * n + j] = std::log2(std::max(dot, 1e-6f)) + float(opt.shift);
        }
      }
      align_columns(S, m, n, opt.gap_open + opt.gap_extend, opt.gap_extend, query, tseq, h);
      next.push_back(std::move(h));
    }
    for (size_t r = 0; r < realigned.size(); ++r) hits[size_t(realigned[r])] = std::move(next[r]);
  }
}

}  // namespace foldsight
