// Sessions: prefix reuse across turns gives the cold run's logits; rollbacks; cancellation; errors.
#include <gtest/gtest.h>

#include <cstring>
#include <random>
#include <thread>

#include "fixtures.h"
#include "model/config.h"
#include "tally/engine.h"

namespace tally {
namespace {

std::shared_ptr<Model> tiny(bool exact) {
  const std::string dir = testing::tiny_hf_dir();
  if (dir.empty()) return nullptr;
  EngineOptions o;
  o.backend = "cpu";
  o.exact = exact;
  auto m = Model::load(dir, o);
  return m.ok() ? m.value() : nullptr;
}

std::vector<int32_t> random_ids(size_t n, uint32_t seed) {
  std::mt19937 rng(seed);
  std::uniform_int_distribution<int32_t> d(0, 199997);
  std::vector<int32_t> v(n);
  for (auto& t : v) t = d(rng);
  return v;
}

std::vector<int32_t> concat(std::vector<int32_t> a, const std::vector<int32_t>& b) {
  a.insert(a.end(), b.begin(), b.end());
  return a;
}

bool same(const std::vector<float>& a, const std::vector<float>& b) {
  return a.size() == b.size() && std::memcmp(a.data(), b.data(), a.size() * 4) == 0;
}

std::vector<float> cold(const std::shared_ptr<Model>& m, const std::vector<int32_t>& ids) {
  Session s(m, {.context = 1024, .kv_f16 = false});
  EXPECT_TRUE(s.prefill(ids).ok());
  return s.last_logits();
}

TEST(Session, FollowUpPrefillsOnlyNewTokensAndMatchesColdRun) {
  auto m = tiny(true);
  ASSERT_TRUE(m) << "tiny model could not be synthesized";
  const auto turn1 = random_ids(150, 1);
  const auto turn2 = concat(turn1, random_ids(40, 2));
  Session s(m, {.context = 1024, .kv_f16 = false});
  ASSERT_TRUE(s.prefill(turn1).ok());
  auto st = s.prefill(turn2);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->prompt_reused, 150);
  EXPECT_TRUE(same(s.last_logits(), cold(m, turn2)));
}

TEST(Session, RollbackWithinTheSlidingRingReusesThePrefix) {
  auto m = tiny(true);
  ASSERT_TRUE(m);
  const auto base = random_ids(100, 3);
  const auto a = concat(base, random_ids(60, 4));
  const auto b = concat(base, random_ids(30, 5));  // regenerate / edit: diverges after `base`
  Session s(m, {.context = 1024, .kv_f16 = false});
  ASSERT_TRUE(s.prefill(a).ok());
  auto st = s.prefill(b);
  ASSERT_TRUE(st.ok());
  EXPECT_EQ(st->prompt_reused, 100);
  EXPECT_TRUE(same(s.last_logits(), cold(m, b)));
}

TEST(Session, RollbackBeyondTheRingRecomputesAndStaysCorrect) {
  auto m = tiny(true);
  ASSERT_TRUE(m);
  const auto base = random_ids(20, 6);
  const auto a = concat(base, random_ids(600, 7));  // far past window + slack
  const auto b = concat(base, random_ids(10, 8));
  Session s(m, {.context = 1024, .kv_f16 = false});
  ASSERT_TRUE(s.prefill(a).ok());
  auto st = s.prefill(b);
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(same(s.last_logits(), cold(m, b)));
}

TEST(Session, BatchedPrefillEqualsTokenByToken) {
  auto m = tiny(true);
  ASSERT_TRUE(m);
  const auto ids = random_ids(300, 9);  // longer than the 256-token batch and the sliding ring's slack
  Session one(m, {.context = 1024, .kv_f16 = false});
  for (size_t i = 1; i <= ids.size(); ++i) {
    ASSERT_TRUE(one.prefill(std::vector<int32_t>(ids.begin(), ids.begin() + static_cast<long>(i))).ok());
  }
  EXPECT_TRUE(same(one.last_logits(), cold(m, ids)));
}

// A context shorter than the sliding window (a short bench or a tiny prompt) once looped forever: the ring's
// chunk size (slots - window) was not positive.
TEST(Session, ContextShorterThanTheSlidingWindowWorks) {
  auto m = tiny(true);
  ASSERT_TRUE(m);
  const auto ids = random_ids(8, 21);
  Session small(m, {.context = 8, .kv_f16 = false});
  ASSERT_TRUE(small.prefill(ids).ok());
  const auto want = cold(m, ids);
  const auto& got = small.last_logits();
  ASSERT_EQ(got.size(), want.size());
  for (size_t i = 0; i < got.size(); ++i) ASSERT_NEAR(got[i], want[i], 1e-4f) << i;
}

TEST(Session, RejectsOutOfVocabularyAndOverlongPrompts) {
  auto m = tiny(false);
  ASSERT_TRUE(m);
  Session s(m, {.context = 64});
  auto bad = s.prefill(std::vector<int32_t>{1, 2, 999999});
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("999999"), std::string::npos);
  auto longp = s.prefill(random_ids(65, 10));
  ASSERT_FALSE(longp.ok());
  EXPECT_NE(longp.error().message.find("context"), std::string::npos);
}

TEST(Session, CancelFromAnotherThreadStopsGeneration) {
  auto m = tiny(false);
  ASSERT_TRUE(m);
  Session s(m, {.context = 4096});
  ASSERT_TRUE(s.prefill(random_ids(8, 11)).ok());
  GenerateOptions g;
  g.max_tokens = 3000;
  g.temperature = 0;
  int produced = 0;
  std::thread stopper([&] {
    std::this_thread::sleep_for(std::chrono::milliseconds(50));
    s.cancel();
  });
  auto st = s.generate(g, [&](int32_t) { ++produced; return true; });
  stopper.join();
  ASSERT_TRUE(st.ok());
  EXPECT_TRUE(st->cancelled);
  EXPECT_LT(produced, 3000);
}

TEST(Session, SeededSamplingIsReproducible) {
  auto m = tiny(false);
  ASSERT_TRUE(m);
  auto run = [&] {
    Session s(m, {.context = 256});
    EXPECT_TRUE(s.prefill(random_ids(5, 12)).ok());
    GenerateOptions g;
    g.max_tokens = 12;
    g.temperature = 0.8f;
    g.top_p = 0.95f;
    g.seed = 42;
    std::vector<int32_t> out;
    EXPECT_TRUE(s.generate(g, [&](int32_t t) { out.push_back(t); return true; }).ok());
    return out;
  };
  EXPECT_EQ(run(), run());
}

}  // namespace
}  // namespace tally
