// Minimal 3-vector used inside the builders (hot loops; keeps Eigen out of headers).
#pragma once
#include <cmath>

namespace foldsight {

struct Vec3 {
  float x = 0, y = 0, z = 0;
  Vec3() = default;
  Vec3(float a, float b, float c) : x(a), y(b), z(c) {}
  Vec3 operator+(const Vec3& o) const { return {x + o.x, y + o.y, z + o.z}; }
  Vec3 operator-(const Vec3& o) const { return {x - o.x, y - o.y, z - o.z}; }
  Vec3 operator*(float s) const { return {x * s, y * s, z * s}; }
  Vec3 operator-() const { return {-x, -y, -z}; }
  Vec3& operator+=(const Vec3& o) { x += o.x; y += o.y; z += o.z; return *this; }
};
inline float dot(const Vec3& a, const Vec3& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3 cross(const Vec3& a, const Vec3& b) {
  return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x};
}
inline float length(const Vec3& a) { return std::sqrt(dot(a, a)); }
inline Vec3 normalize(const Vec3& a, const Vec3& fallback = Vec3(0, 0, 1)) {
  float l = length(a);
  return l > 1e-12f ? a * (1.0f / l) : fallback;
}
// Any unit vector perpendicular to unit vector t.
inline Vec3 any_perpendicular(const Vec3& t) {
  Vec3 o = std::fabs(t.x) < 0.9f ? Vec3(1, 0, 0) : Vec3(0, 1, 0);
  return normalize(cross(t, o));
}

}  // namespace foldsight
