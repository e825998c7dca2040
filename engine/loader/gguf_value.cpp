#include "loader/gguf_value.h"

#include <cstdint>
#include <cstdio>
#include <cstring>

namespace tally::loader {

namespace {

constexpr int kMaxArrayDepth = 8;

// Size of a fixed-size value type, 0 for String/Array/unknown.
size_t fixed_size(uint32_t type) {
  switch (static_cast<GgufValueType>(type)) {
    case GgufValueType::U8: case GgufValueType::I8: case GgufValueType::Bool: return 1;
    case GgufValueType::U16: case GgufValueType::I16: return 2;
    case GgufValueType::U32: case GgufValueType::I32: case GgufValueType::F32: return 4;
    case GgufValueType::U64: case GgufValueType::I64: case GgufValueType::F64: return 8;
    default: return 0;
  }
}

bool known_type(uint32_t type) { return type <= static_cast<uint32_t>(GgufValueType::F64); }

// Decodes a fixed-size scalar at `p` (which has fixed_size(type) bytes) into `out`.
void decode_fixed(const uint8_t* p, GgufValueType type, GgufValue& out) {
  out.type = type;
  auto load = [p](auto v) {
    std::memcpy(&v, p, sizeof(v));
    return v;
  };
  switch (type) {
    case GgufValueType::U8: out.bits = load(uint8_t{}); break;
    case GgufValueType::I8: out.bits = static_cast<uint64_t>(static_cast<int64_t>(load(int8_t{}))); break;
    case GgufValueType::U16: out.bits = load(uint16_t{}); break;
    case GgufValueType::I16: out.bits = static_cast<uint64_t>(static_cast<int64_t>(load(int16_t{}))); break;
    case GgufValueType::U32: out.bits = load(uint32_t{}); break;
    case GgufValueType::I32: out.bits = static_cast<uint64_t>(static_cast<int64_t>(load(int32_t{}))); break;
    case GgufValueType::U64: out.bits = load(uint64_t{}); break;
    case GgufValueType::I64: out.bits = static_cast<uint64_t>(load(int64_t{})); break;
    case GgufValueType::Bool: out.bits = load(uint8_t{}) != 0 ? 1 : 0; break;
    case GgufValueType::F32: out.real = load(float{}); break;
    case GgufValueType::F64: out.real = load(double{}); break;
    default: break;
  }
}

}  // namespace

const char* gguf_value_type_name(GgufValueType t) {
  switch (t) {
    case GgufValueType::U8: return "uint8";
    case GgufValueType::I8: return "int8";
    case GgufValueType::U16: return "uint16";
    case GgufValueType::I16: return "int16";
    case GgufValueType::U32: return "uint32";
    case GgufValueType::I32: return "int32";
    case GgufValueType::F32: return "float32";
    case GgufValueType::Bool: return "bool";
    case GgufValueType::String: return "string";
    case GgufValueType::Array: return "array";
    case GgufValueType::U64: return "uint64";
    case GgufValueType::I64: return "int64";
    case GgufValueType::F64: return "float64";
  }
  return "unknown";
}

bool read_gguf_value(ByteCursor& cur, uint32_t type, int depth, GgufValue& out, std::string& why) {
  if (!known_type(type)) {
    why = "unknown value type " + std::to_string(type);
    return false;
  }
  const auto t = static_cast<GgufValueType>(type);
  if (const size_t n = fixed_size(type); n > 0) {
    if (cur.remaining() < n) {
      why = std::string("truncated ") + gguf_value_type_name(t);
      return false;
    }
    decode_fixed(cur.here(), t, out);
    (void)cur.skip(n);
    return true;
  }
  if (t == GgufValueType::String) {
    std::string_view s;
    if (!cur.read_string(s)) {
      why = "string length runs past the end of the file";
      return false;
    }
    out.type = t;
    out.text.assign(s);
    return true;
  }
  // Array: element type, count, elements.
  if (depth >= kMaxArrayDepth) {
    why = "arrays nested deeper than " + std::to_string(kMaxArrayDepth);
    return false;
  }
  uint32_t element = 0;
  uint64_t count = 0;
  if (!cur.read(element) || !cur.read(count)) {
    why = "truncated array header";
    return false;
  }
  if (!known_type(element)) {
    why = "array of unknown value type " + std::to_string(element);
    return false;
  }
  out.type = t;
  out.element = static_cast<GgufValueType>(element);
  out.count = count;
  const size_t start = cur.pos();
  if (const size_t n = fixed_size(element); n > 0) {
    if (count > cur.remaining() / n) {
      why = "array of " + std::to_string(count) + " " + gguf_value_type_name(out.element) +
            " runs past the end of the file";
      return false;
    }
    (void)cur.skip(count * n);
  } else {
    // Each string needs at least its 8-byte length and each nested array its 12-byte header, which bounds the
    // count before the loop so a huge count fails at once.
    const size_t min_size = out.element == GgufValueType::String ? 8 : 12;
    if (count > cur.remaining() / min_size) {
      why = "array of " + std::to_string(count) + " " + gguf_value_type_name(out.element) +
            " runs past the end of the file";
      return false;
    }
    GgufValue item;
    for (uint64_t i = 0; i < count; ++i) {
      if (out.element == GgufValueType::String) {
        std::string_view s;
        if (!cur.read_string(s)) {
          why = "string " + std::to_string(i) + " of the array runs past the end of the file";
          return false;
        }
      } else if (!read_gguf_value(cur, element, depth + 1, item, why)) {
        why = "item " + std::to_string(i) + ": " + why;
        return false;
      }
    }
  }
  out.raw = cur.slice(start, cur.pos());
  return true;
}

bool GgufValue::is_integer() const {
  switch (type) {
    case GgufValueType::U8: case GgufValueType::I8: case GgufValueType::U16: case GgufValueType::I16:
    case GgufValueType::U32: case GgufValueType::I32: case GgufValueType::U64: case GgufValueType::I64:
      return true;
    default:
      return false;
  }
}

std::optional<int64_t> GgufValue::as_int() const {
  if (!is_integer()) return std::nullopt;
  if (type == GgufValueType::U64 && bits > static_cast<uint64_t>(INT64_MAX)) return std::nullopt;
  return static_cast<int64_t>(bits);
}

std::optional<double> GgufValue::as_number() const {
  if (type == GgufValueType::F32 || type == GgufValueType::F64) return real;
  if (type == GgufValueType::U64) return static_cast<double>(bits);
  if (auto i = as_int()) return static_cast<double>(*i);
  return std::nullopt;
}

std::optional<std::string> GgufValue::as_string() const {
  if (type != GgufValueType::String) return std::nullopt;
  return text;
}

std::vector<GgufValue> GgufValue::items() const {
  std::vector<GgufValue> out;
  if (type != GgufValueType::Array) return out;
  ByteCursor cur(raw);
  std::string why;
  out.reserve(static_cast<size_t>(count));
  for (uint64_t i = 0; i < count; ++i) {
    GgufValue item;
    if (!read_gguf_value(cur, static_cast<uint32_t>(element), 1, item, why)) break;  // validated at parse time
    out.push_back(std::move(item));
  }
  return out;
}

std::optional<std::vector<std::string>> GgufValue::strings() const {
  if (type != GgufValueType::Array || element != GgufValueType::String) return std::nullopt;
  std::vector<std::string> out;
  out.reserve(static_cast<size_t>(count));
  ByteCursor cur(raw);
  for (uint64_t i = 0; i < count; ++i) {
    std::string_view sv;
    if (!cur.read_string(sv)) return std::nullopt;
    out.emplace_back(sv);
  }
  return out;
}

std::optional<std::vector<int64_t>> GgufValue::ints() const {
  if (type != GgufValueType::Array) return std::nullopt;
  const size_t n = fixed_size(static_cast<uint32_t>(element));
  if (n == 0 || element == GgufValueType::F32 || element == GgufValueType::F64 || element == GgufValueType::Bool)
    return std::nullopt;
  std::vector<int64_t> out(static_cast<size_t>(count));
  GgufValue v;
  for (size_t i = 0; i < out.size(); ++i) {
    decode_fixed(raw.data() + i * n, element, v);
    out[i] = static_cast<int64_t>(v.bits);
  }
  return out;
}

std::string GgufValue::printable(size_t max_chars) const {
  auto cut = [max_chars](std::string s) {
    if (s.size() > max_chars) {
      size_t n = max_chars;
      while (n > 0 && (static_cast<unsigned char>(s[n]) & 0xC0) == 0x80) --n;  // never split a UTF-8 sequence
      s = s.substr(0, n) + "...";
    }
    for (char& c : s) {
      if (c == '\n' || c == '\r' || c == '\t') c = ' ';
    }
    return s;
  };
  switch (type) {
    case GgufValueType::String: return cut(text);
    case GgufValueType::Bool: return bits ? "true" : "false";
    case GgufValueType::F32:
    case GgufValueType::F64: {
      char buf[64];
      std::snprintf(buf, sizeof buf, "%.9g", real);
      return buf;
    }
    case GgufValueType::U64: return std::to_string(bits);
    case GgufValueType::Array: {
      // Built with append: gcc 12 warns (-Wrestrict, a false positive) on the "[" + std::string(...) form.
      std::string s = "[";
      s.append(gguf_value_type_name(element)).append(" x ").append(std::to_string(count)).append("]");
      if (count > 0 && count <= 8 && element != GgufValueType::Array) {
        s += " {";
        const auto all = items();
        for (size_t i = 0; i < all.size(); ++i) s.append(i ? ", " : "").append(all[i].printable(24));
        s += "}";
      }
      return s;
    }
    default: return std::to_string(static_cast<int64_t>(bits));
  }
}

}  // namespace tally::loader
