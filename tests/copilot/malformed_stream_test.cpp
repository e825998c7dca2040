// Issue 9 acceptance: a recorded stream holding every malformed gpt-oss variant runs through the real copilot loop
// and tools (directly, and through `tally-cli chat --script`): broken calls come back to the model as tool errors,
// no message shows markup, and the conversation ends with the correct final answer in the store.
#include <gtest/gtest.h>

#include <array>
#include <cstdio>
#include <filesystem>

#include "copilot/copilot_loop.h"
#include "copilot/scripted_generator.h"
#include "copilot_fixture.h"

namespace tally::app {
namespace {

using nlohmann::json;

const std::vector<std::string> kQuestions = {"How many rows does sales_monthly have?", "Total units?",
                                             "So how many rows?"};
constexpr const char* kAnswer = "sales_monthly has 3456 rows.";

std::string stream_path() { return testing::test_data_dir() + "/copilot/malformed_stream.txt"; }

void check_conversation(const std::vector<data::Message>& all) {
  ASSERT_FALSE(all.empty());
  EXPECT_EQ(all.back().role, "assistant");
  EXPECT_EQ(all.back().channel, "final");
  EXPECT_EQ(all.back().content, kAnswer);
  int ok = 0, errors = 0;
  for (const auto& m : all) {
    if (m.role == "assistant") {
      EXPECT_EQ(m.content.find("<|"), std::string::npos) << "markup in message " << m.id;
    }
    if (m.role != "tool") continue;
    const auto envelope = json::parse(m.content);
    if (envelope["ok"].get<bool>()) ++ok;
    else ++errors;
  }
  EXPECT_EQ(ok, 9) << "every call the parser could repair ran";
  EXPECT_EQ(errors, 3) << "no tool named, arguments not JSON, arguments cut off: each answered with an error";
}

TEST(MalformedStream, LoopRecoversFromEveryVariantAndEndsWithTheAnswer) {
  auto s = testing::sample_store("malformed_loop");
  ASSERT_TRUE(s.store);
  ASSERT_EQ(s.table, "sales_monthly");
  auto gen = ScriptedGenerator::from_file(testing::bundled_tokenizer(), stream_path());
  ASSERT_TRUE(gen.ok()) << gen.error().message;
  CopilotOptions o;
  o.max_steps = 20;
  o.build.date = "2026-11-26";
  CopilotLoop loop(*s.store, **gen, o);
  std::vector<std::string> errors;
  loop.set_event_sink([&](const CopilotEvent& e) {
    if (e.kind == CopilotEvent::Kind::Error) errors.push_back(e.text);
  });
  const auto conversation = s.store->create_conversation({"malformed", "scripted", "{}"}).value();
  std::vector<std::string> finals;
  for (const auto& q : kQuestions) {
    auto all = s.store->messages(conversation).value();
    data::NewMessage m{conversation, all.empty() ? std::nullopt : std::optional(all.back().id), "user", {}, {}, {},
                       {}, q};
    const auto id = s.store->append_message(m).value();
    auto outcome = loop.answer(conversation, id);
    ASSERT_TRUE(outcome.ok()) << outcome.error().message;
    finals.push_back(outcome->final_text);
  }
  EXPECT_TRUE(errors.empty());
  EXPECT_EQ(finals[0], CopilotTexts{}.no_answer) << "the stream ended inside a header: said plainly";
  EXPECT_EQ(finals[1].rfind("합계는", 0), 0u) << "the partial answer is kept";
  EXPECT_EQ(finals[2], kAnswer);
  check_conversation(s.store->messages(conversation).value());
}

TEST(MalformedStream, CliChatScriptReplaysItThroughTheRealTools) {
  if (!std::filesystem::exists(testing::cli_path())) GTEST_SKIP() << "tally-cli is not built";
  auto s = testing::sample_store("malformed_cli");
  ASSERT_TRUE(s.store);
  std::string input;
  for (const auto& q : kQuestions) input += q + "\n";
  const std::string questions = testing::write_text(testing::scratch_dir("malformed_cli_in") + "/q.txt", input);
  const std::string command = "'" + testing::cli_path() + "' chat --db '" + s.path + "' --script '" + stream_path() +
                              "' --max-steps 20 --no-stats < '" + questions + "' 2>/dev/null";
  FILE* pipe = ::popen(command.c_str(), "r");
  ASSERT_TRUE(pipe);
  std::string out;
  std::array<char, 4096> buf{};
  for (std::size_t n; (n = std::fread(buf.data(), 1, buf.size(), pipe)) > 0;) out.append(buf.data(), n);
  ASSERT_EQ(::pclose(pipe), 0) << out;
  ASSERT_GE(out.size(), std::string(kAnswer).size() + 1);
  EXPECT_EQ(out.substr(out.size() - std::string(kAnswer).size() - 1), std::string(kAnswer) + "\n") << out;
  auto conversations = s.store->list_conversations().value();
  ASSERT_EQ(conversations.size(), 1u);
  check_conversation(s.store->messages(conversations[0].id).value());
}

}  // namespace
}  // namespace tally::app
