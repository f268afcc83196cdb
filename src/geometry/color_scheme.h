// Per-atom colouring for every representation, plus the legend the UI shows next to it.
// Colours are RGBA8 packed little-endian: 0xAABBGGRR, so the bytes in memory are R,G,B,A.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "core/structure.h"

namespace foldsight {

enum class ColorScheme {
  Element,            // CPK-like; carbons take the chain colour (Mol* default look)
  Chain,
  ResidueType,
  SecondaryStructure,
  BFactor,            // blue (low) → white → red (high), 5th–95th percentile range
  Plddt,              // AlphaFold bands read from the B-factor column
  Hydrophobicity,     // Kyte–Doolittle, hydrophilic teal → hydrophobic orange
  Rainbow,            // N→C per chain
  Uniform,
};

// 0xRRGGBB (as written in palettes) → packed RGBA8 with alpha 255.
constexpr uint32_t rgb(uint32_t hex) {
  return ((hex >> 16) & 0xFFu) | (hex & 0xFF00u) | ((hex & 0xFFu) << 16) | 0xFF000000u;
}

std::vector<uint32_t> color_atoms(const Structure& s, ColorScheme scheme,
                                  uint32_t uniform_rgba = rgb(0xB0B0B0));

struct LegendEntry {
  std::string label;
  uint32_t rgba;
};
std::vector<LegendEntry> color_legend(const Structure& s, ColorScheme scheme,
                                      uint32_t uniform_rgba = rgb(0xB0B0B0));

// Individual palettes, exposed for tests and for the UI's pickers.
uint32_t element_color(uint8_t z);
uint32_t chain_color(size_t chain_index);
uint32_t secondary_structure_color(SSCode code);
uint32_t plddt_color(float plddt);
const char* color_scheme_name(ColorScheme scheme);

}  // namespace foldsight
