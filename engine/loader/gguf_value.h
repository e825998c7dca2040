#pragma once
// GGUF metadata values: the thirteen value types, including arrays of any type and arrays of arrays.
#include <cstdint>
#include <optional>
#include <span>
#include <string>
#include <vector>

#include "loader/byte_cursor.h"

namespace tally::loader {

enum class GgufValueType : uint32_t {
  U8 = 0, I8 = 1, U16 = 2, I16 = 3, U32 = 4, I32 = 5, F32 = 6, Bool = 7, String = 8, Array = 9, U64 = 10, I64 = 11,
  F64 = 12,
};
const char* gguf_value_type_name(GgufValueType t);

// A metadata value. Scalars are decoded at parse time; arrays keep a view of their (already validated) bytes and
// decode on request, because the tokenizer's arrays hold ~650k strings that only the tokenizer needs.
struct GgufValue {
  GgufValueType type = GgufValueType::U8;
  uint64_t bits = 0;       // integers and bool (sign-extended for signed types)
  double real = 0;         // F32 / F64
  std::string text;        // String
  GgufValueType element = GgufValueType::U8;  // Array: element type, count and raw element bytes
  uint64_t count = 0;
  std::span<const uint8_t> raw;

  bool is_integer() const;
  std::optional<int64_t> as_int() const;      // any integer type
  std::optional<double> as_number() const;    // integers and floats
  std::optional<std::string> as_string() const;
  // Whole-array decoders; nullopt when the element type does not fit.
  std::optional<std::vector<std::string>> strings() const;
  std::optional<std::vector<int64_t>> ints() const;
  std::vector<GgufValue> items() const;  // any array, element by element (nested arrays included)
  // One line for people: scalars as is, long strings cut, arrays summarised ("[string x 201088]").
  std::string printable(size_t max_chars = 96) const;
};

// Reads one value of type `type` at the cursor, checking every length against the bytes left. On failure returns
// false with `why` saying what did not fit. Nested arrays deeper than a small limit are refused (no real file has
// them, and unbounded recursion would let a crafted file exhaust the stack).
bool read_gguf_value(ByteCursor& cur, uint32_t type, int depth, GgufValue& out, std::string& why);

}  // namespace tally::loader
