// Readers and writers of structure files. Every reader fills a Structure through
// StructureBuilder and reports problems as a ParseError naming the line (1-based) where
// it found them; readers never throw and never abort on malformed input.
#pragma once
#include <cstdint>
#include <functional>
#include <string>
#include <string_view>
#include <vector>
#include "structure.h"

namespace foldsight {

struct ParseError {
  int line = 0;           // 1-based line of the problem; 0 when not line-based (binary formats)
  std::string message;    // one readable sentence
};

enum class Format { Auto, Pdb, Mmcif, BinaryCif, Fasta };

// Guess the format from the file name (extension, .gz stripped) and, failing that, from content.
Format detect_format(std::string_view file_name, const uint8_t* data, size_t size);

bool read_pdb(std::string_view text, Structure& out, ParseError* err);
bool read_mmcif(std::string_view text, Structure& out, ParseError* err);
bool read_bcif(const uint8_t* data, size_t size, Structure& out, ParseError* err);

// mmCIF from a byte source read in chunks (read returns bytes read, 0 at end, -1 on error),
// so the whole text is never held in memory. size_hint (total bytes, 0 if unknown) lets the
// reader reserve the atom arrays once.
bool read_mmcif_stream(const std::function<long(char*, size_t)>& read, size_t size_hint, Structure& out,
                       ParseError* err);

// Reads a structure file from disk: mmCIF (plain or gzip) is streamed; other formats are
// read whole and passed to read_structure. Prefer this over read_structure for big files.
bool read_structure_file(const char* path, Format format, Structure& out, ParseError* err);

// Reads any supported format; transparently inflates gzip input. file_name is used for
// format detection and as the structure's name.
bool read_structure(const uint8_t* data, size_t size, std::string_view file_name, Format format,
                    Structure& out, ParseError* err);

std::string write_pdb(const Structure& s);
std::string write_mmcif(const Structure& s);
std::vector<uint8_t> write_bcif(const Structure& s);

struct FastaRecord { std::string name, sequence; };
bool read_fasta(std::string_view text, std::vector<FastaRecord>& out, ParseError* err);

// gzip / zlib inflate (native: zlib; wasm: zlib port). Returns false on corrupt data.
bool is_gzip(const uint8_t* data, size_t size);
bool gunzip(const uint8_t* data, size_t size, std::vector<uint8_t>& out, std::string* err);

}  // namespace foldsight
