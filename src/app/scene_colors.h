// Colours for the first representations: CPK-like elements with carbons tinted by chain
// (as Mol*'s default), and a calm chain palette. Packed RGBA8 little-endian (R in the low byte).
#pragma once
#include <cstdint>

namespace foldsight {

inline uint32_t rgba(uint8_t r, uint8_t g, uint8_t b) { return uint32_t(r) | uint32_t(g) << 8 | uint32_t(b) << 16 | 0xff000000u; }

inline uint32_t chain_color(uint32_t chain) {
  static const uint32_t kPalette[] = {rgba(0x1f, 0x77, 0xb4), rgba(0xff, 0x7f, 0x0e), rgba(0x2c, 0xa0, 0x2c),
                                      rgba(0xd6, 0x27, 0x28), rgba(0x94, 0x67, 0xbd), rgba(0x8c, 0x56, 0x4b),
                                      rgba(0xe3, 0x77, 0xc2), rgba(0x17, 0xbe, 0xcf), rgba(0xbc, 0xbd, 0x22)};
  return kPalette[chain % (sizeof(kPalette) / sizeof(kPalette[0]))];
}

inline uint32_t element_color(uint8_t z, uint32_t chain) {
  switch (z) {
    case 6: {  // carbon: a light tint of the chain colour
      uint32_t c = chain_color(chain);
      uint8_t r = uint8_t(((c & 0xff) + 0xd0) / 2), g = uint8_t((((c >> 8) & 0xff) + 0xd0) / 2),
              b = uint8_t((((c >> 16) & 0xff) + 0xd0) / 2);
      return rgba(r, g, b);
    }
    case 1: return rgba(0xf0, 0xf0, 0xf0);
    case 7: return rgba(0x30, 0x50, 0xf8);
    case 8: return rgba(0xff, 0x0d, 0x0d);
    case 16: return rgba(0xff, 0xc8, 0x32);
    case 15: return rgba(0xff, 0x80, 0x00);
    case 26: return rgba(0xe0, 0x66, 0x33);
    case 34: return rgba(0xff, 0xa1, 0x00);
    default: return rgba(0xc0, 0x60, 0xc0);
  }
}

}  // namespace foldsight
