#pragma once
// Weights as the CUDA kernels read them: every matrix is repacked at upload into one of five dense layouts, so a
// kernel never handles strides or the 17- and 34-byte ggml blocks (which defeat 16-byte loads).
//   F32/F16/BF16: rows of `cols` elements.
//   Q8:    int8 rows of `cols` plus one f16 scale per 32 elements (a separate plane).
//   MXFP4: rows of cols/2 bytes, byte i of a 32-block = element 2i (low nibble) | element 2i+1 (high), plus one
//          E8M0 byte per 32 elements (a separate plane). ggml's order (i | i+16) is converted at upload.
// Plain C++: shared by host code (g++) and kernels (nvcc).
#include <cstdint>

namespace tally::backend::cuda {

enum class Kind : int { F32 = 0, F16 = 1, BF16 = 2, Q8 = 3, MXFP4 = 4 };

struct DevMatrix {
  Kind kind = Kind::F32;
  int64_t rows = 0;
  int64_t cols = 0;
  int64_t count = 1;
  const uint8_t* q = nullptr;       // element plane (device)
  const uint8_t* scales = nullptr;  // Q8: f16 per block; MXFP4: E8M0 byte per block (device)

  // Bytes of one row in the element plane.
  int64_t row_bytes() const {
    switch (kind) {
      case Kind::F32: return cols * 4;
      case Kind::F16:
      case Kind::BF16: return cols * 2;
      case Kind::Q8: return cols;
      case Kind::MXFP4: return cols / 2;
    }
    return 0;
  }
  // Bytes of one row in the scale plane.
  int64_t scale_row_bytes() const {
    return kind == Kind::Q8 ? cols / 32 * 2 : kind == Kind::MXFP4 ? cols / 32 : 0;
  }
};

}  // namespace tally::backend::cuda
