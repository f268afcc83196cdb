// Optimal rigid superposition of paired point sets (Kabsch problem) and RMSD.
// Solved with Horn's unit-quaternion method: the best rotation is the eigenvector of the
// largest eigenvalue of a symmetric 4x4 matrix built from the cross-covariance. A quaternion
// is always a proper rotation, so mirror-image inputs (where a plain SVD would give det = -1)
// need no special case.
#pragma once
#include <array>
#include <cstddef>
#include <vector>

namespace foldsight {

using Vec3d = std::array<double, 3>;

// x' = rot * x + shift, rot row-major.
struct RigidTransform {
  std::array<double, 9> rot{{1, 0, 0, 0, 1, 0, 0, 0, 1}};
  Vec3d shift{{0, 0, 0}};
  Vec3d apply(const Vec3d& p) const {
    return {rot[0] * p[0] + rot[1] * p[1] + rot[2] * p[2] + shift[0],
            rot[3] * p[0] + rot[4] * p[1] + rot[5] * p[2] + shift[1],
            rot[6] * p[0] + rot[7] * p[1] + rot[8] * p[2] + shift[2]};
  }
};

struct Superposition {
  RigidTransform transform;  // moves `mobile` onto `target`
  double rmsd = 0;           // (weighted) RMSD after the transform
  size_t count = 0;
};

// Best transform moving mobile[i] onto target[i] (n pairs). `weights` may be null (all 1).
// n == 0 gives the identity; n < 3 or collinear points still give a valid (non-unique) rotation.
Superposition superpose(const Vec3d* mobile, const Vec3d* target, size_t n,
                        const double* weights = nullptr);
inline Superposition superpose(const std::vector<Vec3d>& mobile, const std::vector<Vec3d>& target) {
  return superpose(mobile.data(), target.data(), mobile.size() < target.size() ? mobile.size() : target.size());
}

// RMSD of paired points without moving them.
double rmsd_in_place(const Vec3d* a, const Vec3d* b, size_t n);

}  // namespace foldsight
