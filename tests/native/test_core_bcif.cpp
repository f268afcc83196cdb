// BinaryCIF reader against files made by an independent encoder (tests/bcif_encode.py:
// gemmi's CIF parser + python3-msgpack, every BinaryCIF encoding), our BinaryCIF writer,
// and malformed MessagePack.
#include <doctest/doctest.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <sstream>
#include <string>
#include <unistd.h>
#include "core/io.h"
#include "core/msgpack.h"

using namespace foldsight;

namespace {

std::vector<uint8_t> slurp_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string s = ss.str();
  return std::vector<uint8_t>(s.begin(), s.end());
}

// Runs the independent Python encoder; returns the BinaryCIF bytes.
std::vector<uint8_t> python_bcif(const std::string& cif) {
  std::string out = "/tmp/foldsight_test_" + std::to_string(getpid()) + ".bcif";
  std::string cmd = std::string("/usr/bin/python3 ") + FOLDSIGHT_SOURCE_DIR + "/tests/bcif_encode.py '" + cif +
                    "' '" + out + "'";
  int rc = std::system(cmd.c_str());
  REQUIRE_MESSAGE(rc == 0, "tests/bcif_encode.py failed (needs python3-gemmi and python3-msgpack)");
  std::vector<uint8_t> data = slurp_bytes(out);
  std::remove(out.c_str());
  return data;
}

}  // namespace

TEST_CASE("read_bcif: independent encoder output gives the mmCIF's structure") {
  const char* files[] = {"1A8O.cif.gz", "2XHE.cif.gz", "1LCD.cif.gz", "4ZHL.cif.gz", "1SSU_mod.cif"};
  for (const char* f : files) {
    CAPTURE(f);
    std::string path = std::string("/usr/share/doc/python-biopython-doc/Tests/PDB/") + f;
    Structure ref, s;
    ParseError err;
    REQUIRE(read_structure_file(path.c_str(), Format::Auto, ref, &err));
    std::vector<uint8_t> bin = python_bcif(path);
    REQUIRE(bin.size() > 100);
    CHECK(detect_format("x", bin.data(), bin.size()) == Format::BinaryCif);
    REQUIRE_MESSAGE(read_bcif(bin.data(), bin.size(), s, &err), err.message);
    CHECK(s.model_count() == ref.model_count());
    CHECK(s.chain_count() == ref.chain_count());
    CHECK(s.residue_count() == ref.residue_count());
    REQUIRE(s.atom_count() == ref.atom_count());
    size_t coord_diff = 0, occ_diff = 0;
    for (size_t i = 0; i < s.atom_count(); ++i) {
      // FixedPoint keeps every written decimal: exact after the same float rounding.
      coord_diff += s.x[i] != ref.x[i] || s.y[i] != ref.y[i] || s.z[i] != ref.z[i];
      // IntervalQuantization to 0.01 steps on [0,1].
      occ_diff += std::fabs(s.occupancy[i] - ref.occupancy[i]) > 0.005f;
    }
    CHECK(coord_diff == 0);
    CHECK(occ_diff == 0);
    CHECK(s.b_factor == ref.b_factor);   // Float32 ByteArray
    CHECK(s.atom_name == ref.atom_name);
    CHECK(s.element == ref.element);
    CHECK(s.altloc == ref.altloc);
    CHECK(s.serial == ref.serial);
    CHECK(s.res_name == ref.res_name);
    CHECK(s.seq_id == ref.seq_id);
    CHECK(s.label_seq_id == ref.label_seq_id);
    CHECK(s.ins_code == ref.ins_code);
    CHECK(s.het == ref.het);
    CHECK(s.chain_auth == ref.chain_auth);
    CHECK(s.chain_label == ref.chain_label);
    CHECK(s.chain_entity == ref.chain_entity);
    CHECK(s.model_num == ref.model_num);
    CHECK(s.ss == ref.ss);
    CHECK(s.entities.size() == ref.entities.size());
    CHECK(s.assemblies.size() == ref.assemblies.size());
    CHECK(s.file_bonds.size() == ref.file_bonds.size());
  }
}

TEST_CASE("write_bcif → read_bcif keeps every field") {
  Structure ref, s;
  ParseError err;
  REQUIRE(read_structure_file("/usr/share/doc/python-biopython-doc/Tests/PDB/1A8O.cif.gz", Format::Auto, ref, &err));
  ref.res_confidence.assign(ref.residue_count(), 0.f);
  for (size_t r = 0; r < ref.residue_count(); ++r) ref.res_confidence[r] = float(r % 100) + 0.25f;
  std::vector<uint8_t> bin = write_bcif(ref);
  REQUIRE(read_bcif(bin.data(), bin.size(), s, &err));
  CHECK(s.x == ref.x);
  CHECK(s.y == ref.y);
  CHECK(s.z == ref.z);
  CHECK(s.occupancy == ref.occupancy);
  CHECK(s.b_factor == ref.b_factor);
  CHECK(s.atom_name == ref.atom_name);
  CHECK(s.serial == ref.serial);
  CHECK(s.charge == ref.charge);
  CHECK(s.res_name == ref.res_name);
  CHECK(s.ins_code == ref.ins_code);
  CHECK(s.chain_label == ref.chain_label);
  CHECK(s.ss == ref.ss);
  CHECK(s.file_bonds.size() == ref.file_bonds.size());
  // pLDDT is written per (label_asym_id, label_seq_id): waters share label_seq with nothing else.
  REQUIRE(s.res_confidence.size() == ref.res_confidence.size());
  size_t same = 0;
  for (size_t r = 0; r < s.residue_count(); ++r) same += s.res_confidence[r] == ref.res_confidence[r];
  CHECK(same == s.residue_count());
}

TEST_CASE("msgpack and read_bcif: malformed input is an error, not a crash") {
  MsgWriter w;
  w.map(2);
  w.str("a");
  w.array(3);
  w.integer(-5);
  w.integer(300);
  w.float64(1.5);
  w.str("b");
  w.bin("xyz", 3);
  MsgValue v;
  std::string e;
  REQUIRE(msgpack_decode(w.out.data(), w.out.size(), v, &e));
  REQUIRE(v.find("a"));
  CHECK(v.find("a")->arr[0].i == -5);
  CHECK(v.find("a")->arr[1].i == 300);
  CHECK(v.find("a")->arr[2].f == 1.5);
  CHECK(v.find("b")->str == "xyz");
  for (size_t n = 0; n < w.out.size(); ++n) CHECK(!msgpack_decode(w.out.data(), n, v, &e));

  Structure ref, s;
  ParseError err;
  REQUIRE(read_structure_file("/usr/share/doc/python-biopython-doc/Tests/PDB/1SSU_mod.cif", Format::Auto, ref, &err));
  std::vector<uint8_t> bin = write_bcif(ref);
  for (size_t n = 0; n < bin.size(); n += 97) CHECK(!read_bcif(bin.data(), n, s, &err));
  // Flipped bytes: any outcome but a crash; most give an error message.
  for (size_t i = 0; i < bin.size(); i += 13) {
    std::vector<uint8_t> bad = bin;
    bad[i] ^= 0x5a;
    if (!read_bcif(bad.data(), bad.size(), s, &err)) CHECK(!err.message.empty());
  }
  // A huge declared array length on tiny input.
  const uint8_t huge[] = {0xdd, 0x7f, 0xff, 0xff, 0xff, 0x01};
  CHECK(!msgpack_decode(huge, sizeof huge, v, &e));
}
