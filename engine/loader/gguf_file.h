#pragma once
// GGUF v3 (also v2, which has the same layout): header, metadata, tensor infos and the aligned tensor data. The
// parser works on a byte span so it can run on a mapping or on fuzzer input alike; every count, length and offset
// is checked against the span before use.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "loader/gguf_value.h"
#include "model/weights.h"
#include "tally/result.h"

namespace tally::loader {

// ggml tensor type ids the loader reads (others are rejected by name/number).
enum class GgmlType : uint32_t { F32 = 0, F16 = 1, Q8_0 = 8, BF16 = 30, MXFP4 = 39 };
std::optional<model::DType> ggml_dtype(uint32_t type_id);
std::string ggml_type_name(uint32_t type_id);

struct GgufTensor {
  std::string name;
  uint32_t type_id = 0;
  std::vector<int64_t> dims;  // ggml order: dims[0] is the fastest-varying (row length)
  uint64_t offset = 0;        // from the start of the data section
  uint64_t bytes = 0;
  const uint8_t* data = nullptr;
  int64_t elements() const;
};

struct GgufFile {
  std::string origin;  // the path, for messages
  uint32_t version = 0;
  std::vector<std::pair<std::string, GgufValue>> metadata;  // file order
  std::vector<GgufTensor> tensors;                          // file order
  uint64_t alignment = 32;
  uint64_t data_offset = 0;
  uint64_t file_bytes = 0;

  const GgufValue* find(std::string_view key) const;
  const GgufTensor* tensor(std::string_view name) const;
};

Result<GgufFile> parse_gguf(std::span<const uint8_t> bytes, const std::string& origin);

}  // namespace tally::loader
