// ScriptedGenerator: the replay that stands in for the model in loop, worker and CLI tests.
#include <gtest/gtest.h>

#include <thread>

#include "copilot/scripted_generator.h"
#include "copilot_fixture.h"

namespace tally::app {
namespace {

TEST(ScriptedGenerator, SplitsRepliesAndDropsLineBreaksAfterSpecials) {
  const auto replies = ScriptedGenerator::split_replies(
      "<|channel|>analysis<|message|>two\nlines<|end|>\n<|start|>assistant<|channel|>final<|message|>x<|return|>\n"
      "---\n<|channel|>final<|message|>second<|return|>\n---\n");
  ASSERT_EQ(replies.size(), 2u);
  EXPECT_EQ(replies[0],
            "<|channel|>analysis<|message|>two\nlines<|end|><|start|>assistant<|channel|>final<|message|>x<|return|>");
  EXPECT_EQ(replies[1], "<|channel|>final<|message|>second<|return|>");
}

TEST(ScriptedGenerator, ReplaysOneReplyPerGenerateAndStopsAtStopTokens) {
  auto tokenizer = testing::bundled_tokenizer();
  ASSERT_TRUE(tokenizer);
  ScriptedGenerator gen(tokenizer, "<|channel|>final<|message|>Hello<|return|>ignored\n---\nsecond<|call|>");
  std::vector<int32_t> prompt = tokenizer->encode("prompt");
  ASSERT_TRUE(gen.prefill(prompt).ok());
  GenerateOptions o;
  o.stop_tokens = {tok::Tokenizer::kReturn, tok::Tokenizer::kCall};
  std::vector<int32_t> out;
  auto st = gen.generate(o, [&](int32_t id) { out.push_back(id); return true; });
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->stopped_by_token);
  EXPECT_EQ(tokenizer->decode(out), "<|channel|>final<|message|>Hello<|return|>");
  out.clear();
  ASSERT_TRUE(gen.generate(o, [&](int32_t id) { out.push_back(id); return true; }).ok());
  EXPECT_EQ(tokenizer->decode(out), "second<|call|>");
  EXPECT_FALSE(gen.generate(o, [&](int32_t) { return true; }).ok()) << "a third reply does not exist";
}

TEST(ScriptedGenerator, PrefillReportsTheReusedPrefix) {
  auto tokenizer = testing::bundled_tokenizer();
  ASSERT_TRUE(tokenizer);
  ScriptedGenerator gen(tokenizer, "a<|return|>");
  std::vector<int32_t> p1 = {1, 2, 3, 4};
  std::vector<int32_t> p2 = {1, 2, 9, 9, 9};
  ASSERT_TRUE(gen.prefill(p1).ok());
  auto st = gen.prefill(p2);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->prompt_reused, 2);
  EXPECT_EQ(st->prompt_tokens, 5);
  EXPECT_EQ(gen.prompts().size(), 2u);
}

TEST(ScriptedGenerator, CancelEndsALongReplyFromAnotherThread) {
  auto tokenizer = testing::bundled_tokenizer();
  ASSERT_TRUE(tokenizer);
  ScriptedGenerator gen(tokenizer, "<|channel|>final<|message|>word word word");
  gen.set_repeat_last(true);
  gen.set_token_delay(std::chrono::milliseconds(1));
  GenerateOptions o;
  o.max_tokens = 1'000'000;
  std::thread canceller([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(30));
    gen.cancel();
  });
  int64_t n = 0;
  auto st = gen.generate(o, [&](int32_t) { ++n; return true; });
  canceller.join();
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->cancelled);
  EXPECT_LT(n, 1'000'000);
}

TEST(ScriptedGenerator, MissingFileIsAnErrorNamingIt) {
  auto tokenizer = testing::bundled_tokenizer();
  ASSERT_TRUE(tokenizer);
  auto gen = ScriptedGenerator::from_file(tokenizer, "/nonexistent/stream.txt");
  ASSERT_FALSE(gen.ok());
  EXPECT_NE(gen.error().message.find("/nonexistent/stream.txt"), std::string::npos);
}

}  // namespace
}  // namespace tally::app
