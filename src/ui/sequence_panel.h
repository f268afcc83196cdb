// Sequence panel: every chain of every loaded structure as a horizontally scrollable strip of
// one-letter residue cells with a secondary-structure track and numbering; ligands follow
// their chain as 3-letter cells, waters are counted. Hover and selection are shared with the
// 3D view through Highlight / ResidueSelection (src/ui/selection.h).
#pragma once
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include "core/structure.h"
#include "imgui.h"
#include "ui/selection.h"

namespace foldsight {

struct SequencePanelState {
  bool open = true;
  bool show_ligands = true;

  // ---- layout cache (rebuilt when the structures change) ----
  struct Cell {
    int structure;
    uint32_t residue;
    float x, w;       // in strip coordinates (0 = first cell column)
    bool polymer;     // one-letter cell; false: ligand (3-letter cell)
  };
  struct Row {
    int structure;
    uint32_t chain;            // first chain index with this author chain id (model 1)
    size_t cell_begin, cell_end;
    int waters = 0;
    float width = 0;           // strip width of the cells, excluding the water count
  };
  std::vector<Row> rows;
  std::vector<Cell> cells;
  std::vector<std::vector<int32_t>> cell_of;  // [structure][residue] → cell index, -1 when not shown
  std::vector<std::pair<const Structure*, size_t>> cache_key;
  float cache_cell_w = 0;
  bool cache_show_ligands = true;
  // Right-click on an amino-acid cell: "mutate to" menu. The choice is left here for the app
  // (which re-predicts the mutated sequence) and cleared by it.
  struct Mutation {
    int structure = -1;
    int residue = -1;
    char to = 0;
  };
  Mutation menu;       // the cell whose menu is open
  Mutation mutate;     // chosen this frame (structure >= 0)
  // The last 3D hover scrolled into view, so the strip scrolls once per new hover.
  int scrolled_structure = -1, scrolled_residue = -1;
};

// Draws the "Sequence" window (when state.open). `hover`: on entry the residue hovered in the
// 3D view (or elsewhere), highlighted and, when it comes from the 3D view, scrolled into view;
// on exit the residue under the cursor in the strip (source Sequence) when there is one,
// otherwise unchanged. Clicks edit `selection` (plain: only this residue, Ctrl/Cmd: toggle,
// Shift: range in the chain from the last click). When item_rects is given, the on-screen
// rectangle (x, y, w, h in ImGui/CSS pixels) of every visible cell is recorded under
// "seq:<structure>:<auth chain>:<seq_id><ins code>" (stale "seq:" keys are erased).
// Only the first model of multi-model entries is shown. Right-clicking an amino acid opens a
// "mutate to" menu (letters recorded as "mutate:<letter>"); the choice lands in state.mutate.
void draw_sequence_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                         SequencePanelState& state, Highlight& hover, ResidueSelection& selection,
                         std::map<std::string, ImVec4>* item_rects = nullptr);

// Key used for item_rects: "seq:0:A:42" (insertion code appended, e.g. "seq:0:A:42A").
std::string sequence_cell_key(const Structure& s, int structure, uint32_t residue);

}  // namespace foldsight
