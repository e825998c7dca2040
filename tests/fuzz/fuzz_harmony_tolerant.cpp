// Fuzzes the harmony stream parser in tolerant mode (what the copilot runs on live model output) and checks its
// promises on every input: process() and end_of_stream() never fail, no streamed delta and no message text holds
// control-token text, each message's deltas add up to its text, and there is one diagnostics entry per message.
//
// Input: byte 0 picks the starting role ((byte >> 1) % 6: none, user, assistant, ...), then 3 bytes per token as
// in fuzz_harmony_parser.cpp. Seeds (tests/fuzz/corpus/harmony_tolerant) are issue 9's malformed outputs, written
// by tests/harmony/test_parser_tolerance.cpp (TALLY_WRITE_SEEDS=1).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <memory>
#include <string>

#include "harmony/markup_filter.h"
#include "harmony/stream_parser.h"
#include "harmony_fuzz_input.h"
#include "tokenizer/tokenizer.h"

namespace {

using tally::tok::TokenId;
using tally::tok::Tokenizer;

const Tokenizer& tokenizer() { return tally::fuzz::harmony_fuzz_tokenizer("fuzz_harmony_tolerant"); }

TokenId token_from(const uint8_t* b) { return tally::fuzz::fuzz_token_from(b); }

void require(bool ok, const char* what) {
  if (ok) return;
  std::fprintf(stderr, "fuzz_harmony_tolerant: broken promise: %s\n", what);
  std::abort();
}

}  // namespace

extern "C" int LLVMFuzzerInitialize(int* /*argc*/, char*** /*argv*/) {
  (void)tokenizer().encode("warm up");
  return 0;
}

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace tally::harmony;
  if (size < 1) return 0;
  ParseOptions options;
  options.tolerant = true;
  options.known_tools = {"sql_query", "make_chart"};
  std::optional<Role> role;
  if (const int r = (data[0] >> 1) % 6; r > 0) role = static_cast<Role>(r - 1);

  HarmonyStreamParser parser(tokenizer(), role, options);
  std::vector<std::string> streamed(1);
  size_t finished = 0;
  for (size_t i = 1; i + 3 <= size; i += 3) {
    require(parser.process(token_from(data + i)).ok(), "process() failed in tolerant mode");
    if (parser.messages().size() > finished) {
      finished = parser.messages().size();
      streamed.resize(finished + 1);
    }
    if (parser.state() == HarmonyStreamParser::State::ReadingContent && parser.last_content_delta()) {
      const std::string& d = *parser.last_content_delta();
      require(strip_markup(d) == d, "a delta carries control-token text");
      streamed.back() += d;
    }
  }
  require(parser.end_of_stream().ok(), "end_of_stream() failed in tolerant mode");
  require(parser.diagnostics().size() == parser.messages().size(), "diagnostics do not pair with messages");
  const auto parsed = parser.take_parsed();
  for (size_t i = 0; i < parsed.size(); ++i) {
    const std::string text = parsed[i].message.text_content();
    require(strip_markup(text) == text, "a message's text carries control-token text");
    // Deltas are a prefix of the text: the end of a message may add held bytes (a cut-off character's U+FFFD).
    if (i < streamed.size()) require(text.compare(0, streamed[i].size(), streamed[i]) == 0, "deltas differ from the text");
  }
  return 0;
}
