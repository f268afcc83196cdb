#include "ui/plots.h"
#include <algorithm>
#include <array>
#include <cmath>
#include <cstdio>
#include <cstring>
#include "geometry/color_scheme.h"
#include "ui/panel_layout.h"

namespace foldsight {

namespace {

constexpr ImU32 kAxis = IM_COL32(90, 90, 90, 255);
constexpr ImU32 kGrid = IM_COL32(0, 0, 0, 30);
constexpr ImU32 kHoverMark = IM_COL32(255, 140, 0, 255);
constexpr ImU32 kPlotBg = IM_COL32(255, 255, 255, 255);

// A cheap fingerprint of a structure's coordinates (up to 1024 atoms sampled evenly), so the
// caches follow the folding movie and in-place edits without hashing 200 k atoms each frame.
uint64_t coordinate_hash(const Structure& s) {
  uint64_t h = 1469598103934665603ull ^ s.atom_count() ^ (uint64_t(s.residue_count()) << 32);
  size_t n = s.atom_count(), step = std::max<size_t>(1, n / 1024);
  for (size_t a = 0; a < n; a += step) {
    float v[3] = {s.x[a], s.y[a], s.z[a]};
    uint32_t bits[3];
    std::memcpy(bits, v, sizeof bits);
    for (uint32_t b : bits) h = (h ^ b) * 1099511628211ull;
  }
  return h;
}

void refresh_cache(const Structure& s, PlotsPanelState& st) {
  uint64_t h = coordinate_hash(s);
  if (st.cached == &s && st.cached_hash == h && st.values.size() == s.residue_count()) return;
  st.cached = &s;
  st.cached_hash = h;
  st.values = residue_values(s);
  st.prediction = looks_like_prediction(s);
  st.torsions = backbone_torsions(s);
  st.line_residues.clear();
  st.line_chain_starts.clear();
  if (s.model_count() > 0)
    for (uint32_t c = s.model_chain_begin[0]; c < s.model_chain_begin[1]; ++c) {
      std::vector<uint32_t> r = chain_plot_residues(s, c);
      if (r.empty()) continue;
      st.line_chain_starts.push_back(uint32_t(st.line_residues.size()));
      st.line_residues.insert(st.line_residues.end(), r.begin(), r.end());
    }
  st.contacts_valid = false;
}

// Horizontal runs of non-empty cells, one rectangle each, coarsened 2x2 at a time until they
// fit the vertex budget (ImGui draws a window with 16-bit indices: 64 k vertices).
std::vector<std::array<uint16_t, 3>> contact_runs(const ContactMapImage& img, int& scale) {
  const size_t kMaxRuns = 6000;
  std::vector<std::array<uint16_t, 3>> runs;
  for (scale = 1;; scale *= 2) {
    runs.clear();
    int bins = (img.bins + scale - 1) / scale;
    std::vector<uint8_t> row(static_cast<size_t>(bins));
    for (int i = 0; i < bins && runs.size() <= kMaxRuns; ++i) {
      std::fill(row.begin(), row.end(), uint8_t(0));
      for (int ii = i * scale; ii < std::min(img.bins, (i + 1) * scale); ++ii)
        for (int j = 0; j < img.bins; ++j)
          if (img.counts[size_t(ii) * size_t(img.bins) + size_t(j)]) row[size_t(j / scale)] = 1;
      for (int j = 0; j < bins;) {
        if (!row[size_t(j)]) {
          ++j;
          continue;
        }
        int k = j;
        while (k < bins && row[size_t(k)]) ++k;
        runs.push_back({uint16_t(i), uint16_t(j), uint16_t(k)});
        j = k;
      }
    }
    if (runs.size() <= kMaxRuns || bins <= 8) return runs;
  }
}

void set_hover(Highlight& hover, int structure, uint32_t residue, int residue2 = -1) {
  hover.structure = structure;
  hover.residue = int(residue);
  hover.residue2 = residue2;
  hover.source = HoverSource::Plot;
}

void record(std::map<std::string, ImVec4>* rects, const char* key, ImVec2 a, ImVec2 b) {
  if (rects) (*rects)[key] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

std::string residue_text(const Structure& s, uint32_t r) {
  char buf[64];
  char ins[2] = {s.ins_code[r] == ' ' ? '\0' : s.ins_code[r], 0};
  std::snprintf(buf, sizeof buf, "%s %s %d%s", s.chain_auth[s.res_chain[r]].c_str(), s.res_name[r].data(), s.seq_id[r], ins);
  return buf;
}

// ---- per-residue line ----
void draw_line_plot(const Structure& s, int si, PlotsPanelState& st, Highlight& hover,
                    std::map<std::string, ImVec4>* rects) {
  const size_t n = st.line_residues.size();
  if (n == 0) {
    ImGui::TextDisabled("no amino-acid residues with CA");
    return;
  }
  float lo = 0, hi = 100;
  if (!st.prediction) {
    lo = hi = st.values[st.line_residues[0]];
    for (uint32_t r : st.line_residues) lo = std::min(lo, st.values[r]), hi = std::max(hi, st.values[r]);
    float pad = std::max(1.0f, (hi - lo) * 0.05f);
    lo = std::max(0.0f, lo - pad), hi += pad;
  }
  const float axis_w = ImGui::CalcTextSize("000.0").x + 6.0f;
  ImVec2 avail = ImGui::GetContentRegionAvail();
  ImVec2 top = ImGui::GetCursorScreenPos();
  float h = std::max(80.0f, avail.y - ImGui::GetTextLineHeightWithSpacing());
  ImGui::InvisibleButton("##line", ImVec2(std::max(100.0f, avail.x), h));
  bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 a(top.x + axis_w, top.y + 4.0f), b(top.x + std::max(100.0f, avail.x) - 4.0f, top.y + h - 4.0f);
  record(rects, "plot:line", a, b);
  float w = b.x - a.x, ph = b.y - a.y;
  auto X = [&](size_t i) { return a.x + (float(i) + 0.5f) / float(n) * w; };
  auto Y = [&](float v) { return b.y - (std::clamp(v, lo, hi) - lo) / (hi - lo) * ph; };
  dl->AddRectFilled(a, b, kPlotBg);
  if (st.prediction) {  // AlphaFold confidence bands
    const float bands[][3] = {{90, 100, 95}, {70, 90, 80}, {50, 70, 60}, {0, 50, 25}};
    for (const auto& band : bands)
      dl->AddRectFilled(ImVec2(a.x, Y(band[1])), ImVec2(b.x, Y(band[0])), (plddt_color(band[2]) & 0x00FFFFFFu) | 0x40000000u);
  }
  // Horizontal grid with labels.
  for (int k = 0; k <= 4; ++k) {
    float v = lo + (hi - lo) * float(k) / 4.0f, y = Y(v);
    dl->AddLine(ImVec2(a.x, y), ImVec2(b.x, y), kGrid);
    char buf[16];
    std::snprintf(buf, sizeof buf, "%.0f", double(v));
    dl->AddText(ImVec2(top.x, y - ImGui::GetTextLineHeight() * 0.5f), kAxis, buf);
  }
  // One line per chain, in the chain's colour; per-pixel min/max when residues outnumber pixels.
  for (size_t c = 0; c < st.line_chain_starts.size(); ++c) {
    size_t begin = st.line_chain_starts[c], end = c + 1 < st.line_chain_starts.size() ? st.line_chain_starts[c + 1] : n;
    ImU32 col = chain_color(s.res_chain[st.line_residues[begin]]);
    if (c > 0) dl->AddLine(ImVec2(X(begin) - 0.5f * w / float(n), a.y), ImVec2(X(begin) - 0.5f * w / float(n), b.y), kAxis);
    const char* chain_name = s.chain_auth[s.res_chain[st.line_residues[begin]]].c_str();
    if (X(end - 1) - X(begin) > ImGui::CalcTextSize(chain_name).x + 4.0f)  // only where it fits
      dl->AddText(ImVec2(X(begin) + 2.0f, a.y), kAxis, chain_name);
    if (float(end - begin) <= w * 2.0f) {
      std::vector<ImVec2> pts;
      pts.reserve(end - begin);
      for (size_t i = begin; i < end; ++i) pts.push_back(ImVec2(X(i), Y(st.values[st.line_residues[i]])));
      dl->AddPolyline(pts.data(), int(pts.size()), col, 0, 1.5f);
    } else {
      int px0 = int(X(begin) - a.x), px1 = int(X(end - 1) - a.x);
      for (int px = px0; px <= px1; ++px) {
        size_t i0 = std::max(begin, size_t(float(px) / w * float(n))), i1 = std::min(end, size_t(float(px + 1) / w * float(n)) + 1);
        if (i0 >= i1) continue;
        float vmin = 1e30f, vmax = -1e30f;
        for (size_t i = i0; i < i1; ++i) vmin = std::min(vmin, st.values[st.line_residues[i]]), vmax = std::max(vmax, st.values[st.line_residues[i]]);
        dl->AddLine(ImVec2(a.x + float(px) + 0.5f, Y(vmax)), ImVec2(a.x + float(px) + 0.5f, Y(vmin) + 1.0f), col);
      }
    }
  }
  dl->AddRect(a, b, kAxis);
  // Mark the residue hovered elsewhere.
  if (hover.valid() && hover.structure == si) {
    auto it = std::lower_bound(st.line_residues.begin(), st.line_residues.end(), uint32_t(hover.residue));
    if (it != st.line_residues.end() && *it == uint32_t(hover.residue)) {
      float x = X(size_t(it - st.line_residues.begin()));
      dl->AddLine(ImVec2(x, a.y), ImVec2(x, b.y), kHoverMark, 2.0f);
    }
  }
  ImVec2 m = ImGui::GetIO().MousePos;
  if (hovered && m.x >= a.x && m.x < b.x) {
    size_t i = std::min(n - 1, size_t((m.x - a.x) / w * float(n)));
    uint32_t r = st.line_residues[i];
    set_hover(hover, si, r);
    dl->AddLine(ImVec2(X(i), a.y), ImVec2(X(i), b.y), kHoverMark, 1.0f);
    dl->AddCircleFilled(ImVec2(X(i), Y(st.values[r])), 4.0f, kHoverMark);
    ImGui::SetTooltip("%s\n%s %.1f", residue_text(s, r).c_str(), st.prediction ? "pLDDT" : "B-factor", double(st.values[r]));
  }
  ImGui::TextDisabled(st.prediction ? "pLDDT per residue (very high > 90, confident > 70, low > 50, very low)"
                                    : "B-factor of CA per residue");
}

// ---- Ramachandran ----
void draw_ramachandran(const Structure& s, int si, PlotsPanelState& st, Highlight& hover,
                       const ResidueSelection& selection, std::map<std::string, ImVec4>* rects) {
  // With a selection in this structure, its residues are drawn large in colour over the
  // others in light grey; otherwise every residue is coloured.
  std::vector<uint32_t> chosen = selection.of_structure(si);
  bool of_selection = false;
  for (uint32_t r : chosen)
    if (r < s.residue_count() && !std::isnan(st.torsions.phi[r]) && !std::isnan(st.torsions.psi[r])) of_selection = true;
  ImVec2 avail = ImGui::GetContentRegionAvail();
  float side = std::max(120.0f, std::min(avail.x, avail.y - ImGui::GetTextLineHeightWithSpacing()));
  ImVec2 top = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##rama", ImVec2(side, side));
  bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  const float pad = ImGui::CalcTextSize("-180").x + 4.0f;
  ImVec2 a(top.x + pad, top.y + 4.0f), b(top.x + side - 4.0f, top.y + side - pad);
  record(rects, "plot:rama", a, b);
  float w = b.x - a.x, h = b.y - a.y;
  auto P = [&](float phi, float psi) { return ImVec2(a.x + (phi + 180.0f) / 360.0f * w, b.y - (psi + 180.0f) / 360.0f * h); };
  dl->AddRectFilled(a, b, kPlotBg);
  // Reference regions: fan from the centroid (the polygons are star-shaped around it).
  const ImDrawListFlags saved_flags = dl->Flags;
  dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;  // no seams between the fan's triangles
  for (const RamaRegion& region : ramachandran_regions()) {
    size_t k = region.xy.size() / 2;
    float cx = 0, cy = 0;
    for (size_t i = 0; i < k; ++i) cx += region.xy[2 * i], cy += region.xy[2 * i + 1];
    ImVec2 c = P(cx / float(k), cy / float(k));
    std::vector<ImVec2> pts;
    for (size_t i = 0; i < k; ++i) pts.push_back(P(region.xy[2 * i], region.xy[2 * i + 1]));
    for (size_t i = 0; i < k; ++i) dl->AddTriangleFilled(c, pts[i], pts[(i + 1) % k], IM_COL32(120, 170, 230, 70));
    dl->Flags = saved_flags;
    dl->AddPolyline(pts.data(), int(pts.size()), IM_COL32(80, 130, 200, 160), ImDrawFlags_Closed, 1.0f);
    dl->Flags &= ~ImDrawListFlags_AntiAliasedFill;
  }
  dl->Flags = saved_flags;
  const int label_step = w < 220.0f ? 180 : 90;  // "-180-90" would collide in a small plot
  for (int t = -180; t <= 180; t += 90) {
    ImVec2 v0 = P(float(t), -180), v1 = P(float(t), 180), h0 = P(-180, float(t)), h1 = P(180, float(t));
    dl->AddLine(v0, v1, t == 0 ? IM_COL32(0, 0, 0, 70) : kGrid);
    dl->AddLine(h0, h1, t == 0 ? IM_COL32(0, 0, 0, 70) : kGrid);
    if ((t + 180) % label_step) continue;
    char buf[8];
    std::snprintf(buf, sizeof buf, "%d", t);
    dl->AddText(ImVec2(v0.x - ImGui::CalcTextSize(buf).x * 0.5f, b.y + 2.0f), kAxis, buf);
    dl->AddText(ImVec2(top.x, h0.y - ImGui::GetTextLineHeight() * 0.5f), kAxis, buf);
  }
  ImVec2 m = ImGui::GetIO().MousePos;
  float best = 36.0f;  // squared pixels: within 6 px
  int best_r = -1;
  ImVec2 hot{};
  // One point per 3-px cell and layer: big structures stay within ImGui's 64 k vertices per
  // window while every occupied spot is still drawn.
  const int grid = std::max(1, int(w / 3.0f) + 1);
  std::vector<uint8_t> occupied(size_t(grid) * size_t(grid) * 3, 0);
  auto is_ss = [&s](uint32_t r) {
    SSCode code = s.ss.empty() ? '-' : s.ss[r];
    return code == 'H' || code == 'G' || code == 'I' || code == 'E' || code == 'B';
  };
  auto point = [&](uint32_t r, bool emphasised) {
    float phi = st.torsions.phi[r], psi = st.torsions.psi[r];
    if (std::isnan(phi) || std::isnan(psi)) return;
    const int layer = emphasised ? 2 : is_ss(r) ? 1 : 0;
    ImVec2 p = P(phi, psi);
    if (hovered && (emphasised || !of_selection)) {
      float d = (p.x - m.x) * (p.x - m.x) + (p.y - m.y) * (p.y - m.y);
      if (d < best) best = d, best_r = int(r), hot = p;
    }
    int gx = std::clamp(int((p.x - a.x) / 3.0f), 0, grid - 1), gy = std::clamp(int((p.y - a.y) / 3.0f), 0, grid - 1);
    uint8_t& cell = occupied[(size_t(gy) * size_t(grid) + size_t(gx)) * 3 + size_t(layer)];
    if (cell) return;
    cell = 1;
    SSCode code = s.ss.empty() ? '-' : s.ss[r];
    ImU32 col = (code == 'H' || code == 'G' || code == 'I' || code == 'E' || code == 'B') ? secondary_structure_color(code)
                                                                                         : IM_COL32(60, 60, 60, 255);
    float half = emphasised ? 2.5f : 1.5f;
    if (of_selection && !emphasised) col = IM_COL32(190, 190, 190, 255);
    dl->AddRectFilled(ImVec2(p.x - half, p.y - half), ImVec2(p.x + half, p.y + half), col);
  };
  for (int pass = 0; pass < 2; ++pass)  // coil first, so helix and strand points stay on top
    for (uint32_t r = 0; r < s.residue_count(); ++r)
      if (is_ss(r) == (pass == 1) && (!of_selection || !selection.contains(si, int(r)))) point(r, false);
  if (of_selection)
    for (uint32_t r : chosen)
      if (r < s.residue_count()) point(r, true);
  if (hover.valid() && hover.structure == si && size_t(hover.residue) < s.residue_count()) {
    float phi = st.torsions.phi[size_t(hover.residue)], psi = st.torsions.psi[size_t(hover.residue)];
    if (!std::isnan(phi) && !std::isnan(psi)) dl->AddCircle(P(phi, psi), 6.0f, kHoverMark, 12, 2.0f);
  }
  dl->AddRect(a, b, kAxis);
  if (best_r >= 0) {
    set_hover(hover, si, uint32_t(best_r));
    dl->AddCircle(hot, 6.0f, kHoverMark, 12, 2.0f);
    ImGui::SetTooltip("%s\nphi %.1f  psi %.1f", residue_text(s, uint32_t(best_r)).c_str(),
                      double(st.torsions.phi[size_t(best_r)]), double(st.torsions.psi[size_t(best_r)]));
  }
  ImGui::TextDisabled("x phi, y psi (%s)", of_selection ? "selection" : "all residues");
}

// ---- contact map ----
void draw_contact_map(const Structure& s, int si, PlotsPanelState& st, Highlight& hover,
                      std::map<std::string, ImVec4>* rects) {
  ImGui::SetNextItemWidth(160.0f);
  ImGui::SliderFloat("cut-off", &st.contact_cutoff, 4.0f, 20.0f, "CA-CA < %.1f \xC3\x85");
  ImVec2 avail = ImGui::GetContentRegionAvail();
  float side = std::max(120.0f, std::min(avail.x, avail.y - ImGui::GetTextLineHeightWithSpacing()));
  const int bins = 512;  // fixed, so resizing the window does not recompute the map
  if (!st.contacts_valid || st.contacts_cutoff != st.contact_cutoff || st.contacts_bins != bins) {
    st.contacts = contact_map_image(s, 0, st.contact_cutoff, bins);
    st.contacts_valid = true;
    st.contacts_cutoff = st.contact_cutoff;
    st.contacts_bins = bins;
    st.contact_axis_of.assign(s.residue_count(), -1);
    for (size_t i = 0; i < st.contacts.residues.size(); ++i) st.contact_axis_of[st.contacts.residues[i]] = int32_t(i);
    st.contact_runs = contact_runs(st.contacts, st.contact_run_scale);
  }
  const ContactMapImage& img = st.contacts;
  const size_t n = img.residues.size();
  ImVec2 top = ImGui::GetCursorScreenPos();
  ImGui::InvisibleButton("##contacts", ImVec2(side, side));
  if (n == 0) return;
  bool hovered = ImGui::IsItemHovered();
  ImDrawList* dl = ImGui::GetWindowDrawList();
  ImVec2 a = top, b(top.x + side, top.y + side);
  record(rects, "plot:contacts", a, b);
  dl->AddRectFilled(a, b, kPlotBg);
  const float cell = side / float(img.bins) * float(st.contact_run_scale);
  for (const auto& run : st.contact_runs)
    dl->AddRectFilled(ImVec2(a.x + float(run[1]) * cell, a.y + float(run[0]) * cell),
                      ImVec2(a.x + float(run[2]) * cell, a.y + float(run[0] + 1) * cell), IM_COL32(30, 60, 120, 255));
  // Chain boundaries.
  for (size_t i = 1; i < n; ++i)
    if (s.res_chain[img.residues[i]] != s.res_chain[img.residues[i - 1]]) {
      float p = float(i) / float(n) * side;
      dl->AddLine(ImVec2(a.x + p, a.y), ImVec2(a.x + p, b.y), kAxis);
      dl->AddLine(ImVec2(a.x, a.y + p), ImVec2(b.x, a.y + p), kAxis);
    }
  auto mark = [&](int residue) {
    if (residue < 0 || size_t(residue) >= st.contact_axis_of.size() || st.contact_axis_of[size_t(residue)] < 0) return;
    float p = (float(st.contact_axis_of[size_t(residue)]) + 0.5f) / float(n) * side;
    dl->AddLine(ImVec2(a.x + p, a.y), ImVec2(a.x + p, b.y), kHoverMark);
    dl->AddLine(ImVec2(a.x, a.y + p), ImVec2(b.x, a.y + p), kHoverMark);
  };
  if (hover.valid() && hover.structure == si) mark(hover.residue), mark(hover.residue2);
  dl->AddRect(a, b, kAxis);
  ImVec2 m = ImGui::GetIO().MousePos;
  if (hovered) {
    size_t i = std::min(n - 1, size_t(std::max(0.0f, m.y - a.y) / side * float(n)));
    size_t j = std::min(n - 1, size_t(std::max(0.0f, m.x - a.x) / side * float(n)));
    uint32_t ri = img.residues[i], rj = img.residues[j];
    set_hover(hover, si, ri, int(rj));
    uint32_t ca_i = find_residue_atom(s, ri, "CA"), ca_j = find_residue_atom(s, rj, "CA");
    float d = distance_between(atom_position(s, ca_i), atom_position(s, ca_j));
    ImGui::SetTooltip("%s - %s\nCA-CA %.1f \xC3\x85", residue_text(s, ri).c_str(), residue_text(s, rj).c_str(), double(d));
  }
  ImGui::TextDisabled("%zu residues, %zu contacts", n, img.contact_pairs);
}

}  // namespace

void draw_plots_panel(const std::vector<const Structure*>& structures, const std::vector<std::string>& names,
                      PlotsPanelState& st, Highlight& hover, const ResidueSelection& selection,
                      std::map<std::string, ImVec4>* item_rects) {
  if (item_rects) {
    for (auto it = item_rects->lower_bound("plot:"); it != item_rects->end() && it->first.compare(0, 5, "plot:") == 0;)
      it = item_rects->erase(it);
  }
  if (!st.open) return;
  // Default place: right column, under the structure tree and the measurements.
  const ImVec2 display = ImGui::GetIO().DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(display.x - 340, 330), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(330, std::max(200.0f, display.y - 330 - 190)), ImGuiCond_FirstUseEver);
  compact_panel_placement(6);
  if (!ImGui::Begin("Plots", &st.open)) {
    ImGui::End();
    return;
  }
  if (structures.empty()) {
    ImGui::TextDisabled("nothing loaded");
    st.cached = nullptr;
    ImGui::End();
    return;
  }
  st.structure = std::clamp(st.structure, 0, int(structures.size()) - 1);
  if (structures.size() > 1) {
    auto name_of = [&](size_t i) { return i < names.size() ? names[i].c_str() : structures[i]->name.c_str(); };
    if (ImGui::BeginCombo("structure", name_of(size_t(st.structure)))) {
      for (size_t i = 0; i < structures.size(); ++i)
        if (ImGui::Selectable(name_of(i), int(i) == st.structure)) st.structure = int(i);
      ImGui::EndCombo();
    }
  }
  const int si = st.structure;
  const Structure& s = *structures[size_t(si)];
  refresh_cache(s, st);
  auto tab_flags = [&st](int tab) { return st.request_tab == tab ? ImGuiTabItemFlags_SetSelected : 0; };
  if (ImGui::BeginTabBar("##plots")) {
    // "###line": the label changes with the data, the tab's identity must not.
    if (ImGui::BeginTabItem(st.prediction ? "pLDDT###line" : "B-factor###line", nullptr, tab_flags(0))) {
      draw_line_plot(s, si, st, hover, item_rects);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Ramachandran", nullptr, tab_flags(1))) {
      draw_ramachandran(s, si, st, hover, selection, item_rects);
      ImGui::EndTabItem();
    }
    if (ImGui::BeginTabItem("Contact map", nullptr, tab_flags(2))) {
      draw_contact_map(s, si, st, hover, item_rects);
      ImGui::EndTabItem();
    }
    ImGui::EndTabBar();
  }
  st.request_tab = -1;
  ImGui::End();
}

}  // namespace foldsight
