// The "Open" window: open a file (picker or drag and drop), a URL, a bundled example from the
// gallery, or a recent file (kept in this browser's IndexedDB by web/recent_files.js; the list
// arrives from JS). Returns what the user asked for; the app forwards it to JS.
#pragma once
#include <map>
#include <string>
#include <vector>
#include "imgui.h"

namespace foldsight {

struct ExampleStructure {
  const char* file;          // under demo/ in the site
  const char* title;
  const char* description;
};
// The gallery: structures shipped with the site (Debian's pymol-data and biopython test files).
const std::vector<ExampleStructure>& example_structures();

struct RecentFile {
  int id = 0;
  std::string name;
  double size = 0;          // bytes
  std::string when;         // as JS formats it ("2026-11-29 05:40")
};

struct OpenPanelState {
  bool open = true;
  bool start_collapsed = true;
  char url[1024] = "";
  std::vector<RecentFile> recent;
};

struct OpenPanelActions {
  bool pick_file = false;
  std::string url;           // non-empty: open this URL
  int example = -1;          // index into example_structures()
  int recent = -1;           // RecentFile::id to reopen
  int forget = -1;           // RecentFile::id to forget
  bool clear_recent = false;
};

// With item_rects, records "open:file", "open:url", "open:url_button", "example:<i>",
// "recent:<i>" (row i of the list), "recent_forget:<i>", "recent:clear".
OpenPanelActions draw_open_panel(OpenPanelState& state, std::map<std::string, ImVec4>* item_rects = nullptr);

}  // namespace foldsight
