#include "sasa.h"
#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace foldsight {

std::vector<float> golden_spiral(int n) {
  std::vector<float> p;
  if (n <= 0) return p;
  p.reserve(size_t(n) * 3);
  const double golden_angle = 3.14159265358979323846 * (3.0 - std::sqrt(5.0));
  for (int k = 0; k < n; ++k) {
    double z = 1.0 - (2.0 * k + 1.0) / n;
    double r = std::sqrt(std::max(0.0, 1.0 - z * z));
    double phi = golden_angle * k;
    p.push_back(float(r * std::cos(phi)));
    p.push_back(float(r * std::sin(phi)));
    p.push_back(float(z));
  }
  return p;
}

namespace {
uint64_t cell_key(int x, int y, int z) {
  return (uint64_t(uint32_t(x) & 0x1FFFFF) << 42) | (uint64_t(uint32_t(y) & 0x1FFFFF) << 21) |
         uint64_t(uint32_t(z) & 0x1FFFFF);
}
}  // namespace

SasaResult shrake_rupley(const Structure& s, uint32_t model, const SasaOptions& opt) {
  SasaResult res;
  res.atom.assign(s.atom_count(), 0.f);
  res.residue.assign(s.residue_count(), 0.f);
  if (model >= s.model_count()) return res;

  // Atoms taken part: the model's residues, filtered, first conformer only.
  std::vector<uint32_t> idx;
  std::vector<float> rad;
  uint32_t r0 = s.chain_res_begin[s.model_chain_begin[model]];
  uint32_t r1 = s.chain_res_begin[s.model_chain_begin[model + 1]];
  for (uint32_t r = r0; r < r1; ++r) {
    bool water = is_water(s.res_name[r]);
    if (water && !opt.include_water) continue;
    if (!water && s.het[r] && !opt.include_hetero) continue;
    char first_alt = ' ';
    for (uint32_t i = s.res_atom_begin[r]; i < s.res_atom_begin[r + 1]; ++i) {
      if (s.element[i] == 1 && !opt.include_hydrogens) continue;
      char alt = s.altloc[i];
      if (alt != ' ') {
        if (first_alt == ' ') first_alt = alt;
        if (alt != first_alt) continue;
      }
      float v = opt.radii && i < opt.radii->size() && (*opt.radii)[i] > 0 ? (*opt.radii)[i]
                                                                          : vdw_radius(s.element[i]);
      idx.push_back(i);
      rad.push_back(v + opt.probe);
    }
  }
  size_t n = idx.size();
  if (n == 0) return res;

  float rmax = *std::max_element(rad.begin(), rad.end());
  float cell = 2 * rmax;  // any overlapping pair is in adjacent cells
  auto cidx = [cell](float v) { return int(std::floor(v / cell)); };
  std::unordered_map<uint64_t, std::vector<uint32_t>> grid;
  grid.reserve(n / 4 + 1);
  for (uint32_t k = 0; k < n; ++k) {
    uint32_t i = idx[k];
    grid[cell_key(cidx(s.x[i]), cidx(s.y[i]), cidx(s.z[i]))].push_back(k);
  }

  std::vector<float> sphere = golden_spiral(std::max(opt.points, 1));
  int np = int(sphere.size() / 3);
  const double four_pi = 4 * 3.14159265358979323846;
  // Neighbour positions are copied next to each other: the inner loop is the hot spot.
  std::vector<float> nx, ny, nz, nr2;
  for (uint32_t k = 0; k < n; ++k) {
    uint32_t i = idx[k];
    float xi = s.x[i], yi = s.y[i], zi = s.z[i], ri = rad[k];
    nx.clear(); ny.clear(); nz.clear(); nr2.clear();
    int cx = cidx(xi), cy = cidx(yi), cz = cidx(zi);
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          auto it = grid.find(cell_key(cx + dx, cy + dy, cz + dz));
          if (it == grid.end()) continue;
          for (uint32_t m : it->second) {
            if (m == k) continue;
            uint32_t j = idx[m];
            float ex = s.x[j] - xi, ey = s.y[j] - yi, ez = s.z[j] - zi;
            float lim = ri + rad[m];
            if (ex * ex + ey * ey + ez * ez >= lim * lim) continue;
            nx.push_back(ex); ny.push_back(ey); nz.push_back(ez);
            nr2.push_back(rad[m] * rad[m]);
          }
        }
    int free_points = 0;
    size_t last = 0;  // the last occluding neighbour usually also hides the next point
    size_t nn = nx.size();
    for (int p = 0; p < np; ++p) {
      float px = sphere[3 * p] * ri, py = sphere[3 * p + 1] * ri, pz = sphere[3 * p + 2] * ri;
      bool buried = false;
      if (nn > 0) {
        float ex = px - nx[last], ey = py - ny[last], ez = pz - nz[last];
        buried = ex * ex + ey * ey + ez * ez < nr2[last];
      }
      for (size_t m = 0; m < nn && !buried; ++m) {
        float ex = px - nx[m], ey = py - ny[m], ez = pz - nz[m];
        if (ex * ex + ey * ey + ez * ez < nr2[m]) {
          buried = true;
          last = m;
        }
      }
      free_points += !buried;
    }
    float area = float(four_pi * ri * ri * free_points / np);
    res.atom[i] = area;
    res.residue[s.atom_residue[i]] += area;
    res.total += area;
  }
  return res;
}

}  // namespace foldsight
