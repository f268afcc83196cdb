// Atom selection language (PyMOL / Mol* style), e.g.
//   chain A and resi 10-50        resn HEM        name CA+CB        name C*
//   protein and not hydrogen      within 5 of ligand        byres (within 4 of resn HEM)
//   b > 50        elem Fe        model 2        altloc A        (chain A or chain B) and backbone
// Grammar (keywords case-insensitive; `and` binds tighter than `or`; `not`, `within D of`
// and `byres` apply to the next operand, so `within 5 of resn HEM and chain A` means
// `(within 5 of resn HEM) and chain A`):
//   expr    := and_expr ('or' | '|') and_expr ...
//   and_expr:= unary ('and' | '&') unary ...
//   unary   := ('not' | '!') unary | 'within' NUMBER 'of' unary | 'byres' unary | primary
//   primary := '(' expr ')' | flag | property VALUES | ('b' | 'q') OP NUMBER
//   flag    := all none protein nucleic polymer ligand water hydrogen backbone sidechain hetatm
//   property:= chain resi resn name elem|element model altloc; VALUES joined by '+' or ','
// resi values: 10, -3, 100A (insertion code), ranges 10-50, -5--1, 100A-102. A single
// number without insertion code matches only residues without one; a range's upper end
// without insertion code includes that number's insertion codes.
// chain compares author chain ids, exactly; when no chain has that exact id, case-insensitively.
// ligand = residues that are neither polymer (amino acid / nucleotide, or a residue of a
// polymer entity) nor water. within D of X contains X itself and works within each model.
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include "structure.h"

namespace foldsight {

struct SelectionError {
  size_t position = 0;   // 0-based character offset in the expression
  std::string message;   // what is wrong, without the position
};

// A parsed selection: evaluate it on any number of structures.
struct Selection {
  enum class Kind : uint8_t {
    All, None, Not, And, Or, Within, Byres,
    Chain, Resi, Resn, Name, Elem, Model, Altloc, BFactor, Occupancy,
    Protein, Nucleic, Polymer, Ligand, Water, Hydrogen, Backbone, Sidechain, Hetatm,
  };
  struct ResiRange {
    int first, last;
    char first_ins, last_ins;  // last_ins 0: any insertion code of `last`
  };
  struct Node {
    Kind kind = Kind::All;
    int a = -1, b = -1;              // operands (node indices)
    float value = 0;                 // within: distance; b/q: threshold
    char op = 0;                     // b/q comparison: '<' '>' 'l' (<=) 'g' (>=) '=' '!' (!=)
    std::vector<std::string> words;  // chain ids, residue names, atom name patterns, altlocs (upper case but chains)
    std::vector<uint8_t> elements;   // elem
    std::vector<ResiRange> ranges;   // resi, model (model uses first/last only)
  };
  std::vector<Node> nodes;
  int root = -1;
};

bool parse_selection(std::string_view expr, Selection& out, SelectionError* err);

// mask[i] = 1 for selected atoms (resized to s.atom_count()).
void evaluate_selection(const Selection& sel, const Structure& s, std::vector<uint8_t>& mask);

// Parse + evaluate. On a syntax error returns false, fills err and leaves mask all zero.
bool select_atoms(const Structure& s, std::string_view expr, std::vector<uint8_t>& mask, SelectionError* err);

// "message at position N" followed by the expression and a caret under the position.
std::string format_selection_error(std::string_view expr, const SelectionError& err);

}  // namespace foldsight
