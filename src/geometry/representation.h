// What the user asked to see: a list of representations per structure, each a kind, a
// selection (selection language of src/core/selection.h) and a colour scheme. Builders turn
// them into the two kinds of GPU geometry the renderer draws: triangle meshes and sphere
// impostors. Used by the ImGui panels and window.foldsight.setRepresentation alike.
#pragma once
#include <string>
#include <string_view>
#include <vector>
#include "core/structure.h"
#include "geometry/color_scheme.h"
#include "geometry/mesh.h"

namespace foldsight {

enum class RepKind { Cartoon, Trace, BallAndStick, Lines, Spacefill, Surface };

struct RepresentationSpec {
  RepKind kind = RepKind::Cartoon;
  std::string selection = "all";
  ColorScheme color = ColorScheme::Chain;
  bool visible = true;
  float opacity = 1.0f;   // below 1: drawn blended over the opaque scene (alpha of its colours)
  // Filled by resolve_selection: the atoms this representation covers.
  std::vector<uint8_t> mask;
  std::string error;   // selection error, shown next to the representation
};

const char* rep_kind_name(RepKind kind);                // "cartoon", "ball-and-stick", ...
bool rep_kind_from_name(std::string_view name, RepKind* out);

// The default look (as Mol*'s): cartoon for polymers, ball-and-stick for ligands.
std::vector<RepresentationSpec> default_representations(ColorScheme polymer_color);

// Evaluates rep.selection on s into rep.mask; false (mask cleared, rep.error set) on a bad selection.
bool resolve_selection(const Structure& s, RepresentationSpec& rep);

struct SceneGeometry {
  Mesh mesh;
  std::vector<float> sphere_xyzr;      // 4 per sphere
  std::vector<uint32_t> sphere_colors, sphere_atoms;
};

// Appends the geometry of one representation of s. `atom_offset` is added to pick ids so
// several structures share one id space. `colors` (color_atoms of rep.color) may be passed when
// the caller builds one representation in parts.
void build_representation(const Structure& s, const RepresentationSpec& rep, uint32_t atom_offset, SceneGeometry& out,
                          const std::vector<uint32_t>* colors = nullptr);

}  // namespace foldsight
