// Every parse case from openai/harmony: the token stream, fed one token at a time and then end of stream, gives
// exactly the expected messages, or an error where harmony errors.
#include <gtest/gtest.h>

#include <limits>

#include "harmony/message_json.h"
#include "harmony/stream_parser.h"
#include "harmony_cases.h"

namespace tally::harmony {
namespace {

using testing::HarmonyCase;

std::vector<tok::TokenId> case_tokens(const nlohmann::ordered_json& input, const tok::Tokenizer& tokenizer) {
  if (input.is_string()) return tokenizer.encode_with_specials(input.get<std::string>());
  std::vector<tok::TokenId> ids;
  for (const auto& v : input) {
    // u32::MAX and anything else past int32 stands for an invalid id.
    const auto raw = v.get<int64_t>();
    ids.push_back(raw >= 0 && raw <= std::numeric_limits<tok::TokenId>::max() ? static_cast<tok::TokenId>(raw) : -1);
  }
  return ids;
}

std::string dump(const std::vector<Message>& messages) {
  nlohmann::ordered_json j = nlohmann::ordered_json::array();
  for (const auto& m : messages) j.push_back(to_json(m));
  return j.dump(2, ' ', false, nlohmann::ordered_json::error_handler_t::replace);
}

class ParseCase : public ::testing::TestWithParam<HarmonyCase> {};

TEST_P(ParseCase, MessagesMatchHarmony) {
  std::string why;
  const tok::Tokenizer* tokenizer = testing::harmony_tokenizer(&why);
  ASSERT_NE(tokenizer, nullptr) << why;
  const auto& spec = GetParam().spec;
  std::optional<Role> role;
  if (!spec.at("role").is_null()) role = role_from_name(spec.at("role").get<std::string>());
  ParseOptions options;
  options.strict = spec.at("options").value("strict", true);

  auto parsed = parse_completion_tokens(*tokenizer, case_tokens(spec.at("input"), *tokenizer), role, options);
  if (spec.value("expect_error", false)) {
    EXPECT_FALSE(parsed.ok()) << dump(parsed.value());
    return;
  }
  ASSERT_TRUE(parsed.ok()) << parsed.error().message;
  std::vector<Message> expected;
  for (const auto& m : spec.at("expected")) {
    auto msg = message_from_json(m);
    ASSERT_TRUE(msg.ok()) << msg.error().message;
    expected.push_back(msg.value());
  }
  EXPECT_EQ(parsed.value(), expected) << "got:\n" << dump(parsed.value()) << "\nexpected:\n" << dump(expected);
}

INSTANTIATE_TEST_SUITE_P(HarmonyFixtures, ParseCase, ::testing::ValuesIn(testing::harmony_cases("parse")),
                         testing::case_param_label);

TEST(ParseCases, AllTwentyFiveFixturesAreLoaded) { EXPECT_EQ(testing::harmony_cases("parse").size(), 25u); }

}  // namespace
}  // namespace tally::harmony
