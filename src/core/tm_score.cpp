#include "tm_score.h"
#include <algorithm>
#include <cmath>

namespace foldsight {

CaTrace ca_trace(const Structure& s, size_t chain) {
  CaTrace t;
  if (chain >= s.chain_count()) return t;
  for (uint32_t r = s.chain_res_begin[chain]; r < s.chain_res_begin[chain + 1]; ++r) {
    if (s.het[r]) continue;
    for (uint32_t i = s.res_atom_begin[r]; i < s.res_atom_begin[r + 1]; ++i) {
      const Name4& n = s.atom_name[i];
      if (n[0] != 'C' || n[1] != 'A' || n[2] != '\0') continue;
      if (s.altloc[i] != ' ' && s.altloc[i] != 'A') continue;
      t.xyz.push_back({{s.x[i], s.y[i], s.z[i]}});
      t.seq_id.push_back(s.seq_id[r]);
      t.ins_code.push_back(s.ins_code[r]);
      t.sequence.push_back(one_letter_code(s.res_name[r]));
      break;  // one CA per residue
    }
  }
  return t;
}

ResiduePairing pair_by_residue_number(const CaTrace& model, const CaTrace& native) {
  ResiduePairing p;
  for (uint32_t i = 0; i < model.size(); ++i)
    for (uint32_t j = 0; j < native.size(); ++j)
      if (model.seq_id[i] == native.seq_id[j] && model.ins_code[i] == native.ins_code[j]) {
        p.a.push_back(i);
        p.b.push_back(j);
        break;
      }
  return p;
}

ResiduePairing pair_by_sequence(const std::string& a, const std::string& b) {
  // Gotoh's affine gaps: a gap of k costs open + (k-1) * extend, so one deletion stays one
  // block instead of splitting into ties. End gaps are free.
  const int match = 2, mismatch = -1, open = -5, extend = -1;
  const int neg = -1000000000;
  size_t n = a.size(), m = b.size();
  auto at = [m](size_t i, size_t j) { return i * (m + 1) + j; };
  // Three states: 0 = a[i-1] paired with b[j-1], 1 = a[i-1] against a gap, 2 = b[j-1] against a gap.
  std::vector<int> prev[3], cur[3];
  for (int k = 0; k < 3; ++k) {
    prev[k].assign(m + 1, neg);
    cur[k].assign(m + 1, neg);
  }
  std::vector<uint8_t> from((n + 1) * (m + 1) * 3, 0);  // predecessor state per (cell, state)
  prev[0][0] = 0;
  for (size_t j = 1; j <= m; ++j) {
    prev[2][j] = 0;
    from[at(0, j) * 3 + 2] = j == 1 ? 0 : 2;
  }
  auto best_of = [](int x0, int x1, int x2, uint8_t& arg) {
    arg = 0;
    int v = x0;
    if (x1 > v) { v = x1; arg = 1; }
    if (x2 > v) { v = x2; arg = 2; }
    return v;
  };
  for (size_t i = 1; i <= n; ++i) {
    cur[0][0] = neg;
    cur[1][0] = 0;
    cur[2][0] = neg;
    from[at(i, 0) * 3 + 1] = i == 1 ? 0 : 1;
    for (size_t j = 1; j <= m; ++j) {
      uint8_t arg;
      int sc = a[i - 1] == b[j - 1] && a[i - 1] != 'X' ? match : mismatch;
      cur[0][j] = sc + best_of(prev[0][j - 1], prev[1][j - 1], prev[2][j - 1], arg);
      from[at(i, j) * 3 + 0] = arg;
      int o = j == m ? 0 : open, e = j == m ? 0 : extend;  // trailing gaps are free
      cur[1][j] = best_of(prev[0][j] + o, prev[1][j] + e, prev[2][j] + o, arg);
      from[at(i, j) * 3 + 1] = arg;
      o = i == n ? 0 : open;
      e = i == n ? 0 : extend;
      cur[2][j] = best_of(cur[0][j - 1] + o, cur[1][j - 1] + o, cur[2][j - 1] + e, arg);
      from[at(i, j) * 3 + 2] = arg;
    }
    for (int k = 0; k < 3; ++k) std::swap(prev[k], cur[k]);
  }
  ResiduePairing p;
  uint8_t state;
  best_of(prev[0][m], prev[1][m], prev[2][m], state);
  size_t i = n, j = m;
  while (i > 0 || j > 0) {
    uint8_t before = from[at(i, j) * 3 + state];
    if (state == 0) {
      if (a[i - 1] == b[j - 1]) {
        p.a.push_back(uint32_t(i - 1));
        p.b.push_back(uint32_t(j - 1));
      }
      --i;
      --j;
    } else if (state == 1) {
      --i;
    } else {
      --j;
    }
    state = before;
  }
  std::reverse(p.a.begin(), p.a.end());
  std::reverse(p.b.begin(), p.b.end());
  return p;
}

namespace {

// State of TMscore's search over one pairing.
struct Search {
  const Vec3d* model;
  const Vec3d* native;
  size_t n;
  double d0, d0_search, norm;
  std::vector<Vec3d> moved;

  // Scores a transform; fills `close` with the pairs closer than d (loosened by 0.5 Å until at
  // least 3 pairs qualify, when there are more than 3).
  double score(const RigidTransform& tr, double d, std::vector<uint32_t>& close) {
    std::vector<double> dist(n);
    double sum = 0;
    for (size_t k = 0; k < n; ++k) {
      Vec3d p = tr.apply(model[k]);
      double dx = p[0] - native[k][0], dy = p[1] - native[k][1], dz = p[2] - native[k][2];
      dist[k] = std::sqrt(dx * dx + dy * dy + dz * dz);
      double r = dist[k] / d0;
      sum += 1 / (1 + r * r);
    }
    for (;;) {
      close.clear();
      for (size_t k = 0; k < n; ++k)
        if (dist[k] < d) close.push_back(uint32_t(k));
      if (close.size() >= 3 || n <= 3) break;
      d += 0.5;
    }
    return sum / norm;
  }

  Superposition fit(const std::vector<uint32_t>& idx, std::vector<Vec3d>& a, std::vector<Vec3d>& b) {
    a.clear();
    b.clear();
    for (uint32_t k : idx) {
      a.push_back(model[k]);
      b.push_back(native[k]);
    }
    return superpose(a.data(), b.data(), a.size());
  }
};

}  // namespace

TmScoreResult tm_score(const Vec3d* model, const Vec3d* native, size_t n, size_t native_length) {
  TmScoreResult res;
  res.aligned = n;
  double L = double(native_length);
  res.d0 = native_length > 15 ? 1.24 * std::cbrt(L - 15) - 1.8 : 0.5;
  if (res.d0 < 0.5) res.d0 = 0.5;
  if (n == 0 || native_length == 0) return res;
  Search s{model, native, n, res.d0, std::min(8.0, std::max(4.5, res.d0)), L, {}};

  // Seed lengths n, n/2, n/4, ... (at most five halvings), always ending with the minimum 4.
  size_t min_len = std::min<size_t>(4, n);
  std::vector<size_t> seed_lengths;
  for (int i = 0; i < 5; ++i) {
    size_t len = n >> i;
    if (len <= min_len) break;
    seed_lengths.push_back(len);
  }
  seed_lengths.push_back(min_len);

  const int max_rounds = 20;
  double best = -1;
  std::vector<Vec3d> a, b;
  std::vector<uint32_t> used, close;
  for (size_t li = 0; li < seed_lengths.size(); ++li) {
    size_t len = seed_lengths[li];
    for (size_t start = 0; start + len <= n; ++start) {
      used.clear();
      for (size_t k = start; k < start + len; ++k) used.push_back(uint32_t(k));
      Superposition sp = s.fit(used, a, b);
      if (li == 0) res.rmsd = sp.rmsd;  // the first seed is all pairs: global superposition
      double sc = s.score(sp.transform, s.d0_search - 1, close);
      if (sc > best) {
        best = sc;
        res.transform = sp.transform;
      }
      for (int round = 0; round < max_rounds; ++round) {
        used = close;
        sp = s.fit(used, a, b);
        sc = s.score(sp.transform, s.d0_search + 1, close);
        if (sc > best) {
          best = sc;
          res.transform = sp.transform;
        }
        if (close == used) break;
      }
    }
  }
  res.tm_score = best;
  return res;
}

TmScoreResult tm_score(const CaTrace& model, const CaTrace& native, const ResiduePairing& pairs) {
  std::vector<Vec3d> a, b;
  for (size_t k = 0; k < pairs.size(); ++k) {
    a.push_back(model.xyz[pairs.a[k]]);
    b.push_back(native.xyz[pairs.b[k]]);
  }
  return tm_score(a.data(), b.data(), a.size(), native.size());
}

}  // namespace foldsight
