#include "geometry/cartoon.h"

#include <algorithm>
#include <cmath>
#include <cstring>

#include "geometry/vec3.h"

namespace foldsight {

namespace {

constexpr double kTwoPi = 6.283185307179586;

enum class SsClass : uint8_t { Coil, Helix, Strand };

struct BackboneResidue {
  uint32_t residue;
  uint32_t atom;        // Cα or P: colour and pick id
  Vec3 pos;
  Vec3 guide;           // carbonyl O direction (protein) when available
  bool has_guide;
  bool nucleic;
  SsClass cls;
};

bool atom_named(const Structure& s, uint32_t a, const char* name) {
  return std::strcmp(s.atom_name[a].data(), name) == 0;
}

// Cross-section parameters: half extents along N (width) and B (thickness), superellipse exponent
// (1 = ellipse, small = box).
struct Profile {
  float w, h, e;
};
Profile mix(const Profile& a, const Profile& b, float t) {
  return {a.w + (b.w - a.w) * t, a.h + (b.h - a.h) * t, a.e + (b.e - a.e) * t};
}

struct Builder {
  const CartoonOptions& o;
  Mesh& m;
  int R;
  std::vector<float> cos_t, sin_t;

  Builder(const CartoonOptions& opt, Mesh& mesh) : o(opt), m(mesh) {
    R = std::max(4, opt.radial_segments);
    for (int j = 0; j < R; ++j) {
      double th = kTwoPi * j / R + kTwoPi / (2 * R);  // offset: box corners fall between samples
      cos_t.push_back(float(std::cos(th)));
      sin_t.push_back(float(std::sin(th)));
    }
  }

  void vertex(const Vec3& p, const Vec3& n, uint32_t color, uint32_t atom) {
    m.positions.insert(m.positions.end(), {p.x, p.y, p.z});
    m.normals.insert(m.normals.end(), {n.x, n.y, n.z});
    m.colors.push_back(color);
    m.atom_ids.push_back(atom);
  }

  // Emits one ring; returns index of its first vertex. flat_normal != nullptr: all normals = it.
  uint32_t ring(const Vec3& c, const Vec3& N, const Vec3& B, const Profile& pr, uint32_t color,
                uint32_t atom, const Vec3* flat_normal = nullptr) {
    uint32_t first = uint32_t(m.vertex_count());
    for (int j = 0; j < R; ++j) {
      float cs = cos_t[j], sn = sin_t[j];
      float ac = std::fabs(cs), as = std::fabs(sn);
      float px = pr.w * std::copysign(std::pow(ac, pr.e), cs);
      float py = pr.h * std::copysign(std::pow(as, pr.e), sn);
      Vec3 p = c + N * px + B * py;
      if (flat_normal) {
        vertex(p, *flat_normal, color, atom);
      } else {
        float nx = std::copysign(std::pow(ac, 2 - pr.e), cs) / pr.w;
        float ny = std::copysign(std::pow(as, 2 - pr.e), sn) / pr.h;
        vertex(p, normalize(N * nx + B * ny, N), color, atom);
      }
    }
    return first;
  }

  void connect(uint32_t a, uint32_t b) {
    for (int j = 0; j < R; ++j) {
      uint32_t j1 = uint32_t((j + 1) % R);
      m.indices.insert(m.indices.end(), {a + j, a + j1, b + j, a + j1, b + j1, b + j});
    }
  }

  // Cap: fan over a ring; facing +T when forward, −T otherwise.
  void cap(const Vec3& c, const Vec3& N, const Vec3& B, const Vec3& T, const Profile& pr,
           uint32_t color, uint32_t atom, bool forward) {
    Vec3 n = forward ? T : -T;
    uint32_t r = ring(c, N, B, pr, color, atom, &n);
    uint32_t center = uint32_t(m.vertex_count());
    vertex(c, n, color, atom);
    for (int j = 0; j < R; ++j) {
      uint32_t j1 = uint32_t((j + 1) % R);
      if (forward)
        m.indices.insert(m.indices.end(), {center, r + j, r + j1});
      else
        m.indices.insert(m.indices.end(), {center, r + j1, r + j});
    }
  }
};

Vec3 catmull_rom(const Vec3& p0, const Vec3& p1, const Vec3& p2, const Vec3& p3, float t, Vec3* d) {
  Vec3 a = p1 * 2, b = p2 - p0, c = p0 * 2 - p1 * 5 + p2 * 4 - p3, e = -p0 + p1 * 3 - p2 * 3 + p3;
  *d = (b + c * (2 * t) + e * (3 * t * t)) * 0.5f;
  return (a + b * t + c * (t * t) + e * (t * t * t)) * 0.5f;
}

void build_segment(Builder& bld, const std::vector<BackboneResidue>& seg,
                   const std::vector<uint32_t>& colors, CartoonStats& st) {
  const CartoonOptions& o = bld.o;
  const int m = int(seg.size());
  const int n = std::max(1, o.subdivisions);
  std::vector<Vec3> P(m + 2);
  for (int i = 0; i < m; ++i) P[i + 1] = seg[i].pos;
  P[0] = seg[0].pos * 2 - seg[1].pos;
  P[m + 1] = seg[m - 1].pos * 2 - seg[m - 2].pos;

  // Guides: carbonyl O direction, else (Cα-only traces) the normal of the local Cα bend
  // rotated into the ribbon plane; then flipped so neighbours agree (strands alternate).
  std::vector<Vec3> G(m);
  for (int i = 0; i < m; ++i) {
    Vec3 t = normalize(P[i + 2] - P[i]);
    Vec3 g;
    if (seg[i].has_guide) {
      g = seg[i].guide;
    } else {
      Vec3 bis = P[i] + P[i + 2] - seg[i].pos * 2;
      g = cross(t, bis);
    }
    g = g - t * dot(g, t);
    if (length(g) < 1e-4f) g = i > 0 ? G[i - 1] : any_perpendicular(t);
    g = normalize(g);
    if (i > 0 && dot(g, G[i - 1]) < 0) g = -g;
    G[i] = g;
  }

  auto base_profile = [&](int i) -> Profile {
    if (o.trace) return {o.tube_radius, o.tube_radius, 1};
    if (seg[i].nucleic) return {o.nucleic_radius, o.nucleic_radius, 1};
    if (seg[i].cls == SsClass::Helix) return {o.helix_half_width, o.helix_half_thickness, 1};
    return {o.tube_radius, o.tube_radius, 1};  // strands are handled by their runs
  };
  auto is_strand = [&](int i) { return !o.trace && !seg[i].nucleic && seg[i].cls == SsClass::Strand; };

  // Strand runs [a, b] → the u-range they occupy and where their arrowhead begins.
  struct Run { float u0, base, tip; };
  std::vector<int> run_of(m, -1);
  std::vector<Run> runs;
  for (int i = 0; i < m;) {
    if (!is_strand(i)) { ++i; continue; }
    int a = i;
    while (i < m && is_strand(i)) run_of[i++] = int(runs.size());
    int b = i - 1;
    float u0 = std::max(0.0f, a - 0.5f);
    float tip = std::min(float(m - 1), b + 0.5f);
    float base = std::max(u0, tip - 1.0f);
    runs.push_back({u0, base, tip});
  }
  st.arrows += runs.size();

  // Profile at parameter u; `after` picks the right-hand side at a discontinuity.
  auto profile_at = [&](float u, bool after) -> Profile {
    int r = std::min(m - 1, std::max(0, int(std::floor(u + 0.5f))));
    for (int k = std::max(0, r - 1); k <= std::min(m - 1, r + 1); ++k) {
      if (run_of[k] < 0) continue;
      const Run& run = runs[run_of[k]];
      bool inside = after ? (u >= run.u0 && u < run.tip) : (u > run.u0 && u <= run.tip);
      if (!inside) continue;
      bool in_head = after ? u >= run.base : u > run.base;
      if (!in_head) return {o.strand_half_width, o.strand_half_thickness, 0.3f};
      float f = run.tip > run.base ? (u - run.base) / (run.tip - run.base) : 1.0f;
      float w = o.arrow_half_width + (o.tube_radius - o.arrow_half_width) * f;
      return {w, o.strand_half_thickness, 0.3f};
    }
    int i = std::min(m - 2, int(std::floor(u)));
    float t = u - float(i);
    float sm = std::min(1.0f, std::max(0.0f, (t - 0.25f) / 0.5f));
    sm = sm * sm * (3 - 2 * sm);
    return mix(base_profile(i), base_profile(i + 1), sm);
  };

  // Sample parameters: regular steps plus every strand discontinuity (start, arrow base).
  std::vector<float> us;
  std::vector<uint8_t> jump;
  const int total = (m - 1) * n;
  for (int k = 0; k <= total; ++k) { us.push_back(float(k) / n); jump.push_back(0); }
  for (const Run& r : runs) {
    for (float u : {r.u0, r.base}) {
      if (u <= 0.0f || u >= float(m - 1)) continue;
      auto it = std::lower_bound(us.begin(), us.end(), u);
      size_t at = size_t(it - us.begin());
      if (it != us.end() && std::fabs(*it - u) < 1e-5f) {
        jump[at] = 1;
      } else {
        us.insert(it, u);
        jump.insert(jump.begin() + long(at), 1);
      }
    }
  }

  uint32_t prev_ring = 0;
  Vec3 prev_n;
  for (size_t k = 0; k < us.size(); ++k) {
    float u = us[k];
    int i = std::min(m - 2, int(std::floor(u)));
    float t = u - float(i);
    Vec3 d;
    Vec3 c = catmull_rom(P[i], P[i + 1], P[i + 2], P[i + 3], t, &d);
    Vec3 T = normalize(d, normalize(P[i + 2] - P[i + 1]));
    Vec3 g = G[i] * (1 - t) + G[i + 1] * t;
    Vec3 N = g - T * dot(g, T);
    if (length(N) < 1e-4f) N = k ? prev_n - T * dot(prev_n, T) : any_perpendicular(T);
    N = normalize(N, any_perpendicular(T));
    prev_n = N;
    Vec3 B = cross(T, N);
    int r = std::min(m - 1, std::max(0, int(std::floor(u + 0.5f))));
    uint32_t color = colors[seg[r].atom], atom = seg[r].atom;

    Profile before = profile_at(u, false), after = profile_at(u, true);
    if (k == 0) bld.cap(c, N, B, T, after, color, atom, false);
    if (jump[k] && k > 0) {
      uint32_t a = bld.ring(c, N, B, before, color, atom);
      bld.connect(prev_ring, a);
      // The step between the two cross-sections (arrow base, strand start) is a flat annulus.
      bool grows = after.w + after.h > before.w + before.h;
      Vec3 fn = grows ? -T : T;
      uint32_t f0 = bld.ring(c, N, B, before, color, atom, &fn);
      uint32_t f1 = bld.ring(c, N, B, after, color, atom, &fn);
      bld.connect(f0, f1);
      prev_ring = bld.ring(c, N, B, after, color, atom);
    } else {
      uint32_t a = bld.ring(c, N, B, after, color, atom);
      if (k > 0) bld.connect(prev_ring, a);
      prev_ring = a;
    }
    if (k + 1 == us.size()) bld.cap(c, N, B, T, before, color, atom, true);
  }
  st.segments += 1;
  st.residues += size_t(m);
}

}  // namespace

CartoonOptions cartoon_options_for_size(size_t residue_count) {
  CartoonOptions o;
  // Level of detail: a million-atom assembly (~130 k residues) is seen whole, a residue a few
  // pixels long, where one sample per residue and 4-sided tubes read the same (8 triangles a
  // residue, ~1 M for 1 M atoms: a software rasteriser's frame time goes with the triangles).
  if (residue_count > 100000) { o.subdivisions = 1; o.radial_segments = 4; }
  else if (residue_count > 60000) { o.subdivisions = 3; o.radial_segments = 6; }
  else if (residue_count > 15000) { o.subdivisions = 4; o.radial_segments = 8; }
  else if (residue_count > 4000) { o.subdivisions = 6; o.radial_segments = 10; }
  return o;
}

Mesh build_cartoon(const Structure& s, const std::vector<uint8_t>& mask,
                   const std::vector<uint32_t>& atom_colors, const CartoonOptions& o,
                   CartoonStats* stats) {
  Mesh mesh;
  CartoonStats st;
  Builder bld(o, mesh);
  std::vector<BackboneResidue> seg;

  auto flush = [&]() {
    if (seg.size() >= 2) build_segment(bld, seg, atom_colors, st);
    seg.clear();
  };

  uint32_t prev_chain = UINT32_MAX;
  for (uint32_t r = 0; r < s.residue_count(); ++r) {
    const uint32_t a0 = s.res_atom_begin[r], a1 = s.res_atom_begin[r + 1];
    // Residues outside the mask end the segment; checking the mask first keeps a build of a few
    // chains of a huge structure (the app builds big scenes in slices) from scanning every name.
    bool any = false;
    for (uint32_t a = a0; a < a1 && !any; ++a) any = mask[a] != 0;
    if (!any) {
      flush();
      continue;
    }
    const bool nucleic = is_nucleotide(s.res_name[r]);
    int64_t ca = -1, o_atom = -1;
    for (uint32_t a = a0; a < a1; ++a) {
      if (nucleic) {
        if (ca < 0 && atom_named(s, a, "P")) ca = a;
      } else if (ca < 0 && atom_named(s, a, "CA") && s.element[a] == 6) {
        ca = a;
      } else if (o_atom < 0 && atom_named(s, a, "O")) {
        o_atom = a;
      }
    }
    if (ca < 0) continue;  // ligands, waters, residues without a backbone atom
    if (!nucleic && !is_amino_acid(s.res_name[r]) && o_atom < 0) {
      // A "CA" in a non-polymer residue is probably calcium mislabelled or a ligand atom.
      bool has_n = false;
      for (uint32_t a = a0; a < a1; ++a) has_n |= atom_named(s, a, "N");
      if (!has_n) continue;
    }
    if (!mask[size_t(ca)]) { flush(); continue; }
    BackboneResidue br;
    br.residue = r;
    br.atom = uint32_t(ca);
    br.pos = Vec3(s.x[ca], s.y[ca], s.z[ca]);
    br.has_guide = o_atom >= 0;
    br.guide = br.has_guide ? Vec3(s.x[o_atom], s.y[o_atom], s.z[o_atom]) - br.pos : Vec3();
    br.nucleic = nucleic;
    SSCode c = r < s.ss.size() ? s.ss[r] : '-';
    br.cls = (c == 'H' || c == 'G' || c == 'I') ? SsClass::Helix : c == 'E' ? SsClass::Strand : SsClass::Coil;
    if (!seg.empty()) {
      const BackboneResidue& p = seg.back();
      float gap = length(br.pos - p.pos);
      if (s.res_chain[r] != prev_chain || p.nucleic != nucleic ||
          gap > (nucleic ? o.max_p_gap : o.max_ca_gap))
        flush();
    }
    prev_chain = s.res_chain[r];
    seg.push_back(br);
  }
  flush();
  if (stats) *stats = st;
  return mesh;
}

}  // namespace foldsight
