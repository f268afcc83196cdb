#include "superpose.h"
#include <cmath>

namespace foldsight {

namespace {

// Eigen-decomposition of a symmetric 4x4 matrix by cyclic Jacobi rotations: small, exact to
// rounding and free of any dependency (this file is also compiled to wasm).
void jacobi4(double a[4][4], double vals[4], double vecs[4][4]) {
  for (int i = 0; i < 4; ++i)
    for (int j = 0; j < 4; ++j) vecs[i][j] = i == j ? 1.0 : 0.0;
  for (int sweep = 0; sweep < 60; ++sweep) {
    double off = 0, diag = 0;
    for (int p = 0; p < 4; ++p) {
      diag += a[p][p] * a[p][p];
      for (int q = p + 1; q < 4; ++q) off += a[p][q] * a[p][q];
    }
    if (off <= 1e-30 * (diag + 1e-300)) break;
    for (int p = 0; p < 3; ++p)
      for (int q = p + 1; q < 4; ++q) {
        if (a[p][q] == 0.0) continue;
        double theta = (a[q][q] - a[p][p]) / (2 * a[p][q]);
        double t = (theta >= 0 ? 1.0 : -1.0) / (std::fabs(theta) + std::sqrt(theta * theta + 1));
        double c = 1 / std::sqrt(t * t + 1), s = t * c;
        for (int k = 0; k < 4; ++k) {  // A = J^T A J
          double akp = a[k][p], akq = a[k][q];
          a[k][p] = c * akp - s * akq;
          a[k][q] = s * akp + c * akq;
        }
        for (int k = 0; k < 4; ++k) {
          double apk = a[p][k], aqk = a[q][k];
          a[p][k] = c * apk - s * aqk;
          a[q][k] = s * apk + c * aqk;
        }
        for (int k = 0; k < 4; ++k) {
          double vkp = vecs[k][p], vkq = vecs[k][q];
          vecs[k][p] = c * vkp - s * vkq;
          vecs[k][q] = s * vkp + c * vkq;
        }
      }
  }
  for (int i = 0; i < 4; ++i) vals[i] = a[i][i];
}

}  // namespace

Superposition superpose(const Vec3d* mobile, const Vec3d* target, size_t n, const double* weights) {
  Superposition out;
  out.count = n;
  if (n == 0) return out;
  double wsum = 0;
  Vec3d cm{{0, 0, 0}}, ct{{0, 0, 0}};
  for (size_t i = 0; i < n; ++i) {
    double w = weights ? weights[i] : 1.0;
    wsum += w;
    for (int k = 0; k < 3; ++k) {
      cm[k] += w * mobile[i][k];
      ct[k] += w * target[i][k];
    }
  }
  if (wsum <= 0) return out;
  for (int k = 0; k < 3; ++k) {
    cm[k] /= wsum;
    ct[k] /= wsum;
  }
  // Cross-covariance S[k][l] = sum w (m_k)(t_l) over centred points, and the summed squares.
  double S[3][3] = {{0, 0, 0}, {0, 0, 0}, {0, 0, 0}};
  for (size_t i = 0; i < n; ++i) {
    double w = weights ? weights[i] : 1.0;
    double m[3], t[3];
    for (int k = 0; k < 3; ++k) {
      m[k] = mobile[i][k] - cm[k];
      t[k] = target[i][k] - ct[k];
    }
    for (int k = 0; k < 3; ++k)
      for (int l = 0; l < 3; ++l) S[k][l] += w * m[k] * t[l];
  }
  double N[4][4] = {
      {S[0][0] + S[1][1] + S[2][2], S[1][2] - S[2][1], S[2][0] - S[0][2], S[0][1] - S[1][0]},
      {S[1][2] - S[2][1], S[0][0] - S[1][1] - S[2][2], S[0][1] + S[1][0], S[2][0] + S[0][2]},
      {S[2][0] - S[0][2], S[0][1] + S[1][0], -S[0][0] + S[1][1] - S[2][2], S[1][2] + S[2][1]},
      {S[0][1] - S[1][0], S[2][0] + S[0][2], S[1][2] + S[2][1], -S[0][0] - S[1][1] + S[2][2]}};
  double vals[4], vecs[4][4];
  jacobi4(N, vals, vecs);
  int best = 0;
  for (int i = 1; i < 4; ++i)
    if (vals[i] > vals[best]) best = i;
  double q0 = vecs[0][best], q1 = vecs[1][best], q2 = vecs[2][best], q3 = vecs[3][best];
  double qn = std::sqrt(q0 * q0 + q1 * q1 + q2 * q2 + q3 * q3);
  q0 /= qn; q1 /= qn; q2 /= qn; q3 /= qn;
  std::array<double, 9>& R = out.transform.rot;
  R[0] = q0 * q0 + q1 * q1 - q2 * q2 - q3 * q3;
  R[1] = 2 * (q1 * q2 - q0 * q3);
  R[2] = 2 * (q1 * q3 + q0 * q2);
  R[3] = 2 * (q1 * q2 + q0 * q3);
  R[4] = q0 * q0 - q1 * q1 + q2 * q2 - q3 * q3;
  R[5] = 2 * (q2 * q3 - q0 * q1);
  R[6] = 2 * (q1 * q3 - q0 * q2);
  R[7] = 2 * (q2 * q3 + q0 * q1);
  R[8] = q0 * q0 - q1 * q1 - q2 * q2 + q3 * q3;
  for (int k = 0; k < 3; ++k)
    out.transform.shift[k] = ct[k] - (R[3 * k] * cm[0] + R[3 * k + 1] * cm[1] + R[3 * k + 2] * cm[2]);
  // The residual from the eigenvalue (sum of squares - 2 lambda) loses precision for
  // near-perfect fits, so measure it directly.
  double ss = 0;
  for (size_t i = 0; i < n; ++i) {
    double w = weights ? weights[i] : 1.0;
    Vec3d p = out.transform.apply(mobile[i]);
    double dx = p[0] - target[i][0], dy = p[1] - target[i][1], dz = p[2] - target[i][2];
    ss += w * (dx * dx + dy * dy + dz * dz);
  }
  out.rmsd = std::sqrt(ss / wsum);
  return out;
}

double rmsd_in_place(const Vec3d* a, const Vec3d* b, size_t n) {
  if (n == 0) return 0;
  double ss = 0;
  for (size_t i = 0; i < n; ++i)
    for (int k = 0; k < 3; ++k) ss += (a[i][k] - b[i][k]) * (a[i][k] - b[i][k]);
  return std::sqrt(ss / double(n));
}

}  // namespace foldsight
