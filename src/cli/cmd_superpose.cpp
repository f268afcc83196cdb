#include <cstdio>
#include "commands.h"

namespace foldsight {
int cmd_superpose(int, char**) {
  std::fprintf(stderr, "foldsight superpose: not implemented yet\n");
  return 3;
}
}  // namespace foldsight
