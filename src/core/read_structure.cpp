// Format detection and the one entry point every caller (CLI, app, tests) uses to read a file.
#include <algorithm>
#include <cctype>
#include <cstring>
#include "io.h"

#ifndef __EMSCRIPTEN__
#include <zlib.h>
#endif

namespace foldsight {

bool is_gzip(const uint8_t* d, size_t n) { return n >= 2 && d[0] == 0x1f && d[1] == 0x8b; }

bool gunzip(const uint8_t* data, size_t size, std::vector<uint8_t>& out, std::string* err) {
#ifdef __EMSCRIPTEN__
  // In the browser gzip is inflated by DecompressionStream before the bytes reach C++.
  (void)data; (void)size; (void)out;
  if (err) *err = "gzip data must be decompressed by the browser before parsing";
  return false;
#else
  z_stream zs{};
  if (inflateInit2(&zs, 15 + 32) != Z_OK) { if (err) *err = "zlib init failed"; return false; }
  out.clear();
  zs.next_in = const_cast<Bytef*>(data);
  zs.avail_in = uInt(size);
  std::vector<uint8_t> buf(1 << 16);
  int rc;
  do {
    zs.next_out = buf.data();
    zs.avail_out = uInt(buf.size());
    rc = inflate(&zs, Z_NO_FLUSH);
    if (rc != Z_OK && rc != Z_STREAM_END) {
      inflateEnd(&zs);
      if (err) *err = std::string("corrupt gzip data") + (zs.msg ? std::string(": ") + zs.msg : "");
      return false;
    }
    out.insert(out.end(), buf.data(), buf.data() + (buf.size() - zs.avail_out));
    // Concatenated gzip members: continue with the next one.
    if (rc == Z_STREAM_END && zs.avail_in > 0) inflateReset(&zs), rc = Z_OK;
  } while (rc != Z_STREAM_END && (zs.avail_in > 0 || zs.avail_out == 0));
  inflateEnd(&zs);
  if (rc != Z_STREAM_END) { if (err) *err = "truncated gzip data"; return false; }
  return true;
#endif
}

static std::string lower_ext(std::string_view name) {
  std::string n(name);
  std::transform(n.begin(), n.end(), n.begin(), [](unsigned char c) { return char(std::tolower(c)); });
  if (n.size() > 3 && n.compare(n.size() - 3, 3, ".gz") == 0) n.resize(n.size() - 3);
  size_t dot = n.rfind('.');
  return dot == std::string::npos ? std::string() : n.substr(dot + 1);
}

Format detect_format(std::string_view file_name, const uint8_t* d, size_t n) {
  std::string ext = lower_ext(file_name);
  if (ext == "pdb" || ext == "ent" || ext == "pdb1") return Format::Pdb;
  if (ext == "cif" || ext == "mmcif" || ext == "mcif") return Format::Mmcif;
  if (ext == "bcif") return Format::BinaryCif;
  if (ext == "fasta" || ext == "fa" || ext == "faa" || ext == "seq") return Format::Fasta;
  // Content sniffing.
  // Skip blanks and, as mmCIF files may begin with them, '#' comment lines.
  size_t i = 0;
  for (;;) {
    while (i < n && std::isspace(d[i])) ++i;
    if (i >= n || d[i] != '#') break;
    while (i < n && d[i] != '\n') ++i;
  }
  if (i < n && d[i] == '>') return Format::Fasta;
  if (n - i >= 5 && std::memcmp(d + i, "data_", 5) == 0) return Format::Mmcif;
  if (i < n && (d[i] & 0xf0) == 0x80) return Format::BinaryCif;  // msgpack fixmap
  if (i < n && d[i] == 0xde) return Format::BinaryCif;            // msgpack map16
  return Format::Pdb;
}

namespace {
// Files that are plainly something else (a web page saved as .pdb, an image, an archive) are
// named as such instead of being reported in a parser's terms.
const char* other_kind(const uint8_t* d, size_t n) {
  auto starts = [&](const char* magic, size_t k) { return n >= k && std::memcmp(d, magic, k) == 0; };
  if (starts("\x89PNG", 4)) return "a PNG image";
  if (starts("\xFF\xD8\xFF", 3)) return "a JPEG image";
  if (starts("GIF8", 4)) return "a GIF image";
  if (starts("%PDF", 4)) return "a PDF document";
  if (starts("PK\x03\x04", 4)) return "a ZIP archive (unzip it and open the structure file inside)";
  size_t i = 0;
  while (i < n && i < 4096 && std::isspace(d[i])) ++i;
  if (i < n && (d[i] == '{' || d[i] == '[')) return "a JSON document";
  if (i < n && d[i] == '<') {
    std::string head;
    for (size_t k = i; k < n && k < i + 64; ++k) head += char(std::tolower(d[k]));
    if (head.rfind("<!doctype html", 0) == 0 || head.rfind("<html", 0) == 0 || head.rfind("<head", 0) == 0)
      return "an HTML web page (perhaps an error page saved instead of the file)";
    if (head.rfind("<?xml", 0) == 0) return "an XML document";
  }
  return nullptr;
}
}  // namespace

bool read_structure(const uint8_t* data, size_t size, std::string_view file_name, Format format,
                    Structure& out, ParseError* err) {
  std::vector<uint8_t> inflated;
  if (is_gzip(data, size)) {
    std::string msg;
    if (!gunzip(data, size, inflated, &msg)) {
      if (err) { err->line = 0; err->message = msg; }
      return false;
    }
    data = inflated.data();
    size = inflated.size();
  }
  if (const char* kind = other_kind(data, size)) {
    if (err) err->line = 0, err->message = std::string("this is ") + kind + ", not a structure file (PDB, mmCIF or BinaryCIF)";
    return false;
  }
  if (format == Format::Auto) format = detect_format(file_name, data, size);
  std::string_view text(reinterpret_cast<const char*>(data), size);
  bool ok = false;
  switch (format) {
    case Format::Pdb: ok = read_pdb(text, out, err); break;
    case Format::Mmcif: ok = read_mmcif(text, out, err); break;
    case Format::BinaryCif: ok = read_bcif(data, size, out, err); break;
    case Format::Fasta:
    case Format::Auto:
      if (err) { err->line = 0; err->message = "a FASTA file holds a sequence, not coordinates: use Predict to fold it"; }
      return false;
  }
  if (ok) {
    std::string n(file_name);
    size_t slash = n.find_last_of('/');
    out.name = slash == std::string::npos ? n : n.substr(slash + 1);
  }
  return ok;
}

}  // namespace foldsight
