#pragma once
// A test double of the engine: replays a recorded model output, one reply per generate() call. The script is text
// in harmony form with special-token literals, e.g.
//   <|channel|>analysis<|message|>Need totals.<|end|><|start|>assistant<|channel|>commentary to=functions.sql_query
//   <|constrain|>json<|message|>{"sql":"SELECT 1"}<|call|>
//   ---
//   <|channel|>final<|message|>The total is 1.<|return|>
// Replies are separated by a line holding only `---`. A line break right after a special-token literal is layout,
// not content (so each message can sit on its own line); every other character is replayed as written.
// This is the only place that tokenizes text with special tokens recognised: a script is trusted test input.
#include <atomic>
#include <chrono>
#include <memory>
#include <vector>

#include "copilot/text_generator.h"

namespace tally::app {

class ScriptedGenerator : public TextGenerator {
 public:
  // Splits `script` into replies and tokenizes them with `tokenizer` (shared: tests load it once).
  ScriptedGenerator(std::shared_ptr<const tok::Tokenizer> tokenizer, const std::string& script);
  static Result<std::unique_ptr<ScriptedGenerator>> from_file(std::shared_ptr<const tok::Tokenizer> tokenizer,
                                                              const std::string& path);
  // The replies as the tokenizer saw them (for tests).
  static std::vector<std::string> split_replies(const std::string& script);

  // Each token waits this long first, as a slow model would (stop and stall tests).
  void set_token_delay(std::chrono::microseconds delay) { delay_ = delay; }
  // After the last reply, repeat it instead of failing (long generations for stop tests).
  void set_repeat_last(bool repeat) { repeat_last_ = repeat; }

  const tok::Tokenizer& tokenizer() const override { return *tokenizer_; }
  Result<RequestStats> prefill(std::span<const int32_t> ids) override;
  Result<RequestStats> generate(const GenerateOptions& options, const std::function<bool(int32_t)>& on_token) override;
  void cancel() override { cancel_.store(true); }
  std::string description() const override;

  // Every prompt prefilled so far, in order; the sequence as it stands (prompt plus replayed tokens).
  const std::vector<std::vector<int32_t>>& prompts() const { return prompts_; }
  std::size_t replies_used() const { return next_; }

 private:
  std::shared_ptr<const tok::Tokenizer> tokenizer_;
  std::vector<std::vector<int32_t>> replies_;
  std::size_t next_ = 0;
  std::vector<std::vector<int32_t>> prompts_;
  std::vector<int32_t> sequence_;
  std::chrono::microseconds delay_{0};
  bool repeat_last_ = false;
  std::atomic<bool> cancel_{false};
};

}  // namespace tally::app
