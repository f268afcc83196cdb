// Malformed input through the public readers (issue 3, acceptance 5): truncated files,
// binary junk, wrong columns, 10^8-character lines, empty files and NUL bytes must give
// `false` and a ParseError naming the (1-based) line, never a crash, in linear time.
#include <doctest/doctest.h>
#include <chrono>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include "core/io.h"

using namespace foldsight;

static std::string slurp(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  return ss.str();
}

static std::string inflate_file(const char* path) {
  std::string gz = slurp(path);
  std::vector<uint8_t> out;
  std::string msg;
  if (gz.empty() || !gunzip(reinterpret_cast<const uint8_t*>(gz.data()), gz.size(), out, &msg)) return {};
  return std::string(out.begin(), out.end());
}

static int line_of(const std::string& text, size_t offset) {  // 1-based line holding offset
  int n = 1;
  for (size_t i = 0; i < offset && i < text.size(); ++i) n += text[i] == '\n';
  return n;
}

// Deterministic junk: xorshift bytes.
static std::string junk(size_t n, uint32_t seed) {
  std::string s(n, '\0');
  for (size_t i = 0; i < n; ++i) {
    seed ^= seed << 13;
    seed ^= seed >> 17;
    seed ^= seed << 5;
    s[i] = char(seed & 0xff);
  }
  return s;
}

static double seconds_since(std::chrono::steady_clock::time_point t0) {
  return std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
}

static bool read_any(const std::string& data, const char* name, Structure& s, ParseError& err) {
  err = {};
  return read_structure(reinterpret_cast<const uint8_t*>(data.data()), data.size(), name, Format::Auto, s, &err);
}

// ---------------------------------------------------------------- PDB
TEST_CASE("malformed PDB: truncated inside an ATOM record") {
  std::string text = slurp("/usr/share/pymol/data/tut/1hpv.pdb");
  REQUIRE(!text.empty());
  // Cut the 500th ATOM record after column 40 (inside the y coordinate).
  size_t at = 0;
  for (int i = 0; i < 500; ++i) at = text.find("\nATOM  ", at + 1);
  REQUIRE(at != std::string::npos);
  std::string cut = text.substr(0, at + 1 + 40);
  Structure s;
  ParseError err;
  CHECK_FALSE(read_any(cut, "1hpv.pdb", s, err));
  CHECK(err.line == line_of(cut, at + 1));
  CHECK(err.message.find("columns") != std::string::npos);
  CHECK(s.atom_count() == 0);
  // Cut at a line end: a shorter but valid file.
  std::string whole_lines = text.substr(0, at + 1);
  REQUIRE(read_any(whole_lines, "1hpv.pdb", s, err));
  CHECK(s.atom_count() == 499);
}

TEST_CASE("malformed PDB: non-numeric coordinates, occupancy, residue number, serial") {
  const std::string good = "ATOM      1  N   PRO A   1      -2.555   9.253  34.411  1.00 30.60           N\n";
  std::string bad_x = good, bad_occ = good, bad_seq = good, bad_serial = good;
  bad_x.replace(30, 8, "  -2.5x5");
  bad_occ.replace(54, 6, "  1.0O");
  bad_seq.replace(22, 4, "  1?");
  bad_serial.replace(6, 5, "  1-1");
  for (const std::string& bad : {bad_x, bad_occ, bad_seq, bad_serial}) {
    Structure s;
    ParseError err;
    CHECK_FALSE(read_pdb("HEADER    TEST\n" + good + bad + good, s, &err));
    CHECK(err.line == 3);
    CHECK(err.message.find("column") != std::string::npos);
  }
  // The same record with its coordinates one column to the right.
  std::string shifted = good;
  shifted.insert(27, " ");
  Structure s;
  ParseError err;
  CHECK_FALSE(read_pdb(good + shifted, s, &err));
  CHECK(err.line == 2);
}

TEST_CASE("malformed PDB: binary junk, NUL bytes, empty input") {
  Structure s;
  ParseError err;
  for (uint32_t seed : {1u, 7u, 12345u}) {
    CHECK_FALSE(read_pdb(junk(1 << 16, seed), s, &err));
    CHECK(err.line >= 1);
  }
  std::string text = slurp("/usr/share/pymol/data/demo/pept.pdb");
  REQUIRE(!text.empty());
  size_t at = text.find("\nATOM") + 20;
  text[at] = '\0';
  CHECK_FALSE(read_pdb(text, s, &err));
  CHECK(err.line == line_of(text, at));
  CHECK(err.message.find("binary") != std::string::npos);
  CHECK_FALSE(read_pdb("", s, &err));
  CHECK_FALSE(read_pdb("\n\n\n", s, &err));
  CHECK_FALSE(read_any("", "empty.pdb", s, err));
  // Gzip magic followed by junk: an error, no line.
  std::string gz = "\x1f\x8b" + junk(1000, 3);
  CHECK_FALSE(read_any(gz, "x.pdb.gz", s, err));
  CHECK(err.line == 0);
  // A real gzip file cut in half.
  std::string real_gz = slurp("/usr/share/doc/tm-align/examples/5eep.pdb.gz");
  REQUIRE(real_gz.size() > 100);
  CHECK_FALSE(read_any(real_gz.substr(0, real_gz.size() / 2), "5eep.pdb.gz", s, err));
}

TEST_CASE("malformed PDB: a 10^8-character line is an error on its line, found fast") {
  std::string text = "HEADER    TEST\nREMARK   1 ";
  text.append(100000000, 'A');
  text += "\nATOM      1  N   PRO A   1      -2.555   9.253  34.411  1.00 30.60           N\n";
  Structure s;
  ParseError err;
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(read_pdb(text, s, &err));
  CHECK(seconds_since(t0) < 20.0);  // a guard against quadratic behaviour, not a speed target
  CHECK(err.line == 2);
  CHECK(err.message.find("long") != std::string::npos);
}

TEST_CASE("PDB reader stays linear on adversarial hierarchies") {
  // 300,000 atoms, chain id alternating A/B on every line, each atom its own residue:
  // every line starts a new chain part.
  std::string text;
  text.reserve(300000 * 81);
  char buf[96];
  for (int i = 0; i < 300000; ++i) {
    std::snprintf(buf, sizeof buf, "ATOM  %5d  CA  ALA %c%4d    %8.3f%8.3f%8.3f  1.00 20.00           C\n",
                  i % 100000, i % 2 ? 'B' : 'A', i / 2 % 10000, float(i % 100), 1.0f, 2.0f);
    text += buf;
  }
  Structure s;
  ParseError err;
  auto t0 = std::chrono::steady_clock::now();
  REQUIRE(read_pdb(text, s, &err));
  CHECK(seconds_since(t0) < 20.0);  // a guard against quadratic behaviour, not a speed target
  CHECK(s.chain_count() == 2);
  CHECK(s.atom_count() == 300000);
  // Residue numbers wrap at 10000 within each chain part, and parts never share residues.
  CHECK(s.residue_count() == 300000);
}

// ---------------------------------------------------------------- mmCIF
TEST_CASE("malformed mmCIF: truncated, wrong values, junk, long lines, NUL, empty") {
  std::string text = inflate_file("/usr/share/doc/python-biopython-doc/Tests/PDB/1A8O.cif.gz");
  REQUIRE(!text.empty());
  Structure s;
  ParseError err;
  REQUIRE(read_mmcif(text, s, &err));
  const size_t atoms = s.atom_count();
  REQUIRE(atoms > 100);

  // Truncated in the middle of an atom_site row: the row has too few values.
  size_t at = text.find("\nATOM ", text.find("_atom_site."));
  for (int i = 0; i < 100; ++i) at = text.find("\nATOM ", at + 1);
  REQUIRE(at != std::string::npos);
  std::string cut = text.substr(0, at + 1 + 30);
  CHECK_FALSE(read_mmcif(cut, s, &err));
  CHECK(err.line >= line_of(cut, at + 1) - 1);
  CHECK(err.line <= line_of(cut, at + 1) + 1);

  // A coordinate that is not a number.
  std::string bad = text;
  size_t row = text.find("\nATOM ", at + 1);
  size_t dot = bad.find('.', row + 30);  // a decimal point in a coordinate
  REQUIRE(dot != std::string::npos);
  bad[dot] = 'x';
  CHECK_FALSE(read_mmcif(bad, s, &err));
  CHECK(err.line == line_of(bad, dot));

  // NUL byte inside a row.
  std::string nul = text;
  nul[row + 10] = '\0';
  CHECK_FALSE(read_mmcif(nul, s, &err));
  CHECK(err.line == line_of(nul, row + 10));

  // Binary junk, empty input.
  for (uint32_t seed : {2u, 99u}) {
    CHECK_FALSE(read_mmcif(junk(1 << 16, seed), s, &err));
    CHECK(err.line >= 1);
  }
  CHECK_FALSE(read_mmcif("", s, &err));
  CHECK_FALSE(read_any("data_x\n", "x.cif", s, err));

  // A 10^8-character line (an item we do not use) in an otherwise valid file.
  size_t eol = text.find('\n');
  std::string longl = text.substr(0, eol + 1) + "_foldsight_test.note ";
  longl.append(100000000, 'A');
  longl += "\n" + text.substr(eol + 1);
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(read_mmcif(longl, s, &err));
  CHECK(seconds_since(t0) < 20.0);  // a guard against quadratic behaviour, not a speed target
  CHECK(err.line == 2);
}

// ---------------------------------------------------------------- BinaryCIF
TEST_CASE("malformed BinaryCIF: junk, truncated MessagePack, empty") {
  Structure s;
  ParseError err;
  for (uint32_t seed : {5u, 6u, 77u}) {
    std::string j = junk(1 << 14, seed);
    CHECK_FALSE(read_bcif(reinterpret_cast<const uint8_t*>(j.data()), j.size(), s, &err));
    CHECK_FALSE(err.message.empty());
  }
  CHECK_FALSE(read_bcif(nullptr, 0, s, &err));
  // A map header promising 3 entries, then a string header running past the end.
  const uint8_t trunc[] = {0x83, 0xa7, 'v', 'e', 'r', 's', 'i', 'o', 'n', 0xdb, 0xff, 0xff, 0xff, 0x7f, 'x'};
  CHECK_FALSE(read_bcif(trunc, sizeof trunc, s, &err));
  // A huge array length with no data behind it must not allocate or loop for long.
  const uint8_t huge[] = {0x81, 0xaa, 'd', 'a', 't', 'a', 'B', 'l', 'o', 'c', 'k', 's', 0xdd, 0x7f, 0xff, 0xff, 0xff};
  auto t0 = std::chrono::steady_clock::now();
  CHECK_FALSE(read_bcif(huge, sizeof huge, s, &err));
  CHECK(seconds_since(t0) < 20.0);  // a guard against quadratic behaviour, not a speed target
}

// ---------------------------------------------------------------- FASTA
TEST_CASE("malformed FASTA: junk, NUL, wrong letters through the public API") {
  std::vector<FastaRecord> recs;
  ParseError err;
  std::string j = ">x\n" + junk(4096, 11);
  CHECK_FALSE(read_fasta(j, recs, &err));
  CHECK(err.line >= 2);
  CHECK_FALSE(read_fasta(">x\nACDE\nAC3E\n", recs, &err));
  CHECK(err.line == 3);
  CHECK(err.message.find("'3'") != std::string::npos);
  // read_structure refuses FASTA with a clear message rather than misreading it as PDB.
  Structure s;
  CHECK_FALSE(read_any(">x\nMKV\n", "x.fasta", s, err));
  CHECK(err.message.find("FASTA") != std::string::npos);
}

TEST_CASE("read_structure names files that are plainly something else") {
  struct Case { const char* bytes; size_t n; const char* kind; };
  const Case cases[] = {{"\x89PNG\r\n\x1a\n....", 12, "a PNG image"},
                        {"  <!DOCTYPE html><html><body>404 Not Found</body></html>", 56, "an HTML web page"},
                        {"PK\x03\x04zipzipzip", 13, "a ZIP archive"},
                        {"{\"atoms\": []}", 13, "a JSON document"},
                        {"%PDF-1.7", 8, "a PDF document"}};
  for (const Case& c : cases) {
    Structure s;
    ParseError err;
    CHECK_FALSE(read_structure(reinterpret_cast<const uint8_t*>(c.bytes), c.n, "x.pdb", Format::Auto, s, &err));
    CHECK_MESSAGE(err.message.find(c.kind) != std::string::npos, err.message);
    CHECK(err.message.find("not a structure file") != std::string::npos);
  }
}
