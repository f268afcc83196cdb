// Minimal MessagePack: a decoder into a small tree whose strings and binary blobs point
// into the input (no copies of the big column data), and an encoder appending to a byte
// vector. Enough for BinaryCIF; extension types are rejected.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace foldsight {

struct MsgValue {
  enum Type : uint8_t { Nil, Bool, Int, Float, Str, Bin, Array, Map } type = Nil;
  bool b = false;
  int64_t i = 0;
  double f = 0;
  std::string_view str;                               // Str and Bin (bytes of the input)
  std::vector<MsgValue> arr;                          // Array
  std::vector<std::pair<std::string_view, MsgValue>> map;  // Map (keys must be strings)

  const MsgValue* find(std::string_view key) const;   // Map lookup, nullptr when absent
  bool is_number() const { return type == Int || type == Float; }
  double number() const { return type == Int ? double(i) : f; }
};

// Decodes one value; false (with a message) on truncated or malformed input.
bool msgpack_decode(const uint8_t* data, size_t size, MsgValue& out, std::string* err);

// Encoder: append-only writers.
struct MsgWriter {
  std::vector<uint8_t> out;
  void nil() { out.push_back(0xc0); }
  void boolean(bool v) { out.push_back(v ? 0xc3 : 0xc2); }
  void integer(int64_t v);
  void float64(double v);
  void str(std::string_view s);
  void bin(const void* p, size_t n);
  void array(uint32_t n);
  void map(uint32_t n);
};

}  // namespace foldsight
