// FASTA reader on files Debian's python-biopython-doc ships, and on broken input.
#include <doctest/doctest.h>
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

TEST_CASE("read_fasta: biopython test files") {
  std::vector<FastaRecord> recs;
  ParseError err;
  std::string aster = slurp("/usr/share/doc/python-biopython-doc/Tests/Fasta/aster.pro");
  REQUIRE(!aster.empty());
  REQUIRE(read_fasta(aster, recs, &err));
  REQUIRE(recs.size() == 1);
  CHECK(recs[0].name == "gi|3298468|dbj|BAA31520.1| SAMIPF");
  CHECK(recs[0].sequence.size() == 107);
  CHECK(recs[0].sequence.compare(0, 10, "GGHVNPAVTF") == 0);

  // Three nucleotide records (headers of merged NCBI entries joined by "^A").
  std::string f002 = slurp("/usr/share/doc/python-biopython-doc/Tests/Fasta/f002");
  REQUIRE(read_fasta(f002, recs, &err));
  REQUIRE(recs.size() == 3);
  CHECK(recs[0].sequence.size() == 633);
  CHECK(recs[1].sequence.size() == 413);
  CHECK(recs[2].sequence.size() == 471);
  CHECK(recs[0].name.find("^A") != std::string::npos);

  // An alignment with gaps.
  std::string aln = slurp("/usr/share/doc/python-biopython-doc/Tests/PDB/alignment_file.fa");
  REQUIRE(read_fasta(aln, recs, &err));
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].name == "2xhe_chainA_p002");
  CHECK(recs[0].sequence.size() == 572);
  CHECK(recs[1].sequence.size() == 572);
  CHECK(recs[1].sequence[0] == '-');
}

TEST_CASE("read_fasta: lower case, CRLF, comments, blank lines, BOM") {
  std::vector<FastaRecord> recs;
  REQUIRE(read_fasta("\xEF\xBB\xBF; comment\r\n> seq 1 \r\nmkv LLa\r\n\r\n  GG*\r\n>two\nAC\n", recs, nullptr));
  REQUIRE(recs.size() == 2);
  CHECK(recs[0].name == "seq 1");
  CHECK(recs[0].sequence == "MKVLLAGG*");
  CHECK(recs[1].sequence == "AC");
}

TEST_CASE("read_fasta: wrong letters name the line, the column and the character") {
  std::vector<FastaRecord> recs;
  ParseError err;
  CHECK_FALSE(read_fasta(">a\nMKV\nMK1V\n", recs, &err));
  CHECK(err.line == 3);
  CHECK(err.message.find("'1'") != std::string::npos);
  CHECK(err.message.find("column 3") != std::string::npos);
  CHECK(recs.empty());
  CHECK_FALSE(read_fasta(">a\nMK#V\n", recs, &err));
  CHECK(err.line == 2);
  CHECK(err.message.find("'#'") != std::string::npos);
  CHECK_FALSE(read_fasta(std::string(">a\nMK\0V\n", 8), recs, &err));
  CHECK(err.line == 2);
  CHECK(err.message.find("0x00") != std::string::npos);
  CHECK_FALSE(read_fasta(">a\nMK\xc3\xa9V\n", recs, &err));  // UTF-8 'é'
  CHECK(err.line == 2);
  CHECK(err.message.find("0xc3") != std::string::npos);
}

TEST_CASE("read_fasta: structural errors") {
  std::vector<FastaRecord> recs;
  ParseError err;
  CHECK_FALSE(read_fasta("MKV\n>a\nMKV\n", recs, &err));
  CHECK(err.line == 1);
  CHECK_FALSE(read_fasta(">a\n>b\nMKV\n", recs, &err));
  CHECK(err.line == 1);  // record a is empty
  CHECK(err.message.find("'a'") != std::string::npos);
  CHECK_FALSE(read_fasta(">a\nMKV\n\n>b\n", recs, &err));
  CHECK(err.line == 4);
  CHECK_FALSE(read_fasta("", recs, &err));
  CHECK_FALSE(read_fasta("\n; only a comment\n", recs, &err));
  // One 10^7-letter line is read in linear time.
  std::string big = ">big\n" + std::string(10000000, 'A') + "\n";
  REQUIRE(read_fasta(big, recs, &err));
  CHECK(recs[0].sequence.size() == 10000000);
}
