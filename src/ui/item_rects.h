// Screen rectangles of labelled UI items, recorded each frame for tests and embedders
// (window.foldsight.uiItemRect): x, y, width, height in ImGui (CSS) pixels.
#pragma once
#include <map>
#include <string>
#include "imgui.h"

namespace foldsight {

// Records the last ImGui item under `key` (no-op without a map).
inline void record_item_rect(std::map<std::string, ImVec4>* rects, const std::string& key) {
  if (!rects) return;
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  (*rects)[key] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

}  // namespace foldsight
