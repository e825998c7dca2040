#include "sampler/sampler.h"

#include <algorithm>
#include <cmath>
#include <limits>
#include <unordered_set>

namespace tally::sampling {

Sampler::Sampler(SamplerParams params) : params_(std::move(params)), rng_(params_.seed) {}

int32_t argmax(std::span<const float> logits) {
  int32_t best = 0;
  for (size_t i = 1; i < logits.size(); ++i) {
    if (logits[i] > logits[best]) best = static_cast<int32_t>(i);
  }
  return best;
}

int32_t Sampler::sample_softmax(std::span<const float> logits) {
  // Plain temperature sampling: one pass for the normaliser, one to find the drawn token; no sort.
  const float best = logits[argmax(logits)];
  if (!std::isfinite(best)) return argmax(logits);
  weights_.resize(logits.size());
  double total = 0.0;
  for (size_t i = 0; i < logits.size(); ++i) {
    weights_[i] = std::isfinite(logits[i]) ? std::exp((static_cast<double>(logits[i]) - best) / params_.temperature) : 0.0;
    total += weights_[i];
  }
  std::uniform_real_distribution<double> uniform(0.0, total);
  const double r = uniform(rng_);
  double cum = 0.0;
  int32_t last = 0;
  for (size_t i = 0; i < logits.size(); ++i) {
    if (weights_[i] == 0.0) continue;
    cum += weights_[i];
    last = static_cast<int32_t>(i);
    if (r < cum) return last;
  }
  return last;
}

int32_t Sampler::sample(std::span<float> logits, std::span<const int32_t> history) {
  const int32_t vocab = static_cast<int32_t>(logits.size());
  // Penalties apply once per distinct recent token, whatever its count (as llama.cpp's repeat penalty does).
  if (params_.repetition_penalty != 1.0f || params_.presence_penalty != 0.0f) {
    const size_t from = history.size() > static_cast<size_t>(params_.penalty_window)
                            ? history.size() - static_cast<size_t>(params_.penalty_window)
                            : 0;
    std::unordered_set<int32_t> seen(history.begin() + static_cast<std::ptrdiff_t>(from), history.end());
    for (int32_t t : seen) {
      if (t < 0 || t >= vocab) continue;
      float& l = logits[t];
      if (params_.repetition_penalty != 1.0f) l = l > 0 ? l / params_.repetition_penalty : l * params_.repetition_penalty;
      l -= params_.presence_penalty;
    }
  }
  for (const auto& [id, bias] : params_.logit_bias) {
    if (id >= 0 && id < vocab) logits[id] += bias;
  }
  if (params_.temperature <= 0.0f) return argmax(logits);

  const bool filters = params_.top_k > 0 || params_.top_p < 1.0f || params_.min_p > 0.0f;
  if (!filters) return sample_softmax(logits);

  // Candidates sorted by logit. Tokens more than 20 nats below the best carry under 2e-9 of the mass each; leaving
  // them out keeps the sort small (the vocabulary has 201,088 entries).
  const float best = logits[argmax(logits)];
  const float floor_logit = best - 20.0f * params_.temperature;
  candidates_.clear();
  for (int32_t i = 0; i < vocab; ++i) {
    if (logits[i] >= floor_logit && std::isfinite(logits[i])) candidates_.emplace_back(logits[i], i);
  }
  if (candidates_.empty()) return argmax(logits);
  auto by_logit = [](const auto& a, const auto& b) { return a.first > b.first || (a.first == b.first && a.second < b.second); };
  size_t keep = candidates_.size();
  if (params_.top_k > 0 && static_cast<size_t>(params_.top_k) < keep) keep = static_cast<size_t>(params_.top_k);
  std::partial_sort(candidates_.begin(), candidates_.begin() + static_cast<std::ptrdiff_t>(keep), candidates_.end(),
                    by_logit);
  candidates_.resize(keep);
  // Softmax at the temperature.
  std::vector<double> p(candidates_.size());
  const double max_l = candidates_[0].first;
  double sum = 0.0;
  for (size_t i = 0; i < candidates_.size(); ++i) {
    p[i] = std::exp((candidates_[i].first - max_l) / params_.temperature);
    sum += p[i];
  }
  for (double& x : p) x /= sum;
  size_t n = p.size();
  if (params_.min_p > 0.0f) {
    const double floor = params_.min_p * p[0];
    size_t m = 1;
    while (m < n && p[m] >= floor) ++m;
    n = m;
  }
  if (params_.top_p < 1.0f) {
    double cum = 0.0;
    size_t m = 0;
    while (m < n) {
      cum += p[m++];
      if (cum >= params_.top_p) break;
    }
    n = std::max<size_t>(m, 1);
  }
  double total = 0.0;
  for (size_t i = 0; i < n; ++i) total += p[i];
  std::uniform_real_distribution<double> uniform(0.0, total);
  const double r = uniform(rng_);
  double cum = 0.0;
  for (size_t i = 0; i < n; ++i) {
    cum += p[i];
    if (r < cum) return candidates_[i].second;
  }
  return candidates_[n - 1].second;
}

}  // namespace tally::sampling
