// Sub-commands of foldsight_cli, one file each (see PRODUCT.md for the output formats).
#pragma once
#include "core/structure.h"

namespace foldsight {
// Reads a structure file (any format, .gz ok); on failure prints "FILE:LINE: message" to stderr.
bool cli_load(const char* path, Structure& s);

int cmd_info(int argc, char** argv);       // foldsight info FILE
int cmd_ss(int argc, char** argv);         // foldsight ss FILE
int cmd_superpose(int argc, char** argv);  // foldsight superpose A B
int cmd_align(int argc, char** argv);      // foldsight align A B [--chain-a X] [--chain-b Y]
int cmd_search(int argc, char** argv);     // foldsight search IN.fasta (native; scripts/foldsight uses the wasm build)
}  // namespace foldsight
