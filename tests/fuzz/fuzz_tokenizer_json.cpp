// Arbitrary bytes as a tokenizer.json: from_tokenizer_json_text must answer with a value or an error, never crash,
// hang or read out of bounds. Anything it does accept must round-trip text.
#include <cstdint>
#include <cstdlib>
#include <string>
#include <string_view>

#include "tokenizer/tokenizer.h"

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  if (size > (1u << 16)) return 0;  // a real vocabulary is megabytes; the parser's corner cases are all small
  const std::string_view text(reinterpret_cast<const char*>(data), size);
  auto t = tally::tok::Tokenizer::from_tokenizer_json_text(text, "fuzz.json");
  if (!t.ok()) {
    if (t.error().message.empty()) std::abort();
    return 0;
  }
  const std::string probe = "Hello, 세계! \xFF 123";
  if (t->decode(t->encode(probe)) != probe) std::abort();
  return 0;
}
