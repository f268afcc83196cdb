// Structure tree: structures → models → chains → polymer residues / ligands / waters, with
// counts and visibility checkboxes per structure and per chain. Hovering or clicking a
// residue row hovers / selects it like the sequence panel.
#pragma once
#include <cstdint>
#include <string>
#include <vector>
#include "core/structure.h"
#include "imgui.h"
#include "ui/selection.h"

namespace foldsight {

struct StructureTreeState {
  bool open = true;
};

// What the user asked for this frame; the caller applies it.
struct StructureTreeActions {
  bool visibility_changed = false;  // a checkbox changed structure_visible / chain_visible
  int remove_structure = -1;        // the "remove" button of that structure was pressed
  int focus_structure = -1;         // double-click on a chain / residue: frame it
  int focus_chain = -1;             // chain index, or -1 for the whole structure
  int focus_residue = -1;           // residue index, or -1 for the whole chain
};

// Draws the "Structures" window (when state.open). structure_visible[i] and chain_visible[i][c]
// (1 = shown) are resized to the structures (new entries visible) and edited by the checkboxes;
// the caller masks representations with them. `hover` is set (source Tree) when a residue
// row is hovered; clicks on residue rows edit `selection`.
StructureTreeActions draw_structure_tree(const std::vector<const Structure*>& structures,
                                         const std::vector<std::string>& names, StructureTreeState& state,
                                         std::vector<uint8_t>& structure_visible,
                                         std::vector<std::vector<uint8_t>>& chain_visible, Highlight& hover,
                                         ResidueSelection& selection);

}  // namespace foldsight
