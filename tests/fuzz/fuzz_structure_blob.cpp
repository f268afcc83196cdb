// libFuzzer target: the structure blob decoder (src/core/structure_blob.h), which takes the
// bytes a load worker posts back and must refuse anything inconsistent ("never trusted").
// Seeds are real structures encoded by encode_structure_blob: run once with
//   FOLDSIGHT_BLOB_SEEDS_FROM=<dir of structure files> FOLDSIGHT_BLOB_SEEDS_TO=<dir>
// the binary writes one blob per readable file there and exits (tests/fuzz/common.sh does).
// Invariants: a refusal says why; an accepted blob has the array sizes and index ranges the
// decoder promises, re-encodes to a blob that decodes to the same bytes again, and the writers
// (which follow every index and table) run on it without a sanitizer report.
#include <dirent.h>
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>
#include "core/io.h"
#include "core/structure_blob.h"
#include "fuzz_invariants.h"

namespace {

void write_seeds(const char* from, const char* to) {
  using namespace foldsight;
  DIR* d = opendir(from);
  if (!d) return;
  int n = 0;
  while (dirent* e = readdir(d)) {
    if (e->d_name[0] == '.') continue;
    const std::string path = std::string(from) + "/" + e->d_name;
    std::ifstream f(path, std::ios::binary);
    std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
    Structure s;
    ParseError err;
    if (!read_structure(bytes.data(), bytes.size(), e->d_name, Format::Auto, s, &err)) continue;
    const std::vector<uint8_t> blob = encode_structure_blob(s);
    std::ofstream o(std::string(to) + "/" + e->d_name + ".blob", std::ios::binary);
    o.write(reinterpret_cast<const char*>(blob.data()), std::streamsize(blob.size()));
    ++n;
  }
  closedir(d);
  std::printf("fuzz_structure_blob: wrote %d seed blobs to %s\n", n, to);
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int*, char***) {
  const char* from = std::getenv("FOLDSIGHT_BLOB_SEEDS_FROM");
  const char* to = std::getenv("FOLDSIGHT_BLOB_SEEDS_TO");
  if (from && to) {
    write_seeds(from, to);
    std::exit(0);
  }
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace foldsight;
  Structure s;
  std::string err;
  if (!decode_structure_blob(data, size, s, &err)) {
    require(!err.empty());
    return 0;
  }
  // What the decoder promises (sizes, monotone ranges, indices in range).
  const size_t na = s.atom_count(), nr = s.residue_count(), nc = s.chain_count(), nm = s.model_count();
  for (size_t n : {s.y.size(), s.z.size(), s.occupancy.size(), s.b_factor.size(), s.atom_name.size(),
                   s.element.size(), s.altloc.size(), s.charge.size(), s.serial.size(), s.atom_residue.size()})
    require(n == na);
  require(s.res_atom_begin.size() == nr + 1 && s.chain_res_begin.size() == nc + 1 && s.model_chain_begin.size() == nm + 1);
  require(s.res_atom_begin[nr] == na && s.chain_res_begin[nc] == nr && s.model_chain_begin[nm] == nc);
  for (uint32_t r : s.atom_residue) require(r < nr);
  for (uint32_t c : s.res_chain) require(c < nc);
  for (uint32_t m : s.chain_model) require(m < nm);
  for (const Bond& b : s.bonds) require(b.a < na && b.b < na);
  for (const Bond& b : s.file_bonds) require(b.a < na && b.b < na);
  // Round trip: the re-encoded blob is accepted and stable.
  const std::vector<uint8_t> again = encode_structure_blob(s);
  Structure t;
  std::string err2;
  require(decode_structure_blob(again.data(), again.size(), t, &err2));
  require(encode_structure_blob(t) == again);
  // The writers follow every index, name and table (element symbols, residue names).
  (void)write_pdb(s);
  (void)write_mmcif(s);
  return 0;
}
