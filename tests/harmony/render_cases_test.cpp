// Every rendering case from openai/harmony renders to its expected text byte for byte, and (once the tokenizer
// is there) to the ids that re-encoding that text with special tokens gives.
#include <gtest/gtest.h>

#include "fixtures.h"
#include "harmony/message_json.h"
#include "harmony/renderer.h"
#include "harmony_cases.h"

namespace tally::harmony {
namespace {

using testing::HarmonyCase;

class RenderCase : public ::testing::TestWithParam<HarmonyCase> {
 protected:
  Result<RenderedPrompt> render() const {
    const auto& spec = GetParam().spec;
    auto conv = load_conversation(testing::harmony_data_dir() + "/" + spec.at("conversation").get<std::string>());
    if (!conv) return conv.error();
    RenderOptions options;
    const auto& opts = spec.at("options");
    if (opts.contains("auto_drop_analysis")) options.auto_drop_analysis = opts.at("auto_drop_analysis").get<bool>();
    HarmonyRenderer renderer(options);
    if (GetParam().mode == "completion") {
      auto role = role_from_name(spec.at("next_role").get<std::string>());
      if (!role) return make_error("bad next_role");
      return renderer.render_conversation_for_completion(conv.value(), *role);
    }
    return renderer.render_conversation(conv.value());
  }
  std::string expected_text() const {
    return ::tally::testing::read_file(testing::harmony_data_dir() + "/" +
                                       GetParam().spec.at("expected").get<std::string>());
  }
};

TEST_P(RenderCase, TextMatchesHarmonyByteForByte) {
  auto rendered = render();
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  const std::string expected = expected_text();
  ASSERT_FALSE(expected.empty());
  EXPECT_EQ(rendered.value().text(), expected);
}

TEST_P(RenderCase, IdsMatchReencodedExpectedText) {
  std::string why;
  const tok::Tokenizer* tokenizer = testing::harmony_tokenizer(&why);
  ASSERT_NE(tokenizer, nullptr) << why;
  auto rendered = render();
  ASSERT_TRUE(rendered.ok()) << rendered.error().message;
  EXPECT_EQ(rendered.value().ids(*tokenizer), tokenizer->encode_with_specials(expected_text()));
}

INSTANTIATE_TEST_SUITE_P(HarmonyFixtures, RenderCase, ::testing::ValuesIn(testing::harmony_cases("render")),
                         testing::case_param_label);

TEST(RenderCases, AllTwentyOneFixturesAreLoaded) { EXPECT_EQ(testing::harmony_cases("render").size(), 21u); }

}  // namespace
}  // namespace tally::harmony
