// C entry points of the prediction module (foldsight_predict.wasm): what web/predict_core.mjs
// calls in the browser's prediction worker and under Node for `foldsight predict`. Holds the
// loaded template library and one folding session; returns strings that stay valid until the
// next call of the same function.
#include <emscripten/emscripten.h>
#include <algorithm>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <memory>
#include <string>
#include <vector>
#include "core/io.h"
#include "predict/backbone.h"
#include "predict/fold.h"
#include "predict/library.h"
#include "predict/predict_pipeline.h"

using namespace foldsight;

namespace {
struct PredictModule {
  std::string error;
  std::unique_ptr<TemplateLibrary> library;
  std::string search_json;
  // The last search (for at least kTemplateSearchHits hits): fold_begin for the same sequence
  // builds on it instead of searching again (about a tenth of a second for 300 residues).
  std::string searched_sequence;
  std::vector<TemplateHit> searched;
  // Chains (e.g. "1ABC_A") or whole entries ("1ABC") never used as templates: leave-one-out
  // runs on library chains (calibration) must not find the query itself.
  std::vector<std::string> excluded;
  PredictionInput input;          // what fold_begin prepared (kept for the summary)
  std::unique_ptr<FoldSession> session;
  std::string pdb, summary;
};
PredictModule& state() {
  static PredictModule m;   // the module instance is the process: one per worker / CLI run
  return m;
}
double now_ms() { return emscripten_get_now(); }

// search_library without the excluded templates (asks for more hits to make up for them).
std::vector<TemplateHit> search_allowed(const PredictModule& m, const char* sequence, int max_hits) {
  if (m.excluded.empty()) return search_library(*m.library, sequence, max_hits);
  std::vector<TemplateHit> hits = search_library(*m.library, sequence, max_hits + 16 * int(m.excluded.size()));
  auto excluded = [&](const TemplateHit& h) {
    for (const std::string& x : m.excluded)
      if (h.id == x || (x.size() == 4 && h.id.compare(0, 4, x) == 0)) return true;
    return false;
  };
  hits.erase(std::remove_if(hits.begin(), hits.end(), excluded), hits.end());
  if (hits.size() > size_t(max_hits)) hits.resize(size_t(max_hits));
  return hits;
}

}  // namespace

extern "C" {

EMSCRIPTEN_KEEPALIVE const char* fsp_last_error() { return state().error.c_str(); }

EMSCRIPTEN_KEEPALIVE int fsp_library_load(const uint8_t* data, size_t size) {
  auto lib = std::make_unique<TemplateLibrary>();
  std::string err;
  if (!read_library(data, size, *lib, err)) {
    state().error = err;
    return -1;
  }
  state().library = std::move(lib);
  state().searched_sequence.clear();   // hit indices refer to the library they came from
  state().searched.clear();
  return 0;
}

// Comma-separated chain names or 4-character entries to leave out of every later search and
// prediction ("" clears the list).
EMSCRIPTEN_KEEPALIVE int fsp_exclude_templates(const char* csv) {
  PredictModule& m = state();
  m.excluded.clear();
  m.searched_sequence.clear(), m.searched.clear();
  std::string s(csv ? csv : "");
  for (size_t b = 0; b < s.size();) {
    size_t e = s.find(',', b);
    if (e == std::string::npos) e = s.size();
    if (e > b) m.excluded.push_back(s.substr(b, e - b));
    b = e + 1;
  }
  return int(m.excluded.size());
}

EMSCRIPTEN_KEEPALIVE int fsp_library_size() { return state().library ? int(state().library->size()) : 0; }

EMSCRIPTEN_KEEPALIVE const char* fsp_search(const char* sequence, int max_hits) {
  PredictModule& m = state();
  if (!m.library) {
    m.error = "no template library loaded";
    return nullptr;
  }
  std::vector<TemplateHit> hits = search_allowed(m, sequence, max_hits);
  m.search_json = hits_to_json(*m.library, hits);
  if (max_hits >= kTemplateSearchHits) {
    m.searched_sequence = sequence;
    m.searched = std::move(hits);
  }
  return m.search_json.c_str();
}

// Prepares the folding run from the learned model's outputs (layouts as in models/manifest.json)
// and, with use_templates, the best template hits.
EMSCRIPTEN_KEEPALIVE int fsp_fold_begin(const char* sequence, const float* ss8, const float* torsion,
                                        const float* confidence, const float* distogram, int nbins,
                                        int use_templates, const float* profile) {
  PredictModule& m = state();
  ModelOutputs out;
  out.length = int(std::strlen(sequence));
  out.ss8 = ss8, out.torsion = torsion, out.confidence = confidence, out.distogram = distogram;
  out.profile = profile;   // may be null (a model without the auxiliary output)
  out.nbins = nbins;
  std::string err;
  // One search per sequence: the app's own (fsp_search) when it just ran for this sequence.
  const bool templates = use_templates && m.library;
  if (templates && m.searched_sequence != sequence) {
    m.searched_sequence = sequence;
    m.searched = search_allowed(m, sequence, kTemplateSearchHits);
  }
  if (!prepare_prediction(sequence, out, templates ? m.library.get() : nullptr, m.input, &err,
                          templates ? &m.searched : nullptr)) {
    m.error = err;
    return -1;
  }
  m.session = std::make_unique<FoldSession>(m.input.fold, prediction_fold_options(m.input));
  m.pdb.clear(), m.summary.clear();
  return 0;
}

// Runs the folding session for about slice_ms; returns progress 0..1 (1 = done), -1 on error.
EMSCRIPTEN_KEEPALIVE double fsp_fold_step(double slice_ms) {
  PredictModule& m = state();
  if (!m.session) {
    m.error = "fold_begin was not called";
    return -1;
  }
  double t0 = now_ms();
  FoldProgress p = m.session->progress();
  do {
    p = m.session->step(4);
  } while (!p.done && now_ms() - t0 < slice_ms);
  return p.done ? 1.0 : std::min(0.999, double(p.fraction()));
}

EMSCRIPTEN_KEEPALIVE int fsp_fold_frame_count() {
  return state().session && state().session->done() ? int(state().session->result().frames.size()) : 0;
}

EMSCRIPTEN_KEEPALIVE const float* fsp_fold_frame(int i) {
  const auto& frames = state().session->result().frames;
  return i >= 0 && i < int(frames.size()) ? frames[size_t(i)].data() : nullptr;
}

EMSCRIPTEN_KEEPALIVE const char* fsp_fold_pdb() {
  PredictModule& m = state();
  if (!m.session || !m.session->done()) return "";
  Structure s = prediction_structure(m.input, m.session->result());
  m.pdb = write_pdb(s);
  return m.pdb.c_str();
}

// A template chain of the library as PDB text (backbone N CA C O + CB, as stored), so the app
// can show it superposed on the prediction. "" with fsp_last_error set when unknown.
EMSCRIPTEN_KEEPALIVE const char* fsp_template_pdb(const char* name) {
  PredictModule& m = state();
  m.pdb.clear();
  int i = m.library ? find_template(*m.library, name) : -1;
  if (i < 0) {
    m.error = std::string("no template named ") + name + " in the library";
    return m.pdb.c_str();
  }
  Backbone bb = template_backbone(*m.library, size_t(i));
  std::string seq(m.library->sequence(size_t(i)));
  m.pdb = write_pdb(backbone_to_structure(bb, seq, {}, "A", name));
  return m.pdb.c_str();
}

EMSCRIPTEN_KEEPALIVE const char* fsp_fold_summary() {
  PredictModule& m = state();
  if (!m.session || !m.session->done()) return "{}";
  m.summary = prediction_summary_json(m.input, m.session->result());
  return m.summary.c_str();
}

}  // extern "C"
