// CopilotLoop driven by recorded model output (ScriptedGenerator) over the sample sales dataset: tool calls run
// against the real data layer, charts match a direct query, malformed calls go back to the model, harmony's
// history rule holds across a chain of calls, and the store holds the whole turn.
#include <gtest/gtest.h>

#include <cmath>
#include <thread>

#include "copilot/copilot_loop.h"
#include "copilot/scripted_generator.h"
#include "copilot_fixture.h"
#include "tally/data/statement.h"

namespace tally::app {
namespace {

using Kind = CopilotEvent::Kind;
using nlohmann::json;

struct Harness {
  testing::SampleStore s;
  std::unique_ptr<ScriptedGenerator> gen;
  std::unique_ptr<CopilotLoop> loop;
  std::vector<CopilotEvent> events;
  std::int64_t conversation = 0;

  Harness(const std::string& name, const std::string& script) : s(testing::sample_store(name)) {
    gen = std::make_unique<ScriptedGenerator>(testing::bundled_tokenizer(),
                                              testing::replace_all(script, "{table}", s.table));
    CopilotOptions o;
    o.build.date = "2026-11-26";
    loop = std::make_unique<CopilotLoop>(*s.store, *gen, o);
    loop->set_event_sink([this](const CopilotEvent& e) { events.push_back(e); });
    conversation = s.store->create_conversation({"test", "scripted", "{}"}).value();
  }

  std::int64_t user(const std::string& text, std::optional<std::int64_t> parent = std::nullopt) {
    data::NewMessage m;
    m.conversation_id = conversation;
    m.role = "user";
    m.content = text;
    if (!parent) {
      auto all = s.store->messages(conversation).value();
      if (!all.empty()) parent = all.back().id;
    }
    m.parent_id = parent;
    return s.store->append_message(m).value();
  }

  std::vector<data::Message> messages() { return s.store->messages(conversation).value(); }
  std::vector<CopilotEvent> of(Kind k) const {
    std::vector<CopilotEvent> out;
    for (const auto& e : events)
      if (e.kind == k) out.push_back(e);
    return out;
  }
  std::string prompt_text(std::size_t i) const { return gen->tokenizer().decode(gen->prompts().at(i)); }
};

constexpr const char* kSqlThenChart = R"(<|channel|>analysis<|message|>Need revenue per month and region.<|end|>
<|start|>assistant<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{"sql":"SELECT month, SUM(revenue_krw) AS revenue FROM \"{table}\" GROUP BY month ORDER BY month"}<|call|>
---
<|channel|>analysis<|message|>Now draw it by region.<|end|>
<|start|>assistant<|channel|>commentary to=functions.make_chart <|constrain|>json<|message|>{"type":"line","sql":"SELECT month, region, SUM(revenue_krw) AS revenue FROM \"{table}\" GROUP BY month, region ORDER BY month","x":"month","y":["revenue"],"group_by":"region","title":"Revenue by region","y_unit":"KRW"}<|call|>
---
<|channel|>final<|message|>Revenue by region is drawn; 서울 leads.<|return|>
)";

TEST(CopilotLoop, SqlQueryThenMakeChartMatchesADirectQuery) {
  Harness h("loop_chart", kSqlThenChart);
  ASSERT_TRUE(h.s.store);
  const auto q = h.user("Show revenue by region per month");
  auto outcome = h.loop->answer(h.conversation, q);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->final_text, "Revenue by region is drawn; 서울 leads.");
  EXPECT_EQ(outcome->stats.steps, 3);
  EXPECT_FALSE(outcome->stats.stopped);

  auto charts = h.of(Kind::Chart);
  ASSERT_EQ(charts.size(), 1u);
  std::string err;
  auto spec = chart_spec_from_json(json::parse(charts[0].result), &err);
  ASSERT_TRUE(spec) << err;
  EXPECT_EQ(spec->type, ChartType::Line);
  EXPECT_EQ(spec->y_unit, "KRW");

  // Every point equals the store's own aggregate.
  auto st = h.s.store->db().prepare("SELECT month, region, SUM(revenue_krw) FROM \"" + h.s.table +
                                    "\" GROUP BY month, region");
  ASSERT_TRUE(st.ok());
  int checked = 0;
  while (true) {
    auto row = st->step();
    ASSERT_TRUE(row.ok());
    if (!*row) break;
    const std::string month = st->column_text(0), region = st->column_text(1);
    const double value = st->column_double(2);
    auto cat = std::find(spec->categories.begin(), spec->categories.end(), month);
    ASSERT_NE(cat, spec->categories.end()) << month;
    auto series = std::find_if(spec->series.begin(), spec->series.end(), [&](auto& s) { return s.name == region; });
    ASSERT_NE(series, spec->series.end()) << region;
    EXPECT_DOUBLE_EQ(series->y[static_cast<std::size_t>(cat - spec->categories.begin())], value);
    ++checked;
  }
  EXPECT_GT(checked, 10);

  // The store holds the whole turn, chained by parent: user, analysis, call, result, analysis, call, result, final.
  auto all = h.messages();
  ASSERT_EQ(all.size(), 8u);
  const std::vector<std::string> roles = {"user", "assistant", "assistant", "tool", "assistant", "assistant", "tool",
                                          "assistant"};
  for (std::size_t i = 0; i < all.size(); ++i) {
    EXPECT_EQ(all[i].role, roles[i]) << i;
    if (i > 0) {
      EXPECT_EQ(all[i].parent_id, all[i - 1].id) << i;
    }
  }
  EXPECT_EQ(all[1].channel, "analysis");
  EXPECT_EQ(all[2].recipient, "functions.sql_query");
  EXPECT_EQ(all[3].author_name, "functions.sql_query");
  const auto result = json::parse(all[3].content);
  EXPECT_TRUE(result["ok"].get<bool>());
  EXPECT_EQ(result["result_id"], "call_" + std::to_string(all[2].id));
  EXPECT_TRUE(json::parse(all[6].content).contains("chart")) << "the stored result redraws the chart";
  EXPECT_EQ(all[7].channel, "final");
  EXPECT_EQ(all[7].content, outcome->final_text);
  EXPECT_TRUE(all[7].stats.completion_tokens.has_value());

  // Events: each message started, streamed and finished; tool results announced; one turn end.
  EXPECT_EQ(h.of(Kind::MessageStarted).size(), 5u);
  EXPECT_EQ(h.of(Kind::MessageFinished).size(), 5u);
  EXPECT_EQ(h.of(Kind::ToolResult).size(), 2u);
  ASSERT_EQ(h.of(Kind::TurnFinished).size(), 1u);
  EXPECT_EQ(h.of(Kind::TurnFinished)[0].message_id, all[7].id);
  std::string streamed;
  for (const auto& e : h.of(Kind::MessageDelta))
    if (e.message_id == all[7].id) streamed += e.text;
  EXPECT_EQ(streamed, all[7].content);
}

TEST(CopilotLoop, MalformedArgumentsGoBackToTheModelAndTheNextStepSucceeds) {
  Harness h("loop_malformed", R"(<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{"sql": "SELECT COUNT(*) FROM \"{table}\"",<|call|>
---
<|channel|>commentary to=functions.no_such_tool <|constrain|>json<|message|>{}<|call|>
---
<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{"sql": "SELECT COUNT(*) AS n FROM \"{table}\""}<|call|>
---
<|channel|>final<|message|>There are 3456 rows.<|return|>
)");
  ASSERT_TRUE(h.s.store);
  auto outcome = h.loop->answer(h.conversation, h.user("How many rows?"));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->final_text, "There are 3456 rows.");
  auto results = h.of(Kind::ToolResult);
  ASSERT_EQ(results.size(), 3u);
  auto first = json::parse(results[0].result);
  EXPECT_FALSE(first["ok"].get<bool>());
  EXPECT_NE(first["error"].get<std::string>().find("not valid JSON"), std::string::npos);
  auto second = json::parse(results[1].result);
  EXPECT_FALSE(second["ok"].get<bool>());
  EXPECT_NE(second["error"].get<std::string>().find("unknown tool"), std::string::npos);
  EXPECT_NE(second["error"].get<std::string>().find("functions.make_chart"), std::string::npos);
  auto third = json::parse(results[2].result);
  ASSERT_TRUE(third["ok"].get<bool>()) << results[2].result;
  EXPECT_EQ(third["result"]["rows"][0][0], 3456);
  // The model saw its error before trying again.
  EXPECT_NE(h.prompt_text(1).find("not valid JSON"), std::string::npos);
}

TEST(CopilotLoop, ThreeCallChainKeepsAnalysisWithinTheTurnAndDropsItAfterTheAnswer) {
  Harness h("loop_chain", R"(<|channel|>analysis<|message|>THINK-ONE<|end|>
<|start|>assistant<|channel|>commentary to=functions.list_datasets <|constrain|>json<|message|>{}<|call|>
---
<|channel|>analysis<|message|>THINK-TWO<|end|>
<|start|>assistant<|channel|>commentary to=functions.describe_dataset <|constrain|>json<|message|>{"dataset":"sales_monthly"}<|call|>
---
<|channel|>analysis<|message|>THINK-THREE<|end|>
<|start|>assistant<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{"sql":"SELECT SUM(units) AS u FROM \"{table}\""}<|call|>
---
<|channel|>analysis<|message|>THINK-FOUR<|end|>
<|start|>assistant<|channel|>final<|message|>ANSWER-ONE<|return|>
---
<|channel|>final<|message|>ANSWER-TWO<|return|>
)");
  ASSERT_TRUE(h.s.store);
  auto outcome = h.loop->answer(h.conversation, h.user("Total units?"));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->final_text, "ANSWER-ONE");
  ASSERT_EQ(h.gen->prompts().size(), 4u);
  EXPECT_NE(h.prompt_text(1).find("THINK-ONE"), std::string::npos);
  const std::string fourth = h.prompt_text(3);
  for (const char* think : {"THINK-ONE", "THINK-TWO", "THINK-THREE"})
    EXPECT_NE(fourth.find(think), std::string::npos) << think << " stays within the turn";
  // Within a turn each prompt extends the previous one, so the engine's cache covers all but the new tokens.
  for (std::size_t i = 1; i < 4; ++i) {
    const auto& prev = h.gen->prompts()[i - 1];
    const auto& cur = h.gen->prompts()[i];
    ASSERT_GT(cur.size(), prev.size());
    EXPECT_TRUE(std::equal(prev.begin(), prev.end(), cur.begin())) << "prompt " << i << " rewrote history";
  }

  auto follow = h.loop->answer(h.conversation, h.user("And per region?"));
  ASSERT_TRUE(follow.ok()) << follow.error().message;
  const std::string next = h.prompt_text(4);
  for (const char* think : {"THINK-ONE", "THINK-TWO", "THINK-THREE", "THINK-FOUR"})
    EXPECT_EQ(next.find(think), std::string::npos) << think << " is dropped after the final answer";
  EXPECT_NE(next.find("ANSWER-ONE"), std::string::npos);
  EXPECT_NE(next.find("functions.sql_query to=assistant"), std::string::npos) << "tool results stay";
}

TEST(CopilotLoop, MakeChartDrawsAnEarlierResultById) {
  Harness h("loop_result_of", "<|channel|>final<|message|>unused<|return|>");
  ASSERT_TRUE(h.s.store);
  const auto q = h.user("units by region");
  // The call is the first message after the question: its id is known before the turn runs.
  h.gen = std::make_unique<ScriptedGenerator>(
      testing::bundled_tokenizer(),
      testing::replace_all(testing::replace_all(
                               R"(<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{"sql":"SELECT region, SUM(units) AS units FROM \"{table}\" GROUP BY region ORDER BY region"}<|call|>
---
<|channel|>commentary to=functions.make_chart <|constrain|>json<|message|>{"type":"bar","result_of":"call_{call}","x":"region","y":["units"]}<|call|>
---
<|channel|>final<|message|>Drawn.<|return|>)",
                               "{table}", h.s.table),
                           "{call}", std::to_string(q + 1)));
  CopilotLoop loop(*h.s.store, *h.gen, h.loop->options());
  loop.set_event_sink([&](const CopilotEvent& e) { h.events.push_back(e); });
  auto outcome = loop.answer(h.conversation, q);
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  auto charts = h.of(Kind::Chart);
  ASSERT_EQ(charts.size(), 1u) << (h.of(Kind::ToolResult).size() > 1 ? h.of(Kind::ToolResult)[1].result : "");
  auto spec = chart_spec_from_json(json::parse(charts[0].result), nullptr);
  ASSERT_TRUE(spec);
  EXPECT_EQ(spec->categories.size(), spec->series[0].y.size());
  EXPECT_FALSE(spec->categories.empty());
}

TEST(CopilotLoop, StepCapTellsTheUserPlainly) {
  Harness h("loop_cap", R"(<|channel|>commentary to=functions.list_datasets <|constrain|>json<|message|>{}<|call|>)");
  ASSERT_TRUE(h.s.store);
  h.gen->set_repeat_last(true);
  h.loop->options().max_steps = 3;
  auto outcome = h.loop->answer(h.conversation, h.user("loop forever"));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_TRUE(outcome->hit_step_cap);
  EXPECT_NE(outcome->final_text.find("3 tool calls"), std::string::npos);
  EXPECT_EQ(h.of(Kind::ToolResult).size(), 3u);
  EXPECT_EQ(h.messages().back().content, outcome->final_text);
}

TEST(CopilotLoop, DeclinedToolCallIsReportedToTheModel) {
  Harness h("loop_decline", R"(<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{"sql":"SELECT 1"}<|call|>
---
<|channel|>final<|message|>OK, I will not query.<|return|>
)");
  ASSERT_TRUE(h.s.store);
  int asked = 0;
  h.loop->set_confirmation([&](const ToolCallRequest& r) {
    ++asked;
    EXPECT_EQ(r.tool, "sql_query");
    EXPECT_EQ(r.arguments, R"({"sql":"SELECT 1"})");
    return false;
  });
  auto outcome = h.loop->answer(h.conversation, h.user("q"));
  ASSERT_TRUE(outcome.ok());
  EXPECT_EQ(asked, 1);
  auto results = h.of(Kind::ToolResult);
  ASSERT_EQ(results.size(), 1u);
  EXPECT_NE(results[0].result.find("declined"), std::string::npos);
}

TEST(CopilotLoop, StopEndsWithinATokenAndKeepsThePartialAnswer) {
  std::string words;
  for (int i = 0; i < 5000; ++i) words += "word ";
  Harness h("loop_stop", "<|channel|>final<|message|>" + words);
  ASSERT_TRUE(h.s.store);
  h.gen->set_token_delay(std::chrono::milliseconds(2));
  h.loop->options().generate.max_tokens = 100000;
  h.loop->options().store_interval = std::chrono::milliseconds(0);
  std::atomic<int> deltas{0};
  h.loop->set_event_sink([&](const CopilotEvent& e) {
    if (e.kind == Kind::MessageDelta) ++deltas;
  });
  std::thread stopper([&] {
    while (deltas.load() < 20) std::this_thread::sleep_for(std::chrono::milliseconds(1));
    h.loop->stop();
  });
  auto outcome = h.loop->answer(h.conversation, h.user("talk"));
  stopper.join();
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_TRUE(outcome->stats.stopped);
  EXPECT_LT(deltas.load(), 30) << "stop took effect within a few tokens";
  auto all = h.messages();
  ASSERT_EQ(all.size(), 2u);
  EXPECT_EQ(all[1].channel, "final");
  EXPECT_NE(all[1].content.find("word word"), std::string::npos) << "the partial answer is kept";
  EXPECT_EQ(outcome->final_message_id, all[1].id);
}

TEST(CopilotLoop, ReplyWithoutAnAnswerEndsTheTurnWithANotice) {
  Harness h("loop_noanswer", "<|channel|>analysis<|message|>just thinking<|end|>");
  ASSERT_TRUE(h.s.store);
  h.loop->options().generate.max_tokens = 50;
  auto outcome = h.loop->answer(h.conversation, h.user("q"));
  ASSERT_TRUE(outcome.ok()) << outcome.error().message;
  EXPECT_EQ(outcome->final_text, CopilotTexts{}.no_answer);
  EXPECT_EQ(h.messages().size(), 3u);
}

TEST(CopilotLoop, RegenerateBranchesFromTheSameUserMessage) {
  Harness h("loop_regen", "<|channel|>final<|message|>ANSWER-FIRST<|return|>\n---\n<|channel|>final<|message|>ANSWER-SECOND<|return|>");
  ASSERT_TRUE(h.s.store);
  const auto q = h.user("q");
  ASSERT_TRUE(h.loop->answer(h.conversation, q).ok());
  auto again = h.loop->answer(h.conversation, q);
  ASSERT_TRUE(again.ok());
  auto all = h.messages();
  ASSERT_EQ(all.size(), 3u);
  EXPECT_EQ(all[1].parent_id, q);
  EXPECT_EQ(all[2].parent_id, q);
  EXPECT_EQ(h.prompt_text(1).find("ANSWER-FIRST"), std::string::npos) << "the other branch is not in the prompt";
}

TEST(CopilotLoop, UnknownUserMessageIsAnError) {
  Harness h("loop_unknown", "<|channel|>final<|message|>x<|return|>");
  ASSERT_TRUE(h.s.store);
  auto outcome = h.loop->answer(h.conversation, 424242);
  ASSERT_FALSE(outcome.ok());
  EXPECT_NE(outcome.error().message.find("424242"), std::string::npos);
  EXPECT_EQ(h.of(Kind::Error).size(), 1u);
}

}  // namespace
}  // namespace tally::app
