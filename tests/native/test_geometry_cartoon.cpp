#include <doctest/doctest.h>

#include <chrono>

#include "geometry/cartoon.h"
#include "geometry/color_scheme.h"
#include "test_geometry_common.h"

using namespace foldsight;
using namespace foldsight_test;

namespace {

// Maximal runs of 'E' over consecutive Cα-bearing protein residues of one chain.
size_t count_strand_runs(const Structure& s) {
  size_t runs = 0;
  bool in_run = false;
  uint32_t chain = UINT32_MAX;
  for (size_t r = 0; r < s.residue_count(); ++r) {
    if (!is_amino_acid(s.res_name[r])) continue;
    if (s.res_chain[r] != chain) { in_run = false; chain = s.res_chain[r]; }
    bool e = s.ss[r] == 'E';
    if (e && !in_run) ++runs;
    in_run = e;
  }
  return runs;
}

// The same protein reduced to Cα atoms (a predicted backbone without O).
Structure ca_only(const Structure& s) {
  Structure out;
  StructureBuilder b(out);
  b.begin_model(1);
  uint32_t chain = UINT32_MAX;
  std::vector<SSCode> ss;
  for (size_t r = 0; r < s.residue_count(); ++r) {
    if (!is_amino_acid(s.res_name[r])) continue;
    int ca = -1;
    for (uint32_t a = s.res_atom_begin[r]; a < s.res_atom_begin[r + 1]; ++a)
      if (!std::strcmp(s.atom_name[a].data(), "CA")) ca = int(a);
    if (ca < 0) continue;
    if (s.res_chain[r] != chain) {
      chain = s.res_chain[r];
      b.begin_chain(s.chain_auth[chain], s.chain_label[chain], "");
    }
    b.begin_residue(s.res_name[r], s.seq_id[r], s.seq_id[r], ' ', false);
    b.add_atom(s.atom_name[ca], 6, ' ', s.x[ca], s.y[ca], s.z[ca], 1, s.b_factor[ca], 0, ca + 1);
    ss.push_back(s.ss[r]);
  }
  b.finish();
  out.ss = ss;
  out.has_ss = true;
  return out;
}

void check_mesh_sane(const Mesh& m) {
  REQUIRE(m.triangle_count() > 0);
  CHECK(indices_in_range(m));
  CHECK(worst_normal(m) < 1e-3f);
}

}  // namespace

TEST_CASE("cartoon of 1hpv: valid mesh, one arrow per strand, picks Cα atoms") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  REQUIRE(s.has_ss);
  auto colors = color_atoms(s, ColorScheme::SecondaryStructure);
  std::vector<uint8_t> mask(s.atom_count(), 1);
  CartoonStats st;
  Mesh m = build_cartoon(s, mask, colors, {}, &st);
  check_mesh_sane(m);
  CHECK(st.segments == 2);     // two continuous chains
  CHECK(st.residues == 198);   // 2 × 99 residues
  size_t runs = count_strand_runs(s);
  CHECK(runs > 4);
  CHECK(st.arrows == runs);
  // Every vertex picks a Cα, and carries that Cα's colour.
  size_t not_ca = 0, wrong_color = 0;
  for (size_t v = 0; v < m.vertex_count(); ++v) {
    uint32_t a = m.atom_ids[v];
    not_ca += std::strcmp(s.atom_name[a].data(), "CA") != 0;
    wrong_color += m.colors[v] != colors[a];
  }
  CHECK(not_ca == 0);
  CHECK(wrong_color == 0);
  // Geometry stays close to the backbone: every vertex lies near the Cα it picks.
  float worst = 0;
  for (size_t v = 0; v < m.vertex_count(); ++v) {
    uint32_t a = m.atom_ids[v];
    float dx = m.positions[v * 3] - s.x[a], dy = m.positions[v * 3 + 1] - s.y[a], dz = m.positions[v * 3 + 2] - s.z[a];
    worst = std::max(worst, std::sqrt(dx * dx + dy * dy + dz * dz));
  }
  CHECK(worst < 4.0f);
  // Strand arrows are wider than helices: some strand vertex lies ≥ 1.5 Å off the spline.
  // (Sheets are the only elements with half width 1.7 Å.)
  CHECK(worst > 1.5f);

  // A masked-out middle splits the chain into more segments.
  for (size_t a = 0; a < s.atom_count(); ++a) {
    uint32_t r = s.atom_residue[a];
    if (s.seq_id[r] >= 40 && s.seq_id[r] <= 45) mask[a] = 0;
  }
  CartoonStats st2;
  build_cartoon(s, mask, colors, {}, &st2);
  CHECK(st2.segments == 4);
  CHECK(st2.residues == 198 - 12);
}

TEST_CASE("cartoon of a Cα-only trace still works (fallback guide normals)") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  Structure ca = ca_only(s);
  REQUIRE(ca.atom_count() == 198);
  std::vector<uint8_t> mask(ca.atom_count(), 1);
  auto colors = color_atoms(ca, ColorScheme::Chain);
  CartoonStats st;
  Mesh m = build_cartoon(ca, mask, colors, {}, &st);
  check_mesh_sane(m);
  CHECK(st.segments == 2);
  CHECK(st.arrows == count_strand_runs(ca));
  Mesh t = build_trace(ca, mask, colors);
  check_mesh_sane(t);
  // Trace: a tube of radius 0.3 — every vertex within ~0.3 Å of the spline, well within 2.5 Å of its Cα.
  for (size_t v = 0; v < t.vertex_count(); ++v) {
    uint32_t a = t.atom_ids[v];
    float dx = t.positions[v * 3] - ca.x[a], dy = t.positions[v * 3 + 1] - ca.y[a], dz = t.positions[v * 3 + 2] - ca.z[a];
    REQUIRE(std::sqrt(dx * dx + dy * dy + dz * dz) < 2.6f);
  }
}

TEST_CASE("cartoon subdivisions scale the mesh (LOD)") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  std::vector<uint8_t> mask(s.atom_count(), 1);
  auto colors = color_atoms(s, ColorScheme::Chain);
  CartoonOptions lo;
  lo.subdivisions = 2;
  lo.radial_segments = 6;
  CartoonOptions hi;
  Mesh a = build_cartoon(s, mask, colors, lo), b = build_cartoon(s, mask, colors, hi);
  check_mesh_sane(a);
  CHECK(b.vertex_count() > 4 * a.vertex_count());
  CHECK(cartoon_options_for_size(150000).subdivisions < CartoonOptions{}.subdivisions);
}

TEST_CASE("cartoon of ~1M atoms (tiled 1hpv) builds in a couple of seconds") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  Structure big;
  StructureBuilder b(big);
  b.begin_model(1);
  const size_t copies = 1000000 / s.atom_count() + 1;
  std::vector<SSCode> ss;
  for (size_t c = 0; c < copies; ++c) {
    float ox = 70.0f * float(c % 25), oy = 70.0f * float(c / 25);
    for (size_t ch = 0; ch < s.chain_count(); ++ch) {
      b.begin_chain(s.chain_auth[ch], s.chain_label[ch], "");
      for (uint32_t r = s.chain_res_begin[ch]; r < s.chain_res_begin[ch + 1]; ++r) {
        b.begin_residue(s.res_name[r], s.seq_id[r], s.seq_id[r], ' ', s.het[r]);
        ss.push_back(s.ss[r]);
        for (uint32_t a = s.res_atom_begin[r]; a < s.res_atom_begin[r + 1]; ++a)
          b.add_atom(s.atom_name[a], s.element[a], ' ', s.x[a] + ox, s.y[a] + oy, s.z[a], 1, 20, 0, 1);
      }
    }
  }
  b.finish();
  big.ss = ss;
  REQUIRE(big.atom_count() >= 1000000);
  std::vector<uint8_t> mask(big.atom_count(), 1);
  std::vector<uint32_t> colors(big.atom_count(), rgb(0x808080));
  CartoonOptions o = cartoon_options_for_size(big.residue_count());
  auto t0 = std::chrono::steady_clock::now();
  CartoonStats st;
  Mesh m = build_cartoon(big, mask, colors, o, &st);
  double ms = std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("cartoon " << big.atom_count() << " atoms, " << st.residues << " residues: " << ms << " ms, "
                     << m.vertex_count() << " vertices, " << m.triangle_count() << " triangles");
  CHECK(st.residues == 198 * copies);
}
