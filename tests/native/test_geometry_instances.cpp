#include <doctest/doctest.h>

#include <chrono>

#include "geometry/atom_instances.h"
#include "geometry/bounds.h"
#include "geometry/color_scheme.h"
#include "test_geometry_common.h"

using namespace foldsight;
using namespace foldsight_test;

TEST_CASE("spacefill: one sphere per masked atom with its vdW radius") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  auto colors = color_atoms(s, ColorScheme::Element);
  std::vector<uint8_t> mask(s.atom_count(), 0);
  for (size_t a = 0; a < s.atom_count(); ++a) mask[a] = s.res_chain[s.atom_residue[a]] == 0;
  size_t expected = 0;
  for (uint8_t m : mask) expected += m;
  SphereInstances sp = build_spacefill(s, mask, colors);
  REQUIRE(sp.size() == expected);
  REQUIRE(sp.xyzr.size() == expected * 4);
  int o = find_atom(s, "A", 1, "O");
  bool found = false;
  for (size_t i = 0; i < sp.size(); ++i) {
    CHECK(mask[sp.atom_ids[i]]);
    if (int(sp.atom_ids[i]) == o) {
      found = true;
      CHECK(sp.xyzr[i * 4 + 3] == doctest::Approx(1.52));
      CHECK(sp.xyzr[i * 4] == doctest::Approx(s.x[o]));
      CHECK(sp.colors[i] == rgb(0xFF0D0D));
    }
  }
  CHECK(found);
}

TEST_CASE("ball-and-stick and lines draw only bonds inside the selection") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  simple_bonds(s);
  REQUIRE(s.bonds.size() > s.atom_count() / 2);
  auto colors = color_atoms(s, ColorScheme::Element);
  std::vector<uint8_t> mask(s.atom_count(), 0);
  for (size_t a = 0; a < s.atom_count(); ++a) mask[a] = s.seq_id[s.atom_residue[a]] <= 10;
  size_t inside = 0;
  for (const Bond& b : s.bonds) inside += mask[b.a] && mask[b.b];
  BallAndStick bs = build_ball_and_stick(s, mask, colors);
  CHECK(bs.bonds.size() == inside);
  CHECK(bs.bonds.a_xyz.size() == inside * 3);
  for (size_t i = 0; i < bs.bonds.size(); ++i) {
    CHECK(bs.bonds.radius[i] == doctest::Approx(0.15));
    CHECK(bs.bonds.color_a[i] == colors[bs.bonds.atom_a[i]]);
    CHECK(bs.bonds.color_b[i] == colors[bs.bonds.atom_b[i]]);
  }
  int o = find_atom(s, "A", 1, "O");
  for (size_t i = 0; i < bs.atoms.size(); ++i)
    if (int(bs.atoms.atom_ids[i]) == o) CHECK(bs.atoms.xyzr[i * 4 + 3] == doctest::Approx(0.25 * 1.52));

  LineSegments ln = build_lines(s, mask, colors);
  CHECK(ln.segment_count() == inside * 2);
  // The second half of each bond starts where the first ended (the midpoint).
  for (size_t k = 0; k + 3 < ln.atom_ids.size(); k += 4)
    for (int c = 0; c < 3; ++c) CHECK(ln.positions[(k + 1) * 3 + c] == ln.positions[(k + 2) * 3 + c]);
  CHECK(build_line_cylinders(s, mask, colors).size() == inside);
}

TEST_CASE("bounds enclose every masked atom") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  Bounds all = compute_bounds(s, {});
  CHECK(all.count == s.atom_count());
  for (size_t a = 0; a < s.atom_count(); ++a) {
    float dx = s.x[a] - all.center[0], dy = s.y[a] - all.center[1], dz = s.z[a] - all.center[2];
    CHECK(std::sqrt(dx * dx + dy * dy + dz * dz) <= all.radius + 1e-3f);
  }
  // 1hpv (HIV protease dimer) is roughly 60 Å across.
  CHECK(all.radius > 20);
  CHECK(all.radius < 45);
  std::vector<uint8_t> one(s.atom_count(), 0);
  one[10] = 1;
  Bounds b = compute_bounds(s, one);
  CHECK(b.count == 1);
  CHECK(b.radius == doctest::Approx(0));
  CHECK(b.center[0] == doctest::Approx(s.x[10]));
  CHECK(compute_bounds(s, std::vector<uint8_t>(s.atom_count(), 0)).count == 0);
}

TEST_CASE("spacefill of ~1M atoms builds well under a second") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  // Tile 1hpv into a million-atom structure (arrays only: the builder reads x,y,z,element).
  Structure big;
  const size_t n = s.atom_count(), copies = 1000000 / n + 1;
  for (size_t c = 0; c < copies; ++c)
    for (size_t a = 0; a < n; ++a) {
      big.x.push_back(s.x[a] + 70.0f * float(c % 20));
      big.y.push_back(s.y[a] + 70.0f * float(c / 20));
      big.z.push_back(s.z[a]);
      big.element.push_back(s.element[a]);
    }
  std::vector<uint8_t> mask(big.atom_count(), 1);
  std::vector<uint32_t> colors(big.atom_count(), rgb(0x808080));
  auto t0 = std::chrono::steady_clock::now();
  SphereInstances sp = build_spacefill(big, mask, colors);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("spacefill " << sp.size() << " atoms: " << ms << " ms");
  CHECK(sp.size() == big.atom_count());
}
