#include "app/folding_movie.h"
#include <Eigen/Dense>
#include <algorithm>
#include "core/structural_align.h"

namespace foldsight {

namespace {
// Rigid transform of `src` (L×3) onto `dst` (L×3), least squares.
void superpose_onto(std::vector<float>& src, const float* dst, int n) {
  if (n < 3) return;
  Eigen::Map<Eigen::Matrix<float, Eigen::Dynamic, 3, Eigen::RowMajor>> P(src.data(), n, 3);
  Eigen::Map<const Eigen::Matrix<float, Eigen::Dynamic, 3, Eigen::RowMajor>> Q(dst, n, 3);
  Eigen::RowVector3f cp = P.colwise().mean(), cq = Q.colwise().mean();
  Eigen::Matrix3f H = (P.rowwise() - cp).transpose() * (Q.rowwise() - cq);
  Eigen::JacobiSVD<Eigen::Matrix3f> svd(H, Eigen::ComputeFullU | Eigen::ComputeFullV);
  Eigen::Matrix3f D = Eigen::Matrix3f::Identity();
  D(2, 2) = (svd.matrixV() * svd.matrixU().transpose()).determinant() < 0 ? -1.0f : 1.0f;
  Eigen::Matrix3f R = svd.matrixV() * D * svd.matrixU().transpose();
  for (int i = 0; i < n; ++i) {
    Eigen::Vector3f p = R * (P.row(i) - cp).transpose() + cq.transpose();
    P.row(i) = p.transpose();
  }
}

const char* three_letter(char c) {
  static const char* kAa = "ACDEFGHIKLMNPQRSTVWY";
  static const char* kNames[] = {"ALA", "CYS", "ASP", "GLU", "PHE", "GLY", "HIS", "ILE", "LYS", "LEU",
                                 "MET", "ASN", "PRO", "GLN", "ARG", "SER", "THR", "VAL", "TRP", "TYR"};
  for (int k = 0; k < 20; ++k)
    if (kAa[k] == c) return kNames[k];
  return "UNK";
}
}  // namespace

Structure folding_movie_frame(const FoldingMovie& movie, int frame) {
  Structure s;
  const int L = movie.length();
  if (movie.empty() || L == 0) return s;
  frame = std::clamp(frame, 0, movie.frame_count - 1);
  std::vector<float> xyz(movie.frames.begin() + size_t(frame) * L * 3, movie.frames.begin() + size_t(frame + 1) * L * 3);
  superpose_onto(xyz, movie.frames.data() + size_t(movie.frame_count - 1) * L * 3, L);
  s.name = "folding movie";
  StructureBuilder b(s);
  b.begin_model(1);
  b.begin_chain("A", "A", "1");
  for (int i = 0; i < L; ++i) {
    const char* rn = three_letter(movie.sequence[i]);
    b.begin_residue(make_resname(rn, 3), i + 1, i + 1, ' ', false);
    b.add_atom(make_name4("CA", 2), 6, ' ', xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2], 1.0f, 0.0f, 0, i + 1);
  }
  b.finish();
  // Secondary structure of this frame from its Cα geometry alone (TM-align's assignment), so
  // helices and strands light up as they form during the run.
  std::vector<Vec3d> ca(static_cast<size_t>(L));
  for (int i = 0; i < L; ++i) ca[size_t(i)] = {xyz[3 * i], xyz[3 * i + 1], xyz[3 * i + 2]};
  std::string ss = ca_secondary_structure(ca);
  for (int i = 0; i < L && size_t(i) < s.ss.size(); ++i) s.ss[size_t(i)] = ss[size_t(i)] == 'H' ? 'H' : ss[size_t(i)] == 'E' ? 'E' : '-';
  s.has_ss = true;
  return s;
}

bool folding_movie_advance(FoldingMovie& movie, double dt_ms) {
  if (!movie.playing || movie.empty()) return false;
  // At most one frame per drawn frame: on a slow renderer the movie slows down rather than
  // skipping steps of the folding run (every snapshot is worth seeing when teaching).
  movie.clock_ms = std::min(movie.clock_ms + dt_ms, (movie.current + 1) * movie.frame_time_ms);
  int next = std::min(movie.frame_count - 1, int(movie.clock_ms / movie.frame_time_ms));
  if (next == movie.current) return false;
  movie.current = next;
  movie.frames_shown += 1;
  if (movie.current == movie.frame_count - 1) movie.playing = false;
  return true;
}

}  // namespace foldsight

namespace foldsight {

FoldingMovie morph_movie(const std::string& sequence, const std::vector<Vec3d>& from, const std::vector<Vec3d>& to,
                         int frames) {
  FoldingMovie m;
  if (from.size() != to.size() || to.size() != sequence.size() || to.empty() || frames < 2) return m;
  Superposition sup = superpose(from, to);
  std::vector<Vec3d> start(from.size());
  for (size_t i = 0; i < from.size(); ++i) start[i] = sup.transform.apply(from[i]);
  m.sequence = sequence;
  m.frame_count = frames;
  m.frames.resize(size_t(frames) * to.size() * 3);
  for (int f = 0; f < frames; ++f) {
    double t = double(f) / double(frames - 1);
    t = t * t * (3 - 2 * t);   // ease in and out
    for (size_t i = 0; i < to.size(); ++i)
      for (int k = 0; k < 3; ++k)
        m.frames[(size_t(f) * to.size() + i) * 3 + size_t(k)] = float(start[i][size_t(k)] * (1 - t) + to[i][size_t(k)] * t);
  }
  m.playing = true;
  return m;
}

}  // namespace foldsight
