// foldsight_cli: command-line front end (see PRODUCT.md). Implemented: info.
// Not yet implemented: ss (needs DSSP in core), superpose (needs superpose.cpp).
#include <cstdio>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>
#include "core/io.h"

using namespace foldsight;

static bool load(const char* path, Structure& s) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    std::fprintf(stderr, "%s: cannot open file\n", path);
    return false;
  }
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  ParseError err;
  if (!read_structure(data.data(), data.size(), path, Format::Auto, s, &err)) {
    if (err.line > 0)
      std::fprintf(stderr, "%s:%d: %s\n", path, err.line, err.message.c_str());
    else
      std::fprintf(stderr, "%s: %s\n", path, err.message.c_str());
    return false;
  }
  return true;
}

static int cmd_info(const char* path) {
  Structure s;
  if (!load(path, s)) return 1;
  size_t h = 0, e = 0, c = 0;
  for (size_t r = 0; r < s.residue_count(); ++r) {
    if (!is_amino_acid(s.res_name[r])) continue;
    char k = r < s.ss.size() ? s.ss[r] : '-';
    if (k == 'H' || k == 'G' || k == 'I') ++h;
    else if (k == 'E' || k == 'B') ++e;
    else ++c;
  }
  std::printf("{\"models\":%zu,\"chains\":%zu,\"residues\":%zu,\"atoms\":%zu,\"ss\":{\"H\":%zu,\"E\":%zu,\"C\":%zu}}\n",
              s.model_count(), s.chain_count(), s.residue_count(), s.atom_count(), h, e, c);
  return 0;
}

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: foldsight info FILE | ss FILE | superpose A B\n");
    return 2;
  }
  std::string cmd = argv[1];
  if (cmd == "info" && argc == 3) return cmd_info(argv[2]);
  if (cmd == "ss" || cmd == "superpose") {
    std::fprintf(stderr, "foldsight %s: not implemented yet\n", cmd.c_str());
    return 3;
  }
  std::fprintf(stderr, "foldsight: unknown command or wrong arguments: %s\n", cmd.c_str());
  return 2;
}
