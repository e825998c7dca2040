#pragma once
// How close an engine's logits are to a reference's, by the tiny fixture README's fast-path rule: mean
// KL(reference || engine) < 5e-3, and top-1 equal wherever the reference's margin (best minus second best) is at
// least 0.5. One definition for every comparison (CPU fast path, CUDA, Vulkan, a warm session against a cold one),
// so a change to the rule lands everywhere at once.
#include <gtest/gtest.h>

#include <cstddef>
#include <cstdint>
#include <span>
#include <string>
#include <vector>

namespace tally::testing {

inline constexpr double kFastPathMaxMeanKl = 5e-3;
inline constexpr float kTop1Margin = 0.5f;

struct LogitAgreement {
  double mean_kl = 0;
  int top1_checked = 0;  // positions whose reference margin is at least kTop1Margin
  int top1_misses = 0;
};

// log(sum(exp(row))) over `vocab` logits, shifted by the row's maximum so large logits do not overflow.
double row_logsumexp(const float* row, int vocab);

// Full rows: `reference` and `engine` hold the same number of position-major rows of `vocab` logits each.
LogitAgreement agreement_over_rows(std::span<const float> reference, std::span<const float> engine, int vocab);

// "mean KL 1.234e-03, top-1 misses 0 of 17", the wording every backend test logs.
std::string describe(const LogitAgreement& a);

// Whether `a` meets the rule, with the part it breaks in words; use as EXPECT_TRUE(meets_fast_path_rule(a)) << what,
// so a failure names the caller's line.
::testing::AssertionResult meets_fast_path_rule(const LogitAgreement& a);

// The token stream the GPU-against-CPU comparisons feed: a fixed LCG over the gpt-oss vocabulary's ids, so runs
// on different backends and machines see the same input.
std::vector<int32_t> comparison_tokens(std::size_t count);

// .f32 files hold raw native-endian float rows (the golden last-position rows, a CPU reference kept between runs).
// Reading gives the whole file, or with `count` non-zero its first `count` floats; empty when the file is missing
// or shorter than that.
std::vector<float> read_f32_rows(const std::string& path, std::size_t count = 0);
bool write_f32_rows(const std::string& path, std::span<const float> rows);

}  // namespace tally::testing
