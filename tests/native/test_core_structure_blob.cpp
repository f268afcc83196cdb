// The structure blob carries a parsed, annotated structure from the load worker to the app:
// decoding must give back exactly what was encoded, and refuse anything damaged.
#include <doctest/doctest.h>
#include <algorithm>
#include <cstring>
#include "core/bonds.h"
#include "core/dssp.h"
#include "core/io.h"
#include "core/structure_blob.h"

using namespace foldsight;

namespace {
Structure load_annotated(const char* path) {
  Structure s;
  ParseError err;
  REQUIRE_MESSAGE(read_structure_file(path, Format::Auto, s, &err), path, ": ", err.message);
  compute_bonds(s);
  if (!s.has_ss) assign_secondary_structure(s);
  return s;
}
}  // namespace

TEST_CASE("structure blob: round trip keeps every array, string, bond and assembly") {
  // 1A8O (mmCIF: entities, assemblies, struct_conf) and 1hpv (PDB with a ligand).
  for (const char* path : {"/usr/share/doc/python-biopython-doc/Tests/PDB/1A8O.cif.gz", "/usr/share/pymol/data/tut/1hpv.pdb"}) {
    Structure a = load_annotated(path);
    std::vector<uint8_t> blob = encode_structure_blob(a);
    Structure b;
    std::string err;
    REQUIRE_MESSAGE(decode_structure_blob(blob.data(), blob.size(), b, &err), err);
    CHECK(b.name == a.name);
    CHECK(b.atom_count() == a.atom_count());
    CHECK(b.x == a.x);
    CHECK(b.z == a.z);
    CHECK(b.b_factor == a.b_factor);
    CHECK(b.atom_name == a.atom_name);
    CHECK(b.element == a.element);
    CHECK(b.res_name == a.res_name);
    CHECK(b.seq_id == a.seq_id);
    CHECK(b.ss == a.ss);
    CHECK(b.res_atom_begin == a.res_atom_begin);
    CHECK(b.chain_auth == a.chain_auth);
    CHECK(b.chain_entity == a.chain_entity);
    CHECK(b.model_chain_begin == a.model_chain_begin);
    REQUIRE(b.bonds.size() == a.bonds.size());
    CHECK(b.bonds.size() > a.atom_count() / 2);   // annotated: bonds travel with the structure
    for (size_t i = 0; i < a.bonds.size(); ++i) CHECK((b.bonds[i].a == a.bonds[i].a && b.bonds[i].b == a.bonds[i].b));
    CHECK(b.entities.size() == a.entities.size());
    CHECK(b.assemblies.size() == a.assemblies.size());
    CHECK(b.has_ss == a.has_ss);
    // Writing the decoded structure gives the same file text.
    CHECK(write_mmcif(b) == write_mmcif(a));
  }
}

TEST_CASE("structure blob: truncated, damaged and foreign blobs are refused") {
  Structure a = load_annotated("/usr/share/pymol/data/tut/1hpv.pdb");
  std::vector<uint8_t> blob = encode_structure_blob(a);
  Structure b;
  std::string err;
  for (size_t cut : {size_t(0), size_t(5), size_t(8), blob.size() / 3, blob.size() - 1}) {
    CHECK_FALSE(decode_structure_blob(blob.data(), cut, b, &err));
    CHECK(err.find("structure blob") == 0);
  }
  std::vector<uint8_t> bad = blob;
  bad[7] = '9';   // another version
  CHECK_FALSE(decode_structure_blob(bad.data(), bad.size(), b, &err));
  // An atom pointing past the last residue: the length prefix of atom_residue is followed by
  // its data; corrupt the first entry found by searching for the encoded array.
  bad = blob;
  uint64_t n = a.atom_count();
  std::vector<uint8_t> prefix(8);
  std::memcpy(prefix.data(), &n, 8);
  size_t pos = 0;
  for (size_t k = 0; k < 11; ++k) {   // the 11th atom array is atom_residue (after name: x y z occ b name elem alt chg serial)
    auto it = std::search(bad.begin() + long(pos), bad.end(), prefix.begin(), prefix.end());
    REQUIRE(it != bad.end());
    pos = size_t(it - bad.begin()) + 8;
  }
  uint32_t huge = 0xfffffff0u;
  std::memcpy(&bad[pos], &huge, 4);
  CHECK_FALSE(decode_structure_blob(bad.data(), bad.size(), b, &err));
  CHECK(err == "structure blob: atom residue out of range");
  // The original still decodes (nothing above touched it).
  CHECK(decode_structure_blob(blob.data(), blob.size(), b, &err));
}
