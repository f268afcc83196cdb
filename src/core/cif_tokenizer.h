// Streaming CIF tokenizer. The text arrives either as one view (in-memory reading) or in
// chunks pulled from a file, so a 1 M-atom mmCIF never has to be held whole in memory.
// Tokens are returned as offsets into a sliding window; `keep` marks the oldest offset the
// caller still needs (the start of the current loop row), and refills never drop it.
// No allocation per token: a token is (absolute offset, length, line, quoted).
#pragma once
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <functional>
#include <string>
#include <string_view>
#include <vector>
#if defined(__wasm_simd128__)
#include <wasm_simd128.h>
#elif defined(__SSE2__)
#include <emmintrin.h>
#endif

namespace foldsight {

struct CifToken {
  size_t pos = 0;    // absolute offset of the first character (after the opening quote)
  uint32_t len = 0;
  int line = 0;
  bool quoted = false;   // quoted or ';' text field: never a keyword, never null
};

class CifTokenizer {
 public:
  // Reads up to n bytes into dst; returns the count, 0 at end of input, -1 on error.
  using ReadFn = std::function<long(char* dst, size_t n)>;

  explicit CifTokenizer(std::string_view text) : data_(text.data()), end_(text.size()), eof_(true) {}
  CifTokenizer(ReadFn read, size_t chunk) : read_(std::move(read)), chunk_(chunk), eof_(false) {
    store_.resize(chunk_);
    data_ = store_.data();
  }

  // Largest token or loop row we accept; beyond it the input is treated as malformed.
  static constexpr size_t kMaxSpan = size_t(256) << 20;
  // Longest bare or quoted value: CIF 1.1 limits lines to 2048 characters; a megabyte on
  // one line is malformed input (or not CIF), not data.
  static constexpr size_t kMaxToken = size_t(1) << 20;

  size_t keep = SIZE_MAX;   // absolute offset that must stay in the window (SIZE_MAX: none)
  int line = 1;
  std::string error;        // set when next() fails because of bad input
  int error_line = 0;

  std::string_view view(const CifToken& t) const { return {data_ + (t.pos - base_), t.len}; }
  size_t absolute_pos() const { return base_ + i_; }
  bool at_eof() { return i_ >= end_ && !fill(); }

  // Fast path for loop rows written one per line (as every PDB file writes _atom_site):
  // splits the next non-blank line into exactly n bare tokens. Returns false, having
  // consumed only blank space, when the line holds anything else (quotes, comments, text
  // fields, a different count) — the caller then uses next() on the same text.
#if defined(__GNUC__)
  __attribute__((noinline))   // a function of its own so V8 tiers it up (see mmcif.cpp)
#endif
  bool simple_row(CifToken* t, size_t n) {
    for (;;) {
      if (i_ >= end_ && !fill()) return false;
      char c = data_[i_];
      if (c == '\n') { ++line; ++i_; continue; }
      if (c == ' ' || c == '\t' || c == '\r') { ++i_; continue; }
      break;
    }
    // 16 bytes at a time: bit masks of whitespace (every byte <= ' ') and newlines give
    // token starts and ends without a branch per character. The tail of the window (< 16
    // bytes) and unusual lines go to the general path.
    size_t p = i_, ks = 0, ke = 0;
    uint32_t carry = 0;   // 1 when the byte before the block is inside a token
    for (;;) {
      if (p + 16 > end_) return false;
      Masks m = masks16(data_ + p);
      uint32_t limit = m.newline ? (m.newline & (0u - m.newline)) : 0x10000u;  // lowest newline bit
      uint32_t in_line = limit - 1;              // bits before the newline
      uint32_t tok = ~m.space & 0xFFFFu;
      uint32_t shifted = ((tok << 1) | carry) & 0xFFFFu;
      uint32_t starts = tok & ~shifted & in_line;
      uint32_t ends = ~tok & shifted & (in_line | limit);
      // Other control characters, or a token opening with a quote, '#' or ';': general path.
      if ((m.control & in_line) || (m.special & starts)) return false;
      if (ks + size_t(__builtin_popcount(starts)) > n) return false;
      for (; starts; starts &= starts - 1) t[ks++].pos = base_ + p + size_t(__builtin_ctz(starts));
      for (; ends; ends &= ends - 1) {
        size_t at = base_ + p + size_t(__builtin_ctz(ends));
        t[ke].len = uint32_t(at - t[ke].pos);
        ++ke;
      }
      if (m.newline) {
        if (ks != n || ke != n) return false;
        for (size_t k = 0; k < n; ++k) {
          t[k].line = line;
          t[k].quoted = false;
        }
        i_ = p + size_t(__builtin_ctz(limit));   // the newline is left for the next call
        return true;
      }
      carry = tok >> 15;
      p += 16;
    }
  }

  struct Masks { uint32_t space, newline, control, special; };
  static Masks masks16(const char* q) {
#if defined(__wasm_simd128__)
    v128_t v = wasm_v128_load(q);
    uint32_t space = wasm_i8x16_bitmask(wasm_u8x16_le(v, wasm_i8x16_splat(0x20)));
    uint32_t nl = wasm_i8x16_bitmask(wasm_i8x16_eq(v, wasm_i8x16_splat('\n')));
    uint32_t ok = wasm_i8x16_bitmask(wasm_v128_or(wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat(' ')),
                                                               wasm_i8x16_eq(v, wasm_i8x16_splat('\t'))),
                                                  wasm_i8x16_eq(v, wasm_i8x16_splat('\r'))));
    uint32_t special = wasm_i8x16_bitmask(wasm_v128_or(
        wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('\'')), wasm_i8x16_eq(v, wasm_i8x16_splat('"'))),
        wasm_v128_or(wasm_i8x16_eq(v, wasm_i8x16_splat('#')), wasm_i8x16_eq(v, wasm_i8x16_splat(';')))));
    return {space, nl, space & ~(ok | nl), special};
#elif defined(__SSE2__)
    __m128i v = _mm_loadu_si128(reinterpret_cast<const __m128i*>(q));
    __m128i sp = _mm_set1_epi8(0x20);
    uint32_t space = uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(_mm_min_epu8(v, sp), v)));
    uint32_t nl = uint32_t(_mm_movemask_epi8(_mm_cmpeq_epi8(v, _mm_set1_epi8('\n'))));
    uint32_t ok = uint32_t(_mm_movemask_epi8(_mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, sp), _mm_cmpeq_epi8(v, _mm_set1_epi8('\t'))),
        _mm_cmpeq_epi8(v, _mm_set1_epi8('\r')))));
    uint32_t special = uint32_t(_mm_movemask_epi8(_mm_or_si128(
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('\'')), _mm_cmpeq_epi8(v, _mm_set1_epi8('"'))),
        _mm_or_si128(_mm_cmpeq_epi8(v, _mm_set1_epi8('#')), _mm_cmpeq_epi8(v, _mm_set1_epi8(';'))))));
    return {space, nl, space & ~(ok | nl), special};
#else
    Masks m{0, 0, 0, 0};
    for (int i = 0; i < 16; ++i) {
      unsigned char c = static_cast<unsigned char>(q[i]);
      if (c <= ' ') m.space |= 1u << i;
      if (c == '\n') m.newline |= 1u << i;
      else if (c < ' ' && c != '\t' && c != '\r') m.control |= 1u << i;
      if (c == '\'' || c == '"' || c == '#' || c == ';') m.special |= 1u << i;
    }
    return m;
#endif
  }

  // Moves back to an absolute offset returned in a token of the current window (to re-read
  // a row that turned out not to belong to the loop).
  void rewind_to(size_t abs) { i_ = abs - base_; }

  // Next token; false at end of input or on error (error non-empty).
  bool next(CifToken& t) {
    for (;;) {
      if (i_ >= end_ && !fill()) return false;
      char c = data_[i_];
      if (c == '\n') { ++line; ++i_; continue; }
      if (c == ' ' || c == '\t' || c == '\r') { ++i_; continue; }
      if (c == '#') {
        for (;;) {
          if (i_ >= end_ && !fill()) return false;
          if (data_[i_] == '\n') break;
          ++i_;
        }
        continue;
      }
      break;
    }
    bool line_start = prev_newline();
    char c = data_[i_];
    if (c == ';' && line_start) return text_field(t);
    if (c == '\'' || c == '"') return quoted(t, c);
    size_t b = i_;
    for (;;) {
      while (i_ < end_) {
        unsigned char d = static_cast<unsigned char>(data_[i_]);
        if (d <= ' ') {
          if (d == ' ' || d == '\n' || d == '\t' || d == '\r') goto done;
          return fail(line, control_message(d));
        }
        ++i_;
      }
      if (i_ - b > kMaxToken) break;
      size_t before = base_;
      if (!fill_keeping(b)) break;
      b -= base_ - before;
    }
  done:
    t.pos = base_ + b;
    t.len = uint32_t(i_ - b);
    t.line = line;
    t.quoted = false;
    if (i_ - b > kMaxToken) return fail(line, "value longer than 1 MiB on one line");
    return true;
  }

  static const char* control_message(unsigned char d) {
    return d == 0 ? "NUL byte in the text" : "control character in the text";
  }

 private:
  ReadFn read_;
  size_t chunk_ = 0;
  std::vector<char> store_;
  const char* data_ = nullptr;
  size_t base_ = 0;   // absolute offset of data_[0]
  size_t i_ = 0;      // current index in the window
  size_t end_ = 0;    // valid bytes in the window
  bool eof_ = true;
  char last_dropped_ = '\n';   // character just before the window (for line-start tests)

  bool fail(int at, const char* msg) {
    error = msg;
    error_line = at;
    i_ = end_;
    eof_ = true;
    return false;
  }

  bool prev_newline() const {
    if (i_ == 0) return last_dropped_ == '\n';
    return data_[i_ - 1] == '\n' || data_[i_ - 1] == '\r';
  }

  bool fill() { return fill_keeping(i_); }

  // Loads more input; keeps the window from min(keep, index `from`) on. Returns false at
  // end of input (or read error, reported through `error`).
  bool fill_keeping(size_t from) {
    if (eof_) return false;
    size_t k = from;
    if (keep != SIZE_MAX && keep >= base_ && keep - base_ < k) k = keep - base_;
    if (k > 0) {
      last_dropped_ = data_[k - 1];
      std::memmove(store_.data(), store_.data() + k, end_ - k);
      base_ += k;
      i_ -= k;
      end_ -= k;
    }
    if (end_ + chunk_ > store_.size()) {
      if (store_.size() > kMaxSpan) return fail(line, "token or loop row longer than 256 MiB");
      store_.resize(store_.size() * 2);
    }
    data_ = store_.data();
    long n = read_(store_.data() + end_, store_.size() - end_);
    if (n < 0) return fail(line, "read error");
    if (n == 0) { eof_ = true; return false; }
    end_ += size_t(n);
    return true;
  }

  bool quoted(CifToken& t, char q) {
    int start_line = line;
    size_t b = ++i_;
    for (;;) {
      while (i_ < end_) {
        char d = data_[i_];
        if (d == '\n') return fail(start_line, "unterminated quoted string");
        if (static_cast<unsigned char>(d) < ' ' && d != '\t' && d != '\r')
          return fail(start_line, control_message(static_cast<unsigned char>(d)));
        if (d == q) {
          // A quote closes only when followed by whitespace or end of input.
          if (i_ + 1 >= end_) {
            size_t before = base_;
            bool more = fill_keeping(b - 1);
            b -= base_ - before;
            if (!more) {
              if (!error.empty()) return false;
              goto closed;
            }
          }
          char e = data_[i_ + 1];
          if (e == ' ' || e == '\t' || e == '\n' || e == '\r') goto closed;
        }
        ++i_;
      }
      if (i_ - b > kMaxToken) return fail(start_line, "value longer than 1 MiB on one line");
      size_t before = base_;
      if (!fill_keeping(b - 1)) return fail(start_line, "unterminated quoted string");
      b -= base_ - before;
    }
  closed:
    if (i_ - b > kMaxToken) return fail(start_line, "value longer than 1 MiB on one line");
    t.pos = base_ + b;
    t.len = uint32_t(i_ - b);
    t.line = start_line;
    t.quoted = true;
    ++i_;
    return true;
  }

  // ';' at line start opens a text field that ends at the next line starting with ';'.
  bool text_field(CifToken& t) {
    int start_line = line;
    size_t b = ++i_;
    for (;;) {
      while (i_ < end_) {
        if (data_[i_] == '\n') {
          ++line;
          if (i_ + 1 >= end_) {
            size_t before = base_;
            bool more = fill_keeping(b - 1);
            b -= base_ - before;
            if (!more) return fail(start_line, "unterminated ';' text field");
          }
          if (data_[i_ + 1] == ';') {
            size_t e = i_;
            if (e > b && data_[e - 1] == '\r') --e;
            t.pos = base_ + b;
            t.len = uint32_t(e - b);
            t.line = start_line;
            t.quoted = true;
            i_ += 2;
            return true;
          }
        }
        ++i_;
      }
      size_t before = base_;
      if (!fill_keeping(b - 1)) return fail(start_line, "unterminated ';' text field");
      b -= base_ - before;
    }
  }
};

}  // namespace foldsight
