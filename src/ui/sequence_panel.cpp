#include "ui/sequence_panel.h"
#include <algorithm>
#include <cstdio>
#include <cstring>
#include "geometry/color_scheme.h"
#include "ui/panel_layout.h"

namespace foldsight {

namespace {

constexpr float kLabelWidth = 96.0f;   // sticky chain label column
constexpr float kTrackHeight = 7.0f;   // secondary-structure track
constexpr ImU32 kHoverFill = IM_COL32(255, 160, 40, 255);
constexpr ImU32 kSelectFill = IM_COL32(120, 200, 110, 255);
constexpr ImU32 kCoilColor = IM_COL32(150, 150, 150, 255);

char residue_letter(const ResName& r) {
  if (is_amino_acid(r)) return one_letter_code(r);
  if (is_nucleotide(r)) return r[std::strlen(r.data()) - 1];  // "DA" → 'A'
  return 'X';
}

bool is_polymer_residue(const Structure& s, uint32_t r) {
  const ResName& n = s.res_name[r];
  if (is_water(n)) return false;
  return is_amino_acid(n) || is_nucleotide(n) || !s.het[r];
}

bool is_helix(SSCode c) { return c == 'H' || c == 'G' || c == 'I'; }
bool is_strand(SSCode c) { return c == 'E' || c == 'B'; }

float row_height() { return ImGui::GetTextLineHeight() * 2.0f + kTrackHeight + 6.0f; }

void rebuild_layout(const std::vector<const Structure*>& structures, SequencePanelState& st, float cell_w,
                    float ligand_w) {
  st.rows.clear();
  st.cells.clear();
  st.cell_of.assign(structures.size(), {});
  st.cache_key.clear();
  for (size_t si = 0; si < structures.size(); ++si) {
    const Structure* sp = structures[si];
    st.cache_key.push_back({sp, sp ? sp->residue_count() : 0});
    if (!sp || sp->model_count() == 0) continue;
    const Structure& s = *sp;
    st.cell_of[si].assign(s.residue_count(), -1);
    size_t first_row = st.rows.size();
    // One row per author chain of model 1: mmCIF puts ligands and waters in their own
    // label_asym chains that share the polymer's author chain id.
    for (uint32_t c = s.model_chain_begin[0]; c < s.model_chain_begin[1]; ++c) {
      size_t row_index = st.rows.size();
      for (size_t k = first_row; k < st.rows.size(); ++k)
        if (s.chain_auth[st.rows[k].chain] == s.chain_auth[c]) row_index = k;
      if (row_index == st.rows.size()) st.rows.push_back({int(si), c, 0, 0, 0, 0.0f});
      (void)row_index;
    }
    // Fill cells row by row so each row's cells are contiguous and sorted by x.
    for (size_t k = first_row; k < st.rows.size(); ++k) {
      SequencePanelState::Row& row = st.rows[k];
      row.cell_begin = st.cells.size();
      float x = 0;
      bool in_ligands = false;
      for (uint32_t c = s.model_chain_begin[0]; c < s.model_chain_begin[1]; ++c) {
        if (s.chain_auth[c] != s.chain_auth[row.chain]) continue;
        for (uint32_t r = s.chain_res_begin[c]; r < s.chain_res_begin[c + 1]; ++r) {
          if (is_water(s.res_name[r])) {
            ++row.waters;
            continue;
          }
          bool polymer = is_polymer_residue(s, r);
          if (!polymer && !st.show_ligands) continue;
          if (!polymer && !in_ligands) {
            x += cell_w;  // gap between the polymer and its ligands
            in_ligands = true;
          }
          float w = polymer ? cell_w : ligand_w;
          st.cell_of[si][r] = int32_t(st.cells.size());
          st.cells.push_back({int(si), r, x, w, polymer});
          x += w + (polymer ? 0.0f : 2.0f);
        }
      }
      row.cell_end = st.cells.size();
      row.width = x;
    }
    // Chains made only of waters (and ligands when hidden) get no row of their own.
    st.rows.erase(std::remove_if(st.rows.begin() + long(first_row), st.rows.end(),
                                 [](const SequencePanelState::Row& r) { return r.cell_begin == r.cell_end; }),
                  st.rows.end());
  }
  st.cache_cell_w = cell_w;
  st.cache_show_ligands = st.show_ligands;
}

bool layout_is_current(const std::vector<const Structure*>& structures, const SequencePanelState& st, float cell_w) {
  if (st.cache_key.size() != structures.size() || st.cache_cell_w != cell_w ||
      st.cache_show_ligands != st.show_ligands)
    return false;
  for (size_t i = 0; i < structures.size(); ++i)
    if (st.cache_key[i].first != structures[i] || st.cache_key[i].second != structures[i]->residue_count())
      return false;
  return true;
}

const char* ss_name(SSCode c) {
  switch (c) {
    case 'H': return "alpha helix";
    case 'G': return "3-10 helix";
    case 'I': return "pi helix";
    case 'E': return "strand";
    case 'B': return "bridge";
    case 'T': return "turn";
    case 'S': return "bend";
    case 'P': return "PPII";
    default: return "coil";
  }
}

}  // namespace

std::string sequence_cell_key(const Structure& s, int structure, uint32_t residue) {
  std::string key = "seq:" + std::to_string(structure) + ":" + s.chain_auth[s.res_chain[residue]] + ":" +
                    std::to_string(s.seq_id[residue]);
  if (s.ins_code[residue] != ' ' && s.ins_code[residue] != 0) key += s.ins_code[residue];
  return key;
}

void draw_sequence_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                         SequencePanelState& st, Highlight& hover, ResidueSelection& selection,
                         std::map<std::string, ImVec4>* item_rects) {
  if (item_rects) {
    for (auto it = item_rects->lower_bound("seq:"); it != item_rects->end() && it->first.compare(0, 4, "seq:") == 0;)
      it = item_rects->erase(it);
  }
  if (!st.open) return;
  const ImGuiIO& io = ImGui::GetIO();
  // Default place: along the bottom edge.
  ImGui::SetNextWindowPos(ImVec2(10, io.DisplaySize.y - 180), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(std::max(300.0f, io.DisplaySize.x - 20), 170), ImGuiCond_FirstUseEver);
  compact_panel_placement(5);
  if (!ImGui::Begin("Sequence", &st.open)) {
    ImGui::End();
    return;
  }
  if (item_rects) {   // the title bar ("window:Sequence"): a click brings the strip to the front
    ImVec2 wp = ImGui::GetWindowPos();
    (*item_rects)["window:Sequence"] = ImVec4(wp.x, wp.y, ImGui::GetWindowWidth(), ImGui::GetFrameHeight());
  }
  const float cell_w = ImGui::CalcTextSize("W").x + 3.0f;
  const float ligand_w = ImGui::CalcTextSize("WWW").x + 6.0f;
  if (!layout_is_current(structures, st, cell_w)) rebuild_layout(structures, st, cell_w, ligand_w);

  ImGui::Checkbox("Ligands", &st.show_ligands);
  ImGui::SameLine();
  if (selection.empty())
    ImGui::TextDisabled("click: select, shift: range, ctrl: toggle");
  else {
    ImGui::Text("%zu selected", selection.residues.size());
    ImGui::SameLine();
    if (ImGui::SmallButton("Clear selection")) selection.clear();
  }
  if (st.rows.empty()) {
    ImGui::TextDisabled("no chains");
    ImGui::End();
    return;
  }

  ImGui::BeginChild("##strip", ImVec2(0, 0), false, ImGuiWindowFlags_HorizontalScrollbar);
  const float rh = row_height(), line_h = ImGui::GetTextLineHeight();
  float max_w = 0;
  for (const auto& row : st.rows) max_w = std::max(max_w, row.width + (row.waters ? ligand_w * 3 : 0.0f));
  const ImVec2 origin = ImGui::GetCursorScreenPos();  // includes the scroll offset
  const ImVec2 content(kLabelWidth + max_w + cell_w * 2, rh * float(st.rows.size()));
  ImGui::InvisibleButton("##cells", content);
  const bool strip_hovered = ImGui::IsItemHovered();
  const ImVec2 win_pos = ImGui::GetWindowPos(), win_size = ImGui::GetWindowSize();
  // The visible part of the child, less the scrollbars.
  const float bar = ImGui::GetStyle().ScrollbarSize;
  const float vis_left = win_pos.x + kLabelWidth;
  const float vis_right = win_pos.x + win_size.x - (ImGui::GetScrollMaxY() > 0 ? bar : 0.0f);
  const float vis_top = win_pos.y;
  const float vis_bottom = win_pos.y + win_size.y - (ImGui::GetScrollMaxX() > 0 ? bar : 0.0f);
  const float x0 = origin.x + kLabelWidth;  // screen x of strip coordinate 0
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const ImU32 text_col = ImGui::GetColorU32(ImGuiCol_Text);
  const ImU32 dim_col = ImGui::GetColorU32(ImGuiCol_TextDisabled);

  // Scroll a new 3D hover into view (once per hover, so the user can still scroll away).
  if (hover.source == HoverSource::View3D && hover.valid() &&
      (hover.structure != st.scrolled_structure || hover.residue != st.scrolled_residue)) {
    st.scrolled_structure = hover.structure, st.scrolled_residue = hover.residue;
    if (size_t(hover.structure) < st.cell_of.size() && size_t(hover.residue) < st.cell_of[size_t(hover.structure)].size()) {
      int32_t ci = st.cell_of[size_t(hover.structure)][size_t(hover.residue)];
      if (ci >= 0) {
        const auto& cell = st.cells[size_t(ci)];
        float sx = x0 + cell.x;
        if (sx < vis_left || sx + cell.w > vis_right)
          ImGui::SetScrollX(std::max(0.0f, cell.x - (vis_right - vis_left) * 0.5f));
        for (size_t k = 0; k < st.rows.size(); ++k)
          if (size_t(ci) >= st.rows[k].cell_begin && size_t(ci) < st.rows[k].cell_end) {
            float sy = origin.y + rh * float(k);
            if (sy < vis_top)
              ImGui::SetScrollY(rh * float(k));
            else if (sy + rh > vis_bottom)
              ImGui::SetScrollY(std::max(0.0f, rh * float(k + 1) - (vis_bottom - vis_top)));
          }
      }
    }
  }

  const ImVec2 mouse = io.MousePos;
  int hovered_cell = -1;
  for (size_t k = 0; k < st.rows.size(); ++k) {
    const auto& row = st.rows[k];
    const float y = origin.y + rh * float(k);
    if (y + rh < vis_top || y > vis_bottom) continue;
    const Structure& s = *structures[size_t(row.structure)];
    const float num_y = y, track_y = y + line_h + 1.0f, letter_y = track_y + kTrackHeight + 2.0f;
    // First visible cell by binary search over the row's x-sorted cells.
    auto begin = st.cells.begin() + long(row.cell_begin), end = st.cells.begin() + long(row.cell_end);
    auto it = std::lower_bound(begin, end, vis_left - x0,
                               [](const SequencePanelState::Cell& c, float left) { return c.x + c.w < left; });
    for (; it != end && x0 + it->x <= vis_right; ++it) {
      const auto& cell = *it;
      const uint32_t r = cell.residue;
      const float cx = x0 + cell.x;
      const ImVec2 a(cx, letter_y - 1.0f), b(cx + cell.w, letter_y + line_h + 1.0f);
      const bool is_hover = hover.valid() && hover.structure == cell.structure &&
                            (hover.residue == int(r) || hover.residue2 == int(r));
      if (selection.contains(cell.structure, int(r))) dl->AddRectFilled(a, b, kSelectFill);
      if (is_hover) dl->AddRectFilled(a, b, kHoverFill, 2.0f);
      if (strip_hovered && mouse.x >= a.x && mouse.x < b.x && mouse.y >= y && mouse.y < y + rh && mouse.x >= vis_left)
        hovered_cell = int(&cell - st.cells.data());
      if (cell.polymer) {
        char letter[2] = {residue_letter(s.res_name[r]), 0};
        dl->AddText(ImVec2(cx + 1.5f, letter_y), text_col, letter);
        // Secondary-structure track: helices as full bars, strands as bars ending in an arrow
        // head, everything else as a thin line.
        SSCode code = s.ss.empty() ? '-' : s.ss[r];
        if (is_helix(code)) {
          dl->AddRectFilled(ImVec2(cx, track_y), ImVec2(cx + cell.w, track_y + kTrackHeight),
                            secondary_structure_color(code));
        } else if (is_strand(code)) {
          bool last = (it + 1 == end) || !(it + 1)->polymer || !is_strand(s.ss[(it + 1)->residue]);
          ImU32 col = secondary_structure_color(code);
          if (last)
            dl->AddTriangleFilled(ImVec2(cx, track_y - 1.0f), ImVec2(cx + cell.w, track_y + kTrackHeight * 0.5f),
                                  ImVec2(cx, track_y + kTrackHeight + 1.0f), col);
          else
            dl->AddRectFilled(ImVec2(cx, track_y + 1.0f), ImVec2(cx + cell.w, track_y + kTrackHeight - 1.0f), col);
        } else {
          float mid = track_y + kTrackHeight * 0.5f;
          dl->AddLine(ImVec2(cx, mid), ImVec2(cx + cell.w, mid), kCoilColor, 1.0f);
        }
        // Numbering: every residue whose number is a multiple of 10, and the chain's first
        // residue when it does not crowd the next multiple.
        int seq = s.seq_id[r];
        bool first = size_t(&cell - st.cells.data()) == row.cell_begin;
        int to_next = ((10 - seq % 10) % 10 + 10) % 10;
        if (seq % 10 == 0 || (first && to_next >= 4)) {
          char num[16];
          std::snprintf(num, sizeof num, "%d", seq);
          dl->AddText(ImVec2(cx + 1.0f, num_y), dim_col, num);
        }
      } else {
        dl->AddRect(a, b, dim_col, 3.0f);
        dl->AddText(ImVec2(cx + 3.0f, letter_y), text_col, s.res_name[r].data());
      }
      if (item_rects && cx >= vis_left && cx + cell.w <= vis_right && letter_y >= vis_top &&
          letter_y + line_h <= vis_bottom)
        (*item_rects)[sequence_cell_key(s, cell.structure, r)] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
    }
    if (row.waters > 0) {
      char buf[32];
      std::snprintf(buf, sizeof buf, "+%d HOH", row.waters);
      dl->AddText(ImVec2(x0 + row.width + cell_w, letter_y), dim_col, buf);
    }
    // Sticky label column over the cells scrolled under it.
    const float lx = win_pos.x;
    dl->AddRectFilled(ImVec2(lx, y), ImVec2(lx + kLabelWidth - 2.0f, y + rh), ImGui::GetColorU32(ImGuiCol_WindowBg, 1.0f) | IM_COL32_A_MASK);
    dl->AddRectFilled(ImVec2(lx, y + 2.0f), ImVec2(lx + 4.0f, y + rh - 4.0f), chain_color(row.chain));
    const std::string& name = size_t(row.structure) < names.size() ? names[size_t(row.structure)] : s.name;
    char label[64];
    std::snprintf(label, sizeof label, "%.10s", name.c_str());
    dl->AddText(ImVec2(lx + 8.0f, num_y), dim_col, label);
    std::snprintf(label, sizeof label, "chain %.6s", s.chain_auth[row.chain].empty() ? "-" : s.chain_auth[row.chain].c_str());
    dl->AddText(ImVec2(lx + 8.0f, letter_y), text_col, label);
  }

  if (hovered_cell >= 0) {
    const auto& cell = st.cells[size_t(hovered_cell)];
    const Structure& s = *structures[size_t(cell.structure)];
    hover.structure = cell.structure;
    hover.residue = int(cell.residue);
    hover.residue2 = -1;
    hover.source = HoverSource::Sequence;
    ImGui::BeginTooltip();
    uint32_t r = cell.residue;
    char ins[2] = {s.ins_code[r] == ' ' ? '\0' : s.ins_code[r], 0};
    ImGui::Text("%s %s %d%s", s.chain_auth[s.res_chain[r]].c_str(), s.res_name[r].data(), s.seq_id[r], ins);
    if (cell.polymer && !s.ss.empty()) ImGui::TextDisabled("%s", ss_name(s.ss[r]));
    ImGui::EndTooltip();
    if (ImGui::IsMouseClicked(0)) {
      if (io.KeyShift)
        selection.extend_to(s, cell.structure, int(r));
      else if (io.KeyCtrl || io.KeySuper)
        selection.toggle(cell.structure, int(r));
      else
        selection.select_only(cell.structure, int(r));
    }
    if (ImGui::IsMouseClicked(1) && cell.polymer && is_amino_acid(s.res_name[r])) {
      st.menu = {cell.structure, int(r), 0};
      ImGui::OpenPopup("mutate_residue");
    }
  }
  if (ImGui::BeginPopup("mutate_residue")) {
    if (st.menu.structure >= 0 && st.menu.structure < int(structures.size()) &&
        size_t(st.menu.residue) < structures[size_t(st.menu.structure)]->residue_count()) {
      const Structure& s = *structures[size_t(st.menu.structure)];
      const uint32_t r = uint32_t(st.menu.residue);
      ImGui::Text("Mutate %s %s %d and predict again:", s.chain_auth[s.res_chain[r]].c_str(), s.res_name[r].data(), s.seq_id[r]);
      static const char kAmino[] = "ACDEFGHIKLMNPQRSTVWY";
      for (int k = 0; k < 20; ++k) {
        if (k % 10) ImGui::SameLine();
        char label[2] = {kAmino[k], 0};
        ImGui::BeginDisabled(kAmino[k] == one_letter_code(s.res_name[r]));
        if (ImGui::Button(label, ImVec2(22, 0))) {
          st.mutate = {st.menu.structure, st.menu.residue, kAmino[k]};
          ImGui::CloseCurrentPopup();
        }
        ImGui::EndDisabled();
        if (item_rects) {
          ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
          (*item_rects)[std::string("mutate:") + label] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
        }
      }
    }
    ImGui::EndPopup();
  }
  ImGui::EndChild();
  ImGui::End();
}

}  // namespace foldsight
