// Geometry the user measures by clicking atoms (distance, angle, dihedral), the backbone
// torsions the Ramachandran plot shows, and the projection that places 3D labels on screen.
// Plain functions over Structure so they are unit-tested natively; the ImGui side lives in
// src/ui/measurements.*.
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>
#include "core/structure.h"
#include "geometry/vec3.h"

namespace foldsight {

inline Vec3 atom_position(const Structure& s, uint32_t atom) { return {s.x[atom], s.y[atom], s.z[atom]}; }

float distance_between(const Vec3& a, const Vec3& b);                          // Å
float angle_degrees(const Vec3& a, const Vec3& b, const Vec3& c);              // at b, 0..180
// IUPAC torsion a-b-c-d in degrees, (-180, 180]: positive when, looking along b→c, the
// near bond b-a must turn clockwise to eclipse the far bond c-d.
float dihedral_degrees(const Vec3& a, const Vec3& b, const Vec3& c, const Vec3& d);

// ---- user measurements ----
enum class MeasureKind : uint8_t { Distance = 2, Angle = 3, Dihedral = 4 };  // value = atoms needed
inline int atoms_needed(MeasureKind k) { return int(k); }
const char* measure_kind_name(MeasureKind k);  // "distance", "angle", "dihedral"

struct AtomRef {
  int structure = -1;  // index into the caller's list of structures
  uint32_t atom = 0;
  bool operator==(const AtomRef& o) const { return structure == o.structure && atom == o.atom; }
};

struct Measurement {
  MeasureKind kind = MeasureKind::Distance;
  std::array<AtomRef, 4> atoms{};  // the first atoms_needed(kind) are used
  float value = 0;                 // Å for distances, degrees otherwise
};

// The measurements made so far plus the atoms clicked towards the next one.
struct MeasurementList {
  MeasureKind mode = MeasureKind::Distance;
  std::vector<AtomRef> pending;  // clicked atoms, fewer than atoms_needed(mode)
  std::vector<Measurement> items;
};

// Adds a clicked atom to the pending measurement; when it has enough atoms the measurement
// is computed and appended. Clicking the previous pending atom again is ignored (double
// click); an atom outside `structures` is rejected. Returns true when a measurement was
// completed.
bool measurement_add_pick(MeasurementList& list, const std::vector<const Structure*>& structures,
                          int structure, uint32_t atom);
void measurement_set_mode(MeasurementList& list, MeasureKind mode);  // drops pending atoms
// Recomputes every value (coordinates move in the folding movie) and drops measurements
// whose atoms no longer exist.
void measurement_update(MeasurementList& list, const std::vector<const Structure*>& structures);
// Call when structure `index` is removed from the caller's list: drops its measurements and
// shifts the indices of the later structures.
void measurement_remove_structure(MeasurementList& list, int index);

float measurement_value(const Measurement& m, const std::vector<const Structure*>& structures);
std::string measurement_value_text(const Measurement& m);  // "3.80 Å", "109.5°"
std::string atom_label(const Structure& s, uint32_t atom);  // "A:ALA42:CA" (altloc/ins code appended)

// ---- backbone torsions ----
// Per residue phi, psi, omega (degrees); NaN where undefined (chain ends, breaks where the
// peptide C–N distance exceeds 2 Å, missing backbone atoms, non-amino-acid residues).
// omega[i] is the CA(i)-C(i)-N(i+1)-CA(i+1) torsion of the bond after residue i.
struct BackboneTorsions {
  std::vector<float> phi, psi, omega;
};
BackboneTorsions backbone_torsions(const Structure& s);

// First atom named `name` in residue r (first altloc), or UINT32_MAX.
uint32_t find_residue_atom(const Structure& s, uint32_t residue, const char* name);

// ---- projection ----
// out = a * b for column-major 4x4 matrices (view_proj = proj * view).
void mat4_multiply(const float a[16], const float b[16], float out[16]);
// World point → screen (origin top-left, y down) of a viewport width x height, for
// WebGPU clip space. Returns false when the point is behind the camera or outside the depth range.
bool project_to_screen(const float view_proj[16], const Vec3& p, float width, float height, float out_xy[2]);

}  // namespace foldsight
