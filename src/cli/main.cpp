// foldsight_cli: command-line front end used by scripts/foldsight (see PRODUCT.md).
#include <cstdio>
#include <cstring>
#include <string>
#include "commands.h"

using namespace foldsight;

int main(int argc, char** argv) {
  if (argc < 2) {
    std::fprintf(stderr, "usage: foldsight info FILE | ss FILE | superpose A B\n");
    return 2;
  }
  std::string cmd = argv[1];
  // Sub-commands see their own arguments: argv[0] is the command name.
  if (cmd == "info") return cmd_info(argc - 1, argv + 1);
  if (cmd == "ss") return cmd_ss(argc - 1, argv + 1);
  if (cmd == "superpose") return cmd_superpose(argc - 1, argv + 1);
  if (cmd == "align") return cmd_align(argc - 1, argv + 1);
  if (cmd == "search") return cmd_search(argc - 1, argv + 1);
  std::fprintf(stderr, "foldsight: unknown command: %s\n", cmd.c_str());
  return 2;
}
