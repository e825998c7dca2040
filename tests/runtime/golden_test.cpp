// The engine against the float64 reference (the tiny fixture's golden outputs), from both file formats.
#include <gtest/gtest.h>

#include <cstring>
#include <ostream>

#include "backend_golden_case.h"
#include "engine_internal.h"
#include "fixtures.h"
#include "golden.h"
#include "model/config.h"
#include "sampler/sampler.h"

namespace tally {
namespace {

using testing::tiny_golden;

std::shared_ptr<Model> load(const std::string& path, bool exact) {
  return testing::load_on_backend(path, "cpu", exact);
}

std::vector<float> run_logits(const std::shared_ptr<Model>& model, const std::vector<int32_t>& ids) {
  Session s(model, {.context = 512});
  auto logits = s.logits_all(ids);
  EXPECT_TRUE(logits.ok());
  return logits.ok() ? logits.value() : std::vector<float>();
}

struct Source {
  const char* name;
  std::string (*path)();
};
const Source kSources[] = {{"gguf", &testing::tiny_fixture_gguf}, {"hf", &testing::tiny_hf_dir}};
// Names the parameter in test listings (ctest otherwise shows the struct's bytes).
void PrintTo(const Source& s, std::ostream* os) { *os << s.name; }

class GoldenBySource : public ::testing::TestWithParam<Source> {
 protected:
  void SetUp() override {
    TALLY_REQUIRE_SHARED();
    path_ = GetParam().path();
    ASSERT_FALSE(path_.empty()) << "tiny model for " << GetParam().name << " unavailable";
  }
  std::string path_;
};

TEST_P(GoldenBySource, ExactPathWithin1e3OfReference) {
  auto model = load(path_, true);
  ASSERT_TRUE(model);
  const int vocab = model->config().vocab;
  for (const auto& seq : tiny_golden().sequences) {
    model->impl().net->set_capture_hidden(true);
    const auto logits = run_logits(model, seq.ids);
    ASSERT_EQ(logits.size(), seq.ids.size() * static_cast<size_t>(vocab));
    EXPECT_LT(testing::max_abs_error(seq, logits, vocab), 1e-3) << seq.name;
    const auto& hidden = model->impl().net->last_hidden_per_layer();
    ASSERT_EQ(hidden.size(), seq.hidden_last_per_layer.size());
    for (size_t l = 0; l < hidden.size(); ++l) {
      for (size_t i = 0; i < hidden[l].size(); ++i) {
        EXPECT_NEAR(hidden[l][i], seq.hidden_last_per_layer[l][i], 1e-3) << seq.name << " layer " << l << " dim " << i;
      }
    }
    model->impl().net->set_capture_hidden(false);
  }
}

TEST_P(GoldenBySource, FastPathMeetsKlAndTop1Rules) {
  auto model = load(path_, false);
  ASSERT_TRUE(model);
  const int vocab = model->config().vocab;
  for (const auto& seq : tiny_golden().sequences) {
    Session s(model, {.context = 512});
    auto logits = s.logits_all(seq.ids);
    ASSERT_TRUE(logits.ok());
    const auto check = testing::compare_fast(seq, logits.value(), vocab);
    EXPECT_TRUE(testing::meets_fast_path_rule(check)) << seq.name;
    RecordProperty(std::string("kl_") + seq.name, std::to_string(check.mean_kl));
    std::printf("[ %s fast ] %s %s\n", GetParam().name, seq.name.c_str(), testing::describe(check).c_str());
  }
}

TEST_P(GoldenBySource, GreedyDecodeFollowsReference) {
  auto model = load(path_, true);
  ASSERT_TRUE(model);
  testing::expect_greedy_follows_reference(model, false);
}

std::string source_name(const ::testing::TestParamInfo<Source>& p) { return p.param.name; }
INSTANTIATE_TEST_SUITE_P(TinyFixture, GoldenBySource, ::testing::ValuesIn(kSources), source_name);

TEST(FormatEquivalence, GgufAndHfGiveBitIdenticalLogits) {
  TALLY_REQUIRE_SHARED();
  const std::string hf = testing::tiny_hf_dir();
  ASSERT_FALSE(hf.empty());
  auto a = load(testing::tiny_fixture_gguf(), true);
  auto b = load(hf, true);
  ASSERT_TRUE(a && b);
  for (const auto& seq : tiny_golden().sequences) {
    const auto la = run_logits(a, seq.ids);
    const auto lb = run_logits(b, seq.ids);
    ASSERT_EQ(la.size(), lb.size());
    EXPECT_EQ(0, std::memcmp(la.data(), lb.data(), la.size() * sizeof(float))) << seq.name;
  }
}

}  // namespace
}  // namespace tally
