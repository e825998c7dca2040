#include "loader/gguf_file.h"

#include <algorithm>
#include <unordered_set>

#include "loader/byte_cursor.h"

namespace tally::loader {

namespace {

constexpr uint32_t kMaxDims = 4;  // GGML_MAX_DIMS
// Elements per tensor above this cannot be a real model and would overflow byte counts.
constexpr int64_t kMaxElements = int64_t{1} << 48;

struct BlockLayout {
  int64_t elements;  // per block
  uint64_t bytes;    // per block
};

std::optional<BlockLayout> block_layout(uint32_t type_id) {
  switch (static_cast<GgmlType>(type_id)) {
    case GgmlType::F32: return BlockLayout{1, 4};
    case GgmlType::F16: return BlockLayout{1, 2};
    case GgmlType::BF16: return BlockLayout{1, 2};
    case GgmlType::Q8_0: return BlockLayout{32, 34};
    case GgmlType::MXFP4: return BlockLayout{32, 17};
  }
  return std::nullopt;
}

Error fail(const std::string& origin, const std::string& what) { return make_error(origin + ": " + what); }

std::string at(size_t pos) { return " (at byte " + std::to_string(pos) + ")"; }

}  // namespace

std::optional<model::DType> ggml_dtype(uint32_t type_id) {
  switch (static_cast<GgmlType>(type_id)) {
    case GgmlType::F32: return model::DType::F32;
    case GgmlType::F16: return model::DType::F16;
    case GgmlType::BF16: return model::DType::BF16;
    case GgmlType::Q8_0: return model::DType::Q8_0;
    case GgmlType::MXFP4: return model::DType::MXFP4;
  }
  return std::nullopt;
}

std::string ggml_type_name(uint32_t type_id) {
  if (auto t = ggml_dtype(type_id)) return model::dtype_name(*t);
  return "type " + std::to_string(type_id);
}

int64_t GgufTensor::elements() const {
  int64_t n = 1;
  for (int64_t d : dims) n *= d;
  return n;
}

const GgufValue* GgufFile::find(std::string_view key) const {
  for (const auto& [k, v] : metadata) {
    if (k == key) return &v;
  }
  return nullptr;
}

const GgufTensor* GgufFile::tensor(std::string_view name) const {
  for (const auto& t : tensors) {
    if (t.name == name) return &t;
  }
  return nullptr;
}

Result<GgufFile> parse_gguf(std::span<const uint8_t> bytes, const std::string& origin) {
  GgufFile file;
  file.origin = origin;
  file.file_bytes = bytes.size();
  ByteCursor cur(bytes);

  uint32_t magic = 0;
  if (!cur.read(magic)) return fail(origin, "too short for a GGUF header (" + std::to_string(bytes.size()) + " bytes)");
  if (magic != 0x46554747u) return fail(origin, "not a GGUF file (bad magic)");
  uint64_t n_tensors = 0, n_kv = 0;
  if (!cur.read(file.version) || !cur.read(n_tensors) || !cur.read(n_kv))
    return fail(origin, "truncated GGUF header");
  if (file.version != 2 && file.version != 3)
    return fail(origin, "unsupported GGUF version " + std::to_string(file.version) + " (expected 3)");
  // Each key/value needs at least 13 bytes and each tensor info 24: bound the counts before reserving anything.
  if (n_kv > cur.remaining() / 13)
    return fail(origin, "metadata count " + std::to_string(n_kv) + " exceeds the file size");
  if (n_tensors > cur.remaining() / 24)
    return fail(origin, "tensor count " + std::to_string(n_tensors) + " exceeds the file size");

  std::unordered_set<std::string> seen;
  file.metadata.reserve(static_cast<size_t>(n_kv));
  for (uint64_t i = 0; i < n_kv; ++i) {
    const size_t key_pos = cur.pos();
    std::string_view key;
    if (!cur.read_string(key))
      return fail(origin, "truncated metadata key #" + std::to_string(i) + at(key_pos));
    uint32_t type = 0;
    if (!cur.read(type)) return fail(origin, "key '" + std::string(key) + "': truncated value type" + at(cur.pos()));
    GgufValue value;
    std::string why;
    const size_t value_pos = cur.pos();
    if (!read_gguf_value(cur, type, 0, value, why))
      return fail(origin, "key '" + std::string(key) + "': " + why + at(value_pos));
    if (!seen.insert(std::string(key)).second) return fail(origin, "key '" + std::string(key) + "' appears twice");
    file.metadata.emplace_back(std::string(key), std::move(value));
  }

  if (const GgufValue* a = file.find("general.alignment")) {
    const auto v = a->as_int();
    if (!v || *v <= 0 || (*v & (*v - 1)) != 0 || *v > (1 << 20))
      return fail(origin, "key 'general.alignment': " + a->printable() + " is not a power of two");
    file.alignment = static_cast<uint64_t>(*v);
  }

  seen.clear();
  file.tensors.reserve(static_cast<size_t>(n_tensors));
  for (uint64_t i = 0; i < n_tensors; ++i) {
    const size_t info_pos = cur.pos();
    std::string_view name;
    if (!cur.read_string(name))
      return fail(origin, "truncated name of tensor info #" + std::to_string(i) + at(info_pos));
    GgufTensor t;
    t.name.assign(name);
    const std::string who = "tensor '" + t.name + "': ";
    uint32_t n_dims = 0;
    if (!cur.read(n_dims)) return fail(origin, who + "truncated tensor info" + at(cur.pos()));
    if (n_dims == 0 || n_dims > kMaxDims)
      return fail(origin, who + std::to_string(n_dims) + " dimensions (1 to 4 allowed)");
    int64_t elements = 1;
    for (uint32_t d = 0; d < n_dims; ++d) {
      int64_t dim = 0;
      if (!cur.read(dim)) return fail(origin, who + "truncated tensor info" + at(cur.pos()));
      if (dim <= 0 || dim > kMaxElements || elements > kMaxElements / dim)
        return fail(origin, who + "dimension " + std::to_string(d) + " = " + std::to_string(dim) + " is invalid");
      elements *= dim;
      t.dims.push_back(dim);
    }
    if (!cur.read(t.type_id) || !cur.read(t.offset))
      return fail(origin, who + "truncated tensor info" + at(cur.pos()));
    const auto layout = block_layout(t.type_id);
    if (!layout) return fail(origin, who + "unknown or unsupported tensor type " + std::to_string(t.type_id));
    if (t.dims[0] % layout->elements != 0)
      return fail(origin, who + "row length " + std::to_string(t.dims[0]) + " is not a multiple of the " +
                              ggml_type_name(t.type_id) + " block size " + std::to_string(layout->elements));
    t.bytes = static_cast<uint64_t>(elements / layout->elements) * layout->bytes;
    if (t.offset % file.alignment != 0)
      return fail(origin, who + "data offset " + std::to_string(t.offset) + " is not aligned to " +
                              std::to_string(file.alignment));
    if (!seen.insert(t.name).second) return fail(origin, who + "appears twice");
    file.tensors.push_back(std::move(t));
  }

  const uint64_t header_end = cur.pos();
  file.data_offset = (header_end + file.alignment - 1) / file.alignment * file.alignment;
  const uint64_t data_bytes = file.data_offset <= bytes.size() ? bytes.size() - file.data_offset : 0;
  if (!file.tensors.empty() && file.data_offset > bytes.size())
    return fail(origin, "file ends before its tensor data (data section starts at byte " +
                            std::to_string(file.data_offset) + ", file has " + std::to_string(bytes.size()) + ")");
  for (auto& t : file.tensors) {
    if (t.offset > data_bytes || t.bytes > data_bytes - t.offset)
      return fail(origin, "tensor '" + t.name + "': " + std::to_string(t.bytes) + " bytes at data offset " +
                              std::to_string(t.offset) + " run past the end of the file (" +
                              std::to_string(data_bytes) + " bytes of tensor data)");
    t.data = bytes.data() + file.data_offset + t.offset;
  }

  // Overlap means a shape (and so a byte size) that disagrees with where the next tensor starts.
  std::vector<const GgufTensor*> by_offset;
  by_offset.reserve(file.tensors.size());
  for (const auto& t : file.tensors) by_offset.push_back(&t);
  std::sort(by_offset.begin(), by_offset.end(),
            [](const GgufTensor* a, const GgufTensor* b) { return a->offset < b->offset; });
  for (size_t i = 1; i < by_offset.size(); ++i) {
    const GgufTensor& prev = *by_offset[i - 1];
    const GgufTensor& next = *by_offset[i];
    if (prev.offset + prev.bytes > next.offset)
      return fail(origin, "tensor '" + prev.name + "' (" + std::to_string(prev.bytes) + " bytes for its shape and " +
                              ggml_type_name(prev.type_id) + ") overlaps tensor '" + next.name + "'");
  }
  return file;
}

}  // namespace tally::loader
