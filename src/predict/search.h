// Template search: finds library chains related to a query sequence.
// 1. k-mer prefilter: BLOSUM62-similar 3-mers of the query are looked up in the library's
//    k-mer index; hits are summed per (chain, diagonal band) and the best chains kept.
// 2. Striped Smith-Waterman (affine gaps; SSE2 natively, SIMD128 in wasm, plain loops
//    otherwise; integer arithmetic, so every build gives the same scores) of the query
//    against each candidate, scoring a query residue against the template residue AND the
//    template's profile code: w_seq * BLOSUM62 + w_prof * log-odds of the code's frequencies.
//    A first pass in 16 biased, saturating uint8 lanes scores every candidate; the few whose
//    score may have saturated (related chains) are rescored in int16 lanes, so the scores are
//    exact either way.
// 3. E-value from an extreme-value fit (lambda, K) calibrated on the library with shuffled
//    queries (calibrate_search), then a full traceback for the reported hits.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include "predict/library.h"

namespace foldsight {

struct SearchOptions {
  double weight_sequence = 0.5;   // BLOSUM62 share of the match score
  double weight_profile = 0.5;    // template profile log-odds share (an a-priori even mix: never tuned on benchmark targets)
  int gap_open = 11;              // half-bits; a gap of g residues costs open + g * extend
  int gap_extend = 1;
  int kmer_threshold = 11;        // min BLOSUM62 score (half-bits) of a similar 3-mer
  int max_candidates = 3000;      // chains passed from the prefilter to Smith-Waterman
  int max_hits = 50;              // hits returned (best E-value first)
  double max_evalue = 10.0;       // hits above are dropped
  // Extreme-value parameters of the score (in score units, see kScoreScale) for the default
  // weights and gaps; fitted by calibrate_search on the full library.
  double lambda = 0.0;            // 0 = use the built-in calibration
  double k = 0.0;
};

// Score units: 1/kScoreScale bit.
constexpr int kScoreScale = 3;

struct TemplateHit {
  int index = -1;                // chain index in the library
  std::string id;                // chain name
  double identity = 0;           // identical residues / aligned pairs
  double coverage = 0;           // aligned query residues / query length
  double evalue = 0;
  int score = 0;                 // raw alignment score (1/kScoreScale bits)
  double bits = 0;               // bit score
  int query_begin = 0, query_end = 0;        // 0-based, end exclusive
  int template_begin = 0, template_end = 0;
  std::string ops;               // alignment: 'M' aligned pair, 'I' query-only, 'D' template-only
  std::vector<int> query_to_template;  // per query residue: aligned template residue or -1
};

// A residue letter as 0..19 (ACDEFGHIKLMNPQRSTVWY, either case) or 20 for anything else.
int residue_index(char c);
// BLOSUM62 score in half-bits of two residue indices (-1 where either is 20).
int blosum62(int a, int b);

// Sets a hit's alignment from its path `ops` ('M', 'I', 'D') starting at query residue
// query_begin and template residue template_begin: ops, begin/end, query_to_template (for a
// query of m residues), identity (pairs where same(i, j)) and coverage.
template <class Same>
void set_alignment(TemplateHit& hit, std::string ops, int query_begin, int template_begin, int m, Same same) {
  int i = query_begin, j = template_begin, identical = 0, pairs = 0;
  hit.query_to_template.assign(size_t(m), -1);
  for (char op : ops) {
    if (op == 'M') {
      hit.query_to_template[size_t(i)] = j;
      identical += same(i, j) ? 1 : 0;
      ++pairs, ++i, ++j;
    } else if (op == 'I') {
      ++i;
    } else {
      ++j;
    }
  }
  hit.query_begin = query_begin, hit.template_begin = template_begin, hit.query_end = i, hit.template_end = j;
  hit.ops = std::move(ops);
  hit.identity = pairs ? double(identical) / pairs : 0.0;
  hit.coverage = m ? double(pairs) / m : 0.0;
}

// Builds lib.kmers (called by read_library).
void build_kmer_index(Library& lib);

std::vector<TemplateHit> search_templates(const Library& lib, std::string_view query,
                                          const SearchOptions& opt = SearchOptions());

// Smith-Waterman score of query vs library chain `index` (the vectorised kernel), exposed for
// calibration and tests.
int align_score(const Library& lib, std::string_view query, int index, const SearchOptions& opt);

// One striped pass on its own, for tests: bytes = false gives the int16 kernel's score;
// bytes = true the byte kernel's, or -1 where it may have saturated (or the scores do not fit
// in bytes), the cases align_score rescores with int16.
int align_score_pass(const Library& lib, std::string_view query, int index, const SearchOptions& opt,
                     bool bytes);

// Fits lambda and K: `n_queries` shuffled library sequences, each aligned to `n_targets`
// random library chains (fixed seed), maximum likelihood Gumbel with location ln(K m n)/lambda.
void calibrate_search(const Library& lib, int n_queries, int n_targets, SearchOptions& opt);

}  // namespace foldsight
