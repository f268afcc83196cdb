#include "geometry/residue_plots.h"
#include <algorithm>
#include <cmath>
#include <array>
#include <unordered_map>
#include "geometry/measure.h"

namespace foldsight {

std::vector<float> residue_values(const Structure& s) {
  size_t n = s.residue_count();
  if (s.res_confidence.size() == n && n > 0) return s.res_confidence;
  std::vector<float> v(n, 0.0f);
  for (uint32_t r = 0; r < n; ++r) {
    uint32_t a = find_residue_atom(s, r, "CA");
    if (a == UINT32_MAX && s.res_atom_begin[r] < s.res_atom_begin[r + 1]) a = s.res_atom_begin[r];
    if (a != UINT32_MAX) v[r] = s.b_factor[a];
  }
  return v;
}

bool looks_like_prediction(const Structure& s) {
  if (!s.res_confidence.empty()) return true;
  if (s.atom_count() == 0) return false;
  float lo = s.b_factor[0], hi = s.b_factor[0];
  for (uint32_t r = 0; r < s.residue_count(); ++r) {
    uint32_t begin = s.res_atom_begin[r], end = s.res_atom_begin[r + 1];
    for (uint32_t a = begin; a < end; ++a) {
      float b = s.b_factor[a];
      if (b < 0.0f || b > 100.0f) return false;
      if (std::fabs(b - s.b_factor[begin]) > 0.01f) return false;  // refined B varies within a residue
      lo = std::min(lo, b), hi = std::max(hi, b);
    }
  }
  return hi - lo > 0.01f;
}

std::vector<uint32_t> chain_plot_residues(const Structure& s, uint32_t chain) {
  std::vector<uint32_t> out;
  for (uint32_t r = s.chain_res_begin[chain]; r < s.chain_res_begin[chain + 1]; ++r)
    if (is_amino_acid(s.res_name[r]) && find_residue_atom(s, r, "CA") != UINT32_MAX) out.push_back(r);
  return out;
}

const std::vector<RamaRegion>& ramachandran_regions() {
  static const std::vector<RamaRegion> regions = {
      {"alpha (right-handed)",
       {-155, -45, -120, -65, -75, -70, -45, -60, -35, -40, -45, -20, -60, -5, -95, 0, -125, -15}},
      {"beta", {-180, 180, -45, 180, -50, 140, -60, 120, -80, 100, -110, 100, -150, 110, -180, 120}},
      {"beta", {-180, -180, -45, -180, -55, -165, -180, -165}},  // the same region across the psi wrap
      {"alpha (left-handed)", {45, 15, 65, 20, 75, 45, 70, 75, 55, 80, 45, 55, 40, 30}},
  };
  return regions;
}

int ramachandran_region_of(float phi, float psi) {
  const auto& regions = ramachandran_regions();
  for (size_t k = 0; k < regions.size(); ++k) {
    const std::vector<float>& p = regions[k].xy;
    size_t n = p.size() / 2;
    bool inside = false;
    for (size_t i = 0, j = n - 1; i < n; j = i++) {
      float xi = p[2 * i], yi = p[2 * i + 1], xj = p[2 * j], yj = p[2 * j + 1];
      if ((yi > psi) != (yj > psi) && phi < (xj - xi) * (psi - yi) / (yj - yi) + xi) inside = !inside;
    }
    if (inside) return int(k);
  }
  return -1;
}

ContactMapImage contact_map_image(const Structure& s, uint32_t model, float cutoff, int max_bins) {
  ContactMapImage img;
  if (model >= s.model_count()) return img;
  std::vector<int32_t> axis(s.residue_count(), -1);
  for (uint32_t c = s.model_chain_begin[model]; c < s.model_chain_begin[model + 1]; ++c)
    for (uint32_t r : chain_plot_residues(s, c)) {
      axis[r] = int32_t(img.residues.size());
      img.residues.push_back(r);
    }
  size_t n = img.residues.size();
  img.bins = int(std::min<size_t>(n, size_t(std::max(max_bins, 1))));
  img.counts.assign(size_t(img.bins) * size_t(img.bins), 0);
  if (n == 0) return img;
  for (size_t i = 0; i < n; ++i) {  // the diagonal
    int b = contact_bin(i, n, img.bins);
    ++img.counts[size_t(b) * size_t(img.bins) + size_t(b)];
  }
  // One uniform grid (cell = cut-off) over all CA atoms of the model: linear in residues,
  // where a per-chain-pair search (model_contacts) is quadratic in the number of chains.
  if (!(cutoff > 0)) return img;
  std::vector<Vec3> ca(n);
  Vec3 lo(1e30f, 1e30f, 1e30f);
  for (size_t i = 0; i < n; ++i) {
    ca[i] = atom_position(s, find_residue_atom(s, img.residues[i], "CA"));
    lo = Vec3(std::min(lo.x, ca[i].x), std::min(lo.y, ca[i].y), std::min(lo.z, ca[i].z));
  }
  auto cell_of = [&](const Vec3& p) {
    return std::array<int, 3>{int((p.x - lo.x) / cutoff), int((p.y - lo.y) / cutoff), int((p.z - lo.z) / cutoff)};
  };
  std::unordered_map<uint64_t, std::vector<uint32_t>> grid;
  auto key = [](int x, int y, int z) { return (uint64_t(uint32_t(x)) << 42) ^ (uint64_t(uint32_t(y)) << 21) ^ uint64_t(uint32_t(z)); };
  for (size_t i = 0; i < n; ++i) {
    auto c = cell_of(ca[i]);
    grid[key(c[0], c[1], c[2])].push_back(uint32_t(i));
  }
  const float c2 = cutoff * cutoff;
  for (size_t i = 0; i < n; ++i) {
    auto c = cell_of(ca[i]);
    int bi = contact_bin(i, n, img.bins);
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          auto it = grid.find(key(c[0] + dx, c[1] + dy, c[2] + dz));
          if (it == grid.end()) continue;
          for (uint32_t j : it->second) {
            if (j <= i) continue;
            Vec3 d = ca[i] - ca[j];
            if (dot(d, d) > c2) continue;
            ++img.contact_pairs;
            int bj = contact_bin(j, n, img.bins);
            ++img.counts[size_t(bi) * size_t(img.bins) + size_t(bj)];
            if (bi != bj) ++img.counts[size_t(bj) * size_t(img.bins) + size_t(bi)];
          }
        }
  }
  return img;
}

}  // namespace foldsight
