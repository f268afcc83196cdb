// Sequence-independent structural alignment (TM-align's method) on real structures shipped by
// Debian packages, against figures printed by Debian's TMalign 20190822.
#include <doctest/doctest.h>
#include <chrono>
#include <cmath>
#include <fstream>
#include <iterator>
#include <string>
#include <vector>
#include "core/io.h"
#include "core/structural_align.h"
#include "core/tm_score.h"

using namespace foldsight;

namespace {

Structure load(const char* path) {
  std::ifstream f(path, std::ios::binary);
  std::vector<uint8_t> data((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  Structure s;
  ParseError err;
  REQUIRE_MESSAGE(!data.empty(), path);
  REQUIRE_MESSAGE(read_structure(data.data(), data.size(), path, Format::Auto, s, &err), err.message);
  return s;
}

// First-model chain with author id `id`.
CaTrace chain(const Structure& s, const std::string& id) {
  for (size_t c = 0; c < s.model_chain_begin[1]; ++c)
    if (s.chain_auth[c] == id) return ca_trace(s, c);
  FAIL("no chain " << id);
  return {};
}

StructuralAlignment align(const CaTrace& a, const CaTrace& b) {
  return align_structures(a.xyz, a.sequence, b.xyz, b.sequence);
}

std::string ungapped(const std::string& s) {
  std::string out;
  for (char c : s)
    if (c != '-') out += c;
  return out;
}

const char* TMA = "/usr/share/doc/tm-align/examples/";
const char* BIO = "/usr/share/doc/python-biopython-doc/Tests/PDB/";

}  // namespace

TEST_CASE("structural align: a chain against itself is aligned residue by residue") {
  CaTrace a = ca_trace(load((std::string(TMA) + "1ni7.pdb.gz").c_str()), 0);
  REQUIRE(a.size() == 149);
  StructuralAlignment r = align(a, a);
  CHECK(r.tm_score_a == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(r.tm_score_b == doctest::Approx(1.0).epsilon(1e-9));
  CHECK(r.rmsd < 1e-6);
  CHECK(r.aligned == 149);
  CHECK(r.seq_identity == 1.0);
  CHECK(r.aligned_a == a.sequence);
  CHECK(r.aligned_b == a.sequence);
  for (size_t k = 0; k < r.pairs.size(); ++k) CHECK(r.pairs[k] == std::make_pair(int(k), int(k)));
}

TEST_CASE("structural align: rotated, renumbered and truncated copy is found exactly") {
  // 1ni7 residues 20..148 moved rigidly, given new numbers and a poly-Ala sequence: nothing
  // but the coordinates can place it.
  CaTrace a = ca_trace(load((std::string(TMA) + "1ni7.pdb.gz").c_str()), 0);
  RigidTransform motion;
  double c = std::cos(2.0), s = std::sin(2.0);
  motion.rot = {c, -s, 0, s * 0.6, c * 0.6, -0.8, s * 0.8, c * 0.8, 0.6};  // Rz(2 rad) then Rx
  motion.shift = {{-31.0, 12.5, 80.25}};
  CaTrace b;
  for (size_t i = 20; i < a.size(); ++i) {
    b.xyz.push_back(motion.apply(a.xyz[i]));
    b.sequence += 'A';
  }
  StructuralAlignment r = align(a, b);
  CHECK(r.aligned == int(b.size()));
  CHECK(r.rmsd < 1e-6);
  CHECK(r.tm_score_b == doctest::Approx(1.0).epsilon(1e-9));  // normalised by the copy's 129
  // Normalised by the full chain: the 129 perfect pairs out of 149 residues.
  CHECK(r.tm_score_a == doctest::Approx(129.0 / 149.0).epsilon(1e-9));
  size_t wrong = 0;
  for (auto& p : r.pairs) wrong += p.first != p.second + 20;
  CHECK(wrong == 0);
  for (int k = 0; k < 9; ++k) CHECK(r.transform.rot[k] == doctest::Approx(motion.rot[k]).epsilon(1e-6));
  for (int k = 0; k < 3; ++k) CHECK(r.transform.shift[k] == doctest::Approx(motion.shift[k]).epsilon(1e-6));
  CHECK(r.aligned_a == a.sequence);
  CHECK(r.aligned_b == std::string(20, '-') + std::string(129, 'A'));
}

TEST_CASE("structural align: tm-align example pair matches TMalign 20190822") {
  CaTrace a = ca_trace(load((std::string(TMA) + "1ni7.pdb.gz").c_str()), 0);
  CaTrace b = ca_trace(load((std::string(TMA) + "5eep.pdb.gz").c_str()), 0);
  StructuralAlignment r = align(a, b);
  // "Aligned length=  140, RMSD=   1.60, Seq_ID=n_identical/n_aligned= 0.986"
  // "TM-score= 0.85044 (... Chain_1)", "TM-score= 0.90009 (... Chain_2)"
  CHECK(r.aligned == 140);
  CHECK(r.rmsd == doctest::Approx(1.60).epsilon(0.004));
  CHECK(r.seq_identity == doctest::Approx(0.986).epsilon(0.001));
  CHECK(r.tm_score_a == doctest::Approx(0.85044).epsilon(0.0002));
  CHECK(r.tm_score_b == doctest::Approx(0.90009).epsilon(0.0002));
  // TMalign's alignment rows, verbatim.
  CHECK(r.aligned_a ==
        "MTNPQFAGHPFGTTVTAETLRNTFAPLTQWEDKYRQLIMLGKQLPALPDELKAQAKEIAGCENRVWLGYTVAENGKMHFFGDSEGRIVRGLLAVLLTAVEGKTAAELQA"
        "QSPLALFDELGLRAQLSASRSQGLNALSEAIIAATKQVLE");
  CHECK(r.aligned_b ==
        "------G-HPFGTTVTAETLRNTFAPLTQWEDKYRQLIMLGKQLPALPDELKAQAKEIAGCENRVWLGYTVAENGKMHFFGDSEGRIVRGLLAVLLTAVEGKTAAELQA"
        "QSPLALFDELGLRAQLSASRSQGLNALSEAIIAAAKQV--");
  CHECK(ungapped(r.aligned_a) == a.sequence);
  CHECK(ungapped(r.aligned_b) == b.sequence);

  // Swapping the chains swaps the two normalisations.
  StructuralAlignment rev = align(b, a);
  CHECK(rev.tm_score_a == doctest::Approx(0.90009).epsilon(0.0002));
  CHECK(rev.tm_score_b == doctest::Approx(0.85044).epsilon(0.0002));

  // The reported transform gives the reported TM-score (normalised by B) on the pairs.
  double sum = 0;
  for (auto& p : r.pairs) {
    Vec3d q = r.transform.apply(a.xyz[size_t(p.first)]);
    const Vec3d& t = b.xyz[size_t(p.second)];
    double d2 = (q[0] - t[0]) * (q[0] - t[0]) + (q[1] - t[1]) * (q[1] - t[1]) + (q[2] - t[2]) * (q[2] - t[2]);
    sum += 1 / (1 + d2 / (r.d0_b * r.d0_b));
  }
  CHECK(sum / double(b.size()) == doctest::Approx(r.tm_score_b).epsilon(1e-9));
}

TEST_CASE("structural align: harder pairs of different folds match TMalign 20190822") {
  // 2OFG (first model) vs 1A7G chain E: 106 and 82 residues, 13 % identity.
  // TMalign: "Aligned length=   67, RMSD=   3.25", TM-scores 0.43221 / 0.51374.
  CaTrace a = ca_trace(load((std::string(BIO) + "2OFG.cif.gz").c_str()), 0);
  CaTrace b = chain(load((std::string(BIO) + "1A7G.cif.gz").c_str()), "E");
  REQUIRE(a.size() == 106);
  REQUIRE(b.size() == 82);
  StructuralAlignment r = align(a, b);
  CHECK(r.tm_score_a == doctest::Approx(0.43221).epsilon(0.001));
  CHECK(r.tm_score_b == doctest::Approx(0.51374).epsilon(0.001));
  CHECK(r.aligned == 67);
  CHECK(r.rmsd == doctest::Approx(3.25).epsilon(0.003));

  // Interleukin-2 (4-helix bundle, 126) vs 4CUP (115): "Aligned length=   79, RMSD=   4.13",
  // TM-scores 0.40078 / 0.42739.
  CaTrace c = ca_trace(load("/usr/share/pymol/data/demo/il2.pdb"), 0);
  CaTrace d = ca_trace(load((std::string(BIO) + "4CUP.cif.gz").c_str()), 0);
  REQUIRE(c.size() == 126);
  REQUIRE(d.size() == 115);
  StructuralAlignment s = align(c, d);
  CHECK(s.tm_score_a == doctest::Approx(0.40078).epsilon(0.001));
  CHECK(s.tm_score_b == doctest::Approx(0.42739).epsilon(0.001));
  CHECK(s.aligned == 79);
  CHECK(s.rmsd == doctest::Approx(4.13).epsilon(0.003));
}

TEST_CASE("structural align: CA secondary structure of an ideal helix and strand") {
  // Ideal alpha helix: 3.6 residues per turn, 1.5 Å rise, radius 2.3 Å.
  std::vector<Vec3d> helix, strand;
  for (int i = 0; i < 20; ++i) {
    double t = i * 100.0 * 3.14159265358979 / 180.0;
    helix.push_back({{2.3 * std::cos(t), 2.3 * std::sin(t), 1.5 * i}});
    strand.push_back({{3.3 * i, i % 2 ? 1.0 : -1.0, 0.0}});  // zig-zag, CA(i)..CA(i+2) 6.6 Å
  }
  std::string h = ca_secondary_structure(helix), e = ca_secondary_structure(strand);
  CHECK(h == "CC" + std::string(16, 'H') + "CC");
  CHECK(e == "CC" + std::string(16, 'E') + "CC");
}

TEST_CASE("structural align: empty and tiny chains give an answer, not a crash") {
  CaTrace a = ca_trace(load((std::string(TMA) + "1ni7.pdb.gz").c_str()), 0);
  std::vector<Vec3d> none;
  StructuralAlignment r = align_structures(none, "", a.xyz, a.sequence);
  CHECK(r.aligned == 0);
  CHECK(r.tm_score_a == 0.0);
  CHECK(r.tm_score_b == 0.0);
  for (size_t n : {1, 2, 3, 4, 6}) {
    std::vector<Vec3d> piece(a.xyz.begin() + 40, a.xyz.begin() + 40 + long(n));
    StructuralAlignment t = align_structures(piece, "", a.xyz, a.sequence);
    CHECK(t.aligned <= int(n));
    CHECK(t.tm_score_a <= 1.0 + 1e-9);
    CHECK(t.tm_score_b <= double(n) / double(a.size()) + 1e-9);
    CHECK(ungapped(t.aligned_a) == std::string(n, 'X'));
    CHECK(ungapped(t.aligned_b) == a.sequence);
  }
}

TEST_CASE("structural align: two 300-residue chains align interactively fast") {
  // 1ni7 and 5eep joined, 40 Å apart (289 CAs), against the two joined the other way round: two
  // equally good domain matches, a worst case for near-equal seeds. The bound is generous for
  // sanitizer builds; natively -O2 this takes about 0.05 s (the viewer allows 0.3 s).
  CaTrace a = ca_trace(load((std::string(TMA) + "1ni7.pdb.gz").c_str()), 0);
  CaTrace b = ca_trace(load((std::string(TMA) + "5eep.pdb.gz").c_str()), 0);
  std::vector<Vec3d> x = a.xyz, y = b.xyz;
  for (const Vec3d& p : b.xyz) x.push_back({{p[0] + 40, p[1], p[2]}});
  for (const Vec3d& p : a.xyz) y.push_back({{p[0], p[1] - 40, p[2]}});
  auto t0 = std::chrono::steady_clock::now();
  StructuralAlignment r = align_structures(x, a.sequence + b.sequence, y, b.sequence + a.sequence);
  double seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  MESSAGE("289 x 289 residues aligned in " << seconds << " s, TM " << r.tm_score_a);
  CHECK(r.tm_score_a > 0.4);
  CHECK(seconds < 3.0);
}
