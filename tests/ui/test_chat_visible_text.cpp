// The last line of defence against leaked harmony markup (issue 9 item 2): whatever the parser lets through, the
// visible answer has no `<|...|>` token text and no analysis/commentary text.
#include <gtest/gtest.h>

#include "ui/chat/conversation_thread.h"
#include "ui/chat/visible_text.h"

using tally::ui::TextState;
using tally::ui::visibleAnswer;
using tally::ui::withoutMarkup;

TEST(VisibleAnswer, PlainMarkdownPassesThrough) {
  const QString md = QStringLiteral("## Revenue\n\n| month | KRW |\n|---|---|\n| 1 | 10 |\n\n```sql\nSELECT 1\n```");
  EXPECT_EQ(visibleAnswer(md), md);
}

TEST(VisibleAnswer, LeakedAnalysisHeaderHidesItsBody) {
  const QString raw = QStringLiteral(
      "Revenue rose 12%.<|end|><|start|>assistant<|channel|>analysis<|message|>SECRET reasoning<|end|>"
      "<|start|>assistant<|channel|>final<|message|> Details follow.<|return|>");
  const QString v = visibleAnswer(raw);
  EXPECT_EQ(v, QStringLiteral("Revenue rose 12%. Details follow."));
}

TEST(VisibleAnswer, CommentaryToolCallInsideAnswerIsHidden) {
  const QString raw = QStringLiteral(
      "Let me check.<|start|>assistant to=functions.sql_query<|channel|>commentary <|constrain|>json<|message|>"
      "{\"sql\":\"SELECT 1\"}<|call|>");
  EXPECT_EQ(visibleAnswer(raw), QStringLiteral("Let me check."));
}

TEST(VisibleAnswer, FinalWithRecipientIsNotAnswerText) {
  EXPECT_EQ(visibleAnswer(QStringLiteral("a<|channel|>final to=functions.x<|message|>b")), QStringLiteral("a"));
}

TEST(VisibleAnswer, TextAfterEndWithoutHeaderStaysHidden) {
  EXPECT_EQ(visibleAnswer(QStringLiteral("Answer.<|end|>stray analysis")), QStringLiteral("Answer."));
}

TEST(VisibleAnswer, UnknownTokensAreCut) {
  EXPECT_EQ(visibleAnswer(QStringLiteral("x <|reserved_200012|> y<|constrain|>")), QStringLiteral("x  y"));
}

TEST(VisibleAnswer, StreamingHoldsBackAPartialToken) {
  EXPECT_EQ(visibleAnswer(QStringLiteral("Total: 5<|chan"), TextState::Streaming), QStringLiteral("Total: 5"));
  // Stored text with a literal "<|" and no closing bar is the user's data, not markup.
  EXPECT_EQ(visibleAnswer(QStringLiteral("a <| b"), TextState::Complete), QStringLiteral("a <| b"));
}

TEST(VisibleAnswer, KoreanTextSurvives) {
  EXPECT_EQ(visibleAnswer(QStringLiteral("매출이 12% 증가했습니다.<|end|>")), QStringLiteral("매출이 12% 증가했습니다."));
}

TEST(WithoutMarkup, KeepsTextDropsTokens) {
  EXPECT_EQ(withoutMarkup(QStringLiteral("think<|end|><|start|>more")), QStringLiteral("thinkmore"));
}

namespace {

tally::data::Message msg(std::int64_t id, const std::string& role, std::optional<std::int64_t> parent,
                         const std::string& channel = "", const std::string& content = "") {
  tally::data::Message m;
  m.id = id;
  m.role = role;
  m.parent_id = parent;
  if (!channel.empty()) m.channel = channel;
  m.content = content;
  return m;
}

std::vector<std::int64_t> ids(const std::vector<tally::ui::ThreadEntry>& t) {
  std::vector<std::int64_t> out;
  for (const auto& e : t) out.push_back(e.message->id);
  return out;
}

}  // namespace

TEST(ConversationThread, LinearChatShowsEverythingButSystemMessages) {
  const std::vector<tally::data::Message> m = {msg(1, "system", {}), msg(2, "user", {}),
                                               msg(3, "assistant", 2, "analysis"), msg(4, "assistant", 3, "final")};
  EXPECT_EQ(ids(tally::ui::visibleThread(m)), (std::vector<std::int64_t>{2, 3, 4}));
}

TEST(ConversationThread, RegenerateShowsTheNewAnswer) {
  const std::vector<tally::data::Message> m = {msg(1, "user", {}), msg(2, "assistant", 1, "analysis"),
                                               msg(3, "assistant", 2, "final"), msg(4, "assistant", 1, "analysis"),
                                               msg(5, "assistant", 4, "final")};
  EXPECT_EQ(ids(tally::ui::visibleThread(m)), (std::vector<std::int64_t>{1, 4, 5}));
}

TEST(ConversationThread, EditShowsTheLatestVersionWithItsIndex) {
  const std::vector<tally::data::Message> m = {
      msg(1, "user", {}),     msg(2, "assistant", 1, "final"), msg(3, "user", 2), msg(4, "assistant", 3, "final"),
      msg(5, "user", 2),      msg(6, "assistant", 5, "final")};
  const auto t = tally::ui::visibleThread(m);
  EXPECT_EQ(ids(t), (std::vector<std::int64_t>{1, 2, 5, 6}));
  EXPECT_EQ(t[2].branch, 2);
  EXPECT_EQ(t[2].branches, 2);
}

TEST(ConversationThread, EditingTheFirstQuestionBranchesAtTheRoot) {
  const std::vector<tally::data::Message> m = {msg(1, "user", {}), msg(2, "assistant", 1, "final"),
                                               msg(3, "user", {}), msg(4, "assistant", 3, "final")};
  const auto t = tally::ui::visibleThread(m);
  EXPECT_EQ(ids(t), (std::vector<std::int64_t>{3, 4}));
  EXPECT_EQ(t[0].branch, 2);
  EXPECT_EQ(t[0].branches, 2);
}

TEST(ConversationThread, UnlinkedMessagesShowInOrder) {
  const std::vector<tally::data::Message> m = {msg(1, "user", {}), msg(2, "assistant", {}, "final"),
                                               msg(3, "user", {}), msg(4, "assistant", {}, "final")};
  EXPECT_EQ(ids(tally::ui::visibleThread(m)), (std::vector<std::int64_t>{1, 2, 3, 4}));
}
