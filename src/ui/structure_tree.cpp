#include "ui/structure_tree.h"
#include <cstdio>
#include <map>
#include "ui/panel_layout.h"

namespace foldsight {

namespace {

enum class ResidueKind { Polymer, Ligand, Water };

ResidueKind kind_of(const Structure& s, uint32_t r) {
  if (is_water(s.res_name[r])) return ResidueKind::Water;
  if (is_amino_acid(s.res_name[r]) || is_nucleotide(s.res_name[r]) || !s.het[r]) return ResidueKind::Polymer;
  return ResidueKind::Ligand;
}

// One selectable residue row; hover and clicks behave as in the sequence panel.
void residue_row(const Structure& s, int si, uint32_t r, Highlight& hover, ResidueSelection& selection,
                 StructureTreeActions& actions) {
  char label[64];
  char ins[2] = {s.ins_code[r] == ' ' ? '\0' : s.ins_code[r], 0};
  std::snprintf(label, sizeof label, "%s %d%s  (%u atoms)##r%u", s.res_name[r].data(), s.seq_id[r], ins,
                s.res_atom_begin[r + 1] - s.res_atom_begin[r], r);
  bool selected = selection.contains(si, int(r));
  bool highlighted = hover.valid() && hover.structure == si && hover.residue == int(r) && hover.source != HoverSource::Tree;
  if (highlighted) ImGui::PushStyleColor(ImGuiCol_Text, IM_COL32(220, 110, 0, 255));
  if (ImGui::Selectable(label, selected, ImGuiSelectableFlags_AllowDoubleClick)) {
    const ImGuiIO& io = ImGui::GetIO();
    if (io.KeyShift)
      selection.extend_to(s, si, int(r));
    else if (io.KeyCtrl || io.KeySuper)
      selection.toggle(si, int(r));
    else
      selection.select_only(si, int(r));
    if (ImGui::IsMouseDoubleClicked(0)) {
      actions.focus_structure = si;
      actions.focus_chain = int(s.res_chain[r]);
      actions.focus_residue = int(r);
    }
  }
  if (highlighted) ImGui::PopStyleColor();
  if (ImGui::IsItemHovered()) {
    hover.structure = si;
    hover.residue = int(r);
    hover.residue2 = -1;
    hover.source = HoverSource::Tree;
  }
}

// A list of residue rows, clipped to the visible ones (chains can have thousands).
void residue_list(const Structure& s, int si, const std::vector<uint32_t>& residues, Highlight& hover,
                  ResidueSelection& selection, StructureTreeActions& actions) {
  ImGuiListClipper clipper;
  clipper.Begin(int(residues.size()));
  while (clipper.Step())
    for (int i = clipper.DisplayStart; i < clipper.DisplayEnd; ++i)
      residue_row(s, si, residues[size_t(i)], hover, selection, actions);
  clipper.End();
}

void chain_node(const Structure& s, int si, uint32_t c, std::vector<uint8_t>& visible, Highlight& hover,
                ResidueSelection& selection, StructureTreeActions& actions) {
  std::vector<uint32_t> polymer, ligands, waters;
  for (uint32_t r = s.chain_res_begin[c]; r < s.chain_res_begin[c + 1]; ++r) {
    ResidueKind k = kind_of(s, r);
    (k == ResidueKind::Polymer ? polymer : k == ResidueKind::Ligand ? ligands : waters).push_back(r);
  }
  ImGui::PushID(int(c));
  bool v = visible[c] != 0;
  if (ImGui::Checkbox("##visible", &v)) {
    visible[c] = v ? 1 : 0;
    actions.visibility_changed = true;
  }
  if (ImGui::IsItemHovered()) ImGui::SetTooltip("show / hide chain");
  ImGui::SameLine();
  std::string name = "Chain " + (s.chain_auth[c].empty() ? std::string("(blank)") : s.chain_auth[c]);
  if (!s.chain_label.empty() && s.chain_label[c] != s.chain_auth[c] && !s.chain_label[c].empty())
    name += " [" + s.chain_label[c] + "]";
  std::string counts;
  if (!polymer.empty()) counts += std::to_string(polymer.size()) + " res";
  if (!ligands.empty()) counts += (counts.empty() ? "" : ", ") + std::to_string(ligands.size()) + " ligand";
  if (!waters.empty()) counts += (counts.empty() ? "" : ", ") + std::to_string(waters.size()) + " water";
  // Entity description, when the file gave one.
  std::string description;
  if (c < s.chain_entity.size())
    for (const Entity& e : s.entities)
      if (e.id == s.chain_entity[c] && !e.description.empty()) description = e.description;
  bool open = ImGui::TreeNodeEx("##chain", ImGuiTreeNodeFlags_OpenOnArrow, "%s  (%s)", name.c_str(), counts.c_str());
  if (ImGui::IsItemHovered() && ImGui::IsMouseDoubleClicked(0)) actions.focus_structure = si, actions.focus_chain = int(c);
  if (ImGui::IsItemHovered() && !description.empty()) ImGui::SetTooltip("%s", description.c_str());
  if (open) {
    if (!polymer.empty() && ImGui::TreeNode("##polymer", "Residues (%zu)", polymer.size())) {
      residue_list(s, si, polymer, hover, selection, actions);
      ImGui::TreePop();
    }
    if (!ligands.empty() && ImGui::TreeNode("##ligands", "Ligands (%zu)", ligands.size())) {
      residue_list(s, si, ligands, hover, selection, actions);
      ImGui::TreePop();
    }
    if (!waters.empty() && ImGui::TreeNode("##waters", "Waters (%zu)", waters.size())) {
      residue_list(s, si, waters, hover, selection, actions);
      ImGui::TreePop();
    }
    ImGui::TreePop();
  }
  ImGui::PopID();
}

}  // namespace

StructureTreeActions draw_structure_tree(const std::vector<const Structure*>& structures,
                                         const std::vector<std::string>& names, StructureTreeState& state,
                                         std::vector<uint8_t>& structure_visible,
                                         std::vector<std::vector<uint8_t>>& chain_visible, Highlight& hover,
                                         ResidueSelection& selection) {
  StructureTreeActions actions;
  structure_visible.resize(structures.size(), 1);
  chain_visible.resize(structures.size());
  for (size_t i = 0; i < structures.size(); ++i) chain_visible[i].resize(structures[i]->chain_count(), 1);
  if (!state.open) return actions;
  // Default place: top of the right column (the lead's panels use the left one).
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x - 340, 10), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(330, 160), ImGuiCond_FirstUseEver);
  compact_panel_placement(2);
  if (!ImGui::Begin("Structures", &state.open)) {
    ImGui::End();
    return actions;
  }
  if (structures.empty()) ImGui::TextDisabled("nothing loaded");
  for (size_t i = 0; i < structures.size(); ++i) {
    const Structure& s = *structures[i];
    const int si = int(i);
    ImGui::PushID(si);
    bool v = structure_visible[i] != 0;
    if (ImGui::Checkbox("##visible", &v)) {
      structure_visible[i] = v ? 1 : 0;
      actions.visibility_changed = true;
    }
    ImGui::SameLine();
    const std::string& name = i < names.size() ? names[i] : s.name;
    bool open = ImGui::TreeNodeEx("##structure", ImGuiTreeNodeFlags_DefaultOpen | ImGuiTreeNodeFlags_OpenOnArrow,
                                  "%s", name.c_str());
    if (ImGui::IsItemHovered()) {
      ImGui::SetTooltip("%zu atoms, %zu residues, %zu chains, %zu models", s.atom_count(), s.residue_count(),
                        s.chain_count(), s.model_count());
      if (ImGui::IsMouseDoubleClicked(0)) actions.focus_structure = si;
    }
    ImGui::SameLine(ImGui::GetWindowContentRegionMax().x - ImGui::CalcTextSize("remove").x - 8.0f);
    if (ImGui::SmallButton("remove")) actions.remove_structure = si;
    if (open) {
      ImGui::TextDisabled("%zu atoms, %zu residues", s.atom_count(), s.residue_count());
      for (uint32_t m = 0; m < s.model_count(); ++m) {
        // Single-model entries list their chains directly; ensembles get one node per model.
        bool model_open = true;
        if (s.model_count() > 1) {
          ImGui::PushID(int(m));
          model_open = ImGui::TreeNode("##model", "Model %d (%u chains)", s.model_num[m],
                                       s.model_chain_begin[m + 1] - s.model_chain_begin[m]);
        }
        if (model_open) {
          for (uint32_t c = s.model_chain_begin[m]; c < s.model_chain_begin[m + 1]; ++c)
            chain_node(s, si, c, chain_visible[i], hover, selection, actions);
          if (s.model_count() > 1) ImGui::TreePop();
        }
        if (s.model_count() > 1) ImGui::PopID();
      }
      ImGui::TreePop();
    }
    ImGui::PopID();
  }
  ImGui::End();
  return actions;
}

}  // namespace foldsight
