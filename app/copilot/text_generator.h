#pragma once
// What the copilot loop needs from a language model: its tokenizer, a prefill that reuses the cached prefix, and a
// streaming generate that can be cancelled from another thread. EngineGenerator is the real engine;
// ScriptedGenerator replays a recorded stream so the loop, the worker and the CLI can be tested without a model.
#include <cstdint>
#include <functional>
#include <span>
#include <string>

#include "tally/engine.h"
#include "tokenizer/tokenizer.h"

namespace tally::app {

class TextGenerator {
 public:
  virtual ~TextGenerator() = default;

  virtual const tok::Tokenizer& tokenizer() const = 0;
  // Makes the sequence equal `ids`, computing only what the cache does not already hold.
  virtual Result<RequestStats> prefill(std::span<const int32_t> ids) = 0;
  // Streams tokens after the current sequence; on_token returns false to stop early.
  virtual Result<RequestStats> generate(const GenerateOptions& options,
                                        const std::function<bool(int32_t)>& on_token) = 0;
  // Any thread: the running prefill or generate returns soon (within one token while decoding).
  virtual void cancel() = 0;
  // For the UI and logs: "gpt-oss-20b · cpu", "scripted (3 replies)".
  virtual std::string description() const = 0;
};

}  // namespace tally::app
