#include "msgpack.h"
#include <cstring>

namespace foldsight {

const MsgValue* MsgValue::find(std::string_view key) const {
  if (type != Map) return nullptr;
  for (const auto& kv : map)
    if (kv.first == key) return &kv.second;
  return nullptr;
}

namespace {

struct Reader {
  const uint8_t* p;
  const uint8_t* end;
  std::string err;
  int depth = 0;

  bool need(size_t n) {
    if (size_t(end - p) < n) { err = "truncated MessagePack data"; return false; }
    return true;
  }
  uint64_t be(int n) {
    uint64_t v = 0;
    for (int k = 0; k < n; ++k) v = v << 8 | p[k];
    p += n;
    return v;
  }
  bool read_len(int n, uint64_t& len) {
    if (!need(size_t(n))) return false;
    len = be(n);
    return true;
  }
  bool bytes(uint64_t n, std::string_view& out) {
    if (!need(n)) return false;
    out = std::string_view(reinterpret_cast<const char*>(p), size_t(n));
    p += n;
    return true;
  }
  bool items(uint64_t n, MsgValue& v) {
    // Each element takes at least one byte: a count beyond the remaining input is corrupt.
    if (n > uint64_t(end - p)) { err = "MessagePack array longer than its data"; return false; }
    v.type = MsgValue::Array;
    v.arr.resize(size_t(n));
    for (auto& e : v.arr)
      if (!value(e)) return false;
    return true;
  }
  bool entries(uint64_t n, MsgValue& v) {
    if (n > uint64_t(end - p) / 2) { err = "MessagePack map longer than its data"; return false; }
    v.type = MsgValue::Map;
    v.map.resize(size_t(n));
    for (auto& kv : v.map) {
      MsgValue k;
      if (!value(k)) return false;
      if (k.type != MsgValue::Str) { err = "MessagePack map key is not a string"; return false; }
      kv.first = k.str;
      if (!value(kv.second)) return false;
    }
    return true;
  }

  bool value(MsgValue& v) {
    if (!need(1)) return false;
    if (++depth > 64) { err = "MessagePack nesting too deep"; return false; }
    struct Leave { int& d; ~Leave() { --d; } } leave{depth};
    uint8_t c = *p++;
    uint64_t n = 0;
    if (c <= 0x7f) { v.type = MsgValue::Int; v.i = c; return true; }
    if (c >= 0xe0) { v.type = MsgValue::Int; v.i = int8_t(c); return true; }
    if ((c & 0xf0) == 0x80) return entries(c & 0x0f, v);
    if ((c & 0xf0) == 0x90) return items(c & 0x0f, v);
    if ((c & 0xe0) == 0xa0) { v.type = MsgValue::Str; return bytes(c & 0x1f, v.str); }
    switch (c) {
      case 0xc0: v.type = MsgValue::Nil; return true;
      case 0xc2: v.type = MsgValue::Bool; v.b = false; return true;
      case 0xc3: v.type = MsgValue::Bool; v.b = true; return true;
      case 0xc4: case 0xc5: case 0xc6:
        if (!read_len(1 << (c - 0xc4), n)) return false;
        v.type = MsgValue::Bin;
        return bytes(n, v.str);
      case 0xca: {
        if (!need(4)) return false;
        uint32_t u = uint32_t(be(4));
        float f;
        std::memcpy(&f, &u, 4);
        v.type = MsgValue::Float;
        v.f = f;
        return true;
      }
      case 0xcb: {
        if (!need(8)) return false;
        uint64_t u = be(8);
        double d;
        std::memcpy(&d, &u, 8);
        v.type = MsgValue::Float;
        v.f = d;
        return true;
      }
      case 0xcc: case 0xcd: case 0xce: case 0xcf: {
        int k = 1 << (c - 0xcc);
        if (!need(size_t(k))) return false;
        v.type = MsgValue::Int;
        v.i = int64_t(be(k));
        return true;
      }
      case 0xd0: case 0xd1: case 0xd2: case 0xd3: {
        int k = 1 << (c - 0xd0);
        if (!need(size_t(k))) return false;
        uint64_t u = be(k);
        v.type = MsgValue::Int;
        if (k == 1) v.i = int8_t(u);
        else if (k == 2) v.i = int16_t(u);
        else if (k == 4) v.i = int32_t(u);
        else v.i = int64_t(u);
        return true;
      }
      case 0xd9: case 0xda: case 0xdb:
        if (!read_len(1 << (c - 0xd9), n)) return false;
        v.type = MsgValue::Str;
        return bytes(n, v.str);
      case 0xdc: case 0xdd:
        if (!read_len(c == 0xdc ? 2 : 4, n)) return false;
        return items(n, v);
      case 0xde: case 0xdf:
        if (!read_len(c == 0xde ? 2 : 4, n)) return false;
        return entries(n, v);
      default:
        err = "unsupported MessagePack type byte 0x" + std::string(1, "0123456789abcdef"[c >> 4]) +
              std::string(1, "0123456789abcdef"[c & 15]);
        return false;
    }
  }
};

}  // namespace

bool msgpack_decode(const uint8_t* data, size_t size, MsgValue& out, std::string* err) {
  Reader r{data, data + size, {}};
  if (!r.value(out)) {
    if (err) *err = r.err;
    return false;
  }
  return true;
}

static void put_be(std::vector<uint8_t>& o, uint64_t v, int n) {
  for (int k = n - 1; k >= 0; --k) o.push_back(uint8_t(v >> (8 * k)));
}

void MsgWriter::integer(int64_t v) {
  if (v >= 0 && v <= 0x7f) out.push_back(uint8_t(v));
  else if (v < 0 && v >= -32) out.push_back(uint8_t(int8_t(v)));
  else if (v >= INT8_MIN && v <= INT8_MAX) { out.push_back(0xd0); put_be(out, uint8_t(int8_t(v)), 1); }
  else if (v >= INT16_MIN && v <= INT16_MAX) { out.push_back(0xd1); put_be(out, uint16_t(int16_t(v)), 2); }
  else if (v >= INT32_MIN && v <= INT32_MAX) { out.push_back(0xd2); put_be(out, uint32_t(int32_t(v)), 4); }
  else { out.push_back(0xd3); put_be(out, uint64_t(v), 8); }
}

void MsgWriter::float64(double v) {
  uint64_t u;
  std::memcpy(&u, &v, 8);
  out.push_back(0xcb);
  put_be(out, u, 8);
}

void MsgWriter::str(std::string_view s) {
  size_t n = s.size();
  if (n < 32) out.push_back(uint8_t(0xa0 | n));
  else if (n < 256) { out.push_back(0xd9); put_be(out, n, 1); }
  else if (n < 65536) { out.push_back(0xda); put_be(out, n, 2); }
  else { out.push_back(0xdb); put_be(out, n, 4); }
  out.insert(out.end(), s.begin(), s.end());
}

void MsgWriter::bin(const void* p, size_t n) {
  if (n < 256) { out.push_back(0xc4); put_be(out, n, 1); }
  else if (n < 65536) { out.push_back(0xc5); put_be(out, n, 2); }
  else { out.push_back(0xc6); put_be(out, n, 4); }
  const uint8_t* b = static_cast<const uint8_t*>(p);
  out.insert(out.end(), b, b + n);
}

void MsgWriter::array(uint32_t n) {
  if (n < 16) out.push_back(uint8_t(0x90 | n));
  else if (n < 65536) { out.push_back(0xdc); put_be(out, n, 2); }
  else { out.push_back(0xdd); put_be(out, n, 4); }
}

void MsgWriter::map(uint32_t n) {
  if (n < 16) out.push_back(uint8_t(0x80 | n));
  else if (n < 65536) { out.push_back(0xde); put_be(out, n, 2); }
  else { out.push_back(0xdf); put_be(out, n, 4); }
}

}  // namespace foldsight
