// FASTA reader: a '>' line starts a record (its text is the name); the sequence lines that
// follow are concatenated with blanks removed and letters upper-cased. ';' lines are
// comments. Sequence lines hold letters (IUPAC one-letter codes use all 26), '*' (stop)
// and '-' or '.' (gaps); anything else is an error naming the line, column and character.
#include <string>
#include "io.h"

namespace foldsight {
namespace {

std::string describe(unsigned char c) {
  if (c >= 33 && c < 127) return std::string("'") + char(c) + "'";
  static const char hex[] = "0123456789abcdef";
  return std::string("byte 0x") + hex[c >> 4] + hex[c & 15];
}

bool is_blank(unsigned char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\f' || c == '\v'; }

}  // namespace

bool read_fasta(std::string_view text, std::vector<FastaRecord>& out, ParseError* err) {
  out.clear();
  int line = 0;
  int header_line = 0;  // line of the last record's '>' header
  auto fail = [&](int at, const std::string& msg) {
    if (err) *err = {at, msg};
    out.clear();
    return false;
  };
  auto empty_record = [&]() {
    return fail(header_line, "record '" + out.back().name + "' has no sequence");
  };
  size_t pos = 0;
  if (text.size() >= 3 && text.compare(0, 3, "\xEF\xBB\xBF") == 0) pos = 3;  // UTF-8 BOM
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.empty() || l[0] == ';') continue;
    if (l[0] == '>') {
      if (!out.empty() && out.back().sequence.empty()) return empty_record();
      // NCBI headers separate merged entries with ^A, so only NUL marks binary data here.
      for (size_t i = 1; i < l.size(); ++i)
        if (l[i] == '\0')
          return fail(line, "binary data in a FASTA header (byte 0x00 in column " + std::to_string(i + 1) + ")");
      std::string_view name = l.substr(1);
      while (!name.empty() && is_blank(static_cast<unsigned char>(name.back()))) name.remove_suffix(1);
      while (!name.empty() && is_blank(static_cast<unsigned char>(name.front()))) name.remove_prefix(1);
      out.push_back({std::string(name), {}});
      header_line = line;
      continue;
    }
    size_t first = 0;
    while (first < l.size() && is_blank(static_cast<unsigned char>(l[first]))) ++first;
    if (first == l.size()) continue;  // blank line
    if (out.empty()) return fail(line, "sequence data before the first '>' header");
    std::string& seq = out.back().sequence;
    for (size_t i = first; i < l.size(); ++i) {
      unsigned char u = static_cast<unsigned char>(l[i]);
      if (u >= 'a' && u <= 'z') {
        seq.push_back(char(u - 32));
      } else if ((u >= 'A' && u <= 'Z') || u == '*' || u == '-' || u == '.') {
        seq.push_back(char(u));
      } else if (!is_blank(u)) {
        return fail(line, describe(u) + " in column " + std::to_string(i + 1) +
                              " is not a sequence letter (record '" + out.back().name + "')");
      }
    }
  }
  if (out.empty()) return fail(line, "no FASTA record ('>' header line) found");
  if (out.back().sequence.empty()) return empty_record();
  return true;
}

}  // namespace foldsight
