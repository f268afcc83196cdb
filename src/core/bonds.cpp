// Bond perception in three layers, per model:
//  1. intra-residue bonds of standard residues from built-in templates (residue_templates.h);
//  2. links between residues: peptide C–N and nucleotide O3'–P of consecutive residues,
//     disulfides SG–SG;
//  3. distance-based bonds (covalent radii + tolerance) for atoms no template describes:
//     ligands, unknown residues, atoms with unexpected names. A cell list keeps this linear.
// Bonds stated by the file (CONECT, struct_conn) are merged in.
#include "bonds.h"
#include <algorithm>
#include <cmath>
#include "residue_templates.h"
#include "spatial_grid.h"

namespace foldsight {

namespace {

constexpr float kTolerance = 0.4f;      // added to the sum of covalent radii
constexpr float kMinBond = 0.4f;        // closer atoms are a modelling error, not a bond
constexpr float kPolymerLink = 2.0f;    // peptide C–N, nucleotide O3'–P
constexpr float kDisulfide = 2.3f;

bool is_metal(uint8_t z) {
  return z == 3 || z == 4 || (z >= 11 && z <= 13) || (z >= 19 && z <= 31) || (z >= 37 && z <= 50) ||
         (z >= 55 && z <= 84) || z >= 87;
}

bool altloc_compatible(char a, char b) { return a == b || a == ' ' || b == ' '; }

// Old PDB files spell the prime of nucleotide names with '*' (C1*, O3*).
uint32_t name_key(const Name4& n) {
  Name4 m = n;
  for (int i = 0; i < 4; ++i)
    if (m[i] == '*') m[i] = '\'';
  return atom_name_key(m);
}

uint32_t key_of(const char* s) {
  Name4 n{};
  for (int i = 0; i < 4 && s[i]; ++i) n[i] = s[i];
  return atom_name_key(n);
}

float dist2(const Structure& s, uint32_t i, uint32_t j) {
  const float dx = s.x[i] - s.x[j], dy = s.y[i] - s.y[j], dz = s.z[i] - s.z[j];
  return dx * dx + dy * dy + dz * dz;
}

void add(std::vector<Bond>& out, uint32_t i, uint32_t j, BondOrder order) {
  if (i == j) return;
  out.push_back({std::min(i, j), std::max(i, j), order});
}

// How an atom takes part in distance-based perception.
enum Role : uint8_t {
  kTemplated = 0,   // bonded by its residue template; partner of ligands' distance bonds
  kFree = 1,        // ligand / unknown residue atom: distance bonds within and across residues
  kIntraOnly = 2,   // unknown name in a templated residue: distance bonds within its residue
};

// Links atoms named name_a in residue ra with atoms named name_b in residue rb.
void link_residues(const Structure& s, uint32_t ra, uint32_t rb, uint32_t key_a, uint32_t key_b, float max_d,
                   std::vector<Bond>& out) {
  for (uint32_t i = s.res_atom_begin[ra]; i < s.res_atom_begin[ra + 1]; ++i) {
    if (name_key(s.atom_name[i]) != key_a) continue;
    for (uint32_t j = s.res_atom_begin[rb]; j < s.res_atom_begin[rb + 1]; ++j)
      if (name_key(s.atom_name[j]) == key_b && altloc_compatible(s.altloc[i], s.altloc[j]) &&
          dist2(s, i, j) <= max_d * max_d)
        add(out, i, j, BondOrder::Single);
  }
}

// by_name: scratch buffer reused across residues.
void template_bonds(const Structure& s, uint32_t r, const ResidueTemplate& t, std::vector<uint8_t>& role,
                    std::vector<std::pair<int, uint32_t>>& by_name, std::vector<Bond>& out) {
  const uint32_t begin = s.res_atom_begin[r], end = s.res_atom_begin[r + 1];
  // (template atom, atom) pairs sorted by template atom, so each template bond visits only
  // the atoms carrying its two names (several of each with alternate locations).
  by_name.clear();
  for (uint32_t i = begin; i < end; ++i) {
    int k = t.find_atom(name_key(s.atom_name[i]));
    if (k >= 0) {
      by_name.push_back({k, i});
      role[i] = kTemplated;
    } else {
      role[i] = kIntraOnly;
    }
  }
  std::sort(by_name.begin(), by_name.end());
  auto range = [&by_name](int k) {
    auto lo = std::lower_bound(by_name.begin(), by_name.end(), std::make_pair(k, uint32_t(0)));
    auto hi = lo;
    while (hi != by_name.end() && hi->first == k) ++hi;
    return std::make_pair(lo, hi);
  };
  for (const ResidueTemplate::Bond& b : t.bonds) {
    auto ra = range(b.a);
    if (ra.first == ra.second) continue;
    auto rb = range(b.b);
    int pairs = 0;
    for (auto p = ra.first; p != ra.second; ++p)
      for (auto q = rb.first; q != rb.second && pairs < 64; ++q) {  // cap: malformed residues
        if (!altloc_compatible(s.altloc[p->second], s.altloc[q->second])) continue;
        add(out, p->second, q->second, b.order);
        ++pairs;
      }
  }
}

void distance_bonds(const Structure& s, uint32_t atom_begin, uint32_t atom_end, const std::vector<uint8_t>& role,
                    std::vector<Bond>& out) {
  std::vector<uint32_t> candidates, partners;
  float max_radius = 0;
  for (uint32_t i = atom_begin; i < atom_end; ++i) {
    partners.push_back(i);
    if (role[i] == kFree || role[i] == kIntraOnly) candidates.push_back(i);
    max_radius = std::max(max_radius, covalent_radius(s.element[i]));
  }
  if (candidates.empty()) return;
  const float reach = 2 * max_radius + kTolerance;
  const SpatialGrid grid = build_spatial_grid(s, partners, reach);
  for (uint32_t i : candidates) {
    const uint32_t ri = s.atom_residue[i];
    const bool h = s.element[i] == 1;
    const float rad_i = covalent_radius(s.element[i]);
    const bool metal_i = is_metal(s.element[i]);
    uint32_t nearest = UINT32_MAX;
    float nearest_d2 = 0;
    grid.for_each_near(s.x[i], s.y[i], s.z[i], reach, [&](uint32_t j, float d2) {
      if (j == i || s.element[j] == 1) return;  // no H–H; heavy–H only from the H's side
      if (!altloc_compatible(s.altloc[i], s.altloc[j]) || d2 < kMinBond * kMinBond) return;
      const float lim = rad_i + covalent_radius(s.element[j]) + kTolerance;
      if (d2 > lim * lim) return;
      const bool metal_j = is_metal(s.element[j]);
      if (s.atom_residue[j] == ri) {
        if (metal_i && metal_j) return;  // metal clusters: metal–ligand bonds only
      } else {
        // Across residues: only ligand atoms, and not metal coordination (struct_conn says
        // which of those are meant as bonds).
        if (role[i] != kFree || role[j] == kIntraOnly || metal_i || metal_j) return;
        if (is_water(s.res_name[s.atom_residue[j]])) return;  // a clash, not a bond
      }
      if (h) {
        if (nearest == UINT32_MAX || d2 < nearest_d2) nearest = j, nearest_d2 = d2;
      } else {
        add(out, i, j, BondOrder::Single);
      }
    });
    if (nearest != UINT32_MAX) add(out, i, nearest, BondOrder::Single);
  }
}

void disulfides(const Structure& s, uint32_t atom_begin, uint32_t atom_end, std::vector<Bond>& out) {
  const uint32_t sg = key_of("SG");
  std::vector<uint32_t> sulfur;
  for (uint32_t i = atom_begin; i < atom_end; ++i)
    if (s.element[i] == 16 && atom_name_key(s.atom_name[i]) == sg) sulfur.push_back(i);
  if (sulfur.size() < 2) return;
  const SpatialGrid grid = build_spatial_grid(s, sulfur, kDisulfide);
  for (uint32_t i : sulfur)
    grid.for_each_near(s.x[i], s.y[i], s.z[i], kDisulfide, [&](uint32_t j, float) {
      if (j > i && s.atom_residue[j] != s.atom_residue[i] && altloc_compatible(s.altloc[i], s.altloc[j]))
        add(out, i, j, BondOrder::Single);
    });
}

}  // namespace

void compute_bonds(Structure& s) {
  std::vector<Bond> out;
  out.reserve(s.atom_count() + s.atom_count() / 8 + s.file_bonds.size());
  std::vector<uint8_t> role(s.atom_count(), kFree);
  const uint32_t c = key_of("C"), n = key_of("N"), o3 = key_of("O3'"), p = key_of("P");
  std::vector<std::pair<int, uint32_t>> by_name;

  for (size_t m = 0; m < s.model_count(); ++m) {
    const uint32_t chain_begin = s.model_chain_begin[m], chain_end = s.model_chain_begin[m + 1];
    if (chain_begin == chain_end) continue;
    const uint32_t atom_begin = s.res_atom_begin[s.chain_res_begin[chain_begin]];
    const uint32_t atom_end = s.res_atom_begin[s.chain_res_begin[chain_end]];
    for (uint32_t ch = chain_begin; ch < chain_end; ++ch) {
      const ResName* prev_name = nullptr;
      const ResidueTemplate* t = nullptr;
      for (uint32_t r = s.chain_res_begin[ch]; r < s.chain_res_begin[ch + 1]; ++r) {
        if (!prev_name || *prev_name != s.res_name[r]) t = find_residue_template(s.res_name[r]);
        prev_name = &s.res_name[r];
        if (t) template_bonds(s, r, *t, role, by_name, out);
        if (r > s.chain_res_begin[ch]) {
          link_residues(s, r - 1, r, c, n, kPolymerLink, out);
          link_residues(s, r - 1, r, o3, p, kPolymerLink, out);
        }
      }
    }
    distance_bonds(s, atom_begin, atom_end, role, out);
    disulfides(s, atom_begin, atom_end, out);
  }

  const uint32_t na = uint32_t(s.atom_count());
  for (const Bond& b : s.file_bonds)
    if (b.a < na && b.b < na && b.a != b.b) add(out, b.a, b.b, b.order);

  // Sorted by atom pair (counting sort on the first atom, then each short run by the second);
  // of duplicates keep the most specific order (templates and files may disagree only in
  // that one says Single for lack of knowledge).
  std::vector<uint32_t> start(s.atom_count() + 1, 0);
  for (const Bond& b : out) ++start[b.a + 1];
  for (size_t i = 0; i < s.atom_count(); ++i) start[i + 1] += start[i];
  std::vector<Bond> sorted(out.size());
  {
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (const Bond& b : out) sorted[fill[b.a]++] = b;
  }
  out.clear();
  for (size_t i = 0; i < s.atom_count(); ++i) {
    auto first = sorted.begin() + start[i], last = sorted.begin() + start[i + 1];
    std::sort(first, last, [](const Bond& x, const Bond& y) {
      if (x.b != y.b) return x.b < y.b;
      return (x.order != BondOrder::Single) > (y.order != BondOrder::Single);
    });
    for (auto it = first; it != last; ++it)
      if (it == first || it->b != (it - 1)->b) out.push_back(*it);
  }
  out.shrink_to_fit();
  s.bonds = std::move(out);
}

}  // namespace foldsight
