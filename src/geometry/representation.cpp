#include "geometry/representation.h"
#include <algorithm>
#include <cmath>
#include <cctype>
#include "core/selection.h"
#include "geometry/atom_instances.h"
#include "geometry/cartoon.h"
#include "geometry/cylinder_mesh.h"
#include "geometry/surface.h"

namespace foldsight {

namespace {
struct KindName {
  RepKind kind;
  const char* name;
};
constexpr KindName kKinds[] = {{RepKind::Cartoon, "cartoon"},      {RepKind::Trace, "trace"},
                               {RepKind::BallAndStick, "ball-and-stick"}, {RepKind::Lines, "lines"},
                               {RepKind::Spacefill, "spacefill"},  {RepKind::Surface, "surface"}};

void add_spheres(const SphereInstances& sp, uint32_t atom_offset, SceneGeometry& out) {
  out.sphere_xyzr.insert(out.sphere_xyzr.end(), sp.xyzr.begin(), sp.xyzr.end());
  out.sphere_colors.insert(out.sphere_colors.end(), sp.colors.begin(), sp.colors.end());
  for (uint32_t a : sp.atom_ids) out.sphere_atoms.push_back(a + atom_offset);
}

void add_mesh(Mesh m, uint32_t atom_offset, SceneGeometry& out) {
  if (m.atom_ids.size() == m.vertex_count())
    for (uint32_t& a : m.atom_ids) a += atom_offset;
  append_mesh(m, out.mesh);
}
}  // namespace

const char* rep_kind_name(RepKind kind) {
  for (const KindName& k : kKinds)
    if (k.kind == kind) return k.name;
  return "?";
}

bool rep_kind_from_name(std::string_view name, RepKind* out) {
  std::string lower(name);
  for (char& c : lower) c = char(std::tolower(static_cast<unsigned char>(c)));
  if (lower == "ballandstick" || lower == "ball_and_stick" || lower == "sticks") lower = "ball-and-stick";
  if (lower == "tube") lower = "trace";
  if (lower == "spheres" || lower == "cpk") lower = "spacefill";
  for (const KindName& k : kKinds)
    if (lower == k.name) return *out = k.kind, true;
  return false;
}

std::vector<RepresentationSpec> default_representations(ColorScheme polymer_color) {
  std::vector<RepresentationSpec> reps(2);
  reps[0].kind = RepKind::Cartoon;
  reps[0].selection = "polymer";
  reps[0].color = polymer_color;
  reps[1].kind = RepKind::BallAndStick;
  reps[1].selection = "ligand";
  reps[1].color = ColorScheme::Element;
  return reps;
}

bool resolve_selection(const Structure& s, RepresentationSpec& rep) {
  SelectionError err;
  rep.error.clear();
  if (!select_atoms(s, rep.selection, rep.mask, &err)) {
    rep.mask.assign(s.atom_count(), 0);
    rep.error = "selection: " + err.message + " (at character " + std::to_string(err.position + 1) + ")";
    return false;
  }
  return true;
}

void build_representation(const Structure& s, const RepresentationSpec& rep, uint32_t atom_offset, SceneGeometry& out,
                          const std::vector<uint32_t>* given_colors) {
  if (!rep.visible || rep.mask.size() != s.atom_count()) return;
  if (std::none_of(rep.mask.begin(), rep.mask.end(), [](uint8_t m) { return m != 0; })) return;
  std::vector<uint32_t> own;
  if (!given_colors || given_colors->size() != s.atom_count()) own = color_atoms(s, rep.color), given_colors = &own;
  const std::vector<uint32_t>& colors = *given_colors;
  const size_t first_vertex = out.mesh.colors.size(), first_sphere = out.sphere_colors.size();
  switch (rep.kind) {
    case RepKind::Cartoon:
      add_mesh(build_cartoon(s, rep.mask, colors, cartoon_options_for_size(s.residue_count())), atom_offset, out);
      break;
    case RepKind::Trace:
      add_mesh(build_trace(s, rep.mask, colors, 0.35f), atom_offset, out);
      break;
    case RepKind::BallAndStick: {
      BallAndStick bs = build_ball_and_stick(s, rep.mask, colors);
      add_spheres(bs.atoms, atom_offset, out);
      Mesh sticks;
      append_cylinder_mesh(bs.bonds, 8, sticks);
      add_mesh(std::move(sticks), atom_offset, out);
      break;
    }
    case RepKind::Lines: {
      Mesh lines;
      append_cylinder_mesh(build_line_cylinders(s, rep.mask, colors, 0.06f), 4, lines);
      add_mesh(std::move(lines), atom_offset, out);
      break;
    }
    case RepKind::Spacefill:
      add_spheres(build_spacefill(s, rep.mask, colors), atom_offset, out);
      break;
    case RepKind::Surface: {
      SurfaceOptions so;
      size_t n = size_t(std::count(rep.mask.begin(), rep.mask.end(), 1));
      so.grid_spacing = n > 200000 ? 2.0f : n > 50000 ? 1.5f : 1.0f;   // keeps the grid bounded
      add_mesh(build_surface(s, rep.mask, colors, so), atom_offset, out);
      break;
    }
  }
  // Opacity lives in the alpha byte of what this representation added: the renderers draw
  // alpha < 255 in their transparent pass.
  if (rep.opacity < 1.0f) {
    const uint32_t alpha = uint32_t(std::lround(std::clamp(rep.opacity, 0.0f, 1.0f) * 254.0f)) << 24;
    for (size_t v = first_vertex; v < out.mesh.colors.size(); ++v) out.mesh.colors[v] = (out.mesh.colors[v] & 0xFFFFFFu) | alpha;
    for (size_t i = first_sphere; i < out.sphere_colors.size(); ++i) out.sphere_colors[i] = (out.sphere_colors[i] & 0xFFFFFFu) | alpha;
  }
}

}  // namespace foldsight
