#include <gtest/gtest.h>

#include "fixtures.h"
#include "tally/data/store.h"

namespace tally::data {
namespace {

Store open_store(const std::string& name) {
  auto store = Store::open(tally::testing::scratch_dir("conv_" + name) + "/tally.db");
  EXPECT_TRUE(store) << store.error().message;
  return std::move(*store);
}

NewMessage msg(std::int64_t conversation, std::string role, std::string content,
               std::optional<std::int64_t> parent = std::nullopt) {
  NewMessage m;
  m.conversation_id = conversation;
  m.role = std::move(role);
  m.content = std::move(content);
  m.parent_id = parent;
  return m;
}

TEST(Conversations, ListedNewestFirstByLastActivity) {
  Store store = open_store("order");
  auto a = store.create_conversation({"first", "gpt-oss-20b", "{}"});
  auto b = store.create_conversation({"second", "gpt-oss-20b", "{}"});
  ASSERT_TRUE(a && b);
  auto list = store.list_conversations();
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].title, "second");
  // A new message in the older conversation moves it to the top.
  ASSERT_TRUE(store.db().exec("UPDATE conversations SET updated_at = '2000-01-01T00:00:00.000Z'"));
  ASSERT_TRUE(store.append_message(msg(*a, "user", "hello")));
  list = store.list_conversations();
  EXPECT_EQ((*list)[0].title, "first");
}

TEST(Conversations, RenameAndDeleteCascadeToMessages) {
  Store store = open_store("rename");
  auto id = store.create_conversation({"draft", "", "{}"});
  ASSERT_TRUE(id);
  ASSERT_TRUE(store.rename_conversation(*id, "분기 매출 분석"));
  EXPECT_EQ(store.conversation(*id)->title, "분기 매출 분석");
  ASSERT_TRUE(store.append_message(msg(*id, "user", "매출 보여줘")));
  ASSERT_TRUE(store.delete_conversation(*id));
  EXPECT_FALSE(store.conversation(*id));
  EXPECT_EQ(*store.db().query_int64("SELECT count(*) FROM messages"), 0);
  EXPECT_TRUE(store.search_messages("매출")->empty());
  EXPECT_FALSE(store.rename_conversation(*id, "gone"));
  EXPECT_FALSE(store.delete_conversation(*id));
}

TEST(Messages, InOrderWithAllFields) {
  Store store = open_store("messages");
  auto c = *store.create_conversation({"c", "", "{}"});
  auto m1 = store.append_message(msg(c, "user", "What were sales in July?"));
  ASSERT_TRUE(m1);
  NewMessage reply = msg(c, "assistant", "", *m1);
  reply.channel = "final";
  reply.author_name = "Tally";
  auto m2 = store.append_message(reply);
  ASSERT_TRUE(m2);
  auto list = store.messages(c);
  ASSERT_TRUE(list);
  ASSERT_EQ(list->size(), 2u);
  EXPECT_EQ((*list)[0].content, "What were sales in July?");
  EXPECT_EQ((*list)[1].parent_id, *m1);
  EXPECT_EQ((*list)[1].channel, "final");
  EXPECT_EQ((*list)[1].author_name, "Tally");
  EXPECT_FALSE((*list)[0].parent_id.has_value());
  EXPECT_FALSE((*list)[0].channel.has_value());
}

TEST(Messages, ContentUpdatesWhileStreamingAndStaysSearchable) {
  Store store = open_store("stream");
  auto c = *store.create_conversation({"c", "", "{}"});
  auto id = *store.append_message(msg(c, "assistant", ""));
  std::string content;
  for (const char* piece : {"July ", "revenue ", "rose ", "12%"}) {
    content += piece;
    ASSERT_TRUE(store.update_message_content(id, content));
  }
  EXPECT_EQ(store.message(id)->content, "July revenue rose 12%");
  EXPECT_EQ(store.search_messages("revenue")->size(), 1u);
  ASSERT_TRUE(store.update_message_content(id, "nothing here"));
  EXPECT_TRUE(store.search_messages("revenue")->empty());
  EXPECT_FALSE(store.update_message_content(id + 100, "x"));
}

TEST(Messages, StatsAreStored) {
  Store store = open_store("stats");
  auto c = *store.create_conversation({"c", "", "{}"});
  auto id = *store.append_message(msg(c, "assistant", "done"));
  MessageStats st;
  st.prompt_tokens = 120;
  st.completion_tokens = 40;
  st.time_to_first_token_ms = 85.5;
  st.tokens_per_second = 31.25;
  st.duration_ms = 1400;
  ASSERT_TRUE(store.set_message_stats(id, st));
  auto m = store.message(id);
  EXPECT_EQ(m->stats.prompt_tokens, 120);
  EXPECT_EQ(m->stats.completion_tokens, 40);
  EXPECT_DOUBLE_EQ(*m->stats.tokens_per_second, 31.25);
}

TEST(Messages, DeletingABranchDeletesItsReplies) {
  Store store = open_store("branch");
  auto c = *store.create_conversation({"c", "", "{}"});
  auto root = *store.append_message(msg(c, "user", "question"));
  auto a1 = *store.append_message(msg(c, "assistant", "first answer", root));
  auto a2 = *store.append_message(msg(c, "assistant", "second answer", root));  // a regenerated branch
  auto follow = *store.append_message(msg(c, "user", "follow-up on the first", a1));
  ASSERT_TRUE(store.delete_message(a1));
  auto list = *store.messages(c);
  ASSERT_EQ(list.size(), 2u);
  EXPECT_EQ(list[0].id, root);
  EXPECT_EQ(list[1].id, a2);
  EXPECT_FALSE(store.message(follow));
  EXPECT_TRUE(store.search_messages("follow")->empty());
}

TEST(Messages, AppendToMissingConversationFails) {
  Store store = open_store("missing");
  EXPECT_FALSE(store.append_message(msg(424242, "user", "x")));
  EXPECT_EQ(*store.db().query_int64("SELECT count(*) FROM messages_fts"), 0);
}

TEST(Settings, SetOverwriteRemove) {
  Store store = open_store("settings");
  EXPECT_FALSE(store.setting("k")->has_value());
  ASSERT_TRUE(store.set_setting("k", "1"));
  ASSERT_TRUE(store.set_setting("k", "2"));
  EXPECT_EQ(**store.setting("k"), "2");
  ASSERT_TRUE(store.remove_setting("k"));
  EXPECT_FALSE(store.setting("k")->has_value());
}

TEST(AuditLog, OneRowPerToolCallNewestFirst) {
  Store store = open_store("audit");
  auto c = *store.create_conversation({"c", "", "{}"});
  AuditEntry e;
  e.conversation_id = c;
  e.tool = "sql_query";
  e.arguments = R"({"sql":"SELECT 1"})";
  e.result_summary = "1 row";
  e.duration_ms = 3.5;
  ASSERT_TRUE(store.log_tool_call(e));
  e.tool = "chart";
  e.error = "no such column";
  ASSERT_TRUE(store.log_tool_call(e));
  AuditEntry other;
  other.tool = "describe";
  other.arguments = "{}";
  ASSERT_TRUE(store.log_tool_call(other));
  auto all = store.audit_log(std::nullopt);
  ASSERT_EQ(all->size(), 3u);
  auto mine = store.audit_log(c);
  ASSERT_EQ(mine->size(), 2u);
  EXPECT_EQ((*mine)[0].tool, "chart");
  EXPECT_EQ((*mine)[0].error, "no such column");
  EXPECT_FALSE((*mine)[1].error.has_value());
}

TEST(Documents, AddListGetDelete) {
  Store store = open_store("documents");
  auto id = store.add_document({"Q3 memo", "/tmp/q3.md", "markdown", "Revenue grew in Seoul."});
  ASSERT_TRUE(id);
  EXPECT_EQ(store.document(*id)->format, "markdown");
  EXPECT_EQ(store.list_documents()->size(), 1u);
  EXPECT_EQ(store.search_documents("seoul")->size(), 1u);
  ASSERT_TRUE(store.delete_document(*id));
  EXPECT_TRUE(store.search_documents("seoul")->empty());
  EXPECT_FALSE(store.document(*id));
}

}  // namespace
}  // namespace tally::data
