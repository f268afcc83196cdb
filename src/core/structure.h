// The single data model of Foldsight. Parsers produce it, analysis annotates it, builders
// turn it into GPU buffers, the UI reads it. Atoms are stored as structure-of-arrays; the
// hierarchy model → chain → residue → atom is expressed by contiguous index ranges, so a
// residue's atoms are [res_atom_begin[r], res_atom_begin[r+1]).
#pragma once
#include <array>
#include <cstdint>
#include <string>
#include <vector>

namespace foldsight {

// Four-character atom names / residue names are stored inline (NUL padded) so that the
// hot per-atom arrays never allocate.
using Name4 = std::array<char, 5>;   // up to 4 chars + NUL (atom name, e.g. "CA", "OXT")
using ResName = std::array<char, 6>; // up to 5 chars + NUL (mmCIF allows longer comp ids; we truncate at 5)

Name4 make_name4(const char* s, size_t n);
ResName make_resname(const char* s, size_t n);

enum class BondOrder : uint8_t { Single = 1, Double = 2, Triple = 3, Aromatic = 4 };
struct Bond {
  uint32_t a, b;
  BondOrder order = BondOrder::Single;
};

// DSSP 8-state code per residue: 'H','G','I','E','B','T','S','P' or '-' (none / not protein).
using SSCode = char;

// An entity (mmCIF `entity`): one distinct molecule; chains point to it by id.
struct Entity {
  std::string id;
  std::string type;         // "polymer", "non-polymer", "water", "branched"
  std::string description;  // pdbx_description
};

// One biological assembly (pdbx_struct_assembly + _gen + oper_list), operators applied to
// the listed label_asym_ids. Each operator is a 3x4 row-major matrix [R | t].
struct Assembly {
  std::string id;
  std::string details;
  struct Gen {
    std::vector<std::string> asym_ids;
    std::vector<std::array<float, 12>> operators;  // already expanded (products resolved)
  };
  std::vector<Gen> gens;
};

struct Structure {
  std::string name;   // entry id or file name

  // ---- atoms (size = atom_count()) ----
  std::vector<float> x, y, z;
  std::vector<float> occupancy, b_factor;
  std::vector<Name4> atom_name;
  std::vector<uint8_t> element;    // atomic number, 0 = unknown
  std::vector<char> altloc;        // ' ' when none
  std::vector<int8_t> charge;
  std::vector<int32_t> serial;     // as read (hybrid-36 decoded); writers renumber when needed
  std::vector<uint32_t> atom_residue;  // residue index of each atom

  // ---- residues (size = residue_count()) ----
  std::vector<ResName> res_name;
  std::vector<int32_t> seq_id;        // author residue number (auth_seq_id)
  std::vector<int32_t> label_seq_id;  // mmCIF label_seq_id, or seq_id when absent
  std::vector<char> ins_code;         // ' ' when none
  std::vector<uint8_t> het;           // 1 for HETATM records
  std::vector<SSCode> ss;             // secondary structure, '-' when unknown/none
  std::vector<uint32_t> res_atom_begin;  // size residue_count()+1
  std::vector<uint32_t> res_chain;    // chain index of each residue

  // ---- chains (size = chain_count()) ----
  std::vector<std::string> chain_auth;   // auth_asym_id (PDB chain id)
  std::vector<std::string> chain_label;  // label_asym_id
  std::vector<std::string> chain_entity; // entity id, "" when unknown
  std::vector<uint32_t> chain_res_begin; // size chain_count()+1
  std::vector<uint32_t> chain_model;     // model index of each chain

  // ---- models (size = model_count()) ----
  std::vector<int32_t> model_num;
  std::vector<uint32_t> model_chain_begin;  // size model_count()+1

  std::vector<Bond> bonds;       // all covalent bonds (compute_bonds fills it)
  std::vector<Bond> file_bonds;  // bonds stated by the file (CONECT, struct_conn covale/disulf/metalc)
  std::vector<float> res_confidence;  // per-residue pLDDT (ModelCIF ma_qa_metric_local); empty if absent
  std::vector<Entity> entities;
  std::vector<Assembly> assemblies;
  bool has_ss = false;   // true when the file carried (or analysis computed) secondary structure

  size_t atom_count() const { return x.size(); }
  size_t residue_count() const { return res_name.size(); }
  size_t chain_count() const { return chain_auth.size(); }
  size_t model_count() const { return model_num.size(); }
};

// Incremental construction used by every reader: call begin_model / begin_chain /
// begin_residue as the hierarchy changes, add_atom for each atom, finish() at the end to
// close the range arrays. Keeps range bookkeeping in one place.
struct StructureBuilder {
  Structure& s;
  explicit StructureBuilder(Structure& st) : s(st) {}
  void begin_model(int num);
  void begin_chain(const std::string& auth, const std::string& label, const std::string& entity);
  void begin_residue(const ResName& name, int seq_id, int label_seq_id, char ins, bool het);
  void add_atom(const Name4& name, uint8_t element, char altloc, float x, float y, float z,
                float occ, float b, int8_t charge, int32_t serial);
  void finish();
};

// Maximal runs of one secondary-structure code inside each chain of the first model (coil
// included); the writers turn them into HELIX/SHEET records or struct_conf rows.
struct SsRun {
  uint32_t first, last;  // residue indices, inclusive
  char code;
};
std::vector<SsRun> secondary_structure_runs(const Structure& s);

// Element helpers.
uint8_t element_from_symbol(const char* s, size_t n);   // "C", "Fe", "SE" ... → Z (0 unknown)
uint8_t element_from_atom_name(const Name4& atom_name, const ResName& res_name);  // PDB fallback
const char* element_symbol(uint8_t z);
float vdw_radius(uint8_t z);        // Å (Bondi / Alvarez)
float covalent_radius(uint8_t z);   // Å

bool is_amino_acid(const ResName& r);
bool is_nucleotide(const ResName& r);
bool is_water(const ResName& r);
char one_letter_code(const ResName& r);   // 'X' when unknown

}  // namespace foldsight
