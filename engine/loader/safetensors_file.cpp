#include "loader/safetensors_file.h"

#include <algorithm>
#include <cstring>
#include <optional>

#include <nlohmann/json.hpp>

namespace tally::loader {

namespace {

// Real headers are a few hundred KB at most; this bounds what a corrupt length can make us parse.
constexpr uint64_t kMaxHeaderBytes = uint64_t{100} << 20;
constexpr uint64_t kMaxElements = uint64_t{1} << 48;

std::optional<std::pair<StoredType, uint64_t>> dtype_of(const std::string& s) {
  if (s == "F32") return std::pair{StoredType::F32, uint64_t{4}};
  if (s == "F16") return std::pair{StoredType::F16, uint64_t{2}};
  if (s == "BF16") return std::pair{StoredType::BF16, uint64_t{2}};
  if (s == "U8") return std::pair{StoredType::U8, uint64_t{1}};
  return std::nullopt;
}

std::optional<uint64_t> non_negative(const nlohmann::ordered_json& v) {
  if (!v.is_number_unsigned()) return std::nullopt;
  return v.get<uint64_t>();
}

}  // namespace

Result<SafetensorsFile> parse_safetensors(std::span<const uint8_t> bytes, const std::string& origin) {
  SafetensorsFile file;
  file.origin = origin;
  auto fail = [&origin](const std::string& what) { return make_error(origin + ": " + what); };
  if (bytes.size() < 8) return fail("too short for a safetensors header (" + std::to_string(bytes.size()) + " bytes)");
  uint64_t n = 0;
  std::memcpy(&n, bytes.data(), 8);
  if (n > bytes.size() - 8 || n > kMaxHeaderBytes)
    return fail("header length " + std::to_string(n) + " exceeds the file size (" + std::to_string(bytes.size()) +
                " bytes)");
  file.header_bytes = n;
  const char* begin = reinterpret_cast<const char*>(bytes.data() + 8);
  const auto header = nlohmann::ordered_json::parse(begin, begin + n, nullptr, /*allow_exceptions=*/false);
  if (header.is_discarded() || !header.is_object()) return fail("the header is not a JSON object");
  const uint8_t* data = bytes.data() + 8 + n;
  const uint64_t data_bytes = bytes.size() - 8 - n;

  for (const auto& [name, entry] : header.items()) {
    if (name == "__metadata__") {
      if (!entry.is_object()) return fail("'__metadata__' is not an object");
      for (const auto& [k, v] : entry.items()) file.metadata[k] = v.is_string() ? v.get<std::string>() : v.dump();
      continue;
    }
    const std::string who = "tensor '" + name + "': ";
    if (!entry.is_object()) return fail(who + "entry is not an object");
    const auto dt = entry.find("dtype");
    const auto sh = entry.find("shape");
    const auto off = entry.find("data_offsets");
    if (dt == entry.end() || sh == entry.end() || off == entry.end())
      return fail(who + "needs dtype, shape and data_offsets");
    if (!dt->is_string()) return fail(who + "dtype is not a string");
    const auto type = dtype_of(dt->get<std::string>());
    if (!type) return fail(who + "unsupported dtype " + dt->dump() + " (expected BF16, F16, F32 or U8)");
    TensorRef t;
    t.name = name;
    t.file = origin;
    t.type = type->first;
    if (!sh->is_array() || sh->size() > 8) return fail(who + "shape is not an array of at most 8 sizes");
    uint64_t elements = 1;
    for (const auto& d : *sh) {
      const auto v = non_negative(d);
      if (!v || *v > kMaxElements || (*v > 0 && elements > kMaxElements / *v))
        return fail(who + "shape " + sh->dump() + " is invalid");
      elements *= *v;
      t.shape.push_back(static_cast<int64_t>(*v));
    }
    if (!off->is_array() || off->size() != 2) return fail(who + "data_offsets is not [begin, end]");
    const auto b = non_negative((*off)[0]);
    const auto e = non_negative((*off)[1]);
    if (!b || !e || *b > *e) return fail(who + "data_offsets " + off->dump() + " is invalid");
    if (*e > data_bytes)
      return fail(who + "data_offsets " + off->dump() + " run past the end of the data (" +
                  std::to_string(data_bytes) + " bytes)");
    t.bytes = *e - *b;
    if (t.bytes != elements * type->second)
      return fail(who + "holds " + std::to_string(t.bytes) + " bytes, its shape " + sh->dump() + " and dtype " +
                  dt->get<std::string>() + " need " + std::to_string(elements * type->second));
    t.data = data + *b;
    file.tensors.push_back(std::move(t));
  }

  std::vector<const TensorRef*> by_start;
  for (const auto& t : file.tensors) by_start.push_back(&t);
  // Empty tensors first among equal starts: they may share an offset with the next tensor without overlapping it.
  std::sort(by_start.begin(), by_start.end(), [](const TensorRef* a, const TensorRef* b) {
    return a->data != b->data ? a->data < b->data : a->bytes < b->bytes;
  });
  for (size_t i = 1; i < by_start.size(); ++i) {
    if (by_start[i - 1]->data + by_start[i - 1]->bytes > by_start[i]->data)
      return fail("tensor '" + by_start[i - 1]->name + "' overlaps tensor '" + by_start[i]->name + "'");
  }
  return file;
}

}  // namespace tally::loader
