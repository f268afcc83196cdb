// The folding movie: the Cα snapshots recorded by the real folding run (src/predict/fold.h),
// played back as a tube so students can watch the chain collapse into the final model.
#pragma once
#include <string>
#include <vector>
#include "core/structure.h"
#include "core/superpose.h"

namespace foldsight {

struct FoldingMovie {
  std::string sequence;
  std::vector<float> frames;   // frame_count × L × 3 Cα coordinates
  int frame_count = 0;
  int current = 0;             // frame shown
  bool playing = false;
  double frame_time_ms = 50;   // 20 frames per second
  double clock_ms = 0;
  int frames_shown = 0;        // distinct frames displayed since the last play (for tests)
  int coloring = 0;            // 0 secondary structure as it forms, 1 hydrophobicity, 2 rainbow N→C

  int length() const { return int(sequence.size()); }
  bool empty() const { return frame_count == 0; }
};

// A Cα-only structure for one frame, residues named from the sequence and numbered 1..L, with
// the frame's own secondary structure (from Cα geometry), so the usual trace builder and colour
// schemes apply. Each frame is superposed on the last one
// (Kabsch on Cα) so the movie does not tumble.
Structure folding_movie_frame(const FoldingMovie& movie, int frame);

// The morph shown after "mutate residue": the old model's Cα (superposed on the new model)
// moving into the new model's over `frames` frames (eased), ending exactly on the new model.
// from and to have one Cα per residue of `sequence` (the new sequence).
FoldingMovie morph_movie(const std::string& sequence, const std::vector<Vec3d>& from, const std::vector<Vec3d>& to,
                         int frames = 40);

// Advances playback by dt_ms; returns true when the frame shown changed.
bool folding_movie_advance(FoldingMovie& movie, double dt_ms);

}  // namespace foldsight
