#include "predict/backbone.h"
#include <cctype>
#include <cmath>
#include <Eigen/Geometry>

namespace foldsight {

Vec3 place_atom(const Vec3& a, const Vec3& b, const Vec3& c, double bond, double angle, double torsion) {
  Vec3 bc = (c - b).normalized();
  Vec3 n = (b - a).cross(bc).normalized();
  Vec3 m = n.cross(bc);
  double x = -bond * std::cos(angle);
  double y = bond * std::sin(angle) * std::cos(torsion);
  double z = bond * std::sin(angle) * std::sin(torsion);
  return c + x * bc + y * m + z * n;
}

double dihedral(const Vec3& a, const Vec3& b, const Vec3& c, const Vec3& d) {
  Vec3 b0 = a - b, b1 = (c - b).normalized(), b2 = d - c;
  Vec3 v = b0 - b0.dot(b1) * b1;
  Vec3 w = b2 - b2.dot(b1) * b1;
  return std::atan2(b1.cross(v).dot(w), v.dot(w));
}

Vec3 place_cb(const Vec3& n, const Vec3& ca, const Vec3& c) {
  return place_atom(c, n, ca, ideal::kCaCb, ideal::kNCaCb, ideal::kCNCaCb);
}

Backbone build_backbone(const std::vector<double>& phi, const std::vector<double>& psi,
                        const std::vector<double>& omega) {
  size_t L = std::min(phi.size(), psi.size());
  Backbone bb;
  bb.n.resize(L); bb.ca.resize(L); bb.c.resize(L); bb.o.resize(L); bb.cb.resize(L);
  if (L == 0) return bb;
  bb.n[0] = Vec3(0, 0, 0);
  bb.ca[0] = Vec3(ideal::kNCa, 0, 0);
  // First C in the xy plane, at the ideal N-CA-C angle.
  bb.c[0] = bb.ca[0] + ideal::kCaC * Vec3(-std::cos(ideal::kNCaC), std::sin(ideal::kNCaC), 0);
  for (size_t i = 1; i < L; ++i) {
    double om = i - 1 < omega.size() ? omega[i - 1] : M_PI;
    bb.n[i] = place_atom(bb.n[i - 1], bb.ca[i - 1], bb.c[i - 1], ideal::kCN, ideal::kCaCN, psi[i - 1]);
    bb.ca[i] = place_atom(bb.ca[i - 1], bb.c[i - 1], bb.n[i], ideal::kNCa, ideal::kCNCa, om);
    bb.c[i] = place_atom(bb.c[i - 1], bb.n[i], bb.ca[i], ideal::kCaC, ideal::kNCaC, phi[i]);
  }
  for (size_t i = 0; i < L; ++i) {
    if (i + 1 < L)
      bb.o[i] = place_atom(bb.n[i + 1], bb.ca[i], bb.c[i], ideal::kCO, ideal::kCaCO, M_PI);
    else  // last residue: O trans to where the next N would be
      bb.o[i] = place_atom(bb.n[i], bb.ca[i], bb.c[i], ideal::kCO, ideal::kCaCO,
                           (std::isfinite(psi[i]) ? psi[i] : M_PI) + M_PI);
    bb.cb[i] = place_cb(bb.n[i], bb.ca[i], bb.c[i]);
  }
  return bb;
}

void backbone_torsions(const Backbone& bb, std::vector<double>& phi, std::vector<double>& psi,
                       std::vector<double>& omega) {
  size_t L = bb.size();
  phi.assign(L, NAN); psi.assign(L, NAN); omega.assign(L, NAN);
  for (size_t i = 0; i < L; ++i) {
    if (i > 0) phi[i] = dihedral(bb.c[i - 1], bb.n[i], bb.ca[i], bb.c[i]);
    if (i + 1 < L) {
      psi[i] = dihedral(bb.n[i], bb.ca[i], bb.c[i], bb.n[i + 1]);
      omega[i] = dihedral(bb.ca[i], bb.c[i], bb.n[i + 1], bb.ca[i + 1]);
    }
  }
}

namespace {

// Offsets of N and C from CA in the frame (e1 along CA(i-1)->CA(i+1), e2 towards the concave
// side, e3 = e1 x e2), each component quadratic in d13 = |CA(i+1) - CA(i-1)|. Least-squares fit
// over 2,666 residues of Debian-shipped PDB entries (1tii, il2, 1ni7, 5eep, 2xhe, 7ddo).
const double kNFit[3][3] = {{0.1756, -0.3074, 0.0142}, {1.6988, -0.1157, -0.0058}, {-1.6031, 0.3903, -0.029}};
const double kCFit[3][3] = {{2.4552, -0.3266, 0.02}, {2.8239, -0.7635, 0.0702}, {10.2907, -2.9304, 0.2005}};

Vec3 fitted_offset(const double (&fit)[3][3], double d, const Vec3& e1, const Vec3& e2, const Vec3& e3) {
  double k[3];
  for (int a = 0; a < 3; ++a) k[a] = fit[a][0] + fit[a][1] * d + fit[a][2] * d * d;
  return k[0] * e1 + k[1] * e2 + k[2] * e3;
}

}  // namespace

Backbone backbone_from_ca(const std::vector<Vec3>& ca) {
  size_t L = ca.size();
  Backbone bb;
  bb.ca = ca;
  bb.n.resize(L); bb.c.resize(L); bb.o.resize(L); bb.cb.resize(L);
  if (L == 0) return bb;
  // Neighbours with virtual ones past the ends: CA(-1) = CA(0) + CA(1) - CA(2) continues a
  // strand's zig-zag and roughly a helix's turn.
  auto at = [&](long i) -> Vec3 {
    long n = (long)L;
    if (i >= 0 && i < n) return ca[i];
    if (n >= 3) {
      if (i < 0) return ca[0] + ca[1] - ca[2];
      return ca[n - 1] + ca[n - 2] - ca[n - 3];
    }
    // One or two residues: a straight zig-zag.
    Vec3 axis = n == 2 ? (ca[1] - ca[0]).normalized() : Vec3(1, 0, 0);
    Vec3 side = axis.unitOrthogonal();
    if (i < 0) return ca[0] - 3.3 * axis + 1.9 * side;
    return ca[n - 1] + 3.3 * axis + 1.9 * side;
  };
  for (size_t i = 0; i < L; ++i) {
    Vec3 a = at((long)i - 1), b = ca[i], c = at((long)i + 1);
    Vec3 e1 = (c - a).normalized();
    Vec3 e2 = a + c - 2 * b;
    e2 = (e2 - e2.dot(e1) * e1);
    if (e2.norm() < 1e-6) e2 = e1.unitOrthogonal();
    e2.normalize();
    Vec3 e3 = e1.cross(e2);
    double d = std::min(std::max((c - a).norm(), 4.4), 7.3);  // keep within the fitted range
    bb.n[i] = b + fitted_offset(kNFit, d, e1, e2, e3);
    bb.c[i] = b + fitted_offset(kCFit, d, e1, e2, e3);
  }
  for (size_t i = 0; i < L; ++i) {
    // O in the peptide plane, trans to the next N; past the C terminus a typical psi (135 deg)
    // stands in for the unknown one.
    Vec3 next_n = i + 1 < L ? bb.n[i + 1]
                            : place_atom(bb.n[i], bb.ca[i], bb.c[i], ideal::kCN, ideal::kCaCN, 0.75 * M_PI);
    bb.o[i] = place_atom(next_n, bb.ca[i], bb.c[i], ideal::kCO, ideal::kCaCO, M_PI);
    bb.cb[i] = place_cb(bb.n[i], bb.ca[i], bb.c[i]);
  }
  return bb;
}

namespace {

const char* three_letter(char aa) {
  switch (aa) {
    case 'A': return "ALA"; case 'R': return "ARG"; case 'N': return "ASN"; case 'D': return "ASP";
    case 'C': return "CYS"; case 'Q': return "GLN"; case 'E': return "GLU"; case 'G': return "GLY";
    case 'H': return "HIS"; case 'I': return "ILE"; case 'L': return "LEU"; case 'K': return "LYS";
    case 'M': return "MET"; case 'F': return "PHE"; case 'P': return "PRO"; case 'S': return "SER";
    case 'T': return "THR"; case 'W': return "TRP"; case 'Y': return "TYR"; case 'V': return "VAL";
    case 'U': return "SEC"; case 'O': return "PYL";
    default: return "UNK";
  }
}

}  // namespace

Structure backbone_to_structure(const Backbone& bb, const std::string& sequence,
                                const std::vector<float>& confidence, const std::string& chain_id,
                                const std::string& name) {
  Structure s;
  s.name = name;
  StructureBuilder b(s);
  b.begin_model(1);
  b.begin_chain(chain_id, chain_id, "1");
  int serial = 1;
  size_t L = bb.size();
  for (size_t i = 0; i < L; ++i) {
    char aa = i < sequence.size() ? (char)std::toupper((unsigned char)sequence[i]) : 'X';
    const char* rn = three_letter(aa);
    b.begin_residue(make_resname(rn, 3), (int)i + 1, (int)i + 1, ' ', false);
    float conf = i < confidence.size() ? confidence[i] : 0.f;
    auto add = [&](const char* atom, uint8_t el, const Vec3& p) {
      b.add_atom(make_name4(atom, std::char_traits<char>::length(atom)), el, ' ', (float)p.x(), (float)p.y(),
                 (float)p.z(), 1.f, conf, 0, serial++);
    };
    add("N", 7, bb.n[i]);
    add("CA", 6, bb.ca[i]);
    add("C", 6, bb.c[i]);
    add("O", 8, bb.o[i]);
    if (aa != 'G') add("CB", 6, bb.cb[i]);
  }
  b.finish();
  s.res_confidence.assign(L, 0.f);
  for (size_t i = 0; i < L && i < confidence.size(); ++i) s.res_confidence[i] = confidence[i];
  return s;
}

}  // namespace foldsight
