// Measurements panel (mode, list with delete, clear all) and the 3D labels: dashed lines
// between the measured atoms and the value, projected onto the screen. The geometry and the
// pick logic are in src/geometry/measure.h.
#pragma once
#include <map>
#include <string>
#include <vector>
#include "core/structure.h"
#include "geometry/measure.h"
#include "imgui.h"
#include "ui/selection.h"

namespace foldsight {

struct MeasurementsPanel {
  bool open = true;
  bool measuring = false;  // while true, atom clicks in the 3D view go to measurement_add_pick
  MeasurementList list;
  int hovered_item = -1;   // list row under the cursor: its label is emphasised in 3D
};

// Draws the "Measurements" window (when panel.open): measuring toggle, mode radio buttons
// (distance / angle / dihedral), the pending atoms, the list with values and delete
// buttons, clear all. Recomputes values from the current coordinates first
// (measurement_update), so moving structures keep correct values. A hovered row sets
// `hover` to its first atom's residue (source Measurement).
// With item_rects, records "measure:<i>" (x, y, w, h) for each row's value text.
void draw_measurements_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                             MeasurementsPanel& panel, Highlight& hover,
                             std::map<std::string, ImVec4>* item_rects = nullptr);

// Draws every measurement (and the pending atoms) into `dl` (e.g. ImGui::GetBackgroundDrawList(),
// so labels sit under the windows): dashed lines between the atoms and a value label.
// view_proj: projection * view, column-major (mat4_multiply(proj, view, out));
// viewport_origin/size: the 3D view's rectangle in ImGui (CSS) pixels.
// With item_rects, records "measure_label:<i>" (x, y, w, h) of each visible label.
void draw_measurement_labels(ImDrawList* dl, const float view_proj[16], ImVec2 viewport_origin, ImVec2 viewport_size,
                             const std::vector<const Structure*>& structures, const MeasurementsPanel& panel,
                             std::map<std::string, ImVec4>* item_rects = nullptr);

}  // namespace foldsight
