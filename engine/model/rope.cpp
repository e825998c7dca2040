#include "model/rope.h"

#include <algorithm>
#include <cmath>
#include <numbers>

namespace tally::model {

YarnRope::YarnRope(const ModelConfig& config) : head_dim_(config.head_dim) {
  const int half = head_dim_ / 2;
  const double theta = config.rope_theta;
  const double factor = config.rope_scaling_factor;
  inv_freq_.resize(half);
  if (factor <= 1.0) {
    for (int d = 0; d < half; ++d) inv_freq_[d] = 1.0 / std::pow(theta, 2.0 * d / head_dim_);
    concentration_ = 1.0;
    return;
  }
  const double original = config.rope_original_context;
  const double two_pi = 2.0 * std::numbers::pi;
  // The dimension index where a frequency completes `beta` turns over the original context.
  const double low = half * std::log(original / (config.yarn_beta_fast * two_pi)) / std::log(theta);
  const double high = half * std::log(original / (config.yarn_beta_slow * two_pi)) / std::log(theta);
  for (int d = 0; d < half; ++d) {
    const double freq = std::pow(theta, 2.0 * d / head_dim_);
    const double ramp = std::clamp((d - low) / (high - low), 0.0, 1.0);
    // ramp = 0 keeps the original frequency (extrapolation), ramp = 1 divides it by the factor (interpolation).
    inv_freq_[d] = (1.0 / (factor * freq)) * ramp + (1.0 / freq) * (1.0 - ramp);
  }
  concentration_ = 0.1 * std::log(factor) + 1.0;
}

void YarnRope::angles(int64_t position, float* cos_out, float* sin_out) const {
  for (size_t d = 0; d < inv_freq_.size(); ++d) {
    const double a = static_cast<double>(position) * inv_freq_[d];
    cos_out[d] = static_cast<float>(std::cos(a) * concentration_);
    sin_out[d] = static_cast<float>(std::sin(a) * concentration_);
  }
}

}  // namespace tally::model
