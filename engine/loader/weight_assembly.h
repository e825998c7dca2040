#pragma once
// Turning checked tensors into model weights: matrices become views into the mapping (no copy), small vectors
// become owned f32 arrays. Every shape is compared with what the config implies, and a mismatch names the file
// and the tensor.
#include <cstdint>
#include <string>
#include <vector>

#include "loader/tensor_ref.h"
#include "model/config.h"
#include "model/weights.h"
#include "tally/result.h"

namespace tally::loader {

std::string shape_string(const std::vector<int64_t>& shape);

// A stack of `count` matrices [rows x cols]; `shape` must be {count, rows, cols}, or {rows, cols} when the tensor is
// a single matrix (pass count = 0 to demand the 2-D form).
Result<model::WeightMatrix> matrix_view(const TensorRef& t, int64_t count, int64_t rows, int64_t cols);

// A float vector of exactly `shape` (F32, F16 or BF16 in the file), flattened outermost first.
Result<std::vector<float>> float_vector(const TensorRef& t, const std::vector<int64_t>& shape);

// Cross-field checks shared by both config readers (head layout, expert counts, products that size buffers).
Result<void> check_config(const model::ModelConfig& c, const std::string& origin);

// The message for a tensor that should be there and is not.
Error missing_tensor(const std::string& file, const std::string& name);

}  // namespace tally::loader
