// Tolerant parsing of malformed gpt-oss output (issue 9 item 1): each variant gives the right messages, or a
// clear error on that message alone; no text of other messages is lost; deltas never carry control-token text.
#include <gtest/gtest.h>

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <random>

#include "fixtures.h"
#include "harmony/markup_filter.h"
#include "harmony/stream_parser.h"
#include "harmony_cases.h"
#include "test_parser_tolerance_cases.h"

namespace tally::harmony {
namespace {

using tok::TokenId;
using tok::Tokenizer;

const std::vector<std::string> kTools = {"sql_query", "make_chart"};

std::vector<TokenId> concat_ids(const std::vector<std::vector<TokenId>>& parts) {
  std::vector<TokenId> out;
  for (const auto& p : parts) out.insert(out.end(), p.begin(), p.end());
  return out;
}

// Feeds a stream token by token as the app does, collecting each message's streamed deltas.
struct Streamed {
  std::vector<ParsedMessage> messages;
  std::vector<std::string> deltas;  // per finished message, concatenated
  std::vector<std::string> all_deltas;
  std::vector<std::string> errors;
  bool turn_ended = false;
};

class ParserTolerance : public ::testing::Test {
 protected:
  void SetUp() override {
    std::string why;
    tokenizer_ = testing::harmony_tokenizer(&why);
    ASSERT_NE(tokenizer_, nullptr) << why;
  }
  std::vector<TokenId> ids(const std::string& text) const { return tokenizer_->encode_with_specials(text); }

  Streamed stream(const std::vector<TokenId>& tokens, bool tolerant = true) const {
    ParseOptions o;
    o.tolerant = tolerant;
    o.known_tools = kTools;
    HarmonyStreamParser p(*tokenizer_, Role::Assistant, o);
    Streamed out;
    std::string current;
    size_t finished = 0;
    for (TokenId t : tokens) {
      if (auto r = p.process(t); !r) out.errors.push_back(r.error().message);
      if (p.messages().size() > finished) {
        // A message finished with this token: its deltas are complete. A token that finishes one message may
        // also start the next one's content only via a header, so no delta belongs to the next yet.
        out.deltas.push_back(current);
        current.clear();
        finished = p.messages().size();
      }
      if (p.state() == HarmonyStreamParser::State::ReadingContent && p.last_content_delta()) {
        current += *p.last_content_delta();
        out.all_deltas.push_back(*p.last_content_delta());
      }
    }
    if (auto r = p.end_of_stream(); !r) out.errors.push_back(r.error().message);
    if (p.messages().size() > finished) out.deltas.push_back(current);
    out.turn_ended = p.turn_ended();
    out.messages = p.take_parsed();
    return out;
  }
  Streamed stream_text(const std::string& text) const { return stream(ids(text)); }

  const Tokenizer* tokenizer_ = nullptr;
};

void expect_call(const ParsedMessage& m, const std::string& tool, const std::string& args) {
  EXPECT_EQ(m.message.role, Role::Assistant);
  EXPECT_EQ(m.message.channel, "commentary");
  EXPECT_EQ(m.message.recipient, tool);
  EXPECT_EQ(m.message.text_content(), args);
  EXPECT_FALSE(m.diagnostics.error) << *m.diagnostics.error;
  EXPECT_EQ(m.diagnostics.stop, Tokenizer::kCall);
}

TEST_F(ParserTolerance, ChannelThenRecipientWithConstrainIsAWellFormedCall) {
  auto s = stream_text("<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{\"sql\":\"SELECT 1\"}<|call|>");
  ASSERT_EQ(s.messages.size(), 1u);
  expect_call(s.messages[0], "functions.sql_query", "{\"sql\":\"SELECT 1\"}");
  EXPECT_EQ(s.messages[0].message.content_type, "<|constrain|>json");
  EXPECT_TRUE(s.messages[0].diagnostics.clean());
  EXPECT_TRUE(s.turn_ended);
  EXPECT_TRUE(s.errors.empty());
}

TEST_F(ParserTolerance, RecipientBeforeChannelGivesTheSameCall) {
  auto s = stream_text(" to=functions.sql_query<|channel|>commentary <|constrain|>json<|message|>{\"sql\":\"SELECT 1\"}<|call|>");
  ASSERT_EQ(s.messages.size(), 1u);
  expect_call(s.messages[0], "functions.sql_query", "{\"sql\":\"SELECT 1\"}");
  EXPECT_EQ(s.messages[0].message.content_type, "<|constrain|>json");
  EXPECT_TRUE(s.messages[0].diagnostics.clean());
}

TEST_F(ParserTolerance, ContentTypeGluedToAKnownToolNameIsSplitOff) {
  auto s = stream_text("<|channel|>commentary to=functions.sql_queryjson<|message|>{\"sql\":\"SELECT 1\"}<|call|>");
  ASSERT_EQ(s.messages.size(), 1u);
  expect_call(s.messages[0], "functions.sql_query", "{\"sql\":\"SELECT 1\"}");
  EXPECT_EQ(s.messages[0].message.content_type, "<|constrain|>json");
  EXPECT_TRUE(s.messages[0].diagnostics.header_repaired);
  ASSERT_FALSE(s.messages[0].diagnostics.notes.empty());
  EXPECT_NE(s.messages[0].diagnostics.notes[0].find("functions.sql_queryjson"), std::string::npos);
}

TEST_F(ParserTolerance, ControlTokenInsideARecipientEndsTheRecipient) {
  auto s = stream_text(" to=functions.make_chart<|channel|>commentary<|message|>{\"kind\":\"bar\"}<|call|>");
  ASSERT_EQ(s.messages.size(), 1u);
  expect_call(s.messages[0], "functions.make_chart", "{\"kind\":\"bar\"}");
  // A stray control token glued to the name (here <|end|> typed out as text) is dropped, not kept in the name.
  auto t = stream(concat_ids({ids("<|channel|>commentary"), tokenizer_->encode(" to=functions.make_chart<|start|>"),
                              ids(" json<|message|>{}<|call|>")}));
  ASSERT_EQ(t.messages.size(), 1u);
  EXPECT_EQ(t.messages[0].message.recipient, "functions.make_chart");
  EXPECT_TRUE(t.messages[0].diagnostics.header_repaired);
}

TEST_F(ParserTolerance, ConstrainWhereTheRecipientBelongs) {
  auto s = stream_text("<|channel|>commentary <|constrain|>functions.sql_query json<|message|>{\"sql\":\"SELECT 1\"}<|call|>");
  ASSERT_EQ(s.messages.size(), 1u);
  expect_call(s.messages[0], "functions.sql_query", "{\"sql\":\"SELECT 1\"}");
  EXPECT_TRUE(s.messages[0].diagnostics.header_repaired);

  // No tool named at all: the message is kept and the call alone gets an error the model can act on.
  auto u = stream_text("<|channel|>commentary <|constrain|>json<|message|>{\"sql\":\"SELECT 1\"}<|call|>");
  ASSERT_EQ(u.messages.size(), 1u);
  EXPECT_EQ(u.messages[0].message.text_content(), "{\"sql\":\"SELECT 1\"}");
  ASSERT_TRUE(u.messages[0].diagnostics.error);
  EXPECT_NE(u.messages[0].diagnostics.error->find("names no tool"), std::string::npos);
}

TEST_F(ParserTolerance, MissingStartBeforeAHeaderAfterEnd) {
  const std::string text = "<|channel|>analysis<|message|>Sum the column.<|end|><|channel|>final<|message|>The total is 42.<|return|>";
  auto s = stream_text(text);
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[0].message.text_content(), "Sum the column.");
  EXPECT_TRUE(s.messages[0].diagnostics.clean());
  EXPECT_EQ(s.messages[1].message.role, Role::Assistant);
  EXPECT_EQ(s.messages[1].message.channel, "final");
  EXPECT_EQ(s.messages[1].message.text_content(), "The total is 42.");
  EXPECT_TRUE(s.messages[1].diagnostics.header_repaired);
  EXPECT_TRUE(s.turn_ended);
  // openai/harmony's rules reject the second message outright: the tolerant mode is what keeps it.
  EXPECT_FALSE(stream(ids(text), false).errors.empty());

  auto r = stream_text("<|channel|>analysis<|message|>Sum it.<|end|>assistant<|channel|>final<|message|>The total is 42.<|return|>");
  ASSERT_EQ(r.messages.size(), 2u);
  EXPECT_EQ(r.messages[1].message.channel, "final");
  EXPECT_EQ(r.messages[1].message.text_content(), "The total is 42.");
}

TEST_F(ParserTolerance, TextAfterEndWithNoHeaderBecomesItsOwnMessage) {
  auto s = stream_text("<|channel|>analysis<|message|>Sum the column.<|end|>The total is 42.<|return|>");
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[0].message.text_content(), "Sum the column.");
  EXPECT_EQ(s.messages[1].message.text_content(), "The total is 42.");
  EXPECT_FALSE(s.messages[1].message.channel);  // unknown: the app decides whether to show it
  EXPECT_TRUE(s.messages[1].diagnostics.header_missing);
  EXPECT_EQ(s.deltas[1], "The total is 42.");
  EXPECT_TRUE(s.turn_ended);

  // Whitespace between messages is no message.
  auto w = stream_text("<|channel|>analysis<|message|>a<|end|>\n\n<|start|>assistant<|channel|>final<|message|>b<|return|>");
  ASSERT_EQ(w.messages.size(), 2u);
  EXPECT_EQ(w.messages[1].message.text_content(), "b");
  EXPECT_TRUE(w.messages[1].diagnostics.clean());
}

TEST_F(ParserTolerance, StartOrChannelInsideContentEndsThatMessage) {
  auto s = stream_text("<|channel|>analysis<|message|>Sum it.<|start|>assistant<|channel|>final<|message|>The total is 42.<|return|>");
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[0].message.text_content(), "Sum it.");
  EXPECT_TRUE(s.messages[0].diagnostics.unterminated);
  EXPECT_EQ(s.messages[1].message.channel, "final");
  EXPECT_EQ(s.messages[1].message.text_content(), "The total is 42.");

  auto c = stream_text("<|channel|>analysis<|message|>Sum it.<|channel|>final<|message|>42<|return|>");
  ASSERT_EQ(c.messages.size(), 2u);
  EXPECT_EQ(c.messages[0].message.channel, "analysis");
  EXPECT_EQ(c.messages[1].message.channel, "final");
  EXPECT_EQ(c.messages[1].message.text_content(), "42");
}

TEST_F(ParserTolerance, StreamEndingInsideAHeaderKeepsEarlierMessages) {
  auto s = stream_text("<|channel|>analysis<|message|>Sum it.<|end|><|start|>assistant<|channel|>comm");
  EXPECT_TRUE(s.errors.empty());
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[0].message.text_content(), "Sum it.");
  EXPECT_TRUE(s.messages[0].diagnostics.clean());
  EXPECT_TRUE(s.messages[1].diagnostics.truncated);
  EXPECT_TRUE(s.messages[1].diagnostics.error);
  EXPECT_EQ(s.messages[1].message.text_content(), "");
}

TEST_F(ParserTolerance, StreamEndingInsideAMultiByteCharacter) {
  // 💖 is tokens 31446, 244 in o200k: the stream stops after the first.
  auto tokens = ids("<|channel|>analysis<|message|>ok<|end|><|start|>assistant<|channel|>final<|message|>Revenue up ");
  tokens.push_back(31446);
  auto s = stream(tokens);
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[0].message.text_content(), "ok");
  EXPECT_EQ(s.messages[1].message.text_content(), "Revenue up \xEF\xBF\xBD");
  EXPECT_TRUE(s.messages[1].diagnostics.truncated);
  EXPECT_EQ(s.deltas[1], "Revenue up ");  // the partial character never went out as a delta
}

TEST_F(ParserTolerance, StreamEndingInsideJsonArguments) {
  auto s = stream_text("<|channel|>analysis<|message|>Query it.<|end|><|start|>assistant<|channel|>commentary "
                       "to=functions.sql_query <|constrain|>json<|message|>{\"sql\": \"SELECT region, SUM(amount) FROM");
  ASSERT_EQ(s.messages.size(), 2u);
  EXPECT_EQ(s.messages[0].message.text_content(), "Query it.");
  const auto& call = s.messages[1];
  EXPECT_EQ(call.message.recipient, "functions.sql_query");
  EXPECT_EQ(call.message.text_content(), "{\"sql\": \"SELECT region, SUM(amount) FROM");
  EXPECT_TRUE(call.diagnostics.truncated);
  EXPECT_TRUE(call.diagnostics.invalid_arguments);
  ASSERT_TRUE(call.diagnostics.error);
  EXPECT_NE(call.diagnostics.error->find("functions.sql_query"), std::string::npos);
  EXPECT_NE(call.diagnostics.error->find("cut off"), std::string::npos);
  EXPECT_FALSE(s.turn_ended);
}

TEST_F(ParserTolerance, ArgumentsThatAreNotJsonPassThroughAsTextWithAnError) {
  auto s = stream_text("<|channel|>commentary to=functions.sql_query <|constrain|>json<|message|>{sql: SELECT 1}<|call|>");
  ASSERT_EQ(s.messages.size(), 1u);
  const auto& call = s.messages[0];
  EXPECT_EQ(call.message.text_content(), "{sql: SELECT 1}");
  EXPECT_TRUE(call.diagnostics.invalid_arguments);
  ASSERT_TRUE(call.diagnostics.error);
  EXPECT_NE(call.diagnostics.error->find("not valid JSON"), std::string::npos);
  EXPECT_TRUE(s.turn_ended);
}

TEST_F(ParserTolerance, EndEndsAMessageReturnAndCallEndTheTurn) {
  ParseOptions o;
  o.tolerant = true;
  HarmonyStreamParser p(*tokenizer_, Role::Assistant, o);
  for (auto t : ids("<|channel|>analysis<|message|>a<|end|>")) ASSERT_TRUE(p.process(t).ok());
  EXPECT_FALSE(p.turn_ended());
  for (auto t : ids("<|channel|>final<|message|>b<|end|>")) ASSERT_TRUE(p.process(t).ok());  // no <|start|>
  EXPECT_FALSE(p.turn_ended());
  for (auto t : ids("<|start|>assistant<|channel|>final<|message|>c<|return|>")) ASSERT_TRUE(p.process(t).ok());
  EXPECT_TRUE(p.turn_ended());
  for (auto t : ids("<|start|>assistant to=functions.sql_query<|channel|>commentary json<|message|>{}<|call|>")) {
    ASSERT_TRUE(p.process(t).ok());
  }
  EXPECT_TRUE(p.turn_ended());
  EXPECT_EQ(p.messages().size(), 4u);
  EXPECT_EQ(p.diagnostics().size(), 4u);
}

TEST_F(ParserTolerance, DeltasNeverCarryControlTokenText) {
  // Control tokens inside content both as special ids and typed out as ordinary text, split across tokens.
  auto tokens = ids("<|channel|>final<|message|><|message|>Total");
  auto typed = tokenizer_->encode(" is <|end|>42 <|channel|>final and a<b or c|d");
  tokens.insert(tokens.end(), typed.begin(), typed.end());
  for (auto t : ids("<|constrain|> dollars.<|return|>")) tokens.push_back(t);
  auto s = stream(tokens);
  ASSERT_EQ(s.messages.size(), 1u);
  const std::string text = s.messages[0].message.text_content();
  EXPECT_EQ(text, "Total is 42 final and a<b or c|d dollars.");
  EXPECT_EQ(s.deltas[0], text);
  for (const auto& d : s.all_deltas) EXPECT_EQ(d.find("<|"), std::string::npos) << d;
}

TEST_F(ParserTolerance, EveryMalformedVariantInOneTurnEndsWithTheFinalAnswer) {
  std::string all;
  for (const auto& c : testing::malformed_cases()) {
    if (c.name.rfind("ends_inside", 0) == 0) continue;  // those end the stream
    all += c.text;
    all += "<|start|>assistant";
  }
  all += "<|channel|>final<|message|>Revenue was highest in the North region.<|return|>";
  auto s = stream_text(all);
  EXPECT_TRUE(s.errors.empty());
  ASSERT_FALSE(s.messages.empty());
  const auto& last = s.messages.back();
  EXPECT_EQ(last.message.channel, "final");
  EXPECT_EQ(last.message.text_content(), "Revenue was highest in the North region.");
  EXPECT_TRUE(last.diagnostics.clean());
  EXPECT_TRUE(s.turn_ended);
  for (const auto& m : s.messages) EXPECT_EQ(m.message.text_content().find("<|"), std::string::npos);
}

TEST_F(ParserTolerance, WellFormedHarmonyCasesParseTheSameWhenTolerant) {
  int compared = 0;
  for (const auto& c : testing::harmony_cases("parse")) {
    const auto& spec = c.spec;
    if (spec.value("expect_error", false) || !spec.at("input").is_string()) continue;
    if (!spec.at("options").value("strict", true)) continue;
    std::optional<Role> role;
    if (!spec.at("role").is_null()) role = role_from_name(spec.at("role").get<std::string>());
    const auto tokens = ids(spec.at("input").get<std::string>());
    auto harmony = parse_completion_tokens(*tokenizer_, tokens, role);
    ASSERT_TRUE(harmony.ok()) << c.name;
    ParseOptions o;
    o.tolerant = true;
    auto tolerant = parse_completion_report(*tokenizer_, tokens, role, o);
    ASSERT_EQ(tolerant.messages.size(), harmony.value().size()) << c.name;
    for (size_t i = 0; i < tolerant.messages.size(); ++i) {
      EXPECT_EQ(tolerant.messages[i].message, harmony.value()[i]) << c.name;
    }
    ++compared;
  }
  EXPECT_GT(compared, 5);
}

TEST_F(ParserTolerance, RandomStreamsNeverBreakTheInvariants) {
  std::mt19937 rng(7);
  const std::vector<TokenId> specials = {Tokenizer::kStart, Tokenizer::kEnd, Tokenizer::kMessage, Tokenizer::kChannel,
                                         Tokenizer::kConstrain, Tokenizer::kReturn, Tokenizer::kCall, Tokenizer::kEndOfText};
  const auto words = ids(" to=functions.sql_query analysis final commentary json {\"a\": 1} assistant caf\xC3\xA9 <|");
  for (int round = 0; round < 300; ++round) {
    std::vector<TokenId> tokens;
    const int n = static_cast<int>(rng() % 60);
    for (int i = 0; i < n; ++i) {
      const unsigned pick = rng() % 10;
      if (pick < 3) tokens.push_back(specials[rng() % specials.size()]);
      else if (pick < 9) tokens.push_back(words[rng() % words.size()]);
      else tokens.push_back(static_cast<TokenId>(rng() % 201100) - 5);
    }
    auto s = stream(tokens);
    EXPECT_TRUE(s.errors.empty());
    // Only whole markers are control text: a lone "<|" the model wrote is kept.
    for (const auto& d : s.all_deltas) ASSERT_EQ(strip_markup(d), d);
    for (const auto& m : s.messages) {
      ASSERT_EQ(strip_markup(m.message.text_content()), m.message.text_content());
    }
    ASSERT_EQ(s.deltas.size(), s.messages.size());
    for (size_t i = 0; i < s.messages.size(); ++i) {
      const std::string text = s.messages[i].message.text_content();
      ASSERT_EQ(text.compare(0, s.deltas[i].size(), s.deltas[i]), 0) << "deltas are not a prefix of the text";
    }
  }
}

// Writes each case as a seed for the fuzz targets (TALLY_WRITE_SEEDS=1): byte 0 = options (role assistant), then
// three bytes per token id, big-endian, as fuzz_harmony_parser.cpp and fuzz_harmony_tolerant.cpp read them.
TEST_F(ParserTolerance, WriteFuzzSeedsWhenAsked) {
  if (!std::getenv("TALLY_WRITE_SEEDS")) GTEST_SKIP() << "set TALLY_WRITE_SEEDS=1 to rewrite the seed corpus";
  auto write = [&](const std::string& dir, const std::string& name, uint8_t options, const std::vector<TokenId>& t) {
    std::filesystem::create_directories(dir);
    std::ofstream f(dir + "/" + name, std::ios::binary);
    f.put(static_cast<char>(options));
    for (TokenId id : t) {
      const auto u = static_cast<uint32_t>(id);
      f.put(static_cast<char>((u >> 16) & 0xFF));
      f.put(static_cast<char>((u >> 8) & 0xFF));
      f.put(static_cast<char>(u & 0xFF));
    }
  };
  const std::string corpus = ::tally::testing::source_dir() + "/tests/fuzz/corpus/";
  auto multibyte = ids("<|channel|>final<|message|>Revenue up ");
  multibyte.push_back(31446);
  for (const auto& c : testing::malformed_cases()) {
    // fuzz_harmony_parser: options bit 0 = non-strict; (byte >> 1) % 6 = 2 -> assistant.
    write(corpus + "harmony_parser", "tolerance_" + c.name, 0x05, ids(c.text));
    write(corpus + "harmony_tolerant", c.name, 0x04, ids(c.text));
  }
  write(corpus + "harmony_parser", "tolerance_ends_inside_multibyte_character", 0x05, multibyte);
  write(corpus + "harmony_tolerant", "ends_inside_multibyte_character", 0x04, multibyte);
}

}  // namespace
}  // namespace tally::harmony
