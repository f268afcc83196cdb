#include "geometry/measure.h"
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>

namespace foldsight {

namespace {
constexpr double kRadToDeg = 57.29577951308232;
struct D3 {
  double x, y, z;
};
D3 d3(const Vec3& v) { return {v.x, v.y, v.z}; }
D3 sub(const D3& a, const D3& b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
double dot(const D3& a, const D3& b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
D3 cross(const D3& a, const D3& b) { return {a.y * b.z - a.z * b.y, a.z * b.x - a.x * b.z, a.x * b.y - a.y * b.x}; }
}  // namespace

// Double precision inside: angles near 0 or 180 lose digits in float acos.
float distance_between(const Vec3& a, const Vec3& b) {
  D3 d = sub(d3(a), d3(b));
  return float(std::sqrt(dot(d, d)));
}

float angle_degrees(const Vec3& a, const Vec3& b, const Vec3& c) {
  D3 u = sub(d3(a), d3(b)), v = sub(d3(c), d3(b));
  // atan2(|u×v|, u·v) stays accurate at both ends of the range, unlike acos.
  D3 w = cross(u, v);
  return float(std::atan2(std::sqrt(dot(w, w)), dot(u, v)) * kRadToDeg);
}

float dihedral_degrees(const Vec3& a, const Vec3& b, const Vec3& c, const Vec3& d) {
  D3 b1 = sub(d3(b), d3(a)), b2 = sub(d3(c), d3(b)), b3 = sub(d3(d), d3(c));
  D3 n1 = cross(b1, b2), n2 = cross(b2, b3);
  double y = std::sqrt(dot(b2, b2)) * dot(b1, n2);
  double x = dot(n1, n2);
  if (x == 0 && y == 0) return 0.0f;  // collinear: undefined, report 0
  float deg = float(std::atan2(y, x) * kRadToDeg);
  return deg <= -180.0f ? 180.0f : deg;
}

const char* measure_kind_name(MeasureKind k) {
  switch (k) {
    case MeasureKind::Distance: return "distance";
    case MeasureKind::Angle: return "angle";
    case MeasureKind::Dihedral: return "dihedral";
  }
  return "?";
}

static bool valid_ref(const AtomRef& r, const std::vector<const Structure*>& structures) {
  return r.structure >= 0 && size_t(r.structure) < structures.size() && structures[size_t(r.structure)] &&
         r.atom < structures[size_t(r.structure)]->atom_count();
}

static Vec3 ref_position(const AtomRef& r, const std::vector<const Structure*>& structures) {
  return atom_position(*structures[size_t(r.structure)], r.atom);
}

float measurement_value(const Measurement& m, const std::vector<const Structure*>& structures) {
  Vec3 p[4];
  for (int i = 0; i < atoms_needed(m.kind); ++i) p[i] = ref_position(m.atoms[size_t(i)], structures);
  switch (m.kind) {
    case MeasureKind::Distance: return distance_between(p[0], p[1]);
    case MeasureKind::Angle: return angle_degrees(p[0], p[1], p[2]);
    case MeasureKind::Dihedral: return dihedral_degrees(p[0], p[1], p[2], p[3]);
  }
  return 0;
}

bool measurement_add_pick(MeasurementList& list, const std::vector<const Structure*>& structures, int structure,
                          uint32_t atom) {
  AtomRef ref{structure, atom};
  if (!valid_ref(ref, structures)) return false;
  if (!list.pending.empty() && list.pending.back() == ref) return false;
  list.pending.push_back(ref);
  int need = atoms_needed(list.mode);
  if (int(list.pending.size()) < need) return false;
  Measurement m;
  m.kind = list.mode;
  for (int i = 0; i < need; ++i) m.atoms[size_t(i)] = list.pending[size_t(i)];
  m.value = measurement_value(m, structures);
  list.items.push_back(m);
  list.pending.clear();
  return true;
}

void measurement_set_mode(MeasurementList& list, MeasureKind mode) {
  if (list.mode != mode) list.pending.clear();
  list.mode = mode;
}

void measurement_update(MeasurementList& list, const std::vector<const Structure*>& structures) {
  size_t out = 0;
  for (size_t i = 0; i < list.items.size(); ++i) {
    Measurement m = list.items[i];
    bool ok = true;
    for (int k = 0; k < atoms_needed(m.kind); ++k) ok = ok && valid_ref(m.atoms[size_t(k)], structures);
    if (!ok) continue;
    m.value = measurement_value(m, structures);
    list.items[out++] = m;
  }
  list.items.resize(out);
  size_t keep = 0;
  for (const AtomRef& r : list.pending)
    if (valid_ref(r, structures)) list.pending[keep++] = r;
  list.pending.resize(keep);
}

void measurement_remove_structure(MeasurementList& list, int index) {
  auto shift = [index](AtomRef& r) {
    if (r.structure > index) --r.structure;
  };
  size_t out = 0;
  for (Measurement& m : list.items) {
    bool uses = false;
    for (int k = 0; k < atoms_needed(m.kind); ++k) uses = uses || m.atoms[size_t(k)].structure == index;
    if (uses) continue;
    for (int k = 0; k < atoms_needed(m.kind); ++k) shift(m.atoms[size_t(k)]);
    list.items[out++] = m;
  }
  list.items.resize(out);
  size_t keep = 0;
  for (AtomRef r : list.pending) {
    if (r.structure == index) continue;
    shift(r);
    list.pending[keep++] = r;
  }
  list.pending.resize(keep);
}

std::string measurement_value_text(const Measurement& m) {
  char buf[32];
  if (m.kind == MeasureKind::Distance)
    std::snprintf(buf, sizeof buf, "%.2f \xC3\x85", double(m.value));  // Å in UTF-8
  else
    std::snprintf(buf, sizeof buf, "%.1f\xC2\xB0", double(m.value));   // °
  return buf;
}

std::string atom_label(const Structure& s, uint32_t atom) {
  if (atom >= s.atom_count()) return "?";
  uint32_t r = s.atom_residue[atom];
  const std::string& chain = s.chain_auth[s.res_chain[r]];
  std::string out = chain + ":" + s.res_name[r].data() + std::to_string(s.seq_id[r]);
  if (s.ins_code[r] != ' ' && s.ins_code[r] != 0) out += s.ins_code[r];
  out += ":";
  out += s.atom_name[atom].data();
  if (s.altloc[atom] != ' ' && s.altloc[atom] != 0) (out += '.') += s.altloc[atom];
  return out;
}

uint32_t find_residue_atom(const Structure& s, uint32_t residue, const char* name) {
  for (uint32_t a = s.res_atom_begin[residue]; a < s.res_atom_begin[residue + 1]; ++a)
    if (std::strcmp(s.atom_name[a].data(), name) == 0) return a;
  return UINT32_MAX;
}

BackboneTorsions backbone_torsions(const Structure& s) {
  const float nan = std::numeric_limits<float>::quiet_NaN();
  size_t n = s.residue_count();
  BackboneTorsions t;
  t.phi.assign(n, nan);
  t.psi.assign(n, nan);
  t.omega.assign(n, nan);
  std::vector<uint32_t> N(n, UINT32_MAX), CA(n, UINT32_MAX), C(n, UINT32_MAX);
  for (uint32_t r = 0; r < n; ++r) {
    if (!is_amino_acid(s.res_name[r])) continue;
    N[r] = find_residue_atom(s, r, "N");
    CA[r] = find_residue_atom(s, r, "CA");
    C[r] = find_residue_atom(s, r, "C");
  }
  auto P = [&s](uint32_t a) { return atom_position(s, a); };
  for (uint32_t r = 0; r + 1 < n; ++r) {
    uint32_t q = r + 1;
    if (s.res_chain[r] != s.res_chain[q]) continue;
    if (C[r] == UINT32_MAX || N[q] == UINT32_MAX || CA[r] == UINT32_MAX || CA[q] == UINT32_MAX) continue;
    if (distance_between(P(C[r]), P(N[q])) > 2.0f) continue;  // chain break
    if (N[r] != UINT32_MAX) t.psi[r] = dihedral_degrees(P(N[r]), P(CA[r]), P(C[r]), P(N[q]));
    if (C[q] != UINT32_MAX) t.phi[q] = dihedral_degrees(P(C[r]), P(N[q]), P(CA[q]), P(C[q]));
    t.omega[r] = dihedral_degrees(P(CA[r]), P(C[r]), P(N[q]), P(CA[q]));
  }
  return t;
}

void mat4_multiply(const float a[16], const float b[16], float out[16]) {
  float r[16];
  for (int c = 0; c < 4; ++c)
    for (int row = 0; row < 4; ++row) {
      float v = 0;
      for (int k = 0; k < 4; ++k) v += a[k * 4 + row] * b[c * 4 + k];
      r[c * 4 + row] = v;
    }
  std::memcpy(out, r, sizeof r);
}

bool project_to_screen(const float m[16], const Vec3& p, float width, float height, float out_xy[2]) {
  float cx = m[0] * p.x + m[4] * p.y + m[8] * p.z + m[12];
  float cy = m[1] * p.x + m[5] * p.y + m[9] * p.z + m[13];
  float cz = m[2] * p.x + m[6] * p.y + m[10] * p.z + m[14];
  float cw = m[3] * p.x + m[7] * p.y + m[11] * p.z + m[15];
  if (!(cw > 1e-6f)) return false;
  float nx = cx / cw, ny = cy / cw, nz = cz / cw;
  out_xy[0] = (nx * 0.5f + 0.5f) * width;
  out_xy[1] = (0.5f - ny * 0.5f) * height;
  return nz >= 0.0f && nz <= 1.0f;
}

}  // namespace foldsight
