#include "copilot/copilot_loop.h"

#include <algorithm>
#include <map>

#include "copilot/make_chart.h"
#include "harmony/renderer.h"
#include "harmony/stream_parser.h"

namespace tally::app {

namespace {

using Clock = std::chrono::steady_clock;
using ojson = nlohmann::ordered_json;

double ms_between(Clock::time_point a, Clock::time_point b) {
  return std::chrono::duration<double, std::milli>(b - a).count();
}

std::string replace_all(std::string text, const std::string& what, const std::string& with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

std::string dump(const ojson& j) { return j.dump(-1, ' ', false, ojson::error_handler_t::replace); }

// The tool a call goes to: "functions.sql_query" -> "sql_query". Anything else is returned whole, so the error
// names what the model wrote.
std::string tool_name_of(const std::string& recipient) {
  std::string name = recipient;
  if (name.rfind("functions.", 0) == 0) name = name.substr(10);
  while (!name.empty() && (name.back() == ' ' || name.back() == '\n')) name.pop_back();
  return name;
}

std::string known_tools() {
  std::string names;
  for (const auto& s : data::tools::tool_specs()) names += s.name + ", ";
  return names + kMakeChartTool;
}

// An sql_query result as make_chart's result_of reads it back.
std::optional<ChartData> chart_data_of(const nlohmann::json& envelope) {
  if (!envelope.is_object() || !envelope.value("ok", false) || envelope.value("tool", "") != "sql_query")
    return std::nullopt;
  auto r = envelope.find("result");
  if (r == envelope.end() || !r->is_object()) return std::nullopt;
  ChartData d;
  if (auto c = r->find("columns"); c != r->end() && c->is_array())
    for (const auto& name : *c)
      if (name.is_string()) d.columns.push_back(name.get<std::string>());
  if (auto rows = r->find("rows"); rows != r->end() && rows->is_array()) d.rows = *rows;
  d.truncated = r->value("truncated", false);
  if (auto p = envelope.find("provenance"); p != envelope.end()) {
    const auto& q = (*p)["queries"];
    if (q.is_array() && !q.empty() && q[0].is_object()) d.sql = q[0].value("sql", "");
  }
  return d;
}

}  // namespace

nlohmann::ordered_json TurnStats::to_json() const {
  ojson j;
  j["ttft_ms"] = ttft_ms;
  j["tokens_per_s"] = tokens_per_s;
  j["tokens"] = tokens;
  j["prompt_tokens"] = prompt_tokens;
  j["prompt_reused"] = prompt_reused;
  j["steps"] = steps;
  j["stopped"] = stopped;
  j["duration_ms"] = duration_ms;
  return j;
}

// One assistant message while it streams.
struct CopilotLoop::OpenMessage {
  std::int64_t id = 0;
  std::string text;
  Clock::time_point started, stored;
  bool dirty = false;
};

struct CopilotLoop::Turn {
  std::int64_t conversation_id = 0;
  std::vector<DatasetInfo> datasets;
  std::vector<data::Message> path;  // the branch so far, root first; new messages are appended
  std::map<std::string, ChartData> results;  // sql_query results by result_id, for make_chart's result_of
  Clock::time_point start;
  bool first_token_seen = false;
  double decode_ms = 0;
  TurnOutcome outcome;
  // Filled by each step.
  std::vector<data::Message> step_messages;
  std::map<std::int64_t, std::string> call_errors;  // calls the parser could not read, by message id
  bool step_answered = false;
};

CopilotLoop::CopilotLoop(data::Store& store, TextGenerator& generator, CopilotOptions options)
    : store_(store), generator_(generator), options_(std::move(options)) {}

CopilotLoop::~CopilotLoop() = default;

void CopilotLoop::stop() {
  stop_.store(true);
  generator_.cancel();
}

void CopilotLoop::publish(CopilotEvent e) {
  if (sink_) sink_(e);
}

data::tools::ToolSession& CopilotLoop::tools() {
  if (!tools_) tools_ = std::make_unique<data::tools::ToolSession>(store_.db().handle());
  return *tools_;
}

data::tools::ToolSession& CopilotLoop::chart_tools() {
  if (!chart_tools_) {
    data::tools::QueryLimits limits;
    limits.max_rows = kChartMaxRows;
    limits.max_bytes = 1024 * 1024;
    chart_tools_ = std::make_unique<data::tools::ToolSession>(store_.db().handle(), limits);
  }
  return *chart_tools_;
}

Result<data::Message> CopilotLoop::store_message(Turn& turn, data::NewMessage m) {
  m.conversation_id = turn.conversation_id;
  if (!turn.path.empty()) m.parent_id = turn.path.back().id;
  auto id = store_.append_message(m);
  if (!id) return make_error("cannot store a message: " + id.error().message);
  data::Message stored;
  stored.id = *id;
  stored.conversation_id = m.conversation_id;
  stored.parent_id = m.parent_id;
  stored.role = m.role;
  stored.author_name = m.author_name;
  stored.channel = m.channel;
  stored.recipient = m.recipient;
  stored.content_type = m.content_type;
  stored.content = m.content;
  turn.path.push_back(stored);
  return stored;
}

Result<std::int64_t> CopilotLoop::store_notice(Turn& turn, const std::string& text) {
  data::NewMessage m;
  m.role = "assistant";
  m.channel = "final";
  m.content = text;
  auto stored = store_message(turn, std::move(m));
  if (!stored) return stored.error();
  publish({.kind = CopilotEvent::Kind::MessageStarted, .conversation_id = turn.conversation_id,
        .message_id = stored->id, .channel = "final"});
  publish({.kind = CopilotEvent::Kind::MessageDelta, .conversation_id = turn.conversation_id, .message_id = stored->id,
        .text = text});
  publish({.kind = CopilotEvent::Kind::MessageFinished, .conversation_id = turn.conversation_id,
        .message_id = stored->id});
  return stored->id;
}

Result<TurnOutcome> CopilotLoop::answer(std::int64_t conversation_id, std::int64_t user_message_id) {
  stop_.store(false);
  Turn turn;
  turn.conversation_id = conversation_id;
  turn.start = Clock::now();
  tools().set_conversation(conversation_id);
  chart_tools().set_conversation(conversation_id);
  auto fail = [&](const Error& e) -> Result<TurnOutcome> {
    publish({.kind = CopilotEvent::Kind::Error, .conversation_id = conversation_id, .text = e.message});
    return e;
  };

  auto datasets = load_datasets(store_);
  if (!datasets) return fail(datasets.error());
  turn.datasets = std::move(*datasets);
  auto all = store_.messages(conversation_id);
  if (!all) return fail(make_error("cannot read conversation " + std::to_string(conversation_id) + ": " +
                                   all.error().message));
  turn.path = branch_path(*all, user_message_id);
  if (turn.path.empty() || turn.path.back().id != user_message_id)
    return fail(make_error("message " + std::to_string(user_message_id) + " is not in conversation " +
                           std::to_string(conversation_id)));
  for (const auto& m : turn.path) {
    if (m.role != "tool") continue;
    const auto envelope = nlohmann::json::parse(m.content, nullptr, false);
    if (auto data = chart_data_of(envelope); data && envelope.contains("result_id"))
      turn.results[envelope["result_id"].get<std::string>()] = std::move(*data);
  }

  bool finished = false;
  while (!finished && !stop_.load()) {
    if (turn.outcome.stats.steps == options_.max_steps) {
      turn.outcome.hit_step_cap = true;
      const std::string text = replace_all(options_.texts.step_cap, "{steps}", std::to_string(options_.max_steps));
      auto id = store_notice(turn, text);
      if (!id) return fail(id.error());
      turn.outcome.final_message_id = *id;
      turn.outcome.final_text = text;
      break;
    }
    ++turn.outcome.stats.steps;
    if (auto r = run_step(turn); !r) return fail(r.error());
    if (stop_.load()) break;

    std::vector<data::Message> calls;
    for (const auto& m : turn.step_messages)
      if ((m.recipient && !m.recipient->empty()) || turn.call_errors.count(m.id)) calls.push_back(m);
    if (calls.empty()) {
      finished = true;
      if (!turn.step_answered) {
        auto id = store_notice(turn, options_.texts.no_answer);
        if (!id) return fail(id.error());
        turn.outcome.final_message_id = *id;
        turn.outcome.final_text = options_.texts.no_answer;
      }
      break;
    }
    for (const auto& call : calls) {
      if (auto r = run_tool_call(turn, call); !r) return fail(r.error());
    }
  }

  TurnStats& stats = turn.outcome.stats;
  stats.stopped = stop_.load();
  stats.duration_ms = ms_between(turn.start, Clock::now());
  if (turn.decode_ms > 0) stats.tokens_per_s = static_cast<double>(stats.tokens) * 1000.0 / turn.decode_ms;
  // The stats belong to the message the user reads: the answer, else the last message the turn produced.
  std::int64_t stats_target = turn.outcome.final_message_id;
  if (stats_target == 0 && turn.path.size() > 0 && turn.path.back().id != user_message_id)
    stats_target = turn.path.back().id;
  if (stats_target != 0) {
    data::MessageStats ms;
    ms.prompt_tokens = stats.prompt_tokens;
    ms.completion_tokens = stats.tokens;
    ms.time_to_first_token_ms = stats.ttft_ms;
    ms.tokens_per_second = stats.tokens_per_s;
    ms.duration_ms = stats.duration_ms;
    if (auto s = store_.set_message_stats(stats_target, ms); !s)
      return fail(make_error("cannot store the answer's statistics: " + s.error().message));
  }
  publish({.kind = CopilotEvent::Kind::TurnFinished, .conversation_id = conversation_id,
        .message_id = turn.outcome.final_message_id, .stats = stats});
  return std::move(turn.outcome);
}

Result<void> CopilotLoop::run_step(Turn& turn) {
  turn.step_messages.clear();
  turn.step_answered = false;
  const tok::Tokenizer& tokenizer = generator_.tokenizer();
  ConversationBuilder builder(tokenizer, options_.build);
  const harmony::Conversation conv = builder.build(turn.datasets, turn.path);
  // The builder already applied harmony's history rule (it knows where the current turn starts).
  auto rendered = harmony::HarmonyRenderer({.auto_drop_analysis = false})
                      .render_conversation_for_completion(conv, harmony::Role::Assistant);
  if (!rendered) return make_error("cannot render the conversation: " + rendered.error().message);
  last_prompt_ = rendered->ids(tokenizer);
  auto pre = generator_.prefill(last_prompt_);
  if (!pre) {
    if (stop_.load()) return {};
    return make_error(pre.error().message);
  }
  if (turn.outcome.stats.steps == 1) {
    turn.outcome.stats.prompt_tokens = pre->prompt_tokens;
    turn.outcome.stats.prompt_reused = pre->prompt_reused;
  }
  if (stop_.load()) return {};
  {
    CopilotEvent processed{.kind = CopilotEvent::Kind::PromptProcessed, .conversation_id = turn.conversation_id};
    processed.stats.prompt_tokens = pre->prompt_tokens;
    processed.stats.prompt_reused = pre->prompt_reused;
    processed.stats.steps = turn.outcome.stats.steps;
    publish(std::move(processed));
  }

  // Tolerant: one malformed message (a bent header, broken arguments, a cut-off stream) costs only that message;
  // its diagnostics say what went wrong, in words the model gets back as the call's error.
  harmony::ParseOptions parse_options;
  parse_options.tolerant = true;
  for (const auto& spec : data::tools::tool_specs()) parse_options.known_tools.push_back("functions." + spec.name);
  parse_options.known_tools.push_back(std::string("functions.") + kMakeChartTool);
  harmony::HarmonyStreamParser parser(tokenizer, harmony::Role::Assistant, parse_options);
  std::size_t seen = 0;
  std::optional<OpenMessage> open;
  std::optional<Error> store_error;

  auto start_message = [&](const std::optional<std::string>& channel, const std::optional<std::string>& recipient,
                           const std::optional<std::string>& content_type) {
    data::NewMessage m;
    m.role = "assistant";
    m.channel = channel.value_or("final");
    if (recipient && !recipient->empty()) m.recipient = recipient;
    m.content_type = content_type;
    auto stored = store_message(turn, std::move(m));
    if (!stored) {
      store_error = stored.error();
      return;
    }
    open = OpenMessage{stored->id, {}, Clock::now(), Clock::now(), false};
    publish({.kind = CopilotEvent::Kind::MessageStarted, .conversation_id = turn.conversation_id,
          .message_id = stored->id, .channel = stored->channel.value_or("final"),
          .recipient = stored->recipient.value_or("")});
  };
  auto flush = [&](OpenMessage& o) {
    if (auto s = store_.update_message_content(o.id, o.text); !s) store_error = make_error(s.error().message);
    o.stored = Clock::now();
    o.dirty = false;
  };
  // The parser's copy of a finished message is authoritative (it holds text decoded at the end, e.g. U+FFFD).
  auto finish_message = [&](const harmony::Message& m, const harmony::MessageDiagnostics* diagnostics) {
    if (!open) start_message(m.channel, m.recipient, m.content_type);
    if (!open) return;
    const std::string text = m.text_content();
    if (text.size() > open->text.size() && text.compare(0, open->text.size(), open->text) == 0) {
      publish({.kind = CopilotEvent::Kind::MessageDelta, .conversation_id = turn.conversation_id,
            .message_id = open->id, .text = text.substr(open->text.size())});
    }
    open->text = text;
    flush(*open);
    data::Message& stored = turn.path.back();
    if (stored.id == open->id) stored.content = text;
    if (diagnostics && diagnostics->error) {
      const bool ended_as_call = diagnostics->stop == tok::Tokenizer::kCall;
      // A broken call is still a call: its error goes back to the model as the tool's answer.
      if (stored.recipient || ended_as_call) turn.call_errors[stored.id] = *diagnostics->error;
    }
    turn.step_messages.push_back(stored);
    if (!stored.recipient && !turn.call_errors.count(stored.id) && stored.channel == "final") {
      turn.step_answered = true;
      turn.outcome.final_message_id = stored.id;
      turn.outcome.final_text = text;
    }
    publish({.kind = CopilotEvent::Kind::MessageFinished, .conversation_id = turn.conversation_id,
          .message_id = open->id, .duration_ms = ms_between(open->started, Clock::now())});
    open.reset();
  };
  auto drain_finished = [&] {
    while (parser.messages().size() > seen) {
      const auto& diagnostics = parser.diagnostics();
      finish_message(parser.messages()[seen], seen < diagnostics.size() ? &diagnostics[seen] : nullptr);
      ++seen;
    }
  };

  GenerateOptions gen = options_.generate;
  gen.stop_tokens = {tok::Tokenizer::kReturn, tok::Tokenizer::kCall};
  auto result = generator_.generate(gen, [&](int32_t id) {
    if (!turn.first_token_seen) {
      turn.first_token_seen = true;
      turn.outcome.stats.ttft_ms = ms_between(turn.start, Clock::now());
    }
    // A malformed header is skipped: the parser waits for the next <|start|>, and the other messages stand.
    (void)parser.process(id);
    drain_finished();
    if (parser.state() == harmony::HarmonyStreamParser::State::ReadingContent) {
      if (!open) start_message(parser.current_channel(), parser.current_recipient(), parser.current_content_type());
      const auto& delta = parser.last_content_delta();
      if (open && delta && !delta->empty()) {
        open->text += *delta;
        open->dirty = true;
        publish({.kind = CopilotEvent::Kind::MessageDelta, .conversation_id = turn.conversation_id,
              .message_id = open->id, .text = *delta});
        if (Clock::now() - open->stored >= options_.store_interval) flush(*open);
      }
    }
    return !stop_.load() && !store_error;
  });
  (void)parser.end_of_stream();
  drain_finished();
  if (open) {  // cut off inside a header the parser could not salvage: keep what was shown
    flush(*open);
    if (turn.path.back().id == open->id) turn.path.back().content = open->text;
    publish({.kind = CopilotEvent::Kind::MessageFinished, .conversation_id = turn.conversation_id,
          .message_id = open->id, .duration_ms = ms_between(open->started, Clock::now())});
    open.reset();
  }
  if (store_error) return *store_error;
  if (!result) {
    if (stop_.load()) return {};
    return make_error(result.error().message);
  }
  turn.outcome.stats.tokens += result->generated_tokens;
  turn.decode_ms += result->decode_ms;
  return {};
}

Result<void> CopilotLoop::run_tool_call(Turn& turn, const data::Message& call) {
  const std::string recipient = call.recipient.value_or("");
  const std::string named = tool_name_of(recipient);
  const std::string tool = named.empty() ? "unknown" : named;  // a call that named no tool
  publish({.kind = CopilotEvent::Kind::ToolCall, .conversation_id = turn.conversation_id, .message_id = call.id,
        .tool = tool, .text = call.content});

  const auto started = Clock::now();
  ojson envelope;
  std::optional<ChartSpec> chart;
  const auto parse_error = turn.call_errors.find(call.id);
  const bool readable = parse_error == turn.call_errors.end();
  const bool known = tool == kMakeChartTool || data::tools::find_tool(tool) != nullptr;
  const bool allowed =
      !readable || !known || !confirm_ || confirm_({turn.conversation_id, call.id, tool, call.content});
  if (!readable) {
    envelope = {{"ok", false}, {"tool", tool}, {"error", parse_error->second}};
  } else if (!known) {
    envelope = {{"ok", false},
                {"tool", tool},
                {"error", "unknown tool '" + recipient + "': call one of functions." + replace_all(known_tools(), ", ", ", functions.")}};
  } else if (!allowed) {
    envelope = {{"ok", false}, {"tool", tool}, {"error", options_.texts.declined}};
  } else if (tool == kMakeChartTool) {
    ChartOutcome out = run_make_chart(call.content, chart_tools(), [&](const std::string& id) -> std::optional<ChartData> {
      auto it = turn.results.find(id);
      if (it == turn.results.end()) return std::nullopt;
      return it->second;
    });
    envelope = std::move(out.envelope);
    chart = std::move(out.chart);
  } else {
    envelope = tools().call_text(tool, call.content);
  }
  // sql_query and make_chart audit their SQL through the tool session; these calls have no SQL of their own.
  if (!readable || !known || !allowed || tool == kMakeChartTool) {
    data::AuditEntry entry;
    entry.conversation_id = turn.conversation_id;
    entry.tool = tool;
    entry.arguments = call.content;
    entry.duration_ms = ms_between(started, Clock::now());
    if (envelope.value("ok", false)) entry.result_summary = dump(envelope["result"]).substr(0, 200);
    else entry.error = envelope.value("error", std::string());
    (void)store_.log_tool_call(entry);
  }
  // An id the model can hand to make_chart's result_of instead of repeating the query.
  if (tool == "sql_query" && envelope.value("ok", false)) {
    const std::string result_id = "call_" + std::to_string(call.id);
    ojson with_id;
    for (auto it = envelope.begin(); it != envelope.end(); ++it) {
      with_id[it.key()] = it.value();
      if (it.key() == "tool") with_id["result_id"] = result_id;
    }
    envelope = std::move(with_id);
    if (auto data = chart_data_of(nlohmann::json::parse(dump(envelope)))) turn.results[result_id] = std::move(*data);
  }

  data::NewMessage m;
  m.role = "tool";
  m.author_name = "functions." + tool;
  m.channel = "commentary";
  m.recipient = "assistant";
  m.content = dump(envelope);
  auto stored = store_message(turn, std::move(m));
  if (!stored) return stored.error();
  CopilotEvent done{.kind = CopilotEvent::Kind::ToolResult, .conversation_id = turn.conversation_id,
                    .message_id = call.id, .result_message_id = stored->id, .tool = tool, .text = call.content,
                    .result = stored->content};
  publish(std::move(done));
  if (chart) {
    publish({.kind = CopilotEvent::Kind::Chart, .conversation_id = turn.conversation_id, .message_id = call.id,
          .result_message_id = stored->id, .tool = tool, .result = dump(to_json(*chart))});
  }
  return {};
}

}  // namespace tally::app
