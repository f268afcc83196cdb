// libFuzzer target: the FASTA reader. Accepted records hold only sequence characters.
#include <cstddef>
#include <cstdint>
#include <string_view>
#include "core/io.h"
#include "fuzz_invariants.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace foldsight;
  std::vector<FastaRecord> recs;
  ParseError err;
  std::string_view text(reinterpret_cast<const char*>(data), size);
  if (read_fasta(text, recs, &err)) {
    require(!recs.empty());
    for (const FastaRecord& r : recs) {
      require(!r.sequence.empty());
      for (char c : r.sequence) require((c >= 'A' && c <= 'Z') || c == '*' || c == '-' || c == '.');
    }
  } else {
    require(recs.empty() && !err.message.empty() && err.line >= 0);
  }
  return 0;
}
