#include "logit_agreement.h"

#include <algorithm>
#include <cmath>
#include <cstdio>
#include <functional>

namespace tally::testing {

double row_logsumexp(const float* row, int vocab) {
  double m = row[0];
  for (int i = 1; i < vocab; ++i) m = std::max<double>(m, row[i]);
  double s = 0;
  for (int i = 0; i < vocab; ++i) s += std::exp(row[i] - m);
  return m + std::log(s);
}

LogitAgreement agreement_over_rows(std::span<const float> reference, std::span<const float> engine, int vocab) {
  LogitAgreement a;
  const auto width = static_cast<std::size_t>(std::max(vocab, 1));
  const std::size_t positions = std::min(reference.size(), engine.size()) / width;
  if (positions == 0 || vocab < 2) return a;
  double kl_sum = 0;
  std::vector<float> sorted(width);
  for (std::size_t p = 0; p < positions; ++p) {
    const float* c = reference.data() + p * width;
    const float* g = engine.data() + p * width;
    const double lc = row_logsumexp(c, vocab), lg = row_logsumexp(g, vocab);
    double kl = 0;
    for (int i = 0; i < vocab; ++i) {
      const double lp = c[i] - lc, lq = g[i] - lg;
      kl += std::exp(lp) * (lp - lq);
    }
    kl_sum += kl;
    sorted.assign(c, c + vocab);
    std::nth_element(sorted.begin(), sorted.begin() + 1, sorted.end(), std::greater<float>());
    if (sorted[0] - sorted[1] >= kTop1Margin) {
      ++a.top1_checked;
      const auto top_c = std::max_element(c, c + vocab) - c;
      const auto top_g = std::max_element(g, g + vocab) - g;
      if (top_c != top_g) ++a.top1_misses;
    }
  }
  a.mean_kl = kl_sum / static_cast<double>(positions);
  return a;
}

std::string describe(const LogitAgreement& a) {
  char text[96];
  std::snprintf(text, sizeof text, "mean KL %.3e, top-1 misses %d of %d", a.mean_kl, a.top1_misses, a.top1_checked);
  return text;
}

::testing::AssertionResult meets_fast_path_rule(const LogitAgreement& a) {
  if (!(a.mean_kl < kFastPathMaxMeanKl)) {
    return ::testing::AssertionFailure() << "mean KL " << a.mean_kl << " is not below " << kFastPathMaxMeanKl << " ("
                                         << describe(a) << ")";
  }
  if (a.top1_misses != 0) return ::testing::AssertionFailure() << "top-1 differs: " << describe(a);
  return ::testing::AssertionSuccess();
}

std::vector<int32_t> comparison_tokens(std::size_t count) {
  std::vector<int32_t> ids(count);
  uint64_t state = 12345;
  for (auto& id : ids) {
    state = state * 6364136223846793005ULL + 1442695040888963407ULL;
    id = static_cast<int32_t>((state >> 33) % 199998);
  }
  return ids;
}

std::vector<float> read_f32_rows(const std::string& path, std::size_t count) {
  FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return {};
  std::vector<float> out;
  float chunk[4096];
  std::size_t got = 0;
  while ((count == 0 || out.size() < count) && (got = std::fread(chunk, sizeof(float), std::size(chunk), f)) > 0) {
    out.insert(out.end(), chunk, chunk + got);
  }
  std::fclose(f);
  if (count == 0) return out;
  if (out.size() < count) return {};
  out.resize(count);
  return out;
}

bool write_f32_rows(const std::string& path, std::span<const float> rows) {
  FILE* f = std::fopen(path.c_str(), "wb");
  if (!f) return false;
  const bool ok = std::fwrite(rows.data(), sizeof(float), rows.size(), f) == rows.size();
  return std::fclose(f) == 0 && ok;
}

}  // namespace tally::testing
