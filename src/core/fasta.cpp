// FASTA reader: '>' header lines start a record; sequence lines are concatenated with
// whitespace removed. Lines starting with ';' are comments.
#include <cctype>
#include "io.h"

namespace foldsight {

bool read_fasta(std::string_view text, std::vector<FastaRecord>& out, ParseError* err) {
  out.clear();
  size_t pos = 0;
  int line = 0;
  while (pos < text.size()) {
    size_t end = text.find('\n', pos);
    if (end == std::string_view::npos) end = text.size();
    std::string_view l = text.substr(pos, end - pos);
    pos = end + 1;
    ++line;
    if (!l.empty() && l.back() == '\r') l.remove_suffix(1);
    if (l.empty() || l[0] == ';') continue;
    if (l[0] == '>') {
      out.push_back({std::string(l.substr(1)), {}});
      continue;
    }
    if (out.empty()) {
      if (err) *err = {line, "sequence data before the first '>' header"};
      return false;
    }
    for (char c : l) {
      unsigned char u = (unsigned char)c;
      if (std::isspace(u)) continue;
      if (!std::isalpha(u) && c != '*' && c != '-') {
        if (err) *err = {line, std::string("invalid character in sequence: '") + c + "'"};
        return false;
      }
      out.back().sequence.push_back(char(std::toupper(u)));
    }
  }
  if (out.empty()) {
    if (err) *err = {line, "no FASTA record found"};
    return false;
  }
  return true;
}

}  // namespace foldsight
