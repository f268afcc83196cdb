#include "geometry/surface.h"

#include <algorithm>
#include <cmath>

#include "geometry/vec3.h"

namespace foldsight {

namespace {

struct Grid {
  int nx = 0, ny = 0, nz = 0;
  float h = 1;
  Vec3 origin;
  std::vector<float> density, best;   // density; largest single-atom contribution
  std::vector<uint32_t> owner;        // atom of that largest contribution
  size_t idx(int x, int y, int z) const { return (size_t(z) * ny + y) * nx + x; }
  float at(int x, int y, int z) const { return density[idx(x, y, z)]; }
  Vec3 gradient(int x, int y, int z) const {
    auto c = [](int v, int n) { return std::min(n - 1, std::max(0, v)); };
    return Vec3(at(c(x + 1, nx), y, z) - at(c(x - 1, nx), y, z),
                at(x, c(y + 1, ny), z) - at(x, c(y - 1, ny), z),
                at(x, y, c(z + 1, nz)) - at(x, y, c(z - 1, nz)));
  }
};

// exp(-x) for x in [-k, cutoff]: fast enough and accurate to ~1e-7 relative via std::exp;
// the splat loop is dominated by memory traffic, not by exp.
void splat(const Structure& s, const std::vector<uint8_t>& mask, const SurfaceOptions& o, Grid& g) {
  const float k = o.smoothness;
  // Contributions below 1% of the iso level are dropped: d²/r² > 1 + ln(100)/k.
  const float cut_x = 1.0f + std::log(100.0f) / k;
  const float inv_h = 1.0f / g.h;
  for (size_t a = 0; a < s.atom_count(); ++a) {
    if (!mask[a]) continue;
    const float r = vdw_radius(s.element[a]) * o.radius_scale + o.radius_offset;
    const float inv_r2 = 1.0f / (r * r);
    const float rc = r * std::sqrt(cut_x);
    const float px = s.x[a], py = s.y[a], pz = s.z[a];
    int x0 = std::max(0, int(std::floor((px - rc - g.origin.x) * inv_h)));
    int x1 = std::min(g.nx - 1, int(std::ceil((px + rc - g.origin.x) * inv_h)));
    int y0 = std::max(0, int(std::floor((py - rc - g.origin.y) * inv_h)));
    int y1 = std::min(g.ny - 1, int(std::ceil((py + rc - g.origin.y) * inv_h)));
    int z0 = std::max(0, int(std::floor((pz - rc - g.origin.z) * inv_h)));
    int z1 = std::min(g.nz - 1, int(std::ceil((pz + rc - g.origin.z) * inv_h)));
    for (int z = z0; z <= z1; ++z) {
      float dz = g.origin.z + z * g.h - pz;
      for (int y = y0; y <= y1; ++y) {
        float dy = g.origin.y + y * g.h - py;
        float dyz = dy * dy + dz * dz;
        size_t row = g.idx(0, y, z);
        for (int x = x0; x <= x1; ++x) {
          float dx = g.origin.x + x * g.h - px;
          float q = (dx * dx + dyz) * inv_r2;
          if (q > cut_x) continue;
          float v = std::exp(-k * (q - 1.0f));
          size_t i = row + size_t(x);
          g.density[i] += v;
          if (v > g.best[i]) { g.best[i] = v; g.owner[i] = uint32_t(a); }
        }
      }
    }
  }
}

// Kuhn subdivision of the cube into 6 tetrahedra along the 0→7 diagonal; identical in every
// cube, so shared faces are split the same way on both sides and the result is watertight.
// Corner c has offset (c&1, c>>1&1, c>>2&1).
const int kTets[6][4] = {{0, 1, 3, 7}, {0, 1, 5, 7}, {0, 2, 3, 7},
                         {0, 2, 6, 7}, {0, 4, 5, 7}, {0, 4, 6, 7}};

}  // namespace

Mesh build_surface(const Structure& s, const std::vector<uint8_t>& mask,
                   const std::vector<uint32_t>& atom_colors, const SurfaceOptions& o) {
  Mesh mesh;
  Grid g;
  g.h = std::max(0.1f, o.grid_spacing);
  float lo[3] = {1e30f, 1e30f, 1e30f}, hi[3] = {-1e30f, -1e30f, -1e30f};
  float rmax = 0;
  size_t count = 0;
  for (size_t a = 0; a < s.atom_count(); ++a) {
    if (!mask[a]) continue;
    ++count;
    float p[3] = {s.x[a], s.y[a], s.z[a]};
    for (int k = 0; k < 3; ++k) { lo[k] = std::min(lo[k], p[k]); hi[k] = std::max(hi[k], p[k]); }
    rmax = std::max(rmax, vdw_radius(s.element[a]) * o.radius_scale + o.radius_offset);
  }
  if (!count) return mesh;
  // Padding: the iso surface can sit at most ~1.6 r from a centre at k = 1.5; two more cells
  // keep it off the border so the mesh stays closed.
  const float pad = rmax * std::sqrt(1.0f + std::log(100.0f) / o.smoothness) + 2 * g.h;
  g.origin = Vec3(lo[0] - pad, lo[1] - pad, lo[2] - pad);
  g.nx = int(std::ceil((hi[0] - lo[0] + 2 * pad) / g.h)) + 1;
  g.ny = int(std::ceil((hi[1] - lo[1] + 2 * pad) / g.h)) + 1;
  g.nz = int(std::ceil((hi[2] - lo[2] + 2 * pad) / g.h)) + 1;
  const size_t cells = size_t(g.nx) * g.ny * g.nz;
  g.density.assign(cells, 0.0f);
  g.best.assign(cells, 0.0f);
  g.owner.assign(cells, 0);
  splat(s, mask, o, g);
  const float iso = 1.0f;

  // Edge → vertex cache for two z-layers of edge origins: 8 directions per grid point.
  const size_t layer = size_t(g.nx) * g.ny * 8;
  std::vector<uint32_t> cache[2] = {std::vector<uint32_t>(layer, UINT32_MAX),
                                    std::vector<uint32_t>(layer, UINT32_MAX)};
  int cache_z[2] = {0, 1};

  auto edge_vertex = [&](int x, int y, int z, int dir) -> uint32_t {
    int slot = z == cache_z[0] ? 0 : 1;
    uint32_t& e = cache[slot][(size_t(y) * g.nx + x) * 8 + dir];
    if (e != UINT32_MAX) return e;
    int x1 = x + (dir & 1), y1 = y + ((dir >> 1) & 1), z1 = z + ((dir >> 2) & 1);
    float f0 = g.at(x, y, z), f1 = g.at(x1, y1, z1);
    float t = (iso - f0) / (f1 - f0);
    t = std::min(1.0f, std::max(0.0f, t));
    Vec3 p0 = g.origin + Vec3(float(x), float(y), float(z)) * g.h;
    Vec3 p1 = g.origin + Vec3(float(x1), float(y1), float(z1)) * g.h;
    Vec3 p = p0 + (p1 - p0) * t;
    Vec3 g0 = g.gradient(x, y, z), g1 = g.gradient(x1, y1, z1);
    Vec3 n = normalize(-(g0 + (g1 - g0) * t), normalize(p1 - p0) * (f0 > f1 ? 1.0f : -1.0f));
    // Owner from the inside end: it is the atom whose density made this point part of the surface.
    size_t src = f0 > f1 ? g.idx(x, y, z) : g.idx(x1, y1, z1);
    uint32_t atom = g.owner[src];
    e = uint32_t(mesh.vertex_count());
    mesh.positions.insert(mesh.positions.end(), {p.x, p.y, p.z});
    mesh.normals.insert(mesh.normals.end(), {n.x, n.y, n.z});
    mesh.colors.push_back(atom_colors[atom]);
    mesh.atom_ids.push_back(atom);
    return e;
  };

  for (int z = 0; z + 1 < g.nz; ++z) {
    if (z > 0) {  // slide the cache window: layer z+1 becomes new
      std::swap(cache[0], cache[1]);
      std::fill(cache[1].begin(), cache[1].end(), UINT32_MAX);
      cache_z[0] = z;
      cache_z[1] = z + 1;
    }
    for (int y = 0; y + 1 < g.ny; ++y) {
      for (int x = 0; x + 1 < g.nx; ++x) {
        float f[8];
        int inside = 0;
        for (int c = 0; c < 8; ++c) {
          f[c] = g.at(x + (c & 1), y + ((c >> 1) & 1), z + ((c >> 2) & 1));
          inside += f[c] > iso;
        }
        if (inside == 0 || inside == 8) continue;
        for (const auto& tet : kTets) {
          int in[4], out[4], ni = 0, no = 0;
          for (int v = 0; v < 4; ++v) (f[tet[v]] > iso ? in[ni++] : out[no++]) = tet[v];
          if (ni == 0 || no == 0) continue;
          // Corners of a Kuhn tetrahedron are nested bit sets, so every edge runs from the
          // smaller corner c along direction (c ^ d) with non-negative offsets.
          auto ev = [&](int c0, int c1) {
            int lo_c = c0 < c1 ? c0 : c1, hi_c = c0 < c1 ? c1 : c0;
            return edge_vertex(x + (lo_c & 1), y + ((lo_c >> 1) & 1), z + ((lo_c >> 2) & 1), lo_c ^ hi_c);
          };
          auto corner = [&](int c) { return Vec3(float(c & 1), float((c >> 1) & 1), float((c >> 2) & 1)); };
          Vec3 cin, cout;
          for (int i = 0; i < ni; ++i) cin += corner(in[i]);
          for (int i = 0; i < no; ++i) cout += corner(out[i]);
          const Vec3 outward = cout * (1.0f / no) - cin * (1.0f / ni);
          // Orientation from edge midpoints (never degenerate, unlike the interpolated points).
          auto mid = [&](int c0, int c1) { return (corner(c0) + corner(c1)) * 0.5f; };
          struct E { int a, b; };
          auto tri = [&](E e0, E e1, E e2) {
            Vec3 ma = mid(e0.a, e0.b), mb = mid(e1.a, e1.b), mc = mid(e2.a, e2.b);
            uint32_t a = ev(e0.a, e0.b), b = ev(e1.a, e1.b), c = ev(e2.a, e2.b);
            if (dot(cross(mb - ma, mc - ma), outward) < 0) std::swap(b, c);
            mesh.indices.insert(mesh.indices.end(), {a, b, c});
          };
          if (ni == 1) {
            tri({in[0], out[0]}, {in[0], out[1]}, {in[0], out[2]});
          } else if (no == 1) {
            tri({out[0], in[0]}, {out[0], in[1]}, {out[0], in[2]});
          } else {
            E a{in[0], out[0]}, b{in[0], out[1]}, c{in[1], out[1]}, d{in[1], out[0]};
            tri(a, b, c);
            tri(a, c, d);
          }
        }
      }
    }
  }
  return mesh;
}

}  // namespace foldsight
