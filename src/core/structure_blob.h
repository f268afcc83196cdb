// A compact binary image of a Structure (every array as stored, plus the strings), for moving a
// parsed and annotated structure between two WebAssembly instances: the load worker parses,
// finds bonds and secondary structure off the main thread, and the app decodes the result with
// a few memcpy calls. Not a file format for users: versioned, native byte order, validated on
// decode (a blob from a different build is refused, never trusted).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>
#include "structure.h"

namespace foldsight {

std::vector<uint8_t> encode_structure_blob(const Structure& s);

// Fills `out` (replacing it); false with `err` set when the blob is truncated, from another
// version, or internally inconsistent (index arrays out of range).
bool decode_structure_blob(const uint8_t* data, size_t size, Structure& out, std::string* err);

}  // namespace foldsight
