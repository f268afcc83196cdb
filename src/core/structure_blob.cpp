#include "structure_blob.h"
#include <cstring>
#include <type_traits>

namespace foldsight {

namespace {
constexpr char kMagic[8] = {'F', 'S', 'B', 'L', 'O', 'B', '0', '1'};

struct Writer {
  std::vector<uint8_t> out;
  void bytes(const void* p, size_t n) {
    const uint8_t* b = static_cast<const uint8_t*>(p);
    out.insert(out.end(), b, b + n);
  }
  void u64(uint64_t v) { bytes(&v, 8); }
  template <class T>
  void array(const std::vector<T>& v) {
    static_assert(std::is_trivially_copyable<T>::value, "plain arrays only");
    u64(v.size());
    if (!v.empty()) bytes(v.data(), v.size() * sizeof(T));
  }
  void string(const std::string& s) {
    u64(s.size());
    bytes(s.data(), s.size());
  }
  void strings(const std::vector<std::string>& v) {
    u64(v.size());
    for (const std::string& s : v) string(s);
  }
};

struct Reader {
  const uint8_t* p;
  const uint8_t* end;
  bool ok = true;
  bool take(void* dst, size_t n) {
    if (!ok || size_t(end - p) < n) return ok = false;
    if (n) std::memcpy(dst, p, n);
    p += n;
    return true;
  }
  uint64_t u64() {
    uint64_t v = 0;
    take(&v, 8);
    return v;
  }
  // A count that cannot exceed what is left (each element at least `min_bytes` long).
  uint64_t count(size_t min_bytes) {
    uint64_t n = u64();
    if (ok && min_bytes && n > uint64_t(end - p) / min_bytes) ok = false;
    return ok ? n : 0;
  }
  template <class T>
  void array(std::vector<T>& v) {
    uint64_t n = count(sizeof(T));
    v.resize(size_t(n));
    if (n) take(v.data(), size_t(n) * sizeof(T));
  }
  void string(std::string& s) {
    uint64_t n = count(1);
    s.resize(size_t(n));
    if (n) take(&s[0], size_t(n));
  }
  void strings(std::vector<std::string>& v) {
    uint64_t n = count(8);
    v.resize(size_t(n));
    for (std::string& s : v) string(s);
  }
};

bool fail(std::string* err, const char* why) {
  if (err) *err = std::string("structure blob: ") + why;
  return false;
}
}  // namespace

std::vector<uint8_t> encode_structure_blob(const Structure& s) {
  Writer w;
  w.out.reserve(s.atom_count() * 48 + s.residue_count() * 40 + 1024);
  w.bytes(kMagic, sizeof kMagic);
  w.string(s.name);
  w.array(s.x), w.array(s.y), w.array(s.z), w.array(s.occupancy), w.array(s.b_factor);
  w.array(s.atom_name), w.array(s.element), w.array(s.altloc), w.array(s.charge), w.array(s.serial);
  w.array(s.atom_residue);
  w.array(s.res_name), w.array(s.seq_id), w.array(s.label_seq_id), w.array(s.ins_code), w.array(s.het);
  w.array(s.ss), w.array(s.res_atom_begin), w.array(s.res_chain);
  w.strings(s.chain_auth), w.strings(s.chain_label), w.strings(s.chain_entity);
  w.array(s.chain_res_begin), w.array(s.chain_model);
  w.array(s.model_num), w.array(s.model_chain_begin);
  w.array(s.bonds), w.array(s.file_bonds), w.array(s.res_confidence);
  w.u64(s.entities.size());
  for (const Entity& e : s.entities) w.string(e.id), w.string(e.type), w.string(e.description);
  w.u64(s.assemblies.size());
  for (const Assembly& a : s.assemblies) {
    w.string(a.id), w.string(a.details);
    w.u64(a.gens.size());
    for (const Assembly::Gen& g : a.gens) w.strings(g.asym_ids), w.array(g.operators);
  }
  uint8_t has_ss = s.has_ss ? 1 : 0;
  w.bytes(&has_ss, 1);
  return std::move(w.out);
}

bool decode_structure_blob(const uint8_t* data, size_t size, Structure& out, std::string* err) {
  if (!data || size < sizeof kMagic || std::memcmp(data, kMagic, sizeof kMagic) != 0)
    return fail(err, "not a structure blob of this version");
  Reader r{data + sizeof kMagic, data + size};
  Structure s;
  r.string(s.name);
  r.array(s.x), r.array(s.y), r.array(s.z), r.array(s.occupancy), r.array(s.b_factor);
  r.array(s.atom_name), r.array(s.element), r.array(s.altloc), r.array(s.charge), r.array(s.serial);
  r.array(s.atom_residue);
  r.array(s.res_name), r.array(s.seq_id), r.array(s.label_seq_id), r.array(s.ins_code), r.array(s.het);
  r.array(s.ss), r.array(s.res_atom_begin), r.array(s.res_chain);
  r.strings(s.chain_auth), r.strings(s.chain_label), r.strings(s.chain_entity);
  r.array(s.chain_res_begin), r.array(s.chain_model);
  r.array(s.model_num), r.array(s.model_chain_begin);
  r.array(s.bonds), r.array(s.file_bonds), r.array(s.res_confidence);
  uint64_t ne = r.count(24);
  s.entities.resize(size_t(ne));
  for (Entity& e : s.entities) r.string(e.id), r.string(e.type), r.string(e.description);
  uint64_t na = r.count(24);
  s.assemblies.resize(size_t(na));
  for (Assembly& a : s.assemblies) {
    r.string(a.id), r.string(a.details);
    a.gens.resize(size_t(r.count(16)));
    for (Assembly::Gen& g : a.gens) r.strings(g.asym_ids), r.array(g.operators);
  }
  uint8_t has_ss = 0;
  r.take(&has_ss, 1);
  if (!r.ok) return fail(err, "truncated");
  if (r.p != r.end) return fail(err, "trailing bytes");

  // Consistency: every index the rest of the app follows must stay in range.
  const size_t na_ = s.x.size(), nr = s.res_name.size(), nc = s.chain_auth.size(), nm = s.model_num.size();
  auto sized = [&](size_t n, std::initializer_list<size_t> sizes) {
    for (size_t k : sizes)
      if (k != n) return false;
    return true;
  };
  if (!sized(na_, {s.y.size(), s.z.size(), s.occupancy.size(), s.b_factor.size(), s.atom_name.size(), s.element.size(),
                   s.altloc.size(), s.charge.size(), s.serial.size(), s.atom_residue.size()}) ||
      !sized(nr, {s.seq_id.size(), s.label_seq_id.size(), s.ins_code.size(), s.het.size(), s.ss.size(), s.res_chain.size()}) ||
      !sized(nc, {s.chain_label.size(), s.chain_entity.size(), s.chain_model.size()}) ||
      s.res_atom_begin.size() != nr + 1 || s.chain_res_begin.size() != nc + 1 || s.model_chain_begin.size() != nm + 1 ||
      (!s.res_confidence.empty() && s.res_confidence.size() != nr))
    return fail(err, "array sizes disagree");
  auto monotone = [](const std::vector<uint32_t>& v, size_t last) {
    if (v.empty() || v.front() != 0 || v.back() != last) return false;
    for (size_t i = 1; i < v.size(); ++i)
      if (v[i] < v[i - 1]) return false;
    return true;
  };
  if (!monotone(s.res_atom_begin, na_) || !monotone(s.chain_res_begin, nr) || !monotone(s.model_chain_begin, nc))
    return fail(err, "bad ranges");
  for (size_t a = 0; a < na_; ++a)
    if (s.atom_residue[a] >= nr) return fail(err, "atom residue out of range");
  for (size_t i = 0; i < nr; ++i)
    if (s.res_chain[i] >= nc) return fail(err, "residue chain out of range");
  for (size_t c = 0; c < nc; ++c)
    if (s.chain_model[c] >= nm) return fail(err, "chain model out of range");
  for (const auto* bonds : {&s.bonds, &s.file_bonds})
    for (const Bond& b : *bonds)
      if (b.a >= na_ || b.b >= na_) return fail(err, "bond atom out of range");
  for (auto& n : s.atom_name) n[4] = 0;   // names are C strings everywhere
  for (auto& n : s.res_name) n[5] = 0;
  s.has_ss = has_ss != 0;
  out = std::move(s);
  return true;
}

}  // namespace foldsight
