#include "geometry/color_scheme.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>

namespace foldsight {

namespace {

uint32_t lerp_color(uint32_t a, uint32_t b, float t) {
  t = std::min(1.0f, std::max(0.0f, t));
  uint32_t out = 0xFF000000u;
  for (int k = 0; k < 3; ++k) {
    float ca = float((a >> (8 * k)) & 0xFF), cb = float((b >> (8 * k)) & 0xFF);
    out |= uint32_t(std::lround(ca + (cb - ca) * t)) << (8 * k);
  }
  return out;
}

// Three-stop ramp: t in [0,1] through lo → mid → hi.
uint32_t ramp3(uint32_t lo, uint32_t mid, uint32_t hi, float t) {
  return t < 0.5f ? lerp_color(lo, mid, t * 2) : lerp_color(mid, hi, (t - 0.5f) * 2);
}

// Calm, well separated chain palette (pastel-leaning, like Mol*'s default chain-id look).
const uint32_t kChainPalette[] = {
    0x5B9BD5, 0xED7D31, 0x70AD47, 0xFFC000, 0x9E7CC1, 0x4BACC6, 0xE06C75, 0x8FBC8F,
    0xC49A6C, 0x7F8FD6, 0xD98CB3, 0x6CB3A3, 0xB5A642, 0xA0A0C8, 0xE8A07A, 0x7DA0B4};

bool name_is(const ResName& r, const char* s) { return std::strcmp(r.data(), s) == 0; }

struct ResColor { const char* name; uint32_t hex; };
// Jmol / Mol* "residue-name" colours.
const ResColor kResidueColors[] = {
    {"ALA", 0x8CFF8C}, {"ARG", 0x00007C}, {"ASN", 0xFF7C70}, {"ASP", 0xA00042},
    {"CYS", 0xFFFF70}, {"GLN", 0xFF4C4C}, {"GLU", 0x660000}, {"GLY", 0xFFFFFF},
    {"HIS", 0x7070FF}, {"ILE", 0x004C00}, {"LEU", 0x455E45}, {"LYS", 0x4747B8},
    {"MET", 0xB8A042}, {"PHE", 0x534C52}, {"PRO", 0x525252}, {"SER", 0xFF7042},
    {"THR", 0xB84C00}, {"TRP", 0x4F4600}, {"TYR", 0x8C704C}, {"VAL", 0xFF8CFF},
    {"MSE", 0xB8A042}, {"A", 0xA0A0FF},   {"C", 0xFF8C4B},   {"G", 0xFF7070},
    {"U", 0xFF8080},   {"DA", 0xA0A0FF},  {"DC", 0xFF8C4B},  {"DG", 0xFF7070},
    {"DT", 0xA0FFA0}};
constexpr uint32_t kOtherResidue = 0xBEA06E;

// Kyte–Doolittle hydropathy.
struct Hydro { char one; float kd; };
const Hydro kKyteDoolittle[] = {
    {'I', 4.5f},  {'V', 4.2f},  {'L', 3.8f},  {'F', 2.8f},  {'C', 2.5f},
    {'M', 1.9f},  {'A', 1.8f},  {'G', -0.4f}, {'T', -0.7f}, {'S', -0.8f},
    {'W', -0.9f}, {'Y', -1.3f}, {'P', -1.6f}, {'H', -3.2f}, {'E', -3.5f},
    {'Q', -3.5f}, {'D', -3.5f}, {'N', -3.5f}, {'K', -3.9f}, {'R', -4.5f}};
constexpr uint32_t kHydrophilic = 0x3A8FB7, kHydroNeutral = 0xF2F2F2, kHydrophobic = 0xE08A3C;
constexpr uint32_t kNonProtein = 0xB0B0B0;

bool kyte_doolittle(const ResName& r, float* kd) {
  if (!is_amino_acid(r)) return false;
  char c = one_letter_code(r);
  for (const Hydro& h : kKyteDoolittle)
    if (h.one == c) { *kd = h.kd; return true; }
  return false;
}

// Blue → white → red, as Mol*'s "uncertainty"/B-factor look.
constexpr uint32_t kBLow = 0x2C7BB6, kBMid = 0xF7F7F7, kBHigh = 0xD7191C;

void bfactor_range(const Structure& s, float* lo, float* hi) {
  std::vector<float> b(s.b_factor);
  if (b.empty()) { *lo = 0; *hi = 1; return; }
  size_t i5 = b.size() * 5 / 100, i95 = std::min(b.size() - 1, b.size() * 95 / 100);
  std::nth_element(b.begin(), b.begin() + i5, b.end());
  *lo = b[i5];
  std::nth_element(b.begin(), b.begin() + i95, b.end());
  *hi = b[i95];
  if (*hi - *lo < 1e-3f) *hi = *lo + 1;
}

// Rainbow N→C: violet-blue → cyan → green → yellow → red (hue 240° → 0°).
uint32_t rainbow(float t) {
  t = std::min(1.0f, std::max(0.0f, t));
  float h = (1 - t) * 240.0f / 60.0f;
  int i = int(h);
  float f = h - i;
  float r, g, b;
  // Saturation 0.75 / value 0.95 keeps it calmer than a pure HSV wheel.
  const float v = 0.95f, s = 0.75f, p = v * (1 - s), q = v * (1 - s * f), u = v * (1 - s * (1 - f));
  switch (i) {
    case 0: r = v; g = u; b = p; break;
    case 1: r = q; g = v; b = p; break;
    case 2: r = p; g = v; b = u; break;
    case 3: r = p; g = q; b = v; break;
    default: r = u; g = p; b = v; break;
  }
  return rgb((uint32_t(r * 255) << 16) | (uint32_t(g * 255) << 8) | uint32_t(b * 255));
}

std::string fmt1(float v) {
  char buf[32];
  std::snprintf(buf, sizeof buf, "%.1f", v);
  return buf;
}

}  // namespace

uint32_t element_color(uint8_t z) {
  switch (z) {
    case 1: return rgb(0xFFFFFF);
    case 6: return rgb(0x909090);
    case 7: return rgb(0x3050F8);
    case 8: return rgb(0xFF0D0D);
    case 9: return rgb(0x90E050);
    case 11: return rgb(0xAB5CF2);
    case 12: return rgb(0x8AFF00);
    case 15: return rgb(0xFF8000);
    case 16: return rgb(0xFFFF30);
    case 17: return rgb(0x1FF01F);
    case 19: return rgb(0x8F40D4);
    case 20: return rgb(0x3DFF00);
    case 25: return rgb(0x9C7AC7);
    case 26: return rgb(0xE06633);
    case 27: return rgb(0xF090A0);
    case 28: return rgb(0x50D050);
    case 29: return rgb(0xC88033);
    case 30: return rgb(0x7D80B0);
    case 34: return rgb(0xFFA100);
    case 35: return rgb(0xA62929);
    case 53: return rgb(0x940094);
    default: return rgb(0xFF1493);  // unknown: Jmol's pink, deliberately visible
  }
}

uint32_t chain_color(size_t chain_index) {
  return rgb(kChainPalette[chain_index % (sizeof(kChainPalette) / sizeof(kChainPalette[0]))]);
}

uint32_t secondary_structure_color(SSCode c) {
  switch (c) {
    case 'H': return rgb(0xFF0080);  // alpha helix (Mol*)
    case 'G': return rgb(0xA00080);  // 3-10 helix
    case 'I': return rgb(0x600080);  // pi helix
    case 'E': return rgb(0xFFC800);  // strand
    case 'B': return rgb(0xFFC800);
    case 'T': return rgb(0x6080FF);  // turn
    default: return rgb(0xF0F0F0);   // coil: near white, as Mol*
  }
}

uint32_t plddt_color(float p) {
  if (p > 90) return rgb(0x0053D6);
  if (p > 70) return rgb(0x65CBF3);
  if (p > 50) return rgb(0xFFDB13);
  return rgb(0xFF7D45);
}

const char* color_scheme_name(ColorScheme scheme) {
  switch (scheme) {
    case ColorScheme::Element: return "element";
    case ColorScheme::Chain: return "chain";
    case ColorScheme::ResidueType: return "residue-type";
    case ColorScheme::SecondaryStructure: return "secondary-structure";
    case ColorScheme::BFactor: return "b-factor";
    case ColorScheme::Plddt: return "plddt";
    case ColorScheme::Hydrophobicity: return "hydrophobicity";
    case ColorScheme::Rainbow: return "rainbow";
    case ColorScheme::Uniform: return "uniform";
  }
  return "?";
}

std::vector<uint32_t> color_atoms(const Structure& s, ColorScheme scheme, uint32_t uniform_rgba) {
  const size_t n = s.atom_count();
  std::vector<uint32_t> out(n, uniform_rgba);
  auto chain_of = [&](size_t a) { return s.res_chain[s.atom_residue[a]]; };
  switch (scheme) {
    case ColorScheme::Uniform:
      break;
    case ColorScheme::Element:
      for (size_t a = 0; a < n; ++a)
        out[a] = s.element[a] == 6 ? chain_color(chain_of(a)) : element_color(s.element[a]);
      break;
    case ColorScheme::Chain:
      for (size_t a = 0; a < n; ++a) out[a] = chain_color(chain_of(a));
      break;
    case ColorScheme::ResidueType: {
      std::vector<uint32_t> rc(s.residue_count(), rgb(kOtherResidue));
      for (size_t r = 0; r < rc.size(); ++r)
        for (const ResColor& c : kResidueColors)
          if (name_is(s.res_name[r], c.name)) { rc[r] = rgb(c.hex); break; }
      for (size_t a = 0; a < n; ++a) out[a] = rc[s.atom_residue[a]];
      break;
    }
    case ColorScheme::SecondaryStructure:
      for (size_t a = 0; a < n; ++a) {
        uint32_t r = s.atom_residue[a];
        const ResName& rn = s.res_name[r];
        if (is_nucleotide(rn))
          out[a] = rn[0] == 'D' ? rgb(0xAE00FE) : rgb(0xFD0162);  // DNA / RNA as Mol*
        else if (!is_amino_acid(rn))
          out[a] = element_color(s.element[a]) == rgb(0x909090) ? rgb(0x909090)
                                                                 : element_color(s.element[a]);
        else
          out[a] = secondary_structure_color(r < s.ss.size() ? s.ss[r] : '-');
      }
      break;
    case ColorScheme::BFactor: {
      float lo, hi;
      bfactor_range(s, &lo, &hi);
      for (size_t a = 0; a < n; ++a)
        out[a] = ramp3(rgb(kBLow), rgb(kBMid), rgb(kBHigh), (s.b_factor[a] - lo) / (hi - lo));
      break;
    }
    case ColorScheme::Plddt:
      for (size_t a = 0; a < n; ++a) out[a] = plddt_color(s.b_factor[a]);
      break;
    case ColorScheme::Hydrophobicity: {
      for (size_t a = 0; a < n; ++a) {
        float kd;
        out[a] = kyte_doolittle(s.res_name[s.atom_residue[a]], &kd)
                     ? ramp3(rgb(kHydrophilic), rgb(kHydroNeutral), rgb(kHydrophobic), (kd + 4.5f) / 9.0f)
                     : rgb(kNonProtein);
      }
      break;
    }
    case ColorScheme::Rainbow: {
      std::vector<uint32_t> rc(s.residue_count());
      for (size_t c = 0; c < s.chain_count(); ++c) {
        uint32_t b = s.chain_res_begin[c], e = s.chain_res_begin[c + 1];
        // Ligands / waters at the end of a chain would stretch the ramp; rank polymer residues only.
        uint32_t polymer = 0;
        for (uint32_t r = b; r < e; ++r)
          if (is_amino_acid(s.res_name[r]) || is_nucleotide(s.res_name[r])) ++polymer;
        uint32_t k = 0;
        for (uint32_t r = b; r < e; ++r) {
          bool poly = is_amino_acid(s.res_name[r]) || is_nucleotide(s.res_name[r]);
          rc[r] = poly ? rainbow(polymer > 1 ? float(k++) / float(polymer - 1) : 0.0f) : rgb(kNonProtein);
        }
      }
      for (size_t a = 0; a < n; ++a) out[a] = rc[s.atom_residue[a]];
      break;
    }
  }
  return out;
}

std::vector<LegendEntry> color_legend(const Structure& s, ColorScheme scheme, uint32_t uniform_rgba) {
  std::vector<LegendEntry> out;
  switch (scheme) {
    case ColorScheme::Uniform:
      out.push_back({"all", uniform_rgba});
      break;
    case ColorScheme::Element: {
      bool seen[256] = {};
      for (uint8_t z : s.element) seen[z] = true;
      for (int z = 1; z < 256; ++z)
        if (seen[z] && z != 6) out.push_back({element_symbol(uint8_t(z)), element_color(uint8_t(z))});
      if (seen[6]) out.push_back({"C (chain colour)", chain_color(0)});
      break;
    }
    case ColorScheme::Chain:
      for (size_t c = 0; c < s.chain_count(); ++c) {
        bool dup = false;  // chains repeat per model; list each id once
        for (const LegendEntry& e : out) dup |= e.label == s.chain_auth[c];
        if (!dup) out.push_back({s.chain_auth[c], chain_color(c)});
      }
      break;
    case ColorScheme::ResidueType: {
      for (const ResColor& c : kResidueColors) {
        bool present = false;
        for (const ResName& r : s.res_name)
          if (name_is(r, c.name)) { present = true; break; }
        if (present) out.push_back({c.name, rgb(c.hex)});
      }
      out.push_back({"other", rgb(kOtherResidue)});
      break;
    }
    case ColorScheme::SecondaryStructure:
      out = {{"alpha helix", secondary_structure_color('H')},
             {"3-10 helix", secondary_structure_color('G')},
             {"pi helix", secondary_structure_color('I')},
             {"strand", secondary_structure_color('E')},
             {"turn", secondary_structure_color('T')},
             {"coil", secondary_structure_color('-')},
             {"DNA", rgb(0xAE00FE)},
             {"RNA", rgb(0xFD0162)}};
      break;
    case ColorScheme::BFactor: {
      float lo, hi;
      bfactor_range(s, &lo, &hi);
      out = {{fmt1(lo), rgb(kBLow)}, {fmt1((lo + hi) / 2), rgb(kBMid)}, {fmt1(hi), rgb(kBHigh)}};
      break;
    }
    case ColorScheme::Plddt:
      out = {{"very high (> 90)", plddt_color(95)},
             {"confident (70-90)", plddt_color(80)},
             {"low (50-70)", plddt_color(60)},
             {"very low (< 50)", plddt_color(40)}};
      break;
    case ColorScheme::Hydrophobicity:
      out = {{"hydrophilic (-4.5)", rgb(kHydrophilic)},
             {"neutral", rgb(kHydroNeutral)},
             {"hydrophobic (+4.5)", rgb(kHydrophobic)},
             {"non-protein", rgb(kNonProtein)}};
      break;
    case ColorScheme::Rainbow:
      out = {{"N-terminus", rainbow(0)}, {"middle", rainbow(0.5f)}, {"C-terminus", rainbow(1)}};
      break;
  }
  return out;
}

}  // namespace foldsight
