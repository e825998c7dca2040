#include "loader/weight_assembly.h"

#include "loader/half_float.h"

namespace tally::loader {

const char* stored_type_name(StoredType t) {
  switch (t) {
    case StoredType::F32: return "F32";
    case StoredType::F16: return "F16";
    case StoredType::BF16: return "BF16";
    case StoredType::Q8_0: return "Q8_0";
    case StoredType::MXFP4: return "MXFP4";
    case StoredType::U8: return "U8";
  }
  return "?";
}

std::string shape_string(const std::vector<int64_t>& shape) {
  std::string s = "[";
  for (size_t i = 0; i < shape.size(); ++i) s += (i ? ", " : "") + std::to_string(shape[i]);
  return s + "]";
}

Error missing_tensor(const std::string& file, const std::string& name) {
  return make_error(file + ": required tensor '" + name + "' is missing");
}

Result<void> check_config(const model::ModelConfig& c, const std::string& origin) {
  // Widths are ints in ModelConfig; keep their products far from overflow (the real model needs 4096).
  constexpr int64_t kMaxWidth = int64_t{1} << 24;
  const int64_t q = int64_t{c.n_heads} * c.head_dim;
  if (c.head_dim <= 0 || q > kMaxWidth || int64_t{c.hidden} > kMaxWidth || int64_t{c.expert_ffn} > kMaxWidth)
    return make_error(origin + ": attention width " + std::to_string(c.n_heads) + " x " + std::to_string(c.head_dim) +
                      " or hidden size " + std::to_string(c.hidden) + " is out of range");
  if (c.n_kv_heads <= 0 || c.n_heads % c.n_kv_heads != 0)
    return make_error(origin + ": " + std::to_string(c.n_heads) + " query heads cannot share " +
                      std::to_string(c.n_kv_heads) + " KV heads evenly");
  if (c.n_experts_used < 1 || c.n_experts_used > c.n_experts)
    return make_error(origin + ": " + std::to_string(c.n_experts_used) + " experts per token out of " +
                      std::to_string(c.n_experts));
  if (c.layer_sliding.size() != static_cast<size_t>(c.n_layers))
    return make_error(origin + ": sliding-window flags do not cover every layer");
  return {};
}

namespace {

Error shape_error(const TensorRef& t, const std::vector<int64_t>& want) {
  return make_error(t.file + ": tensor '" + t.name + "' has shape " + shape_string(t.shape) + ", expected " +
                    shape_string(want));
}

Error type_error(const TensorRef& t, const char* want) {
  return make_error(t.file + ": tensor '" + t.name + "' has type " + stored_type_name(t.type) + ", expected " + want);
}

}  // namespace

Result<model::WeightMatrix> matrix_view(const TensorRef& t, int64_t count, int64_t rows, int64_t cols) {
  const std::vector<int64_t> want = count == 0 ? std::vector<int64_t>{rows, cols} : std::vector<int64_t>{count, rows, cols};
  if (t.shape != want) return shape_error(t, want);
  model::WeightMatrix m;
  switch (t.type) {
    case StoredType::F32: m.type = model::DType::F32; break;
    case StoredType::F16: m.type = model::DType::F16; break;
    case StoredType::BF16: m.type = model::DType::BF16; break;
    case StoredType::Q8_0: m.type = model::DType::Q8_0; break;
    case StoredType::MXFP4: m.type = model::DType::MXFP4; break;
    case StoredType::U8: return type_error(t, "a float or ggml block type");
  }
  if (cols % model::dtype_block_size(m.type) != 0)
    return make_error(t.file + ": tensor '" + t.name + "': " + std::to_string(cols) + " columns is not a multiple of " +
                      model::dtype_name(m.type) + " blocks");
  m.name = t.name;
  m.rows = rows;
  m.cols = cols;
  m.count = count == 0 ? 1 : count;
  m.data = t.data;
  m.row_stride = model::dtype_row_bytes(m.type, cols);
  m.mat_stride = m.row_stride * static_cast<size_t>(rows);
  if (m.mat_stride * static_cast<size_t>(m.count) != t.bytes)
    return make_error(t.file + ": tensor '" + t.name + "' holds " + std::to_string(t.bytes) + " bytes, its shape " +
                      shape_string(t.shape) + " needs " + std::to_string(m.mat_stride * static_cast<size_t>(m.count)));
  return m;
}

Result<std::vector<float>> float_vector(const TensorRef& t, const std::vector<int64_t>& shape) {
  if (t.shape != shape) return shape_error(t, shape);
  size_t n = 1;
  for (int64_t d : shape) n *= static_cast<size_t>(d);
  const size_t width = t.type == StoredType::F32 ? 4 : 2;
  if (t.type != StoredType::F32 && t.type != StoredType::F16 && t.type != StoredType::BF16)
    return type_error(t, "F32, F16 or BF16");
  if (n * width != t.bytes)
    return make_error(t.file + ": tensor '" + t.name + "' holds " + std::to_string(t.bytes) + " bytes, its shape " +
                      shape_string(t.shape) + " needs " + std::to_string(n * width));
  std::vector<float> out(n);
  for (size_t i = 0; i < n; ++i) {
    const uint8_t* p = t.data + i * width;
    if (t.type == StoredType::F32) {
      std::memcpy(&out[i], p, 4);
    } else {
      const uint16_t h = load_u16(p);
      out[i] = t.type == StoredType::F16 ? f16_to_f32(h) : bf16_to_f32(h);
    }
  }
  return out;
}

}  // namespace tally::loader
