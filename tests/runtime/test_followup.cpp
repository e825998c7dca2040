// Follow-up cache reuse (issue 9 item 4): the previous turn's analysis is dropped from the next prompt, so the
// prompts diverge where that analysis began, past the sliding layers' ring; the session resumes from its
// checkpoint at the end of the previous prompt and computes only the kept answer, the new message and headers.
#include <gtest/gtest.h>

#include <chrono>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <cstring>

#include "fixtures.h"
#include "logit_agreement.h"
#include "tally/engine.h"
#include "tokenizer/tokenizer.h"

namespace tally {
namespace {

std::shared_ptr<Model> tiny_gguf(bool exact) {
  const std::string path = testing::tiny_synth_gguf();
  if (path.empty()) return nullptr;
  EngineOptions o;
  o.backend = "cpu";
  o.exact = exact;
  auto m = Model::load(path, o);
  return m.ok() ? m.value() : nullptr;
}

std::vector<int32_t> harmony(const Model& m, const std::string& text) {
  return m.tokenizer().encode_with_specials(text);
}

std::vector<int32_t> concat(std::vector<int32_t> a, const std::vector<int32_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

// A system prompt, a user question and `analysis_words` words of reasoning then a final answer.
struct Chat {
  std::vector<int32_t> prompt1;     // up to "<|start|>assistant" of turn 1
  std::vector<int32_t> generated;   // turn 1's analysis and final answer, as the model emitted them
  std::vector<int32_t> prompt2;     // turn 2 rendered: analysis dropped, answer kept, a new question
  size_t new_part = 0;              // prompt2's tokens after prompt1: kept answer + new message + headers
};

Chat make_chat(const Model& m, int analysis_words, int system_words) {
  std::string system = "<|start|>system<|message|>You are Tally, a data copilot.";
  for (int i = 0; i < system_words; ++i) system += " table sales has columns region, month, amount " + std::to_string(i) + ".";
  system += "<|end|>";
  const std::string user1 = "<|start|>user<|message|>Which region sold most in March?<|end|><|start|>assistant";
  std::string analysis = "<|channel|>analysis<|message|>";
  for (int i = 0; i < analysis_words; ++i) analysis += " step" + std::to_string(i % 97);
  analysis += "<|end|>";
  const std::string answer = "<|channel|>final<|message|>The North region sold most in March: 4,210 units.";
  Chat c;
  c.prompt1 = harmony(m, system + user1);
  c.generated = concat(harmony(m, analysis + "<|start|>assistant" + answer), harmony(m, "<|return|>"));
  const auto kept = harmony(m, answer + "<|end|><|start|>user<|message|>And in April?<|end|><|start|>assistant");
  c.prompt2 = concat(c.prompt1, kept);
  c.new_part = kept.size();
  return c;
}

class FollowUp : public ::testing::TestWithParam<bool> {};

TEST_P(FollowUp, PrefillsOnlyTheKeptAnswerAndNewMessageAndMatchesAColdRun) {
  const bool exact = GetParam();
  auto m = tiny_gguf(exact);
  ASSERT_TRUE(m) << "tiny model could not be synthesized";
  const Chat chat = make_chat(*m, 260, 20);
  ASSERT_GT(chat.generated.size(), 500u);

  Session warm(m, {.context = 4096, .kv_f16 = false});
  ASSERT_TRUE(warm.prefill(chat.prompt1).ok());
  EXPECT_EQ(warm.checkpoint_positions(), std::vector<int64_t>{static_cast<int64_t>(chat.prompt1.size())});
  // Turn 1's reply enters the cache as decoding would leave it.
  auto gen = warm.prefill(concat(chat.prompt1, chat.generated));
  ASSERT_TRUE(gen.ok());
  ASSERT_EQ(gen->prompt_reused, static_cast<int64_t>(chat.prompt1.size()));

  auto st = warm.prefill(chat.prompt2);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->checkpoint_restored, static_cast<int64_t>(chat.prompt1.size()));
  const int64_t computed = st->prompt_tokens - st->prompt_reused;
  EXPECT_LE(computed, static_cast<int64_t>(chat.new_part));
  EXPECT_GT(st->prompt_reused, 0);

  Session cold(m, {.context = 4096, .kv_f16 = false});
  ASSERT_TRUE(cold.prefill(chat.prompt2).ok());
  if (exact) {
    ASSERT_EQ(warm.last_logits().size(), cold.last_logits().size());
    EXPECT_EQ(std::memcmp(warm.last_logits().data(), cold.last_logits().data(), cold.last_logits().size() * 4), 0);
  } else {
    const auto& reference = cold.last_logits();
    const auto c = testing::agreement_over_rows(reference, warm.last_logits(), static_cast<int>(reference.size()));
    EXPECT_TRUE(testing::meets_fast_path_rule(c)) << "warm against cold";
  }
}

INSTANTIATE_TEST_SUITE_P(Paths, FollowUp, ::testing::Values(true, false),
                         [](const ::testing::TestParamInfo<bool>& p) { return p.param ? "Exact" : "Fast"; });

TEST(FollowUpCheckpoints, WithoutCheckpointsTheFollowUpRecomputesEverything) {
  auto m = tiny_gguf(false);
  ASSERT_TRUE(m);
  const Chat chat = make_chat(*m, 500, 0);
  Session s(m, {.context = 4096, .kv_f16 = false, .max_checkpoints = 0});
  ASSERT_TRUE(s.prefill(chat.prompt1).ok());
  ASSERT_TRUE(s.prefill(concat(chat.prompt1, chat.generated)).ok());
  auto st = s.prefill(chat.prompt2);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->prompt_reused, 0);  // the ring no longer holds where the prompts diverge
  EXPECT_EQ(st->checkpoint_restored, -1);
  EXPECT_TRUE(s.checkpoint_positions().empty());
}

TEST(FollowUpCheckpoints, RequestedCheckpointsAreBoundedAndDroppedWhenTheSequenceChanges) {
  auto m = tiny_gguf(true);
  ASSERT_TRUE(m);
  const Chat chat = make_chat(*m, 400, 0);
  const auto full = concat(chat.prompt1, chat.generated);
  Session s(m, {.context = 4096, .kv_f16 = false, .max_checkpoints = 3});
  PrefillOptions o;
  o.checkpoints = {10, 20, 30, 40, static_cast<int64_t>(full.size()) + 5};
  ASSERT_TRUE(s.prefill(full, o).ok());
  // Bounded: the least recently used go first; the end of the prefill is always one.
  EXPECT_EQ(s.checkpoint_positions(), (std::vector<int64_t>{30, 40, static_cast<int64_t>(full.size())}));
  // A prompt that diverges at 35 keeps only checkpoints at or before 35 and resumes from 30.
  auto edited = std::vector<int32_t>(full.begin(), full.begin() + 35);
  edited.push_back(full[35] == 500 ? 501 : 500);
  auto st = s.prefill(edited);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->checkpoint_restored, 30);
  EXPECT_EQ(st->prompt_reused, 30);
  Session cold(m, {.context = 4096, .kv_f16 = false});
  ASSERT_TRUE(cold.prefill(edited).ok());
  EXPECT_EQ(std::memcmp(s.last_logits().data(), cold.last_logits().data(), cold.last_logits().size() * 4), 0);
  EXPECT_EQ(s.checkpoint_positions(), (std::vector<int64_t>{30, static_cast<int64_t>(edited.size())}));
}

TEST(FollowUpCheckpoints, RegenerateAfterALongReplyNeedsNoCompute) {
  auto m = tiny_gguf(true);
  ASSERT_TRUE(m);
  const Chat chat = make_chat(*m, 500, 0);
  Session s(m, {.context = 4096, .kv_f16 = false});
  ASSERT_TRUE(s.prefill(chat.prompt1).ok());
  const auto first = s.last_logits();
  ASSERT_TRUE(s.prefill(concat(chat.prompt1, chat.generated)).ok());
  auto st = s.prefill(chat.prompt1);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->prompt_reused, static_cast<int64_t>(chat.prompt1.size()));
  EXPECT_EQ(st->checkpoint_restored, static_cast<int64_t>(chat.prompt1.size()));
  EXPECT_EQ(s.last_logits(), first);
  // And decoding continues from there exactly as a cold session would.
  ASSERT_TRUE(s.prefill(concat(chat.prompt1, harmony(*m, "<|channel|>final<|message|>Hi"))).ok());
  Session cold(m, {.context = 4096, .kv_f16 = false});
  ASSERT_TRUE(cold.prefill(concat(chat.prompt1, harmony(*m, "<|channel|>final<|message|>Hi"))).ok());
  EXPECT_EQ(s.last_logits(), cold.last_logits());
}

// Time to first token of the follow-up, cold (fresh session) vs warm (checkpoint), for the tiny model at a short
// and a realistic prompt length. Prints the numbers; run it alone:
//   TALLY_FOLLOWUP_TIMING=1 build/tests/test_runtime --gtest_filter='FollowUpTiming.*'
TEST(FollowUpTiming, ColdVersusWarmTimeToFirstToken) {
  if (!std::getenv("TALLY_FOLLOWUP_TIMING")) GTEST_SKIP() << "set TALLY_FOLLOWUP_TIMING=1 to measure";
  auto m = tiny_gguf(false);
  ASSERT_TRUE(m);
  for (int system_words : {20, 400}) {
    const Chat chat = make_chat(*m, 500, system_words);
    GenerateOptions g;
    g.max_tokens = 1;
    g.temperature = 0;
    auto ttft = [&](Session& s) {
      const auto t0 = std::chrono::steady_clock::now();
      auto st = s.prefill(chat.prompt2);
      EXPECT_TRUE(st.ok());
      EXPECT_TRUE(s.generate(g, [](int32_t) { return true; }).ok());
      return std::pair{std::chrono::duration<double, std::milli>(std::chrono::steady_clock::now() - t0).count(),
                       st.ok() ? st->prompt_tokens - st->prompt_reused : -1};
    };
    double cold_ms = 1e30, warm_ms = 1e30, none_ms = 1e30;
    int64_t cold_n = 0, warm_n = 0, none_n = 0;
    for (int rep = 0; rep < 3; ++rep) {
      Session cold(m, {.context = 8192, .kv_f16 = false});
      auto [c, cn] = ttft(cold);
      Session warm(m, {.context = 8192, .kv_f16 = false});
      ASSERT_TRUE(warm.prefill(chat.prompt1).ok());
      ASSERT_TRUE(warm.prefill(concat(chat.prompt1, chat.generated)).ok());
      auto [w, wn] = ttft(warm);
      Session none(m, {.context = 8192, .kv_f16 = false, .max_checkpoints = 0});
      ASSERT_TRUE(none.prefill(chat.prompt1).ok());
      ASSERT_TRUE(none.prefill(concat(chat.prompt1, chat.generated)).ok());
      auto [n, nn] = ttft(none);
      cold_ms = std::min(cold_ms, c), warm_ms = std::min(warm_ms, w), none_ms = std::min(none_ms, n);
      cold_n = cn, warm_n = wn, none_n = nn;
    }
    std::printf("follow-up prompt %zu tokens: cold %.1f ms (%lld computed), warm without checkpoints %.1f ms (%lld), "
                "warm with checkpoint %.1f ms (%lld)\n",
                chat.prompt2.size(), cold_ms, static_cast<long long>(cold_n), none_ms, static_cast<long long>(none_n),
                warm_ms, static_cast<long long>(warm_n));
  }
}

}  // namespace
}  // namespace tally
