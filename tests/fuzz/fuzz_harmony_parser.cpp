// Fuzzes the harmony stream parser with arbitrary token streams: it must never crash, read out of bounds or
// throw, whatever the model (or a corrupted cache) emits. Whatever it parses is rendered back, which exercises the
// renderer on odd messages too.
//
// Input: byte 0 picks the options (bit 0: non-strict; the rest: the starting role, or none). Then 3 bytes per
// token, big-endian: 0xF0..0xFF in the first byte selects a special-token id (199998 + third byte % 24, so the
// fuzzer hits the format tokens often); 0xEE/0xEF give ids outside the vocabulary; anything else is id % 201088.
// The seeds (tests/fuzz/corpus/harmony_parser) are harmony's parse test cases written this way.
#include <cstdint>
#include <cstdio>
#include <memory>
#include <string>

#include "harmony/renderer.h"
#include "harmony/stream_parser.h"
#include "harmony_fuzz_input.h"
#include "tokenizer/tokenizer.h"

namespace {

using tally::tok::TokenId;
using tally::tok::Tokenizer;

const Tokenizer& tokenizer() { return tally::fuzz::harmony_fuzz_tokenizer("fuzz_harmony_parser"); }

TokenId token_from(const uint8_t* b) { return tally::fuzz::fuzz_token_from(b); }

}  // namespace

// Loading o200k and the tokenizer's first encode (it builds lookup tables) take seconds under sanitizers; do
// both before libFuzzer starts timing inputs.
extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  (void)tokenizer().encode("warm up: caf\xC3\xA9 \xE4\xBD\xA0\xE5\xA5\xBD 42");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tally::harmony;
  if (size < 1) return 0;
  ParseOptions options;
  options.strict = (data[0] & 1) == 0;
  std::optional<Role> role;
  if (const int r = (data[0] >> 1) % 6; r > 0) role = static_cast<Role>(r - 1);

  HarmonyStreamParser parser(tokenizer(), role, options);
  size_t observed = 0;
  for (size_t i = 1; i + 3 <= size; i += 3) {
    (void)parser.process(token_from(data + i));  // errors are values; keep feeding to exercise recovery
    observed += parser.current_content().size() + parser.current_channel().value_or("").size() +
                parser.current_recipient().value_or("").size() + parser.current_content_type().value_or("").size() +
                parser.last_content_delta().value_or("").size();
  }
  (void)parser.end_of_stream();

  Conversation conv{parser.take_messages()};
  const HarmonyRenderer renderer;
  auto rendered = renderer.render_conversation(conv);
  // Text only: ids() would spend the time in BPE over long pieces, which the tokenizer's own fuzzing covers.
  if (rendered) observed += rendered.value().text().size();
  static volatile size_t sink;  // keeps the accessor calls from being optimised away
  sink = observed;
  return 0;
}
