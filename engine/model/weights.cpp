#include "model/weights.h"

namespace tally::model {

const char* dtype_name(DType t) {
  switch (t) {
    case DType::F32: return "F32";
    case DType::F16: return "F16";
    case DType::BF16: return "BF16";
    case DType::Q8_0: return "Q8_0";
    case DType::MXFP4: return "MXFP4";
    case DType::MXFP4_SPLIT: return "MXFP4_SPLIT";
  }
  return "?";
}

int dtype_block_size(DType t) {
  switch (t) {
    case DType::Q8_0:
    case DType::MXFP4:
    case DType::MXFP4_SPLIT:
      return 32;
    default:
      return 1;
  }
}

size_t dtype_row_bytes(DType t, int64_t n) {
  const auto un = static_cast<size_t>(n);
  switch (t) {
    case DType::F32: return un * 4;
    case DType::F16:
    case DType::BF16: return un * 2;
    case DType::Q8_0: return un / 32 * 34;        // f16 scale + 32 int8
    case DType::MXFP4: return un / 32 * 17;       // E8M0 scale + 16 nibble bytes
    case DType::MXFP4_SPLIT: return un / 32 * 16;  // scales live in their own plane
  }
  return 0;
}

}  // namespace tally::model
