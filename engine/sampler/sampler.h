#pragma once
// Turns a row of logits into the next token: greedy, temperature, top-k, top-p, min-p, repetition and presence
// penalties, logit bias, and a seed that makes a run reproducible.
#include <cstdint>
#include <map>
#include <random>
#include <span>
#include <vector>

namespace tally::sampling {

struct SamplerParams {
  float temperature = 1.0f;  // <= 0: greedy
  int top_k = 0;             // 0: off
  float top_p = 1.0f;        // 1: off
  float min_p = 0.0f;        // 0: off; keeps tokens with p >= min_p * p_max
  float repetition_penalty = 1.0f;  // > 1 penalises tokens seen in the last `penalty_window` tokens (CTRL-style)
  float presence_penalty = 0.0f;    // subtracted once from every token seen in the window
  int penalty_window = 64;
  std::map<int32_t, float> logit_bias;  // added to the logit; -inf bans a token
  uint64_t seed = 0;
};

class Sampler {
 public:
  explicit Sampler(SamplerParams params);
  // Picks a token from `logits` (modified in place by penalties/bias). `history` is the sequence so far.
  int32_t sample(std::span<float> logits, std::span<const int32_t> history);
  const SamplerParams& params() const { return params_; }

 private:
  int32_t sample_softmax(std::span<const float> logits);

  SamplerParams params_;
  std::mt19937_64 rng_;
  std::vector<std::pair<float, int32_t>> candidates_;
  std::vector<double> weights_;  // unnormalised softmax of the last row (plain temperature sampling)
};

// Index of the largest logit (lowest index on ties).
int32_t argmax(std::span<const float> logits);

}  // namespace tally::sampling
