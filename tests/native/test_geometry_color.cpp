#include <doctest/doctest.h>

#include "geometry/color_scheme.h"
#include "test_geometry_common.h"

using namespace foldsight;
using namespace foldsight_test;

TEST_CASE("rgb packs 0xRRGGBB so the bytes in memory are R,G,B,A") {
  uint32_t c = rgb(0x123456);
  const uint8_t* b = reinterpret_cast<const uint8_t*>(&c);
  CHECK(b[0] == 0x12);
  CHECK(b[1] == 0x34);
  CHECK(b[2] == 0x56);
  CHECK(b[3] == 0xFF);
}

TEST_CASE("colour schemes on 1hpv give the expected colours for known atoms") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  int o = find_atom(s, "A", 1, "O"), ca_a = find_atom(s, "A", 1, "CA"), ca_b = find_atom(s, "B", 1, "CA");
  int n = find_atom(s, "A", 1, "N");
  REQUIRE(o >= 0);
  REQUIRE(ca_a >= 0);
  REQUIRE(ca_b >= 0);

  auto el = color_atoms(s, ColorScheme::Element);
  REQUIRE(el.size() == s.atom_count());
  CHECK(el[o] == rgb(0xFF0D0D));  // oxygen red
  CHECK(el[n] == rgb(0x3050F8));  // nitrogen blue
  // Carbons follow their chain, so the two chains' Cα differ.
  CHECK(el[ca_a] == chain_color(s.res_chain[s.atom_residue[ca_a]]));
  CHECK(el[ca_a] != el[ca_b]);

  auto ch = color_atoms(s, ColorScheme::Chain);
  CHECK(ch[o] == ch[ca_a]);
  CHECK(ch[ca_a] != ch[ca_b]);

  auto un = color_atoms(s, ColorScheme::Uniform, rgb(0x102030));
  CHECK(un[o] == rgb(0x102030));

  // 1hpv residue A1 is PRO.
  auto rt = color_atoms(s, ColorScheme::ResidueType);
  CHECK(rt[ca_a] == rgb(0x525252));

  // Secondary structure from the file's HELIX / SHEET records.
  REQUIRE(s.has_ss);
  auto ssc = color_atoms(s, ColorScheme::SecondaryStructure);
  size_t helix = 0, strand = 0;
  for (size_t a = 0; a < s.atom_count(); ++a) {
    SSCode c = s.ss[s.atom_residue[a]];
    if (!is_amino_acid(s.res_name[s.atom_residue[a]])) continue;
    if (c == 'H') { CHECK(ssc[a] == rgb(0xFF0080)); ++helix; }
    if (c == 'E') { CHECK(ssc[a] == rgb(0xFFC800)); ++strand; }
  }
  CHECK(helix > 0);
  CHECK(strand > 0);

  // Rainbow: first and last residue of chain A differ, N-terminus is blue-ish (B > R).
  auto rb = color_atoms(s, ColorScheme::Rainbow);
  int last_a = find_atom(s, "A", 99, "CA");
  REQUIRE(last_a >= 0);
  CHECK(rb[ca_a] != rb[last_a]);
  CHECK(((rb[ca_a] >> 16) & 0xFF) > (rb[ca_a] & 0xFF));
  CHECK((rb[last_a] & 0xFF) > ((rb[last_a] >> 16) & 0xFF));

  // Hydrophobicity: ILE (hydrophobic) is orange-ish, ARG / LYS teal-ish.
  auto hy = color_atoms(s, ColorScheme::Hydrophobicity);
  for (size_t a = 0; a < s.atom_count(); ++a) {
    const char* rn = s.res_name[s.atom_residue[a]].data();
    if (!std::strcmp(rn, "ILE")) CHECK((hy[a] & 0xFF) > ((hy[a] >> 16) & 0xFF));
    if (!std::strcmp(rn, "ARG")) CHECK((hy[a] & 0xFF) < ((hy[a] >> 16) & 0xFF));
  }

  // B-factor ramp: the atom with the highest B is reddest.
  auto bf = color_atoms(s, ColorScheme::BFactor);
  size_t hi = 0, lo = 0;
  for (size_t a = 0; a < s.atom_count(); ++a) {
    if (s.b_factor[a] > s.b_factor[hi]) hi = a;
    if (s.b_factor[a] < s.b_factor[lo]) lo = a;
  }
  CHECK(bf[hi] == rgb(0xD7191C));
  CHECK(bf[lo] == rgb(0x2C7BB6));
}

TEST_CASE("pLDDT uses the AlphaFold bands") {
  CHECK(plddt_color(95) == rgb(0x0053D6));
  CHECK(plddt_color(90.5f) == rgb(0x0053D6));
  CHECK(plddt_color(80) == rgb(0x65CBF3));
  CHECK(plddt_color(60) == rgb(0xFFDB13));
  CHECK(plddt_color(30) == rgb(0xFF7D45));
  Structure s;
  REQUIRE(load(k1hpv, s));
  for (size_t a = 0; a < s.atom_count(); ++a) s.b_factor[a] = float(a % 100);
  auto c = color_atoms(s, ColorScheme::Plddt);
  CHECK(c[95] == rgb(0x0053D6));
  CHECK(c[49] == rgb(0xFF7D45));
  CHECK(color_legend(s, ColorScheme::Plddt).size() == 4);
}

TEST_CASE("legends list what is present") {
  Structure s;
  REQUIRE(load(k1hpv, s));
  auto chains = color_legend(s, ColorScheme::Chain);
  // 1hpv: protein chains A and B, plus the waters / inhibitor under their own chain.
  REQUIRE(chains.size() >= 2);
  CHECK(chains[0].label == "A");
  CHECK(chains[1].label == "B");
  for (size_t i = 0; i < chains.size(); ++i)
    for (size_t j = i + 1; j < chains.size(); ++j) CHECK(chains[i].label != chains[j].label);
  auto el = color_legend(s, ColorScheme::Element);
  bool has_o = false, has_fe = false;
  for (auto& e : el) { has_o |= e.label == "O" && e.rgba == rgb(0xFF0D0D); has_fe |= e.label == "Fe"; }
  CHECK(has_o);
  CHECK_FALSE(has_fe);
  auto rt = color_legend(s, ColorScheme::ResidueType);
  bool has_pro = false, has_dna = false;
  for (auto& e : rt) { has_pro |= e.label == "PRO"; has_dna |= e.label == "DA"; }
  CHECK(has_pro);
  CHECK_FALSE(has_dna);
  CHECK(color_legend(s, ColorScheme::BFactor).size() == 3);
}
