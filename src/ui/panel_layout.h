// Where panels first appear on small screens (tablets, phones, small embeds). Below 900 × 600
// CSS pixels the default layout would cover the structure, so every panel starts collapsed and
// the title bars stack down the right edge, in `slot` order: a tap on one opens it.
#pragma once
#include "imgui.h"

namespace foldsight {

inline bool compact_layout() {
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  return d.x < 900 || d.y < 600;
}

// Call after the panel's own SetNextWindowPos/Size and before its Begin.
inline void compact_panel_placement(int slot) {
  if (!compact_layout()) return;
  const ImVec2 d = ImGui::GetIO().DisplaySize;
  const float pitch = ImGui::GetFrameHeight() + 4;
  ImGui::SetNextWindowPos(ImVec2(d.x - 6, 6 + slot * pitch), ImGuiCond_FirstUseEver, ImVec2(1, 0));
  ImGui::SetNextWindowCollapsed(true, ImGuiCond_FirstUseEver);
}

}  // namespace foldsight
