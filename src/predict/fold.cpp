#include "predict/fold.h"
#include <algorithm>
#include <cmath>
#include <Eigen/Geometry>
#include "predict/confidence.h"

namespace foldsight {

namespace {

// splitmix64 + Box-Muller: the same numbers natively and in wasm (std distributions differ
// between standard libraries).
struct Rng {
  uint64_t s;
  uint64_t next() {
    uint64_t z = (s += 0x9e3779b97f4a7c15ull);
    z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9ull;
    z = (z ^ (z >> 27)) * 0x94d049bb133111ebull;
    return z ^ (z >> 31);
  }
  double uniform() { return (next() >> 11) * (1.0 / 9007199254740992.0); }
  double normal() {
    double u = std::max(uniform(), 1e-300), v = uniform();
    return std::sqrt(-2 * std::log(u)) * std::cos(2 * M_PI * v);
  }
};

// Torsion stages admit restraints up to a sequence separation, with shares of the iteration
// budget. The last stage weakens the pair restraints and strengthens sterics, so that conflicting
// restraints cannot leave clashes. The Cartesian-derived start skips the separation staging (its
// fold is already global) and begins pulled towards its trace (guided).
struct TorsionStage {
  int max_separation;
  double steric, restraint, share;
  bool guided;
};
const int kStages = 4;
const TorsionStage kTorsionStages[kStages] = {
    {12, 1, 1, 0.2, false}, {36, 1, 1, 0.2, false}, {1 << 30, 1, 1, 0.5, false}, {1 << 30, 10, 0.2, 0.1, false}};
const int kRefineStageCount = 3;
const TorsionStage kRefineStages[kRefineStageCount] = {
    {1 << 30, 1, 1, 0.4, true}, {1 << 30, 1, 1, 0.45, false}, {1 << 30, 10, 0.2, 0.15, false}};
// Cartesian stages: free refinement, then stiff chain geometry (CA-CA 3.8 Å) for the hand-over.
const int kCoordStages = 2;
const double kCoordShare[kCoordStages] = {0.75, 0.25};
const double kCoordGeometry[kCoordStages] = {1, 10};
const int kCleanupIterations = 300;

bool has_template(const FoldInput& in) {
  if ((int)in.template_ca.size() != 3 * in.length) return false;
  for (int i = 0; i < in.length; ++i)
    if (std::isfinite(in.template_ca[3 * i]) && i < (int)in.template_weight.size() && in.template_weight[i] > 0)
      return true;
  return false;
}

// Torsions of the template where three consecutive residues are aligned and chained (CA-CA < 4.2 Å),
// the given ones elsewhere. Short gaps (up to 5 residues) between aligned residues are first
// bridged by CA positions interpolated along the straight line, so the start spans them plausibly.
void template_torsions(const FoldInput& in, std::vector<double>& phi, std::vector<double>& psi) {
  const int L = in.length;
  std::vector<Vec3> trace(L);
  std::vector<uint8_t> have(L, 0);
  for (int i = 0; i < L; ++i)
    if (std::isfinite(in.template_ca[3 * i])) {
      trace[i] = Vec3(in.template_ca[3 * i], in.template_ca[3 * i + 1], in.template_ca[3 * i + 2]);
      have[i] = 1;
    }
  for (int i = 0; i < L; ++i) {
    if (!have[i] || i + 1 >= L || have[i + 1]) continue;
    int j = i + 1;
    while (j < L && !have[j]) ++j;
    int gap = j - i - 1;
    if (j < L && gap <= 5 && (trace[j] - trace[i]).norm() < ideal::kCaCaTrans * (gap + 1)) {
      for (int k = i + 1; k < j; ++k) {
        trace[k] = trace[i] + (trace[j] - trace[i]) * double(k - i) / (j - i);
        have[k] = 2;
      }
    }
    i = j - 1;
  }
  auto ok = [&](int i) { return i >= 0 && i < L && have[i]; };
  int i = 0;
  while (i < L) {
    if (!ok(i)) { ++i; continue; }
    int j = i;
    while (ok(j + 1) && (trace[j + 1] - trace[j]).norm() < 4.2) ++j;
    if (j - i + 1 >= 3) {
      std::vector<Vec3> seg(trace.begin() + i, trace.begin() + j + 1);
      Backbone bb = backbone_from_ca(seg);
      std::vector<double> ph, ps, om;
      backbone_torsions(bb, ph, ps, om);
      for (int k = i; k <= j; ++k) {
        if (std::isfinite(ph[k - i]) && k > i) phi[k] = ph[k - i];
        if (std::isfinite(ps[k - i]) && k < j) psi[k] = ps[k - i];
      }
    }
    i = j + 1;
  }
}

double wrap(double a) { return std::remainder(a, 2 * M_PI); }

}  // namespace

void default_torsions(const FoldInput& in, std::vector<double>& phi, std::vector<double>& psi) {
  const int L = in.length;
  phi.assign(L, -75 * M_PI / 180);
  psi.assign(L, 145 * M_PI / 180);
  if ((int)in.ss_probs.size() != 8 * L) return;
  for (int i = 0; i < L; ++i) {
    const float* p = &in.ss_probs[8 * i];
    double helix = p[0] + p[1] + p[2], strand = p[3] + p[4];
    if (helix > 0.5) { phi[i] = -63 * M_PI / 180; psi[i] = -42 * M_PI / 180; }
    else if (strand > 0.5) { phi[i] = -120 * M_PI / 180; psi[i] = 130 * M_PI / 180; }
  }
}

struct FoldSession::State {
  const FoldInput& input;
  FoldOptions options;
  FoldEnergy energy;
  FoldEnergy guided;          // Cartesian-derived start: plus the refined trace's CA distances
  FoldEnergy* active = nullptr;
  CoordEnergy cenergy;
  bool cart = false;          // the Cartesian phase runs; then starts[0] is its hand-over
  int phase = 0;              // 0 = Cartesian, 1 = torsion space, 2 = clash cleanup of the winner
  std::vector<Eigen::VectorXd> cstarts, starts;
  Eigen::VectorXd predicted;  // torsions from the input (fills the ends of the hand-over)
  Rng rng;
  int cstart = 0, start = 0, stage = 0, stage_iterations = 0;
  Lbfgs opt;
  EnergyFunction fn, cfn;
  // Trajectory of the current start: every `stride`-th iteration, thinned by half when full.
  std::vector<std::vector<float>> frames;
  int stride = 1, since_frame = 0;
  // Best finished Cartesian start.
  Eigen::VectorXd best_cart_x;
  double best_cart_energy = INFINITY;
  std::vector<std::vector<float>> best_cart_frames;
  int best_cart_stride = 1;
  // Best finished torsion start.
  Eigen::VectorXd best_x;
  double best_energy = INFINITY;
  int best_start = -1;
  std::vector<std::vector<float>> best_frames;

  State(const FoldInput& in, const FoldOptions& o) : input(in), options(o), rng{o.seed} {}

  bool refining() const { return phase == 1 && cart && start == 0; }
  const TorsionStage* stages() const { return refining() ? kRefineStages : kTorsionStages; }
  int stage_count() const { return phase == 0 ? kCoordStages : refining() ? kRefineStageCount : kStages; }
  int stage_budget(int s) const { return budget(phase, phase == 1 && cart && start == 0, s); }
  int budget(int ph, bool refine, int s) const {
    if (ph == 0) return std::max(1, (int)std::lround(options.coordinate_iterations * kCoordShare[s]));
    double base = options.iterations_per_start * (refine ? options.refine_share : 1.0);
    return std::max(1, (int)std::lround(base * (refine ? kRefineStages[s].share : kTorsionStages[s].share)));
  }
  int start_budget(int ph, bool refine) const {
    int n = ph == 0 ? kCoordStages : refine ? kRefineStageCount : kStages, t = 0;
    for (int k = 0; k < n; ++k) t += budget(ph, refine, k);
    return t;
  }
  std::vector<float> ca_of(const Eigen::VectorXd& x) {
    std::vector<float> f;
    if (phase == 0) {
      f.resize(x.size());
      for (int i = 0; i < (int)x.size(); ++i) f[i] = (float)x[i];
      return f;
    }
    std::vector<Vec3> n, ca, c;
    build_chain(x, input.length, n, ca, c, nullptr);
    f.resize(3 * ca.size());
    for (size_t i = 0; i < ca.size(); ++i)
      for (int k = 0; k < 3; ++k) f[3 * i + k] = (float)ca[i][k];
    return f;
  }
  void record(bool force) {
    if (!force && ++since_frame < stride) return;
    since_frame = 0;
    frames.push_back(ca_of(opt.x));
    if ((int)frames.size() >= 2 * std::max(options.max_frames, 2)) {
      std::vector<std::vector<float>> kept;
      for (size_t i = 0; i < frames.size(); i += 2) kept.push_back(std::move(frames[i]));
      frames.swap(kept);
      stride *= 2;
    }
  }
  void apply_stage() {
    if (phase == 0) {
      cenergy.geometry_scale = kCoordGeometry[stage];
      cenergy.restraint_scale = 1;
      return;
    }
    const TorsionStage& t = stages()[stage];
    active = t.guided ? &guided : &energy;
    active->max_separation = t.max_separation;
    active->steric_scale = t.steric;
    active->restraint_scale = t.restraint;
  }
  void restart_minimiser(const Eigen::VectorXd& x) {
    opt = Lbfgs();
    opt.options = options.lbfgs;
    if (phase == 0) opt.options.max_change = 2.0;  // Å per iteration
    opt.start(x, phase == 0 ? cfn : fn);
  }
  void begin_start() {
    stage = 0;
    stage_iterations = 0;
    apply_stage();
    restart_minimiser(phase == 0 ? cstarts[cstart] : starts[start]);
    if (refining()) {  // the movie goes on from the Cartesian run
      frames = best_cart_frames;
      stride = best_cart_stride;
    } else {
      frames.clear();
      stride = 1;
    }
    since_frame = 0;
    record(true);
  }
  // Ends the current start: compares its full-restraint energy with the best so far.
  void finish_start() {
    Eigen::VectorXd g;
    if (phase == 0) {
      cenergy.geometry_scale = 1;
      cenergy.restraint_scale = 1;
      double e = cenergy.evaluate(opt.x, g);
      if (e < best_cart_energy) {
        best_cart_energy = e;
        best_cart_x = opt.x;
        if (frames.empty() || frames.back() != ca_of(opt.x)) frames.push_back(ca_of(opt.x));
        best_cart_frames = std::move(frames);
        best_cart_stride = stride;
      }
      frames.clear();
      return;
    }
    energy.max_separation = 1 << 30;
    energy.steric_scale = 1;
    energy.restraint_scale = 1;
    double e = energy.evaluate(opt.x, g);
    if (e < best_energy) {
      best_energy = e;
      best_x = opt.x;
      best_start = start;
      if (frames.empty() || frames.back() != ca_of(opt.x)) frames.push_back(ca_of(opt.x));
      best_frames = std::move(frames);
    }
    frames.clear();
  }
  bool has_clash() const {
    std::vector<Vec3> n, ca, c;
    build_chain(best_x, input.length, n, ca, c, nullptr);
    for (int i = 0; i < input.length; ++i)
      for (int j = i + 2; j < input.length; ++j)
        if ((ca[i] - ca[j]).squaredNorm() < 3.2 * 3.2) return true;
    return false;
  }
  // Cartesian phase over: the best trace becomes torsions (ideal geometry rebuilt around its CA),
  // and the guided energy that pulls the torsion chain towards the trace.
  void hand_over() {
    const int L = input.length;
    std::vector<Vec3> trace = to_points(best_cart_x);
    std::vector<double> phi, psi;
    torsions_from_trace(trace, phi, psi);
    Eigen::VectorXd x = predicted;
    for (int i = 0; i < L; ++i) {
      if (std::isfinite(phi[i])) x[i] = phi[i];
      if (std::isfinite(psi[i])) x[L + i] = psi[i];
    }
    starts[0] = x;
    FoldInput g;  // no distogram: the trace already carries it, and the plain stages add it back
    g.length = L;
    g.sequence = input.sequence;
    g.phi = input.phi;
    g.psi = input.psi;
    g.torsion_weight = input.torsion_weight;
    g.template_ca.resize(3 * L);
    for (int i = 0; i < L; ++i)
      for (int k = 0; k < 3; ++k) g.template_ca[3 * i + k] = (float)trace[i][k];
    g.template_weight.assign(L, 1.f);
    FoldWeights w = options.weights;
    w.template_cutoff = 16.0;
    guided = make_fold_energy(g, w);
  }
};

FoldSession::FoldSession(const FoldInput& input, const FoldOptions& options)
    : state_(new State(input, options)) {
  State& s = *state_;
  const int L = input.length;
  s.energy = make_fold_energy(input, options.weights);
  s.active = &s.energy;
  s.fn = [&s](const Eigen::VectorXd& x, Eigen::VectorXd& g) { return s.active->evaluate(x, g); };
  s.cfn = [&s](const Eigen::VectorXd& x, Eigen::VectorXd& g) { return s.cenergy.evaluate(x, g); };

  std::vector<double> phi, psi;
  default_torsions(input, phi, psi);
  for (int i = 0; i < L; ++i) {
    bool known = i < (int)input.torsion_weight.size() && input.torsion_weight[i] > 0;
    if (known && i < (int)input.phi.size() && std::isfinite(input.phi[i])) phi[i] = input.phi[i];
    if (known && i < (int)input.psi.size() && std::isfinite(input.psi[i])) psi[i] = input.psi[i];
  }
  auto pack = [L](const std::vector<double>& a, const std::vector<double>& b) {
    Eigen::VectorXd x(2 * L);
    for (int i = 0; i < L; ++i) { x[i] = a[i]; x[L + i] = b[i]; }
    return x;
  };
  Eigen::VectorXd predicted = pack(phi, psi);
  s.predicted = predicted;
  s.starts.push_back(predicted);
  std::vector<Eigen::VectorXd> bases{predicted};
  if (has_template(input)) {
    std::vector<double> tphi = phi, tpsi = psi;
    template_torsions(input, tphi, tpsi);
    s.starts.push_back(pack(tphi, tpsi));
    bases.push_back(s.starts.back());
  }
  for (int k = (int)s.starts.size(); k < std::max(1, options.starts); ++k) {
    Eigen::VectorXd x = bases[k % bases.size()];
    for (int i = 0; i < 2 * L; ++i) x[i] = wrap(x[i] + options.perturbation * s.rng.normal());
    s.starts.push_back(x);
  }
  if ((int)s.starts.size() > std::max(1, options.starts)) s.starts.resize(std::max(1, options.starts));

  // Cartesian phase: MDS start, its mirror image, noisy copies of both.
  if (options.coordinate_stage && options.coordinate_starts > 0 && L >= 5) {
    Eigen::VectorXd mds = coord_start(input, false);
    if (mds.size() == 3 * L) {
      s.cart = true;
      s.cenergy = make_coord_energy(input, options.coord_weights);
      Eigen::VectorXd mirror = mds;
      for (int i = 0; i < L; ++i) mirror[3 * i] = -mirror[3 * i];
      for (int k = 0; k < options.coordinate_starts; ++k) {
        Eigen::VectorXd x = k % 2 ? mirror : mds;
        if (k >= 2)
          for (int i = 0; i < 3 * L; ++i) x[i] += options.coordinate_noise * s.rng.normal();
        s.cstarts.push_back(x);
      }
      // Where templates place most residues, their trace is the only Cartesian start (it also
      // fixes the handedness the MDS lacks). From the MDS a β-rich chain can settle in a wrongly
      // packed fold that the template restraints, which only act within their cutoff, cannot
      // pull back: 3KST_A (template coverage 98 %) ended at TM 0.31 where a plain copy of the
      // template scores 0.86. With the template start present the MDS starts did not change a
      // model on the training run's held-out chains, and dropping them pays for the further
      // templates' pair restraints (template_restraints.h) within the 3 s budget at L = 300.
      Eigen::VectorXd templ = template_coord_start(input);
      if (templ.size() == 3 * L) s.cstarts.assign(1, templ);
      int keep = std::min((int)s.starts.size(), (int)bases.size() + std::max(0, options.perturbed_starts_with_coordinates));
      s.starts.resize(keep);
      // Nothing predicted the torsions (no torsions, no SS): that start is a generic coil, which
      // torsion space cannot fold; the Cartesian start does its job.
      bool torsions_known = (int)input.ss_probs.size() == 8 * L;
      for (int i = 0; i < L && !torsions_known; ++i)
        torsions_known = i < (int)input.torsion_weight.size() && input.torsion_weight[i] > 0;
      if (!torsions_known || (!options.predicted_start_with_template && has_template(input)))
        s.starts.erase(s.starts.begin());
      s.starts.insert(s.starts.begin(), predicted);  // replaced by the hand-over
    }
  }
  if (!s.cart) s.phase = 1;

  progress_.starts = (int)(s.cstarts.size() + s.starts.size());
  progress_.total_iterations = (int)s.cstarts.size() * s.start_budget(0, false);
  for (int k = 0; k < (int)s.starts.size(); ++k) progress_.total_iterations += s.start_budget(1, s.cart && k == 0);
  if (L == 0) {
    progress_.done = true;
    return;
  }
  s.begin_start();
  progress_.energy = s.opt.energy;
}

FoldSession::~FoldSession() = default;

FoldProgress FoldSession::step(int max_iterations) {
  if (progress_.done) return progress_;
  State& s = *state_;
  int budget = max_iterations;
  while (budget > 0 && !progress_.done) {
    bool moving = s.opt.iterate(s.phase == 0 ? s.cfn : s.fn);
    ++s.stage_iterations;
    --budget;
    if (s.phase == 2) {  // clash cleanup of the winner
      if (moving && s.stage_iterations < kCleanupIterations) continue;
      s.best_x = s.opt.x;
      finish();
      break;
    }
    ++progress_.iterations;
    s.record(false);
    if (moving && s.stage_iterations < s.stage_budget(s.stage)) continue;
    // Stage over (budget spent or converged): skipped iterations still count as progress.
    progress_.iterations += s.stage_budget(s.stage) - s.stage_iterations;
    if (s.stage + 1 < s.stage_count()) {
      ++s.stage;
      s.stage_iterations = 0;
      s.apply_stage();
      Eigen::VectorXd x = s.opt.x;
      s.restart_minimiser(x);
      continue;
    }
    s.finish_start();
    if (s.phase == 0) {
      if (++s.cstart < (int)s.cstarts.size()) {
        s.begin_start();
      } else {
        s.hand_over();
        s.phase = 1;
        s.start = 0;
        s.begin_start();
      }
      progress_.start = s.phase == 0 ? s.cstart : (int)s.cstarts.size() + s.start;
      continue;
    }
    progress_.best_energy = s.best_energy;
    if (++s.start < (int)s.starts.size()) {
      s.begin_start();
      progress_.start = (int)s.cstarts.size() + s.start;
      continue;
    }
    // All starts done. Clash cleanup: where conflicting restraints still press CA atoms together,
    // a short run (its own phase, so that it is time-sliced too) with the restraints nearly off and
    // strong sterics separates them with little change elsewhere.
    s.active = &s.energy;
    if (s.has_clash()) {
      s.phase = 2;
      s.stage_iterations = 0;
      s.energy.max_separation = 1 << 30;
      s.energy.restraint_scale = 0.05;
      s.energy.steric_scale = 10;
      s.restart_minimiser(s.best_x);
      continue;
    }
    finish();
  }
  progress_.energy = s.opt.energy;
  return progress_;
}

void FoldSession::finish() {
  State& s = *state_;
  {
    progress_.done = true;
    progress_.iterations = progress_.total_iterations;
    const int L = s.input.length;
    FoldResult& r = result_;
    s.active = &s.energy;
    r.phi.assign(L, 0); r.psi.assign(L, 0);
    for (int i = 0; i < L; ++i) { r.phi[i] = wrap(s.best_x[i]); r.psi[i] = wrap(s.best_x[L + i]); }
    r.backbone = build_backbone(r.phi, r.psi);
    s.energy.max_separation = 1 << 30;
    s.energy.steric_scale = 1;
    s.energy.restraint_scale = 1;
    Eigen::VectorXd g;
    r.energy = s.energy.evaluate(s.best_x, g, &r.terms);
    r.best_start = s.best_start;
    r.from_coordinates = s.cart && s.best_start == 0;
    r.iterations = progress_.total_iterations;
    r.confidence = residue_confidence(s.input, r.backbone);
    r.predicted_tm = predicted_tm_score(r.confidence);
    // Frames: evenly thinned to max_frames (first and last kept), each superposed on the model.
    std::vector<std::vector<float>>& f = s.best_frames;
    int want = std::max(2, s.options.max_frames);
    if ((int)f.size() > want) {
      std::vector<std::vector<float>> kept;
      for (int k = 0; k < want; ++k) kept.push_back(f[(size_t)std::lround(k * (f.size() - 1.0) / (want - 1))]);
      f.swap(kept);
    }
    Eigen::Matrix3Xd target(3, L);
    for (int i = 0; i < L; ++i) target.col(i) = r.backbone.ca[i];
    for (std::vector<float>& fr : f) {
      Eigen::Matrix3Xd m(3, L);
      for (int i = 0; i < L; ++i) m.col(i) = Vec3(fr[3 * i], fr[3 * i + 1], fr[3 * i + 2]);
      Eigen::Matrix4d t = L >= 3 ? Eigen::umeyama(m, target, false) : Eigen::Matrix4d::Identity();
      for (int i = 0; i < L; ++i) {
        Vec3 p = t.topLeftCorner<3, 3>() * m.col(i) + t.topRightCorner<3, 1>();
        for (int k = 0; k < 3; ++k) fr[3 * i + k] = (float)p[k];
      }
    }
    // The last frame is the final model exactly (not a float round trip of a superposition).
    if (!f.empty())
      for (int i = 0; i < L; ++i)
        for (int k = 0; k < 3; ++k) f.back()[3 * i + k] = (float)r.backbone.ca[i][k];
    r.frames = std::move(f);
  }
}

FoldResult fold(const FoldInput& input, const FoldOptions& options, FoldProgress* progress) {
  FoldSession session(input, options);
  while (!session.done()) session.step(1 << 20);
  if (progress) *progress = session.progress();
  return session.result();
}

}  // namespace foldsight
