#include "ui/measurements.h"
#include <algorithm>
#include <cmath>
#include <cstdio>
#include "ui/panel_layout.h"

namespace foldsight {

namespace {

constexpr ImU32 kLineColor = IM_COL32(40, 40, 40, 230);
constexpr ImU32 kLineHot = IM_COL32(230, 110, 0, 255);
constexpr ImU32 kLabelBg = IM_COL32(255, 255, 255, 225);
constexpr ImU32 kPendingColor = IM_COL32(0, 140, 220, 255);

void dashed_line(ImDrawList* dl, ImVec2 a, ImVec2 b, ImU32 col, float thickness) {
  const float dash = 6.0f, gap = 4.0f;
  float dx = b.x - a.x, dy = b.y - a.y, len = std::sqrt(dx * dx + dy * dy);
  if (len < 1e-3f) return;
  float ux = dx / len, uy = dy / len;
  // Very long lines (atom far off screen) are clipped by ImGui anyway; cap the dash count.
  float step = std::max(dash + gap, len / 2000.0f);
  for (float t = 0; t < len; t += step) {
    float e = std::min(t + dash, len);
    dl->AddLine(ImVec2(a.x + ux * t, a.y + uy * t), ImVec2(a.x + ux * e, a.y + uy * e), col, thickness);
  }
}

void label(ImDrawList* dl, ImVec2 at, const char* text, bool hot, const std::string& key,
           std::map<std::string, ImVec4>* item_rects) {
  ImVec2 size = ImGui::CalcTextSize(text);
  ImVec2 a(at.x - size.x * 0.5f - 4.0f, at.y - size.y * 0.5f - 2.0f);
  ImVec2 b(a.x + size.x + 8.0f, a.y + size.y + 4.0f);
  dl->AddRectFilled(a, b, kLabelBg, 4.0f);
  dl->AddRect(a, b, hot ? kLineHot : kLineColor, 4.0f);
  dl->AddText(ImVec2(a.x + 4.0f, a.y + 2.0f), hot ? kLineHot : IM_COL32(0, 0, 0, 255), text);
  if (item_rects) (*item_rects)[key] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

bool valid(const AtomRef& r, const std::vector<const Structure*>& structures) {
  return r.structure >= 0 && size_t(r.structure) < structures.size() && structures[size_t(r.structure)] &&
         r.atom < structures[size_t(r.structure)]->atom_count();
}

std::string ref_label(const AtomRef& r, const std::vector<const Structure*>& structures,
                      const std::vector<std::string>& names) {
  if (!valid(r, structures)) return "?";
  std::string prefix = structures.size() > 1 && size_t(r.structure) < names.size() ? names[size_t(r.structure)] + " " : "";
  return prefix + atom_label(*structures[size_t(r.structure)], r.atom);
}

}  // namespace

void draw_measurements_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                             MeasurementsPanel& panel, Highlight& hover, std::map<std::string, ImVec4>* item_rects) {
  measurement_update(panel.list, structures);
  panel.hovered_item = -1;
  if (!panel.open) return;
  // Default place: right column, under the structure tree.
  ImGui::SetNextWindowPos(ImVec2(ImGui::GetIO().DisplaySize.x - 340, 180), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(330, 140), ImGuiCond_FirstUseEver);
  compact_panel_placement(4);
  if (!ImGui::Begin("Measurements", &panel.open)) {
    ImGui::End();
    return;
  }
  MeasurementList& list = panel.list;
  ImGui::Checkbox("Measure by clicking atoms (M)", &panel.measuring);
  const MeasureKind kinds[] = {MeasureKind::Distance, MeasureKind::Angle, MeasureKind::Dihedral};
  for (int k = 0; k < 3; ++k) {
    if (k) ImGui::SameLine();
    char text[32];
    std::snprintf(text, sizeof text, "%c%s", measure_kind_name(kinds[k])[0] - 32, measure_kind_name(kinds[k]) + 1);
    if (ImGui::RadioButton(text, list.mode == kinds[k])) {
      measurement_set_mode(list, kinds[k]);
      panel.measuring = true;
    }
  }
  if (panel.measuring) {
    int need = atoms_needed(list.mode);
    if (list.pending.empty())
      ImGui::TextDisabled("click %d atoms in the view", need);
    else {
      std::string picked;
      for (const AtomRef& r : list.pending) picked += (picked.empty() ? "" : ", ") + ref_label(r, structures, names);
      ImGui::TextWrapped("%s (%zu of %d)", picked.c_str(), list.pending.size(), need);
    }
  }
  ImGui::Separator();
  if (list.items.empty()) ImGui::TextDisabled("no measurements");
  int remove = -1;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const Measurement& m = list.items[i];
    ImGui::PushID(int(i));
    if (ImGui::SmallButton("x")) remove = int(i);
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("delete");
    ImGui::SameLine();
    std::string value = measurement_value_text(m);
    ImGui::TextUnformatted(value.c_str());
    if (item_rects) {
      ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
      (*item_rects)["measure:" + std::to_string(i)] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
    }
    ImGui::SameLine();
    std::string atoms;
    for (int k = 0; k < atoms_needed(m.kind); ++k)
      atoms += (k ? " - " : "") + ref_label(m.atoms[size_t(k)], structures, names);
    ImGui::TextDisabled("%s", atoms.c_str());
    if (ImGui::IsItemHovered()) {  // the atom list: hovering it highlights the measurement
      panel.hovered_item = int(i);
      const AtomRef& r = m.atoms[0];
      hover.structure = r.structure;
      hover.residue = int(structures[size_t(r.structure)]->atom_residue[r.atom]);
      hover.residue2 = -1;
      hover.source = HoverSource::Measurement;
    }
    ImGui::PopID();
  }
  if (remove >= 0) list.items.erase(list.items.begin() + remove);
  if (!list.items.empty() || !list.pending.empty()) {
    if (ImGui::Button("Clear all")) {
      list.items.clear();
      list.pending.clear();
    }
  }
  ImGui::End();
}

void draw_measurement_labels(ImDrawList* dl, const float view_proj[16], ImVec2 origin, ImVec2 size,
                             const std::vector<const Structure*>& structures, const MeasurementsPanel& panel,
                             std::map<std::string, ImVec4>* item_rects) {
  if (item_rects) {
    for (auto it = item_rects->lower_bound("measure_label:");
         it != item_rects->end() && it->first.compare(0, 14, "measure_label:") == 0;)
      it = item_rects->erase(it);
  }
  auto project = [&](const AtomRef& r, ImVec2& out) {
    if (!valid(r, structures)) return false;
    float xy[2];
    if (!project_to_screen(view_proj, atom_position(*structures[size_t(r.structure)], r.atom), size.x, size.y, xy))
      return false;
    out = ImVec2(origin.x + xy[0], origin.y + xy[1]);
    return true;
  };
  dl->PushClipRect(origin, ImVec2(origin.x + size.x, origin.y + size.y), true);
  const MeasurementList& list = panel.list;
  for (size_t i = 0; i < list.items.size(); ++i) {
    const Measurement& m = list.items[i];
    int n = atoms_needed(m.kind);
    ImVec2 p[4];
    bool ok = true;
    for (int k = 0; k < n; ++k) ok = ok && project(m.atoms[size_t(k)], p[k]);
    if (!ok) continue;  // an atom behind the camera
    bool hot = panel.hovered_item == int(i);
    ImU32 col = hot ? kLineHot : kLineColor;
    for (int k = 0; k + 1 < n; ++k) dashed_line(dl, p[k], p[k + 1], col, hot ? 2.5f : 1.5f);
    ImVec2 at;
    if (m.kind == MeasureKind::Distance)  // above the middle, so short lines stay visible
      at = ImVec2((p[0].x + p[1].x) * 0.5f, std::min(p[0].y, p[1].y) - ImGui::GetTextLineHeight());
    else if (m.kind == MeasureKind::Angle)  // at the vertex, pushed away from the two arms
      at = ImVec2(p[1].x - ((p[0].x + p[2].x) * 0.5f - p[1].x) * 0.35f,
                  p[1].y - ((p[0].y + p[2].y) * 0.5f - p[1].y) * 0.35f);
    else
      at = ImVec2((p[1].x + p[2].x) * 0.5f, (p[1].y + p[2].y) * 0.5f);
    std::string text = measurement_value_text(m);
    label(dl, at, text.c_str(), hot, "measure_label:" + std::to_string(i), item_rects);
  }
  ImVec2 prev;
  bool have_prev = false;
  for (const AtomRef& r : list.pending) {
    ImVec2 q;
    if (!project(r, q)) {
      have_prev = false;
      continue;
    }
    if (have_prev) dashed_line(dl, prev, q, kPendingColor, 1.5f);
    dl->AddCircle(q, 6.0f, kPendingColor, 16, 2.0f);
    prev = q;
    have_prev = true;
  }
  dl->PopClipRect();
}

}  // namespace foldsight
