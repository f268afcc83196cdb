// Helpers shared by the predict tests: real backbones from Debian-shipped PDB files and a
// fixed-alignment TM-score (residue i of the model against residue i of the native).
#pragma once
#include <cmath>
#include <fstream>
#include <sstream>
#include <string>
#include <vector>
#include <Eigen/Geometry>
#include "core/io.h"
#include "predict/backbone.h"

namespace foldsight_test {

using foldsight::Backbone;
using foldsight::Vec3;

// Backbone (+ CB, virtual for Gly) and one-letter sequence of one protein chain; residues lacking
// N, CA or C are skipped. Returns an empty backbone when the file cannot be read.
inline Backbone read_chain_backbone(const char* path, const std::string& chain, std::string* sequence) {
  Backbone bb;
  std::ifstream f(path, std::ios::binary);
  std::stringstream ss;
  ss << f.rdbuf();
  std::string data = ss.str();
  foldsight::Structure s;
  foldsight::ParseError err;
  if (data.empty() || !foldsight::read_structure((const uint8_t*)data.data(), data.size(), path,
                                                 foldsight::Format::Auto, s, &err))
    return bb;
  for (size_t c = 0; c < s.chain_count(); ++c) {
    if (s.chain_auth[c] != chain || s.chain_model[c] != 0) continue;
    for (uint32_t r = s.chain_res_begin[c]; r < s.chain_res_begin[c + 1]; ++r) {
      if (s.het[r] || !foldsight::is_amino_acid(s.res_name[r])) continue;
      bool has[4] = {false, false, false, false};
      Vec3 p[4];
      const char* names[4] = {"N", "CA", "C", "O"};
      for (uint32_t a = s.res_atom_begin[r]; a < s.res_atom_begin[r + 1]; ++a)
        for (int k = 0; k < 4; ++k)
          if (!has[k] && std::string(s.atom_name[a].data()) == names[k]) {
            has[k] = true;
            p[k] = Vec3(s.x[a], s.y[a], s.z[a]);
          }
      if (!has[0] || !has[1] || !has[2]) continue;
      bb.n.push_back(p[0]); bb.ca.push_back(p[1]); bb.c.push_back(p[2]);
      bb.o.push_back(has[3] ? p[3] : p[2]);
      bb.cb.push_back(foldsight::place_cb(p[0], p[1], p[2]));
      if (sequence) sequence->push_back(foldsight::one_letter_code(s.res_name[r]));
    }
  }
  return bb;
}

inline Eigen::Matrix3Xd to_matrix(const std::vector<Vec3>& v) {
  Eigen::Matrix3Xd m(3, v.size());
  for (size_t i = 0; i < v.size(); ++i) m.col(i) = v[i];
  return m;
}

// CA RMSD after optimal superposition.
inline double ca_rmsd(const std::vector<Vec3>& a, const std::vector<Vec3>& b) {
  Eigen::Matrix3Xd A = to_matrix(a), B = to_matrix(b);
  Eigen::Matrix4d t = Eigen::umeyama(A, B, false);
  Eigen::Matrix3Xd moved = (t.topLeftCorner<3, 3>() * A).colwise() + t.topRightCorner<3, 1>();
  return std::sqrt((moved - B).colwise().squaredNorm().mean());
}

// TM-score of model vs native (same length, residue i ↔ i), normalised by the native length.
// Like TMscore: superpositions seeded on fragments of several lengths, each refined on the
// residues within d0 (then d0 + 1, + 2 Å if too few), keeping the best score.
inline double tm_score(const std::vector<Vec3>& model, const std::vector<Vec3>& native) {
  const int L = (int)native.size();
  if (L < 5 || (int)model.size() != L) return 0;
  double d0 = std::max(0.5, 1.24 * std::cbrt(L - 15.0) - 1.8);
  Eigen::Matrix3Xd M = to_matrix(model), N = to_matrix(native);
  double best = 0;
  auto score_with = [&](const std::vector<int>& idx, std::vector<int>* next) {
    Eigen::Matrix3Xd a(3, idx.size()), b(3, idx.size());
    for (size_t k = 0; k < idx.size(); ++k) { a.col(k) = M.col(idx[k]); b.col(k) = N.col(idx[k]); }
    Eigen::Matrix4d t = Eigen::umeyama(a, b, false);
    Eigen::Matrix3Xd moved = (t.topLeftCorner<3, 3>() * M).colwise() + t.topRightCorner<3, 1>();
    double s = 0;
    std::vector<double> d(L);
    for (int i = 0; i < L; ++i) {
      d[i] = (moved.col(i) - N.col(i)).norm();
      s += 1.0 / (1.0 + (d[i] / d0) * (d[i] / d0));
    }
    next->clear();
    for (double cut = d0; next->size() < 3 && cut < 100; cut += 1.0) {
      next->clear();
      for (int i = 0; i < L; ++i)
        if (d[i] < cut) next->push_back(i);
    }
    return s / L;
  };
  for (int frag = L; frag >= 4; frag /= 2) {
    int shift = std::max(1, frag / 2);
    for (int start = 0; start + frag <= L; start += shift) {
      std::vector<int> idx, next;
      for (int i = start; i < start + frag; ++i) idx.push_back(i);
      for (int it = 0; it < 20; ++it) {
        best = std::max(best, score_with(idx, &next));
        if (next == idx || next.size() < 3) break;
        idx = next;
      }
    }
  }
  return best;
}

}  // namespace foldsight_test
