// DSSP as mkdssp 4 computes it (Kabsch & Sander 1983; PPII from DSSP 4.0). The residue list of a
// model is the concatenation of its protein chains in file order, exactly as mkdssp builds it from
// pdbx_poly_seq_scheme, and every rule below runs over that one list: chain boundaries and gaps
// only matter where mkdssp asks "is there a chain break between a and b".
//
// Points where we follow mkdssp rather than the 1983 paper, because agreement is what we measure:
//  - the amide H of residue i is N(i) + unit(C(i-1) - O(i-1)) for every non-proline residue but the
//    first of the model, also across gaps and chain starts (mkdssp links all residues prev/next);
//  - H-bond energies are rounded to 3 decimals before comparing (mkdssp "compatibility mode"),
//    and each donor keeps its two best acceptors, first-seen winning ties (ascending index);
//  - residue pairs are only considered when their CA atoms are within 9 Å (a cell grid finds
//    them in O(N)); bridges are tested over the same pairs when j >= i + 3;
//  - a chain break is a C(i-1)–N(i) distance over 2.5 Å or a new chain; kappa (bend) needs the
//    five residues i-2..i+2 without a break (mkdssp also compares label_seq_id, which only
//    differs for bonded residues in files with microheterogeneity);
//  - pi helices (I) take priority over alpha helices (H); 3-10 (G) only fills loops;
//  - PPII 'P': three consecutive residues with phi in -75±29 and psi in 145±29, on loops only.
#include "dssp.h"

#include <algorithm>
#include <cmath>
#include <cstring>
#include <unordered_map>
#include <vector>

namespace foldsight {
namespace {

struct Vec3 {
  float x, y, z;
};
inline Vec3 sub(Vec3 a, Vec3 b) { return {a.x - b.x, a.y - b.y, a.z - b.z}; }
inline float dot(Vec3 a, Vec3 b) { return a.x * b.x + a.y * b.y + a.z * b.z; }
inline Vec3 cross(Vec3 a, Vec3 b) { return {a.y * b.z - b.y * a.z, a.z * b.x - b.z * a.x, a.x * b.y - b.x * a.y}; }
inline float dist_sq(Vec3 a, Vec3 b) { Vec3 d = sub(a, b); return dot(d, d); }
inline float dist(Vec3 a, Vec3 b) { return std::sqrt(dist_sq(a, b)); }

const float kMinimalDistance = 0.5f;
const float kMinimalCADistance = 9.0f;
const float kMinHBondEnergy = -9.9f;
const float kMaxHBondEnergy = -0.5f;
const float kCouplingConstant = -27.888f;  // -332 * 0.42 * 0.2 (partial charges, kcal/mol)
const float kMaxPeptideBondLength = 2.5f;
const float kNoAngle = 360.0f;
const double kPi = 3.14159265358979323846;

float dihedral(Vec3 p1, Vec3 p2, Vec3 p3, Vec3 p4) {
  Vec3 v12 = sub(p1, p2), v43 = sub(p4, p3), z = sub(p2, p3);
  Vec3 p = cross(z, v12), x = cross(z, v43), y = cross(z, x);
  float u = dot(x, x), v = dot(y, y);
  float result = kNoAngle;
  if (u > 0 && v > 0) {
    u = dot(p, x) / std::sqrt(u);
    v = dot(p, y) / std::sqrt(v);
    if (u != 0 || v != 0) result = std::atan2(v, u) * 180.f / float(kPi);
  }
  return result;
}

float cosine_angle(Vec3 p1, Vec3 p2, Vec3 p3, Vec3 p4) {
  Vec3 v12 = sub(p1, p2), v34 = sub(p3, p4);
  float x = dot(v12, v12) * dot(v34, v34);
  return x > 0 ? dot(v12, v34) / std::sqrt(x) : 0.f;
}

// One protein residue of the model as DSSP sees it.
struct BackboneResidue {
  Vec3 n, ca, c, o, h;
  uint32_t residue;   // index into Structure residues
  uint32_t segment;   // increments at every chain start and every C(i-1)–N(i) gap
  bool proline;
};

struct HBond {
  int32_t partner = -1;
  double energy = 0;  // double as in mkdssp: equal energies must compare equal (ties keep the first)
};

enum Helix : uint8_t { kNone = 0, kStart = 1, kEnd = 2, kStartAndEnd = 3, kMiddle = 4 };

// Uniform grid of CA positions with cells of the cut-off size: neighbours of a point are in
// the 27 surrounding cells, so finding all pairs within the cut-off is linear in N.
struct CaGrid {
  float cell, min_x, min_y, min_z;
  int nx, ny, nz;
  std::vector<uint32_t> start, items;  // counting-sort layout: items of cell k are [start[k], start[k+1])

  int clampi(int v, int n) const { return v < 0 ? 0 : (v >= n ? n - 1 : v); }
  int coord(float v, float lo, int n) const { return clampi(int((v - lo) / cell), n); }

  void build(const std::vector<BackboneResidue>& rs, float cell_size) {
    cell = cell_size;
    min_x = min_y = min_z = 1e30f;
    float max_x = -1e30f, max_y = -1e30f, max_z = -1e30f;
    for (const auto& r : rs) {
      min_x = std::min(min_x, r.ca.x); max_x = std::max(max_x, r.ca.x);
      min_y = std::min(min_y, r.ca.y); max_y = std::max(max_y, r.ca.y);
      min_z = std::min(min_z, r.ca.z); max_z = std::max(max_z, r.ca.z);
    }
    auto dim = [&](float lo, float hi) {
      double n = std::floor((double(hi) - lo) / cell) + 1;
      return int(std::min(n, 1024.0));  // absurd extents degrade to bigger effective cells, stay correct
    };
    nx = dim(min_x, max_x); ny = dim(min_y, max_y); nz = dim(min_z, max_z);
    start.assign(size_t(nx) * ny * nz + 1, 0);
    std::vector<uint32_t> cell_of(rs.size());
    for (size_t i = 0; i < rs.size(); ++i) {
      cell_of[i] = index(coord(rs[i].ca.x, min_x, nx), coord(rs[i].ca.y, min_y, ny), coord(rs[i].ca.z, min_z, nz));
      ++start[cell_of[i] + 1];
    }
    for (size_t k = 1; k < start.size(); ++k) start[k] += start[k - 1];
    items.resize(rs.size());
    std::vector<uint32_t> fill(start.begin(), start.end() - 1);
    for (size_t i = 0; i < rs.size(); ++i) items[fill[cell_of[i]]++] = uint32_t(i);
  }
  uint32_t index(int ix, int iy, int iz) const { return uint32_t((size_t(iz) * ny + iy) * nx + ix); }

  // Appends the residues whose CA lies within `cell` of p (p's own residue included).
  // With clamping, points outside the 1024-cell cap still land in edge cells; the distance
  // test below keeps the result exact, the cap only costs speed.
  template <class F>
  void for_each_near(Vec3 p, F&& f) const {
    int cx = coord(p.x, min_x, nx), cy = coord(p.y, min_y, ny), cz = coord(p.z, min_z, nz);
    for (int iz = std::max(cz - 1, 0); iz <= std::min(cz + 1, nz - 1); ++iz)
      for (int iy = std::max(cy - 1, 0); iy <= std::min(cy + 1, ny - 1); ++iy)
        for (int ix = std::max(cx - 1, 0); ix <= std::min(cx + 1, nx - 1); ++ix) {
          uint32_t k = index(ix, iy, iz);
          for (uint32_t t = start[k]; t < start[k + 1]; ++t) f(items[t]);
        }
  }
};

// mkdssp's CalculateHBondEnergy, in the same float/double mix so that rounding to 3 decimals
// lands on the same side.
double hbond_energy(const BackboneResidue& donor, const BackboneResidue& acceptor) {
  if (donor.proline) return 0;
  double ho = dist(donor.h, acceptor.o), hc = dist(donor.h, acceptor.c);
  double nc = dist(donor.n, acceptor.c), no = dist(donor.n, acceptor.o);
  double e;
  if (ho < kMinimalDistance || hc < kMinimalDistance || nc < kMinimalDistance || no < kMinimalDistance)
    e = kMinHBondEnergy;
  else
    e = kCouplingConstant / ho - kCouplingConstant / hc + kCouplingConstant / nc - kCouplingConstant / no;
  e = std::round(e * 1000) / 1000;
  if (e < kMinHBondEnergy) e = kMinHBondEnergy;
  return e;
}

bool is_named(const Name4& n, const char* s) { return std::strcmp(n.data(), s) == 0; }

// Collects the protein residues of one model with complete N, CA, C, O (first conformer), the
// residues mkdssp takes from pdbx_poly_seq_scheme. When the file names the chain's entity
// (mmCIF), polymer chains count and others do not; otherwise (PDB) ATOM records count and a
// HETATM residue counts when it is peptide-bonded to a neighbour (MSE, AIB ... in SEQRES), so
// that free amino-acid ligands stay out.
void collect_residues(const Structure& s, size_t model, std::vector<BackboneResidue>& out) {
  out.clear();
  const ResName pro = make_resname("PRO", 3);
  uint32_t segment = 0;
  std::vector<BackboneResidue> cand;
  std::vector<uint8_t> sure;
  for (uint32_t ch = s.model_chain_begin[model]; ch < s.model_chain_begin[model + 1]; ++ch) {
    int entity_polymer = -1;  // -1 unknown, 0 no, 1 yes
    if (ch < s.chain_entity.size() && !s.chain_entity[ch].empty())
      for (const Entity& e : s.entities)
        if (e.id == s.chain_entity[ch]) entity_polymer = e.type == "polymer";
    if (entity_polymer == 0) continue;
    cand.clear();
    sure.clear();
    for (uint32_t r = s.chain_res_begin[ch]; r < s.chain_res_begin[ch + 1]; ++r) {
      if (is_water(s.res_name[r])) continue;
      char alt = 0;  // first alternate location of this residue, if any
      bool have[4] = {false, false, false, false};
      Vec3 p[4] = {};
      for (uint32_t a = s.res_atom_begin[r]; a < s.res_atom_begin[r + 1]; ++a) {
        char al = s.altloc[a];
        if (al != ' ') {
          if (!alt) alt = al;
          if (al != alt) continue;
        }
        const Name4& nm = s.atom_name[a];
        int k = is_named(nm, "N") ? 0 : is_named(nm, "CA") ? 1 : is_named(nm, "C") ? 2 : is_named(nm, "O") ? 3 : -1;
        if (k < 0 || have[k]) continue;
        have[k] = true;
        p[k] = {s.x[a], s.y[a], s.z[a]};
      }
      if (!(have[0] && have[1] && have[2] && have[3])) continue;
      BackboneResidue br;
      br.n = p[0]; br.ca = p[1]; br.c = p[2]; br.o = p[3];
      br.h = br.n;
      br.residue = r;
      br.proline = s.res_name[r] == pro;
      br.segment = 0;
      cand.push_back(br);
      sure.push_back(entity_polymer == 1 || !s.het[r]);
    }
    bool chain_started = false;
    for (size_t k = 0; k < cand.size(); ++k) {
      if (!sure[k]) {
        bool linked = (k > 0 && dist(cand[k - 1].c, cand[k].n) <= kMaxPeptideBondLength) ||
                      (k + 1 < cand.size() && dist(cand[k].c, cand[k + 1].n) <= kMaxPeptideBondLength);
        if (!linked) continue;
      }
      BackboneResidue br = cand[k];
      bool gap = chain_started && dist(out.back().c, br.n) > kMaxPeptideBondLength;
      if (!chain_started || gap) ++segment;
      br.segment = segment;
      chain_started = true;
      out.push_back(br);
    }
  }
}

void assign_model(Structure& s, size_t model, std::vector<BackboneResidue>& rs) {
  collect_residues(s, model, rs);
  const size_t n = rs.size();
  if (n == 0) return;
  auto no_break = [&](size_t a, size_t b) { return rs[a].segment == rs[b].segment; };

  for (size_t i = 1; i < n; ++i) {
    if (rs[i].proline) continue;
    Vec3 pc = rs[i - 1].c, po = rs[i - 1].o;
    float co = dist(pc, po);
    rs[i].h = {rs[i].n.x + (pc.x - po.x) / co, rs[i].n.y + (pc.y - po.y) / co, rs[i].n.z + (pc.z - po.z) / co};
  }

  // Backbone angles.
  std::vector<float> phi(n, kNoAngle), psi(n, kNoAngle), kappa(n, kNoAngle);
  for (size_t i = 0; i < n; ++i) {
    if (i >= 2 && i + 2 < n && no_break(i - 2, i + 2)) {
      float ck = cosine_angle(rs[i].ca, rs[i - 2].ca, rs[i + 2].ca, rs[i].ca);
      float sk = std::sqrt(1 - ck * ck);
      float k = std::atan2(sk, ck) * float(180 / kPi);
      if (!std::isnan(k)) kappa[i] = k;
    }
    if (i + 1 < n && no_break(i, i + 1)) psi[i] = dihedral(rs[i].n, rs[i].ca, rs[i].c, rs[i + 1].n);
    if (i > 0 && no_break(i - 1, i)) phi[i] = dihedral(rs[i - 1].c, rs[i].n, rs[i].ca, rs[i].c);
  }

  // Neighbour lists (CA within 9 Å), ascending, then each donor's two best acceptors. mkdssp
  // visits pairs (i<j) in order and evaluates donor i→acceptor j and donor j→acceptor i, except
  // donor i+1→acceptor i; per donor that is ascending acceptor order, which we reproduce.
  CaGrid grid;
  grid.build(rs, kMinimalCADistance);
  std::vector<uint32_t> near_begin(n + 1, 0), near;
  near.reserve(n * 24);
  std::vector<uint32_t> tmp;
  for (size_t i = 0; i < n; ++i) {
    tmp.clear();
    grid.for_each_near(rs[i].ca, [&](uint32_t j) {
      if (j != i && !(dist_sq(rs[i].ca, rs[j].ca) > kMinimalCADistance * kMinimalCADistance)) tmp.push_back(j);
    });
    std::sort(tmp.begin(), tmp.end());
    near.insert(near.end(), tmp.begin(), tmp.end());
    near_begin[i + 1] = uint32_t(near.size());
  }
  std::vector<HBond> acc(2 * n);  // acc[2i], acc[2i+1]: best acceptors of donor i
  for (size_t d = 0; d < n; ++d) {
    HBond* slot = &acc[2 * d];
    for (uint32_t t = near_begin[d]; t < near_begin[d + 1]; ++t) {
      uint32_t a = near[t];
      if (a + 1 == d) continue;
      double e = hbond_energy(rs[d], rs[a]);
      if (e < slot[0].energy) {
        slot[1] = slot[0];
        slot[0] = {int32_t(a), e};
      } else if (e < slot[1].energy) {
        slot[1] = {int32_t(a), e};
      }
    }
  }
  // NH(d)…O(a) is an H-bond.
  auto bond = [&](size_t d, size_t a) {
    const HBond* sl = &acc[2 * d];
    return (sl[0].partner == int32_t(a) && sl[0].energy < kMaxHBondEnergy) ||
           (sl[1].partner == int32_t(a) && sl[1].energy < kMaxHBondEnergy);
  };

  std::vector<char> ss(n, ' ');

  // ---- bridges, ladders, strands ----
  enum BridgeType { kParallel = 1, kAntiParallel = 2 };
  struct Bridge {
    int type;
    std::vector<uint32_t> i, j;
    const std::string* chain;
  };
  std::vector<Bridge> bridges;
  std::unordered_map<uint64_t, uint32_t> open;  // (type, last i, j end) → bridge
  auto key = [](int type, uint32_t i, uint32_t j) { return (uint64_t(type) << 62) | (uint64_t(i) << 31) | j; };
  for (uint32_t i = 0; i < n; ++i) {
    for (uint32_t t = near_begin[i]; t < near_begin[i + 1]; ++t) {
      uint32_t j = near[t];
      // mkdssp 4.2 tests bridges for j >= i + 3 only (a hairpin needs at least two residues).
      if (j < i + 3) continue;
      if (i == 0 || i + 1 >= n || j + 1 >= n) continue;
      if (!no_break(i - 1, i + 1) || !no_break(j - 1, j + 1)) continue;
      int type = 0;
      if ((bond(i + 1, j) && bond(j, i - 1)) || (bond(j + 1, i) && bond(i, j - 1)))
        type = kParallel;
      else if ((bond(i + 1, j - 1) && bond(j + 1, i - 1)) || (bond(j, i) && bond(i, j)))
        type = kAntiParallel;
      if (!type) continue;
      // Extends the bridge whose last pair was (i-1, j-1) (parallel) or (i-1, j+1) (antiparallel).
      auto it = open.find(key(type, i - 1, type == kParallel ? j - 1 : j + 1));
      if (it != open.end()) {
        Bridge& b = bridges[it->second];
        uint32_t idx = it->second;
        open.erase(it);
        b.i.push_back(i);
        if (type == kParallel) b.j.push_back(j); else b.j.insert(b.j.begin(), j);
        open[key(type, i, j)] = idx;
      } else {
        const std::string* chain = &s.chain_label[s.res_chain[rs[i].residue]];
        bridges.push_back({type, {i}, {j}, chain});
        open[key(type, i, j)] = uint32_t(bridges.size() - 1);
      }
    }
  }
  std::stable_sort(bridges.begin(), bridges.end(), [](const Bridge& a, const Bridge& b) {
    return *a.chain < *b.chain || (*a.chain == *b.chain && a.i.front() < b.i.front());
  });
  // Join ladders separated by a bulge (gap ≤ 1 on one strand and ≤ 4 on the other).
  for (size_t bi = 0; bi < bridges.size(); ++bi) {
    for (size_t bj = bi + 1; bj < bridges.size(); ++bj) {
      Bridge& A = bridges[bi];
      const Bridge& B = bridges[bj];
      uint32_t ibi = A.i.front(), iei = A.i.back(), jbi = A.j.front(), jei = A.j.back();
      uint32_t ibj = B.i.front(), iej = B.i.back(), jbj = B.j.front(), jej = B.j.back();
      // Sorted by chain then first i: nothing later can start within 6 residues of A's end.
      if (*B.chain != *A.chain || ibj >= iei + 6) break;
      if (A.type != B.type || !no_break(std::min(ibi, ibj), std::max(iei, iej)) ||
          !no_break(std::min(jbi, jbj), std::max(jei, jej)) || uint32_t(ibj - iei) >= 6 ||
          (iei >= ibj && ibi <= iej))
        continue;
      bool bulge;
      if (A.type == kParallel)
        bulge = (uint32_t(jbj - jei) < 6 && uint32_t(ibj - iei) < 3) || uint32_t(jbj - jei) < 3;
      else
        bulge = (uint32_t(jbi - jej) < 6 && uint32_t(ibj - iei) < 3) || uint32_t(jbi - jej) < 3;
      if (!bulge) continue;
      A.i.insert(A.i.end(), B.i.begin(), B.i.end());
      if (A.type == kParallel)
        A.j.insert(A.j.end(), B.j.begin(), B.j.end());
      else
        A.j.insert(A.j.begin(), B.j.begin(), B.j.end());
      bridges.erase(bridges.begin() + bj);
      --bj;
    }
  }
  for (const Bridge& b : bridges) {
    char code = b.i.size() > 1 ? 'E' : 'B';
    for (uint32_t k = b.i.front(); k <= b.i.back(); ++k)
      if (ss[k] != 'E') ss[k] = code;
    for (uint32_t k = b.j.front(); k <= b.j.back(); ++k)
      if (ss[k] != 'E') ss[k] = code;
  }

  // ---- n-turns and helices ----
  std::vector<uint8_t> flag[3];  // stride 3, 4, 5
  for (int h = 0; h < 3; ++h) {
    size_t stride = size_t(h) + 3;
    flag[h].assign(n, kNone);
    for (size_t i = 0; i + stride < n; ++i) {
      if (!no_break(i, i + stride) || !bond(i + stride, i)) continue;
      flag[h][i + stride] = kEnd;
      for (size_t j = i + 1; j < i + stride; ++j)
        if (flag[h][j] == kNone) flag[h][j] = kMiddle;
      flag[h][i] = flag[h][i] == kEnd ? kStartAndEnd : kStart;
    }
  }
  auto start = [&](int h, size_t i) { return flag[h][i] == kStart || flag[h][i] == kStartAndEnd; };
  for (size_t i = 1; i + 4 < n; ++i)
    if (start(1, i) && start(1, i - 1))
      for (size_t j = i; j <= i + 3; ++j) ss[j] = 'H';
  for (size_t i = 1; i + 3 < n; ++i) {
    if (!(start(0, i) && start(0, i - 1))) continue;
    bool empty = true;
    for (size_t j = i; empty && j <= i + 2; ++j) empty = ss[j] == ' ' || ss[j] == 'G';
    if (empty)
      for (size_t j = i; j <= i + 2; ++j) ss[j] = 'G';
  }
  for (size_t i = 1; i + 5 < n; ++i) {
    if (!(start(2, i) && start(2, i - 1))) continue;
    bool empty = true;
    for (size_t j = i; empty && j <= i + 4; ++j) empty = ss[j] == ' ' || ss[j] == 'I' || ss[j] == 'H';
    if (empty)
      for (size_t j = i; j <= i + 4; ++j) ss[j] = 'I';
  }
  for (size_t i = 1; i + 1 < n; ++i) {
    if (ss[i] != ' ') continue;
    bool turn = false;
    for (int h = 0; h < 3 && !turn; ++h)
      for (size_t k = 1; k < size_t(h) + 3 && !turn; ++k) turn = i >= k && start(h, i - k);
    if (turn)
      ss[i] = 'T';
    else if (kappa[i] != kNoAngle && kappa[i] > 70)
      ss[i] = 'S';
  }

  // ---- polyproline II (mkdssp default minimum stretch: 3) ----
  {
    const float eps = 29, phi_lo = -75 - eps, phi_hi = -75 + eps, psi_lo = 145 - eps, psi_hi = 145 + eps;
    // mkdssp leaves the angles of the model's first and last residue at 0 here.
    std::vector<float> ph(n, 0.f), ps(n, 0.f);
    for (size_t i = 1; i + 1 < n; ++i) { ph[i] = phi[i]; ps[i] = psi[i]; }
    auto in = [&](size_t i) { return phi_lo <= ph[i] && ph[i] <= phi_hi && psi_lo <= ps[i] && ps[i] <= psi_hi; };
    for (size_t i = 1; i + 3 < n; ++i) {
      if (!(in(i) && in(i + 1) && in(i + 2))) continue;
      for (size_t j = i; j <= i + 2; ++j)
        if (ss[j] == ' ') ss[j] = 'P';
    }
  }

  for (size_t i = 0; i < n; ++i) s.ss[rs[i].residue] = ss[i] == ' ' ? '-' : ss[i];
}

}  // namespace

std::vector<uint32_t> dssp_residues(const Structure& s, size_t model) {
  std::vector<BackboneResidue> rs;
  if (model < s.model_count()) collect_residues(s, model, rs);
  std::vector<uint32_t> out(rs.size());
  for (size_t i = 0; i < rs.size(); ++i) out[i] = rs[i].residue;
  return out;
}

void assign_secondary_structure(Structure& s) {
  s.ss.resize(s.residue_count(), '-');
  // Recomputed from scratch: amino acids lose file-given codes; other residues are left alone.
  for (size_t r = 0; r < s.residue_count(); ++r)
    if (is_amino_acid(s.res_name[r])) s.ss[r] = '-';
  std::vector<BackboneResidue> rs;
  for (size_t m = 0; m < s.model_count(); ++m) assign_model(s, m, rs);
  s.has_ss = true;
}

}  // namespace foldsight
