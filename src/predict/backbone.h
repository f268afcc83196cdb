// Protein backbone geometry: N, CA, C, O and CB of every residue of one chain, built from
// torsion angles with ideal bond geometry (NeRF), or rebuilt from a CA trace, and written
// out as a Structure. Used by the folding engine and by template modelling.
#pragma once
#include <string>
#include <vector>
#include <Eigen/Core>
#include "core/structure.h"

namespace foldsight {

using Vec3 = Eigen::Vector3d;

struct Backbone {
  std::vector<Vec3> n, ca, c, o, cb;  // one entry per residue
  size_t size() const { return ca.size(); }
};

// Ideal geometry (Engh & Huber 1991), lengths in Angstrom, angles in radians.
namespace ideal {
constexpr double kNCa = 1.458, kCaC = 1.525, kCN = 1.329, kCO = 1.231, kCaCb = 1.530;
constexpr double kNCaC = 1.9408;   // 111.2 deg
constexpr double kCaCN = 2.0281;   // 116.2 deg
constexpr double kCNCa = 2.1240;   // 121.7 deg
constexpr double kCaCO = 2.1084;   // 120.8 deg
constexpr double kNCaCb = 1.9286;  // 110.5 deg
constexpr double kCNCaCb = -2.1410;  // dihedral C-N-CA-CB, -122.67 deg (mean over real L residues)
constexpr double kCaCaTrans = 3.80;  // CA(i)-CA(i+1) across a trans peptide
}  // namespace ideal

// NeRF: the point D with |CD| = bond, angle BCD = angle, dihedral ABCD = torsion.
Vec3 place_atom(const Vec3& a, const Vec3& b, const Vec3& c, double bond, double angle, double torsion);

// Dihedral angle ABCD in radians, (-pi, pi] (IUPAC sign convention).
double dihedral(const Vec3& a, const Vec3& b, const Vec3& c, const Vec3& d);

// Ideal CB from a residue's N, CA, C (also the virtual CB of glycine).
Vec3 place_cb(const Vec3& n, const Vec3& ca, const Vec3& c);

// Builds the chain from phi/psi/omega (radians, size L; phi[0] and psi/omega[L-1] are unused
// except that psi[L-1] orients the last O). Empty omega means all-trans (pi). The first N sits
// at the origin, the first CA on +x.
Backbone build_backbone(const std::vector<double>& phi, const std::vector<double>& psi,
                        const std::vector<double>& omega = {});

// Measures phi, psi, omega of a backbone (phi[0], psi/omega[L-1] set to NaN).
void backbone_torsions(const Backbone& bb, std::vector<double>& phi, std::vector<double>& psi,
                       std::vector<double>& omega);

// Rebuilds N, C, O and CB around a CA trace. N and C come from a frame at each CA spanned by its
// neighbours, with offsets fitted (quadratic in the CA(i-1)..CA(i+1) distance) on real
// structures; typical error 0.2 Å (N) and 0.3 Å (C). Chain ends use extrapolated neighbours.
Backbone backbone_from_ca(const std::vector<Vec3>& ca);

// Writes the backbone as one chain (residues numbered 1..L, names from the one-letter
// sequence; B-factor and res_confidence = confidence 0..100, or 0 when empty). Glycine gets no CB.
Structure backbone_to_structure(const Backbone& bb, const std::string& sequence,
                                const std::vector<float>& confidence, const std::string& chain_id = "A",
                                const std::string& name = "model");

}  // namespace foldsight
