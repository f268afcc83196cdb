#include "ui/open_panel.h"
#include "ui/item_rects.h"
#include <cstdio>
#include "ui/panel_layout.h"

namespace foldsight {

namespace {
void record(std::map<std::string, ImVec4>* rects, const std::string& key) { record_item_rect(rects, key); }

std::string human_size(double bytes) {
  char buf[32];
  if (bytes >= 1e6) std::snprintf(buf, sizeof buf, "%.1f MB", bytes / 1e6);
  else std::snprintf(buf, sizeof buf, "%.0f kB", bytes / 1e3);
  return buf;
}
}  // namespace

const std::vector<ExampleStructure>& example_structures() {
  static const std::vector<ExampleStructure> kExamples = {
      {"1hpv.pdb", "1HPV", "HIV-1 protease with an inhibitor bound in its active site (X-ray)"},
      {"1A8O.cif.gz", "1A8O", "HIV capsid protein, C-terminal domain dimer (X-ray)"},
      {"4ZHL.cif.gz", "4ZHL", "Urokinase (uPA) with the cyclic peptide inhibitor mupain-1 (X-ray)"},
      {"2XHE.cif.gz", "2XHE", "Unc18-syntaxin 1 complex from Monosiga brevicollis (X-ray)"},
      {"1LCD.cif.gz", "1LCD", "Lac repressor headpiece bound to an operator half-site, protein-DNA (NMR ensemble)"},
      {"2BEG.cif.gz", "2BEG", "Alzheimer's amyloid-beta(1-42) fibril, five stacked chains (solid-state NMR)"},
  };
  return kExamples;
}

OpenPanelActions draw_open_panel(OpenPanelState& state, std::map<std::string, ImVec4>* item_rects) {
  OpenPanelActions act;
  if (!state.open) return act;
  // Starts collapsed at the top, between the main window and the tree: its title bar is the way
  // in, the 3D view keeps the room.
  ImGui::SetNextWindowPos(ImVec2(330, 10), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(340, 280), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowCollapsed(state.start_collapsed, ImGuiCond_FirstUseEver);
  compact_panel_placement(1);
  const bool expanded = ImGui::Begin("Open", &state.open);
  if (item_rects) {   // the title bar (click it to expand the collapsed window)
    ImVec2 p = ImGui::GetWindowPos();
    (*item_rects)["open:title"] = ImVec4(p.x, p.y, ImGui::GetWindowWidth(), ImGui::GetFrameHeight());
  }
  if (!expanded) {
    ImGui::End();
    return act;
  }
  if (ImGui::Button("Open file...")) act.pick_file = true;
  record(item_rects, "open:file");
  ImGui::SameLine();
  ImGui::TextDisabled("or drop PDB, mmCIF, BinaryCIF, .gz, FASTA");
  ImGui::SetNextItemWidth(-70);
  bool enter = ImGui::InputTextWithHint("##url", "https://... or a path on this site", state.url, sizeof state.url,
                                        ImGuiInputTextFlags_EnterReturnsTrue);
  record(item_rects, "open:url");
  ImGui::SameLine();
  if ((ImGui::Button("Open URL") || enter) && state.url[0]) act.url = state.url;
  record(item_rects, "open:url_button");

  if (ImGui::CollapsingHeader("Recent files", ImGuiTreeNodeFlags_DefaultOpen)) {
    if (state.recent.empty()) ImGui::TextDisabled("files you open are kept here, in this browser only");
    for (size_t i = 0; i < state.recent.size(); ++i) {
      const RecentFile& r = state.recent[i];
      ImGui::PushID(r.id);
      if (ImGui::SmallButton("x")) act.forget = r.id;
      record(item_rects, "recent_forget:" + std::to_string(i));
      ImGui::SameLine();
      if (ImGui::Selectable(r.name.c_str())) act.recent = r.id;
      record(item_rects, "recent:" + std::to_string(i));
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s, opened %s", human_size(r.size).c_str(), r.when.c_str());
      ImGui::PopID();
    }
    if (!state.recent.empty() && ImGui::SmallButton("Clear recent files")) act.clear_recent = true;
    record(item_rects, "recent:clear");
  }
  if (ImGui::CollapsingHeader("Examples", ImGuiTreeNodeFlags_DefaultOpen)) {
    const auto& ex = example_structures();
    for (size_t i = 0; i < ex.size(); ++i) {
      ImGui::PushID(int(i));
      if (ImGui::Selectable(ex[i].title, false, 0, ImVec2(48, 0))) act.example = int(i);
      record(item_rects, "example:" + std::to_string(i));
      ImGui::SameLine();
      ImGui::TextWrapped("%s", ex[i].description);
      ImGui::PopID();
    }
  }
  ImGui::End();
  return act;
}

}  // namespace foldsight
