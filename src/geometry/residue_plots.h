// Data behind the per-residue plots (src/ui/plots.*): B-factor / pLDDT series, whether a
// structure looks like a prediction, the Ramachandran reference regions and a binned
// CA–CA contact map. No ImGui here, so everything is unit-tested natively.
#pragma once
#include <cstdint>
#include <vector>
#include "core/structure.h"

namespace foldsight {

// One value per residue: res_confidence when the file had per-residue pLDDT, otherwise the
// B-factor of CA (or of the residue's first atom when it has no CA).
std::vector<float> residue_values(const Structure& s);

// True when the B-factor column most likely holds pLDDT: the file stated per-residue
// confidence, or every residue's atoms share one value, all values lie in [0, 100] and they
// are not all equal (AlphaFold, ESMFold, ColabFold and our own predictor write it this way).
bool looks_like_prediction(const Structure& s);

// Amino-acid residues of `chain` that have a CA, in chain order (the x axis of the plots).
std::vector<uint32_t> chain_plot_residues(const Structure& s, uint32_t chain);

// Ramachandran reference regions (general case), sketched as polygons in (phi, psi) degrees
// after the densest areas of Lovell et al. 2003. Each polygon is a list of x,y pairs.
struct RamaRegion {
  const char* name;          // "alpha (right-handed)", "beta", "alpha (left-handed)"
  std::vector<float> xy;     // phi0, psi0, phi1, psi1, ...
};
const std::vector<RamaRegion>& ramachandran_regions();
// Index of the region containing (phi, psi), or -1 when outside every region.
int ramachandran_region_of(float phi, float psi);

// Residue axis + binned contact counts for a square contact-map image of `bins` x `bins`
// cells. residues: the amino-acid residues with a CA in `model`, in order; counts[i * bins + j]
// is the number of residue pairs with CA–CA < cutoff that fall in cell (i, j) (symmetric,
// the diagonal included: a residue is in contact with itself).
struct ContactMapImage {
  std::vector<uint32_t> residues;
  int bins = 0;
  std::vector<uint32_t> counts;
  size_t contact_pairs = 0;   // pairs i < j within the cut-off
};
ContactMapImage contact_map_image(const Structure& s, uint32_t model, float cutoff, int max_bins);
// Position along the contact map axis (0..residues.size()) → bin, and bin → first residue index.
inline int contact_bin(size_t index, size_t n, int bins) { return n ? int(index * size_t(bins) / n) : 0; }

}  // namespace foldsight
