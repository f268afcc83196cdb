// Template library: the PDB chains of known structure that template search and modelling use
// (written by scripts/data/export_library.py, downloaded by the app as one binary file).
// Per residue: one-letter sequence, a 1-byte profile code (index into a codebook of
// amino-acid frequency vectors fitted on the chains' HHblits profiles), the DSSP 8-state
// letter, and the backbone as quantised internal coordinates (rebuilt by template_backbone).
#pragma once
#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>
#include "predict/backbone.h"

namespace foldsight {

constexpr char kLibraryMagic[8] = {'F', 'S', 'T', 'P', 'L', 'L', 'I', 'B'};
constexpr uint32_t kLibraryVersion = 1;
constexpr int kProfileDims = 20;  // amino acids in the order ACDEFGHIKLMNPQRSTVWY

// k-mer index over all library sequences, built once at load (see search.h).
struct KmerIndex {
  static constexpr int kPosBits = 17;  // residue position within its chain (chains < 131072)
  int k = 0;
  std::vector<uint32_t> start;    // 20^k + 1 offsets into entries, one bucket per k-mer
  std::vector<uint32_t> entries;  // chain << kPosBits | position of the k-mer's first residue
  std::vector<int8_t> letters;    // every library residue as 0..19 (ACDEFGHIKLMNPQRSTVWY), 20 = other
};

struct Library {
  uint32_t version = 0;
  int n_codes = 0;
  std::vector<float> codebook;         // n_codes * kProfileDims frequencies
  std::vector<std::string> names;      // PDBID_CHAIN
  std::vector<uint32_t> offset;        // chain i's residues are [offset[i], offset[i+1])
  std::string seq;                     // all chains' one-letter codes, concatenated
  std::vector<uint8_t> prof;           // profile code per residue
  std::string dssp;                    // DSSP letter per residue ('-' = none)
  std::vector<float> start;            // 9 floats per chain: N, CA, C of its first residue
  std::vector<uint8_t> internal;       // 12 planes of n_residues bytes (see export_library.py)
  std::vector<uint32_t> escape_atom;   // sorted residue*4+atom of atoms stored absolutely
  std::vector<float> escape_xyz;       // 3 floats per escape
  KmerIndex kmers;

  size_t size() const { return names.size(); }
  size_t residues() const { return seq.size(); }
  size_t length(size_t i) const { return offset[i + 1] - offset[i]; }
  std::string_view sequence(size_t i) const {
    return std::string_view(seq).substr(offset[i], length(i));
  }
  std::string_view dssp_states(size_t i) const {
    return std::string_view(dssp).substr(offset[i], length(i));
  }
  const uint8_t* profile_codes(size_t i) const { return prof.data() + offset[i]; }
  const float* code_frequencies(int code) const { return codebook.data() + code * kProfileDims; }
};

// Parses library bytes (a file, or an ArrayBuffer in the browser), validates the header and
// every section size, and builds the k-mer index. On failure returns false with a one-line
// reason in `error` (bad magic, unsupported version, truncated section, inconsistent sizes).
bool read_library(const uint8_t* data, size_t size, Library& lib, std::string& error);
bool read_library_file(const std::string& path, Library& lib, std::string& error);

// Index of a chain by name, or -1.
int find_template(const Library& lib, std::string_view name);

// Rebuilds chain `index`'s backbone: N, CA, C, O as stored (< 0.02 A from the source) and an
// ideal CB (also for glycine, as a virtual CB).
Backbone template_backbone(const Library& lib, size_t index);

}  // namespace foldsight
