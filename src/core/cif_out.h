// The categories our mmCIF and BinaryCIF writers emit, described once: each column is a
// name, a kind and a getter per row, so the text writer and the binary encoder write
// exactly the same content (and the readers map it back to the same Structure).
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>
#include "structure.h"

namespace foldsight {

enum class CifNull : uint8_t { Present = 0, Inapplicable = 1, Unknown = 2 };  // value, '.', '?'

struct OutColumn {
  enum Kind { Int, Float, Str } kind = Str;
  std::string name;
  std::function<int32_t(size_t)> int_at;
  std::function<float(size_t)> float_at;
  std::function<std::string_view(size_t, std::string& scratch)> str_at;
  std::function<CifNull(size_t)> null_at;   // empty: never null
};

struct OutCategory {
  std::string name;   // without '_', e.g. "atom_site"
  size_t rows = 0;
  std::vector<OutColumn> cols;
};

// All categories that carry the model's fields: atom_site, entity, struct_conf,
// struct_sheet_range, assemblies, struct_conn, ModelCIF pLDDT.
std::vector<OutCategory> structure_categories(const Structure& s);

// Shortest decimal text that reads back to the same float ("12.345", "0.5", "1e-07").
std::string_view float_text(float v, char* buf, size_t n);

}  // namespace foldsight
