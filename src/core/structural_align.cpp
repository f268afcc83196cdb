#include "structural_align.h"
#include <algorithm>
#include <cmath>
#include <cstdint>
#include <cstdlib>
#include <limits>

namespace foldsight {

namespace {

double dist2(const Vec3d& p, const Vec3d& q) {
  double dx = p[0] - q[0], dy = p[1] - q[1], dz = p[2] - q[2];
  return dx * dx + dy * dy + dz * dz;
}

// An alignment as TM-align keeps it while searching: for each residue j of B, the residue of A
// it is paired with, or -1.
using Map = std::vector<int>;

// Scales of the search stage. The search scores both chains against the shorter length, with
// d0 raised by 0.8 Å: a softer score lets the early, rough superpositions still see the core.
struct SearchScale {
  double d0 = 0, d0_search = 0, d8 = 0, norm = 0;
};

SearchScale search_scale(size_t la, size_t lb) {
  SearchScale s;
  double L = double(std::min(la, lb));
  s.d0 = (L <= 19 ? 0.168 : 1.24 * std::cbrt(L - 15) - 1.8) + 0.8;
  s.d0_search = std::min(8.0, std::max(4.5, s.d0));
  s.d8 = 1.5 * std::pow(L, 0.3) + 3.5;
  s.norm = L;
  return s;
}

// d0 of the reported TM-scores (TM-align's final stage: 0.5 Å up to 21 residues).
double final_d0(size_t length) {
  double L = double(length);
  double d0 = L <= 21 ? 0.5 : 1.24 * std::cbrt(L - 15) - 1.8;
  return std::max(0.5, d0);
}

// Scratch space reused by every search and DP, so the tens of thousands of superpositions of
// one alignment run do not each allocate.
struct Scratch {
  std::vector<Vec3d> fa, fb, pa, pb, moved;
  std::vector<double> d2, row0, row1;
  std::vector<uint32_t> close, used;
  std::vector<uint8_t> dir;  // DP traceback, one byte per cell
};

Superposition fit_subset(const Vec3d* a, const Vec3d* b, const std::vector<uint32_t>& idx, Scratch& w) {
  w.fa.clear();
  w.fb.clear();
  for (uint32_t k : idx) {
    w.fa.push_back(a[k]);
    w.fb.push_back(b[k]);
  }
  return superpose(w.fa.data(), w.fb.data(), w.fa.size());
}

// Sum of 1/(1+(d/d0)^2) over the pairs under `tr`, counting only pairs closer than sum_cut;
// fills `close` with the pairs closer than d, loosened by 0.5 Å until at least 3 qualify.
double score_pairs(const Vec3d* a, const Vec3d* b, size_t n, const RigidTransform& tr, double d0,
                   double sum_cut, double d, Scratch& w) {
  w.d2.resize(n);
  double d02 = d0 * d0, cut2 = sum_cut * sum_cut, sum = 0;
  for (size_t k = 0; k < n; ++k) {
    w.d2[k] = dist2(tr.apply(a[k]), b[k]);
    if (w.d2[k] <= cut2) sum += 1 / (1 + w.d2[k] / d02);
  }
  for (;;) {
    w.close.clear();
    double dd = d * d;
    for (size_t k = 0; k < n; ++k)
      if (w.d2[k] < dd) w.close.push_back(uint32_t(k));
    if (w.close.size() >= 3 || n <= 3) break;
    d += 0.5;
  }
  return sum;
}

// The TM-score superposition search on a fixed pairing a[k] ↔ b[k] (as TMscore does it):
// seeds of n, n/2, n/4, n/8, n/16 and 4 consecutive pairs starting every `step` pairs, each
// extended by re-superposing on the pairs within d0_search+1 until the set is stable (at most
// 20 rounds). Returns the best score divided by norm; `best` gets its superposition.
double tm_search(const Vec3d* a, const Vec3d* b, size_t n, double d0, double d0_search, double norm,
                 double sum_cut, size_t step, RigidTransform& best, Scratch& w) {
  best = RigidTransform{};
  if (n == 0) return 0;
  size_t min_len = std::min<size_t>(4, n);
  std::vector<size_t> seeds;
  for (int i = 0; i < 5; ++i) {
    size_t len = n >> i;
    if (len <= min_len) break;
    seeds.push_back(len);
  }
  seeds.push_back(min_len);
  double best_sum = -1;
  for (size_t len : seeds) {
    size_t last = n - len;
    for (size_t start = 0;;) {
      w.used.clear();
      for (size_t k = start; k < start + len; ++k) w.used.push_back(uint32_t(k));
      Superposition sp = fit_subset(a, b, w.used, w);
      double s = score_pairs(a, b, n, sp.transform, d0, sum_cut, d0_search - 1, w);
      if (s > best_sum) {
        best_sum = s;
        best = sp.transform;
      }
      for (int round = 0; round < 20; ++round) {
        w.used.swap(w.close);
        sp = fit_subset(a, b, w.used, w);
        s = score_pairs(a, b, n, sp.transform, d0, sum_cut, d0_search + 1, w);
        if (s > best_sum) {
          best_sum = s;
          best = sp.transform;
        }
        if (w.close == w.used) break;
      }
      if (start >= last) break;
      start = std::min(start + step, last);
    }
  }
  return best_sum / norm;
}

// The aligned pairs of a map, in order, into w.pa / w.pb.
size_t gather(const std::vector<Vec3d>& a, const std::vector<Vec3d>& b, const Map& y2x, Scratch& w) {
  w.pa.clear();
  w.pb.clear();
  for (size_t j = 0; j < y2x.size(); ++j)
    if (y2x[j] >= 0) {
      w.pa.push_back(a[size_t(y2x[j])]);
      w.pb.push_back(b[j]);
    }
  return w.pa.size();
}

// Quick estimate of an alignment's quality (TM-align's three-step score): superpose all pairs,
// then only those within d0_search, then within a slightly larger radius; the best raw sum.
// Ranks the many candidate alignments of the initial stages without a full search each.
double fast_score(const std::vector<Vec3d>& a, const std::vector<Vec3d>& b, const Map& y2x, double d0,
                  double d0_search, Scratch& w) {
  size_t n = gather(a, b, y2x, w);
  if (n == 0) return 0;
  double d02 = d0 * d0;
  auto sum_under = [&](const RigidTransform& tr) {
    w.d2.resize(n);
    double s = 0;
    for (size_t k = 0; k < n; ++k) {
      w.d2[k] = dist2(tr.apply(w.pa[k]), w.pb[k]);
      s += 1 / (1 + w.d2[k] / d02);
    }
    return s;
  };
  // Pairs whose squared distance is within t2 (loosened until 3 qualify).
  auto select = [&](double t2) {
    for (;;) {
      w.used.clear();
      for (size_t k = 0; k < n; ++k)
        if (w.d2[k] <= t2) w.used.push_back(uint32_t(k));
      if (w.used.size() >= 3 || n <= 3) return;
      t2 += 0.5;
    }
  };
  double best = sum_under(superpose(w.pa.data(), w.pb.data(), n).transform);
  double t2 = d0_search * d0_search;
  select(t2);
  if (w.used.size() == n) return best;
  best = std::max(best, sum_under(fit_subset(w.pa.data(), w.pb.data(), w.used, w).transform));
  select(t2 + 1);  // the radius grows by 1 Å^2, on the distances under the second superposition
  best = std::max(best, sum_under(fit_subset(w.pa.data(), w.pb.data(), w.used, w).transform));
  return best;
}

// Needleman–Wunsch as TM-align runs it: a gap costs `gap` only when it opens right after an
// aligned pair, extending it is free, and end gaps are free. score(i, j) is read per cell.
// Ties prefer the pair, then a gap in A's direction (skipping residues of B).
template <class Score>
void needleman_wunsch(size_t la, size_t lb, double gap, Score score, Map& y2x, Scratch& w) {
  const uint8_t PAIR = 0, SKIP_B = 1, SKIP_A = 2, EDGE = 3;
  size_t cols = lb + 1;
  w.dir.assign((la + 1) * cols, EDGE);
  w.row0.assign(cols, 0.0);
  w.row1.assign(cols, 0.0);
  std::vector<double>* prev = &w.row0;
  std::vector<double>* cur = &w.row1;
  for (size_t i = 1; i <= la; ++i) {
    (*cur)[0] = 0;
    const uint8_t* dprev = &w.dir[(i - 1) * cols];
    uint8_t* dcur = &w.dir[i * cols];
    for (size_t j = 1; j <= lb; ++j) {
      double d = (*prev)[j - 1] + score(i - 1, j - 1);
      double h = (*prev)[j] + (dprev[j] == PAIR ? gap : 0.0);     // A's residue i-1 unpaired
      double v = (*cur)[j - 1] + (dcur[j - 1] == PAIR ? gap : 0.0);  // B's residue j-1 unpaired
      if (d >= h && d >= v) {
        (*cur)[j] = d;
        dcur[j] = PAIR;
      } else if (v >= h) {
        (*cur)[j] = v;
        dcur[j] = SKIP_B;
      } else {
        (*cur)[j] = h;
        dcur[j] = SKIP_A;
      }
    }
    std::swap(prev, cur);
  }
  y2x.assign(lb, -1);
  size_t i = la, j = lb;
  while (i > 0 && j > 0) {
    uint8_t d = w.dir[i * cols + j];
    if (d == PAIR) {
      y2x[j - 1] = int(i - 1);
      --i;
      --j;
    } else if (d == SKIP_B) {
      --j;
    } else {
      --i;
    }
  }
}

// DP on 1/(1+d^2/d02) with A moved by tr.
void align_by_distance(const std::vector<Vec3d>& a, const std::vector<Vec3d>& b, const RigidTransform& tr,
                       double d02, double gap, Map& y2x, Scratch& w) {
  w.moved.resize(a.size());
  for (size_t i = 0; i < a.size(); ++i) w.moved[i] = tr.apply(a[i]);
  const Vec3d* m = w.moved.data();
  const Vec3d* bb = b.data();
  needleman_wunsch(a.size(), b.size(), gap, [m, bb, d02](size_t i, size_t j) { return 1 / (1 + dist2(m[i], bb[j]) / d02); },
                   y2x, w);
}

struct Aligner {
  const std::vector<Vec3d>& a;
  const std::vector<Vec3d>& b;
  SearchScale sc;
  Scratch w;

  // TM-align's "detailed search" of the search stage: coarse seed steps, d8-limited sums.
  double search(const Map& y2x, RigidTransform& tr, size_t step = 40) {
    size_t n = gather(a, b, y2x, w);  // tm_search leaves w.pa / w.pb alone
    return tm_search(w.pa.data(), w.pb.data(), n, sc.d0, sc.d0_search, sc.norm, sc.d8, step, tr, w);
  }

  // Iterative refinement: DP under the current superposition, then the superposition search on
  // the new alignment, until the score stops changing; first with gap -0.6, then with free
  // gaps (g_begin/g_end select among the two). y2x and tr come in as the start and leave as
  // the best alignment found and the last superposition.
  double refine(Map& y2x, RigidTransform& tr, int g_begin, int g_end, int max_rounds) {
    const double gaps[2] = {-0.6, 0.0};
    double best = -1, previous = 0, d02 = sc.d0 * sc.d0;
    Map cur;
    for (int g = g_begin; g < g_end; ++g)
      for (int round = 0; round < max_rounds; ++round) {
        align_by_distance(a, b, tr, d02, gaps[g], cur, w);
        double s = search(cur, tr);
        if (s > best) {
          best = s;
          y2x = cur;
        }
        if (round > 0 && std::fabs(previous - s) < 1e-6) break;
        previous = s;
      }
    return best;
  }

  // Seed 1: gapless threading of A along B at every offset leaving at least half the shorter
  // chain (5 residues at least) overlapping. The first map is the best-scoring offset (the
  // last among equals, as TM-align picks it); then up to `extra` runner-up offsets, local
  // maxima scoring within 10 % of the best, best first. Repeats (and other near-symmetric
  // folds) give near-equal offsets one repeat apart, and the quick score cannot tell which
  // one refines to the better alignment.
  std::vector<Map> threading(size_t extra, double near) {
    size_t la = a.size(), lb = b.size();
    long min_ali = std::max<long>(long(std::min(la, lb)) / 2, 5);
    long k0 = min_ali - long(lb), k1 = long(la) - min_ali;
    Map y2x(lb, -1);
    auto map_at = [&](long k) {
      for (size_t j = 0; j < lb; ++j) {
        long i = long(j) + k;
        y2x[j] = i >= 0 && i < long(la) ? int(i) : -1;
      }
      return y2x;
    };
    std::vector<double> score;
    long best_k = k0;
    double best_s = -1;
    for (long k = k0; k <= k1; ++k) {
      score.push_back(fast_score(a, b, map_at(k), sc.d0, sc.d0_search, w));
      if (score.back() >= best_s) {
        best_s = score.back();
        best_k = k;
      }
    }
    std::vector<Map> out;
    if (score.empty()) return {Map(lb, -1)};
    out.push_back(map_at(best_k));
    std::vector<std::pair<double, long>> peaks;
    for (long k = k0; k <= k1; ++k) {
      size_t x = size_t(k - k0);
      double s = score[x];
      bool peak = (x == 0 || s >= score[x - 1]) && (x + 1 == score.size() || s >= score[x + 1]);
      if (peak && k != best_k && std::labs(k - best_k) > 1 && s >= near * best_s) peaks.emplace_back(-s, k);
    }
    std::sort(peaks.begin(), peaks.end());
    for (size_t p = 0; p < peaks.size() && p < extra; ++p) out.push_back(map_at(peaks[p].second));
    return out;
  }

  // Seed 3: superpose every pair of fragments (20 and 100 residues, at most a third/half of the
  // shorter chain, start positions 15–45 apart by chain length), align by DP with free gaps
  // under each superposition and keep the best-scoring alignment. Catches cores that threading
  // misses when the chains differ in topology order of loops.
  bool local_fragments(Map& out) {
    size_t la = a.size(), lb = b.size(), shorter = std::min(la, lb);
    auto jump_for = [](size_t len) {
      size_t j = len > 250 ? 45 : len > 200 ? 35 : len > 150 ? 25 : 15;
      return std::max<size_t>(1, std::min(j, len / 3));
    };
    size_t jump_a = jump_for(la), jump_b = jump_for(lb);
    size_t frags[2] = {std::min<size_t>(20, shorter / 3), std::min<size_t>(100, shorter / 2)};
    double d01 = sc.d0 + 1.5, d02 = d01 * d01;
    double best = 0;
    bool found = false;
    Map y2x;
    std::vector<Vec3d> fa, fb;
    for (size_t len : frags) {
      if (len < 3) continue;
      for (size_t i = 0; i + len <= la; i += jump_a)
        for (size_t j = 0; j + len <= lb; j += jump_b) {
          fa.assign(a.begin() + long(i), a.begin() + long(i + len));
          fb.assign(b.begin() + long(j), b.begin() + long(j + len));
          RigidTransform tr = superpose(fa.data(), fb.data(), len).transform;
          align_by_distance(a, b, tr, d02, 0.0, y2x, w);
          double s = fast_score(a, b, y2x, sc.d0, sc.d0_search, w);
          if (s > best) {
            best = s;
            out = y2x;
            found = true;
          }
        }
    }
    return found;
  }

  // Seed 4: the best alignment so far, superposed on all its pairs, rescored with a bonus of
  // 0.5 for equal secondary structure, aligned by DP with gap -1.
  Map structure_plus_distance(const Map& start, const std::string& ssa, const std::string& ssb) {
    size_t n = gather(a, b, start, w);
    RigidTransform tr = superpose(w.pa.data(), w.pb.data(), n).transform;
    double d01 = sc.d0 + 1.5, d02 = d01 * d01;
    w.moved.resize(a.size());
    for (size_t i = 0; i < a.size(); ++i) w.moved[i] = tr.apply(a[i]);
    const Vec3d* m = w.moved.data();
    const Vec3d* bb = b.data();
    Map y2x;
    needleman_wunsch(a.size(), b.size(), -1.0,
                     [&](size_t i, size_t j) { return 1 / (1 + dist2(m[i], bb[j]) / d02) + (ssa[i] == ssb[j] ? 0.5 : 0.0); },
                     y2x, w);
    return y2x;
  }

  // Seed 5: gapless threading of the longest unbroken stretch (consecutive CAs closer than
  // 4.25 Å, the cutoff loosened by 10 % steps until the stretch reaches min(4, L/3)) of the
  // chain whose stretch is shorter, along the other chain.
  static void longest_stretch(const std::vector<Vec3d>& x, size_t& begin, size_t& end) {
    size_t len = x.size();
    size_t need = std::min<size_t>(4, len / 3);
    double cut = 4.25;
    size_t best = 0;
    begin = end = 0;
    for (int inc = 1; len > 0; ++inc) {
      best = 0;
      size_t run = 1, start = 0;
      for (size_t i = 1; i < len; ++i) {
        if (dist2(x[i - 1], x[i]) < cut * cut) {
          ++run;
          if (i == len - 1 && run > best) {
            best = run;
            begin = start;
            end = i;
          }
        } else {
          if (run > best) {
            best = run;
            begin = start;
            end = i - 1;
          }
          run = 1;
          start = i;
        }
      }
      if (best >= need) break;
      cut = std::pow(1.1, inc) * 4.25;
    }
  }

  Map fragment_threading() {
    size_t la = a.size(), lb = b.size();
    size_t a0, a1, b0, b1;
    longest_stretch(a, a0, a1);
    longest_stretch(b, b0, b1);
    size_t len_a = a1 - a0 + 1, len_b = b1 - b0 + 1;
    bool use_a = len_a < len_b || (len_a == len_b && la <= lb);
    std::vector<int> frag;
    size_t flen = std::min(len_a, len_b);
    for (size_t k = 0; k < flen; ++k) frag.push_back(int((use_a ? a0 : b0) + k));
    size_t shorter = std::min(la, lb);
    if (flen == shorter) {  // the whole chain: threading already tried it; use its middle 80 %
      size_t n1 = size_t(double(shorter) * 0.1), n2 = size_t(double(shorter) * 0.89);
      std::vector<int> mid;
      for (size_t k = n1; k <= n2 && k < frag.size(); ++k) mid.push_back(frag[k]);
      frag.swap(mid);
    }
    long fl = long(frag.size());
    Map y2x(lb, -1), best(lb, -1);
    double best_s = -1;
    if (use_a) {
      long min_ali = std::max<long>(long(double(std::min<long>(fl, long(lb))) / 2.5), 3);
      for (long k = min_ali - long(lb); k <= fl - min_ali; ++k) {
        for (size_t j = 0; j < lb; ++j) {
          long i = long(j) + k;
          y2x[j] = i >= 0 && i < fl ? frag[size_t(i)] : -1;
        }
        double s = fast_score(a, b, y2x, sc.d0, sc.d0_search, w);
        if (s >= best_s) {
          best_s = s;
          best = y2x;
        }
      }
    } else {
      long min_ali = std::max<long>(long(double(std::min<long>(long(la), fl)) / 2.5), 3);
      for (long k = min_ali - fl; k <= long(la) - min_ali; ++k) {
        std::fill(y2x.begin(), y2x.end(), -1);
        for (long j = 0; j < fl; ++j) {
          long i = j + k;
          if (i >= 0 && i < long(la)) y2x[size_t(frag[size_t(j)])] = int(i);
        }
        double s = fast_score(a, b, y2x, sc.d0, sc.d0_search, w);
        if (s >= best_s) {
          best_s = s;
          best = y2x;
        }
      }
    }
    return best;
  }
};

// Secondary-structure alignment (seed 2): 1 for equal letters, gap -1.
Map align_by_structure(const std::string& ssa, const std::string& ssb, Scratch& w) {
  Map y2x;
  needleman_wunsch(ssa.size(), ssb.size(), -1.0,
                   [&ssa, &ssb](size_t i, size_t j) { return ssa[i] == ssb[j] ? 1.0 : 0.0; }, y2x, w);
  return y2x;
}

}  // namespace

std::string ca_secondary_structure(const std::vector<Vec3d>& ca) {
  std::string ss(ca.size(), 'C');
  auto near = [](double d, double ref, double tol) { return std::fabs(d - ref) < tol; };
  for (size_t i = 2; i + 2 < ca.size(); ++i) {
    double d13 = std::sqrt(dist2(ca[i - 2], ca[i])), d14 = std::sqrt(dist2(ca[i - 2], ca[i + 1]));
    double d15 = std::sqrt(dist2(ca[i - 2], ca[i + 2])), d24 = std::sqrt(dist2(ca[i - 1], ca[i + 1]));
    double d25 = std::sqrt(dist2(ca[i - 1], ca[i + 2])), d35 = std::sqrt(dist2(ca[i], ca[i + 2]));
    // Ideal alpha helix: i→i+2 5.45 Å, i→i+3 5.18 Å, i→i+4 6.37 Å; strand 6.1, 10.4, 13 Å.
    if (near(d15, 6.37, 2.1) && near(d14, 5.18, 2.1) && near(d25, 5.18, 2.1) && near(d13, 5.45, 2.1) &&
        near(d24, 5.45, 2.1) && near(d35, 5.45, 2.1))
      ss[i] = 'H';
    else if (near(d15, 13, 1.42) && near(d14, 10.4, 1.42) && near(d25, 10.4, 1.42) && near(d13, 6.1, 1.42) &&
             near(d24, 6.1, 1.42) && near(d35, 6.1, 1.42))
      ss[i] = 'E';
    else if (d15 < 8)
      ss[i] = 'T';
  }
  return ss;
}

StructuralAlignment align_structures(const std::vector<Vec3d>& ca_a, const std::string& seq_a,
                                     const std::vector<Vec3d>& ca_b, const std::string& seq_b) {
  StructuralAlignment out;
  size_t la = ca_a.size(), lb = ca_b.size();
  out.d0_a = final_d0(la);
  out.d0_b = final_d0(lb);
  if (la == 0 || lb == 0) return out;
  Aligner al{ca_a, ca_b, search_scale(la, lb), {}};
  std::string ssa = ca_secondary_structure(ca_a), ssb = ca_secondary_structure(ca_b);
  // Later seeds are refined only when they start within reach of the best (TM-align's 0.4 of
  // it, 0.1 for short chains where scores are noisier).
  double reach = al.sc.norm <= 40 ? 0.1 : 0.4;

  Map best;
  double best_tm = -1;
  auto keep = [&](double tm, const Map& y2x) {
    if (tm > best_tm) {
      best_tm = tm;
      best = y2x;
    }
  };
  RigidTransform tr;
  // Seed 1, and up to two near-tied offsets (within 2 %): refining those as well costs two
  // more refinements and finds the right register of repeat proteins that TM-align, keeping
  // only one offset, sometimes misses; a wider net would also "beat" TMalign on unrelated
  // pairs, which is not what users compare against.
  std::vector<Map> threads = al.threading(2, 0.98);
  Map y2x;
  double tm = 0;
  for (size_t t = 0; t < threads.size(); ++t) {
    y2x = threads[t];
    tm = al.search(y2x, tr);
    keep(tm, y2x);
    tm = al.refine(y2x, tr, 0, 2, 30);
    keep(tm, y2x);
  }

  y2x = align_by_structure(ssa, ssb, al.w);
  tm = al.search(y2x, tr);
  keep(tm, y2x);
  if (tm > best_tm * 0.2) {
    tm = al.refine(y2x, tr, 0, 2, 30);
    keep(tm, y2x);
  }

  if (al.local_fragments(y2x)) {
    tm = al.search(y2x, tr);
    keep(tm, y2x);
    if (tm > best_tm * reach) {
      tm = al.refine(y2x, tr, 0, 2, 2);
      keep(tm, y2x);
    }
  }

  y2x = al.structure_plus_distance(best, ssa, ssb);
  tm = al.search(y2x, tr);
  keep(tm, y2x);
  if (tm > best_tm * reach) {
    tm = al.refine(y2x, tr, 0, 2, 30);
    keep(tm, y2x);
  }

  y2x = al.fragment_threading();
  tm = al.search(y2x, tr);
  keep(tm, y2x);
  if (tm > best_tm * reach) {
    tm = al.refine(y2x, tr, 1, 2, 2);
    keep(tm, y2x);
  }

  // Final superposition of the best alignment with the full search; pairs left farther apart
  // than d8 under it are dropped (TM-align reports them as unaligned).
  al.search(best, tr, 1);
  std::vector<Vec3d> pa, pb;
  for (size_t j = 0; j < lb; ++j) {
    int i = best[j];
    if (i < 0) continue;
    if (dist2(tr.apply(ca_a[size_t(i)]), ca_b[j]) > al.sc.d8 * al.sc.d8) continue;
    out.pairs.emplace_back(i, int(j));
    pa.push_back(ca_a[size_t(i)]);
    pb.push_back(ca_b[j]);
  }
  size_t n = pa.size();
  out.aligned = int(n);
  if (n == 0) return out;
  out.rmsd = superpose(pa.data(), pb.data(), n).rmsd;
  auto letter = [](const std::string& s, size_t i) { return i < s.size() ? s[i] : 'X'; };
  int identical = 0;
  for (auto& p : out.pairs) identical += letter(seq_a, size_t(p.first)) == letter(seq_b, size_t(p.second));
  out.seq_identity = double(identical) / double(n);

  // Reported TM-scores: each chain's own d0 and length, every pair counted, every seed start.
  Scratch& w = al.w;
  RigidTransform tr_a;
  double ds_a = std::min(8.0, std::max(4.5, out.d0_a)), ds_b = std::min(8.0, std::max(4.5, out.d0_b));
  double inf = std::numeric_limits<double>::infinity();
  out.tm_score_a = tm_search(pa.data(), pb.data(), n, out.d0_a, ds_a, double(la), inf, 1, tr_a, w);
  out.tm_score_b = tm_search(pa.data(), pb.data(), n, out.d0_b, ds_b, double(lb), inf, 1, out.transform, w);

  // Gapped rows: before each pair, A's skipped residues then B's.
  size_t ia = 0, jb = 0;
  for (auto& p : out.pairs) {
    for (; ia < size_t(p.first); ++ia) {
      out.aligned_a += letter(seq_a, ia);
      out.aligned_b += '-';
    }
    for (; jb < size_t(p.second); ++jb) {
      out.aligned_a += '-';
      out.aligned_b += letter(seq_b, jb);
    }
    out.aligned_a += letter(seq_a, ia++);
    out.aligned_b += letter(seq_b, jb++);
  }
  for (; ia < la; ++ia) {
    out.aligned_a += letter(seq_a, ia);
    out.aligned_b += '-';
  }
  for (; jb < lb; ++jb) {
    out.aligned_a += '-';
    out.aligned_b += letter(seq_b, jb);
  }
  return out;
}

}  // namespace foldsight
