// read_structure_file: reading from disk without holding the whole text when the file is
// mmCIF (the big case: a 1 M-atom mmCIF is ~90 MB of text but ~40 MB as a Structure).
// Natively zlib's gzread reads plain and gzip files alike; the wasm build (Node with
// NODERAWFS, or the browser's virtual FS) reads plain files with stdio.
#include <algorithm>
#include <cstdio>
#include <cstring>
#include <string>
#include <sys/stat.h>
#include "io.h"

#ifndef __EMSCRIPTEN__
#include <zlib.h>
#endif

namespace foldsight {
namespace {

struct FileReader {
#ifdef __EMSCRIPTEN__
  FILE* f = nullptr;
  bool open(const char* path) { f = std::fopen(path, "rb"); return f != nullptr; }
  long read(char* dst, size_t n) {
    size_t k = std::fread(dst, 1, n, f);
    if (k == 0 && std::ferror(f)) return -1;
    return long(k);
  }
  ~FileReader() { if (f) std::fclose(f); }
#else
  gzFile f = nullptr;
  bool open(const char* path) {
    f = gzopen(path, "rb");
    if (f) gzbuffer(f, 1 << 17);
    return f != nullptr;
  }
  long read(char* dst, size_t n) {
    if (n > (1u << 30)) n = 1u << 30;
    int k = gzread(f, dst, unsigned(n));
    return k < 0 ? -1 : long(k);
  }
  ~FileReader() { if (f) gzclose(f); }
#endif
};

// Uncompressed size: file size, or for gzip the ISIZE trailer (size mod 2^32).
size_t size_hint(const char* path) {
  struct stat st;
  if (stat(path, &st) != 0) return 0;
  size_t n = size_t(st.st_size);
  FILE* f = std::fopen(path, "rb");
  if (!f) return n;
  unsigned char head[2] = {0, 0};
  size_t got = std::fread(head, 1, 2, f);
  if (got == 2 && head[0] == 0x1f && head[1] == 0x8b && n >= 18) {
    unsigned char tail[4];
    if (std::fseek(f, -4, SEEK_END) == 0 && std::fread(tail, 1, 4, f) == 4)
      n = size_t(tail[0]) | size_t(tail[1]) << 8 | size_t(tail[2]) << 16 | size_t(tail[3]) << 24;
  }
  std::fclose(f);
  return n;
}

}  // namespace

bool read_structure_file(const char* path, Format format, Structure& out, ParseError* err) {
  FileReader fr;
  if (!fr.open(path)) {
    if (err) *err = {0, "cannot open file"};
    return false;
  }
  // Peek at the start for format detection, then hand those bytes to the reader first.
  std::vector<char> head(4096);
  long n = fr.read(head.data(), head.size());
  if (n < 0) {
    if (err) *err = {0, "read error (corrupt gzip data?)"};
    return false;
  }
  head.resize(size_t(n));
#ifdef __EMSCRIPTEN__
  if (is_gzip(reinterpret_cast<const uint8_t*>(head.data()), head.size())) {
    if (err) *err = {0, "gzip input must be decompressed before reading in this build"};
    return false;
  }
#endif
  if (format == Format::Auto)
    format = detect_format(path, reinterpret_cast<const uint8_t*>(head.data()), head.size());
  std::string name(path);
  size_t slash = name.find_last_of('/');
  if (slash != std::string::npos) name = name.substr(slash + 1);
  if (format == Format::Mmcif) {
    size_t served = 0;
    auto read = [&](char* dst, size_t cap) -> long {
      if (served < head.size()) {
        size_t k = std::min(cap, head.size() - served);
        std::memcpy(dst, head.data() + served, k);
        served += k;
        return long(k);
      }
      return fr.read(dst, cap);
    };
    if (!read_mmcif_stream(read, size_hint(path), out, err)) return false;
    out.name = name;
    return true;
  }
  std::vector<uint8_t> all(head.begin(), head.end());
  std::vector<char> buf(1 << 20);
  for (;;) {
    long k = fr.read(buf.data(), buf.size());
    if (k < 0) {
      if (err) *err = {0, "read error (corrupt gzip data?)"};
      return false;
    }
    if (k == 0) break;
    all.insert(all.end(), buf.data(), buf.data() + k);
  }
  return read_structure(all.data(), all.size(), name, format, out, err);
}

}  // namespace foldsight
