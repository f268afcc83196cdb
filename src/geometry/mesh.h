// GPU-ready geometry produced by the representation builders. Plain arrays, laid out so the
// renderer can upload them as vertex / instance buffers without reshaping.
#pragma once
#include <cstddef>
#include <cstdint>
#include <vector>

namespace foldsight {

// Indexed triangle mesh (cartoon, trace, surface).
struct Mesh {
  std::vector<float> positions;     // xyz per vertex
  std::vector<float> normals;       // xyz per vertex, unit length
  std::vector<uint32_t> colors;     // RGBA8 per vertex (0xAABBGGRR: bytes R,G,B,A)
  std::vector<uint32_t> atom_ids;   // per vertex: the atom picked when this vertex is clicked
  std::vector<uint32_t> indices;    // 3 per triangle, counter-clockwise seen from outside

  size_t vertex_count() const { return positions.size() / 3; }
  size_t triangle_count() const { return indices.size() / 3; }
};

// One sphere impostor per instance (spacefill, ball-and-stick atoms).
struct SphereInstances {
  std::vector<float> xyzr;          // centre xyz + radius
  std::vector<uint32_t> colors, atom_ids;
  size_t size() const { return atom_ids.size(); }
};

// One cylinder impostor per instance; coloured color_a on the a half, color_b on the b half.
struct CylinderInstances {
  std::vector<float> a_xyz, b_xyz, radius;
  std::vector<uint32_t> color_a, color_b, atom_a, atom_b;
  size_t size() const { return radius.size(); }
};

// Line list: 2 vertices per segment (lines representation, drawn as GPU lines).
struct LineSegments {
  std::vector<float> positions;     // xyz per vertex
  std::vector<uint32_t> colors, atom_ids;
  size_t segment_count() const { return atom_ids.size() / 2; }
};

}  // namespace foldsight
