// libFuzzer target: the BinaryCIF reader (MessagePack + column encodings).
#include <cstddef>
#include <cstdint>
#include "core/io.h"
#include "fuzz_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace foldsight;
  Structure s;
  ParseError err;
  if (read_bcif(data, size, s, &err)) {
    check_structure(s);
  } else {
    require(!err.message.empty());
  }
  return 0;
}
