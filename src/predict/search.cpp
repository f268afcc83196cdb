#include "predict/search.h"
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstring>
#include <numeric>
#include <random>
#include <type_traits>

#if defined(__SSE2__)
#include <emmintrin.h>
#elif defined(__wasm_simd128__)
#include <wasm_simd128.h>
#endif

namespace foldsight {

namespace {

constexpr char kAlphabet[] = "ACDEFGHIKLMNPQRSTVWY";
constexpr int kUnknown = 20;
constexpr int kLetters = 21;

// Built-in extreme-value calibration for the default SearchOptions, measured on the full
// library (build/library/templates.fslib, 19,863 chains, 4.30 M residues) with
// `foldsight_cli search --calibrate --library LIB` (400 shuffled queries x 200 chains).
constexpr double kDefaultLambda = 0.248554;
constexpr double kDefaultK = 0.063902;

int aa_index(char c) {
  static const struct Table {
    int8_t v[256];
    Table() {
      std::fill(v, v + 256, int8_t(kUnknown));
      for (int i = 0; i < 20; ++i) {
        v[uint8_t(kAlphabet[i])] = int8_t(i);
        v[uint8_t(kAlphabet[i] - 'A' + 'a')] = int8_t(i);
      }
    }
  } table;
  return table.v[uint8_t(c)];
}

// BLOSUM62 in half-bits, rows/columns in kAlphabet order (Henikoff & Henikoff 1992).
constexpr int8_t kBlosum62[20][20] = {
    // A   C   D   E   F   G   H   I   K   L   M   N   P   Q   R   S   T   V   W   Y
    {4, 0, -2, -1, -2, 0, -2, -1, -1, -1, -1, -2, -1, -1, -1, 1, 0, 0, -3, -2},        // A
    {0, 9, -3, -4, -2, -3, -3, -1, -3, -1, -1, -3, -3, -3, -3, -1, -1, -1, -2, -2},    // C
    {-2, -3, 6, 2, -3, -1, -1, -3, -1, -4, -3, 1, -1, 0, -2, 0, -1, -3, -4, -3},       // D
    {-1, -4, 2, 5, -3, -2, 0, -3, 1, -3, -2, 0, -1, 2, 0, 0, -1, -2, -3, -2},          // E
    {-2, -2, -3, -3, 6, -3, -1, 0, -3, 0, 0, -3, -4, -3, -3, -2, -2, -1, 1, 3},        // F
    {0, -3, -1, -2, -3, 6, -2, -4, -2, -4, -3, 0, -2, -2, -2, 0, -2, -3, -2, -3},      // G
    {-2, -3, -1, 0, -1, -2, 8, -3, -1, -3, -2, 1, -2, 0, 0, -1, -2, -3, -2, 2},        // H
    {-1, -1, -3, -3, 0, -4, -3, 4, -3, 2, 1, -3, -3, -3, -3, -2, -1, 3, -3, -1},       // I
    {-1, -3, -1, 1, -3, -2, -1, -3, 5, -2, -1, 0, -1, 1, 2, 0, -1, -2, -3, -2},        // K
    {-1, -1, -4, -3, 0, -4, -3, 2, -2, 4, 2, -3, -3, -2, -2, -2, -1, 1, -2, -1},       // L
    {-1, -1, -3, -2, 0, -3, -2, 1, -1, 2, 5, -2, -2, 0, -1, -1, -1, 1, -1, -1},        // M
    {-2, -3, 1, 0, -3, 0, 1, -3, 0, -3, -2, 6, -2, 0, 0, 1, 0, -3, -4, -2},            // N
    {-1, -3, -1, -1, -4, -2, -2, -3, -1, -3, -2, -2, 7, -1, -2, -1, -1, -2, -4, -3},   // P
    {-1, -3, 0, 2, -3, -2, 0, -3, 1, -2, 0, 0, -1, 5, 1, 0, -1, -2, -2, -1},           // Q
    {-1, -3, -2, 0, -3, -2, 0, -3, 2, -2, -1, 0, -2, 1, 5, -1, -1, -3, -3, -2},        // R
    {1, -1, 0, 0, -2, 0, -1, -2, 0, -2, -1, 1, -1, 0, -1, 4, 1, -2, -3, -2},           // S
    {0, -1, -1, -1, -2, -2, -2, -1, -1, -1, -1, 0, -1, -1, -1, 1, 5, 0, -2, -2},       // T
    {0, -1, -3, -2, -1, -3, -3, 3, -2, 1, 1, -3, -2, -2, -3, -2, 0, 4, -3, -1},        // V
    {-3, -2, -4, -3, 1, -2, -2, -3, -3, -2, -1, -4, -4, -2, -3, -3, -2, -3, 11, 2},    // W
    {-2, -2, -3, -2, 3, -3, 2, -1, -2, -1, -1, -2, -3, -1, -2, -2, -2, -1, 2, 7},      // Y
};

int blosum(int a, int b) { return (a == kUnknown || b == kUnknown) ? -1 : kBlosum62[a][b]; }

// Integer score tables for one scoring setup: seq[q][t_aa] + prof[q][code].
struct ScoreTables {
  int n_codes = 0;
  std::vector<int16_t> seq;   // kLetters * kLetters
  std::vector<int16_t> prof;  // kLetters * n_codes
  int gap_first = 0, gap_extend = 0;  // cost of a gap's first residue, of each further residue
  int seq_score(int q, int t) const { return seq[q * kLetters + t]; }
  int prof_score(int q, int code) const { return prof[q * n_codes + code]; }
};

ScoreTables make_tables(const Library& lib, const SearchOptions& opt) {
  ScoreTables t;
  t.n_codes = lib.n_codes;
  t.seq.resize(kLetters * kLetters);
  t.prof.assign(size_t(kLetters) * lib.n_codes, 0);
  for (int q = 0; q < kLetters; ++q)
    for (int a = 0; a < kLetters; ++a)
      t.seq[q * kLetters + a] = int16_t(std::lround(kScoreScale * opt.weight_sequence * blosum(q, a) / 2.0));
  // Library background: code frequencies weighted by how often each code occurs.
  std::vector<double> count(lib.n_codes, 0.0), bg(kProfileDims, 0.0);
  for (uint8_t c : lib.prof) count[c] += 1;
  for (int c = 0; c < lib.n_codes; ++c)
    for (int a = 0; a < kProfileDims; ++a) bg[a] += count[c] * lib.code_frequencies(c)[a];
  double total = std::accumulate(bg.begin(), bg.end(), 0.0);
  for (double& b : bg) b = std::max(b / std::max(total, 1e-9), 1e-4);
  for (int c = 0; c < lib.n_codes; ++c) {
    const float* f = lib.code_frequencies(c);
    for (int q = 0; q < kProfileDims; ++q) {
      // 10 % background pseudo-count keeps rare residues from -infinity
      double p = 0.9 * f[q] + 0.1 * bg[q];
      double bits = std::clamp(std::log2(p / bg[q]), -6.0, 6.0);
      t.prof[q * lib.n_codes + c] = int16_t(std::lround(kScoreScale * opt.weight_profile * bits));
    }
    t.prof[kUnknown * lib.n_codes + c] = int16_t(-std::lround(kScoreScale * opt.weight_profile));
  }
  t.gap_first = int(std::lround(kScoreScale * (opt.gap_open + opt.gap_extend) / 2.0));
  t.gap_extend = std::max(1, int(std::lround(kScoreScale * opt.gap_extend / 2.0)));
  return t;
}

// ---- int16 x 8 vector operations: SSE2, wasm SIMD128, or plain loops (same results) ----
constexpr int kLanes = 8;
constexpr int16_t kNeg = -30000;  // "minus infinity" that cannot wrap under saturation
// Lane kinds, passed as the first argument of the vector operations (on SIMD targets both kinds
// share one vector type); `none` is the E/F value of "no gap yet".
struct I16 {
  using T = int16_t;
  static constexpr int lanes = kLanes;
  static constexpr T none = kNeg;
};
struct U8 {
  using T = uint8_t;
  static constexpr int lanes = 16;
  static constexpr T none = 0;
};
#if defined(__SSE2__)
using V = __m128i;
inline V splat(I16, int16_t x) { return _mm_set1_epi16(x); }
inline V adds(I16, V a, V b) { return _mm_adds_epi16(a, b); }
inline V subs(I16, V a, V b) { return _mm_subs_epi16(a, b); }
inline V max(I16, V a, V b) { return _mm_max_epi16(a, b); }
inline bool any_gt(I16, V a, V b) { return _mm_movemask_epi8(_mm_cmpgt_epi16(a, b)) != 0; }
inline V shift_in(I16, V a) { return _mm_insert_epi16(_mm_slli_si128(a, 2), kNeg, 0); }
inline V load(I16, const int16_t* p) { return _mm_load_si128(reinterpret_cast<const V*>(p)); }
inline void store(I16, int16_t* p, V a) { _mm_store_si128(reinterpret_cast<V*>(p), a); }
#elif defined(__wasm_simd128__)
using V = v128_t;
inline V splat(I16, int16_t x) { return wasm_i16x8_splat(x); }
inline V adds(I16, V a, V b) { return wasm_i16x8_add_sat(a, b); }
inline V subs(I16, V a, V b) { return wasm_i16x8_sub_sat(a, b); }
inline V max(I16, V a, V b) { return wasm_i16x8_max(a, b); }
inline bool any_gt(I16, V a, V b) { return wasm_v128_any_true(wasm_i16x8_gt(a, b)); }
inline V shift_in(I16, V a) {
  return wasm_i16x8_shuffle(wasm_i16x8_splat(kNeg), a, 0, 8, 9, 10, 11, 12, 13, 14);
}
inline V load(I16, const int16_t* p) { return wasm_v128_load(p); }
inline void store(I16, int16_t* p, V a) { wasm_v128_store(p, a); }
#else
struct V {
  int16_t x[kLanes];
};
inline int16_t sat(int v) { return int16_t(std::clamp(v, -32768, 32767)); }
inline V splat(I16, int16_t x) {
  V r;
  for (int l = 0; l < kLanes; ++l) r.x[l] = x;
  return r;
}
inline V adds(I16, V a, V b) {
  for (int l = 0; l < kLanes; ++l) a.x[l] = sat(a.x[l] + b.x[l]);
  return a;
}
inline V subs(I16, V a, V b) {
  for (int l = 0; l < kLanes; ++l) a.x[l] = sat(a.x[l] - b.x[l]);
  return a;
}
inline V max(I16, V a, V b) {
  for (int l = 0; l < kLanes; ++l) a.x[l] = std::max(a.x[l], b.x[l]);
  return a;
}
inline bool any_gt(I16, V a, V b) {
  bool any = false;
  for (int l = 0; l < kLanes; ++l) any |= a.x[l] > b.x[l];
  return any;
}
inline V shift_in(I16, V a) {
  V r;
  r.x[0] = kNeg;
  for (int l = 1; l < kLanes; ++l) r.x[l] = a.x[l - 1];
  return r;
}
inline V load(I16, const int16_t* p) {
  V r;
  std::memcpy(r.x, p, sizeof r.x);
  return r;
}
inline void store(I16, int16_t* p, V a) { std::memcpy(p, a.x, sizeof a.x); }
#endif

// ---- uint8 x 16 vector operations for the first, byte-wide pass (Farrar 2007, as in the SSW
// library): scores are unsigned with a bias, and every add/subtract saturates. Saturation at 0
// is exact for local alignment (H, E and F below 0 never matter because H >= 0); saturation at
// 255 is detected afterwards and such templates are rescored with the int16 kernel.
constexpr int kLanes8 = U8::lanes;
#if defined(__SSE2__)
using B = __m128i;
inline B splat(U8, uint8_t x) { return _mm_set1_epi8(char(x)); }
inline B adds(U8, B a, B b) { return _mm_adds_epu8(a, b); }
inline B subs(U8, B a, B b) { return _mm_subs_epu8(a, b); }
inline B max(U8, B a, B b) { return _mm_max_epu8(a, b); }
// a > b (unsigned) in some lane <=> a -sat b is non-zero there
inline bool any_gt(U8, B a, B b) {
  return _mm_movemask_epi8(_mm_cmpeq_epi8(_mm_subs_epu8(a, b), _mm_setzero_si128())) != 0xFFFF;
}
inline B shift_in(U8, B a) { return _mm_slli_si128(a, 1); }
inline B load(U8, const uint8_t* p) { return _mm_load_si128(reinterpret_cast<const B*>(p)); }
inline void store(U8, uint8_t* p, B a) { _mm_store_si128(reinterpret_cast<B*>(p), a); }
#elif defined(__wasm_simd128__)
using B = v128_t;
inline B splat(U8, uint8_t x) { return wasm_u8x16_splat(x); }
inline B adds(U8, B a, B b) { return wasm_u8x16_add_sat(a, b); }
inline B subs(U8, B a, B b) { return wasm_u8x16_sub_sat(a, b); }
inline B max(U8, B a, B b) { return wasm_u8x16_max(a, b); }
inline bool any_gt(U8, B a, B b) { return wasm_v128_any_true(wasm_u8x16_gt(a, b)); }
inline B shift_in(U8, B a) {
  return wasm_i8x16_shuffle(wasm_i8x16_splat(0), a, 0, 16, 17, 18, 19, 20, 21, 22, 23, 24, 25, 26, 27, 28, 29, 30);
}
inline B load(U8, const uint8_t* p) { return wasm_v128_load(p); }
inline void store(U8, uint8_t* p, B a) { wasm_v128_store(p, a); }
#else
struct B {
  uint8_t x[kLanes8];
};
inline B splat(U8, uint8_t x) {
  B r;
  for (int l = 0; l < kLanes8; ++l) r.x[l] = x;
  return r;
}
inline B adds(U8, B a, B b) {
  for (int l = 0; l < kLanes8; ++l) a.x[l] = uint8_t(std::min(a.x[l] + b.x[l], 255));
  return a;
}
inline B subs(U8, B a, B b) {
  for (int l = 0; l < kLanes8; ++l) a.x[l] = uint8_t(std::max(a.x[l] - b.x[l], 0));
  return a;
}
inline B max(U8, B a, B b) {
  for (int l = 0; l < kLanes8; ++l) a.x[l] = std::max(a.x[l], b.x[l]);
  return a;
}
inline bool any_gt(U8, B a, B b) {
  bool any = false;
  for (int l = 0; l < kLanes8; ++l) any |= a.x[l] > b.x[l];
  return any;
}
inline B shift_in(U8, B a) {
  B r;
  r.x[0] = 0;
  for (int l = 1; l < kLanes8; ++l) r.x[l] = a.x[l - 1];
  return r;
}
inline B load(U8, const uint8_t* p) {
  B r;
  std::memcpy(r.x, p, sizeof r.x);
  return r;
}
inline void store(U8, uint8_t* p, B a) { std::memcpy(p, a.x, sizeof a.x); }
#endif

// 16-byte aligned buffer for the vector loads.
template <typename T>
struct Aligned {
  std::vector<T> raw;
  T* p = nullptr;
  void resize(size_t n) {
    raw.assign(n + 16 / sizeof(T), 0);
    uintptr_t a = reinterpret_cast<uintptr_t>(raw.data());
    p = raw.data() + ((16 - a % 16) % 16) / sizeof(T);
  }
};

// Striped query profile (Farrar 2007): for each template letter and each profile code, the
// query's scores in striped order; query position i sits in segment i % seg, lane i / seg.
// The byte profile has the same layout with 16 lanes and its own segment count; its two
// tables hold score + bias (>= 0) and the pass subtracts bias_seq + bias_prof after adding
// both, so every cell gets exactly max(0, H + seq + prof) unless the sum passes 255.
struct QueryProfile {
  int length = 0, segments = 0;
  Aligned<int16_t> seq;   // kLetters * segments * kLanes
  Aligned<int16_t> prof;  // n_codes * segments * kLanes
  Aligned<int16_t> h_load, h_store, e;
  // byte pass; bytes = false when the scores or gaps do not fit (then only int16 runs)
  bool bytes = false;
  int segments8 = 0;
  uint8_t bias = 0;       // bias_seq + bias_prof
  int exact_below = 0;    // byte scores below this cannot have saturated
  Aligned<uint8_t> seq8, prof8;  // kLetters (n_codes) * segments8 * kLanes8
  Aligned<uint8_t> h_load8, h_store8, e8;
};

QueryProfile make_query_profile(const std::vector<int>& q, const ScoreTables& t) {
  QueryProfile qp;
  qp.length = int(q.size());
  qp.segments = (qp.length + kLanes - 1) / kLanes;
  const int seg = qp.segments, stride = seg * kLanes;
  qp.seq.resize(size_t(kLetters) * stride);
  qp.prof.resize(size_t(t.n_codes) * stride);
  for (int s = 0; s < seg; ++s)
    for (int l = 0; l < kLanes; ++l) {
      int i = l * seg + s;
      for (int a = 0; a < kLetters; ++a)
        qp.seq.p[a * stride + s * kLanes + l] = i < qp.length ? int16_t(t.seq_score(q[i], a)) : kNeg / 2;
      for (int c = 0; c < t.n_codes; ++c)
        qp.prof.p[c * stride + s * kLanes + l] = i < qp.length ? int16_t(t.prof_score(q[i], c)) : 0;
    }
  qp.h_load.resize(stride);
  qp.h_store.resize(stride);
  qp.e.resize(stride);

  // Byte pass: biases from the whole tables (not just this query's rows), so they do not
  // depend on the query.
  int seq_min = 0, seq_max = 0, prof_min = 0, prof_max = 0;
  for (int16_t v : t.seq) seq_min = std::min<int>(seq_min, v), seq_max = std::max<int>(seq_max, v);
  for (int16_t v : t.prof) prof_min = std::min<int>(prof_min, v), prof_max = std::max<int>(prof_max, v);
  const int bias_seq = -seq_min, bias_prof = -prof_min;
  // A bias of 64 or more would leave too little headroom for the pass to pay off.
  qp.bytes = bias_seq + bias_prof < 64 && seq_max + bias_seq <= 255 && prof_max + bias_prof <= 255 &&
             t.gap_first >= 0 && t.gap_first <= 255 && t.gap_extend >= 0 && t.gap_extend <= 255;
  if (!qp.bytes) return qp;
  qp.bias = uint8_t(bias_seq + bias_prof);
  qp.exact_below = 255 - qp.bias;
  qp.segments8 = (qp.length + kLanes8 - 1) / kLanes8;
  const int seg8 = qp.segments8, stride8 = seg8 * kLanes8;
  qp.seq8.resize(size_t(kLetters) * stride8);
  qp.prof8.resize(size_t(t.n_codes) * stride8);
  for (int s = 0; s < seg8; ++s)
    for (int l = 0; l < kLanes8; ++l) {
      int i = l * seg8 + s;
      // padding rows score -bias (0 + 0 - bias): below every real score, as in the int16 pass
      for (int a = 0; a < kLetters; ++a)
        qp.seq8.p[a * stride8 + s * kLanes8 + l] = i < qp.length ? uint8_t(t.seq_score(q[i], a) + bias_seq) : 0;
      for (int c = 0; c < t.n_codes; ++c)
        qp.prof8.p[c * stride8 + s * kLanes8 + l] = i < qp.length ? uint8_t(t.prof_score(q[i], c) + bias_prof) : 0;
    }
  qp.h_load8.resize(stride8);
  qp.h_store8.resize(stride8);
  qp.e8.resize(stride8);
  return qp;
}

// One cell, H + seq + prof clipped at 0: in int16 lanes a max with 0; in byte lanes, where both
// parts carry a bias, (H +sat seq' +sat prof') -sat bias, which is exactly max(0, H + seq + prof)
// as long as the sum stays <= 255 (see striped_sw8).
inline V cell(I16 k, V h, V s, V p, V /*bias*/) { return max(k, adds(k, h, adds(k, s, p)), splat(k, 0)); }
inline B cell(U8 k, B h, B s, B p, B bias) { return subs(k, adds(k, adds(k, h, s), p), bias); }

// Best local alignment score of the query (striped profile `qseq` / `qprof`, `seg` segments)
// against one template: striped Smith-Waterman with affine gaps and the lazy F loop (Farrar 2007).
// hl, hs, ep: scratch of seg * lanes each.
template <class K>
int striped_kernel(int seg, const typename K::T* qseq, const typename K::T* qprof, typename K::T* hl,
                   typename K::T* hs, typename K::T* ep, typename K::T bias_value, const ScoreTables& t,
                   const int8_t* tseq, const uint8_t* tcode, int tlen) {
  using T = typename K::T;
  const K k;
  const int L = K::lanes, stride = seg * L;
  const auto gap_first = splat(k, T(t.gap_first)), gap_ext = splat(k, T(t.gap_extend));
  const auto zero = splat(k, 0), none = splat(k, K::none), bias = splat(k, bias_value);
  using Vec = std::remove_const_t<decltype(zero)>;
  for (int i = 0; i < stride; ++i) {
    hl[i] = 0;
    hs[i] = 0;
    ep[i] = K::none;
  }
  Vec vmaxscore = zero;
  for (int j = 0; j < tlen; ++j) {
    const T* ps = qseq + tseq[j] * stride;
    const T* pp = qprof + tcode[j] * stride;
    Vec vf = none;
    // H from the previous column's last segment, shifted down one lane (lane 0 starts at 0).
    Vec vh = max(k, shift_in(k, load(k, hs + (seg - 1) * L)), zero);
    std::swap(hl, hs);
    for (int s = 0; s < seg; ++s) {
      vh = cell(k, vh, load(k, ps + s * L), load(k, pp + s * L), bias);
      Vec ve = load(k, ep + s * L);
      vh = max(k, vh, ve);
      vh = max(k, vh, vf);
      vmaxscore = max(k, vmaxscore, vh);
      store(k, hs + s * L, vh);
      Vec vgap = subs(k, vh, gap_first);
      ve = max(k, subs(k, ve, gap_ext), vgap);
      store(k, ep + s * L, ve);
      vf = max(k, subs(k, vf, gap_ext), vgap);
      vh = load(k, hl + s * L);
    }
    // Lazy F: carry vertical gaps across segment boundaries until they change nothing.
    vf = shift_in(k, vf);
    int s = 0;
    while (any_gt(k, vf, subs(k, load(k, hs + s * L), gap_first))) {
      Vec vh2 = max(k, load(k, hs + s * L), vf);
      store(k, hs + s * L, vh2);
      vmaxscore = max(k, vmaxscore, vh2);
      Vec vgap = subs(k, vh2, gap_first);
      store(k, ep + s * L, max(k, load(k, ep + s * L), vgap));
      vf = subs(k, vf, gap_ext);
      if (++s >= seg) {
        s = 0;
        vf = shift_in(k, vf);
      }
    }
  }
  alignas(16) T lanes[K::lanes];
  store(k, lanes, vmaxscore);
  return *std::max_element(lanes, lanes + K::lanes);
}

// Int16 lanes: exact, equals the scalar DP in align_traceback.
int striped_sw(QueryProfile& qp, const ScoreTables& t, const int8_t* tseq, const uint8_t* tcode, int tlen) {
  return striped_kernel<I16>(qp.segments, qp.seq.p, qp.prof.p, qp.h_load.p, qp.h_store.p, qp.e.p, 0, t, tseq,
                                    tcode, tlen);
}

// The same in 16 unsigned byte lanes (twice the int16 kernel's cells per instruction). Each cell
// is H' = (H +sat (seq + bias_seq) +sat (prof + bias_prof)) -sat bias: adding the two non-negative
// parts first and subtracting the bias last gives exactly max(0, H + seq + prof) as long as the
// sum stays <= 255. E and F saturate at 0, which is exact (max(0, max(0, E) - g) = max(0, E - g));
// the lazy F loop stops once F is 0 in every lane that would change, and an F <= 0 never changes
// H (>= 0) or E.
// Saturation: until the first cell whose sum passes 255 every value is exact; that cell then
// holds 255 - bias and the running maximum is >= 255 - bias. So a result below
// qp.exact_below is the exact score, and anything else must be rescored with striped_sw.
int striped_sw8(QueryProfile& qp, const ScoreTables& t, const int8_t* tseq, const uint8_t* tcode, int tlen) {
  return striped_kernel<U8>(qp.segments8, qp.seq8.p, qp.prof8.p, qp.h_load8.p, qp.h_store8.p, qp.e8.p,
                                   qp.bias, t, tseq, tcode, tlen);
}

// Exact best local score: the byte pass, then the int16 kernel for the few templates whose
// byte score may have saturated (the related ones; random templates score far below).
int sw_score(QueryProfile& qp, const ScoreTables& t, const int8_t* tseq, const uint8_t* tcode, int tlen) {
  if (qp.bytes) {
    int score = striped_sw8(qp, t, tseq, tcode, tlen);
    if (score < qp.exact_below) return score;
  }
  return striped_sw(qp, t, tseq, tcode, tlen);
}

// Scalar Gotoh with traceback over the full matrices; fills the hit's alignment fields.
void align_traceback(const std::vector<int>& q, const ScoreTables& t, const int8_t* tseq,
                     const uint8_t* tcode, int tlen, TemplateHit& hit) {
  const int m = int(q.size()), n = tlen, W = n + 1;
  std::vector<int> H(size_t(m + 1) * W, 0), E(size_t(m + 1) * W, kNeg), F(size_t(m + 1) * W, kNeg);
  int best = 0, bi = 0, bj = 0;
  for (int i = 1; i <= m; ++i)
    for (int j = 1; j <= n; ++j) {
      size_t c = size_t(i) * W + j;
      // E: gap in the query (template residue j unaligned), F: gap in the template
      E[c] = std::max(E[c - 1] - t.gap_extend, H[c - 1] - t.gap_first);
      F[c] = std::max(F[c - W] - t.gap_extend, H[c - W] - t.gap_first);
      int diag = H[c - W - 1] + t.seq_score(q[i - 1], tseq[j - 1]) + t.prof_score(q[i - 1], tcode[j - 1]);
      int h = std::max({0, diag, E[c], F[c]});
      H[c] = h;
      if (h > best) best = h, bi = i, bj = j;
    }
  hit.score = best;
  std::string ops;
  int i = bi, j = bj, state = 0;  // 0 = H, 1 = E, 2 = F
  while (i > 0 && j > 0) {
    size_t c = size_t(i) * W + j;
    if (state == 0) {
      if (H[c] == 0) break;
      int diag = H[c - W - 1] + t.seq_score(q[i - 1], tseq[j - 1]) + t.prof_score(q[i - 1], tcode[j - 1]);
      if (H[c] == diag) {
        ops += 'M';
        --i, --j;
      } else if (H[c] == E[c]) {
        state = 1;
      } else {
        state = 2;
      }
    } else if (state == 1) {
      ops += 'D';
      state = (E[c] == H[c - 1] - t.gap_first) ? 0 : 1;
      --j;
    } else {
      ops += 'I';
      state = (F[c] == H[c - W] - t.gap_first) ? 0 : 2;
      --i;
    }
  }
  std::reverse(ops.begin(), ops.end());
  set_alignment(hit, std::move(ops), i, j, m, [&](int a, int b) { return q[a] == tseq[b] && q[a] != kUnknown; });
}

std::vector<int> encode(std::string_view s) {
  std::vector<int> q;
  q.reserve(s.size());
  for (char c : s)
    if (std::isalpha(uint8_t(c))) q.push_back(aa_index(c));
  return q;
}

// Extreme-value parameters for these options.
void evd_params(const SearchOptions& opt, double& lambda, double& k) {
  lambda = opt.lambda > 0 ? opt.lambda : kDefaultLambda;
  k = opt.k > 0 ? opt.k : kDefaultK;
}

constexpr int kKmer = 3;
constexpr int kKmerCount = 20 * 20 * 20;

}  // namespace

int residue_index(char c) { return aa_index(c); }
int blosum62(int a, int b) { return blosum(a, b); }

void build_kmer_index(Library& lib) {
  KmerIndex& ix = lib.kmers;
  ix.k = kKmer;
  ix.letters.resize(lib.seq.size());
  for (size_t i = 0; i < lib.seq.size(); ++i) ix.letters[i] = int8_t(aa_index(lib.seq[i]));
  ix.start.assign(kKmerCount + 1, 0);
  auto kmer_at = [&](size_t g) {
    int code = 0;
    for (int d = 0; d < kKmer; ++d) {
      int a = aa_index(lib.seq[g + d]);
      if (a == kUnknown) return -1;
      code = code * 20 + a;
    }
    return code;
  };
  // counting sort: two passes over all k-mers
  for (size_t c = 0; c < lib.size(); ++c)
    for (size_t p = 0; p + kKmer <= lib.length(c); ++p) {
      int code = kmer_at(lib.offset[c] + p);
      if (code >= 0) ix.start[code + 1]++;
    }
  for (int i = 0; i < kKmerCount; ++i) ix.start[i + 1] += ix.start[i];
  ix.entries.resize(ix.start[kKmerCount]);
  std::vector<uint32_t> fill(ix.start.begin(), ix.start.end() - 1);
  for (size_t c = 0; c < lib.size(); ++c)
    for (size_t p = 0; p + kKmer <= lib.length(c); ++p) {
      int code = kmer_at(lib.offset[c] + p);
      if (code >= 0) ix.entries[fill[code]++] = uint32_t(c) << KmerIndex::kPosBits | uint32_t(p);
    }
}

int align_score(const Library& lib, std::string_view query, int index, const SearchOptions& opt) {
  std::vector<int> q = encode(query);
  if (q.empty()) return 0;
  ScoreTables t = make_tables(lib, opt);
  QueryProfile qp = make_query_profile(q, t);
  const auto& letters = lib.kmers.letters;
  return sw_score(qp, t, letters.data() + lib.offset[index], lib.profile_codes(index), int(lib.length(index)));
}

int align_score_pass(const Library& lib, std::string_view query, int index, const SearchOptions& opt,
                     bool bytes) {
  std::vector<int> q = encode(query);
  if (q.empty()) return 0;
  ScoreTables t = make_tables(lib, opt);
  QueryProfile qp = make_query_profile(q, t);
  const int8_t* tseq = lib.kmers.letters.data() + lib.offset[index];
  const uint8_t* tcode = lib.profile_codes(index);
  const int tlen = int(lib.length(index));
  if (!bytes) return striped_sw(qp, t, tseq, tcode, tlen);
  if (!qp.bytes) return -1;
  int score = striped_sw8(qp, t, tseq, tcode, tlen);
  return score < qp.exact_below ? score : -1;
}

std::vector<TemplateHit> search_templates(const Library& lib, std::string_view query, const SearchOptions& opt) {
  std::vector<TemplateHit> hits;
  std::vector<int> q = encode(query);
  const int m = int(q.size());
  if (m == 0 || lib.size() == 0) return hits;
  const auto& letters = lib.kmers.letters;
  ScoreTables t = make_tables(lib, opt);

  // --- prefilter: similar 3-mers summed per (chain, exact diagonal) in a direct-mapped table
  std::vector<int> chain_best(lib.size(), 0);
  if (m >= kKmer && !lib.kmers.entries.empty()) {
    // Direct-mapped: a key k = chain << kPosBits | diagonal goes to slot h = top kTableBits
    // bits of k * 2654435761 and evicts whatever was there. A slot is one uint32 (one cache
    // miss per k-mer hit, the cost of this loop): bit 28 = used, bits 16..27 = the low
    // 32 - kTableBits bits of the product, bits 0..15 = the int16 sum. The multiplier is odd,
    // so the product (slot index + stored bits) determines k: comparing them is comparing keys.
    constexpr int kTableBits = 20;
    constexpr uint32_t kUsed = 1u << 28;
    static_assert(32 - kTableBits <= 12, "the product's low bits must fit in bits 16..27");
    std::vector<uint32_t> table(size_t(1) << kTableBits, 0);
    int row_max[kLetters];
    for (int a = 0; a < kLetters; ++a) {
      row_max[a] = -100;
      for (int b = 0; b < 20; ++b) row_max[a] = std::max(row_max[a], blosum(a, b));
    }
    const uint32_t pos_mask = (1u << KmerIndex::kPosBits) - 1;
    for (int i = 0; i + kKmer <= m; ++i) {
      const int q0 = q[i], q1 = q[i + 1], q2 = q[i + 2];
      for (int a = 0; a < 20; ++a) {
        int s0 = blosum(q0, a);
        if (s0 + row_max[q1] + row_max[q2] < opt.kmer_threshold) continue;
        for (int b = 0; b < 20; ++b) {
          int s1 = s0 + blosum(q1, b);
          if (s1 + row_max[q2] < opt.kmer_threshold) continue;
          for (int c = 0; c < 20; ++c) {
            int s = s1 + blosum(q2, c);
            if (s < opt.kmer_threshold) continue;
            int code = (a * 20 + b) * 20 + c;
            const uint32_t* entries = lib.kmers.entries.data();
            const uint32_t e_end = lib.kmers.start[code + 1];
            for (uint32_t e = lib.kmers.start[code]; e < e_end; ++e) {
#if defined(__SSE2__)
              // the slots are random: ask for one a few hits ahead (native only; wasm has no prefetch)
              constexpr uint32_t kAhead = 16;
              if (e + kAhead < e_end) {
                uint32_t ahead = entries[e + kAhead];
                uint32_t ka = (ahead & ~pos_mask) | (((ahead & pos_mask) - uint32_t(i) + uint32_t(m)) & pos_mask);
                _mm_prefetch(reinterpret_cast<const char*>(&table[(ka * 2654435761u) >> (32 - kTableBits)]), _MM_HINT_T0);
              }
#endif
              uint32_t entry = entries[e];
              uint32_t chain = entry >> KmerIndex::kPosBits;
              uint32_t diag = ((entry & pos_mask) - uint32_t(i) + uint32_t(m)) & pos_mask;
              uint32_t prod = (chain << KmerIndex::kPosBits | diag) * 2654435761u;
              uint32_t h = prod >> (32 - kTableBits);
              uint32_t tag = kUsed | (prod & ((1u << (32 - kTableBits)) - 1)) << 16;
              uint32_t slot = table[h];
              // an unused slot acts like the old table's empty key: its sum is 0, v = s
              int v = (slot & 0xFFFF0000u) == tag ? int16_t(slot & 0xFFFFu) + s : s;
              table[h] = tag | uint16_t(int16_t(std::min(v, 32000)));
              if (v > chain_best[chain]) chain_best[chain] = v;
            }
          }
        }
      }
    }
  }
  std::vector<int> order;
  for (size_t c = 0; c < lib.size(); ++c)
    if (chain_best[c] > 0 || m < kKmer) order.push_back(int(c));
  const size_t n_cand = std::min(order.size(), size_t(std::max(1, opt.max_candidates)));
  std::partial_sort(order.begin(), order.begin() + n_cand, order.end(), [&](int a, int b) {
    return chain_best[a] != chain_best[b] ? chain_best[a] > chain_best[b] : a < b;
  });
  order.resize(n_cand);

  // --- Smith-Waterman on the candidates, E-values
  QueryProfile qp = make_query_profile(q, t);
  double lambda, k;
  evd_params(opt, lambda, k);
  const double search_space = double(m) * double(lib.residues());
  for (int c : order) {
    int score = sw_score(qp, t, letters.data() + lib.offset[c], lib.profile_codes(c), int(lib.length(c)));
    double evalue = k * search_space * std::exp(-lambda * score);
    if (evalue > opt.max_evalue) continue;
    TemplateHit h;
    h.index = c;
    h.id = lib.names[c];
    h.score = score;
    h.evalue = evalue;
    h.bits = (lambda * score - std::log(k)) / std::log(2.0);
    hits.push_back(std::move(h));
  }
  std::sort(hits.begin(), hits.end(), [](const TemplateHit& a, const TemplateHit& b) {
    return a.score != b.score ? a.score > b.score : a.index < b.index;
  });
  if (hits.size() > size_t(std::max(0, opt.max_hits))) hits.resize(size_t(std::max(0, opt.max_hits)));
  for (TemplateHit& h : hits)
    align_traceback(q, t, letters.data() + lib.offset[h.index], lib.profile_codes(h.index),
                    int(lib.length(h.index)), h);
  return hits;
}

void calibrate_search(const Library& lib, int n_queries, int n_targets, SearchOptions& opt) {
  std::mt19937 rng(20261129);
  const auto& letters = lib.kmers.letters;
  ScoreTables t = make_tables(lib, opt);
  std::vector<double> z_mn, s;  // ln(m n) and raw score per pair
  for (int qi = 0; qi < n_queries; ++qi) {
    int src = int(rng() % lib.size());
    std::string seq(lib.sequence(src));
    for (size_t i = seq.size(); i > 1; --i) std::swap(seq[i - 1], seq[rng() % i]);
    std::vector<int> q = encode(seq);
    QueryProfile qp = make_query_profile(q, t);
    for (int ti = 0; ti < n_targets; ++ti) {
      int c = int(rng() % lib.size());
      int score = sw_score(qp, t, letters.data() + lib.offset[c], lib.profile_codes(c), int(lib.length(c)));
      z_mn.push_back(std::log(double(q.size()) * double(lib.length(c))));
      s.push_back(score);
    }
  }
  // Maximum likelihood: for fixed lambda, K = N / sum exp(-(lambda s - ln mn)); golden search on lambda.
  auto loglik = [&](double lambda, double& k) {
    double sum = 0;
    for (size_t i = 0; i < s.size(); ++i) sum += std::exp(-(lambda * s[i] - z_mn[i]));
    k = double(s.size()) / sum;
    double ll = 0;
    for (size_t i = 0; i < s.size(); ++i) {
      double x = lambda * s[i] - z_mn[i] - std::log(k);
      ll += std::log(lambda) - x - std::exp(-x);
    }
    return ll;
  };
  double lo = 0.005, hi = 2.0, k = 0;
  for (int it = 0; it < 100; ++it) {
    double a = lo + (hi - lo) * 0.382, b = lo + (hi - lo) * 0.618, ka, kb;
    if (loglik(a, ka) > loglik(b, kb))
      hi = b;
    else
      lo = a;
  }
  opt.lambda = 0.5 * (lo + hi);
  loglik(opt.lambda, k);
  opt.k = k;
}

}  // namespace foldsight
