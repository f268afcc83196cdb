#include "contacts.h"
#include <algorithm>
#include <cmath>
#include <unordered_map>

namespace foldsight {

namespace {
bool name_is(const Name4& n, const char* want) {
  for (int k = 0; k < 5; ++k) {
    if (n[k] != want[k]) return false;
    if (want[k] == '\0') return true;
  }
  return true;
}

// The first atom of that name: with alternate conformers, the first one listed.
uint32_t find_atom(const Structure& s, uint32_t r, const char* name) {
  for (uint32_t i = s.res_atom_begin[r]; i < s.res_atom_begin[r + 1]; ++i)
    if (name_is(s.atom_name[i], name)) return i;
  return UINT32_MAX;
}

struct Point {
  uint32_t res, atom;
};

uint64_t cell_key(int x, int y, int z) {
  return (uint64_t(uint32_t(x) & 0x1FFFFF) << 42) | (uint64_t(uint32_t(y) & 0x1FFFFF) << 21) |
         uint64_t(uint32_t(z) & 0x1FFFFF);
}

std::vector<Point> chain_points(const Structure& s, uint32_t chain, ContactAtom kind) {
  std::vector<Point> pts;
  for (uint32_t r = s.chain_res_begin[chain]; r < s.chain_res_begin[chain + 1]; ++r) {
    uint32_t a = contact_atom(s, r, kind);
    if (a != UINT32_MAX) pts.push_back({r, a});
  }
  return pts;
}
}  // namespace

uint32_t contact_atom(const Structure& s, uint32_t residue, ContactAtom kind) {
  if (kind == ContactAtom::CB) {
    uint32_t cb = find_atom(s, residue, "CB");
    if (cb != UINT32_MAX) return cb;
  }
  return find_atom(s, residue, "CA");
}

std::vector<Contact> chain_contacts(const Structure& s, uint32_t chain_a, uint32_t chain_b,
                                    float cutoff, ContactAtom kind, int min_separation) {
  std::vector<Contact> out;
  if (chain_a >= s.chain_count() || chain_b >= s.chain_count() || !(cutoff > 0)) return out;
  std::vector<Point> pa = chain_points(s, chain_a, kind);
  std::vector<Point> pb = chain_a == chain_b ? pa : chain_points(s, chain_b, kind);
  // Grid of chain b's points with cells of the cut-off size: neighbours are in the 27 cells.
  std::unordered_map<uint64_t, std::vector<uint32_t>> grid;
  auto cell = [cutoff](float v) { return int(std::floor(v / cutoff)); };
  for (uint32_t k = 0; k < pb.size(); ++k) {
    uint32_t i = pb[k].atom;
    grid[cell_key(cell(s.x[i]), cell(s.y[i]), cell(s.z[i]))].push_back(k);
  }
  float c2 = cutoff * cutoff;
  bool same = chain_a == chain_b;
  for (const Point& p : pa) {
    uint32_t i = p.atom;
    int cx = cell(s.x[i]), cy = cell(s.y[i]), cz = cell(s.z[i]);
    for (int dx = -1; dx <= 1; ++dx)
      for (int dy = -1; dy <= 1; ++dy)
        for (int dz = -1; dz <= 1; ++dz) {
          auto it = grid.find(cell_key(cx + dx, cy + dy, cz + dz));
          if (it == grid.end()) continue;
          for (uint32_t k : it->second) {
            const Point& q = pb[k];
            if (same && (q.res <= p.res || int(q.res - p.res) < min_separation)) continue;
            uint32_t j = q.atom;
            float ex = s.x[i] - s.x[j], ey = s.y[i] - s.y[j], ez = s.z[i] - s.z[j];
            float d2 = ex * ex + ey * ey + ez * ez;
            if (d2 <= c2) out.push_back({p.res, q.res, std::sqrt(d2)});
          }
        }
  }
  std::sort(out.begin(), out.end(), [](const Contact& a, const Contact& b) {
    return a.res_a != b.res_a ? a.res_a < b.res_a : a.res_b < b.res_b;
  });
  return out;
}

std::vector<Contact> model_contacts(const Structure& s, uint32_t model, float cutoff,
                                    ContactAtom kind, int min_separation) {
  std::vector<Contact> out;
  if (model >= s.model_count()) return out;
  for (uint32_t a = s.model_chain_begin[model]; a < s.model_chain_begin[model + 1]; ++a)
    for (uint32_t b = a; b < s.model_chain_begin[model + 1]; ++b) {
      std::vector<Contact> c = chain_contacts(s, a, b, cutoff, kind, min_separation);
      out.insert(out.end(), c.begin(), c.end());
    }
  return out;
}

}  // namespace foldsight
