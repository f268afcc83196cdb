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

  size_t keep = SIZE_MAX;   // absolute offset that must stay in the window (SIZE_MAX: none)
  int line = 1;
  std::string error;        // set when next() fails because of bad input
  int error_line = 0;

  std::string_view view(const CifToken& t) const { return {data_ + (t.pos - base_), t.len}; }
  size_t absolute_pos() const { return base_ + i_; }
  bool at_eof() { return i_ >= end_ && !fill(); }

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
    size_t keep_rel = b;
    for (;;) {
      while (i_ < end_) {
        char d = data_[i_];
        if (d == ' ' || d == '\n' || d == '\t' || d == '\r') goto done;
        ++i_;
      }
      size_t before = base_;
      if (!fill_keeping(keep_rel)) break;
      b -= base_ - before;
      keep_rel = b;
    }
  done:
    t.pos = base_ + b;
    t.len = uint32_t(i_ - b);
    t.line = line;
    t.quoted = false;
    if (i_ - b > kMaxSpan) return fail(line, "token longer than 256 MiB");
    return true;
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
      size_t before = base_;
      if (!fill_keeping(b - 1)) return fail(start_line, "unterminated quoted string");
      b -= base_ - before;
    }
  closed:
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
