// libFuzzer target: the PDB reader, directly and through read_structure (gzip, detection).
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
  if (read_pdb(text, s, &err)) {
    check_structure(s);
  } else {
    require(!err.message.empty() && err.line >= 0);
    require(s.atom_count() == 0);
  }
  // read_structure adds only the gzip step for a PDB (plain input would be read twice; the
  // gzip target covers read_structure's detection of every format).
  Structure t;
  if (is_gzip(data, size) && read_structure(data, size, "fuzz.pdb", Format::Pdb, t, &err)) check_structure(t);
  return 0;
}
