#include "golden.h"

#include <algorithm>
#include <cmath>
#include <fstream>

#include <nlohmann/json.hpp>

#include "fixtures.h"

namespace tally::testing {

Golden load_golden() {
  Golden g;
  const std::string shared = shared_dir();
  if (shared.empty()) return g;
  const std::string dir = shared + "/fixtures/tiny-gptoss/golden/";
  const auto j = nlohmann::json::parse(read_file(dir + "golden.json"));
  for (const char* name : {"harmony_ko", "random_48", "random_160"}) {
    const auto& s = j["sequences"][name];
    GoldenSequence seq;
    seq.name = name;
    seq.ids = s["ids"].get<std::vector<int32_t>>();
    for (const auto& pos : s["top20"]) {
      std::vector<std::pair<int32_t, double>> row;
      for (const auto& e : pos) row.emplace_back(e[0].get<int32_t>(), e[1].get<double>());
      seq.top20.push_back(std::move(row));
    }
    seq.logsumexp = s["logsumexp"].get<std::vector<double>>();
    seq.hidden_last_per_layer = s["hidden_last_per_layer"].get<std::vector<std::vector<double>>>();
    seq.last_logits = read_f32_rows(dir + "logits_" + name + "_last.f32");
    g.sequences.push_back(std::move(seq));
  }
  for (const auto& step : j["greedy_harmony_ko"]) {
    g.greedy_harmony_ko.emplace_back(step["id"].get<int32_t>(), step["margin"].get<double>());
  }
  return g;
}

const Golden& tiny_golden() {
  static const Golden g = load_golden();
  return g;
}

LogitAgreement compare_fast(const GoldenSequence& g, const std::vector<float>& logits, int vocab) {
  LogitAgreement out;
  const size_t n = g.ids.size();
  double kl_sum = 0;
  for (size_t p = 0; p < n; ++p) {
    const float* row = logits.data() + p * static_cast<size_t>(vocab);
    const double lse_e = row_logsumexp(row, vocab);
    double kl = 0;
    if (p + 1 == n) {
      const double lse_r = row_logsumexp(g.last_logits.data(), vocab);
      for (int i = 0; i < vocab; ++i) {
        const double lp = g.last_logits[i] - lse_r;
        const double lq = row[i] - lse_e;
        kl += std::exp(lp) * (lp - lq);
      }
    } else {
      double pr_rest = 1, pe_rest = 1;
      for (const auto& [id, ref] : g.top20[p]) {
        const double lp = ref - g.logsumexp[p];
        const double lq = row[id] - lse_e;
        kl += std::exp(lp) * (lp - lq);
        pr_rest -= std::exp(lp);
        pe_rest -= std::exp(lq);
      }
      if (pr_rest > 1e-12 && pe_rest > 1e-12) kl += pr_rest * std::log(pr_rest / pe_rest);
    }
    kl_sum += kl;
    const double margin = g.top20[p][0].second - g.top20[p][1].second;
    if (margin >= kTop1Margin) {
      ++out.top1_checked;
      const int32_t top = static_cast<int32_t>(std::max_element(row, row + vocab) - row);
      if (top != g.top20[p][0].first) ++out.top1_misses;
    }
  }
  out.mean_kl = kl_sum / static_cast<double>(n);
  return out;
}

double max_abs_error(const GoldenSequence& g, const std::vector<float>& logits, int vocab) {
  double worst = 0;
  const size_t n = g.ids.size();
  for (size_t p = 0; p < n; ++p) {
    const float* row = logits.data() + p * static_cast<size_t>(vocab);
    for (const auto& [id, ref] : g.top20[p]) worst = std::max(worst, std::fabs(row[id] - ref));
  }
  const float* last = logits.data() + (n - 1) * static_cast<size_t>(vocab);
  for (int i = 0; i < vocab; ++i) worst = std::max(worst, std::fabs(static_cast<double>(last[i]) - g.last_logits[i]));
  return worst;
}

}  // namespace tally::testing
