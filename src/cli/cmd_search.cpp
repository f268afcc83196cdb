#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include "commands.h"
#include "core/io.h"
#include "predict/library.h"
#include "predict/search.h"

namespace foldsight {

// foldsight search IN.fasta [--library FILE] [--evalue E] [--max-hits N] [--alignments] [--time]
// TSV per hit (PRODUCT.md): id identity coverage evalue score; with several FASTA records each
// block starts with "# QUERYNAME". --alignments adds query/template ranges and the op string.
// foldsight search --calibrate [--library FILE]: fits the E-value parameters on the library.
int cmd_search(int argc, char** argv) {
  const char* usage =
      "usage: foldsight search IN.fasta [--library FILE] [--evalue E] [--max-hits N] [--alignments] [--time]\n"
      "       foldsight search --calibrate [--library FILE]\n";
  std::string library_path = "build/library/templates.fslib", input;
  if (const char* env = std::getenv("FOLDSIGHT_LIBRARY")) library_path = env;
  SearchOptions opt;
  bool alignments = false, timing = false, calibrate = false;
  for (int i = 1; i < argc; ++i) {
    std::string a = argv[i];
    auto value = [&](const char* name) -> const char* {
      if (i + 1 >= argc) {
        std::fprintf(stderr, "foldsight search: %s needs a value\n", name);
        std::exit(2);
      }
      return argv[++i];
    };
    if (a == "--library") library_path = value("--library");
    else if (a == "--evalue") opt.max_evalue = std::atof(value("--evalue"));
    else if (a == "--max-hits") opt.max_hits = std::atoi(value("--max-hits"));
    else if (a == "--alignments") alignments = true;
    else if (a == "--time") timing = true;
    else if (a == "--calibrate") calibrate = true;
    else if (a.size() > 1 && a[0] == '-') {
      std::fprintf(stderr, "foldsight search: unknown option %s\n%s", a.c_str(), usage);
      return 2;
    } else input = a;
  }
  if (input.empty() && !calibrate) {
    std::fprintf(stderr, "%s", usage);
    return 2;
  }
  std::vector<FastaRecord> records;
  if (!calibrate) {
    std::ifstream f(input, std::ios::binary);
    if (!f) {
      std::fprintf(stderr, "%s: cannot open\n", input.c_str());
      return 1;
    }
    std::stringstream ss;
    ss << f.rdbuf();
    ParseError err;
    if (!read_fasta(ss.str(), records, &err)) {
      std::fprintf(stderr, "%s:%d: %s\n", input.c_str(), err.line, err.message.c_str());
      return 1;
    }
    if (records.empty()) {
      std::fprintf(stderr, "%s: no sequence\n", input.c_str());
      return 1;
    }
  }
  auto t0 = std::chrono::steady_clock::now();
  Library lib;
  std::string error;
  if (!read_library_file(library_path, lib, error)) {
    std::fprintf(stderr, "%s\n", error.c_str());
    return 1;
  }
  double load_s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t0).count();
  if (calibrate) {
    calibrate_search(lib, 400, 200, opt);
    std::printf("lambda %.6f K %.6f (chains %zu, residues %zu)\n", opt.lambda, opt.k, lib.size(), lib.residues());
    return 0;
  }
  for (const FastaRecord& r : records) {
    auto t1 = std::chrono::steady_clock::now();
    std::vector<TemplateHit> hits = search_templates(lib, r.sequence, opt);
    double s = std::chrono::duration<double>(std::chrono::steady_clock::now() - t1).count();
    if (records.size() > 1) std::printf("# %s\n", r.name.c_str());
    for (const TemplateHit& h : hits) {
      std::printf("%s\t%.3f\t%.3f\t%.3g\t%d", h.id.c_str(), h.identity, h.coverage, h.evalue, h.score);
      if (alignments)
        std::printf("\t%d-%d\t%d-%d\t%s", h.query_begin + 1, h.query_end, h.template_begin + 1, h.template_end,
                    h.ops.c_str());
      std::printf("\n");
    }
    if (timing)
      std::fprintf(stderr, "search %s: %zu residues, %zu hits, %.3f s (library load %.2f s)\n", r.name.c_str(),
                   r.sequence.size(), hits.size(), s, load_s);
  }
  return 0;
}

}  // namespace foldsight
