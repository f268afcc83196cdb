#include "structure.h"
#include <cctype>
#include <cstring>

namespace foldsight {

Name4 make_name4(const char* s, size_t n) {
  Name4 r{};
  size_t k = 0;
  // Primes are part of nucleotide atom names (C5', O3'); only blanks are padding. Quoted
  // mmCIF values arrive unquoted from the tokenizer.
  for (size_t i = 0; i < n && k < 4; ++i)
    if (s[i] != ' ') r[k++] = s[i];
  return r;
}

ResName make_resname(const char* s, size_t n) {
  ResName r{};
  size_t k = 0;
  for (size_t i = 0; i < n && k < 5; ++i)
    if (s[i] != ' ') r[k++] = s[i];
  return r;
}

void StructureBuilder::begin_model(int num) {
  s.model_num.push_back(num);
  s.model_chain_begin.push_back(uint32_t(s.chain_auth.size()));
}

void StructureBuilder::begin_chain(const std::string& auth, const std::string& label,
                                   const std::string& entity) {
  if (s.model_num.empty()) begin_model(1);
  s.chain_auth.push_back(auth);
  s.chain_label.push_back(label.empty() ? auth : label);
  s.chain_entity.push_back(entity);
  s.chain_res_begin.push_back(uint32_t(s.res_name.size()));
  s.chain_model.push_back(uint32_t(s.model_num.size() - 1));
}

void StructureBuilder::begin_residue(const ResName& name, int seq_id, int label_seq_id, char ins,
                                     bool het) {
  if (s.chain_auth.empty()) begin_chain("A", "A", "");
  s.res_name.push_back(name);
  s.seq_id.push_back(seq_id);
  s.label_seq_id.push_back(label_seq_id);
  s.ins_code.push_back(ins ? ins : ' ');
  s.het.push_back(het ? 1 : 0);
  s.ss.push_back('-');
  s.res_atom_begin.push_back(uint32_t(s.x.size()));
  s.res_chain.push_back(uint32_t(s.chain_auth.size() - 1));
}

void StructureBuilder::add_atom(const Name4& name, uint8_t element, char altloc, float x, float y,
                                float z, float occ, float b, int8_t charge, int32_t serial) {
  s.x.push_back(x);
  s.y.push_back(y);
  s.z.push_back(z);
  s.occupancy.push_back(occ);
  s.b_factor.push_back(b);
  s.atom_name.push_back(name);
  s.element.push_back(element);
  s.altloc.push_back(altloc ? altloc : ' ');
  s.charge.push_back(charge);
  s.serial.push_back(serial);
  s.atom_residue.push_back(uint32_t(s.res_name.size() - 1));
}

void StructureBuilder::finish() {
  s.res_atom_begin.push_back(uint32_t(s.x.size()));
  s.chain_res_begin.push_back(uint32_t(s.res_name.size()));
  s.model_chain_begin.push_back(uint32_t(s.chain_auth.size()));
}

std::vector<SsRun> secondary_structure_runs(const Structure& s) {
  std::vector<SsRun> runs;
  if (s.model_count() == 0 || s.ss.size() != s.residue_count()) return runs;
  for (uint32_t c = s.model_chain_begin[0]; c < s.model_chain_begin[1]; ++c) {
    uint32_t r = s.chain_res_begin[c], end = s.chain_res_begin[c + 1];
    while (r < end) {
      uint32_t q = r;
      while (q + 1 < end && s.ss[q + 1] == s.ss[r]) ++q;
      runs.push_back({r, q, s.ss[r]});
      r = q + 1;
    }
  }
  return runs;
}

// ---- elements ----
namespace {
const char* const kSymbols[] = {
    "X",  "H",  "He", "Li", "Be", "B",  "C",  "N",  "O",  "F",  "Ne", "Na", "Mg", "Al", "Si",
    "P",  "S",  "Cl", "Ar", "K",  "Ca", "Sc", "Ti", "V",  "Cr", "Mn", "Fe", "Co", "Ni", "Cu",
    "Zn", "Ga", "Ge", "As", "Se", "Br", "Kr", "Rb", "Sr", "Y",  "Zr", "Nb", "Mo", "Tc", "Ru",
    "Rh", "Pd", "Ag", "Cd", "In", "Sn", "Sb", "Te", "I",  "Xe", "Cs", "Ba", "La", "Ce", "Pr",
    "Nd", "Pm", "Sm", "Eu", "Gd", "Tb", "Dy", "Ho", "Er", "Tm", "Yb", "Lu", "Hf", "Ta", "W",
    "Re", "Os", "Ir", "Pt", "Au", "Hg", "Tl", "Pb", "Bi", "Po", "At", "Rn", "Fr", "Ra", "Ac",
    "Th", "Pa", "U"};
constexpr int kNumElements = int(sizeof(kSymbols) / sizeof(kSymbols[0]));
}  // namespace

uint8_t element_from_symbol(const char* s, size_t n) {
  char a = 0, b = 0;
  for (size_t i = 0; i < n; ++i) {
    char c = s[i];
    if (!std::isalpha(static_cast<unsigned char>(c))) continue;
    if (!a) a = char(std::toupper(static_cast<unsigned char>(c)));
    else if (!b) b = char(std::tolower(static_cast<unsigned char>(c)));
  }
  if (!a) return 0;
  // Deuterium is hydrogen for drawing and analysis.
  if (a == 'D' && !b) return 1;
  for (int z = 1; z < kNumElements; ++z) {
    const char* e = kSymbols[z];
    if (e[0] == a && ((b == 0 && e[1] == 0) || e[1] == b)) return uint8_t(z);
  }
  return 0;
}

uint8_t element_from_atom_name(const Name4& name, const ResName& res) {
  // PDB convention: in columns 13-14 the element is right-justified; after trimming we
  // only have the name, so use residue knowledge: standard residues hold C,N,O,S,H,P,Se.
  const char c0 = name[0];
  if (!c0) return 0;
  if (is_amino_acid(res) || is_nucleotide(res) || is_water(res)) {
    if (c0 >= '0' && c0 <= '9') return element_from_symbol(&name[1], 1);  // e.g. 1HB2
    if (res == make_resname("MSE", 3) && name[0] == 'S' && name[1] == 'E') return 34;
    return element_from_symbol(&name[0], 1);
  }
  // Ligands/ions: try two-letter symbol when the name is exactly the symbol (FE, ZN, CL).
  if (name[1] && !name[2] && std::isalpha(static_cast<unsigned char>(name[1]))) {
    uint8_t z = element_from_symbol(&name[0], 2);
    if (z) return z;
  }
  return element_from_symbol(&name[0], 1);
}

const char* element_symbol(uint8_t z) { return z < kNumElements ? kSymbols[z] : "X"; }

float vdw_radius(uint8_t z) {
  switch (z) {
    case 1: return 1.10f;
    case 6: return 1.70f;
    case 7: return 1.55f;
    case 8: return 1.52f;
    case 9: return 1.47f;
    case 15: return 1.80f;
    case 16: return 1.80f;
    case 17: return 1.75f;
    case 34: return 1.90f;
    case 35: return 1.85f;
    case 53: return 1.98f;
    case 11: return 2.27f;
    case 12: return 1.73f;
    case 19: return 2.75f;
    case 20: return 2.31f;
    case 26: return 2.04f;
    case 29: return 1.40f;
    case 30: return 1.39f;
    default: return 1.80f;
  }
}

float covalent_radius(uint8_t z) {
  switch (z) {
    case 1: return 0.31f;
    case 6: return 0.76f;
    case 7: return 0.71f;
    case 8: return 0.66f;
    case 9: return 0.57f;
    case 15: return 1.07f;
    case 16: return 1.05f;
    case 17: return 1.02f;
    case 34: return 1.20f;
    case 35: return 1.20f;
    case 53: return 1.39f;
    default: return 1.40f;
  }
}

namespace {
struct Aa { const char* three; char one; };
const Aa kAminoAcids[] = {
    {"ALA", 'A'}, {"ARG", 'R'}, {"ASN", 'N'}, {"ASP", 'D'}, {"CYS", 'C'}, {"GLN", 'Q'},
    {"GLU", 'E'}, {"GLY", 'G'}, {"HIS", 'H'}, {"ILE", 'I'}, {"LEU", 'L'}, {"LYS", 'K'},
    {"MET", 'M'}, {"PHE", 'F'}, {"PRO", 'P'}, {"SER", 'S'}, {"THR", 'T'}, {"TRP", 'W'},
    {"TYR", 'Y'}, {"VAL", 'V'}, {"MSE", 'M'}, {"SEC", 'U'}, {"PYL", 'O'}, {"HSD", 'H'},
    {"HSE", 'H'}, {"HSP", 'H'}, {"HID", 'H'}, {"HIE", 'H'}, {"HIP", 'H'}, {"CYX", 'C'},
    {"ASX", 'B'}, {"GLX", 'Z'}, {"UNK", 'X'}, {"SEP", 'S'}, {"TPO", 'T'}, {"PTR", 'Y'},
    {"MLY", 'K'}, {"CSO", 'C'}, {"HYP", 'P'}, {"KCX", 'K'}, {"LLP", 'K'}, {"CME", 'C'}};
bool eq(const ResName& r, const char* s) { return std::strcmp(r.data(), s) == 0; }
}  // namespace

char one_letter_code(const ResName& r) {
  for (const Aa& a : kAminoAcids)
    if (eq(r, a.three)) return a.one;
  return 'X';
}

bool is_amino_acid(const ResName& r) {
  for (const Aa& a : kAminoAcids)
    if (eq(r, a.three)) return true;
  return false;
}

bool is_nucleotide(const ResName& r) {
  static const char* const kNuc[] = {"A", "C", "G", "U", "T", "I", "DA", "DC", "DG", "DT", "DU", "DI"};
  for (const char* n : kNuc)
    if (eq(r, n)) return true;
  return false;
}

bool is_water(const ResName& r) {
  return eq(r, "HOH") || eq(r, "WAT") || eq(r, "H2O") || eq(r, "DOD") || eq(r, "SOL");
}

}  // namespace foldsight
