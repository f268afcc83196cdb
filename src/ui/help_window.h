// Keyboard shortcuts and the help window that lists them. The table is plain data (no ImGui
// here) so docs/SHORTCUTS.md is checked against it by the native tests.
#pragma once

namespace foldsight {

struct Shortcut {
  const char* keys;
  const char* action;
};

inline constexpr Shortcut kShortcuts[] = {
    {"F", "Focus: frame everything (or the selection)"},
    {"R", "Reset the view"},
    {"S", "Toggle spin"},
    {"1", "Cartoon"},
    {"2", "Ball & stick"},
    {"3", "Spacefill"},
    {"4", "Surface"},
    {"5", "Trace"},
    {"6", "Lines"},
    {"C", "Cycle the colour scheme"},
    {"M", "Measurement mode on / off (click atoms to measure)"},
    {"Esc", "Clear the selection and the pending measurement"},
    {"? or H", "Show / hide this help"},
};

struct MouseAction {
  const char* input;
  const char* action;
};

inline constexpr MouseAction kMouseActions[] = {
    {"Left drag", "Rotate"},
    {"Right / middle drag, Shift + left drag", "Pan"},
    {"Wheel", "Zoom"},
    {"Click a residue (sequence, tree)", "Select it; Shift: range, Ctrl/Cmd: toggle"},
    {"Hover a residue or plot point", "Highlight it in 3D"},
    {"Right-click an amino acid in the sequence strip", "Mutate it and predict again (the old model morphs into the new one)"},
};

// Draws the "Help" window while *open; its close button clears *open.
void draw_help_window(bool* open);

}  // namespace foldsight
