// Representation manager: per loaded structure, the list of representations (kind, selection
// with its error shown inline, colour scheme with legend, visibility), add and remove. Edits
// the representation lists in place — the same lists window.foldsight.setRepresentation and
// share links edit — and says when the scene must be rebuilt.
#pragma once
#include <map>
#include <string>
#include <utility>
#include <vector>
#include "core/structure.h"
#include "geometry/color_scheme.h"
#include "geometry/representation.h"
#include "imgui.h"

namespace foldsight {

struct RepresentationPanelState {
  bool open = true;
  // Selection text being edited, per (structure, representation): applied on Enter or when
  // the field loses focus, and only if it parses (otherwise the error shows and nothing changes).
  struct Edit {
    std::string text;     // what the field shows
    std::string source;   // the representation's selection when `text` was last taken from it
  };
  std::map<std::pair<int, int>, Edit> editing;
  std::map<std::pair<int, int>, std::string> errors;
  // Legends are cached: some need a pass over every atom (B-factor percentiles).
  struct LegendKey {
    const Structure* s;
    size_t atoms;
    int scheme;
    bool operator<(const LegendKey& o) const {
      return s != o.s ? s < o.s : atoms != o.atoms ? atoms < o.atoms : scheme < o.scheme;
    }
  };
  std::map<LegendKey, std::vector<LegendEntry>> legends;
};

// Draws the "Representations" window (when state.open). reps[i] are structure i's
// representations. Returns true when any representation changed (rebuild the scene).
// With item_rects, records "rep:<i>:<k>:selection|kind|color|visible|remove" and "rep:<i>:add".
bool draw_representation_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                               const std::vector<std::vector<RepresentationSpec>*>& reps, RepresentationPanelState& state,
                               std::map<std::string, ImVec4>* item_rects = nullptr);

}  // namespace foldsight
