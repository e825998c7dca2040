#pragma once
// The tiny fixture's golden outputs (float64 reference = OpenAI's implementation) and the comparison rules of its
// README: exact path within 1e-3; fast paths mean KL < 5e-3 and top-1 equal where the reference margin >= 0.5.
#include <cstdint>
#include <string>
#include <vector>

namespace tally::testing {

struct GoldenSequence {
  std::string name;
  std::vector<int32_t> ids;
  std::vector<std::vector<std::pair<int32_t, double>>> top20;  // per position, highest first
  std::vector<double> logsumexp;                                // per position
  std::vector<std::vector<double>> hidden_last_per_layer;
  std::vector<float> last_logits;                               // full row at the last position
};

struct Golden {
  std::vector<GoldenSequence> sequences;
  std::vector<std::pair<int32_t, double>> greedy_harmony_ko;    // {id, margin}
};

// Loads ../shared/fixtures/tiny-gptoss/golden; empty when ../shared is absent.
Golden load_golden();

struct FastCheck {
  double mean_kl = 0;
  int top1_checked = 0;
  int top1_misses = 0;
};
// KL(reference || engine) per position over the reference's top-20 plus one bucket for the rest of the mass (the
// full rows at the last position), averaged over positions.
FastCheck compare_fast(const GoldenSequence& g, const std::vector<float>& logits, int vocab);
// Largest |engine - reference| over every top-20 entry at every position and the full last row.
double max_abs_error(const GoldenSequence& g, const std::vector<float>& logits, int vocab);

}  // namespace tally::testing
