// The sampler's distributions, checked statistically against the softmax they should draw from.
#include <gtest/gtest.h>

#include <cmath>
#include <limits>
#include <map>

#include "sampler/sampler.h"

namespace tally::sampling {
namespace {

std::vector<int> histogram(SamplerParams p, const std::vector<float>& logits, int draws) {
  Sampler s(p);
  std::vector<int> counts(logits.size(), 0);
  for (int i = 0; i < draws; ++i) {
    std::vector<float> l = logits;
    ++counts[s.sample(l, {})];
  }
  return counts;
}

std::vector<double> softmax(const std::vector<float>& l, double temperature) {
  double m = *std::max_element(l.begin(), l.end());
  std::vector<double> p(l.size());
  double s = 0;
  for (size_t i = 0; i < l.size(); ++i) s += p[i] = std::exp((l[i] - m) / temperature);
  for (double& x : p) x /= s;
  return p;
}

const std::vector<float> kLogits = {2.0f, 1.0f, 0.5f, 0.0f, -1.0f, -3.0f};

TEST(Sampler, GreedyPicksTheLargestLogitLowestIndexOnTies) {
  SamplerParams p;
  p.temperature = 0;
  Sampler s(p);
  std::vector<float> l = {1, 3, 3, 2};
  EXPECT_EQ(s.sample(l, {}), 1);
}

TEST(Sampler, TemperatureSamplingMatchesSoftmaxFrequencies) {
  for (double temp : {0.5, 1.0, 2.0}) {
    SamplerParams p;
    p.temperature = static_cast<float>(temp);
    p.seed = 7;
    const int draws = 60000;
    const auto counts = histogram(p, kLogits, draws);
    const auto expect = softmax(kLogits, temp);
    // Chi-square against the expected counts; 5 degrees of freedom, 0.1% critical value 20.5.
    double chi2 = 0;
    for (size_t i = 0; i < expect.size(); ++i) {
      const double e = expect[i] * draws;
      if (e >= 5) chi2 += (counts[i] - e) * (counts[i] - e) / e;
    }
    EXPECT_LT(chi2, 20.5) << "temperature " << temp;
  }
}

TEST(Sampler, TopKKeepsOnlyTheKBest) {
  SamplerParams p;
  p.top_k = 2;
  p.seed = 1;
  const auto counts = histogram(p, kLogits, 5000);
  EXPECT_GT(counts[0], 0);
  EXPECT_GT(counts[1], 0);
  for (size_t i = 2; i < counts.size(); ++i) EXPECT_EQ(counts[i], 0);
  // Renormalised over the two: p0 = 1 / (1 + e^-1) = 0.731.
  EXPECT_NEAR(counts[0] / 5000.0, 0.731, 0.03);
}

TEST(Sampler, TopPKeepsTheSmallestSetReachingP) {
  const auto probs = softmax(kLogits, 1.0);  // 0.574, 0.211, 0.128, 0.078, ...
  SamplerParams p;
  p.top_p = static_cast<float>(probs[0] + probs[1] + 0.01);  // needs the first three
  p.seed = 2;
  const auto counts = histogram(p, kLogits, 5000);
  EXPECT_GT(counts[2], 0);
  for (size_t i = 3; i < counts.size(); ++i) EXPECT_EQ(counts[i], 0);
}

TEST(Sampler, MinPDropsTokensBelowAFractionOfTheBest) {
  SamplerParams p;
  p.min_p = 0.3f;  // keeps p >= 0.3 * 0.574 = 0.172: tokens 0 and 1
  p.seed = 3;
  const auto counts = histogram(p, kLogits, 5000);
  EXPECT_GT(counts[1], 0);
  for (size_t i = 2; i < counts.size(); ++i) EXPECT_EQ(counts[i], 0);
}

TEST(Sampler, LogitBiasCanBanOrForceTokens) {
  SamplerParams p;
  p.temperature = 0;
  p.logit_bias[0] = -std::numeric_limits<float>::infinity();
  Sampler s(p);
  std::vector<float> l = kLogits;
  EXPECT_EQ(s.sample(l, {}), 1);
  SamplerParams q;
  q.logit_bias[5] = 100.0f;
  q.seed = 4;
  const auto counts = histogram(q, kLogits, 200);
  EXPECT_EQ(counts[5], 200);
}

TEST(Sampler, RepetitionAndPresencePenaltiesLowerSeenTokens) {
  SamplerParams p;
  p.temperature = 0;
  p.repetition_penalty = 3.0f;  // 2.0 -> 0.667 < 1.0
  Sampler s(p);
  std::vector<float> l = kLogits;
  const std::vector<int32_t> history = {0, 0, 0};
  EXPECT_EQ(s.sample(l, history), 1);
  SamplerParams q;
  q.temperature = 0;
  q.presence_penalty = 1.5f;  // 2.0 -> 0.5 < 1.0
  Sampler t(q);
  std::vector<float> l2 = kLogits;
  EXPECT_EQ(t.sample(l2, history), 1);
}

TEST(Sampler, SameSeedSameSequence) {
  SamplerParams p;
  p.seed = 99;
  Sampler a(p), b(p);
  for (int i = 0; i < 100; ++i) {
    std::vector<float> la = kLogits, lb = kLogits;
    EXPECT_EQ(a.sample(la, {}), b.sample(lb, {}));
  }
}

}  // namespace
}  // namespace tally::sampling
