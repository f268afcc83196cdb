// libFuzzer target: the gzip / zlib wrapper (gunzip) and read_structure's transparent
// inflation + format detection. Invariants: a failure says why; a success round-trips (what
// gunzip returns, compressed again, inflates to the same bytes) and never grows beyond
// deflate's maximum ratio; any structure read through the wrapper is consistent.
#include <zlib.h>
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>
#include "core/io.h"
#include "fuzz_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace foldsight;
  std::vector<uint8_t> out;
  std::string err;
  if (gunzip(data, size, out, &err)) {
    // deflate cannot expand more than 1032:1; concatenated members add their own headers.
    require(out.size() <= 1032 * size + 64);
    if (out.size() <= (1u << 16)) {
      uLongf cap = compressBound(uLong(out.size()));
      std::vector<uint8_t> z(cap);
      require(compress2(z.data(), &cap, out.data(), uLong(out.size()), 1) == Z_OK);
      std::vector<uint8_t> back;
      std::string err2;
      require(gunzip(z.data(), cap, back, &err2));
      require(back == out);
    }
  } else {
    require(!err.empty());
  }
  // The path every dropped or fetched file takes (gzip member or not, format sniffed).
  Structure s;
  ParseError perr;
  if (read_structure(data, size, "fuzz", Format::Auto, s, &perr)) {
    check_structure(s);
    require(s.name == "fuzz");
  } else {
    require(!perr.message.empty());
  }
  return 0;
}
