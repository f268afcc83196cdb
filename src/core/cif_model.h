// What the mmCIF and BinaryCIF readers share: turning _atom_site rows into the Structure
// hierarchy, and applying the small categories (secondary structure, entities,
// assemblies, struct_conn, ModelCIF pLDDT) once the atoms are in place. Both readers
// decode their own syntax and hand over the same plain values, so the two formats map to
// the data model identically.
#pragma once
#include <climits>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include "structure.h"

namespace foldsight {

constexpr int32_t kCifNullInt = INT32_MIN;

// One _atom_site row. Empty views and kCifNullInt mean '?' / '.'.
struct AtomSiteRow {
  std::string_view group, symbol, atom_name, alt, comp, label_asym, entity, ins, auth_asym;
  int32_t id = 0, label_seq = kCifNullInt, auth_seq = kCifNullInt, model = 1, charge = 0;
  float x = 0, y = 0, z = 0, occ = 1, b = 0;
};

// Builds chains as runs of atoms with the same (auth_asym_id, label_asym_id) and residues
// as runs with the same (comp, auth_seq_id, ins code, label_seq_id), as gemmi does.
class AtomSiteBuilder {
 public:
  explicit AtomSiteBuilder(Structure& s) : s_(s), b_(s) {}
  void reserve_atoms(size_t n);
  void add(const AtomSiteRow& r);
  void finish() { b_.finish(); }

 private:
  Structure& s_;
  StructureBuilder b_;
  int cur_model_ = kCifNullInt;
  bool chain_open_ = false, res_open_ = false;
  std::string cur_auth_, cur_label_;
  ResName cur_res_{};
  int32_t cur_seq_ = 0, cur_label_seq_ = 0;
  char cur_ins_ = 0;
};

// A small category read in full: row-major values, "?" and "." kept as written.
struct CifTable {
  std::string name;                 // category without the leading '_', lower case ("struct_conf")
  std::vector<std::string> tags;    // item names, lower case ("beg_label_asym_id")
  std::vector<std::string> values;  // rows * tags.size()
  size_t rows() const { return tags.empty() ? 0 : values.size() / tags.size(); }
  int col(std::string_view tag) const;
  // Value or "" when the column is absent or the value is null.
  std::string_view get(size_t row, int col) const;
};

// Categories the readers keep (everything else is skipped without storing).
bool cif_category_wanted(std::string_view category_lower);

// Applies the kept categories to a structure whose atoms are already read.
void apply_cif_categories(const std::vector<CifTable>& tables, Structure& s);

// Element symbol → Z through a lookup table (the per-atom hot path).
uint8_t element_from_symbol_fast(std::string_view sym);

// Parses "(1-60)", "(1,2)(3,4)", "1,5-7" into operator-id groups; false when malformed.
bool parse_oper_expression(std::string_view expr, std::vector<std::vector<std::string>>& groups);

}  // namespace foldsight
