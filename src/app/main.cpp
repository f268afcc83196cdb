// The browser app: window and WebGPU swap chain, the loaded structures, camera input, the
// ImGui workspace, offscreen capture, and the C entry points behind window.foldsight.
#include <emscripten.h>
#include <emscripten/html5.h>
#include <emscripten/html5_webgpu.h>
#include <GLFW/glfw3.h>
#include <webgpu/webgpu.h>

#include <malloc.h>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>
#include <map>
#include <set>
#include <memory>
#include <string>
#include <vector>

#include "app/folding_movie.h"
#include "geometry/representation.h"
#include "geometry/measure.h"
#include "ui/help_window.h"
#include "ui/measurements.h"
#include "ui/open_panel.h"
#include "ui/plots.h"
#include "ui/representation_panel.h"
#include "ui/selection.h"
#include "ui/sequence_panel.h"
#include "ui/structure_tree.h"
#include "ui/superpose_panel.h"
#include "core/bonds.h"
#include "core/dssp.h"
#include "core/io.h"
#include "core/structure_blob.h"
#include "core/chain_superposition.h"
#include "core/tm_score.h"
#include "geometry/atom_instances.h"
#include "geometry/cartoon.h"
#include "geometry/color_scheme.h"
#include "imgui.h"
#include "imgui_impl_glfw.h"
#include "render/camera.h"
#include "render/gpu_util.h"
#include "render/mesh_renderer.h"
#include "render/post_process.h"
#include "render/sphere_renderer.h"
#include "ui/imgui_wgpu.h"
#include "ui/panel_layout.h"

using namespace foldsight;

namespace {

struct LoadedStructure {
  Structure s;
  bool visible = true;
  bool predicted = false;   // made by the predictor: coloured by confidence (B-factor = pLDDT)
  std::vector<RepresentationSpec> reps;
};

// The predict panel's state. The work itself runs in a Web Worker (web/predict_worker.js);
// this side only shows progress and the result.
struct PredictPanel {
  char sequence[1200] = "MKTAYIAKQRQISFVKSHFSRQLEERLGLIEVQAPILSRVGDGTQDNLSGAEKAVQVKVKALPDAQFEVVHSLAKWKRQTLGQ";
  bool use_templates = true;
  bool running = false;
  std::string stage;
  float fraction = 0;
  std::string error;
  std::string summary;     // one line: time, confidence, templates
  int result_index = -1;   // structure index of the latest prediction
  int design_index = -1;   // design being checked (self-consistency), -1 none
  int morph_from = -1, morph_chain = 0;
  struct Template {
    std::string id;
    double identity, coverage, evalue;
    bool confident;   // false: a weak hit, used because the search found no confident one
  };
  std::vector<Template> templates;   // of the latest prediction (the ones that restrained it)
  std::vector<float> design_deviation;   // design check: Cα deviation per design residue (Å, -1 unpaired)
  std::vector<int32_t> design_seq_ids;   // "mutate residue": the model the next result morphs from
  std::string design_report;
};


// Everything the page holds. One instance lives for the page's lifetime; the C entry points
// below and the main-loop callback reach it through `app`.
struct App {
  GLFWwindow* window = nullptr;
  WGPUDevice device = nullptr;
  WGPUSurface surface = nullptr;
  WGPUSwapChain swap_chain = nullptr;
  WGPUTextureFormat format = WGPUTextureFormat_BGRA8Unorm;
  WGPUTexture depth = nullptr;
  WGPUTextureView depth_view = nullptr;
  int fb_w = 0, fb_h = 0;
  float dpr = 1.0f;
  SphereRenderer spheres;
  MeshRenderer meshes;
  PostProcess post;           // SSAO, outlines, antialiasing after the scene pass
  PostTargets post_targets;   // its offscreen images at the canvas size
  ImageQuality quality;
  float scene_box[6] = {0, 0, 0, 0, 0, 0};   // world box around the uploaded scene (post-processing's screen rectangle)
  bool scene_box_valid = false;
  Camera camera;
  std::vector<std::unique_ptr<LoadedStructure>> structures;
  int style = 0;   // index into kStyles: the one-click look applied to every structure
  ColorScheme coloring = ColorScheme::Chain;
  bool spin = false;
  bool scene_dirty = true;
  bool device_lost = false;   // between GPUDevice loss and its replacement (web/pre.js)
  int device_restores = 0;
  float background[3] = {1.0f, 1.0f, 1.0f};
  std::string last_error;
  std::string ui_error;
  std::string export_buffer;   // text returned by fs_export (valid until the next call)
  std::string version = "dev";   // the deployed build (set by web/boot.js from the service worker)
  PredictPanel predict;
  FoldingMovie movie;
  struct Loading {
    bool active = false;
    std::string name, stage;
    float fraction = 0;
  } loading;   // a file being parsed by the load worker
  // Workspace panels (src/ui) and what they share with the 3D view.
  SequencePanelState seq_panel;
  MeasurementsPanel measure;
  PlotsPanelState plots;
  StructureTreeState tree;
  RepresentationPanelState reps_panel;
  OpenPanelState open_panel;
  SuperposePanelState superpose_panel;
  bool help_open = false;
  ResidueSelection selection;
  Highlight hover3d, hover;   // hover3d from picking; hover after the panels had their say
  Highlight shown_hover;      // what the highlight layer currently shows
  std::set<std::pair<int, int>> shown_selection;
  std::vector<uint8_t> structure_visible;
  std::vector<std::vector<uint8_t>> chain_visible;
  SphereRenderer highlight;   // overlay: hovered and selected residues
  // Hover picking: one texel of the id buffer, read back asynchronously.
  bool hover_pick_in_flight = false;
  double hover_x = -1, hover_y = -1;   // canvas pixels of the last requested pick
  int hover_atom = -1;                 // global atom id under the cursor, -1 none
  double press_x = 0, press_y = 0, last_click_time = 0;
  bool press_left = false;
  // Frame statistics.
  double frame_work_max_ms = 0;   // longest main-loop call since stats last read it
  // The longest UI, scene-building, highlight and GPU-encoding parts of a frame since stats last
  // read them: which part a long frame spent its time in.
  double frame_part_max_ms[4] = {0, 0, 0, 0};
  double frames = 0, last_time = 0, frame_ms = 0, fps = 0, fps_window_start = 0, fps_window_frames = 0;
  // Test hook: screen rectangles of labelled UI items from the last frame.
  std::map<std::string, ImVec4> item_rects;
  double drag_x = 0, drag_y = 0;
  bool dragging = false, panning = false;
  float scroll = 0;
};
App app;

int render_offscreen(int id, int w, int h, bool pick, int rx = 0, int ry = 0, int rw = 0, int rh = 0);

WGPUTextureView make_depth(int w, int h, WGPUTexture* tex_out) {
  // Also sampled: the post-processing pass reads it for SSAO and outlines.
  *tex_out = create_texture_2d(app.device, w, h, kDepthFormat, WGPUTextureUsage_RenderAttachment | WGPUTextureUsage_TextureBinding);
  return create_view_2d(*tex_out, kDepthFormat, WGPUTextureAspect_DepthOnly);
}

void resize_if_needed() {
  double css_w = 0, css_h = 0;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  app.dpr = float(emscripten_get_device_pixel_ratio());
  int w = std::max(1, int(std::lround(css_w * app.dpr)));
  int h = std::max(1, int(std::lround(css_h * app.dpr)));
  if (w == app.fb_w && h == app.fb_h && app.swap_chain) return;
  app.fb_w = w;
  app.fb_h = h;
  emscripten_set_canvas_element_size("#canvas", w, h);
  WGPUSwapChainDescriptor sd{};
  sd.usage = WGPUTextureUsage_RenderAttachment | WGPUTextureUsage_CopySrc;
  sd.format = app.format;
  sd.width = uint32_t(w);
  sd.height = uint32_t(h);
  sd.presentMode = WGPUPresentMode_Fifo;
  if (app.swap_chain) wgpuSwapChainRelease(app.swap_chain);
  app.swap_chain = wgpuDeviceCreateSwapChain(app.device, app.surface, &sd);
  if (app.depth_view) wgpuTextureViewRelease(app.depth_view);
  if (app.depth) wgpuTextureDestroy(app.depth), wgpuTextureRelease(app.depth);
  app.depth_view = make_depth(w, h, &app.depth);
}

// The one-click looks of the main panel; "Cartoon" is the default (cartoon + ligands as
// ball-and-stick, as in Mol*); the others show everything in one representation.
struct Style {
  const char* label;
  RepKind kind;
};
constexpr Style kStyles[] = {{"Cartoon", RepKind::Cartoon},         {"Ball & stick", RepKind::BallAndStick},
                             {"Spacefill", RepKind::Spacefill},     {"Surface", RepKind::Surface},
                             {"Trace", RepKind::Trace},             {"Lines", RepKind::Lines}};

std::vector<RepresentationSpec> reps_for_style(const LoadedStructure& ls, int style) {
  ColorScheme c = ls.predicted && app.coloring == ColorScheme::Chain ? ColorScheme::Plddt : app.coloring;
  if (style == 0) {
    auto reps = default_representations(c);
    if (app.coloring != ColorScheme::Chain) reps[1].color = app.coloring;
    return reps;
  }
  RepresentationSpec r;
  r.kind = kStyles[style].kind;
  r.selection = r.kind == RepKind::Surface ? "polymer" : "not water";
  r.color = c;
  return {r};
}

void apply_style(int style) {
  app.style = style;
  for (auto& ls : app.structures) {
    ls->reps = reps_for_style(*ls, style);
    for (auto& r : ls->reps) resolve_selection(ls->s, r);
  }
  app.scene_dirty = true;
}

// Scene geometry is rebuilt after every change, in slices of at most a few milliseconds per
// frame for big structures (one representation over a group of chains per slice), so a
// 200 k-atom structure never freezes the UI; the previous geometry stays on screen until the new
// one is complete. Small scenes finish within the first frame, as if built at once.
struct SceneBuild {
  bool active = false;
  SceneGeometry g;
  size_t structure = 0, rep = 0;
  uint32_t chain = 0;   // next chain of the current representation (chain-split kinds)
  uint32_t atom_offset = 0;
  std::vector<uint32_t> colors;   // of the current representation
  bool colors_ready = false;
  std::vector<uint8_t> visible;   // chain-visibility atom mask of the current structure (empty: all)
  size_t units_done = 0, atoms_total = 0, atoms_done = 0;
  bool built = false;   // geometry complete; uploading
  double started_ms = 0, work_ms = 0, upload_ms = 0;
  size_t rep_vertex_start = 0, rep_index_start = 0;   // mesh size when the current representation began
};

// ~5 ms of cartoon in wasm on a laptop: several slices fit in a frame's budget, and one slice
// never holds a frame for long.
constexpr size_t kAtomsPerSlice = 4000;

// Reserves the mesh for the rest of a representation built in chain slices, projected from what
// its slices so far gave per atom: one allocation instead of a series of doublings, each of which
// copies the whole (tens of MB) mesh inside one frame.
void reserve_projected(Mesh& m, size_t v0, size_t i0, size_t atoms_done, size_t atoms_left) {
  if (atoms_done == 0 || atoms_left == 0) return;
  double per_atom_v = double(m.vertex_count() - v0) / double(atoms_done);
  double per_atom_i = double(m.indices.size() - i0) / double(atoms_done);
  size_t want_v = m.vertex_count() + size_t(per_atom_v * double(atoms_left) * 1.05);
  size_t want_i = m.indices.size() + size_t(per_atom_i * double(atoms_left) * 1.05);
  if (m.positions.capacity() >= 3 * want_v && m.indices.capacity() >= want_i) return;
  // With a margin: a projection that creeps up slice after slice must not reallocate each time.
  want_v = want_v * 5 / 4, want_i = want_i * 5 / 4;
  m.positions.reserve(3 * want_v), m.normals.reserve(3 * want_v);
  m.colors.reserve(want_v), m.atom_ids.reserve(want_v), m.indices.reserve(want_i);
}

bool movie_showing() {
  return !app.movie.empty() && app.movie.current < app.movie.frame_count - 1 && app.predict.result_index >= 0;
}

void begin_scene_build(SceneBuild& b) {
  b = SceneBuild{};
  b.active = true;
  b.started_ms = emscripten_get_now();
  // While the folding movie plays, its current frame (a Cα tube) stands in for the prediction.
  if (movie_showing()) {
    Structure f = folding_movie_frame(app.movie, app.movie.current);
    std::vector<uint8_t> mask(f.atom_count(), 1);
    static const ColorScheme kMovieColors[] = {ColorScheme::SecondaryStructure, ColorScheme::Hydrophobicity, ColorScheme::Rainbow};
    b.g.mesh = build_trace(f, mask, color_atoms(f, kMovieColors[std::clamp(app.movie.coloring, 0, 2)]), 0.5f);
    b.g.mesh.atom_ids.assign(b.g.mesh.vertex_count(), 0xffffffffu);
  }
  for (size_t si = 0; si < app.structures.size(); ++si)
    if (app.structures[si]->visible) b.atoms_total += app.structures[si]->s.atom_count() * app.structures[si]->reps.size();
}

// Kinds whose geometry for a group of chains does not depend on the other chains.
bool splits_by_chain(RepKind k) { return k == RepKind::Cartoon || k == RepKind::Trace || k == RepKind::Spacefill; }

// Builds one slice; false when everything is built.
bool scene_build_slice(SceneBuild& b) {
  const bool movie_on = movie_showing();
  while (b.structure < app.structures.size()) {
    size_t si = b.structure;
    LoadedStructure& ls = *app.structures[si];
    if (b.rep == 0 && b.chain == 0 && !b.colors_ready) {
      bool masked = si < app.chain_visible.size() &&
                    std::any_of(app.chain_visible[si].begin(), app.chain_visible[si].end(), [](uint8_t v) { return !v; });
      b.visible = masked ? visible_atom_mask(ls.s, app.chain_visible[si]) : std::vector<uint8_t>{};
    }
    bool skip = !ls.visible || (movie_on && int(si) == app.predict.result_index);
    if (skip || b.rep >= ls.reps.size()) {
      b.atom_offset += uint32_t(ls.s.atom_count());
      b.structure++, b.rep = 0, b.chain = 0, b.colors_ready = false;
      continue;
    }
    const RepresentationSpec& r = ls.reps[b.rep];
    if (!r.visible || r.mask.size() != ls.s.atom_count()) {
      b.rep++, b.chain = 0, b.colors_ready = false;
      continue;
    }
    if (!b.colors_ready) {
      b.colors = color_atoms(ls.s, r.color), b.colors_ready = true;
      b.rep_vertex_start = b.g.mesh.vertex_count(), b.rep_index_start = b.g.mesh.indices.size();
    }
    const Structure& s = ls.s;
    uint32_t c0 = b.chain, c1 = uint32_t(s.chain_count());
    if (splits_by_chain(r.kind)) {
      size_t atoms = 0;
      c1 = c0;
      while (c1 < s.chain_count() && (atoms == 0 || atoms < kAtomsPerSlice)) {
        uint32_t rb = s.chain_res_begin[c1], re = s.chain_res_begin[c1 + 1];
        atoms += s.res_atom_begin[re] - s.res_atom_begin[rb];
        ++c1;
      }
    }
    RepresentationSpec part;   // the representation restricted to chains [c0, c1) and visible chains
    part.kind = r.kind, part.color = r.color, part.visible = true, part.opacity = r.opacity;
    part.mask.assign(s.atom_count(), 0);
    uint32_t a0 = c0 < s.chain_count() ? s.res_atom_begin[s.chain_res_begin[c0]] : uint32_t(s.atom_count());
    uint32_t a1 = c1 < s.chain_count() ? s.res_atom_begin[s.chain_res_begin[c1]] : uint32_t(s.atom_count());
    for (uint32_t a = a0; a < a1; ++a) part.mask[a] = r.mask[a] & (b.visible.empty() ? 1 : b.visible[a]);
    build_representation(s, part, b.atom_offset, b.g, &b.colors);
    b.atoms_done += a1 - a0;
    b.units_done++;
    if (c1 < s.chain_count()) reserve_projected(b.g.mesh, b.rep_vertex_start, b.rep_index_start, a1, s.atom_count() - a1);
    if (c1 >= s.chain_count()) b.rep++, b.chain = 0, b.colors_ready = false;
    else b.chain = c1;
    return true;
  }
  return false;
}

// The box around what the scene draws: mesh vertices, spheres, and every loaded atom (the
// highlight layer) with room for its sphere.
void update_scene_box(const SceneGeometry& g) {
  float lo[3] = {1e30f, 1e30f, 1e30f}, hi[3] = {-1e30f, -1e30f, -1e30f};
  auto add = [&](float x, float y, float z, float r) {
    lo[0] = std::min(lo[0], x - r), lo[1] = std::min(lo[1], y - r), lo[2] = std::min(lo[2], z - r);
    hi[0] = std::max(hi[0], x + r), hi[1] = std::max(hi[1], y + r), hi[2] = std::max(hi[2], z + r);
  };
  const std::vector<float>& pos = g.mesh.positions;
  for (size_t i = 0; i + 2 < pos.size(); i += 3) add(pos[i], pos[i + 1], pos[i + 2], 0.0f);
  for (size_t i = 0; i + 3 < g.sphere_xyzr.size(); i += 4) add(g.sphere_xyzr[i], g.sphere_xyzr[i + 1], g.sphere_xyzr[i + 2], g.sphere_xyzr[i + 3]);
  for (auto& ls : app.structures)
    for (size_t a = 0; a < ls->s.atom_count(); ++a) add(ls->s.x[a], ls->s.y[a], ls->s.z[a], 1.0f);
  app.scene_box_valid = lo[0] <= hi[0];
  for (int k = 0; k < 3; ++k) app.scene_box[k] = lo[k] - 0.5f, app.scene_box[3 + k] = hi[k] + 0.5f;
}

// Uploads the built geometry: all at once (budget_ms <= 0) or one mesh chunk per call.
// Returns true when the new scene is on the GPU.
bool upload_scene_build(SceneBuild& b, double budget_ms) {
  double t0 = emscripten_get_now();
  size_t shown_atoms = 0;
  for (const auto& ls : app.structures) shown_atoms += ls->visible ? ls->s.atom_count() : 0;
  app.meshes.lod = shown_atoms > kMeshLodAtoms;
  if (budget_ms > 0) {
    // Chunks while one like the last still fits the frame's budget.
    bool done = false;
    for (double last = 0, now = t0; !done && (now == t0 || now - t0 + last <= budget_ms);) {
      double c0 = emscripten_get_now();
      done = mesh_renderer_upload_step(app.meshes, b.g.mesh);
      now = emscripten_get_now(), last = now - c0;
    }
    if (!done) {
      b.upload_ms += emscripten_get_now() - t0;
      return false;
    }
  } else {
    mesh_renderer_upload(app.meshes, b.g.mesh);
  }
  std::vector<SphereInstance> inst(b.g.sphere_colors.size());
  for (size_t i = 0; i < inst.size(); ++i)
    inst[i] = {b.g.sphere_xyzr[4 * i], b.g.sphere_xyzr[4 * i + 1], b.g.sphere_xyzr[4 * i + 2], b.g.sphere_xyzr[4 * i + 3],
               b.g.sphere_colors[i], b.g.sphere_atoms[i] + 1};
  sphere_renderer_upload(app.spheres, inst);
  update_scene_box(b.g);
  b.upload_ms += emscripten_get_now() - t0;
  b.active = false;
  b.g = SceneGeometry{};
  return true;
}

SceneBuild scene_build;
double last_build_total_ms = 0, last_build_upload_ms = 0, last_build_longest_slice_ms = 0;

// Advances the scene build by about `budget_ms` of work (everything when budget_ms <= 0): the
// geometry in slices, then its upload, one mesh chunk per frame for big scenes.
void advance_scene_build(double budget_ms) {
  if (app.scene_dirty) {
    mesh_renderer_upload_reset(app.meshes);
    begin_scene_build(scene_build);
    app.scene_dirty = false;
    last_build_longest_slice_ms = 0;
  }
  if (!scene_build.active) return;
  double t0 = emscripten_get_now(), last_slice_ms = 0;
  while (!scene_build.built) {
    double s0 = emscripten_get_now();
    // Another slice only when one like the last still fits the budget.
    if (budget_ms > 0 && s0 > t0 && s0 - t0 + last_slice_ms > budget_ms) return;
    bool more = scene_build_slice(scene_build);
    double now = emscripten_get_now();
    last_slice_ms = now - s0;
    last_build_longest_slice_ms = std::max(last_build_longest_slice_ms, now - s0);
    if (!more) {
      scene_build.built = true;
      // A big upload starts in a frame of its own.
      if (budget_ms > 0 && now - t0 > budget_ms * 0.5 && scene_build.g.mesh.vertex_count() > 200000) return;
      break;
    }
    if (budget_ms > 0 && now - t0 >= budget_ms) return;
  }
  if (upload_scene_build(scene_build, budget_ms)) {
    last_build_total_ms = emscripten_get_now() - scene_build.started_ms;
    last_build_upload_ms = scene_build.upload_ms;
  }
}

// Everything built now (captures and picking need the current scene).
void rebuild_scene() { advance_scene_build(0); }

// Between frames: while a big scene is being built, the page also builds in short tasks between
// animation frames. When frames come slowly (a software rasteriser, a busy GPU) the build then
// no longer waits for them, and no task holds the page longer than a slice.
EM_JS(void, js_build_between_frames, (), {
  if (Module.buildLoopRunning) return;
  Module.buildLoopRunning = true;
  var ch = new MessageChannel();   // a task right after the current one (setTimeout clamps to 4 ms)
  ch.port1.onmessage = function () {
    var more = false;
    try { more = Module._fs_build_step(12) !== 0; } catch (e) { more = false; }
    if (more) ch.port2.postMessage(0); else { Module.buildLoopRunning = false; ch.port1.close(); }
  };
  ch.port2.postMessage(0);
});

// The highlight layer: the hovered residue (yellow) and the selected residues (green) as
// spheres over whatever representation shows them. Rebuilt only when they change.
void update_highlight() {
  if (app.shown_hover.structure == app.hover.structure && app.shown_hover.residue == app.hover.residue &&
      app.shown_selection == app.selection.residues)
    return;
  app.shown_hover = app.hover;
  app.shown_selection = app.selection.residues;
  std::vector<SphereInstance> inst;
  auto add_residue = [&](int si, int r, uint32_t rgba, float radius) {
    if (si < 0 || si >= int(app.structures.size())) return;
    const Structure& s = app.structures[size_t(si)]->s;
    if (r < 0 || size_t(r) >= s.residue_count()) return;
    for (uint32_t a = s.res_atom_begin[size_t(r)]; a < s.res_atom_begin[size_t(r) + 1]; ++a)
      if (s.element[a] != 1) inst.push_back({s.x[a], s.y[a], s.z[a], radius, rgba, 0});
  };
  for (const auto& sel : app.selection.residues) add_residue(sel.first, sel.second, rgb(0x30D158), 0.55f);
  if (app.hover.valid()) add_residue(app.hover.structure, app.hover.residue, rgb(0xFFD60A), 0.6f);
  sphere_renderer_upload(app.highlight, inst);
}

// Frames one residue (double-click, structure tree): centre on it, keep the orientation.
void focus_residue(int si, int r) {
  if (si < 0 || si >= int(app.structures.size())) return;
  const Structure& s = app.structures[size_t(si)]->s;
  if (r < 0 || size_t(r) >= s.residue_count()) return;
  float c[3] = {0, 0, 0};
  uint32_t b = s.res_atom_begin[size_t(r)], e = s.res_atom_begin[size_t(r) + 1];
  for (uint32_t a = b; a < e; ++a) c[0] += s.x[a], c[1] += s.y[a], c[2] += s.z[a];
  for (float& v : c) v /= float(std::max<uint32_t>(1, e - b));
  app.camera.frame(c, 12.0f, float(app.fb_w) / float(std::max(app.fb_h, 1)));
}

// Frames the visible atoms, leaving out waters (they spread far around crystal structures).
void frame_all() {
  double sum[3] = {0, 0, 0};
  size_t n = 0;
  auto for_framed_atoms = [](auto&& fn) {
    for (auto& ls : app.structures) {
      const Structure& s = ls->s;
      for (size_t i = 0; i < s.atom_count(); ++i)
        if (!is_water(s.res_name[s.atom_residue[i]])) fn(s.x[i], s.y[i], s.z[i]);
    }
  };
  for_framed_atoms([&](float x, float y, float z) { sum[0] += x, sum[1] += y, sum[2] += z, ++n; });
  if (!n) return;
  float c[3] = {float(sum[0] / n), float(sum[1] / n), float(sum[2] / n)};
  float r2 = 0;
  for_framed_atoms([&](float x, float y, float z) {
    float dx = x - c[0], dy = y - c[1], dz = z - c[2];
    r2 = std::max(r2, dx * dx + dy * dy + dz * dz);
  });
  app.camera.frame(c, std::sqrt(r2) + 2.0f, float(app.fb_w) / float(std::max(app.fb_h, 1)));
}

FrameUniforms make_uniforms(int w, int h) {
  FrameUniforms u{};
  u.view = app.camera.view();
  u.proj = app.camera.projection(float(w) / float(h));
  float l[3] = {-0.35f, 0.45f, 0.82f};
  float ln = std::sqrt(l[0] * l[0] + l[1] * l[1] + l[2] * l[2]);
  for (int i = 0; i < 3; ++i) u.light_dir[i] = l[i] / ln;
  u.fog[0] = app.camera.distance;
  u.fog[1] = app.camera.far_plane();
  u.fog[2] = 0.45f;
  for (int i = 0; i < 3; ++i) u.background[i] = app.background[i];
  u.background[3] = 1;
  return u;
}

// Draws the scene into `color` (the swap chain or an offscreen target). With `pick`, `color` is
// an R32Uint id buffer and every fragment writes its atom id + 1 instead of a colour.
// With `post` (sized like `color`) and any image-quality effect on, the scene goes into post's
// offscreen colour image and the post-processing pass composites it, with the UI over it, into `color`.
void encode_scene(WGPUCommandEncoder enc, WGPUTextureView color, WGPUTextureView depth, bool with_ui, bool pick = false,
                  PostTargets* post = nullptr) {
  const bool effects = !pick && post && app.quality.any();
  WGPURenderPassColorAttachment ca{};
  ca.view = effects ? post->color_view : color;
  ca.loadOp = WGPULoadOp_Clear;
  ca.storeOp = WGPUStoreOp_Store;
  ca.clearColor = pick ? WGPUColor{0, 0, 0, 0} : WGPUColor{app.background[0], app.background[1], app.background[2], 1.0};
  WGPURenderPassDepthStencilAttachment da{};
  da.view = depth;
  da.depthLoadOp = WGPULoadOp_Clear;
  da.depthStoreOp = WGPUStoreOp_Store;
  da.clearDepth = 1.0f;
  WGPURenderPassDescriptor rp{};
  rp.colorAttachmentCount = 1;
  rp.colorAttachments = &ca;
  rp.depthStencilAttachment = &da;
  WGPURenderPassEncoder pass = wgpuCommandEncoderBeginRenderPass(enc, &rp);
  if (pick) {
    mesh_renderer_draw(app.meshes, pass, DrawPass::Pick);
    sphere_renderer_draw(app.spheres, pass, DrawPass::Pick);
  } else {
    mesh_renderer_draw(app.meshes, pass, DrawPass::Opaque);
    sphere_renderer_draw(app.spheres, pass, DrawPass::Opaque);
    sphere_renderer_draw(app.highlight, pass);   // hover/selection show in captures too
    // What has opacity below 1: its nearest layer (depth first, no colour), blended over the
    // opaque scene.
    mesh_renderer_draw(app.meshes, pass, DrawPass::TransparentDepth);
    sphere_renderer_draw(app.spheres, pass, DrawPass::TransparentDepth);
    mesh_renderer_draw(app.meshes, pass, DrawPass::Transparent);
    sphere_renderer_draw(app.spheres, pass, DrawPass::Transparent);
  }
  if (with_ui && !pick && !effects) imgui_wgpu_render(ImGui::GetDrawData(), pass);
  wgpuRenderPassEncoderEnd(pass);
  wgpuRenderPassEncoderRelease(pass);   // every handle is released: a page left open for days must not grow
  if (effects) {
    FrameUniforms u = make_uniforms(post->w, post->h);
    PostFrame f;
    f.view = u.view, f.proj = u.proj, f.quality = app.quality, f.pixel_ratio = app.dpr;
    for (int k = 0; k < 3; ++k) f.background[k] = app.background[k];
    f.has_box = app.scene_box_valid && !scene_build.active;   // mid-upload the box may not cover what shows
    for (int k = 0; k < 6; ++k) f.box[k] = app.scene_box[k];
    WGPURenderPassEncoder p = post_process_encode(app.post, enc, *post, depth, color, f);
    if (with_ui) imgui_wgpu_render(ImGui::GetDrawData(), p);
    wgpuRenderPassEncoderEnd(p);
    wgpuRenderPassEncoderRelease(p);
  }
}

void record_item(const char* label) {
  ImVec2 a = ImGui::GetItemRectMin(), b = ImGui::GetItemRectMax();
  app.item_rects[label] = ImVec4(a.x, a.y, b.x - a.x, b.y - a.y);
}

EM_JS(void, js_request_predict, (const char* sequence, int use_templates), {
  if (Module.onPredictRequest) Module.onPredictRequest(UTF8ToString(sequence), !!use_templates);
});

// Predict panel: type or paste a sequence (FASTA is fine), predict in the tab, watch it fold.
void draw_predict_panel() {
  PredictPanel& p = app.predict;
  ImGui::SetNextWindowPos(ImVec2(10, 330), ImGuiCond_FirstUseEver);
  compact_panel_placement(7);
  // Grows with what it shows (progress, Cancel, results, the movie controls).
  ImGui::Begin("Predict", nullptr, ImGuiWindowFlags_AlwaysAutoResize);
  {   // it grows as results arrive: keep it on screen (move it up rather than off the bottom)
    ImVec2 wp = ImGui::GetWindowPos();
    const float bottom = ImGui::GetIO().DisplaySize.y - 4;
    if (wp.y + ImGui::GetWindowHeight() > bottom && !ImGui::IsMouseDragging(0)) {
      wp.y = std::max(4.0f, bottom - ImGui::GetWindowHeight());
      ImGui::SetWindowPos(wp);
    }
    // title bar rectangle, for tests: clicking it brings the panel to the front
    app.item_rects["Predict window"] = ImVec4(wp.x, wp.y, ImGui::GetWindowWidth(), ImGui::GetFrameHeight());
  }
  if (ImGui::IsWindowCollapsed()) {   // small screens start collapsed: nothing inside is drawn
    ImGui::End();
    return;
  }
  ImGui::TextDisabled("Sequence (one-letter codes or FASTA), up to 1000 residues");
  ImGui::InputTextMultiline("##sequence", p.sequence, sizeof(p.sequence), ImVec2(320, ImGui::GetTextLineHeight() * 5),
                            ImGuiInputTextFlags_None);
  record_item("Sequence");
  ImGui::Checkbox("Use templates", &p.use_templates);
  record_item("Use templates");
  ImGui::BeginDisabled(p.running);
  if (ImGui::Button(p.running ? "Predicting..." : "Predict")) {
    p.running = true, p.error.clear(), p.stage = "starting", p.fraction = 0;
    js_request_predict(p.sequence, p.use_templates);
  }
  ImGui::EndDisabled();
  record_item("Predict");
  if (p.running) {
    const char* label = p.stage == "load" ? "loading model and template library" : p.stage.c_str();
    ImGui::ProgressBar(p.fraction, ImVec2(250, 0), label);
    ImGui::SameLine();
    if (ImGui::Button("Cancel##predict")) EM_ASM({ if (Module.onPredictCancel) Module.onPredictCancel(); });
    record_item("Cancel prediction");
  }
  if (!p.error.empty()) ImGui::TextColored(ImVec4(0.8f, 0.1f, 0.1f, 1), "%s", p.error.c_str());
  if (!p.summary.empty()) ImGui::TextWrapped("%s", p.summary.c_str());
  if (!p.templates.empty() && p.result_index >= 0 &&
      ImGui::BeginTable("templates", 4, ImGuiTableFlags_RowBg | ImGuiTableFlags_BordersInnerV | ImGuiTableFlags_SizingFixedFit)) {
    ImGui::TableSetupColumn("template");
    ImGui::TableSetupColumn("identity");
    ImGui::TableSetupColumn("coverage");
    ImGui::TableSetupColumn("E-value");
    ImGui::TableHeadersRow();
    for (size_t k = 0; k < p.templates.size(); ++k) {
      const auto& t = p.templates[k];
      ImGui::TableNextRow();
      ImGui::TableNextColumn();
      if (ImGui::Selectable(t.id.c_str(), false, ImGuiSelectableFlags_SpanAllColumns))
        EM_ASM({ if (Module.onShowTemplate) Module.onShowTemplate(UTF8ToString($0)); }, t.id.c_str());
      record_item(("template:" + std::to_string(k)).c_str());
      if (ImGui::IsItemHovered()) ImGui::SetTooltip("click: show %s superposed on the prediction", t.id.c_str());
      ImGui::TableNextColumn();
      ImGui::Text("%.0f %%", 100 * t.identity);
      ImGui::TableNextColumn();
      ImGui::Text("%.0f %%", 100 * t.coverage);
      ImGui::TableNextColumn();
      if (t.confident) {
        ImGui::Text("%.1e", t.evalue);
      } else {
        // No confident hit: the model leans lightly on weak ones; say so where the numbers are.
        ImGui::TextColored(ImVec4(0.85f, 0.55f, 0.1f, 1), "%.1e weak", t.evalue);
        if (ImGui::IsItemHovered())
          ImGui::SetTooltip("no confident hit was found: this weak one is a guess at the fold, restrained lightly");
      }
    }
    ImGui::EndTable();
  }
  // Design self-consistency: predict a loaded design's own sequence and superpose the two.
  if (!app.structures.empty()) {
    ImGui::Separator();
    ImGui::TextUnformatted("Design check");
    static int pick = 0;
    pick = std::min(pick, int(app.structures.size()) - 1);
    ImGui::SetNextItemWidth(180);
    if (ImGui::BeginCombo("##design", app.structures[size_t(pick)]->s.name.c_str())) {
      for (int i = 0; i < int(app.structures.size()); ++i)
        if (ImGui::Selectable(app.structures[size_t(i)]->s.name.c_str(), i == pick)) pick = i;
      ImGui::EndCombo();
    }
    ImGui::SameLine();
    ImGui::BeginDisabled(p.running);
    if (ImGui::Button("Predict & compare")) {
      p.running = true, p.error.clear(), p.stage = "starting", p.fraction = 0;
      EM_ASM({ if (Module.onDesignCheckRequest) Module.onDesignCheckRequest($0); }, pick);
    }
    ImGui::EndDisabled();
    record_item("Predict & compare");
    if (!p.design_report.empty()) ImGui::TextWrapped("%s", p.design_report.c_str());
    if (!p.design_deviation.empty()) {
      // Per-residue deviation (unpaired residues drawn at 0), hover shows the residue.
      std::vector<float> v(p.design_deviation.begin(), p.design_deviation.end());
      float top = 1.0f;
      for (float& x : v) x = std::max(x, 0.0f), top = std::max(top, x);
      ImGui::PlotLines("##deviation", v.data(), int(v.size()), 0, "Ca deviation per design residue (A)", 0.0f, top,
                       ImVec2(320, 60));
      record_item("design:deviation");
      if (ImGui::Button("Export report (PNG + JSON)")) EM_ASM({ if (Module.onExportDesignReport) Module.onExportDesignReport(); });
      record_item("design:export");
    }
  }
  if (!app.movie.empty()) {
    ImGui::Separator();
    ImGui::TextUnformatted("Folding movie");
    if (ImGui::Button(app.movie.playing ? "Pause" : "Play")) {
      if (!app.movie.playing && app.movie.current >= app.movie.frame_count - 1) app.movie.current = 0, app.movie.clock_ms = 0;
      app.movie.playing = !app.movie.playing;
      app.movie.frames_shown = 0;
      app.movie.clock_ms = app.movie.current * app.movie.frame_time_ms;
      app.scene_dirty = true;
    }
    record_item("Play");
    ImGui::SameLine();
    int f = app.movie.current;
    if (ImGui::SliderInt("##frame", &f, 0, app.movie.frame_count - 1, "frame %d")) {
      app.movie.current = f, app.movie.playing = false, app.scene_dirty = true;
    }
    record_item("movie:frame");
    float speed = float(50.0 / app.movie.frame_time_ms);
    ImGui::SetNextItemWidth(120);
    if (ImGui::SliderFloat("speed", &speed, 0.25f, 4.0f, "%.2gx", ImGuiSliderFlags_Logarithmic)) {
      app.movie.frame_time_ms = 50.0 / std::max(0.05f, speed);
      app.movie.clock_ms = app.movie.current * app.movie.frame_time_ms;
    }
    ImGui::SameLine();
    const char* kColorNames[] = {"secondary structure", "hydrophobic", "N to C"};
    ImGui::SetNextItemWidth(150);
    if (ImGui::Combo("##moviecolor", &app.movie.coloring, kColorNames, 3)) app.scene_dirty = true;
    record_item("movie:colour");
  }
  ImGui::End();
}

// "Mutate residue": the sequence of residue r's chain with r replaced by `to`, asked of the
// predictor (web/foldsight_api.js); the result morphs from this structure. "" with an error.
std::string request_mutation(int si, int r, char to, std::string* err) {
  if (si < 0 || si >= int(app.structures.size())) return *err = "no such structure", "";
  const Structure& s = app.structures[size_t(si)]->s;
  if (r < 0 || size_t(r) >= s.residue_count() || !is_amino_acid(s.res_name[size_t(r)]))
    return *err = "residue " + std::to_string(r) + " is not an amino acid of this structure", "";
  if (!std::strchr("ACDEFGHIKLMNPQRSTVWY", to) || !to) return *err = std::string("'") + to + "' is not an amino acid letter", "";
  if (app.predict.running) return *err = "a prediction is running", "";
  uint32_t c = s.res_chain[size_t(r)];
  CaTrace t = ca_trace(s, c);
  int k = -1;
  for (size_t i = 0; i < t.size(); ++i)
    if (t.seq_id[i] == s.seq_id[size_t(r)] && t.ins_code[i] == s.ins_code[size_t(r)]) k = int(i);
  if (k < 0) return *err = "that residue has no CA atom", "";
  std::string seq = t.sequence;
  seq[size_t(k)] = to;
  app.predict.morph_from = si, app.predict.morph_chain = int(c);
  std::snprintf(app.predict.sequence, sizeof app.predict.sequence, "%s", seq.c_str());
  return seq;
}

// Superposes chain `mc` of structure `m` onto chain `tc` of structure `t` and moves structure m.
// The result also shows in the Superpose window.
const ChainSuperposition& run_superpose(int m, int t, int mc, int tc, SuperposeMode mode) {
  SuperposePanelState& p = app.superpose_panel;
  p.last = ChainSuperposition{};
  int n = int(app.structures.size());
  if (m < 0 || t < 0 || m >= n || t >= n || m == t) {
    p.last.error = "choose two different loaded structures";
    p.last_names = "-";
    return p.last;
  }
  Structure& ms = app.structures[size_t(m)]->s;
  const Structure& ts = app.structures[size_t(t)]->s;
  p.last = superpose_chains(ms, size_t(std::max(0, mc)), ts, size_t(std::max(0, tc)), mode);
  auto chain_name = [](const Structure& s, int c) { return c >= 0 && size_t(c) < s.chain_count() ? s.chain_auth[size_t(c)] : "?"; };
  p.last_names = ms.name + " chain " + chain_name(ms, mc) + " onto " + ts.name + " chain " + chain_name(ts, tc) +
                 (mode == SuperposeMode::Structure ? " (by structure)" : " (by sequence)");
  if (p.last.ok) {
    transform_structure(ms, p.last.transform);
    if (m == app.predict.result_index) app.movie = FoldingMovie{};   // its frames are in the old frame
    app.scene_dirty = true;
  }
  p.open = true;
  p.mobile = m, p.target = t, p.mobile_chain = mc, p.target_chain = tc, p.by_structure = mode == SuperposeMode::Structure;
  return p.last;
}

// Removes loaded structure i and everything that refers to it (measurements, selection, the
// prediction's movie); indices after it move down by one.
bool remove_structure(int i) {
  if (i < 0 || i >= int(app.structures.size())) return false;
  app.structures.erase(app.structures.begin() + i);
  if (i < int(app.chain_visible.size())) app.chain_visible.erase(app.chain_visible.begin() + i);
  measurement_remove_structure(app.measure.list, i);
  app.selection.remove_structure(i);
  app.reps_panel.editing.clear(), app.reps_panel.errors.clear();
  if (app.predict.result_index == i) app.predict.result_index = -1, app.movie = FoldingMovie{};
  else if (app.predict.result_index > i) --app.predict.result_index;
  if (app.predict.design_index == i) app.predict.design_index = -1;
  else if (app.predict.design_index > i) --app.predict.design_index;
  app.hover3d.clear(), app.hover.clear();
  app.scene_dirty = true;
  return true;
}

// Sequence, structure tree, measurements, plots, help (src/ui); they share hover and selection
// with the 3D view.
void draw_workspace_panels() {
  std::vector<const Structure*> ptrs;
  std::vector<std::string> names;
  for (auto& ls : app.structures) ptrs.push_back(&ls->s), names.push_back(ls->s.name);
  app.structure_visible.resize(app.structures.size(), 1);
  for (size_t i = 0; i < app.structures.size(); ++i) app.structure_visible[i] = app.structures[i]->visible;
  app.hover = app.hover3d;
  draw_sequence_panel(ptrs, names, app.seq_panel, app.hover, app.selection, &app.item_rects);
  if (app.seq_panel.mutate.structure >= 0) {
    std::string err, seq = request_mutation(app.seq_panel.mutate.structure, app.seq_panel.mutate.residue,
                                            app.seq_panel.mutate.to, &err);
    app.seq_panel.mutate = {};
    if (seq.empty()) app.ui_error = "Mutate: " + err;
    else EM_ASM({ if (Module.onMutateRequest) Module.onMutateRequest(UTF8ToString($0)); }, seq.c_str());
  }
  StructureTreeActions act = draw_structure_tree(ptrs, names, app.tree, app.structure_visible, app.chain_visible,
                                                 app.hover, app.selection);
  draw_measurements_panel(ptrs, names, app.measure, app.hover, &app.item_rects);
  draw_plots_panel(ptrs, names, app.plots, app.hover, app.selection, &app.item_rects);
  std::vector<std::vector<RepresentationSpec>*> reps;
  for (auto& ls : app.structures) reps.push_back(&ls->reps);
  if (draw_representation_panel(ptrs, names, reps, app.reps_panel, &app.item_rects)) app.scene_dirty = true;
  draw_help_window(&app.help_open);
  SuperposeRequest sr = draw_superpose_panel(ptrs, names, app.superpose_panel, &app.item_rects);
  if (sr.run) run_superpose(sr.mobile, sr.target, sr.mobile_chain, sr.target_chain, sr.mode);
  OpenPanelActions oa = draw_open_panel(app.open_panel, &app.item_rects);
  if (oa.pick_file) EM_ASM({ if (Module.onOpenFilePicker) Module.onOpenFilePicker(); });
  if (!oa.url.empty()) EM_ASM({ if (Module.onOpenUrl) Module.onOpenUrl(UTF8ToString($0)); }, oa.url.c_str());
  if (oa.example >= 0) {
    std::string path = std::string("demo/") + example_structures()[size_t(oa.example)].file;
    EM_ASM({ if (Module.onOpenExample) Module.onOpenExample(UTF8ToString($0)); }, path.c_str());
  }
  if (oa.recent >= 0) EM_ASM({ if (Module.onOpenRecent) Module.onOpenRecent($0); }, oa.recent);
  if (oa.forget >= 0) EM_ASM({ if (Module.onForgetRecent) Module.onForgetRecent($0); }, oa.forget);
  if (oa.clear_recent) EM_ASM({ if (Module.onClearRecent) Module.onClearRecent(); });
  FrameUniforms u = make_uniforms(app.fb_w, app.fb_h);
  float vp[16];
  mat4_multiply(u.proj.m, u.view.m, vp);
  draw_measurement_labels(ImGui::GetBackgroundDrawList(), vp, ImVec2(0, 0), ImGui::GetIO().DisplaySize, ptrs, app.measure,
                          &app.item_rects);
  if (act.visibility_changed) {
    for (size_t i = 0; i < app.structures.size() && i < app.structure_visible.size(); ++i)
      app.structures[i]->visible = app.structure_visible[i] != 0;
    app.scene_dirty = true;
  }
  if (act.focus_structure >= 0) {
    if (act.focus_residue >= 0) focus_residue(act.focus_structure, act.focus_residue);
    else frame_all();
  }
  if (act.remove_structure >= 0) remove_structure(act.remove_structure);
}

// Keyboard shortcuts (listed in the help window and docs/SHORTCUTS.md).
void handle_shortcuts() {
  ImGuiIO& io = ImGui::GetIO();
  if (io.WantCaptureKeyboard) return;
  if (ImGui::IsKeyPressed(GLFW_KEY_F) || ImGui::IsKeyPressed(GLFW_KEY_R)) frame_all();
  if (ImGui::IsKeyPressed(GLFW_KEY_S)) app.spin = !app.spin;
  for (int k = 0; k < 6; ++k)
    if (ImGui::IsKeyPressed(GLFW_KEY_1 + k)) apply_style(k);
  if (ImGui::IsKeyPressed(GLFW_KEY_C)) {
    static const ColorScheme kCycle[] = {ColorScheme::Chain, ColorScheme::Element, ColorScheme::SecondaryStructure,
                                         ColorScheme::Rainbow, ColorScheme::BFactor, ColorScheme::Hydrophobicity};
    int n = int(sizeof(kCycle) / sizeof(kCycle[0])), cur = 0;
    for (int k = 0; k < n; ++k)
      if (kCycle[k] == app.coloring) cur = k;
    app.coloring = kCycle[(cur + 1) % n];
    apply_style(app.style);
  }
  if (ImGui::IsKeyPressed(GLFW_KEY_M)) app.measure.measuring = !app.measure.measuring;
  if (ImGui::IsKeyPressed(GLFW_KEY_ESCAPE)) app.selection.clear(), app.measure.list.pending.clear();
  if (ImGui::IsKeyPressed(GLFW_KEY_H) || (io.KeyShift && ImGui::IsKeyPressed(GLFW_KEY_SLASH))) app.help_open = !app.help_open;
}

// Progress of a file being opened (parsing in the load worker, then building geometry in slices).
void draw_loading_window() {
  const bool building = scene_build.active && scene_build.atoms_total > 0;
  if (!app.loading.active && !building) return;
  ImGuiIO& io = ImGui::GetIO();
  ImGui::SetNextWindowPos(ImVec2(io.DisplaySize.x * 0.5f, io.DisplaySize.y - 60), ImGuiCond_Always, ImVec2(0.5f, 1.0f));
  ImGui::SetNextWindowSize(ImVec2(360, 0), ImGuiCond_Always);
  ImGui::Begin("Loading", nullptr, ImGuiWindowFlags_NoCollapse | ImGuiWindowFlags_NoResize | ImGuiWindowFlags_NoSavedSettings);
  if (app.loading.active) {
    ImGui::TextUnformatted(app.loading.name.c_str());
    ImGui::ProgressBar(app.loading.fraction, ImVec2(-1, 0), app.loading.stage.c_str());
    record_item("Loading progress");
    if (ImGui::Button("Cancel")) EM_ASM({ if (Module.onLoadCancel) Module.onLoadCancel(); });
    record_item("Cancel load");
  } else {
    float f = float(std::min(1.0, double(scene_build.atoms_done) / double(scene_build.atoms_total)));
    ImGui::ProgressBar(f, ImVec2(-1, 0), "building geometry");
    record_item("Loading progress");
  }
  ImGui::End();
}

// The main window: loaded structures, quick representation and colour, view, share, tools.
void draw_main_panel() {
  ImGui::TextUnformatted("Loaded structures");
  ImGui::Separator();
  if (app.structures.empty()) ImGui::TextDisabled("nothing loaded: drop a PDB or mmCIF file");
  for (size_t i = 0; i < app.structures.size(); ++i) {
    LoadedStructure& ls = *app.structures[i];
    ImGui::PushID(int(i));
    if (ImGui::Checkbox("##visible", &ls.visible)) app.scene_dirty = true;
    ImGui::SameLine();
    ImGui::Text("%s", ls.s.name.c_str());
    ImGui::TextDisabled("  %zu atoms, %zu residues, %zu chains, %zu models", ls.s.atom_count(),
                        ls.s.residue_count(), ls.s.chain_count(), ls.s.model_count());
    ImGui::PopID();
  }
  ImGui::Separator();
  ImGui::TextUnformatted("Representation");
  for (int k = 0; k < int(sizeof(kStyles) / sizeof(kStyles[0])); ++k) {
    if (k % 3) ImGui::SameLine();
    if (ImGui::RadioButton(kStyles[k].label, app.style == k)) apply_style(k);
    record_item(kStyles[k].label);
  }
  ImGui::TextUnformatted("Colour");
  static const ColorScheme kSchemes[] = {ColorScheme::Chain, ColorScheme::Element, ColorScheme::SecondaryStructure,
                                         ColorScheme::Rainbow, ColorScheme::BFactor, ColorScheme::Hydrophobicity};
  for (size_t k = 0; k < sizeof(kSchemes) / sizeof(kSchemes[0]); ++k) {
    if (k % 3) ImGui::SameLine();
    const char* name = color_scheme_name(kSchemes[k]);
    if (ImGui::RadioButton(name, app.coloring == kSchemes[k])) app.coloring = kSchemes[k], apply_style(app.style);
    record_item(name);
  }
  ImGui::Checkbox("Spin", &app.spin);
  record_item("Spin");
  ImGui::SameLine();   // one row with Spin: the image-quality row below keeps the panel's height
  if (ImGui::Button("Reset view")) frame_all();
  record_item("Reset view");
  // Image quality (src/render/post_process.h): ambient occlusion, outlines, antialiasing.
  ImGui::Checkbox("Occlusion", &app.quality.ssao);
  record_item("Occlusion");
  ImGui::SameLine();
  ImGui::Checkbox("Outlines", &app.quality.outlines);
  record_item("Outlines");
  ImGui::SameLine();
  ImGui::Checkbox("Antialias", &app.quality.antialias);
  record_item("Antialias");
  ImGui::TextDisabled("%.0f fps  %.1f ms   version %s", app.fps, app.frame_ms, app.version.c_str());
  // Share: a link with the structures and the view in its fragment (web/share.mjs), plain or
  // encrypted with the passphrase typed here.
  static char passphrase[128] = "";
  ImGui::SetNextItemWidth(140);
  ImGui::InputTextWithHint("##passphrase", "passphrase (optional)", passphrase, sizeof passphrase,
                           ImGuiInputTextFlags_Password);
  ImGui::SameLine();
  if (ImGui::Button("Share link")) {
    EM_ASM({ if (Module.onShareRequest) Module.onShareRequest(UTF8ToString($0)); }, passphrase);
  }
  record_item("Share link");
  ImGui::Checkbox("Measure (M)", &app.measure.measuring);
  record_item("Measure");
  ImGui::SameLine();
  if (ImGui::SmallButton("Superpose...")) app.superpose_panel.open = !app.superpose_panel.open;
  record_item("Superpose...");
  ImGui::SameLine();
  if (ImGui::SmallButton("Help (?)")) app.help_open = !app.help_open;
}

void draw_ui() {
  app.item_rects.clear();   // only what this frame draws
  ImGui::SetNextWindowPos(ImVec2(10, 10), ImGuiCond_FirstUseEver);
  ImGui::SetNextWindowSize(ImVec2(300, 0), ImGuiCond_FirstUseEver);
  compact_panel_placement(0);
  // Collapsed (small screens start so): nothing inside is drawn, so no item is recorded.
  if (ImGui::Begin("Foldsight", nullptr, ImGuiWindowFlags_AlwaysAutoResize)) draw_main_panel();
  ImGui::End();
  draw_predict_panel();
  draw_workspace_panels();
  draw_loading_window();
  if (!app.ui_error.empty()) {
    ImGui::SetNextWindowPos(ImVec2(330, 40), ImGuiCond_Appearing);
    bool open = true;
    // Auto-sized windows shrink wrapped text to nothing: give the text its own wrap width.
    ImGui::SetNextWindowSizeConstraints(ImVec2(380, 0), ImVec2(560, 400));
    ImGui::Begin("Error", &open, ImGuiWindowFlags_AlwaysAutoResize);
    ImGui::PushTextWrapPos(ImGui::GetCursorPosX() + 520);
    ImGui::TextUnformatted(app.ui_error.c_str());
    ImGui::PopTextWrapPos();
    record_item("Error message");
    ImGui::End();
    if (!open) app.ui_error.clear();
  }
}

void handle_camera_input() {
  ImGuiIO& io = ImGui::GetIO();
  double mx, my;
  glfwGetCursorPos(app.window, &mx, &my);
  bool left = glfwGetMouseButton(app.window, GLFW_MOUSE_BUTTON_LEFT) == GLFW_PRESS;
  bool right = glfwGetMouseButton(app.window, GLFW_MOUSE_BUTTON_RIGHT) == GLFW_PRESS ||
               glfwGetMouseButton(app.window, GLFW_MOUSE_BUTTON_MIDDLE) == GLFW_PRESS;
  if ((left || right) && !app.dragging && !io.WantCaptureMouse) {
    app.dragging = true;
    app.panning = right || glfwGetKey(app.window, GLFW_KEY_LEFT_SHIFT) == GLFW_PRESS;
    app.drag_x = mx, app.drag_y = my;
  }
  // Hover: ask the id buffer what is under the cursor (one texel, asynchronous).
  const double px = mx, py = my;   // canvas pixels (GLFW reports device pixels here)
  if (!app.dragging && !io.WantCaptureMouse && !app.hover_pick_in_flight && (px != app.hover_x || py != app.hover_y) &&
      px >= 0 && py >= 0 && px < app.fb_w && py < app.fb_h) {
    app.hover_x = px, app.hover_y = py;
    app.hover_pick_in_flight = render_offscreen(-1, app.fb_w, app.fb_h, true, int(px), int(py), 1, 1) != 0;
  } else if (io.WantCaptureMouse && app.hover3d.valid() && !app.dragging) {
    app.hover3d.clear(), app.hover_x = -1;
  }
  // Click (press and release without moving): select the residue / add a measurement atom;
  // double-click: focus it. Clicking the background clears the selection.
  if (left && !app.press_left && !io.WantCaptureMouse) app.press_left = true, app.press_x = mx, app.press_y = my;
  if (!left && app.press_left) {
    app.press_left = false;
    if (std::hypot(mx - app.press_x, my - app.press_y) < 4 * app.dpr) {
      double now = emscripten_get_now();
      bool dbl = now - app.last_click_time < 350;
      app.last_click_time = now;
      if (app.hover3d.valid()) {
        if (dbl) {
          focus_residue(app.hover3d.structure, app.hover3d.residue);
        } else if (app.measure.measuring && app.hover_atom >= 0) {
          std::vector<const Structure*> ptrs;
          for (auto& ls : app.structures) ptrs.push_back(&ls->s);
          int atom = app.hover_atom;
          for (int si = 0; si < int(app.structures.size()); ++si) {
            if (atom < int(app.structures[si]->s.atom_count())) {
              measurement_add_pick(app.measure.list, ptrs, si, atom);
              break;
            }
            atom -= int(app.structures[si]->s.atom_count());
          }
        } else if (io.KeyCtrl || io.KeySuper) {
          app.selection.toggle(app.hover3d.structure, app.hover3d.residue);
        } else if (io.KeyShift) {
          app.selection.extend_to(app.structures[size_t(app.hover3d.structure)]->s, app.hover3d.structure, app.hover3d.residue);
        } else {
          app.selection.select_only(app.hover3d.structure, app.hover3d.residue);
        }
      } else if (!dbl) {
        app.selection.clear();
      }
    }
  }
  if (!left && !right) app.dragging = false;
  if (app.dragging) {
    double dx = mx - app.drag_x, dy = my - app.drag_y;
    app.drag_x = mx, app.drag_y = my;
    if (app.panning) {
      float scale = 2.0f * app.camera.distance * std::tan(app.camera.fov_y * 0.5f) / float(std::max(app.fb_h, 1));
      app.camera.pan(float(dx) * scale, float(-dy) * scale);
    } else {
      app.camera.orbit(float(dx) * 0.008f, float(dy) * 0.008f);
    }
  }
  if (app.scroll != 0 && !io.WantCaptureMouse) app.camera.zoom(std::pow(1.1f, -app.scroll));
  app.scroll = 0;
}

void main_loop() {
  if (app.device_lost) return;   // nothing to draw with until web/pre.js hands over a new device
  double now = emscripten_get_now();
  if (app.last_time > 0) app.frame_ms = now - app.last_time;
  app.last_time = now;
  if (app.fps_window_start == 0) app.fps_window_start = now;
  if (now - app.fps_window_start > 500) {
    app.fps = app.fps_window_frames * 1000.0 / (now - app.fps_window_start);
    app.fps_window_start = now;
    app.fps_window_frames = 0;
  }
  resize_if_needed();
  ImGui_ImplGlfw_NewFrame();
  ImGuiIO& io = ImGui::GetIO();
  float css_w = app.fb_w / app.dpr, css_h = app.fb_h / app.dpr;
  // The canvas is sized in device pixels by us; Emscripten's GLFW reports the cursor in canvas
  // (device) pixels, ImGui works in CSS pixels.
  io.MousePos = ImVec2(io.MousePos.x / app.dpr, io.MousePos.y / app.dpr);
  io.DisplaySize = ImVec2(css_w, css_h);
  io.DisplayFramebufferScale = ImVec2(app.dpr, app.dpr);
  ImGui::NewFrame();
  draw_ui();
  handle_shortcuts();
  ImGui::Render();
  handle_camera_input();
  if (app.spin) app.camera.orbit(0.01f, 0.0f);
  if (folding_movie_advance(app.movie, app.frame_ms)) app.scene_dirty = true;
  double t_ui = emscripten_get_now();
  // Big scenes are built in slices: ~8 ms per frame at 60 Hz; when frames come slower (a software
  // rasteriser drawing the old scene) a third of the interval, at most 30 ms, so the build does
  // not stretch over seconds while the page never holds a task much longer.
  advance_scene_build(std::clamp(app.frame_ms / 3.0, 8.0, 30.0));
  if (scene_build.active) js_build_between_frames();
  double t_build = emscripten_get_now();
  update_highlight();
  double t_highlight = emscripten_get_now();

  sphere_renderer_set_uniforms(app.spheres, make_uniforms(app.fb_w, app.fb_h));
  sphere_renderer_set_uniforms(app.highlight, make_uniforms(app.fb_w, app.fb_h));
  mesh_renderer_set_view(app.meshes, app.camera.view());
  WGPUTextureView back = wgpuSwapChainGetCurrentTextureView(app.swap_chain);
  WGPUCommandEncoder enc = wgpuDeviceCreateCommandEncoder(app.device, nullptr);
  if (app.quality.any()) post_targets_ensure(app.post_targets, app.post, app.fb_w, app.fb_h);
  encode_scene(enc, back, app.depth_view, true, false, &app.post_targets);
  WGPUCommandBuffer cmd = wgpuCommandEncoderFinish(enc, nullptr);
  wgpuQueueSubmit(wgpuDeviceGetQueue(app.device), 1, &cmd);
  wgpuCommandBufferRelease(cmd);
  wgpuCommandEncoderRelease(enc);
  wgpuTextureViewRelease(back);
  app.frames += 1;
  app.fps_window_frames += 1;
  double t_end = emscripten_get_now();
  app.frame_work_max_ms = std::max(app.frame_work_max_ms, t_end - now);
  const double parts[4] = {t_ui - now, t_build - t_ui, t_highlight - t_build, t_end - t_highlight};
  for (int k = 0; k < 4; ++k) app.frame_part_max_ms[k] = std::max(app.frame_part_max_ms[k], parts[k]);
}

void on_scroll(GLFWwindow*, double, double dy) { app.scroll += float(dy > 0 ? 1 : dy < 0 ? -1 : 0); }

// ---- offscreen capture ----
struct Capture {
  bool pick;   // id buffer (R32Uint) instead of colour
  int id, w, h;   // id < 0: the app's own hover pick (one texel)
  uint32_t bytes_per_row;
  WGPUTexture color, depth;
  WGPUBuffer readback;
  PostTargets post;   // the image-quality pass's images at the capture size
};

// Global atom id → (structure, residue) for the 3D hover.
void set_hover_atom(int atom) {
  app.hover_pick_in_flight = false;
  app.hover_atom = atom;
  app.hover3d.clear();
  if (atom < 0) return;
  size_t a = size_t(atom);
  for (size_t si = 0; si < app.structures.size(); ++si) {
    const Structure& s = app.structures[si]->s;
    if (a < s.atom_count()) {
      app.hover3d.structure = int(si);
      app.hover3d.residue = int(s.atom_residue[a]);
      app.hover3d.source = HoverSource::View3D;
      return;
    }
    a -= s.atom_count();
  }
}

void on_capture_mapped(WGPUBufferMapAsyncStatus status, void* user) {
  std::unique_ptr<Capture> c(static_cast<Capture*>(user));
  if (status == WGPUBufferMapAsyncStatus_Success) {
    const void* data = wgpuBufferGetConstMappedRange(c->readback, 0, size_t(c->bytes_per_row) * c->h);
    std::vector<uint8_t> copy(static_cast<const uint8_t*>(data), static_cast<const uint8_t*>(data) + size_t(c->bytes_per_row) * c->h);
    wgpuBufferUnmap(c->readback);
    bool bgra = app.format == WGPUTextureFormat_BGRA8Unorm;
    if (c->id < 0) {
      uint32_t v = 0;
      std::memcpy(&v, copy.data(), 4);
      set_hover_atom(int(v) - 1);
    } else if (c->pick)
      EM_ASM({ Module.onPickDone($0, $1, $2, $3, $4); }, c->id, copy.data(), c->w, c->h, c->bytes_per_row);
    else
      EM_ASM({ Module.onCaptureDone($0, $1, $2, $3, $4, $5); }, c->id, copy.data(), c->w, c->h, c->bytes_per_row, bgra);
  } else if (c->id < 0) {
    set_hover_atom(-1);
  } else if (c->pick) {
    EM_ASM({ Module.onPickDone($0, 0, 0, 0, 0); }, c->id);
  } else {
    EM_ASM({ Module.onCaptureDone($0, 0, 0, 0, 0, 0); }, c->id);
  }
  wgpuBufferDestroy(c->readback), wgpuBufferRelease(c->readback);
  wgpuTextureDestroy(c->color), wgpuTextureRelease(c->color);
  wgpuTextureDestroy(c->depth), wgpuTextureRelease(c->depth);
  post_targets_release(c->post);
}

}  // namespace

extern "C" {

namespace {
// A JSON string literal of t (control characters dropped).
std::string json_quote(const std::string& t) {
  std::string q = "\"";
  for (char c : t) {
    if (c == '"' || c == '\\') q += '\\';
    if (static_cast<unsigned char>(c) >= 0x20) q += c;
  }
  return q + "\"";
}

constexpr double kHeapBudget = 3.5e9;   // of the 4 GB wasm heap (MAXIMUM_MEMORY), leaving room to draw

// A parsed, annotated structure joins the scene: default representations, camera framing.
int add_loaded_structure(std::unique_ptr<LoadedStructure> ls) {
  ls->reps = reps_for_style(*ls, app.style);
  for (auto& r : ls->reps) resolve_selection(ls->s, r);
  app.structures.push_back(std::move(ls));
  app.scene_dirty = true;
  frame_all();
  return int(app.structures.size() - 1);
}
int load_failed(const char* name, const std::string& why) {
  app.last_error = why;
  app.ui_error = std::string("Could not open ") + name + ": " + why;
  return -1;
}
}  // namespace

// Parses and annotates on this thread (small files, predictions, and when no worker is available).
EMSCRIPTEN_KEEPALIVE int fs_load(const uint8_t* data, int size, const char* name) {
  auto ls = std::make_unique<LoadedStructure>();
  ParseError err;
  if (!read_structure(data, size_t(size), name, Format::Auto, ls->s, &err))
    return load_failed(name, err.line > 0 ? "line " + std::to_string(err.line) + ": " + err.message : err.message);
  // Annotate once, so every representation and panel reads the same model.
  compute_bonds(ls->s);
  if (!ls->s.has_ss) assign_secondary_structure(ls->s);
  return add_loaded_structure(std::move(ls));
}

// A structure parsed and annotated by the load worker (web/load_worker.js), as a blob.
EMSCRIPTEN_KEEPALIVE int fs_load_blob(const uint8_t* data, int size, const char* name) {
  // Memory budget: the wasm heap ends at 4 GB and running out aborts the page. The structure
  // takes about the blob's size, its geometry (slices, then GPU upload copies) up to ~3× more.
  const double used = double(mallinfo().uordblks), need = 4.0 * double(size);
  if (used + need > kHeapBudget) {
    char msg[256];
    std::snprintf(msg, sizeof msg,
                  "not enough memory in this tab: it would need about %.0f MB more (%.0f MB in use, %.0f MB at most); "
                  "close other structures or open a smaller file",
                  need / 1e6, used / 1e6, kHeapBudget / 1e6);
    return load_failed(name, msg);
  }
  auto ls = std::make_unique<LoadedStructure>();
  std::string err;
  if (!decode_structure_blob(data, size_t(size), ls->s, &err)) return load_failed(name, err);
  return add_loaded_structure(std::move(ls));
}

// Load progress (from web/foldsight_api.js while the worker parses): stage "" ends it.
EMSCRIPTEN_KEEPALIVE void fs_load_progress(const char* name, const char* stage, double fraction) {
  app.loading.name = name, app.loading.stage = stage, app.loading.fraction = float(fraction);
  app.loading.active = *stage != 0;
}

// window.foldsight.setRepresentation(kind, {selection, color, opacity, add}): on every loaded
// structure, replaces the representations with this one (or adds it when `add`). Returns 0, or -1
// with fs_last_error set (unknown kind or colour, bad selection or opacity); nothing changes on error.
EMSCRIPTEN_KEEPALIVE int fs_set_representation(const char* kind, const char* selection, const char* color, int add,
                                               double opacity) {
  RepresentationSpec r;
  if (!(opacity >= 0.0 && opacity <= 1.0)) {
    app.last_error = "opacity must be a number from 0 to 1";
    return -1;
  }
  r.opacity = float(opacity);
  if (!rep_kind_from_name(kind, &r.kind)) {
    app.last_error = std::string("unknown representation '") + kind +
                     "' (cartoon, trace, ball-and-stick, lines, spacefill, surface)";
    return -1;
  }
  r.selection = selection && *selection ? selection : "all";
  if (color && *color) {
    bool found = false;
    for (int k = 0; k <= int(ColorScheme::Uniform); ++k)
      if (std::strcmp(color_scheme_name(ColorScheme(k)), color) == 0) r.color = ColorScheme(k), found = true;
    if (!found) {
      app.last_error = std::string("unknown colour scheme '") + color + "'";
      return -1;
    }
  } else {
    r.color = app.coloring;
  }
  std::vector<RepresentationSpec> resolved;
  for (auto& ls : app.structures) {
    RepresentationSpec one = r;
    if (!resolve_selection(ls->s, one)) {
      app.last_error = one.error;
      return -1;
    }
    resolved.push_back(std::move(one));
  }
  for (size_t i = 0; i < app.structures.size(); ++i) {
    if (!add) app.structures[i]->reps.clear();
    app.structures[i]->reps.push_back(std::move(resolved[i]));
  }
  app.scene_dirty = true;
  return 0;
}

EMSCRIPTEN_KEEPALIVE const char* fs_last_error() { return app.last_error.c_str(); }

EMSCRIPTEN_KEEPALIVE int fs_structure_count_of(int index, int what) {
  if (index < 0 || index >= int(app.structures.size())) return 0;
  const Structure& s = app.structures[index]->s;
  return int(what == 0 ? s.atom_count() : what == 1 ? s.residue_count() : s.chain_count());
}

// One between-frames step of the scene build (js_build_between_frames); 1 while more remains.
EMSCRIPTEN_KEEPALIVE int fs_build_step(double budget_ms) {
  if (app.device_lost || !scene_build.active) return 0;
  advance_scene_build(budget_ms);
  return scene_build.active ? 1 : 0;
}

EMSCRIPTEN_KEEPALIVE double fs_stat(int what) {
  double atoms = 0, residues = 0, chains = 0;
  for (auto& ls : app.structures)
    atoms += ls->s.atom_count(), residues += ls->s.residue_count(), chains += ls->s.chain_count();
  switch (what) {
    case 0: return atoms;
    case 1: return residues;
    case 2: return chains;
    case 3: return app.fps;
    case 4: return app.frame_ms;
    case 5: return app.frames;
    case 6: return double(app.structures.size());
    case 7: return app.movie.frame_count;
    case 8: return app.movie.current;
    case 9: return app.movie.frames_shown;
    case 10: return app.movie.playing ? 1 : 0;
    case 11: return last_build_total_ms;         // last scene build, first slice to upload
    case 12: return last_build_upload_ms;        // of which GPU upload
    case 13: return last_build_longest_slice_ms; // longest single slice
    case 14: return scene_build.active || app.scene_dirty ? 1 : 0;
    case 15: return app.device_restores;
    case 16: return app.device_lost ? 1 : 0;
    case 17: {   // the frame's own work (UI, scene building, command encoding), read and reset
      double v = app.frame_work_max_ms;
      app.frame_work_max_ms = 0;
      return v;
    }
    case 18: case 19: case 20: case 21: {   // its parts: UI, scene build, highlight, GPU encoding
      double v = app.frame_part_max_ms[what - 18];
      app.frame_part_max_ms[what - 18] = 0;
      return v;
    }
  }
  return 0;
}

EMSCRIPTEN_KEEPALIVE void fs_rotate(double degrees) { app.camera.orbit(float(degrees * M_PI / 180.0), 0.0f); }

// Touch gestures arrive from JS (web/foldsight_api.js): one finger orbits, two fingers pinch-zoom and pan.
EMSCRIPTEN_KEEPALIVE void fs_touch_orbit(double dx_css, double dy_css) {
  app.camera.orbit(float(dx_css) * 0.008f, float(dy_css) * 0.008f);
}
EMSCRIPTEN_KEEPALIVE void fs_touch_zoom_pan(double factor, double dx_css, double dy_css) {
  if (factor > 0) app.camera.zoom(float(1.0 / factor));
  float scale = 2.0f * app.camera.distance * std::tan(app.camera.fov_y * 0.5f) / float(std::max(app.fb_h, 1)) * app.dpr;
  app.camera.pan(float(dx_css) * scale, float(-dy_css) * scale);
}

EMSCRIPTEN_KEEPALIVE int fs_remove(int index) {
  if (index < 0) index += int(app.structures.size());
  return remove_structure(index) ? 0 : -1;
}
// Bytes the allocator has handed out (the wasm heap itself never shrinks): for soak tests.
EMSCRIPTEN_KEEPALIVE double fs_heap_in_use() { return double(mallinfo().uordblks); }

EMSCRIPTEN_KEEPALIVE void fs_clear() {
  app.structures.clear();
  app.predict.result_index = -1;
  app.movie = FoldingMovie{};
  app.selection.clear();
  app.measure.list = MeasurementList{};
  app.hover3d.clear(), app.hover.clear();
  app.chain_visible.clear();
  app.scene_dirty = true;
}

// Text of loaded structure `index` (-1 = most recent) as PDB (format 0) or mmCIF (format 1).
EMSCRIPTEN_KEEPALIVE const char* fs_export(int index, int format) {
  if (index < 0) index += int(app.structures.size());
  if (index < 0 || index >= int(app.structures.size())) {
    app.last_error = "no structure at index " + std::to_string(index);
    return nullptr;
  }
  const Structure& s = app.structures[index]->s;
  app.export_buffer = format == 1 ? write_mmcif(s) : write_pdb(s);
  return app.export_buffer.c_str();
}

EMSCRIPTEN_KEEPALIVE void fs_show_error(const char* message) { app.ui_error = message; }
// The message in the error panel ("" when none is shown).
EMSCRIPTEN_KEEPALIVE const char* fs_ui_error() { return app.ui_error.c_str(); }

// WebGPU device loss (web/pre.js): drawing stops until the replacement device arrives; then
// every GPU resource is created again on it and the same scene is rebuilt from the data model.
EMSCRIPTEN_KEEPALIVE void fs_device_lost() { app.device_lost = true; }
EMSCRIPTEN_KEEPALIVE void fs_device_restored() {
  app.device = emscripten_webgpu_get_device();
  app.swap_chain = nullptr, app.depth = nullptr, app.depth_view = nullptr;   // owned by the lost device
  app.fb_w = app.fb_h = 0;
  app.spheres = SphereRenderer{}, app.meshes = MeshRenderer{}, app.highlight = SphereRenderer{};
  app.post = PostProcess{}, app.post_targets = PostTargets{};
  imgui_wgpu_init(app.device, app.format, kDepthFormat);
  sphere_renderer_init(app.spheres, app.device, app.format);
  mesh_renderer_init(app.meshes, app.device, app.format, app.spheres.uniforms);
  sphere_renderer_init(app.highlight, app.device, app.format);
  post_process_init(app.post, app.device, app.format, kDepthFormat);
  resize_if_needed();
  scene_build = SceneBuild{};
  app.scene_dirty = true;
  app.shown_hover.structure = -2, app.shown_selection.clear();   // re-upload the highlight layer
  app.shown_selection.insert({-1, -1});
  app.hover_pick_in_flight = false;
  app.device_lost = false;
  app.device_restores++;
}

// The recent-files list of the Open window (kept by web/recent_files.js in IndexedDB).
EMSCRIPTEN_KEEPALIVE void fs_recent_clear() { app.open_panel.recent.clear(); }
EMSCRIPTEN_KEEPALIVE void fs_recent_add(int id, const char* name, double size, const char* when) {
  app.open_panel.recent.push_back({id, name, size, when});
}
EMSCRIPTEN_KEEPALIVE void fs_set_version(const char* version) { app.version = version; }

// ---- session extras for share links: representations, selection, measurements ----
// JSON: {"reps":[[{"kind","selection","color","visible"}, ...] per structure],
//        "selection":[[structure, residue], ...], "measurements":[{"kind", "atoms":[[s, a], ...]}]}
EMSCRIPTEN_KEEPALIVE const char* fs_session_extras() {
  auto quote = json_quote;
  std::string j = "{\"reps\":[";
  for (size_t i = 0; i < app.structures.size(); ++i) {
    j += i ? ",[" : "[";
    const auto& reps = app.structures[i]->reps;
    for (size_t k = 0; k < reps.size(); ++k) {
      j += (k ? ",{\"kind\":" : "{\"kind\":") + quote(rep_kind_name(reps[k].kind)) + ",\"selection\":" + quote(reps[k].selection) +
           ",\"color\":" + quote(color_scheme_name(reps[k].color)) + ",\"visible\":" + (reps[k].visible ? "true" : "false") +
           ",\"opacity\":" + std::to_string(std::round(reps[k].opacity * 1000.0f) / 1000.0f) + "}";
    }
    j += "]";
  }
  j += "],\"selection\":[";
  bool first = true;
  for (const auto& sr : app.selection.residues) {
    j += (first ? "[" : ",[") + std::to_string(sr.first) + "," + std::to_string(sr.second) + "]";
    first = false;
  }
  j += "],\"measurements\":[";
  for (size_t k = 0; k < app.measure.list.items.size(); ++k) {
    const Measurement& m = app.measure.list.items[k];
    j += (k ? ",{\"kind\":" : "{\"kind\":") + quote(measure_kind_name(m.kind)) + ",\"value\":" + std::to_string(m.value) +
         ",\"atoms\":[";
    for (int a = 0; a < atoms_needed(m.kind); ++a)
      j += (a ? ",[" : "[") + std::to_string(m.atoms[size_t(a)].structure) + "," + std::to_string(m.atoms[size_t(a)].atom) + "]";
    j += "]}";
  }
  app.export_buffer = j + "]}";
  return app.export_buffer.c_str();
}

// Replaces structure `index`'s representations by one (first = 1) or adds one; 0 or -1 on error.
EMSCRIPTEN_KEEPALIVE int fs_structure_add_rep(int index, const char* kind, const char* selection, const char* color,
                                              int visible, int first, double opacity) {
  if (index < 0 || index >= int(app.structures.size())) return -1;
  RepresentationSpec r;
  if (!rep_kind_from_name(kind, &r.kind)) return -1;
  r.selection = selection;
  for (int k = 0; k <= int(ColorScheme::Uniform); ++k)
    if (std::strcmp(color_scheme_name(ColorScheme(k)), color) == 0) r.color = ColorScheme(k);
  r.visible = visible != 0;
  r.opacity = opacity >= 0.0 && opacity <= 1.0 ? float(opacity) : 1.0f;
  if (!resolve_selection(app.structures[size_t(index)]->s, r)) return -1;
  auto& reps = app.structures[size_t(index)]->reps;
  if (first) reps.clear();
  reps.push_back(std::move(r));
  app.scene_dirty = true;
  return 0;
}

EMSCRIPTEN_KEEPALIVE void fs_select_residue(int structure, int residue) {
  if (structure >= 0 && structure < int(app.structures.size()) && residue >= 0 &&
      size_t(residue) < app.structures[size_t(structure)]->s.residue_count())
    app.selection.residues.insert({structure, residue});
}

// Adds a finished measurement of `n` atoms (2 distance, 3 angle, 4 dihedral) from (structure, atom) pairs.
EMSCRIPTEN_KEEPALIVE int fs_add_measurement(int n, const int* pairs) {
  if (n < 2 || n > 4) return -1;
  std::vector<const Structure*> ptrs;
  for (auto& ls : app.structures) ptrs.push_back(&ls->s);
  measurement_set_mode(app.measure.list, MeasureKind(n));
  bool done = false;
  for (int k = 0; k < n; ++k) done = measurement_add_pick(app.measure.list, ptrs, pairs[2 * k], uint32_t(pairs[2 * k + 1]));
  return done ? 0 : -1;
}

// One-letter sequence of the first protein chain of structure `index` (first model), "" if none.
EMSCRIPTEN_KEEPALIVE const char* fs_sequence_of(int index) {
  app.export_buffer.clear();
  if (index < 0) index += int(app.structures.size());
  if (index < 0 || index >= int(app.structures.size())) return app.export_buffer.c_str();
  const Structure& s = app.structures[size_t(index)]->s;
  for (size_t c = 0; c < s.chain_count() && app.export_buffer.empty(); ++c) {
    if (s.chain_model[c] != 0) break;
    CaTrace t = ca_trace(s, c);
    if (t.size() >= 2) app.export_buffer = t.sequence;
  }
  return app.export_buffer.c_str();
}

// Design self-consistency: TM-score / RMSD of the prediction `model` against the design
// `native` (TMscore's definition, normalised by the design), and the prediction moved onto the
// design. Residues pair by number when the two share numbering, else by sequence alignment.
EMSCRIPTEN_KEEPALIVE const char* fs_design_check(int model, int native) {
  int n = int(app.structures.size());
  if (model < 0) model += n;
  if (native < 0) native += n;
  app.export_buffer = "null";
  if (model < 0 || native < 0 || model >= n || native >= n || model == native) return app.export_buffer.c_str();
  Structure& ms = app.structures[size_t(model)]->s;
  const Structure& ns = app.structures[size_t(native)]->s;
  CaTrace a = ca_trace(ms, 0), b;
  for (size_t c = 0; c < ns.chain_count() && b.size() < 2; ++c) b = ca_trace(ns, c);
  if (a.size() < 3 || b.size() < 3) return app.export_buffer.c_str();
  ResiduePairing pairs = pair_by_residue_number(a, b);
  if (pairs.size() < std::min(a.size(), b.size()) / 2) pairs = pair_by_sequence(a.sequence, b.sequence);
  TmScoreResult r = tm_score(a, b, pairs);
  for (size_t i = 0; i < ms.atom_count(); ++i) {
    Vec3d p = r.transform.apply({ms.x[i], ms.y[i], ms.z[i]});
    ms.x[i] = float(p[0]), ms.y[i] = float(p[1]), ms.z[i] = float(p[2]);
  }
  app.movie = FoldingMovie{};   // the movie's frames are in the old frame of reference
  app.scene_dirty = true;
  // Per design residue: Cα deviation of the superposed prediction (-1 where unpaired).
  app.predict.design_deviation.assign(b.size(), -1.0f);
  app.predict.design_seq_ids = b.seq_id;
  for (size_t k = 0; k < pairs.size(); ++k) {
    Vec3d p = r.transform.apply(a.xyz[pairs.a[k]]);
    const Vec3d& q = b.xyz[pairs.b[k]];
    app.predict.design_deviation[pairs.b[k]] =
        float(std::sqrt((p[0] - q[0]) * (p[0] - q[0]) + (p[1] - q[1]) * (p[1] - q[1]) + (p[2] - q[2]) * (p[2] - q[2])));
  }
  char buf[256];
  std::snprintf(buf, sizeof buf, "{\"tm_score\":%.5f,\"rmsd\":%.4f,\"aligned\":%zu,\"design_length\":%zu,\"deviation\":[",
                r.tm_score, r.rmsd, r.aligned, b.size());
  app.export_buffer = buf;
  for (size_t k = 0; k < b.size(); ++k) {
    std::snprintf(buf, sizeof buf, "%s{\"residue\":%d,\"ca_deviation\":%s}", k ? "," : "", b.seq_id[k],
                  app.predict.design_deviation[k] < 0 ? "null" : std::to_string(app.predict.design_deviation[k]).c_str());
    app.export_buffer += buf;
  }
  app.export_buffer += "]}";
  std::snprintf(buf, sizeof buf, "Prediction vs design %s: TM-score %.3f, RMSD %.2f A over %zu residues", ns.name.c_str(),
                r.tm_score, r.rmsd, r.aligned);
  app.predict.design_report = buf;
  app.predict.design_index = native;
  return app.export_buffer.c_str();
}

// window.foldsight.superpose: mode 1 = by structure, 0 = by sequence. JSON result (see
// ChainSuperposition) or {"error": ...}.
EMSCRIPTEN_KEEPALIVE const char* fs_superpose(int mobile, int target, int mobile_chain, int target_chain, int mode) {
  int n = int(app.structures.size());
  if (mobile < 0) mobile += n;
  if (target < 0) target += n;
  const ChainSuperposition& r =
      run_superpose(mobile, target, mobile_chain, target_chain, mode ? SuperposeMode::Structure : SuperposeMode::Sequence);
  auto quote = json_quote;
  if (!r.ok) return (app.export_buffer = "{\"error\":" + quote(r.error) + "}").c_str();
  char buf[512];
  std::snprintf(buf, sizeof buf,
                "{\"tm_score\":%.5f,\"tm_score_mobile\":%.5f,\"rmsd\":%.4f,\"aligned\":%zu,\"seq_identity\":%.4f,"
                "\"mobile_length\":%zu,\"target_length\":%zu,",
                r.tm_score, r.tm_score_mobile, r.rmsd, r.aligned, r.seq_identity, r.mobile_length, r.target_length);
  app.export_buffer = std::string(buf) + "\"alignment_mobile\":" + quote(r.aligned_mobile) +
                      ",\"alignment_target\":" + quote(r.aligned_target) + "}";
  return app.export_buffer.c_str();
}

// window.foldsight.mutate: the mutated sequence to predict (the result will morph from this
// structure), or "" with fs_last_error set.
EMSCRIPTEN_KEEPALIVE const char* fs_mutate(int structure, int residue, int to) {
  std::string err;
  app.export_buffer = request_mutation(structure, residue, char(to), &err);
  if (app.export_buffer.empty()) app.last_error = err;
  return app.export_buffer.c_str();
}

// A dropped FASTA file: its text goes into the predict panel (first record, as typed).
EMSCRIPTEN_KEEPALIVE void fs_set_predict_sequence(const char* text) {
  std::snprintf(app.predict.sequence, sizeof app.predict.sequence, "%s", text);
}

// ---- prediction (driven by web/foldsight_api.js and its worker) ----
EMSCRIPTEN_KEEPALIVE void fs_predict_templates_clear() { app.predict.templates.clear(); }
EMSCRIPTEN_KEEPALIVE void fs_predict_template_add(const char* id, double identity, double coverage, double evalue,
                                                  int confident) {
  app.predict.templates.push_back({id, identity, coverage, evalue, confident != 0});
}
EMSCRIPTEN_KEEPALIVE int fs_predict_result_index() { return app.predict.result_index; }
EMSCRIPTEN_KEEPALIVE const char* fs_structure_name(int index) {
  if (index < 0) index += int(app.structures.size());
  return index >= 0 && index < int(app.structures.size()) ? app.structures[size_t(index)]->s.name.c_str() : "";
}
EMSCRIPTEN_KEEPALIVE void fs_rename_structure(int index, const char* name) {
  if (index >= 0 && index < int(app.structures.size())) app.structures[size_t(index)]->s.name = name;
}
EMSCRIPTEN_KEEPALIVE void fs_predict_started() {
  app.predict.running = true, app.predict.error.clear(), app.predict.stage = "starting", app.predict.fraction = 0;
}
EMSCRIPTEN_KEEPALIVE void fs_predict_progress(const char* stage, double fraction) {
  app.predict.stage = stage, app.predict.fraction = float(fraction);
}
EMSCRIPTEN_KEEPALIVE void fs_predict_failed(const char* message) {
  app.predict.running = false;
  app.predict.morph_from = -1;
  app.predict.error = message;
}
// The finished model (PDB text) and the movie frames (frame_count × L × 3 Cα). Returns the
// structure index, or -1 with fs_last_error set.
EMSCRIPTEN_KEEPALIVE int fs_predict_done(const uint8_t* pdb, int size, const char* name, const float* frames,
                                         int frame_count, int length, const char* summary_json) {
  app.predict.running = false;
  int idx = fs_load(pdb, size, name);
  if (idx < 0) {
    app.predict.error = app.last_error;
    return -1;
  }
  app.structures[idx]->predicted = true;
  app.structures[idx]->reps = reps_for_style(*app.structures[idx], app.style);
  for (auto& r : app.structures[idx]->reps) resolve_selection(app.structures[idx]->s, r);
  app.predict.result_index = idx;
  const Structure& s = app.structures[idx]->s;
  FoldingMovie m;
  m.sequence.reserve(size_t(length));
  for (size_t r = 0; r < s.residue_count() && int(m.sequence.size()) < length; ++r) m.sequence.push_back(one_letter_code(s.res_name[r]));
  if (frame_count > 0 && int(m.sequence.size()) == length) {
    m.frames.assign(frames, frames + size_t(frame_count) * length * 3);
    m.frame_count = frame_count;
    m.playing = true;   // the movie starts by itself: that is what students came to see
  }
  // After "mutate residue": the old model morphs into the new one instead of the folding run.
  const int from = app.predict.morph_from;
  app.predict.morph_from = -1;
  if (from >= 0 && from < idx) {
    CaTrace a = ca_trace(app.structures[size_t(from)]->s, size_t(app.predict.morph_chain)), b = ca_trace(s, 0);
    if (a.size() == b.size() && b.sequence == m.sequence) {
      m = morph_movie(b.sequence, a.xyz, b.xyz);
      app.structures[size_t(from)]->visible = false;   // the new model takes its place
    }
  }
  app.movie = std::move(m);
  // Summary for the panel (the JSON is small and flat; pull out the figures we show).
  auto num = [&](const char* key) {
    const char* k = std::strstr(summary_json, key);
    return k ? std::atof(k + std::strlen(key) + 1) : 0.0;  // skip the colon
  };
  char line[256];
  std::snprintf(line, sizeof line, "%zu residues in %.1f s, mean confidence %.0f, predicted TM %.2f",
                s.residue_count(), num("\"seconds\""), num("\"meanConfidence\""), num("\"predictedTm\""));
  app.predict.summary = line;
  app.scene_dirty = true;
  return idx;
}

EMSCRIPTEN_KEEPALIVE int fs_ui_item_rect(const char* label, float* out) {
  auto it = app.item_rects.find(label);
  if (it == app.item_rects.end()) return 0;
  out[0] = it->second.x, out[1] = it->second.y, out[2] = it->second.z, out[3] = it->second.w;
  return 1;
}

}  // extern "C"

namespace {
// Renders the scene offscreen at w×h and reads back the region (rx, ry, rw, rh) — all of it
// when rw == 0 — as colour or, with pick, as atom ids.
int render_offscreen(int id, int w, int h, bool pick, int rx, int ry, int rw, int rh) {
  if (w < 1 || h < 1 || w > 4096 || h > 4096 || app.device_lost) return 0;
  if (rw <= 0 || rh <= 0) rx = 0, ry = 0, rw = w, rh = h;
  if (rx < 0 || ry < 0 || rx + rw > w || ry + rh > h) return 0;
  if (app.scene_dirty || scene_build.active) {
    if (id < 0) return 0;   // the hover pick waits for the scene being built
    rebuild_scene();
  }
  auto* c = new Capture{pick, id, rw, rh, uint32_t((rw * 4 + 255) / 256 * 256), nullptr, nullptr, nullptr, {}};
  WGPUTextureFormat fmt = pick ? kPickFormat : app.format;
  c->color = create_texture_2d(app.device, w, h, fmt, WGPUTextureUsage_RenderAttachment | WGPUTextureUsage_CopySrc);
  WGPUTextureView color_view = create_view_2d(c->color, fmt);
  WGPUTextureView depth_view = make_depth(w, h, &c->depth);
  WGPUBufferDescriptor bd{};
  bd.size = uint64_t(c->bytes_per_row) * rh;
  bd.usage = WGPUBufferUsage_CopyDst | WGPUBufferUsage_MapRead;
  c->readback = wgpuDeviceCreateBuffer(app.device, &bd);

  // The offscreen frame uses its own aspect ratio; the on-screen uniforms are restored by the next frame.
  sphere_renderer_set_uniforms(app.spheres, make_uniforms(w, h));
  sphere_renderer_set_uniforms(app.highlight, make_uniforms(w, h));
  mesh_renderer_set_view(app.meshes, app.camera.view());
  WGPUCommandEncoder enc = wgpuDeviceCreateCommandEncoder(app.device, nullptr);
  if (!pick && app.quality.any()) post_targets_ensure(c->post, app.post, w, h);
  encode_scene(enc, color_view, depth_view, false, pick, &c->post);
  WGPUImageCopyTexture src{};
  src.texture = c->color;
  src.aspect = WGPUTextureAspect_All;
  src.origin = {uint32_t(rx), uint32_t(ry), 0};
  WGPUImageCopyBuffer dst{};
  dst.buffer = c->readback;
  dst.layout.bytesPerRow = c->bytes_per_row;
  dst.layout.rowsPerImage = uint32_t(rh);
  WGPUExtent3D size = {uint32_t(rw), uint32_t(rh), 1};
  wgpuCommandEncoderCopyTextureToBuffer(enc, &src, &dst, &size);
  WGPUCommandBuffer cmd = wgpuCommandEncoderFinish(enc, nullptr);
  wgpuQueueSubmit(wgpuDeviceGetQueue(app.device), 1, &cmd);
  wgpuCommandBufferRelease(cmd);
  wgpuCommandEncoderRelease(enc);
  wgpuTextureViewRelease(color_view);
  wgpuTextureViewRelease(depth_view);
  wgpuBufferMapAsync(c->readback, WGPUMapMode_Read, 0, size_t(bd.size), on_capture_mapped, c);
  return 1;
}

}  // namespace

extern "C" {

// Renders the scene (without UI) offscreen at w×h and reads it back; JS gets the pixels
// through Module.onCaptureDone(id, ...).
EMSCRIPTEN_KEEPALIVE int fs_capture(int id, int w, int h) { return render_offscreen(id, w, h, false); }

// Picking: renders the id buffer at the canvas size; JS gets it through Module.onPickDone and
// answers any number of screen points from it (one GPU round trip per camera change).
EMSCRIPTEN_KEEPALIVE int fs_pick_render(int id) { return render_offscreen(id, app.fb_w, app.fb_h, true); }

// Describes global atom id `atom` (as written to the pick buffer, minus one) as JSON.
EMSCRIPTEN_KEEPALIVE int fs_atom_total() {
  size_t n = 0;
  for (auto& ls : app.structures) n += ls->s.atom_count();
  return int(n);
}

EMSCRIPTEN_KEEPALIVE const char* fs_atom_info(int atom) {
  app.export_buffer = "null";
  if (atom < 0) return app.export_buffer.c_str();
  size_t a = size_t(atom);
  for (size_t si = 0; si < app.structures.size(); ++si) {
    const Structure& s = app.structures[si]->s;
    if (a >= s.atom_count()) {
      a -= s.atom_count();
      continue;
    }
    uint32_t r = s.atom_residue[a], c = s.res_chain[r];
    char buf[512];
    std::snprintf(buf, sizeof buf,
                  "{\"structure\":%zu,\"atom\":%zu,\"name\":\"%s\",\"element\":\"%s\",\"residue\":\"%s\","
                  "\"seq_id\":%d,\"ins_code\":\"%c\",\"chain\":\"%s\",\"ss\":\"%c\",\"vdw\":%.3f,"
                  "\"x\":%.4f,\"y\":%.4f,\"z\":%.4f}",
                  si, a, s.atom_name[a].data(), element_symbol(s.element[a]), s.res_name[r].data(), s.seq_id[r],
                  s.ins_code[r] == ' ' ? ' ' : s.ins_code[r], s.chain_auth[c].c_str(), s.ss[r], vdw_radius(s.element[a]),
                  s.x[a], s.y[a], s.z[a]);
    app.export_buffer = buf;
    break;
  }
  return app.export_buffer.c_str();
}

// View state for share links: camera (rot 9, target 3, distance, radius), style and colour,
// as 16 numbers; fs_set_view_state restores it. JS serialises them (web/share.mjs).
EMSCRIPTEN_KEEPALIVE void fs_view_state(float* out) {
  std::memcpy(out, app.camera.rot, 9 * sizeof(float));
  std::memcpy(out + 9, app.camera.target, 3 * sizeof(float));
  out[12] = app.camera.distance, out[13] = app.camera.radius;
  out[14] = float(app.style), out[15] = float(int(app.coloring));
}
EMSCRIPTEN_KEEPALIVE void fs_set_view_state(const float* in) {
  std::memcpy(app.camera.rot, in, 9 * sizeof(float));
  std::memcpy(app.camera.target, in + 9, 3 * sizeof(float));
  app.camera.distance = in[12], app.camera.radius = in[13];
  int style = int(in[14]), color = int(in[15]);
  if (color >= 0 && color <= int(ColorScheme::Uniform)) app.coloring = ColorScheme(color);
  if (style >= 0 && style < int(sizeof(kStyles) / sizeof(kStyles[0]))) apply_style(style);
}

// Image quality toggles as bits: 1 SSAO, 2 outlines, 4 antialiasing.
EMSCRIPTEN_KEEPALIVE int fs_image_quality() {
  return (app.quality.ssao ? 1 : 0) | (app.quality.outlines ? 2 : 0) | (app.quality.antialias ? 4 : 0);
}
EMSCRIPTEN_KEEPALIVE void fs_set_image_quality(int bits) {
  app.quality.ssao = bits & 1, app.quality.outlines = bits & 2, app.quality.antialias = bits & 4;
}

// Camera for tests and embedders: view (16) and projection (16) column-major, then the
// framebuffer width, height and device pixel ratio.
EMSCRIPTEN_KEEPALIVE void fs_camera(float* out) {
  FrameUniforms u = make_uniforms(app.fb_w, app.fb_h);
  std::memcpy(out, &u.view, 16 * sizeof(float));
  std::memcpy(out + 16, &u.proj, 16 * sizeof(float));
  out[32] = float(app.fb_w), out[33] = float(app.fb_h), out[34] = app.dpr;
}

}  // extern "C"

int main() {
  app.device = emscripten_webgpu_get_device();
  if (!app.device) return 1;
  if (!glfwInit()) return 1;
  glfwWindowHint(GLFW_CLIENT_API, GLFW_NO_API);
  double css_w = 1280, css_h = 720;
  emscripten_get_element_css_size("#canvas", &css_w, &css_h);
  app.window = glfwCreateWindow(int(css_w), int(css_h), "Foldsight", nullptr, nullptr);

  WGPUSurfaceDescriptorFromCanvasHTMLSelector canvas_desc{};
  canvas_desc.chain.sType = WGPUSType_SurfaceDescriptorFromCanvasHTMLSelector;
  canvas_desc.selector = "#canvas";
  WGPUSurfaceDescriptor surf_desc{};
  surf_desc.nextInChain = &canvas_desc.chain;
  app.surface = wgpuInstanceCreateSurface(nullptr, &surf_desc);
  app.format = wgpuSurfaceGetPreferredFormat(app.surface, nullptr);

  IMGUI_CHECKVERSION();
  ImGui::CreateContext();
  ImGui::GetIO().IniFilename = nullptr;
  ImGui::StyleColorsLight();
  ImGui::GetStyle().WindowRounding = 4.0f;
  glfwSetScrollCallback(app.window, on_scroll);
  ImGui_ImplGlfw_InitForOther(app.window, true);
  imgui_wgpu_init(app.device, app.format, kDepthFormat);
  sphere_renderer_init(app.spheres, app.device, app.format);
  mesh_renderer_init(app.meshes, app.device, app.format, app.spheres.uniforms);
  sphere_renderer_init(app.highlight, app.device, app.format);
  post_process_init(app.post, app.device, app.format, kDepthFormat);
  resize_if_needed();

  EM_ASM({ if (Module.onAppReady) Module.onAppReady(); });
  emscripten_set_main_loop(main_loop, 0, false);
  return 0;
}
