#include "ui/representation_panel.h"
#include "ui/item_rects.h"
#include <algorithm>
#include <cstdio>
#include <cstring>
#include "ui/panel_layout.h"

namespace foldsight {

namespace {
constexpr RepKind kKinds[] = {RepKind::Cartoon, RepKind::Trace, RepKind::BallAndStick,
                              RepKind::Lines,   RepKind::Spacefill, RepKind::Surface};
constexpr ColorScheme kSchemes[] = {ColorScheme::Chain,     ColorScheme::Element,        ColorScheme::ResidueType,
                                    ColorScheme::SecondaryStructure, ColorScheme::BFactor, ColorScheme::Plddt,
                                    ColorScheme::Hydrophobicity,     ColorScheme::Rainbow, ColorScheme::Uniform};

void record(std::map<std::string, ImVec4>* rects, const std::string& key) { record_item_rect(rects, key); }

ImU32 to_imgui(uint32_t rgba) {   // packed 0xAABBGGRR, the same byte order ImGui uses
  return ImU32(rgba);
}

const std::vector<LegendEntry>& legend_for(RepresentationPanelState& state, const Structure& s, ColorScheme c) {
  RepresentationPanelState::LegendKey key{&s, s.atom_count(), int(c)};
  auto it = state.legends.find(key);
  if (it == state.legends.end()) {
    if (state.legends.size() > 64) state.legends.clear();
    it = state.legends.emplace(key, color_legend(s, c)).first;
  }
  return it->second;
}

void draw_legend(const std::vector<LegendEntry>& legend) {
  const size_t shown = std::min<size_t>(legend.size(), 10);
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float h = ImGui::GetTextLineHeight();
  for (size_t k = 0; k < shown; ++k) {
    if (k % 2) ImGui::SameLine(ImGui::GetWindowContentRegionMin().x + 150);
    ImVec2 p = ImGui::GetCursorScreenPos();
    dl->AddRectFilled(ImVec2(p.x, p.y + 2), ImVec2(p.x + h - 4, p.y + h - 2), to_imgui(legend[k].rgba), 2.0f);
    ImGui::Dummy(ImVec2(h - 2, h));
    ImGui::SameLine();
    ImGui::TextUnformatted(legend[k].label.c_str());
  }
  if (legend.size() > shown) ImGui::TextDisabled("... and %zu more", legend.size() - shown);
}
}  // namespace

bool draw_representation_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                               const std::vector<std::vector<RepresentationSpec>*>& reps, RepresentationPanelState& state,
                               std::map<std::string, ImVec4>* item_rects) {
  if (!state.open) return false;
  bool changed = false;
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x - 370, 330), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(360, 300), ImGuiCond_FirstUseEver);
  compact_panel_placement(3);
  if (!ImGui::Begin("Representations", &state.open)) {
    ImGui::End();
    return false;
  }
  if (structures.empty()) ImGui::TextDisabled("nothing loaded");
  for (size_t si = 0; si < structures.size() && si < reps.size(); ++si) {
    const Structure& s = *structures[si];
    std::vector<RepresentationSpec>& list = *reps[si];
    ImGui::PushID(int(si));
    if (ImGui::CollapsingHeader(names[si].c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
      int remove = -1;
      for (size_t k = 0; k < list.size(); ++k) {
        RepresentationSpec& r = list[k];
        const std::string id = "rep:" + std::to_string(si) + ":" + std::to_string(k) + ":";
        ImGui::PushID(int(k));
        if (ImGui::Checkbox("##visible", &r.visible)) changed = true;
        record(item_rects, id + "visible");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(120);
        if (ImGui::BeginCombo("##kind", rep_kind_name(r.kind))) {
          for (RepKind kind : kKinds)
            if (ImGui::Selectable(rep_kind_name(kind), kind == r.kind) && kind != r.kind) r.kind = kind, changed = true;
          ImGui::EndCombo();
        }
        record(item_rects, id + "kind");
        ImGui::SameLine();
        ImGui::SetNextItemWidth(130);
        if (ImGui::BeginCombo("##color", color_scheme_name(r.color))) {
          for (ColorScheme c : kSchemes)
            if (ImGui::Selectable(color_scheme_name(c), c == r.color) && c != r.color) r.color = c, changed = true;
          ImGui::EndCombo();
        }
        record(item_rects, id + "color");
        ImGui::SameLine();
        if (ImGui::SmallButton("x")) remove = int(k);
        record(item_rects, id + "remove");
        // Selection: edited as text, applied when it parses.
        const auto key = std::make_pair(int(si), int(k));
        auto it = state.editing.find(key);
        if (it == state.editing.end()) it = state.editing.emplace(key, RepresentationPanelState::Edit{r.selection, r.selection}).first;
        RepresentationPanelState::Edit& edit = it->second;
        if (edit.source != r.selection && !ImGui::IsItemActive()) {   // changed elsewhere (API, share link)
          edit = {r.selection, r.selection};
          state.errors.erase(key);
        }
        char buf[512];
        std::snprintf(buf, sizeof buf, "%s", edit.text.c_str());
        ImGui::SetNextItemWidth(-1);
        ImGui::InputTextWithHint("##selection", "selection, e.g. chain A and resi 10-40", buf, sizeof buf);
        record(item_rects, id + "selection");
        edit.text = buf;
        if (ImGui::IsItemDeactivatedAfterEdit()) {   // Enter, Tab or a click elsewhere
          RepresentationSpec trial = r;
          trial.selection = edit.text;
          if (resolve_selection(s, trial)) {
            if (trial.selection != r.selection) r = std::move(trial), changed = true;
            edit.source = r.selection;
            state.errors.erase(key);
          } else {
            state.errors[key] = trial.error;   // the representation keeps its last valid selection
          }
        }
        auto err = state.errors.find(key);
        if (err != state.errors.end()) {
          ImGui::PushStyleColor(ImGuiCol_Text, ImVec4(0.8f, 0.1f, 0.1f, 1));
          ImGui::TextWrapped("%s", err->second.c_str());
          ImGui::PopStyleColor();
          record(item_rects, id + "error");
        }
        // Opacity: applied when the slider is let go (each change rebuilds the geometry).
        ImGui::SetNextItemWidth(-1);
        float opacity = r.opacity;
        ImGui::SliderFloat("##opacity", &opacity, 0.0f, 1.0f, "opacity %.2f");
        record(item_rects, id + "opacity");
        if (opacity != r.opacity) r.opacity = opacity;
        if (ImGui::IsItemDeactivatedAfterEdit()) changed = true;
        if (ImGui::TreeNode("legend")) {
          draw_legend(legend_for(state, s, r.color));
          ImGui::TreePop();
        }
        ImGui::Separator();
        ImGui::PopID();
      }
      if (remove >= 0) {
        list.erase(list.begin() + remove);
        // Rows after the removed one move up: their edit state follows.
        state.editing.clear();
        state.errors.clear();
        changed = true;
      }
      if (ImGui::Button("+ Add representation")) {
        RepresentationSpec r;
        r.kind = RepKind::BallAndStick;
        r.selection = "ligand";
        r.color = ColorScheme::Element;
        resolve_selection(s, r);
        list.push_back(std::move(r));
        changed = true;
      }
      record(item_rects, "rep:" + std::to_string(si) + ":add");
    }
    ImGui::PopID();
  }
  ImGui::End();
  return changed;
}

}  // namespace foldsight
