// Shared helpers for the geometry tests: load real structures, simple checks on meshes.
#pragma once
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include "core/io.h"
#include "core/structure.h"
#include "geometry/mesh.h"

namespace foldsight_test {

inline bool load(const char* path, foldsight::Structure& s) {
  std::ifstream f(path, std::ios::binary);
  if (!f) return false;
  std::stringstream ss;
  ss << f.rdbuf();
  std::string text = ss.str();
  foldsight::ParseError err;
  return foldsight::read_pdb(text, s, &err);
}

inline const char* k1hpv = "/usr/share/pymol/data/tut/1hpv.pdb";

inline int find_atom(const foldsight::Structure& s, const char* chain, int seq, const char* name) {
  for (size_t a = 0; a < s.atom_count(); ++a) {
    uint32_t r = s.atom_residue[a];
    if (s.seq_id[r] == seq && s.chain_auth[s.res_chain[r]] == chain &&
        std::strcmp(s.atom_name[a].data(), name) == 0)
      return int(a);
  }
  return -1;
}

// Covalent bonds by distance within residues and peptide C–N links: enough for the builders'
// tests without depending on core's compute_bonds.
inline void simple_bonds(foldsight::Structure& s) {
  s.bonds.clear();
  for (size_t r = 0; r < s.residue_count(); ++r) {
    uint32_t b = s.res_atom_begin[r], e = s.res_atom_begin[r + 1];
    for (uint32_t i = b; i < e; ++i)
      for (uint32_t j = i + 1; j < e; ++j) {
        float dx = s.x[i] - s.x[j], dy = s.y[i] - s.y[j], dz = s.z[i] - s.z[j];
        float lim = foldsight::covalent_radius(s.element[i]) + foldsight::covalent_radius(s.element[j]) + 0.4f;
        if (dx * dx + dy * dy + dz * dz < lim * lim) s.bonds.push_back({i, j});
      }
  }
}

// Number of edges used by other than exactly two triangles (0 for a closed 2-manifold).
inline size_t open_edges(const foldsight::Mesh& m) {
  std::vector<uint64_t> edges;
  edges.reserve(m.indices.size());
  for (size_t t = 0; t + 2 < m.indices.size(); t += 3)
    for (int k = 0; k < 3; ++k) {
      uint64_t a = m.indices[t + k], b = m.indices[t + (k + 1) % 3];
      edges.push_back(a < b ? (a << 32 | b) : (b << 32 | a));
    }
  std::sort(edges.begin(), edges.end());
  size_t bad = 0;
  for (size_t i = 0; i < edges.size();) {
    size_t j = i;
    while (j < edges.size() && edges[j] == edges[i]) ++j;
    bad += (j - i) != 2;
    i = j;
  }
  return bad;
}

inline double mesh_area(const foldsight::Mesh& m) {
  double area = 0;
  const float* p = m.positions.data();
  for (size_t t = 0; t + 2 < m.indices.size(); t += 3) {
    const float *a = p + 3 * m.indices[t], *b = p + 3 * m.indices[t + 1], *c = p + 3 * m.indices[t + 2];
    double u[3] = {b[0] - a[0], b[1] - a[1], b[2] - a[2]}, v[3] = {c[0] - a[0], c[1] - a[1], c[2] - a[2]};
    double x = u[1] * v[2] - u[2] * v[1], y = u[2] * v[0] - u[0] * v[2], z = u[0] * v[1] - u[1] * v[0];
    area += 0.5 * std::sqrt(x * x + y * y + z * z);
  }
  return area;
}

// Signed volume (divergence theorem): positive when triangles face outwards.
inline double mesh_volume(const foldsight::Mesh& m) {
  double vol = 0;
  const float* p = m.positions.data();
  for (size_t t = 0; t + 2 < m.indices.size(); t += 3) {
    const float *a = p + 3 * m.indices[t], *b = p + 3 * m.indices[t + 1], *c = p + 3 * m.indices[t + 2];
    vol += (double(a[0]) * (double(b[1]) * c[2] - double(b[2]) * c[1]) -
            double(a[1]) * (double(b[0]) * c[2] - double(b[2]) * c[0]) +
            double(a[2]) * (double(b[0]) * c[1] - double(b[1]) * c[0])) / 6.0;
  }
  return vol;
}

// Largest deviation of any normal's length from 1, and whether every index is in range.
inline float worst_normal(const foldsight::Mesh& m) {
  float worst = 0;
  for (size_t i = 0; i + 2 < m.normals.size(); i += 3) {
    float l = std::sqrt(m.normals[i] * m.normals[i] + m.normals[i + 1] * m.normals[i + 1] +
                        m.normals[i + 2] * m.normals[i + 2]);
    worst = std::max(worst, std::fabs(l - 1.0f));
  }
  return worst;
}
inline bool indices_in_range(const foldsight::Mesh& m) {
  for (uint32_t i : m.indices)
    if (i >= m.vertex_count()) return false;
  return m.colors.size() == m.vertex_count() && m.atom_ids.size() == m.vertex_count() &&
         m.normals.size() == m.positions.size();
}

}  // namespace foldsight_test
