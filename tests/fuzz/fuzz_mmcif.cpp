// libFuzzer target: the mmCIF reader (text), through the public API.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include "core/io.h"
#include "fuzz_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace foldsight;
  Structure s;
  ParseError err;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (read_mmcif(text, s, &err)) {
    check_structure(s);
  } else {
    require(!err.message.empty() && err.line >= 0);
  }
  return 0;
}
