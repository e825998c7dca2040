// Arbitrary bytes through the o200k_harmony tokenizer: decode(encode(x)) == x for every byte string, with and
// without special-token recognition, and ordinary encoding never yields a special id.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tokenizer/tokenizer.h"

namespace {
const tally::tok::Tokenizer& o200k() {
  static const tally::tok::Tokenizer t = [] {
    auto r = tally::tok::Tokenizer::from_tiktoken(tally::tok::Tokenizer::bundled_tiktoken_path());
    if (!r.ok()) std::abort();
    return std::move(r).value();
  }();
  return t;
}
}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  const auto ids = o200k().encode(text);
  for (auto id : ids) {
    if (o200k().is_special(id)) std::abort();
  }
  if (o200k().decode(ids) != text) std::abort();
  if (o200k().decode(o200k().encode_with_specials(text)) != text) std::abort();
  return 0;
}
