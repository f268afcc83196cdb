// The "Superpose" window: pick a mobile and a target structure (and chains), superpose by
// sequence or by structure (core/chain_superposition.h), read TM-score, RMSD and the alignment.
#pragma once
#include <map>
#include <string>
#include <vector>
#include "core/chain_superposition.h"
#include "core/structure.h"
#include "imgui.h"

namespace foldsight {

struct SuperposePanelState {
  bool open = false;   // opened from the main window ("Superpose...") or by the API
  int mobile = 0, target = 1;
  int mobile_chain = 0, target_chain = 0;
  bool by_structure = true;
  ChainSuperposition last;   // the latest result, shown until the next one
  std::string last_names;    // "mobile chain -> target chain" of `last`
};

struct SuperposeRequest {
  bool run = false;
  int mobile = -1, target = -1, mobile_chain = 0, target_chain = 0;
  SuperposeMode mode = SuperposeMode::Structure;
};

// With item_rects, records "superpose:run" and "superpose:result".
SuperposeRequest draw_superpose_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                                      SuperposePanelState& state, std::map<std::string, ImVec4>* item_rects = nullptr);

}  // namespace foldsight
