#pragma once
// gpt-oss's YaRN rotary embedding, computed as OpenAI's reference does it (no rounding of the correction range;
// llama.cpp rounds it, a small divergence we do not copy). Angles are formed in double: at position 100k an f32
// angle would already be off by ~1e-2 rad.
#include <vector>

#include "model/config.h"

namespace tally::model {

class YarnRope {
 public:
  explicit YarnRope(const ModelConfig& config);
  int head_dim() const { return head_dim_; }
  // cos and sin (times the YaRN concentration) for each of the head_dim/2 frequency pairs at `position`.
  void angles(int64_t position, float* cos_out, float* sin_out) const;
  const std::vector<double>& inv_freq() const { return inv_freq_; }
  double concentration() const { return concentration_; }

 private:
  int head_dim_;
  std::vector<double> inv_freq_;
  double concentration_;
};

}  // namespace tally::model
