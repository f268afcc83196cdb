// BinaryCIF reader. NOT IMPLEMENTED YET: MessagePack decoding and the BinaryCIF column
// encodings are still to be written. Until then this reports a clear error instead of
// guessing, so callers (and the app) show the user why the file did not open.
#include "io.h"

namespace foldsight {

bool read_bcif(const uint8_t* data, size_t size, Structure& out, ParseError* err) {
  (void)data; (void)size; (void)out;
  if (err) *err = {0, "BinaryCIF reading is not implemented yet"};
  return false;
}

}  // namespace foldsight
