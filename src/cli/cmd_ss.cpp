#include <cstdio>
#include "commands.h"

namespace foldsight {
int cmd_ss(int, char**) {
  std::fprintf(stderr, "foldsight ss: not implemented yet\n");
  return 3;
}
}  // namespace foldsight
