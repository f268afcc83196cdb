// Hover and residue selection shared by the 3D view and every panel. Header-only and free of
// ImGui, so the native tests can use it.
#pragma once
#include <algorithm>
#include <cstdint>
#include <set>
#include <utility>
#include <vector>
#include "core/structure.h"

namespace foldsight {

// Where the hovered residue came from, so a panel does not scroll to its own hover.
enum class HoverSource : uint8_t { None, View3D, Sequence, Plot, Tree, Measurement };

// The residue under the cursor this frame (structure index into the caller's list).
struct Highlight {
  int structure = -1;
  int residue = -1;
  HoverSource source = HoverSource::None;
  // A second residue for plots whose points are pairs (contact map); -1 otherwise.
  int residue2 = -1;
  bool valid() const { return structure >= 0 && residue >= 0; }
  void clear() { *this = Highlight{}; }
};

// A set of (structure, residue) pairs plus the anchor of the last plain/ctrl click, which
// shift-click extends from.
struct ResidueSelection {
  std::set<std::pair<int, int>> residues;
  int anchor_structure = -1, anchor_residue = -1;

  bool empty() const { return residues.empty(); }
  bool contains(int structure, int residue) const { return residues.count({structure, residue}) != 0; }
  void clear() {
    residues.clear();
    anchor_structure = anchor_residue = -1;
  }
  // Plain click: only this residue.
  void select_only(int structure, int residue) {
    residues.clear();
    residues.insert({structure, residue});
    anchor_structure = structure, anchor_residue = residue;
  }
  // Ctrl/Cmd click.
  void toggle(int structure, int residue) {
    auto key = std::make_pair(structure, residue);
    if (!residues.erase(key)) residues.insert(key);
    anchor_structure = structure, anchor_residue = residue;
  }
  // Shift click: every residue of the anchor's chain between the anchor and `residue` (the
  // anchor stays). Without an anchor in the same chain it selects just `residue`.
  void extend_to(const Structure& s, int structure, int residue) {
    if (anchor_structure != structure || anchor_residue < 0 || size_t(anchor_residue) >= s.residue_count() ||
        size_t(residue) >= s.residue_count() || s.res_chain[size_t(anchor_residue)] != s.res_chain[size_t(residue)]) {
      residues.insert({structure, residue});
      anchor_structure = structure, anchor_residue = residue;
      return;
    }
    int lo = std::min(anchor_residue, residue), hi = std::max(anchor_residue, residue);
    for (int r = lo; r <= hi; ++r) residues.insert({structure, r});
  }
  // Residue indices selected in one structure, sorted.
  std::vector<uint32_t> of_structure(int structure) const {
    std::vector<uint32_t> out;
    for (auto it = residues.lower_bound({structure, -1}); it != residues.end() && it->first == structure; ++it)
      out.push_back(uint32_t(it->second));
    return out;
  }
  // Per-atom mask (1 = atom of a selected residue) of one structure, for representations.
  std::vector<uint8_t> atom_mask(const Structure& s, int structure) const {
    std::vector<uint8_t> mask(s.atom_count(), 0);
    for (uint32_t r : of_structure(structure))
      if (r < s.residue_count())
        std::fill(mask.begin() + s.res_atom_begin[r], mask.begin() + s.res_atom_begin[r + 1], uint8_t(1));
    return mask;
  }
  // Call when structure `index` is removed from the caller's list.
  void remove_structure(int index) {
    std::set<std::pair<int, int>> kept;
    for (auto& p : residues)
      if (p.first != index) kept.insert({p.first > index ? p.first - 1 : p.first, p.second});
    residues.swap(kept);
    if (anchor_structure == index) anchor_structure = anchor_residue = -1;
    else if (anchor_structure > index) --anchor_structure;
  }
};

// Per-atom visibility (1 = shown) of one structure from per-chain flags (the structure tree's
// chain_visible); chains beyond the flags' size count as visible.
inline std::vector<uint8_t> visible_atom_mask(const Structure& s, const std::vector<uint8_t>& chain_visible) {
  std::vector<uint8_t> mask(s.atom_count(), 1);
  for (size_t c = 0; c < s.chain_count() && c < chain_visible.size(); ++c) {
    if (chain_visible[c]) continue;
    uint32_t a0 = s.res_atom_begin[s.chain_res_begin[c]], a1 = s.res_atom_begin[s.chain_res_begin[c + 1]];
    std::fill(mask.begin() + a0, mask.begin() + a1, uint8_t(0));
  }
  return mask;
}

}  // namespace foldsight
