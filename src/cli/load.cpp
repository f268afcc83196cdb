#include <cstdio>
#include <fstream>
#include <iterator>
#include <vector>
#include "commands.h"
#include "core/io.h"

namespace foldsight {

bool cli_load(const char* path, Structure& s) {
  ParseError err;
  if (!read_structure_file(path, Format::Auto, s, &err)) {
    if (err.line > 0)
      std::fprintf(stderr, "%s:%d: %s\n", path, err.line, err.message.c_str());
    else
      std::fprintf(stderr, "%s: %s\n", path, err.message.c_str());
    return false;
  }
  return true;
}

}  // namespace foldsight
