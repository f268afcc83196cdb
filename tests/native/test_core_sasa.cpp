// Shrake–Rupley SASA: analytic cases, and per-residue agreement with DSSP's accessibility
// (the ACC column) — from mkdssp run at test time and from the DSSP file biopython ships.
#include <doctest/doctest.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <map>
#include <string>
#include <unistd.h>
#include <vector>
#include "core/io.h"
#include "core/sasa.h"

using namespace foldsight;

static const double kPi = 3.14159265358979323846;

static std::vector<uint8_t> read_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

static Structure load_structure(const std::string& path) {
  std::vector<uint8_t> data = read_bytes(path);
  Structure s;
  ParseError err;
  REQUIRE_MESSAGE(!data.empty(), path);
  REQUIRE_MESSAGE(read_structure(data.data(), data.size(), path, Format::Auto, s, &err), err.message);
  return s;
}

// A structure made of isolated carbon atoms (one residue each) at the given x positions.
static Structure carbons(const std::vector<float>& xs) {
  Structure s;
  StructureBuilder b(s);
  b.begin_model(1);
  b.begin_chain("A", "A", "1");
  int k = 0;
  for (float x : xs) {
    b.begin_residue(make_resname("UNL", 3), ++k, k, ' ', true);
    b.add_atom(make_name4("C1", 2), 6, ' ', x, 0, 0, 1, 0, 0, k);
  }
  b.finish();
  return s;
}

TEST_CASE("golden_spiral: unit vectors, centred") {
  std::vector<float> p = golden_spiral(960);
  REQUIRE(p.size() == 960 * 3);
  double cx = 0, cy = 0, cz = 0;
  for (size_t i = 0; i < p.size(); i += 3) {
    CHECK(p[i] * p[i] + p[i + 1] * p[i + 1] + p[i + 2] * p[i + 2] == doctest::Approx(1.0).epsilon(1e-5));
    cx += p[i]; cy += p[i + 1]; cz += p[i + 2];
  }
  CHECK(std::fabs(cx) / 960 < 2e-3);
  CHECK(std::fabs(cy) / 960 < 2e-3);
  CHECK(std::fabs(cz) / 960 < 2e-3);
}

TEST_CASE("shrake_rupley: single atom and two overlapping spheres, analytically") {
  double R = vdw_radius(6) + 1.4;
  Structure one = carbons({0.f});
  SasaResult r1 = shrake_rupley(one, 0, SasaOptions{});
  CHECK(r1.total == doctest::Approx(4 * kPi * R * R).epsilon(1e-5));
  CHECK(r1.atom[0] == doctest::Approx(4 * kPi * R * R).epsilon(1e-5));
  CHECK(r1.residue[0] == doctest::Approx(4 * kPi * R * R).epsilon(1e-5));

  // Two expanded spheres whose centres are d apart each lose a cap of height R - d/2:
  // exposed area 2 pi R (R + d/2) per atom.
  for (float d : {3.4f, 4.5f, 5.5f}) {
    Structure two = carbons({0.f, d});
    SasaOptions opt;
    opt.points = 960;
    SasaResult r2 = shrake_rupley(two, 0, opt);
    double expect = 2 * kPi * R * (R + d / 2.0);
    CHECK(r2.atom[0] == doctest::Approx(expect).epsilon(0.01));
    CHECK(r2.atom[1] == doctest::Approx(expect).epsilon(0.01));
  }
  // Far apart: no occlusion at all.
  Structure apart = carbons({0.f, 2 * float(R) + 0.01f});
  CHECK(shrake_rupley(apart, 0, SasaOptions{}).total == doctest::Approx(8 * kPi * R * R).epsilon(1e-5));
  // Larger probe, larger sphere.
  SasaOptions big;
  big.probe = 3.0f;
  double Rb = vdw_radius(6) + 3.0;
  CHECK(shrake_rupley(one, 0, big).total == doctest::Approx(4 * kPi * Rb * Rb).epsilon(1e-5));
}

// Per-residue ACC from a DSSP file: (chain, number) → Å².
static std::map<std::pair<std::string, int>, double> dssp_acc(const std::string& text) {
  std::map<std::pair<std::string, int>, double> out;
  size_t pos = text.find("  #  RESIDUE");
  if (pos == std::string::npos) return out;
  pos = text.find('\n', pos);
  while (pos != std::string::npos && pos + 1 < text.size()) {
    size_t end = text.find('\n', pos + 1);
    std::string l = text.substr(pos + 1, end == std::string::npos ? std::string::npos : end - pos - 1);
    pos = end;
    if (l.size() < 38 || l[13] == '!') continue;
    out[{std::string(1, l[11]), std::atoi(l.substr(5, 5).c_str())}] = std::atof(l.substr(34, 4).c_str());
  }
  return out;
}

struct Agreement {
  size_t n = 0;
  double r = 0, ratio = 0;
};

// DSSP radii (N 1.65, CA 1.87, C 1.76, O 1.4, others 1.8) to compare like with like.
static std::vector<float> dssp_radii(const Structure& s) {
  std::vector<float> r(s.atom_count(), 1.8f);
  for (size_t i = 0; i < s.atom_count(); ++i) {
    std::string n = s.atom_name[i].data();
    if (n == "N") r[i] = 1.65f;
    else if (n == "CA") r[i] = 1.87f;
    else if (n == "C") r[i] = 1.76f;
    else if (n == "O") r[i] = 1.4f;
  }
  return r;
}

static Agreement compare(const Structure& s, const std::map<std::pair<std::string, int>, double>& acc,
                         bool use_dssp_radii) {
  SasaOptions opt;
  opt.points = 960;
  opt.include_hetero = false;  // DSSP computes accessibility of the protein alone
  std::vector<float> radii = dssp_radii(s);
  if (use_dssp_radii) opt.radii = &radii;
  SasaResult res = shrake_rupley(s, 0, opt);
  std::vector<double> a, b;
  for (uint32_t r = 0; r < s.residue_count() && s.res_chain[r] < s.model_chain_begin[1]; ++r) {
    if (s.ins_code[r] != ' ') continue;
    auto it = acc.find({s.chain_auth[s.res_chain[r]], s.seq_id[r]});
    if (it == acc.end()) continue;
    a.push_back(it->second);
    b.push_back(res.residue[r]);
  }
  Agreement g;
  g.n = a.size();
  if (g.n < 2) return g;
  double ma = 0, mb = 0, sa = 0, sb = 0;
  for (size_t i = 0; i < g.n; ++i) { ma += a[i] / g.n; mb += b[i] / g.n; sa += a[i]; sb += b[i]; }
  double cov = 0, va = 0, vb = 0;
  for (size_t i = 0; i < g.n; ++i) {
    cov += (a[i] - ma) * (b[i] - mb);
    va += (a[i] - ma) * (a[i] - ma);
    vb += (b[i] - mb) * (b[i] - mb);
  }
  g.r = cov / std::sqrt(va * vb);
  g.ratio = sb / sa;
  return g;
}

TEST_CASE("shrake_rupley: agrees with the DSSP accessibility shipped with biopython (2BEG)") {
  Structure s = load_structure("/usr/share/doc/python-biopython-doc/Tests/PDB/2BEG.pdb.gz");
  std::vector<uint8_t> gz = read_bytes("/usr/share/doc/python-biopython-doc/Tests/PDB/2BEG.dssp.gz"), raw;
  REQUIRE(gunzip(gz.data(), gz.size(), raw, nullptr));
  auto acc = dssp_acc(std::string(raw.begin(), raw.end()));
  REQUIRE(acc.size() == 130);
  Agreement g = compare(s, acc, false);
  MESSAGE("2BEG vs DSSP 2000 file, our radii: n=" << g.n << " r=" << g.r << " total ratio=" << g.ratio);
  CHECK(g.n == 130);
  CHECK(g.r > 0.95);
  CHECK(std::fabs(g.ratio - 1) < 0.05);
}

TEST_CASE("shrake_rupley: agrees with mkdssp's ACC per residue") {
  if (std::system("command -v mkdssp >/dev/null 2>&1") != 0) {
    FAIL("mkdssp (Debian package dssp) is needed for this reference comparison");
  }
  const char* inputs[] = {"/usr/share/doc/python-biopython-doc/Tests/PDB/2BEG.pdb.gz",
                          "/usr/share/doc/python-biopython-doc/Tests/PDB/4CUP.cif.gz",
                          "/usr/share/doc/python-biopython-doc/Tests/PDB/2OFG.cif.gz",
                          "/usr/share/doc/python-biopython-doc/Tests/PDB/1A8O.cif.gz"};
  for (const char* in : inputs) {
    Structure s = load_structure(in);
    // mkdssp wants plain text with a matching extension.
    std::string base = std::string("/tmp/foldsight_sasa_") + std::to_string(getpid());
    std::string name(in);
    bool cif = name.find(".cif") != std::string::npos;
    std::string plain = base + (cif ? ".cif" : ".pdb"), out = base + ".dssp";
    std::string cmd = "zcat -f '" + name + "' > '" + plain + "' && mkdssp --output-format dssp '" + plain + "' '" +
                      out + "' >/dev/null 2>&1";
    bool ran = std::system(cmd.c_str()) == 0;
    std::vector<uint8_t> text = read_bytes(out);
    std::remove(plain.c_str());
    std::remove(out.c_str());
    REQUIRE_MESSAGE(ran, "mkdssp failed on " << in);
    auto acc = dssp_acc(std::string(text.begin(), text.end()));
    REQUIRE(acc.size() > 50);
    Agreement own = compare(s, acc, false), same = compare(s, acc, true);
    MESSAGE(std::string(in) << ": n=" << own.n << " our radii r=" << own.r << " ratio=" << own.ratio
               << "; DSSP radii r=" << same.r << " ratio=" << same.ratio);
    CHECK(own.n > 0.9 * acc.size());
    CHECK(own.r > 0.95);
    CHECK(std::fabs(own.ratio - 1) < 0.05);
    CHECK(same.r > 0.98);
    CHECK(std::fabs(same.ratio - 1) < 0.02);
  }
}

TEST_CASE("shrake_rupley: model selection, water and hydrogens") {
  Structure s = load_structure("/usr/share/doc/python-biopython-doc/Tests/PDB/1LCD.pdb.gz");
  REQUIRE(s.model_count() == 3);
  SasaResult m0 = shrake_rupley(s, 0), m1 = shrake_rupley(s, 1);
  CHECK(m0.total > 1000);
  CHECK(m1.total > 1000);
  CHECK(m0.total != m1.total);
  // Atoms of other models get no area.
  uint32_t first_atom_m1 = s.res_atom_begin[s.chain_res_begin[s.model_chain_begin[1]]];
  CHECK(m0.atom[first_atom_m1] == 0.f);
  CHECK(shrake_rupley(s, 7).total == 0.0);  // no such model
  // Hydrogens (an NMR entry has them) are left out unless asked for; with them the protein
  // atoms are more buried, but the surface reaches farther.
  SasaOptions with_h;
  with_h.include_hydrogens = true;
  SasaResult h = shrake_rupley(s, 0, with_h);
  size_t hydrogens = 0;
  for (size_t i = 0; i < s.atom_count(); ++i) hydrogens += s.element[i] == 1;
  REQUIRE(hydrogens > 300);
  CHECK(h.total > m0.total);
  for (size_t i = 0; i < first_atom_m1; ++i)
    if (s.element[i] == 1) REQUIRE(m0.atom[i] == 0.f);
}
