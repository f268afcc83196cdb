// Plots window drawn with ImGui draw lists: per-residue pLDDT / B-factor line per chain
// (AlphaFold confidence bands when the structure looks like a prediction), Ramachandran plot
// (of the selection when it has residues in the plotted structure) and CA–CA contact map.
// Hovering a plot reports the residue(s) under the cursor through Highlight (source Plot).
#pragma once
#include <array>
#include <cstdint>
#include <map>
#include <string>
#include <vector>
#include "core/structure.h"
#include "geometry/measure.h"
#include "geometry/residue_plots.h"
#include "imgui.h"
#include "ui/selection.h"

namespace foldsight {

struct PlotsPanelState {
  bool open = true;
  int structure = 0;            // index into the caller's list
  float contact_cutoff = 8.0f;  // Å, CA–CA
  int request_tab = -1;         // set to 0 (line), 1 (Ramachandran) or 2 (contact map) to switch tabs

  // ---- caches, keyed by the structure and a sample of its coordinates ----
  const Structure* cached = nullptr;
  uint64_t cached_hash = 0;
  std::vector<float> values;                     // per residue (residue_values)
  bool prediction = false;                       // looks_like_prediction
  std::vector<uint32_t> line_residues;           // x axis of the line plot (model 1, chain order)
  std::vector<uint32_t> line_chain_starts;       // indices into line_residues where a chain begins
  BackboneTorsions torsions;
  ContactMapImage contacts;                      // computed when the contact tab is first shown
  bool contacts_valid = false;
  float contacts_cutoff = 0;
  int contacts_bins = 0;
  std::vector<int32_t> contact_axis_of;          // residue → contact map axis index, -1 if absent
  std::vector<std::array<uint16_t, 3>> contact_runs;  // (row, first, end) in bins / contact_run_scale
  int contact_run_scale = 1;
};

// Draws the "Plots" window (when state.open). `hover`: on entry the residue hovered elsewhere
// (marked on the plots); on exit the residue under the cursor in a plot (source Plot; the
// contact map also sets residue2) when there is one, otherwise unchanged. The Ramachandran
// plot shows the residues of `selection` in the plotted structure, or all when none is selected.
// With item_rects, records the plot areas (x, y, w, h) as "plot:line", "plot:rama", "plot:contacts".
void draw_plots_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                      PlotsPanelState& state, Highlight& hover, const ResidueSelection& selection,
                      std::map<std::string, ImVec4>* item_rects = nullptr);

}  // namespace foldsight
