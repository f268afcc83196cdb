#include "ui/superpose_panel.h"
#include "ui/item_rects.h"
#include <algorithm>

namespace foldsight {

namespace {
void record(std::map<std::string, ImVec4>* rects, const std::string& key) { record_item_rect(rects, key); }

// Structure and chain pickers; chains listed by author id (first model).
void pick(const char* label, const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
          int& structure, int& chain) {
  ImGui::PushID(label);
  structure = std::clamp(structure, 0, int(structures.size()) - 1);
  ImGui::SetNextItemWidth(170);
  if (ImGui::BeginCombo(label, names[size_t(structure)].c_str())) {
    for (int i = 0; i < int(structures.size()); ++i)
      if (ImGui::Selectable(names[size_t(i)].c_str(), i == structure)) structure = i, chain = 0;
    ImGui::EndCombo();
  }
  const Structure& s = *structures[size_t(structure)];
  size_t chains = 0;
  while (chains < s.chain_count() && s.chain_model[chains] == 0) ++chains;
  chain = std::clamp(chain, 0, std::max(0, int(chains) - 1));
  ImGui::SameLine();
  ImGui::SetNextItemWidth(80);
  std::string current = chains ? "chain " + s.chain_auth[size_t(chain)] : "-";
  if (ImGui::BeginCombo("##chain", current.c_str())) {
    for (size_t c = 0; c < chains; ++c)
      if (ImGui::Selectable(("chain " + s.chain_auth[c]).c_str(), int(c) == chain)) chain = int(c);
    ImGui::EndCombo();
  }
  ImGui::PopID();
}
}  // namespace

SuperposeRequest draw_superpose_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                                      SuperposePanelState& state, std::map<std::string, ImVec4>* item_rects) {
  SuperposeRequest req;
  if (!state.open) return req;
  ImGui::SetNextWindowPos(ImVec2(360, 60), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(420, 0), ImGuiCond_FirstUseEver);
  if (!ImGui::Begin("Superpose", &state.open)) {
    ImGui::End();
    return req;
  }
  if (structures.size() < 2) {
    ImGui::TextDisabled("load two structures to superpose one on the other");
  } else {
    if (state.target == state.mobile) state.target = state.mobile == 0 ? 1 : 0;
    pick("move", structures, names, state.mobile, state.mobile_chain);
    pick("onto", structures, names, state.target, state.target_chain);
    if (ImGui::RadioButton("by structure (TM-align)", state.by_structure)) state.by_structure = true;
    ImGui::SameLine();
    if (ImGui::RadioButton("by sequence", !state.by_structure)) state.by_structure = false;
    ImGui::BeginDisabled(state.mobile == state.target);
    if (ImGui::Button("Superpose")) {
      req.run = true;
      req.mobile = state.mobile, req.target = state.target;
      req.mobile_chain = state.mobile_chain, req.target_chain = state.target_chain;
      req.mode = state.by_structure ? SuperposeMode::Structure : SuperposeMode::Sequence;
    }
    ImGui::EndDisabled();
    record(item_rects, "superpose:run");
  }
  const ChainSuperposition& r = state.last;
  if (!state.last_names.empty()) {
    ImGui::Separator();
    ImGui::TextUnformatted(state.last_names.c_str());
    if (!r.ok) {
      ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", r.error.c_str());
    } else {
      ImGui::Text("TM-score %.4f (by target, %zu res)  %.4f (by mobile, %zu res)", r.tm_score, r.target_length,
                  r.tm_score_mobile, r.mobile_length);
      record(item_rects, "superpose:result");
      ImGui::Text("RMSD %.2f A over %zu aligned residues, identity %.0f %%", r.rmsd, r.aligned, 100.0 * r.seq_identity);
      // The alignment, 60 columns per block: mobile, match line, target.
      ImGui::BeginChild("alignment", ImVec2(0, ImGui::GetTextLineHeightWithSpacing() * 7), true,
                        ImGuiWindowFlags_HorizontalScrollbar);
      const std::string& a = r.aligned_mobile;
      const std::string& b = r.aligned_target;
      for (size_t k = 0; k < a.size(); k += 60) {
        std::string sa = a.substr(k, 60), sb = b.substr(k, 60), mid(sa.size(), ' ');
        for (size_t i = 0; i < sa.size() && i < sb.size(); ++i)
          if (sa[i] != '-' && sb[i] != '-') mid[i] = sa[i] == sb[i] ? ':' : '.';
        ImGui::TextUnformatted(sa.c_str());
        ImGui::TextUnformatted(mid.c_str());
        ImGui::TextUnformatted(sb.c_str());
      }
      ImGui::EndChild();
    }
  }
  ImGui::End();
  return req;
}

}  // namespace foldsight
