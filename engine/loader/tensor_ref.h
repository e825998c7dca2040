#pragma once
// One tensor as either file format describes it, in a common form so the assembly rules (shape checks, views,
// conversions to f32) are written once. Shapes here are outermost first (the safetensors / PyTorch order); GGUF's
// fastest-first dims are reversed on the way in.
#include <cstdint>
#include <string>
#include <vector>

namespace tally::loader {

enum class StoredType { F32, F16, BF16, Q8_0, MXFP4, U8 };
const char* stored_type_name(StoredType t);

struct TensorRef {
  std::string name;
  std::string file;  // the file it lives in, for messages
  StoredType type = StoredType::F32;
  std::vector<int64_t> shape;
  const uint8_t* data = nullptr;
  uint64_t bytes = 0;
};

}  // namespace tally::loader
