#include "predict/library.h"
#include <algorithm>
#include <cmath>
#include <cstring>
#include <fstream>
#include <iterator>
#include <Eigen/Geometry>

namespace foldsight {

void build_kmer_index(Library& lib);  // search.cpp

namespace {

// Quantisation of the internal coordinates; must match scripts/data/export_library.py.
constexpr double kPi = 3.14159265358979323846;
constexpr double kBond0[4] = {1.329, 1.458, 1.525, 1.231};  // C-N, N-CA, CA-C, C-O
constexpr double kAngle0Deg[4] = {116.2, 121.7, 111.2, 120.8};  // CA-C-N, C-N-CA, N-CA-C, CA-C-O
constexpr double kBondStep = 0.01;
constexpr double kAngleStepDeg = 0.5;
constexpr double kTorsionStep = 2 * kPi / 256;
constexpr size_t kHeaderBytes = 56;

struct Reader {
  const uint8_t* data;
  size_t size, pos = 0;
  std::string what;  // first failure
  bool take(size_t n, const char* section, const uint8_t*& out, bool pad = false) {
    size_t padded = pad ? (n + 3) / 4 * 4 : n;
    if (padded > size - pos) {
      what = std::string("truncated template library: section '") + section + "' needs " +
             std::to_string(padded) + " bytes at offset " + std::to_string(pos) + ", file has " +
             std::to_string(size);
      return false;
    }
    out = data + pos;
    pos += padded;
    return true;
  }
};

uint32_t load_u32(const uint8_t* p) {
  return uint32_t(p[0]) | uint32_t(p[1]) << 8 | uint32_t(p[2]) << 16 | uint32_t(p[3]) << 24;
}

float load_f32(const uint8_t* p) {
  uint32_t u = load_u32(p);
  float f;
  std::memcpy(&f, &u, 4);
  return f;
}

// NeRF: D with |CD| = bond, angle BCD = angle, dihedral ABCD = torsion (IUPAC sign).
Vec3 nerf(const Vec3& a, const Vec3& b, const Vec3& c, double bond, double angle, double torsion) {
  Vec3 bc = (c - b).normalized();
  Vec3 n = (b - a).cross(bc).normalized();
  Vec3 m = n.cross(bc);
  double x = -bond * std::cos(angle), y = bond * std::sin(angle) * std::cos(torsion),
         z = bond * std::sin(angle) * std::sin(torsion);
  return c + x * bc + y * m + z * n;
}

}  // namespace

bool read_library(const uint8_t* data, size_t size, Library& lib, std::string& error) {
  lib = Library();
  Reader r{data, size, 0, {}};
  const uint8_t* p;
  if (!r.take(kHeaderBytes, "header", p)) {
    error = r.what;
    return false;
  }
  if (std::memcmp(p, kLibraryMagic, 8) != 0) {
    error = "not a template library (bad magic)";
    return false;
  }
  uint32_t h[12];
  for (int i = 0; i < 12; ++i) h[i] = load_u32(p + 8 + 4 * i);
  lib.version = h[0];
  if (lib.version != kLibraryVersion) {
    error = "unsupported template library version " + std::to_string(lib.version) + " (expected " +
            std::to_string(kLibraryVersion) + ")";
    return false;
  }
  const uint32_t n_chains = h[1], n_res = h[2], n_codes = h[3], n_dims = h[4], names_bytes = h[5],
                 n_esc = h[6];
  if (n_dims != kProfileDims || n_codes == 0 || n_codes > 256 || n_chains == 0 ||
      n_chains >= (1u << (32 - KmerIndex::kPosBits)) || n_res < n_chains ||
      uint64_t(n_res) * 12 > size || uint64_t(n_esc) > uint64_t(n_res) * 4) {
    error = "corrupt template library header (chains " + std::to_string(n_chains) + ", residues " +
            std::to_string(n_res) + ", codes " + std::to_string(n_codes) + ")";
    return false;
  }
  lib.n_codes = int(n_codes);
  if (!r.take(size_t(n_codes) * n_dims * 4, "codebook", p)) return error = r.what, false;
  lib.codebook.resize(size_t(n_codes) * n_dims);
  for (size_t i = 0; i < lib.codebook.size(); ++i) lib.codebook[i] = load_f32(p + 4 * i);

  if (!r.take(size_t(n_chains) * 4, "lengths", p)) return error = r.what, false;
  lib.offset.resize(n_chains + 1);
  uint64_t total = 0;
  for (uint32_t i = 0; i < n_chains; ++i) {
    uint32_t len = load_u32(p + 4 * i);
    if (len == 0 || len >= (1u << KmerIndex::kPosBits)) {
      error = "corrupt template library: chain " + std::to_string(i) + " has length " + std::to_string(len);
      return false;
    }
    lib.offset[i] = uint32_t(total);
    total += len;
  }
  lib.offset[n_chains] = uint32_t(total);
  if (total != n_res) {
    error = "corrupt template library: chain lengths sum to " + std::to_string(total) + ", header says " +
            std::to_string(n_res);
    return false;
  }

  if (!r.take(names_bytes, "names", p, true)) return error = r.what, false;
  lib.names.reserve(n_chains);
  for (size_t b = 0, s = 0; b < names_bytes; ++b)
    if (p[b] == '\n') {
      lib.names.emplace_back(reinterpret_cast<const char*>(p) + s, b - s);
      s = b + 1;
    }
  if (lib.names.size() != n_chains) {
    error = "corrupt template library: " + std::to_string(lib.names.size()) + " names for " +
            std::to_string(n_chains) + " chains";
    return false;
  }

  if (!r.take(n_res, "sequence", p, true)) return error = r.what, false;
  lib.seq.assign(reinterpret_cast<const char*>(p), n_res);
  if (!r.take(n_res, "profile codes", p, true)) return error = r.what, false;
  lib.prof.assign(p, p + n_res);
  if (!r.take(n_res, "dssp", p, true)) return error = r.what, false;
  lib.dssp.assign(reinterpret_cast<const char*>(p), n_res);
  if (!r.take(size_t(n_chains) * 36, "start coordinates", p)) return error = r.what, false;
  lib.start.resize(size_t(n_chains) * 9);
  for (size_t i = 0; i < lib.start.size(); ++i) lib.start[i] = load_f32(p + 4 * i);
  if (!r.take(size_t(n_res) * 12, "internal coordinates", p, true)) return error = r.what, false;
  lib.internal.assign(p, p + size_t(n_res) * 12);
  if (!r.take(size_t(n_esc) * 16, "escapes", p)) return error = r.what, false;
  lib.escape_atom.resize(n_esc);
  lib.escape_xyz.resize(size_t(n_esc) * 3);
  for (uint32_t i = 0; i < n_esc; ++i) {
    lib.escape_atom[i] = load_u32(p + 16 * i);
    for (int j = 0; j < 3; ++j) lib.escape_xyz[3 * i + j] = load_f32(p + 16 * i + 4 + 4 * j);
    if (lib.escape_atom[i] >= uint64_t(n_res) * 4 || (i && lib.escape_atom[i] <= lib.escape_atom[i - 1])) {
      error = "corrupt template library: escape " + std::to_string(i) + " out of order";
      return false;
    }
  }
  if (r.pos != size) {
    error = "corrupt template library: " + std::to_string(size - r.pos) + " trailing bytes";
    return false;
  }
  for (uint8_t c : lib.prof)
    if (c >= n_codes) {
      error = "corrupt template library: profile code " + std::to_string(c) + " >= " + std::to_string(n_codes);
      return false;
    }
  build_kmer_index(lib);
  return true;
}

bool read_library_file(const std::string& path, Library& lib, std::string& error) {
  std::ifstream f(path, std::ios::binary);
  if (!f) {
    error = path + ": cannot open template library";
    return false;
  }
  std::vector<uint8_t> bytes((std::istreambuf_iterator<char>(f)), std::istreambuf_iterator<char>());
  if (!read_library(bytes.data(), bytes.size(), lib, error)) {
    error = path + ": " + error;
    return false;
  }
  return true;
}

int find_template(const Library& lib, std::string_view name) {
  for (size_t i = 0; i < lib.names.size(); ++i)
    if (lib.names[i] == name) return int(i);
  return -1;
}

Backbone template_backbone(const Library& lib, size_t index) {
  const size_t L = lib.length(index), g0 = lib.offset[index], n_res = lib.residues();
  Backbone bb;
  bb.n.resize(L);
  bb.ca.resize(L);
  bb.c.resize(L);
  bb.o.resize(L);
  bb.cb.resize(L);
  const float* s = &lib.start[9 * index];
  bb.n[0] = Vec3(s[0], s[1], s[2]);
  bb.ca[0] = Vec3(s[3], s[4], s[5]);
  bb.c[0] = Vec3(s[6], s[7], s[8]);
  // Places atom `kind` of residue k from a, b, c, or takes it from the escape list.
  auto place = [&](size_t k, int kind, const Vec3& a, const Vec3& b, const Vec3& c) {
    size_t g = g0 + k;
    uint32_t key = uint32_t(g * 4 + kind);
    auto esc = std::lower_bound(lib.escape_atom.begin(), lib.escape_atom.end(), key);
    if (esc != lib.escape_atom.end() && *esc == key) {
      const float* x = &lib.escape_xyz[3 * (esc - lib.escape_atom.begin())];
      return Vec3(x[0], x[1], x[2]);
    }
    double bond = kBond0[kind] + int8_t(lib.internal[kind * n_res + g]) * kBondStep;
    double angle = (kAngle0Deg[kind] + int8_t(lib.internal[(4 + kind) * n_res + g]) * kAngleStepDeg) * kPi / 180;
    double torsion = lib.internal[(8 + kind) * n_res + g] * kTorsionStep;
    return nerf(a, b, c, bond, angle, torsion);
  };
  // Same order as the exporter: N, CA, C of residue k, then O of residue k-1.
  for (size_t k = 0; k < L; ++k) {
    if (k > 0) {
      bb.n[k] = place(k, 0, bb.n[k - 1], bb.ca[k - 1], bb.c[k - 1]);
      bb.ca[k] = place(k, 1, bb.ca[k - 1], bb.c[k - 1], bb.n[k]);
      bb.c[k] = place(k, 2, bb.c[k - 1], bb.n[k], bb.ca[k]);
      bb.o[k - 1] = place(k - 1, 3, bb.n[k], bb.ca[k - 1], bb.c[k - 1]);
    }
  }
  bb.o[L - 1] = place(L - 1, 3, bb.n[L - 1], bb.ca[L - 1], bb.c[L - 1]);
  for (size_t k = 0; k < L; ++k) bb.cb[k] = place_cb(bb.n[k], bb.ca[k], bb.c[k]);
  return bb;
}

}  // namespace foldsight
