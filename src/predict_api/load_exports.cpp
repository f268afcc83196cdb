// Structure loading off the main thread: the app's load worker (web/load_worker.js) runs this
// module to parse a file, find its bonds and secondary structure, and hand the annotated
// structure back as a blob (core/structure_blob.h) that the app decodes with a few copies. The
// same parsers as everywhere else; only the thread differs.
#include <emscripten/emscripten.h>
#include <cstring>
#include <string>
#include <vector>
#include "core/bonds.h"
#include "core/dssp.h"
#include "core/io.h"
#include "core/structure_blob.h"

using namespace foldsight;

namespace {
struct LoadState {
  std::string error;
  std::vector<uint8_t> blob;
};
LoadState& load_state() {
  static LoadState s;
  return s;
}

// Progress to the worker's JS (stage name, fraction 0..1); the worker forwards it to the page.
void progress(const char* stage, double fraction) {
  EM_ASM({ if (Module.onLoadProgress) Module.onLoadProgress(UTF8ToString($0), $1); }, stage, fraction);
}
}  // namespace

extern "C" {

// Parses `data` (any supported format, gzip or not; `name` is used for format detection and
// becomes the structure's name), annotates it and keeps the blob for fsl_blob_data/size.
// Returns 0, or -1 with fsp_load_error() set.
EMSCRIPTEN_KEEPALIVE int fsl_parse(const uint8_t* data, size_t size, const char* name) {
  LoadState& st = load_state();
  st.blob.clear();
  st.blob.shrink_to_fit();
  Structure s;
  ParseError err;
  std::vector<uint8_t> inflated;
  if (is_gzip(data, size)) {
    progress("inflating", 0);
    std::string msg;
    if (!gunzip(data, size, inflated, &msg)) {
      st.error = msg;
      return -1;
    }
    data = inflated.data(), size = inflated.size();
  }
  bool ok;
  if (detect_format(name, data, size) == Format::Mmcif) {
    // Streamed in slices so the page sees the parse advance.
    size_t pos = 0, last_report = 0;
    auto read = [&](char* buf, size_t n) -> long {
      size_t k = std::min(n, size - pos);
      std::memcpy(buf, data + pos, k);
      pos += k;
      if (pos - last_report > (size_t(4) << 20) || pos == size) last_report = pos, progress("parsing", double(pos) / double(size));
      return long(k);
    };
    ok = read_mmcif_stream(read, size, s, &err);
    if (ok) {
      std::string n(name);
      size_t slash = n.find_last_of('/');
      s.name = slash == std::string::npos ? n : n.substr(slash + 1);
    }
  } else {
    progress("parsing", 0);
    ok = read_structure(data, size, name, Format::Auto, s, &err);
  }
  inflated = {};
  if (!ok) {
    st.error = err.line > 0 ? "line " + std::to_string(err.line) + ": " + err.message : err.message;
    return -1;
  }
  progress("bonds", 0);
  compute_bonds(s);
  progress("secondary structure", 0);
  if (!s.has_ss) assign_secondary_structure(s);
  progress("packing", 0);
  st.blob = encode_structure_blob(s);
  return 0;
}

EMSCRIPTEN_KEEPALIVE const uint8_t* fsl_blob_data() { return load_state().blob.data(); }
EMSCRIPTEN_KEEPALIVE size_t fsl_blob_size() { return load_state().blob.size(); }
EMSCRIPTEN_KEEPALIVE void fsl_blob_free() {
  load_state().blob.clear();
  load_state().blob.shrink_to_fit();
}
EMSCRIPTEN_KEEPALIVE const char* fsl_last_error() { return load_state().error.c_str(); }

}  // extern "C"
