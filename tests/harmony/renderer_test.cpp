// Renderer rules beyond the fixture files: errors, recipients, training form, segment boundaries.
#include <gtest/gtest.h>

#include "harmony/message_json.h"
#include "harmony/renderer.h"
#include "harmony_cases.h"

namespace tally::harmony {
namespace {

using tok::Tokenizer;

Message assistant(std::string channel, std::string text) {
  Message m = Message::text(Role::Assistant, std::move(text));
  m.channel = std::move(channel);
  return m;
}

TEST(Renderer, ToolMessageWithoutNameIsAnError) {
  Conversation c{{Message::text(Role::Tool, "{}")}};
  auto r = HarmonyRenderer().render_conversation(c);
  ASSERT_FALSE(r.ok());
  EXPECT_NE(r.error().message.find("message 0"), std::string::npos);
}

TEST(Renderer, StructuredContentOnlyInItsOwnRole) {
  Message m;
  m.role = Role::User;
  m.content.emplace_back(SystemContent::defaults());
  EXPECT_FALSE(HarmonyRenderer().render_conversation(Conversation{{m}}).ok());
  m.content = {DeveloperContent{"be brief", std::nullopt}};
  EXPECT_FALSE(HarmonyRenderer().render_conversation(Conversation{{m}}).ok());
}

TEST(Renderer, RecipientAllIsNotWrittenButStillEndsWithCall) {
  Message m = Message::text(Role::Assistant, "hi");
  m.recipient = "all";
  auto r = HarmonyRenderer().render_conversation(Conversation{{m}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().text(), "<|start|>assistant<|message|>hi<|call|>");
}

TEST(Renderer, AuthorNameFollowsTheRole) {
  Message m = Message::text(Role::User, "hi");
  m.name = "ana";
  auto r = HarmonyRenderer().render_conversation(Conversation{{m}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().text(), "<|start|>user:ana<|message|>hi<|end|>");
}

TEST(Renderer, PlainContentTypeGetsALeadingSpace) {
  Message m = assistant("commentary", "print(1)");
  m.recipient = "python";
  m.content_type = "code";
  auto r = HarmonyRenderer().render_conversation(Conversation{{m}});
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().text(), "<|start|>assistant to=python<|channel|>commentary code<|message|>print(1)<|call|>");
}

TEST(Renderer, ConstrainMarkerIsASpecialSegment) {
  Message m = assistant("commentary", "{}");
  m.recipient = "functions.f";
  m.content_type = "<|constrain|>json";
  auto r = HarmonyRenderer().render_conversation(Conversation{{m}});
  ASSERT_TRUE(r.ok());
  int constrain = 0;
  for (const auto& s : r.value().segments()) constrain += s.special == Tokenizer::kConstrain;
  EXPECT_EQ(constrain, 1);
}

TEST(Renderer, AnalysisIsKeptWhileTheTurnIsOpen) {
  Conversation c{{Message::text(Role::User, "q"), assistant("analysis", "think")}};
  auto r = HarmonyRenderer().render_conversation(c);
  ASSERT_TRUE(r.ok());
  EXPECT_NE(r.value().text().find("think"), std::string::npos);
}

TEST(Renderer, TrainingFormEndsAFinalAnswerWithReturn) {
  Conversation c{{Message::text(Role::User, "q"), assistant("analysis", "think"), assistant("final", "a")}};
  auto r = HarmonyRenderer(RenderOptions{false}).render_conversation_for_training(c);
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().text(),
            "<|start|>user<|message|>q<|end|><|start|>assistant<|channel|>analysis<|message|>think<|end|>"
            "<|start|>assistant<|channel|>final<|message|>a<|return|>");
}

TEST(Renderer, TextSegmentsAreEncodedSeparately) {
  // harmony encodes the role and " to=..." as separate pieces; the ids must follow those boundaries.
  const Tokenizer* tokenizer = testing::harmony_tokenizer();
  ASSERT_NE(tokenizer, nullptr);
  Message m = assistant("commentary", "{\"q\": 1}");
  m.recipient = "functions.sql_query";
  auto r = HarmonyRenderer().render_conversation(Conversation{{m}});
  ASSERT_TRUE(r.ok());
  std::vector<tok::TokenId> expected;
  for (const auto& s : r.value().segments()) {
    if (s.is_special()) {
      expected.push_back(s.special);
    } else {
      for (auto id : tokenizer->encode(s.text)) expected.push_back(id);
    }
  }
  EXPECT_EQ(r.value().ids(*tokenizer), expected);
  EXPECT_EQ(tokenizer->decode(expected), r.value().text());
}

TEST(Renderer, FixtureConversationsRoundTripThroughJson) {
  for (const auto& c : testing::harmony_cases("render")) {
    const std::string file = testing::harmony_data_dir() + "/" + c.spec.at("conversation").get<std::string>();
    auto conv = load_conversation(file);
    ASSERT_TRUE(conv.ok()) << conv.error().message;
    auto again = conversation_from_json(to_json(conv.value()));
    ASSERT_TRUE(again.ok()) << again.error().message;
    EXPECT_EQ(again.value(), conv.value()) << file;
  }
}

TEST(Renderer, JsonErrorsNameThePath) {
  auto r = conversation_from_json_text(R"({"messages":[{"role":"user","content":[{"type":"image"}]}]})", "conv.json");
  ASSERT_FALSE(r.ok());
  EXPECT_EQ(r.error().message, "conv.json: messages[0].content[0].type: unknown content type 'image'");
  EXPECT_FALSE(conversation_from_json_text("{", "x.json").ok());
  EXPECT_FALSE(conversation_from_json_text(R"({"messages":[{"role":"robot"}]})", "x.json").ok());
}

TEST(Renderer, BareStringContentIsOneTextItem) {
  auto r = conversation_from_json_text(R"([{"role":"user","content":"hello"}])", "x.json");
  ASSERT_TRUE(r.ok());
  EXPECT_EQ(r.value().messages.at(0).text_content(), "hello");
}

}  // namespace
}  // namespace tally::harmony
