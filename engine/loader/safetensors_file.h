#pragma once
// One safetensors file: an 8-byte little-endian header length, a JSON header naming each tensor's dtype, shape and
// [begin, end) byte range in the data that follows. Parsed from a byte span (a mapping or fuzzer input); every
// length, shape and range is checked against the span.
#include <cstdint>
#include <map>
#include <span>
#include <string>
#include <vector>

#include "loader/tensor_ref.h"
#include "tally/result.h"

namespace tally::loader {

struct SafetensorsFile {
  std::string origin;
  uint64_t header_bytes = 0;                    // the JSON header's length
  std::vector<TensorRef> tensors;               // file's header order; shape outermost first
  std::map<std::string, std::string> metadata;  // "__metadata__"
};

Result<SafetensorsFile> parse_safetensors(std::span<const uint8_t> bytes, const std::string& origin);

}  // namespace tally::loader
