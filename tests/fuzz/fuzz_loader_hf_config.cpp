// Arbitrary bytes as a Hugging Face config.json: an Error or a config, never a crash or an exception.
#include <cstddef>
#include <cstdint>
#include <string_view>

#include "loader/hf_config.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  (void)tally::loader::parse_hf_config(text, "fuzz/config.json", "fuzz");
  return 0;
}
