#include <doctest/doctest.h>

#include <chrono>

#include "geometry/color_scheme.h"
#include "geometry/surface.h"
#include "test_geometry_common.h"

using namespace foldsight;
using namespace foldsight_test;

TEST_CASE("Gaussian surface of one atom is a closed sphere of its vdW radius") {
  Structure s;
  StructureBuilder b(s);
  b.begin_model(1);
  b.begin_chain("A", "A", "1");
  b.begin_residue(make_resname("CA", 2), 1, 1, ' ', true);
  b.add_atom(make_name4("C", 1), 6, ' ', 1.0f, 2.0f, 3.0f, 1, 10, 0, 1);
  b.finish();
  std::vector<uint8_t> mask(1, 1);
  std::vector<uint32_t> colors(1, rgb(0x336699));
  SurfaceOptions o;
  o.grid_spacing = 0.25f;
  Mesh m = build_surface(s, mask, colors, o);
  REQUIRE(m.triangle_count() > 100);
  CHECK(indices_in_range(m));
  CHECK(open_edges(m) == 0);
  const double r = 1.70;
  CHECK(mesh_area(m) == doctest::Approx(4 * M_PI * r * r).epsilon(0.04));
  CHECK(mesh_volume(m) == doctest::Approx(4.0 / 3.0 * M_PI * r * r * r).epsilon(0.04));
  size_t inward = 0, wrong_color = 0;
  for (size_t v = 0; v < m.vertex_count(); ++v) {
    wrong_color += m.colors[v] != rgb(0x336699);
    // Normals point away from the centre.
    float dx = m.positions[v * 3] - 1, dy = m.positions[v * 3 + 1] - 2, dz = m.positions[v * 3 + 2] - 3;
    inward += dx * m.normals[v * 3] + dy * m.normals[v * 3 + 1] + dz * m.normals[v * 3 + 2] <= 0;
  }
  CHECK(inward == 0);
  CHECK(wrong_color == 0);
}

TEST_CASE("surface of 1hpv is closed, outward, and colour-picks nearby atoms") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  std::vector<uint8_t> mask(s.atom_count(), 0);
  for (size_t a = 0; a < s.atom_count(); ++a) mask[a] = !is_water(s.res_name[s.atom_residue[a]]);
  auto colors = color_atoms(s, ColorScheme::Chain);
  auto t0 = std::chrono::steady_clock::now();
  Mesh m = build_surface(s, mask, colors);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("1hpv surface: " << m.vertex_count() << " vertices, " << m.triangle_count() << " triangles, " << ms << " ms");
  REQUIRE(m.triangle_count() > 1000);
  CHECK(indices_in_range(m));
  CHECK(worst_normal(m) < 1e-3f);
  CHECK(open_edges(m) == 0);
  double area = mesh_area(m), vol = mesh_volume(m);
  MESSAGE("area " << area << " Å², volume " << vol << " Å³");
  CHECK(vol > 0);  // triangles face outwards
  // Isoperimetric inequality: no closed surface encloses vol with less area than a sphere.
  CHECK(area > std::cbrt(36 * M_PI * vol * vol));
  // A dimer of 2 × 99 residues: protein volume ≈ 1.27 Å³/Da × ~21.5 kDa ≈ 27 000 Å³; the
  // Gaussian skin adds a bit. Accessible area of such a dimer is ~ 9 000–12 000 Å²; the
  // molecular surface is smaller than the accessible one.
  CHECK(vol > 20000);
  CHECK(vol < 45000);
  // The Gaussian skin (k = 1.5) is bumpier than a probe-rolled SES, so allow up to ~SASA.
  CHECK(area > 5000);
  CHECK(area < 16000);
  // Every vertex picks a masked atom within a few Å.
  float worst = 0;
  size_t unmasked = 0, wrong_color = 0;
  for (size_t v = 0; v < m.vertex_count(); ++v) {
    uint32_t a = m.atom_ids[v];
    unmasked += !mask[a];
    wrong_color += m.colors[v] != colors[a];
    float dx = m.positions[v * 3] - s.x[a], dy = m.positions[v * 3 + 1] - s.y[a], dz = m.positions[v * 3 + 2] - s.z[a];
    worst = std::max(worst, std::sqrt(dx * dx + dy * dy + dz * dz));
  }
  CHECK(unmasked == 0);
  CHECK(wrong_color == 0);
  CHECK(worst < 4.0f);
}

TEST_CASE("surface of ~30k atoms (tiled 1hpv) takes a few seconds at most") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  Structure big;
  const size_t copies = 30000 / s.atom_count() + 1;
  for (size_t c = 0; c < copies; ++c)
    for (size_t a = 0; a < s.atom_count(); ++a) {
      // 4 × 5 grid of touching copies: one large, irregular blob.
      big.x.push_back(s.x[a] + 45.0f * float(c % 4));
      big.y.push_back(s.y[a] + 45.0f * float(c / 4));
      big.z.push_back(s.z[a]);
      big.element.push_back(s.element[a]);
    }
  std::vector<uint8_t> mask(big.atom_count(), 1);
  std::vector<uint32_t> colors(big.atom_count(), rgb(0x808080));
  auto t0 = std::chrono::steady_clock::now();
  Mesh m = build_surface(big, mask, colors);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("surface of " << big.atom_count() << " atoms: " << ms << " ms, " << m.triangle_count() << " triangles");
  CHECK(open_edges(m) == 0);
  CHECK(mesh_volume(m) > 0);
}
