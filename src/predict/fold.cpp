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

// Stages admit restraints up to these sequence separations; shares of the iteration budget. The
// last stage weakens the pair restraints and strengthens sterics, so that conflicting restraints
// cannot leave clashes.
const int kStages = 4;
const int kStageSeparation[kStages] = {12, 36, 1 << 30, 1 << 30};
const double kStageShare[kStages] = {0.2, 0.2, 0.5, 0.1};
const double kStageSteric[kStages] = {1, 1, 1, 10};
const double kStageRestraint[kStages] = {1, 1, 1, 0.2};

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
  std::vector<Eigen::VectorXd> starts;
  Rng rng;
  int start = 0, stage = 0, stage_iterations = 0;
  Lbfgs opt;
  EnergyFunction fn;
  // Trajectory of the current start: every `stride`-th iteration, thinned by half when full.
  std::vector<std::vector<float>> frames;
  int stride = 1, since_frame = 0;
  // Best finished start.
  Eigen::VectorXd best_x;
  double best_energy = INFINITY;
  int best_start = -1;
  std::vector<std::vector<float>> best_frames;

  State(const FoldInput& in, const FoldOptions& o) : input(in), options(o), rng{o.seed} {}

  int stage_budget(int s) const {
    return std::max(1, (int)std::lround(options.iterations_per_start * kStageShare[s]));
  }
  std::vector<float> ca_of(const Eigen::VectorXd& x) {
    std::vector<Vec3> n, ca, c;
    build_chain(x, input.length, n, ca, c, nullptr);
    std::vector<float> f(3 * ca.size());
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
  void begin_start() {
    stage = 0;
    stage_iterations = 0;
    energy.max_separation = kStageSeparation[0];
    energy.steric_scale = kStageSteric[0];
    energy.restraint_scale = kStageRestraint[0];
    opt = Lbfgs();
    opt.options = options.lbfgs;
    opt.start(starts[start], fn);
    frames.clear();
    stride = 1;
    since_frame = 0;
    record(true);
  }
  // Ends the current start: compares its full-restraint energy with the best so far.
  void finish_start() {
    energy.max_separation = 1 << 30;
    energy.steric_scale = 1;
    energy.restraint_scale = 1;
    Eigen::VectorXd g;
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
};

FoldSession::FoldSession(const FoldInput& input, const FoldOptions& options)
    : state_(new State(input, options)) {
  State& s = *state_;
  const int L = input.length;
  s.energy = make_fold_energy(input, options.weights);
  s.fn = [&s](const Eigen::VectorXd& x, Eigen::VectorXd& g) { return s.energy.evaluate(x, g); };

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

  progress_.starts = (int)s.starts.size();
  int per_start = 0;
  for (int k = 0; k < kStages; ++k) per_start += s.stage_budget(k);
  progress_.total_iterations = per_start * progress_.starts;
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
    bool moving = s.opt.iterate(s.fn);
    ++s.stage_iterations;
    ++progress_.iterations;
    --budget;
    s.record(false);
    if (moving && s.stage_iterations < s.stage_budget(s.stage)) continue;
    // Stage over (budget spent or converged): skipped iterations still count as progress.
    progress_.iterations += s.stage_budget(s.stage) - s.stage_iterations;
    if (s.stage + 1 < kStages) {
      ++s.stage;
      s.stage_iterations = 0;
      s.energy.max_separation = kStageSeparation[s.stage];
      s.energy.steric_scale = kStageSteric[s.stage];
      s.energy.restraint_scale = kStageRestraint[s.stage];
      Eigen::VectorXd x = s.opt.x;
      s.opt = Lbfgs();
      s.opt.options = s.options.lbfgs;
      s.opt.start(x, s.fn);
      continue;
    }
    s.finish_start();
    progress_.best_energy = s.best_energy;
    if (++s.start < (int)s.starts.size()) {
      s.begin_start();
      progress_.start = s.start;
      continue;
    }
    // All starts done: the winning model.
    progress_.done = true;
    progress_.iterations = progress_.total_iterations;
    const int L = s.input.length;
    FoldResult& r = result_;
    // Clash cleanup: where conflicting restraints still press CA atoms together, a short run with
    // the restraints nearly off and strong sterics separates them with little change elsewhere.
    {
      std::vector<Vec3> n, ca, c;
      build_chain(s.best_x, L, n, ca, c, nullptr);
      bool clash = false;
      for (int i = 0; i < L && !clash; ++i)
        for (int j = i + 2; j < L; ++j)
          if ((ca[i] - ca[j]).squaredNorm() < 3.2 * 3.2) { clash = true; break; }
      if (clash) {
        s.energy.max_separation = 1 << 30;
        s.energy.restraint_scale = 0.05;
        s.energy.steric_scale = 10;
        Lbfgs clean;
        clean.options = s.options.lbfgs;
        clean.start(s.best_x, s.fn);
        for (int k = 0; k < 300 && clean.iterate(s.fn); ++k) {}
        s.best_x = clean.x;
      }
    }
    r.phi.assign(L, 0); r.psi.assign(L, 0);
    for (int i = 0; i < L; ++i) { r.phi[i] = wrap(s.best_x[i]); r.psi[i] = wrap(s.best_x[L + i]); }
    r.backbone = build_backbone(r.phi, r.psi);
    s.energy.max_separation = 1 << 30;
    s.energy.steric_scale = 1;
    s.energy.restraint_scale = 1;
    Eigen::VectorXd g;
    r.energy = s.energy.evaluate(s.best_x, g, &r.terms);
    r.best_start = s.best_start;
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
  progress_.energy = s.opt.energy;
  return progress_;
}

FoldResult fold(const FoldInput& input, const FoldOptions& options, FoldProgress* progress) {
  FoldSession session(input, options);
  while (!session.done()) session.step(1 << 20);
  if (progress) *progress = session.progress();
  return session.result();
}

}  // namespace foldsight
