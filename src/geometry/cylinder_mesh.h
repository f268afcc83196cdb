// Cylinder instances as a triangle mesh (open tubes, each half in its own atom's colour and
// pick id), so bonds of ball-and-stick and lines draw through the ordinary mesh pipeline.
#pragma once
#include "geometry/mesh.h"

namespace foldsight {

// Appends the cylinders to `out` with `segments` sides each (≥ 3).
void append_cylinder_mesh(const CylinderInstances& cylinders, int segments, Mesh& out);

// Appends `m` to `out` (indices offset).
void append_mesh(const Mesh& m, Mesh& out);

}  // namespace foldsight
