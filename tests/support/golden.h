#pragma once
// The tiny fixture's golden outputs (float64 reference = OpenAI's implementation) and the comparison rules of its
// README: exact path within 1e-3; fast paths by the rule in logit_agreement.h.
#include <cstdint>
#include <string>
#include <vector>

#include "logit_agreement.h"

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
// load_golden(), read once per test process.
const Golden& tiny_golden();

// KL(reference || engine) per position over the reference's top-20 plus one bucket for the rest of the mass (the
// full rows at the last position), averaged over positions; top-1 where the reference margin >= kTop1Margin.
LogitAgreement compare_fast(const GoldenSequence& g, const std::vector<float>& logits, int vocab);
// Largest |engine - reference| over every top-20 entry at every position and the full last row.
double max_abs_error(const GoldenSequence& g, const std::vector<float>& logits, int vocab);

}  // namespace tally::testing
