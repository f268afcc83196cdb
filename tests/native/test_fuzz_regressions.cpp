// Inputs the fuzz targets (tests/fuzz/, docs/TESTING.md) found to crash a decoder or to trip a
// sanitizer, rebuilt here readably so that every build (and `make test-sanitize`, where UBSan
// aborts) keeps checking them. The raw reproducers are in tests/fuzz/regressions/<target>/,
// replayed by scripts/fuzz_short.
#include <doctest/doctest.h>
#include <cmath>
#include <cstdint>
#include <cstring>
#include <string>
#include <vector>
#include "core/io.h"
#include "core/msgpack.h"

using namespace foldsight;

namespace {

// One encoding of a BinaryCIF column: {"kind": kind, key: value}.
struct Enc {
  const char* kind;
  const char* key = nullptr;
  double value = 0;
};

void column(MsgWriter& w, const char* name, const std::vector<int32_t>& ints, const std::vector<Enc>& encs) {
  w.map(2);
  w.str("name");
  w.str(name);
  w.str("data");
  w.map(2);
  w.str("data");
  w.bin(ints.data(), ints.size() * 4);
  w.str("encoding");
  w.array(uint32_t(encs.size() + 1));
  for (const Enc& e : encs) {
    w.map(e.key ? 2 : 1);
    w.str("kind");
    w.str(e.kind);
    if (e.key) {
      w.str(e.key);
      w.float64(e.value);
    }
  }
  w.map(2);  // ByteArray of int32, undone first
  w.str("kind");
  w.str("ByteArray");
  w.str("type");
  w.integer(3);
}

// An _atom_site of `rows` rows: Cartn_x/y/z = ints (with encodings xyz), plus `extra` columns.
std::vector<uint8_t> atom_site(double rows, const std::vector<int32_t>& ints, const std::vector<Enc>& xyz,
                               const char* extra_name = nullptr, const std::vector<Enc>& extra = {}) {
  MsgWriter w;
  w.map(1);
  w.str("dataBlocks");
  w.array(1);
  w.map(2);
  w.str("header");
  w.str("FUZZ");
  w.str("categories");
  w.array(1);
  w.map(3);
  w.str("name");
  w.str("_atom_site");
  w.str("rowCount");
  w.float64(rows);
  w.str("columns");
  w.array(extra_name ? 4 : 3);
  for (const char* c : {"Cartn_x", "Cartn_y", "Cartn_z"}) column(w, c, ints, xyz);
  if (extra_name) column(w, extra_name, ints, extra);
  return w.out;
}

bool read(const std::vector<uint8_t>& bytes, ParseError& err) {
  Structure s;
  return read_bcif(bytes.data(), bytes.size(), s, &err);
}

}  // namespace

// fuzz_bcif, 2026-11-29: numbers of the encoding parameters (ByteArray type, Delta origin,
// IntegerPacking byteCount, RunLength/IntegerPacking srcSize, rowCount) and column values were
// converted from double to int without a range check: undefined behaviour for 2.3e18.
TEST_CASE("fuzz regression: BinaryCIF encoding parameters far out of range are refused or clamped") {
  const std::vector<int32_t> two = {1, 2};
  ParseError err;
  SUBCASE("ByteArray type 2.3e18 (the reproducer's shape)") {
    MsgWriter c;  // one column whose only encoding is a ByteArray with a huge float type
    c.map(1);
    c.str("dataBlocks");
    c.array(1);
    c.map(2);
    c.str("header");
    c.str("FUZZ");
    c.str("categories");
    c.array(1);
    c.map(3);
    c.str("name");
    c.str("_atom_site");
    c.str("rowCount");
    c.integer(2);
    c.str("columns");
    c.array(1);
    c.map(2);
    c.str("name");
    c.str("Cartn_x");
    c.str("data");
    c.map(2);
    c.str("data");
    c.bin(two.data(), 8);
    c.str("encoding");
    c.array(1);
    c.map(2);
    c.str("kind");
    c.str("ByteArray");
    c.str("type");
    c.float64(2.30612e18);
    CHECK_FALSE(read(c.out, err));
    CHECK(!err.message.empty());
  }
  SUBCASE("rowCount 1e300") {
    CHECK_FALSE(read(atom_site(1e300, two, {}), err));
    CHECK(!err.message.empty());
  }
  SUBCASE("rowCount NaN") {
    CHECK_FALSE(read(atom_site(std::nan(""), two, {}), err));
  }
  SUBCASE("RunLength srcSize 1e300") {
    CHECK_FALSE(read(atom_site(2, {7, 2}, {{"RunLength", "srcSize", 1e300}}), err));
    CHECK(!err.message.empty());
  }
  SUBCASE("IntegerPacking byteCount -1e300 and srcSize 1e19") {
    CHECK_FALSE(read(atom_site(2, two, {{"IntegerPacking", "srcSize", 1e19}}), err));
    Structure s;  // byteCount clamps to INT_MIN: read as 2-byte packing, either way defined
    std::vector<uint8_t> doc = atom_site(2, two, {{"IntegerPacking", "byteCount", -1e300}});
    read_bcif(doc.data(), doc.size(), s, &err);
  }
  SUBCASE("Delta origin 1e300: clamped, read") {
    Structure s;
    std::vector<uint8_t> doc = atom_site(2, two, {{"Delta", "origin", 1e300}});
    read_bcif(doc.data(), doc.size(), s, &err);  // either way: no undefined behaviour
  }
  SUBCASE("id and auth_seq_id of 1e300 (FixedPoint with a tiny factor): clamped, read") {
    Structure s;
    std::vector<uint8_t> doc = atom_site(2, two, {}, "auth_seq_id", {{"FixedPoint", "factor", 1e-300}});
    CHECK(read_bcif(doc.data(), doc.size(), s, &err));
    doc = atom_site(2, two, {}, "id", {{"FixedPoint", "factor", -1e-300}});
    CHECK(read_bcif(doc.data(), doc.size(), s, &err));
  }
}
