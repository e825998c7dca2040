#pragma once
// Tally's inference engine API. One owner thread drives a Model and its Sessions; cancel() may be called from any
// thread and takes effect within one forward chunk (prefill) or one token (decode).
//
//   auto model = tally::Model::load("gpt-oss-20b.gguf", {}).value();
//   tally::Session chat(model, {.context = 8192});
//   chat.prefill(model->tokenizer().encode("..."));
//   chat.generate({.max_tokens = 256}, [](int32_t id) { ...; return true; });
#include <atomic>
#include <cstdint>
#include <functional>
#include <memory>
#include <span>
#include <string>
#include <vector>

#include "tally/result.h"

namespace tally {

namespace tok {
class Tokenizer;
}
namespace model {
struct ModelConfig;
}

struct EngineOptions {
  std::string backend = "auto";  // auto | cpu | cuda | vulkan
  bool exact = false;            // CPU exact path: f32 everything (slow; for checks)
  int threads = 0;               // CPU threads; 0 = all cores
};

struct MemoryEstimate {
  uint64_t weights = 0;   // bytes of weights the backend reads (mapped from the file on the CPU)
  uint64_t kv_cache = 0;  // for the requested context
  uint64_t scratch = 0;   // activations for one prefill batch and the logits
  uint64_t total() const { return weights + kv_cache + scratch; }
};

// Progress in [0, 1]; returning false cancels.
using Progress = std::function<bool(float)>;

class Model {
 public:
  static Result<std::shared_ptr<Model>> load(const std::string& path, const EngineOptions& options,
                                             const Progress& progress = {});
  // Reads only the file's header: what loading `path` with a `context`-token cache would need.
  static Result<MemoryEstimate> estimate(const std::string& path, int64_t context);

  ~Model();
  const tok::Tokenizer& tokenizer() const;
  const model::ModelConfig& config() const;
  std::string backend_name() const;
  std::string path() const;

  struct Impl;
  Impl& impl() { return *impl_; }

 private:
  explicit Model(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

struct SessionOptions {
  int64_t context = 8192;
  // f16 halves the cache but costs accuracy: on the tiny fixture it alone raises the mean KL from ~1e-8 to ~3e-3
  // and flips a high-margin top-1, so the CPU keeps f32 unless memory is short. The exact path always keeps f32.
  bool kv_f16 = false;
  // Copies of the sliding-window layers' cache kept so that a follow-up whose prompt diverges before the end of
  // the last one (the previous turn's analysis is dropped) resumes from the latest checkpoint instead of
  // recomputing the whole prompt. Each is the window's rows only (about 6 MB for gpt-oss-20b in f32); the least
  // recently used goes first. 0 turns them off.
  int max_checkpoints = 8;
};

struct PrefillOptions {
  // Positions (token counts of a prefix of the prompt, e.g. where each message ends) to keep a checkpoint at, in
  // addition to the automatic one at the end of every prefill. The prefill is split there, so pass few.
  std::vector<int64_t> checkpoints;
  std::function<void(int64_t done, int64_t total)> progress;
};

struct GenerateOptions {
  int max_tokens = 512;
  float temperature = 1.0f;
  int top_k = 0;
  float top_p = 1.0f;
  float min_p = 0.0f;
  float repetition_penalty = 1.0f;
  float presence_penalty = 0.0f;
  std::vector<std::pair<int32_t, float>> logit_bias;
  uint64_t seed = 0;
  // Generation ends after emitting one of these (harmony: <|return|> and <|call|>).
  std::vector<int32_t> stop_tokens;
};

struct RequestStats {
  int64_t prompt_tokens = 0;    // length of the prompt
  int64_t prompt_reused = 0;    // of which came from the cache (no compute)
  int64_t generated_tokens = 0;
  double prefill_ms = 0;
  double time_to_first_token_ms = 0;  // prefill plus the first sampled token
  double decode_ms = 0;
  double prefill_tokens_per_s() const;
  double decode_tokens_per_s() const;
  bool cancelled = false;
  bool stopped_by_token = false;
  // Position of the checkpoint the prefill resumed from, or -1 when none was needed or available.
  int64_t checkpoint_restored = -1;
};

class Session {
 public:
  Session(std::shared_ptr<Model> model, const SessionOptions& options);
  ~Session();
  Session(const Session&) = delete;
  Session& operator=(const Session&) = delete;

  // Makes the session's sequence equal `tokens`, computing only what the cache does not already hold (the longest
  // common prefix with the previous sequence is reused). Afterwards last_logits() is the next-token distribution.
  Result<RequestStats> prefill(std::span<const int32_t> tokens,
                               const std::function<void(int64_t done, int64_t total)>& progress = {});
  Result<RequestStats> prefill(std::span<const int32_t> tokens, const PrefillOptions& options);
  // Samples up to max_tokens tokens after the current sequence; on_token returns false to stop early.
  Result<RequestStats> generate(const GenerateOptions& options, const std::function<bool(int32_t)>& on_token);
  // Appends tokens and returns the logits of every one of them (rows of vocab floats).
  Result<std::vector<float>> logits_all(std::span<const int32_t> tokens);

  const std::vector<float>& last_logits() const;
  const std::vector<int32_t>& tokens() const;
  // Positions of the checkpoints held now, ascending.
  std::vector<int64_t> checkpoint_positions() const;
  void reset();
  void cancel();  // any thread

 private:
  struct Impl;
  std::unique_ptr<Impl> impl_;
};

}  // namespace tally
