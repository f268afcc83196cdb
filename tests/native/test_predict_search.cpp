// Template library and search on a small library built at test time from real StructureDB
// chains (scripts/data/export_library.py --limit 60, Debian python3-promod3; no excluded chain
// can enter: the exporter filters by name first). Reference coordinates are read straight
// from the StructureDB by a separate python snippet, so the rebuild check is independent of
// the exporter's encoding.
#include <doctest/doctest.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iterator>
#include <random>
#include <sstream>
#include <string>
#include "predict/backbone.h"
#include "predict/library.h"
#include "predict/realign.h"
#include "predict/search.h"
#include "predict/template_restraints.h"

using namespace foldsight;

namespace {

const char* kTmp = "/tmp/foldsight_test_search";

bool have_promod3() {
  return std::system("/usr/bin/python3 -c 'import promod3.loop' >/dev/null 2>&1") == 0;
}

std::vector<uint8_t> slurp_bytes(const std::string& path) {
  std::ifstream f(path, std::ios::binary);
  return std::vector<uint8_t>((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
}

// Builds the 60-chain library once per test run.
const Library* small_library() {
  static Library lib;
  static int state = 0;  // 0 untried, 1 ok, -1 failed
  if (state == 0) {
    state = -1;
    std::string cmd = std::string("mkdir -p ") + kTmp + " && /usr/bin/python3 " FOLDSIGHT_SOURCE_DIR
                      "/scripts/data/export_library.py --limit 60 --out " + kTmp + "/small.fslib >" + kTmp +
                      "/export.log 2>&1";
    if (std::system(cmd.c_str()) == 0) {
      std::string error;
      if (read_library_file(std::string(kTmp) + "/small.fslib", lib, error))
        state = 1;
      else
        MESSAGE(error);
    }
  }
  return state == 1 ? &lib : nullptr;
}

std::string mutate(std::string s, double fraction, unsigned seed) {
  std::mt19937 rng(seed);
  const char* aa = "ACDEFGHIKLMNPQRSTVWY";
  for (char& c : s)
    if (std::uniform_real_distribution<double>(0, 1)(rng) < fraction) {
      char r;
      do r = aa[rng() % 20];
      while (r == c);
      c = r;
    }
  return s;
}

}  // namespace

TEST_CASE("template library: exported chains load, rebuild within 0.1 A, and search finds them") {
  if (!have_promod3()) {
    MESSAGE("python3-promod3 not installed: template library tests skipped");
    return;
  }
  const Library* lp = small_library();
  REQUIRE(lp != nullptr);
  const Library& lib = *lp;
  CHECK(lib.size() == 60);
  CHECK(lib.version == kLibraryVersion);
  CHECK(lib.n_codes == 256);
  CHECK(lib.names[0] == "16PK_A");  // first StructureDB chain not in excluded.txt
  CHECK(lib.sequence(0).substr(0, 20) == "EKKSINECDLKGKKVLIRVD");
  CHECK(lib.dssp_states(0).substr(0, 6) == "-B-BGG");
  CHECK(find_template(lib, lib.names[7]) == 7);
  // codebook rows are frequency distributions
  for (int c = 0; c < lib.n_codes; c += 37) {
    double sum = 0;
    for (int a = 0; a < kProfileDims; ++a) sum += lib.code_frequencies(c)[a];
    CHECK(sum == doctest::Approx(1.0).epsilon(1e-4));
  }

  SUBCASE("backbone rebuild matches the StructureDB coordinates") {
    for (int idx : {0, 13, 59}) {
      std::string out = std::string(kTmp) + "/ref" + std::to_string(idx) + ".txt";
      std::string cmd = std::string("/usr/bin/python3 -c \"import promod3.loop\n"
                                    "db=promod3.loop.LoadStructureDB()\n"
                                    "names=[db.GetCoordInfo(i).id+'_'+db.GetCoordInfo(i).chain_name for i in range(db.GetNumCoords())]\n"
                                    "i=names.index('") + lib.names[idx] + "')\n"
                        "bb=db.GetBackboneList(i)\n"
                        "f=open('" + out + "','w')\n"
                        "[f.write(' '.join('%.4f'%v for a in (bb.GetN(k),bb.GetCA(k),bb.GetC(k),bb.GetO(k),bb.GetCB(k)) for v in (a[0],a[1],a[2]))+'\\n') for k in range(len(bb))]\n\"";
      REQUIRE(std::system(cmd.c_str()) == 0);
      std::ifstream f(out);
      Backbone bb = template_backbone(lib, idx);
      REQUIRE(bb.size() == lib.length(idx));
      double ss[5] = {0, 0, 0, 0, 0};
      size_t n = 0;
      for (double v[15]; f >> v[0];) {
        for (int j = 1; j < 15; ++j) f >> v[j];
        const Vec3* atoms[5] = {&bb.n[n], &bb.ca[n], &bb.c[n], &bb.o[n], &bb.cb[n]};
        for (int a = 0; a < 5; ++a) ss[a] += (*atoms[a] - Vec3(v[3 * a], v[3 * a + 1], v[3 * a + 2])).squaredNorm();
        ++n;
      }
      REQUIRE(n == bb.size());
      double rms_bb = std::sqrt((ss[0] + ss[1] + ss[2] + ss[3]) / (4.0 * n));
      double rms_cb = std::sqrt(ss[4] / n);
      MESSAGE(lib.names[idx] << " rebuild RMSD N/CA/C/O " << rms_bb << " A, CB " << rms_cb << " A");
      CHECK(rms_bb < 0.1);
      CHECK(std::sqrt(ss[1] / n) < 0.05);
      CHECK(rms_cb < 0.15);  // ideal CB vs the StructureDB one
    }
  }

  SUBCASE("a chain finds itself first with identity 1 and a tiny E-value") {
    for (int idx : {3, 22, 41}) {
      auto hits = search_templates(lib, lib.sequence(idx));
      REQUIRE(!hits.empty());
      CHECK(hits[0].index == idx);
      CHECK(hits[0].id == lib.names[idx]);
      CHECK(hits[0].identity == doctest::Approx(1.0));
      CHECK(hits[0].coverage > 0.95);
      CHECK(hits[0].evalue < 1e-20);
      CHECK(hits[0].ops.size() >= size_t(lib.length(idx) * 0.95));
    }
  }

  SUBCASE("30 % random substitutions still find the source chain") {
    for (int idx : {5, 30, 50}) {
      std::string q = mutate(std::string(lib.sequence(idx)), 0.30, 17 + idx);
      auto hits = search_templates(lib, q);
      REQUIRE(!hits.empty());
      CHECK(hits[0].index == idx);
      CHECK(hits[0].evalue < 1e-3);
      CHECK(hits[0].identity > 0.6);
      CHECK(hits[0].identity < 0.8);
    }
  }

  SUBCASE("shuffled sequences find nothing confident") {
    std::mt19937 rng(4);
    for (int idx : {8, 25, 44, 57}) {
      std::string q(lib.sequence(idx));
      std::shuffle(q.begin(), q.end(), rng);
      auto hits = search_templates(lib, q);
      for (const TemplateHit& h : hits) CHECK(h.evalue > 1e-3);
    }
  }

  SUBCASE("vectorised scores equal the scalar traceback, also across indels") {
    std::mt19937 rng(9);
    for (int idx : {2, 19, 33}) {
      std::string q = mutate(std::string(lib.sequence(idx)), 0.4, idx);
      q.erase(q.size() / 3, 7);                       // deletion
      q.insert(q.size() / 2, "GSGSGSGSGSGS");         // insertion
      SearchOptions opt;
      opt.max_evalue = 1e9;
      opt.max_hits = 5;
      auto hits = search_templates(lib, q, opt);
      REQUIRE(!hits.empty());
      CHECK(hits[0].index == idx);
      for (const TemplateHit& h : hits) {
        CHECK(h.score == align_score(lib, q, h.index, opt));
        // the alignment string re-scores to the same coverage it reports
        int pairs = 0;
        for (char op : h.ops) pairs += op == 'M';
        CHECK(h.coverage == doctest::Approx(double(pairs) / q.size()));
      }
      CHECK(hits[0].ops.find('I') != std::string::npos);  // the insertion is a query-only gap
    }
  }

  SUBCASE("profile realignment puts query residues on their true template residues") {
    // Queries made from a chain with 50 % substitutions, a deletion and an insertion: the true
    // correspondence is known. Realigned from the query's own substitution columns
    // (min_profile_hits = 1) and from a second hit's columns (the same chain found twice).
    double search_sum = 0, realigned_sum = 0;
    for (int idx : {2, 19, 33, 47}) {
      std::string t(lib.sequence(idx));
      const int n = int(t.size()), del_at = n / 3, del = 6, ins_at = (2 * n) / 3 - del;
      std::string q = mutate(t, 0.5, 100 + idx);
      q.erase(size_t(del_at), size_t(del));
      q.insert(size_t(ins_at), "GSGSGSGS");
      std::vector<int> truth;   // query residue -> template residue (-1 = inserted)
      for (int j = 0; j < n; ++j)
        if (j < del_at || j >= del_at + del) truth.push_back(j);
      truth.insert(truth.begin() + ins_at, 8, -1);
      REQUIRE(truth.size() == q.size());
      SearchOptions so;
      so.max_evalue = 1e9;
      auto hits = search_templates(lib, q, so);
      REQUIRE(!hits.empty());
      REQUIRE(hits[0].index == idx);
      auto correct = [&](const TemplateHit& h) {
        int c = 0;
        for (size_t i = 0; i < truth.size(); ++i) c += truth[i] >= 0 && h.query_to_template[i] == truth[i];
        return double(c) / (n - del);
      };
      RealignOptions ro;
      ro.max_evalue = ro.profile_max_evalue = 1e9;
      ro.min_profile_hits = 2;
      std::vector<TemplateHit> one{hits[0]};
      realign_hits(lib, q, one, ro);   // a single hit: below min_profile_hits, nothing changes
      CHECK(one[0].ops == hits[0].ops);
      ro.min_profile_hits = 1;
      realign_hits(lib, q, one, ro);
      std::vector<TemplateHit> two{hits[0], hits[0]};
      realign_hits(lib, q, two, ro);
      MESSAGE(lib.names[idx] << ": true pairs, search " << correct(hits[0]) << ", realigned " << correct(one[0])
                             << ", with a second hit's columns " << correct(two[0]));
      CHECK(correct(one[0]) > 0.8);
      CHECK(correct(two[0]) > 0.85);
      CHECK(correct(two[0]) >= correct(hits[0]) - 0.02);
      search_sum += correct(hits[0]), realigned_sum += correct(two[0]);
      // the alignment fields agree with each other
      int pairs = 0;
      for (char op : two[0].ops) pairs += op == 'M';
      CHECK(two[0].coverage == doctest::Approx(double(pairs) / q.size()));
      CHECK(two[0].query_to_template[size_t(two[0].query_begin)] == two[0].template_begin);
    }
    // measured: 0.807 -> 0.924 (the search's local alignment of 1AHO_A stops at the deletion)
    CHECK(realigned_sum / 4 > search_sum / 4 + 0.08);
  }

  SUBCASE("a predicted profile in the query's columns improves realignment") {
    // A 65 %-substituted copy of a chain, realigned alone (min_profile_hits = 1). The "predicted"
    // profile here is the template's own frequency profile carried through the true
    // correspondence, with 40 % of its residues' columns replaced by background (a model is
    // never that good): the columns must pull the alignment towards the truth, and a
    // predicted_weight of 0 must leave it exactly as without.
    double without_sum = 0, with_sum = 0;
    for (int idx : {3, 21, 38, 52}) {
      std::string t(lib.sequence(idx));
      const int n = int(t.size()), del_at = n / 2, del = 5;
      std::string q = mutate(t, 0.65, 300 + idx);
      q.erase(size_t(del_at), size_t(del));
      std::vector<int> truth;
      for (int j = 0; j < n; ++j)
        if (j < del_at || j >= del_at + del) truth.push_back(j);
      const uint8_t* codes = lib.profile_codes(size_t(idx));
      std::vector<float> predicted(q.size() * kProfileDims, 1.0f / kProfileDims);
      std::mt19937 rng(7 + idx);
      for (size_t i = 0; i < q.size(); ++i)
        if (rng() % 10 >= 4)
          for (int a = 0; a < kProfileDims; ++a) predicted[i * kProfileDims + a] = lib.code_frequencies(codes[truth[i]])[a];
      SearchOptions so;
      so.max_evalue = 1e9;
      auto hits = search_templates(lib, q, so);
      auto it = std::find_if(hits.begin(), hits.end(), [&](const TemplateHit& h) { return h.index == idx; });
      REQUIRE(it != hits.end());
      auto correct = [&](const TemplateHit& h) {
        int c = 0;
        for (size_t i = 0; i < truth.size(); ++i) c += h.query_to_template[i] == truth[i];
        return double(c) / truth.size();
      };
      RealignOptions ro;
      ro.max_evalue = ro.profile_max_evalue = 1e9;
      std::vector<TemplateHit> plain{*it}, zero{*it}, helped{*it};
      realign_hits(lib, q, plain, ro);
      ro.predicted_profile = predicted.data();
      ro.predicted_weight = 0.0;
      realign_hits(lib, q, zero, ro);
      CHECK(zero[0].ops == plain[0].ops);
      ro.predicted_weight = 1.0;
      realign_hits(lib, q, helped, ro);
      MESSAGE(lib.names[idx] << ": true pairs, realigned " << correct(plain[0]) << ", with the predicted profile "
                             << correct(helped[0]));
      CHECK(correct(helped[0]) >= correct(plain[0]) - 0.02);
      without_sum += correct(plain[0]), with_sum += correct(helped[0]);
    }
    CHECK(with_sum / 4 > without_sum / 4 + 0.05);
  }

  SUBCASE("the byte pass gives the int16 score wherever it does not saturate") {
    // Related pairs (self, 30 % mutated) score past the byte range and must be flagged (-1),
    // unrelated ones (shuffled, other chains) must agree exactly with the int16 kernel.
    std::mt19937 rng(21);
    int exact = 0, saturated = 0;
    for (double w : {0.5, 1.5}) {
      SearchOptions opt;
      opt.weight_sequence = opt.weight_profile = w;
      for (int idx : {1, 12, 27, 46}) {
        std::string self(lib.sequence(idx)), shuffled = self;
        std::shuffle(shuffled.begin(), shuffled.end(), rng);
        for (const std::string& q : {self, mutate(self, 0.3, idx), shuffled, self.substr(0, 20)})
          for (int t = 0; t < int(lib.size()); ++t) {
            int s16 = align_score_pass(lib, q, t, opt, false);
            int s8 = align_score_pass(lib, q, t, opt, true);
            CHECK(align_score(lib, q, t, opt) == s16);
            if (s8 < 0) {
              ++saturated;
              CHECK(s16 >= 255 - 64);  // only near-saturating scores are handed to int16
            } else {
              ++exact;
              CHECK(s8 == s16);
            }
          }
      }
    }
    MESSAGE("byte pass: " << exact << " exact, " << saturated << " rescored in int16");
    CHECK(saturated >= 8);  // every self pair at least
    CHECK(exact > saturated);
  }
}

TEST_CASE("template restraints: weak hits restrain lightly only when no hit is confident") {
  const Library* lp = small_library();
  if (!lp) {
    MESSAGE("skipped: promod3 not available");
    return;
  }
  const Library& lib = *lp;
  const int idx = 12;
  const std::string q = mutate(std::string(lib.sequence(idx)), 0.4, 7);
  SearchOptions so;
  so.max_evalue = 1e9;
  std::vector<TemplateHit> hits = search_templates(lib, q, so);
  REQUIRE(hits.size() >= 2);
  REQUIRE(hits[0].index == idx);
  REQUIRE(hits[0].evalue <= kConfidentEvalue);
  auto restrain = [&](const std::vector<TemplateHit>& h, std::vector<TemplateUse>& used) {
    FoldInput in;
    in.length = int(q.size());
    template_restraints_from_hits(lib, h, in, used);
    return in;
  };
  const int L = int(q.size());
  auto restrained = [&](const FoldInput& in) {
    int n = 0;
    for (int i = 0; i < L; ++i) n += std::isfinite(in.template_ca[size_t(3 * i)]) ? 1 : 0;
    return n;
  };
  // A confident first hit: only confident hits are used, all marked confident.
  std::vector<TemplateHit> mixed = hits;
  for (size_t k = 1; k < mixed.size(); ++k) mixed[k].evalue = std::max(mixed[k].evalue, 0.5);
  std::vector<TemplateUse> used;
  FoldInput a = restrain(mixed, used);
  REQUIRE(used.size() == 1);
  CHECK(used[0].id == lib.names[size_t(idx)]);
  CHECK(used[0].confident);
  CHECK(a.template_pairs.empty());
  const float full = template_weight(mixed[0]);
  // The same hits, none confident: they restrain at kWeakTemplateWeight, marked weak.
  std::vector<TemplateHit> weak = mixed;
  weak[0].evalue = 0.5;
  used.clear();
  FoldInput b = restrain(weak, used);
  REQUIRE(!used.empty());
  CHECK(used[0].id == lib.names[size_t(idx)]);
  for (const TemplateUse& u : used) CHECK_FALSE(u.confident);
  CHECK(restrained(b) == restrained(a));
  for (int i = 0; i < L; ++i)
    if (std::isfinite(a.template_ca[size_t(3 * i)]) && a.template_weight[size_t(i)] > 0) {
      CHECK(a.template_weight[size_t(i)] == doctest::Approx(full));
      CHECK(b.template_weight[size_t(i)] == doctest::Approx(kWeakTemplateWeight * template_weight(weak[0])));
    }
  // distogram_agreement: a distogram peaked at the true chain's own Cβ distances (with 20 % spread
  // to neighbouring bins) prefers the true chain to any other hit through its alignment.
  {
    FoldInput in;
    in.length = L;
    in.bin_edges.clear();
    for (int e = 2; e <= 22; ++e) in.bin_edges.push_back(float(e));
    const int nb = int(in.bin_edges.size()) + 1;
    in.distogram.assign(size_t(L) * L * nb, 0.0f);
    Backbone truth = template_backbone(lib, size_t(idx));
    for (int i = 0; i < L; ++i)
      for (int j = 0; j < L; ++j) {
        int ti = hits[0].query_to_template[size_t(i)], tj = hits[0].query_to_template[size_t(j)];
        int k = nb - 1;   // unaligned: "far", as a single-sequence model says when it knows nothing
        if (ti >= 0 && tj >= 0) {
          double d = (truth.cb[size_t(ti)] - truth.cb[size_t(tj)]).norm();
          k = int(std::upper_bound(in.bin_edges.begin(), in.bin_edges.end(), float(d)) - in.bin_edges.begin());
        }
        float* p = &in.distogram[(size_t(i) * L + j) * nb];
        for (int b = 0; b < nb; ++b) p[b] = 0.01f / nb;
        p[k] += 0.79f;
        if (k > 0) p[k - 1] += 0.1f;
        if (k + 1 < nb) p[k + 1] += 0.1f;
      }
    const double right = distogram_agreement(lib, hits[0], in);
    CHECK(right > 0);
    for (size_t k = 1; k < std::min<size_t>(hits.size(), 6); ++k) {
      if (hits[k].index == idx) continue;
      CHECK(distogram_agreement(lib, hits[k], in) < right);
    }
  }
  // Past the weak cut-off nothing restrains.
  for (TemplateHit& h : weak) h.evalue = kWeakTemplateEvalue * 2;
  used.clear();
  FoldInput c = restrain(weak, used);
  CHECK(used.empty());
  CHECK(restrained(c) == 0);
}

TEST_CASE("template library: corrupt bytes give a clear error") {
  std::string error;
  Library lib;
  std::vector<uint8_t> junk(100, 7);
  CHECK_FALSE(read_library(junk.data(), junk.size(), lib, error));
  CHECK(error.find("bad magic") != std::string::npos);
  CHECK_FALSE(read_library(junk.data(), 10, lib, error));
  CHECK(error.find("truncated") != std::string::npos);
  CHECK_FALSE(read_library_file("/nonexistent/templates.fslib", lib, error));
  CHECK(error.find("/nonexistent/templates.fslib") != std::string::npos);

  if (!have_promod3() || !small_library()) return;
  std::vector<uint8_t> bytes = slurp_bytes(std::string(kTmp) + "/small.fslib");
  REQUIRE(read_library(bytes.data(), bytes.size(), lib, error));
  // truncated anywhere
  for (size_t cut : {size_t(60), bytes.size() / 3, bytes.size() - 5}) {
    CHECK_FALSE(read_library(bytes.data(), cut, lib, error));
    CHECK(!error.empty());
  }
  // wrong version
  std::vector<uint8_t> bad = bytes;
  bad[8] = 99;
  CHECK_FALSE(read_library(bad.data(), bad.size(), lib, error));
  CHECK(error.find("version") != std::string::npos);
  // a chain length that no longer sums to the residue count
  bad = bytes;
  size_t lengths_at = 56 + 256 * 20 * 4;
  bad[lengths_at] ^= 0x01;
  CHECK_FALSE(read_library(bad.data(), bad.size(), lib, error));
  CHECK(error.find("corrupt") != std::string::npos);
  // trailing garbage
  bad = bytes;
  bad.push_back(0);
  CHECK_FALSE(read_library(bad.data(), bad.size(), lib, error));
}
