// BinaryCIF (https://github.com/molstar/BinaryCIF): MessagePack holding, per category,
// columns encoded by a chain of encodings (ByteArray, FixedPoint, IntervalQuantization,
// RunLength, Delta, IntegerPacking, StringArray), applied in list order when writing and
// undone in reverse when reading. Columns decode to plain arrays; rows then go through
// the same AtomSiteBuilder / CifTable path as mmCIF text (cif_model.h).
#include <algorithm>
#include <cctype>
#include <cmath>
#include <cstdio>
#include <cstring>
#include <limits>
#include <string>
#include <unordered_map>
#include "cif_model.h"
#include "cif_out.h"
#include "io.h"
#include "msgpack.h"

namespace foldsight {
namespace {

constexpr size_t kMaxValues = size_t(1) << 28;  // refuse to expand a column beyond this

// A number from the file as an integer type: NaN and out-of-range values clamp to the type's
// limits (converting them directly is undefined behaviour; found by fuzzing).
template <class T>
T clamp_to(double v) {
  if (!(v > double(std::numeric_limits<T>::min()))) return std::numeric_limits<T>::min();
  if (v >= double(std::numeric_limits<T>::max())) return std::numeric_limits<T>::max();
  return T(v);
}

// A decoded column: numbers (ints or floats) or strings, plus the null mask.
struct Column {
  enum Kind { Ints, Floats, Strings } kind = Ints;
  std::vector<int32_t> ints;
  std::vector<double> floats;
  std::vector<int32_t> str_index;          // Strings: index into strings (-1: null)
  std::vector<std::string_view> strings;   // Strings: views into the input
  std::vector<uint8_t> mask;               // empty or per row: 0 value, 1 '.', 2 '?'

  size_t size() const {
    return kind == Ints ? ints.size() : kind == Floats ? floats.size() : str_index.size();
  }
  bool null(size_t i) const { return (!mask.empty() && mask[i] != 0) || (kind == Strings && str_index[i] < 0); }
  char null_char(size_t i) const { return !mask.empty() && mask[i] == 1 ? '.' : '?'; }
  std::string_view str(size_t i, char* buf, size_t n) const {
    if (null(i)) return {};
    if (kind == Strings) return strings[size_t(str_index[i])];
    int len = kind == Ints ? std::snprintf(buf, n, "%d", ints[i]) : std::snprintf(buf, n, "%.9g", floats[i]);
    return {buf, size_t(len > 0 ? len : 0)};
  }
  bool number(size_t i, double& v) const {
    if (null(i)) return false;
    if (kind == Ints) { v = ints[i]; return true; }
    if (kind == Floats) { v = floats[i]; return true; }
    std::string s(strings[size_t(str_index[i])]);
    char* end = nullptr;
    v = std::strtod(s.c_str(), &end);
    return end != s.c_str();
  }
};

struct Decoder {
  std::string err;

  bool fail(std::string m) { err = std::move(m); return false; }

  static double num(const MsgValue& enc, const char* key, double dflt = 0) {
    const MsgValue* v = enc.find(key);
    return v && v->is_number() ? v->number() : dflt;
  }

  // Undo the encodings of `data` ({data, encoding}) into col (Ints or Floats, or Strings).
  bool decode(const MsgValue& data_obj, Column& col) {
    const MsgValue* bytes = data_obj.find("data");
    const MsgValue* encs = data_obj.find("encoding");
    if (!bytes || !encs || encs->type != MsgValue::Array) return fail("column data without data/encoding");
    return decode_chain(*bytes, *encs, col);
  }

  bool decode_chain(const MsgValue& bytes, const MsgValue& encs, Column& col) {
    bool have_bytes = true;   // state: raw bytes until ByteArray turns them into numbers
    std::string_view raw = bytes.str;
    if (bytes.type != MsgValue::Bin && bytes.type != MsgValue::Str) {
      // An already-decoded array (some encoders store plain arrays): take it as numbers.
      if (bytes.type != MsgValue::Array) return fail("column data is not binary");
      have_bytes = false;
      col.kind = Column::Ints;
      for (const MsgValue& v : bytes.arr) {
        if (v.type == MsgValue::Float) col.kind = Column::Floats;
      }
      for (const MsgValue& v : bytes.arr) {
        if (col.kind == Column::Floats) col.floats.push_back(v.number());
        else col.ints.push_back(int32_t(v.i));
      }
    }
    for (size_t k = encs.arr.size(); k-- > 0;) {
      const MsgValue& e = encs.arr[k];
      const MsgValue* kind_v = e.find("kind");
      if (!kind_v || kind_v->type != MsgValue::Str) return fail("encoding without kind");
      std::string_view kind = kind_v->str;
      if (kind == "StringArray") {
        if (!have_bytes) return fail("StringArray applied to decoded data");
        return string_array(e, raw, col);
      }
      if (kind == "ByteArray") {
        if (!have_bytes) return fail("ByteArray applied twice");
        if (!byte_array(clamp_to<int>(num(e, "type")), raw, col)) return false;
        have_bytes = false;
        continue;
      }
      if (have_bytes) return fail(std::string(kind) + " applied to raw bytes");
      if (kind == "FixedPoint" || kind == "IntervalQuantization") {
        if (col.kind != Column::Ints) return fail(std::string(kind) + " of non-integer data");
        col.floats.resize(col.ints.size());
        if (kind == "FixedPoint") {
          double factor = num(e, "factor", 1);
          if (factor == 0) return fail("FixedPoint factor 0");
          for (size_t i = 0; i < col.ints.size(); ++i) col.floats[i] = double(col.ints[i]) / factor;
        } else {
          double lo = num(e, "min"), hi = num(e, "max"), steps = num(e, "numSteps", 2);
          double delta = steps > 1 ? (hi - lo) / (steps - 1) : 0;
          for (size_t i = 0; i < col.ints.size(); ++i) col.floats[i] = lo + delta * col.ints[i];
        }
        col.kind = Column::Floats;
        std::vector<int32_t>().swap(col.ints);
      } else if (kind == "RunLength") {
        if (col.kind != Column::Ints) return fail("RunLength of non-integer data");
        size_t n = clamp_to<size_t>(num(e, "srcSize"));
        if (n > kMaxValues) return fail("RunLength srcSize too large");
        std::vector<int32_t> out;
        out.reserve(n);
        for (size_t i = 0; i + 1 < col.ints.size(); i += 2) {
          int32_t v = col.ints[i], c = col.ints[i + 1];
          if (c < 0 || out.size() + size_t(c) > n) return fail("RunLength runs exceed srcSize");
          out.insert(out.end(), size_t(c), v);
        }
        if (out.size() != n) return fail("RunLength runs do not add up to srcSize");
        col.ints.swap(out);
      } else if (kind == "Delta") {
        if (col.kind != Column::Ints) return fail("Delta of non-integer data");
        int64_t acc = clamp_to<int32_t>(num(e, "origin"));   // int32: the sum cannot overflow
        for (size_t i = 0; i < col.ints.size(); ++i) {
          acc += col.ints[i];
          col.ints[i] = int32_t(acc);
        }
      } else if (kind == "IntegerPacking") {
        if (col.kind != Column::Ints) return fail("IntegerPacking of non-integer data");
        int bytes_n = clamp_to<int>(num(e, "byteCount", 1));
        bool is_unsigned = false;
        if (const MsgValue* u = e.find("isUnsigned")) is_unsigned = u->type == MsgValue::Bool ? u->b : u->i != 0;
        size_t n = clamp_to<size_t>(num(e, "srcSize"));
        if (n > kMaxValues) return fail("IntegerPacking srcSize too large");
        int32_t upper = bytes_n == 1 ? (is_unsigned ? 0xFF : 0x7F) : (is_unsigned ? 0xFFFF : 0x7FFF);
        int32_t lower = is_unsigned ? -1 : (bytes_n == 1 ? -0x80 : -0x8000);
        std::vector<int32_t> out;
        out.reserve(n);
        size_t i = 0;
        while (i < col.ints.size()) {
          int64_t v = 0;
          int32_t t = col.ints[i];
          while (t == upper || t == lower) {
            v += t;
            if (++i >= col.ints.size()) return fail("IntegerPacking data ends inside a value");
            t = col.ints[i];
          }
          v += t;
          ++i;
          if (out.size() >= n) return fail("IntegerPacking gives more values than srcSize");
          out.push_back(int32_t(v));
        }
        if (out.size() != n) return fail("IntegerPacking gives fewer values than srcSize");
        col.ints.swap(out);
      } else {
        return fail("unknown BinaryCIF encoding " + std::string(kind));
      }
    }
    if (have_bytes) return fail("column data left undecoded (no ByteArray)");
    return true;
  }

  bool byte_array(int type, std::string_view raw, Column& col) {
    const uint8_t* p = reinterpret_cast<const uint8_t*>(raw.data());
    size_t w = 0;
    switch (type) {
      case 1: case 4: w = 1; break;
      case 2: case 5: w = 2; break;
      case 3: case 6: case 32: w = 4; break;
      case 33: w = 8; break;
      default: return fail("ByteArray of unknown type " + std::to_string(type));
    }
    if (raw.size() % w) return fail("ByteArray length is not a multiple of its element size");
    size_t n = raw.size() / w;
    auto le = [&](size_t i) {
      uint64_t v = 0;
      for (size_t b = 0; b < w; ++b) v |= uint64_t(p[i * w + b]) << (8 * b);
      return v;
    };
    if (type == 32 || type == 33) {
      col.kind = Column::Floats;
      col.floats.resize(n);
      for (size_t i = 0; i < n; ++i) {
        uint64_t u = le(i);
        if (type == 32) {
          uint32_t u32 = uint32_t(u);
          float f;
          std::memcpy(&f, &u32, 4);
          col.floats[i] = f;
        } else {
          double d;
          std::memcpy(&d, &u, 8);
          col.floats[i] = d;
        }
      }
      return true;
    }
    col.kind = Column::Ints;
    col.ints.resize(n);
    for (size_t i = 0; i < n; ++i) {
      uint64_t u = le(i);
      switch (type) {
        case 1: col.ints[i] = int8_t(u); break;
        case 2: col.ints[i] = int16_t(u); break;
        case 3: col.ints[i] = int32_t(uint32_t(u)); break;
        default: col.ints[i] = int32_t(uint32_t(u)); break;  // unsigned
      }
    }
    return true;
  }

  bool string_array(const MsgValue& e, std::string_view raw, Column& col) {
    const MsgValue* sdata = e.find("stringData");
    const MsgValue* denc = e.find("dataEncoding");
    const MsgValue* oenc = e.find("offsetEncoding");
    const MsgValue* offs = e.find("offsets");
    if (!sdata || !denc || !oenc || !offs || sdata->type != MsgValue::Str)
      return fail("StringArray without stringData/offsets/encodings");
    Column off, idx;
    if (!decode_chain(*offs, *oenc, off) || off.kind != Column::Ints) return fail("StringArray offsets: " + err);
    MsgValue data_bytes;
    data_bytes.type = MsgValue::Bin;
    data_bytes.str = raw;
    if (!decode_chain(data_bytes, *denc, idx) || idx.kind != Column::Ints) return fail("StringArray indices: " + err);
    std::string_view text = sdata->str;
    col.kind = Column::Strings;
    for (size_t i = 0; i + 1 < off.ints.size(); ++i) {
      int32_t a = off.ints[i], b = off.ints[i + 1];
      if (a < 0 || b < a || size_t(b) > text.size()) return fail("StringArray offsets out of range");
      col.strings.push_back(text.substr(size_t(a), size_t(b - a)));
    }
    col.str_index = std::move(idx.ints);
    for (int32_t& k : col.str_index)
      if (k >= int32_t(col.strings.size())) return fail("StringArray index out of range");
      else if (k < 0) k = -1;
    return true;
  }
};

std::string lower(std::string_view v) {
  std::string r(v);
  for (char& c : r) c = char(std::tolower((unsigned char)c));
  return r;
}

}  // namespace

bool read_bcif(const uint8_t* data, size_t size, Structure& out, ParseError* err) {
  out = Structure();
  auto fail = [&](std::string m) {
    if (err) *err = {0, "BinaryCIF: " + m};
    return false;
  };
  MsgValue root;
  std::string merr;
  if (!msgpack_decode(data, size, root, &merr)) return fail(merr);
  const MsgValue* blocks = root.find("dataBlocks");
  if (!blocks || blocks->type != MsgValue::Array || blocks->arr.empty()) return fail("no dataBlocks");
  const MsgValue& block = blocks->arr[0];
  if (const MsgValue* h = block.find("header"); h && h->type == MsgValue::Str) out.name = std::string(h->str);
  const MsgValue* cats = block.find("categories");
  if (!cats || cats->type != MsgValue::Array) return fail("data block without categories");
  Decoder dec;
  std::vector<CifTable> tables;
  bool seen_atoms = false;
  for (const MsgValue& cat : cats->arr) {
    const MsgValue* name_v = cat.find("name");
    const MsgValue* cols = cat.find("columns");
    const MsgValue* rc = cat.find("rowCount");
    if (!name_v || name_v->type != MsgValue::Str || !cols || cols->type != MsgValue::Array)
      return fail("category without name or columns");
    std::string name = lower(name_v->str);
    if (!name.empty() && name[0] == '_') name.erase(0, 1);
    bool atoms = name == "atom_site";
    if (!atoms && !cif_category_wanted(name)) continue;
    size_t rows = rc && rc->is_number() ? clamp_to<size_t>(rc->number()) : 0;
    std::vector<std::string> col_names;
    std::vector<Column> columns;
    for (const MsgValue& c : cols->arr) {
      const MsgValue* cn = c.find("name");
      const MsgValue* cd = c.find("data");
      if (!cn || cn->type != MsgValue::Str || !cd) return fail("column without name or data in _" + name);
      Column col;
      if (!dec.decode(*cd, col)) return fail("_" + name + "." + std::string(cn->str) + ": " + dec.err);
      if (const MsgValue* m = c.find("mask"); m && m->type == MsgValue::Map) {
        Column mc;
        if (!dec.decode(*m, mc) || mc.kind != Column::Ints)
          return fail("_" + name + "." + std::string(cn->str) + " mask: " + dec.err);
        col.mask.assign(mc.ints.begin(), mc.ints.end());
        if (col.mask.size() != col.size()) return fail("_" + name + "." + std::string(cn->str) + ": mask size differs");
      }
      if (col.size() != rows) return fail("_" + name + "." + std::string(cn->str) + ": " + std::to_string(col.size()) +
                                          " values for " + std::to_string(rows) + " rows");
      col_names.push_back(lower(cn->str));
      columns.push_back(std::move(col));
    }
    auto find = [&](const char* n) -> const Column* {
      for (size_t i = 0; i < col_names.size(); ++i)
        if (col_names[i] == n) return &columns[i];
      return nullptr;
    };
    if (atoms) {
      if (seen_atoms) return fail("second _atom_site category");
      seen_atoms = true;
      const Column *group = find("group_pdb"), *id = find("id"), *sym = find("type_symbol"),
                   *atom = find("auth_atom_id"), *alt = find("label_alt_id"), *comp = find("auth_comp_id"),
                   *lasym = find("label_asym_id"), *ent = find("label_entity_id"), *lseq = find("label_seq_id"),
                   *ins = find("pdbx_pdb_ins_code"), *x = find("cartn_x"), *y = find("cartn_y"), *z = find("cartn_z"),
                   *occ = find("occupancy"), *b = find("b_iso_or_equiv"), *chg = find("pdbx_formal_charge"),
                   *aseq = find("auth_seq_id"), *aasym = find("auth_asym_id"), *model = find("pdbx_pdb_model_num");
      if (!atom) atom = find("label_atom_id");
      if (!comp) comp = find("label_comp_id");
      if (!x || !y || !z) return fail("_atom_site lacks Cartn_x/y/z");
      AtomSiteBuilder builder(out);
      builder.reserve_atoms(rows);
      char bufs[9][32];
      auto s = [&](const Column* c, size_t i, int k) -> std::string_view {
        return c ? c->str(i, bufs[k], sizeof bufs[k]) : std::string_view();
      };
      auto n = [&](const Column* c, size_t i, double& v) { return c && c->number(i, v); };
      for (size_t i = 0; i < rows; ++i) {
        AtomSiteRow a;
        a.group = s(group, i, 0);
        a.symbol = s(sym, i, 1);
        a.atom_name = s(atom, i, 2);
        a.alt = s(alt, i, 3);
        a.comp = s(comp, i, 4);
        a.label_asym = s(lasym, i, 5);
        a.entity = s(ent, i, 6);
        a.ins = s(ins, i, 7);
        a.auth_asym = s(aasym, i, 8);
        double v;
        if (!n(x, i, v)) return fail("bad Cartn_x in _atom_site row " + std::to_string(i + 1));
        a.x = float(v);
        if (!n(y, i, v)) return fail("bad Cartn_y in _atom_site row " + std::to_string(i + 1));
        a.y = float(v);
        if (!n(z, i, v)) return fail("bad Cartn_z in _atom_site row " + std::to_string(i + 1));
        a.z = float(v);
        a.occ = n(occ, i, v) ? float(v) : 1.f;
        a.b = n(b, i, v) ? float(v) : 0.f;
        a.id = n(id, i, v) ? clamp_to<int32_t>(v) : 0;
        a.label_seq = n(lseq, i, v) ? clamp_to<int32_t>(v) : kCifNullInt;
        a.auth_seq = n(aseq, i, v) ? clamp_to<int32_t>(v) : kCifNullInt;
        a.model = n(model, i, v) ? clamp_to<int32_t>(v) : 1;
        a.charge = n(chg, i, v) ? clamp_to<int32_t>(v) : 0;
        builder.add(a);
      }
      builder.finish();
      continue;
    }
    CifTable t;
    t.name = name;
    t.tags = col_names;
    t.values.reserve(rows * columns.size());
    char buf[32];
    for (size_t i = 0; i < rows; ++i)
      for (const Column& c : columns) {
        if (c.null(i)) t.values.emplace_back(1, c.null_char(i));
        else t.values.emplace_back(c.str(i, buf, sizeof buf));
      }
    tables.push_back(std::move(t));
  }
  if (!seen_atoms) return fail("no _atom_site category");
  apply_cif_categories(tables, out);
  return true;
}

// ---- writer ----
namespace {

void enc_kind(MsgWriter& w, const char* kind, uint32_t extra) {
  w.map(1 + extra);
  w.str("kind");
  w.str(kind);
}

// Writes {data, encoding} for ints as Delta → RunLength → IntegerPacking → ByteArray
// (the chain Mol* uses for ids), or plain Int32 when packing would not help.
void encode_ints(MsgWriter& w, const std::vector<int32_t>& v, bool delta) {
  std::vector<int32_t> d(v.size());
  int32_t origin = v.empty() ? 0 : v[0];
  if (delta) {
    int64_t prev = origin;
    for (size_t i = 0; i < v.size(); ++i) {
      int64_t diff = int64_t(v[i]) - prev;
      if (diff > INT32_MAX || diff < INT32_MIN) { delta = false; break; }
      d[i] = int32_t(diff);
      prev = v[i];
    }
  }
  if (!delta) d = v;
  // Run-length pairs.
  std::vector<int32_t> rl;
  for (size_t i = 0; i < d.size();) {
    size_t j = i;
    while (j < d.size() && d[j] == d[i] && j - i < size_t(INT32_MAX)) ++j;
    rl.push_back(d[i]);
    rl.push_back(int32_t(j - i));
    i = j;
  }
  const std::vector<int32_t>& src = rl;
  int32_t lo = 0, hi = 0;
  for (int32_t x : src) lo = std::min(lo, x), hi = std::max(hi, x);
  bool is_unsigned = lo >= 0;
  // Byte count: 1 unless most values need more (then 2); huge values become runs of limits.
  int bytes = 1;
  {
    size_t big = 0;
    for (int32_t x : src) big += is_unsigned ? x >= 0xFF : (x >= 0x7F || x <= -0x80);
    if (big * 4 > src.size()) bytes = 2;
  }
  int32_t upper = bytes == 1 ? (is_unsigned ? 0xFF : 0x7F) : (is_unsigned ? 0xFFFF : 0x7FFF);
  int32_t lower = is_unsigned ? 0 : (bytes == 1 ? -0x80 : -0x8000);
  std::vector<int32_t> packed;
  packed.reserve(src.size());
  for (int32_t x : src) {
    int64_t r = x;
    if (r >= 0) {
      while (r >= upper) { packed.push_back(upper); r -= upper; }
    } else {
      while (r <= lower) { packed.push_back(lower); r -= lower; }
    }
    packed.push_back(int32_t(r));
  }
  std::vector<uint8_t> raw(packed.size() * size_t(bytes));
  for (size_t i = 0; i < packed.size(); ++i) {
    uint32_t u = uint32_t(packed[i]);
    raw[i * size_t(bytes)] = uint8_t(u);
    if (bytes == 2) raw[i * 2 + 1] = uint8_t(u >> 8);
  }
  w.map(2);
  w.str("data");
  w.bin(raw.data(), raw.size());
  w.str("encoding");
  w.array(delta ? 4 : 3);
  if (delta) {
    enc_kind(w, "Delta", 2);
    w.str("origin"); w.integer(origin);
    w.str("srcType"); w.integer(3);
  }
  enc_kind(w, "RunLength", 2);
  w.str("srcType"); w.integer(3);
  w.str("srcSize"); w.integer(int64_t(d.size()));
  enc_kind(w, "IntegerPacking", 3);
  w.str("byteCount"); w.integer(bytes);
  w.str("isUnsigned"); w.boolean(is_unsigned);
  w.str("srcSize"); w.integer(int64_t(src.size()));
  enc_kind(w, "ByteArray", 1);
  w.str("type"); w.integer(bytes == 1 ? (is_unsigned ? 4 : 1) : (is_unsigned ? 5 : 2));
}

// Floats: FixedPoint with the fewest decimals that keep every value exactly, then the
// integer chain; Float32 bytes when no such factor exists.
void encode_floats(MsgWriter& w, const std::vector<float>& v) {
  static const double kPow[] = {1, 10, 100, 1e3, 1e4, 1e5, 1e6};
  int dec = 0;
  bool fixed = true;
  for (float x : v) {
    while (dec <= 6) {
      double s = std::round(double(x) * kPow[dec]);
      if (std::fabs(s) < 2e9 && float(s / kPow[dec]) == x) break;
      ++dec;
    }
    if (dec > 6) { fixed = false; break; }
  }
  if (fixed) {
    std::vector<int32_t> iv(v.size());
    for (size_t i = 0; i < v.size(); ++i) iv[i] = int32_t(std::round(double(v[i]) * kPow[dec]));
    MsgWriter inner;
    encode_ints(inner, iv, true);
    // Re-emit with FixedPoint prepended to the encoding list.
    MsgValue parsed;
    msgpack_decode(inner.out.data(), inner.out.size(), parsed, nullptr);
    const MsgValue* data = parsed.find("data");
    const MsgValue* encs = parsed.find("encoding");
    w.map(2);
    w.str("data");
    w.bin(data->str.data(), data->str.size());
    w.str("encoding");
    w.array(uint32_t(encs->arr.size() + 1));
    enc_kind(w, "FixedPoint", 2);
    w.str("factor"); w.integer(int64_t(kPow[dec]));
    w.str("srcType"); w.integer(32);
    // Copy the integer encodings as they were written.
    for (const MsgValue& e : encs->arr) {
      w.map(uint32_t(e.map.size()));
      for (const auto& kv : e.map) {
        w.str(kv.first);
        if (kv.second.type == MsgValue::Str) w.str(kv.second.str);
        else if (kv.second.type == MsgValue::Bool) w.boolean(kv.second.b);
        else w.integer(kv.second.i);
      }
    }
    return;
  }
  std::vector<uint8_t> raw(v.size() * 4);
  std::memcpy(raw.data(), v.data(), raw.size());  // little-endian hosts (x86, wasm)
  w.map(2);
  w.str("data");
  w.bin(raw.data(), raw.size());
  w.str("encoding");
  w.array(1);
  enc_kind(w, "ByteArray", 1);
  w.str("type"); w.integer(32);
}

void encode_strings(MsgWriter& w, const std::vector<std::string>& dict, const std::vector<int32_t>& idx) {
  std::string text;
  std::vector<int32_t> offsets{0};
  for (const std::string& s : dict) {
    text += s;
    offsets.push_back(int32_t(text.size()));
  }
  MsgWriter data_w, off_w;
  encode_ints(data_w, idx, true);
  encode_ints(off_w, offsets, true);
  MsgValue data_v, off_v;
  msgpack_decode(data_w.out.data(), data_w.out.size(), data_v, nullptr);
  msgpack_decode(off_w.out.data(), off_w.out.size(), off_v, nullptr);
  auto copy_encs = [&](const MsgValue& encs) {
    w.array(uint32_t(encs.arr.size()));
    for (const MsgValue& e : encs.arr) {
      w.map(uint32_t(e.map.size()));
      for (const auto& kv : e.map) {
        w.str(kv.first);
        if (kv.second.type == MsgValue::Str) w.str(kv.second.str);
        else if (kv.second.type == MsgValue::Bool) w.boolean(kv.second.b);
        else w.integer(kv.second.i);
      }
    }
  };
  const MsgValue* data_bytes = data_v.find("data");
  const MsgValue* off_bytes = off_v.find("data");
  w.map(2);
  w.str("data");
  w.bin(data_bytes->str.data(), data_bytes->str.size());
  w.str("encoding");
  w.array(1);
  enc_kind(w, "StringArray", 4);
  w.str("dataEncoding");
  copy_encs(*data_v.find("encoding"));
  w.str("stringData");
  w.str(text);
  w.str("offsetEncoding");
  copy_encs(*off_v.find("encoding"));
  w.str("offsets");
  w.bin(off_bytes->str.data(), off_bytes->str.size());
}

}  // namespace

std::vector<uint8_t> write_bcif(const Structure& s) {
  std::vector<OutCategory> cats = structure_categories(s);
  MsgWriter w;
  w.map(3);
  w.str("version"); w.str("0.3.0");
  w.str("encoder"); w.str("foldsight");
  w.str("dataBlocks");
  w.array(1);
  w.map(2);
  w.str("header"); w.str(s.name.empty() ? "foldsight" : s.name);
  w.str("categories");
  uint32_t ncat = 0;
  for (const OutCategory& c : cats) ncat += c.rows > 0;
  w.array(ncat);
  std::string scratch;
  for (const OutCategory& cat : cats) {
    if (cat.rows == 0) continue;
    w.map(3);
    w.str("name"); w.str("_" + cat.name);
    w.str("rowCount"); w.integer(int64_t(cat.rows));
    w.str("columns");
    w.array(uint32_t(cat.cols.size()));
    for (const OutColumn& c : cat.cols) {
      std::vector<int32_t> mask(cat.rows, 0);
      bool any_null = false;
      if (c.null_at)
        for (size_t r = 0; r < cat.rows; ++r) {
          mask[r] = int32_t(c.null_at(r));
          any_null |= mask[r] != 0;
        }
      w.map(3);
      w.str("name"); w.str(c.name);
      w.str("data");
      if (c.kind == OutColumn::Int) {
        std::vector<int32_t> v(cat.rows);
        for (size_t r = 0; r < cat.rows; ++r) v[r] = c.int_at(r);
        encode_ints(w, v, true);
      } else if (c.kind == OutColumn::Float) {
        std::vector<float> v(cat.rows);
        for (size_t r = 0; r < cat.rows; ++r) v[r] = c.float_at(r);
        encode_floats(w, v);
      } else {
        std::unordered_map<std::string, int32_t> ids;
        std::vector<std::string> dict;
        std::vector<int32_t> idx(cat.rows);
        for (size_t r = 0; r < cat.rows; ++r) {
          std::string v(c.str_at(r, scratch));
          if (v.empty() && !mask[r]) { mask[r] = 2; any_null = true; }  // empty string is '?'
          auto it = ids.find(v);
          if (it == ids.end()) {
            it = ids.emplace(v, int32_t(dict.size())).first;
            dict.push_back(v);
          }
          idx[r] = it->second;
        }
        encode_strings(w, dict, idx);
      }
      w.str("mask");
      if (any_null) encode_ints(w, mask, false);
      else w.nil();
    }
  }
  return std::move(w.out);
}

}  // namespace foldsight
