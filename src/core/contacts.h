// Residue contact map: residue pairs whose representative atoms (CA, or CB with CA for
// glycine) lie within a distance cut-off. Computed per chain pair with a uniform spatial grid,
// so it is linear in the number of residues for the usual cut-offs (6–12 Å).
#pragma once
#include <cstdint>
#include <vector>
#include "structure.h"

namespace foldsight {

enum class ContactAtom : uint8_t { CA, CB };

struct Contact {
  uint32_t res_a, res_b;  // residue indices into Structure, res_a in chain_a, res_b in chain_b
  float distance;         // Å between the representative atoms
};

// Residue index → representative atom index, or UINT32_MAX when the residue has none.
uint32_t contact_atom(const Structure& s, uint32_t residue, ContactAtom kind);

// Contacts between chain_a and chain_b (may be equal: then each pair once, res_a < res_b, and
// residues fewer than min_separation positions apart in the chain are skipped). Sorted by (res_a, res_b).
std::vector<Contact> chain_contacts(const Structure& s, uint32_t chain_a, uint32_t chain_b,
                                    float cutoff, ContactAtom kind = ContactAtom::CA,
                                    int min_separation = 0);

// All contacts within one model, over every chain pair (including each chain with itself).
std::vector<Contact> model_contacts(const Structure& s, uint32_t model, float cutoff,
                                    ContactAtom kind = ContactAtom::CA, int min_separation = 0);

}  // namespace foldsight
