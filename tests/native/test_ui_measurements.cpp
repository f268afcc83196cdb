// Measurement geometry, backbone torsions, projection, plot data and residue selection that
// the ImGui panels (src/ui) are built on. Reference values were computed with Debian's
// python3-gemmi (calculate_angle / calculate_dihedral / calculate_phi_psi / calculate_omega)
// on 1hpv.pdb as shipped by pymol-data (ATOM/HETATM/TER records only: gemmi rejects a
// legacy charge column of the original).
#include <doctest/doctest.h>
#include <cmath>
#include <cstring>
#include "geometry/measure.h"
#include "geometry/residue_plots.h"
#include "test_geometry_common.h"
#include "ui/help_window.h"
#include "ui/selection.h"

using namespace foldsight;
using foldsight_test::find_atom;

namespace {
const Structure& hpv() {
  static Structure s;
  static bool loaded = foldsight_test::load(foldsight_test::k1hpv, s);
  REQUIRE(loaded);
  return s;
}
int residue_of(const Structure& s, const char* chain, int seq) {
  int a = find_atom(s, chain, seq, "CA");
  REQUIRE(a >= 0);
  return int(s.atom_residue[size_t(a)]);
}
Vec3 pos(const Structure& s, const char* chain, int seq, const char* name) {
  int a = find_atom(s, chain, seq, name);
  REQUIRE(a >= 0);
  return atom_position(s, uint32_t(a));
}
}  // namespace

TEST_CASE("measure: distance, angle and dihedral match gemmi on 1hpv") {
  const Structure& s = hpv();
  CHECK(distance_between(pos(s, "A", 1, "CA"), pos(s, "A", 2, "CA")) == doctest::Approx(3.7938).epsilon(1e-4));
  CHECK(angle_degrees(pos(s, "A", 10, "N"), pos(s, "A", 10, "CA"), pos(s, "A", 10, "C")) ==
        doctest::Approx(114.0672).epsilon(1e-4));
  // chi1 of Ile A3: negative (gauche-), which checks the IUPAC sign.
  CHECK(dihedral_degrees(pos(s, "A", 3, "N"), pos(s, "A", 3, "CA"), pos(s, "A", 3, "CB"), pos(s, "A", 3, "CG1")) ==
        doctest::Approx(-55.903).epsilon(1e-4));
  // Reversing the atom order leaves a torsion unchanged; mirroring flips its sign.
  Vec3 a = pos(s, "A", 3, "N"), b = pos(s, "A", 3, "CA"), c = pos(s, "A", 3, "CB"), d = pos(s, "A", 3, "CG1");
  CHECK(dihedral_degrees(d, c, b, a) == doctest::Approx(-55.903).epsilon(1e-4));
  auto mirror = [](Vec3 v) { return Vec3(-v.x, v.y, v.z); };
  CHECK(dihedral_degrees(mirror(a), mirror(b), mirror(c), mirror(d)) == doctest::Approx(55.903).epsilon(1e-4));
  // Straight and perpendicular angles.
  CHECK(angle_degrees({1, 0, 0}, {0, 0, 0}, {-1, 0, 0}) == doctest::Approx(180.0));
  CHECK(angle_degrees({1, 0, 0}, {0, 0, 0}, {0, 2, 0}) == doctest::Approx(90.0));
}

TEST_CASE("measure: backbone phi/psi/omega match gemmi on 1hpv") {
  const Structure& s = hpv();
  BackboneTorsions t = backbone_torsions(s);
  REQUIRE(t.phi.size() == s.residue_count());
  struct Ref { int seq; float phi, psi, omega; };
  const Ref refs[] = {{10, -100.268f, 139.056f, 178.638f}, {25, -118.022f, 104.394f, 179.167f},
                      {50, -72.913f, -35.673f, -177.930f}, {87, -58.480f, -20.470f, 177.941f},
                      {90, -59.788f, -36.597f, 178.889f}};
  for (const Ref& r : refs) {
    int res = residue_of(s, "A", r.seq);
    CAPTURE(r.seq);
    CHECK(t.phi[size_t(res)] == doctest::Approx(r.phi).epsilon(1e-4));
    CHECK(t.psi[size_t(res)] == doctest::Approx(r.psi).epsilon(1e-4));
    CHECK(t.omega[size_t(res)] == doctest::Approx(r.omega).epsilon(1e-4));
  }
  // Chain ends: no phi at the first residue, no psi/omega at the last; gemmi finds all 98
  // peptide bonds of chain A trans (|omega| > 150).
  int first = residue_of(s, "A", 1), last = residue_of(s, "A", 99);
  CHECK(std::isnan(t.phi[size_t(first)]));
  CHECK(std::isnan(t.psi[size_t(last)]));
  CHECK(std::isnan(t.omega[size_t(last)]));
  int trans = 0;
  for (int r = first; r < last; ++r) trans += std::fabs(t.omega[size_t(r)]) > 150.0f;
  CHECK(trans == 98);
  // Ligand and waters have no torsions.
  for (size_t r = 0; r < s.residue_count(); ++r)
    if (!is_amino_acid(s.res_name[r])) CHECK(std::isnan(t.phi[r]));
}

TEST_CASE("measure: picking atoms builds distance, angle and dihedral measurements") {
  const Structure& s = hpv();
  std::vector<const Structure*> list{&s};
  MeasurementList m;
  uint32_t ca1 = uint32_t(find_atom(s, "A", 1, "CA")), ca2 = uint32_t(find_atom(s, "A", 2, "CA"));
  CHECK_FALSE(measurement_add_pick(m, list, 0, ca1));
  CHECK_FALSE(measurement_add_pick(m, list, 0, ca1));   // double click on the same atom
  CHECK(m.pending.size() == 1);
  CHECK_FALSE(measurement_add_pick(m, list, 1, ca2));   // no structure 1
  CHECK_FALSE(measurement_add_pick(m, list, 0, uint32_t(s.atom_count())));
  CHECK(measurement_add_pick(m, list, 0, ca2));
  REQUIRE(m.items.size() == 1);
  CHECK(m.items[0].kind == MeasureKind::Distance);
  CHECK(m.items[0].value == doctest::Approx(3.7938).epsilon(1e-4));
  CHECK(measurement_value_text(m.items[0]) == "3.79 \xC3\x85");
  CHECK(m.pending.empty());

  measurement_set_mode(m, MeasureKind::Dihedral);
  const char* names[] = {"N", "CA", "CB", "CG1"};
  for (int k = 0; k < 4; ++k) CHECK(measurement_add_pick(m, list, 0, uint32_t(find_atom(s, "A", 3, names[k]))) == (k == 3));
  REQUIRE(m.items.size() == 2);
  CHECK(m.items[1].value == doctest::Approx(-55.903).epsilon(1e-4));
  CHECK(measurement_value_text(m.items[1]) == "-55.9\xC2\xB0");

  measurement_set_mode(m, MeasureKind::Angle);
  measurement_add_pick(m, list, 0, uint32_t(find_atom(s, "A", 10, "N")));
  measurement_set_mode(m, MeasureKind::Angle);  // same mode: pending kept
  CHECK(m.pending.size() == 1);
  measurement_add_pick(m, list, 0, uint32_t(find_atom(s, "A", 10, "CA")));
  CHECK(measurement_add_pick(m, list, 0, uint32_t(find_atom(s, "A", 10, "C"))));
  CHECK(m.items.back().value == doctest::Approx(114.0672).epsilon(1e-4));
  CHECK(atom_label(s, ca1) == "A:PRO1:CA");

  // Moving an atom updates the value; removing the structure drops its measurements.
  Structure moved = s;
  moved.x[ca2] += 1.0f;
  std::vector<const Structure*> list2{&moved};
  measurement_update(m, list2);
  CHECK(m.items[0].value == doctest::Approx(distance_between(atom_position(moved, ca1), atom_position(moved, ca2))));
  CHECK(m.items[0].value != doctest::Approx(3.7938).epsilon(1e-4));
  std::vector<const Structure*> two{&s, &s};
  measurement_add_pick(m, two, 1, ca1);
  measurement_remove_structure(m, 0);
  CHECK(m.items.empty());
  REQUIRE(m.pending.size() == 1);
  CHECK(m.pending[0].structure == 0);
}

TEST_CASE("measure: projection onto the screen") {
  // Identity view-projection: clip = world. x=-1 → left edge, y=+1 → top edge.
  float id[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1};
  float xy[2];
  CHECK(project_to_screen(id, {0, 0, 0.5f}, 800, 600, xy));
  CHECK(xy[0] == doctest::Approx(400));
  CHECK(xy[1] == doctest::Approx(300));
  CHECK(project_to_screen(id, {-1, 1, 0.5f}, 800, 600, xy));
  CHECK(xy[0] == doctest::Approx(0));
  CHECK(xy[1] == doctest::Approx(0));
  CHECK_FALSE(project_to_screen(id, {0, 0, 1.5f}, 800, 600, xy));  // beyond the far plane
  // A perspective matrix like Camera::projection (n=1, f=100, 90° fov, aspect 1): a point on
  // the view axis projects to the centre, one at 45° to the edge; behind the camera is rejected.
  float n = 1, f = 100;
  float p[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, f / (n - f), -1, 0, 0, n * f / (n - f), 0};
  CHECK(project_to_screen(p, {0, 0, -10}, 100, 100, xy));
  CHECK(xy[0] == doctest::Approx(50));
  CHECK(project_to_screen(p, {10, 0, -10}, 100, 100, xy));
  CHECK(xy[0] == doctest::Approx(100));
  CHECK_FALSE(project_to_screen(p, {0, 0, 10}, 100, 100, xy));
  float vp[16];
  float t[16] = {1, 0, 0, 0, 0, 1, 0, 0, 0, 0, 1, 0, 0, 0, -10, 1};  // translate z by -10
  mat4_multiply(p, t, vp);
  CHECK(project_to_screen(vp, {5, 0, 0}, 100, 100, xy));
  CHECK(xy[0] == doctest::Approx(75));
}

TEST_CASE("plots: residue values, prediction detection, Ramachandran regions") {
  const Structure& s = hpv();
  std::vector<float> v = residue_values(s);
  REQUIRE(v.size() == s.residue_count());
  CHECK(v[size_t(residue_of(s, "A", 10))] == doctest::Approx(35.55));  // CA B-factor
  CHECK_FALSE(looks_like_prediction(s));  // refined B varies within residues
  // The same coordinates with one value 0..100 per residue, as predictors write pLDDT.
  Structure pred = s;
  for (size_t a = 0; a < pred.atom_count(); ++a) pred.b_factor[a] = float(pred.atom_residue[a] % 101);
  CHECK(looks_like_prediction(pred));
  for (size_t a = 0; a < pred.atom_count(); ++a) pred.b_factor[a] = 50.0f;
  CHECK_FALSE(looks_like_prediction(pred));  // constant: no information
  CHECK(chain_plot_residues(s, 0).size() == 99);

  // Helix residues of 1hpv fall in the alpha region, strand residues in beta.
  BackboneTorsions t = backbone_torsions(s);
  const auto& regions = ramachandran_regions();
  auto region_name = [&](int seq) {
    int r = residue_of(s, "A", seq);
    int k = ramachandran_region_of(t.phi[size_t(r)], t.psi[size_t(r)]);
    return k < 0 ? std::string("none") : std::string(regions[size_t(k)].name);
  };
  CHECK(region_name(87) == "alpha (right-handed)");
  CHECK(region_name(90) == "alpha (right-handed)");
  CHECK(region_name(10) == "beta");
  CHECK(region_name(25) == "beta");
  CHECK(ramachandran_region_of(60, 40) >= 0);       // left-handed helix
  CHECK(ramachandran_region_of(90, -90) == -1);     // disallowed
  // Most residues of a well-refined structure lie in the favoured regions.
  int inside = 0, total = 0;
  for (size_t r = 0; r < s.residue_count(); ++r)
    if (!std::isnan(t.phi[r]) && !std::isnan(t.psi[r])) ++total, inside += ramachandran_region_of(t.phi[r], t.psi[r]) >= 0;
  CAPTURE(inside);
  CAPTURE(total);
  CHECK(double(inside) / total > 0.75);
}

TEST_CASE("plots: contact map image agrees with a brute-force CA-CA count") {
  const Structure& s = hpv();
  ContactMapImage img = contact_map_image(s, 0, 8.0f, 64);
  CHECK(img.residues.size() == 198);
  CHECK(img.bins == 64);
  // Every pair within 8 Å counted by brute force; each lands in its bin and the mirrored one.
  size_t n = img.residues.size(), brute = 0;
  std::vector<uint32_t> expected(size_t(img.bins) * size_t(img.bins), 0);
  for (size_t i = 0; i < n; ++i) {
    int bi = contact_bin(i, n, img.bins);
    ++expected[size_t(bi) * size_t(img.bins) + size_t(bi)];
    for (size_t j = i + 1; j < n; ++j) {
      uint32_t a = find_residue_atom(s, img.residues[i], "CA"), b = find_residue_atom(s, img.residues[j], "CA");
      if (distance_between(atom_position(s, a), atom_position(s, b)) > 8.0f) continue;
      ++brute;
      int bj = contact_bin(j, n, img.bins);
      ++expected[size_t(bi) * size_t(img.bins) + size_t(bj)];
      if (bi != bj) ++expected[size_t(bj) * size_t(img.bins) + size_t(bi)];
    }
  }
  CHECK(brute > 198);  // more than the chain neighbours alone
  CHECK(img.contact_pairs == brute);
  CHECK(img.counts == expected);
  // Full resolution when the square has room for every residue.
  CHECK(contact_map_image(s, 0, 8.0f, 1000).bins == 198);
}

TEST_CASE("ui selection: click, ctrl-toggle, shift-range and atom mask") {
  const Structure& s = hpv();
  ResidueSelection sel;
  int a5 = residue_of(s, "A", 5), a9 = residue_of(s, "A", 9), b3 = residue_of(s, "B", 3);
  sel.select_only(0, a5);
  sel.extend_to(s, 0, a9);
  CHECK(sel.residues.size() == 5);
  sel.toggle(0, a9 - 1);
  CHECK(sel.residues.size() == 4);
  CHECK_FALSE(sel.contains(0, a9 - 1));
  sel.extend_to(s, 0, b3);  // other chain: no range, just the residue
  CHECK(sel.residues.size() == 5);
  CHECK(sel.contains(0, b3));
  std::vector<uint8_t> mask = sel.atom_mask(s, 0);
  size_t atoms = 0;
  for (uint32_t r : sel.of_structure(0)) atoms += s.res_atom_begin[r + 1] - s.res_atom_begin[r];
  size_t set = 0;
  for (uint8_t m : mask) set += m;
  CHECK(set == atoms);
  sel.remove_structure(0);
  CHECK(sel.empty());
}

TEST_CASE("ui selection: chain visibility mask hides exactly the hidden chain's atoms") {
  const Structure& s = hpv();
  std::vector<uint8_t> chains(s.chain_count(), 1);
  chains[1] = 0;  // chain B
  std::vector<uint8_t> mask = visible_atom_mask(s, chains);
  for (size_t a = 0; a < s.atom_count(); ++a) {
    bool in_b = s.res_chain[s.atom_residue[a]] == 1;
    if (mask[a] == in_b) FAIL("atom " << a << " visibility wrong");
  }
  CHECK(s.chain_auth[1] == "B");
}

TEST_CASE("ui help: docs/SHORTCUTS.md lists every shortcut of the help window") {
  std::ifstream f(std::string(FOLDSIGHT_SOURCE_DIR) + "/docs/SHORTCUTS.md");
  REQUIRE(f);
  std::stringstream text;
  text << f.rdbuf();
  const std::string doc = text.str();
  for (const Shortcut& k : kShortcuts) {
    // "? or H" is written as `?` or `H`.
    std::string keys = k.keys, row = "| `";
    size_t pos = keys.find(" or ");
    row += pos == std::string::npos ? keys + "` |" : keys.substr(0, pos) + "` or `" + keys.substr(pos + 4) + "` |";
    CAPTURE(row);
    CHECK(doc.find(row + " " + k.action + " |") != std::string::npos);
  }
  for (const MouseAction& m : kMouseActions)
    CHECK(doc.find(std::string("| ") + m.input + " | " + m.action + " |") != std::string::npos);
}
