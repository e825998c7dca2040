// tally-cli generate / chat: harmony conversations with streaming output. The analysis channel (the model's
// reasoning) goes to stderr when --show-reasoning is given; the final answer goes to stdout.
// `chat --db DB` runs the analyst copilot loop (tools over the store's datasets, every message stored) with the model,
// or with `--script FILE` replays a recorded model output through the same loop and tools.
#include <algorithm>
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "cli/model_args.h"
#include "copilot/copilot_loop.h"
#include "copilot/engine_generator.h"
#include "copilot/scripted_generator.h"
#include "harmony/renderer.h"
#include "harmony/stream_parser.h"
#include "model/config.h"
#include "tokenizer/tokenizer.h"

namespace tally::cli {
namespace {

struct ChatArgs {
  ModelArgs model;
  GenerateOptions gen;
  harmony::ReasoningEffort effort = harmony::ReasoningEffort::Medium;
  std::string system_date;
  bool raw = false;
  bool show_reasoning = false;
  bool quiet_stats = false;
};

std::string today() {
  const std::time_t t = std::time(nullptr);
  char buf[16];
  std::strftime(buf, sizeof buf, "%Y-%m-%d", std::localtime(&t));
  return buf;
}

std::string parse_chat_args(ArgParser& args, ChatArgs& out, bool model_required = true) {
  if (auto err = parse_model_args(args, out.model); !err.empty()) {
    if (model_required || err.rfind("--model", 0) != 0) return err;
  }
  try {
    out.gen.max_tokens = std::stoi(args.option("-n", args.option("--max-tokens", "512")));
    out.gen.temperature = std::stof(args.option("--temp", "1.0"));
    out.gen.top_k = std::stoi(args.option("--top-k", "0"));
    out.gen.top_p = std::stof(args.option("--top-p", "1.0"));
    out.gen.min_p = std::stof(args.option("--min-p", "0"));
    out.gen.repetition_penalty = std::stof(args.option("--repeat-penalty", "1.0"));
    out.gen.presence_penalty = std::stof(args.option("--presence-penalty", "0"));
    out.gen.seed = std::stoull(args.option("--seed", "0"));
  } catch (const std::exception&) {
    return "a sampling option has a value that is not a number";
  }
  const std::string effort = args.option("--reasoning", "medium");
  if (effort == "low") out.effort = harmony::ReasoningEffort::Low;
  else if (effort == "medium") out.effort = harmony::ReasoningEffort::Medium;
  else if (effort == "high") out.effort = harmony::ReasoningEffort::High;
  else return "--reasoning takes low, medium or high";
  out.system_date = args.option("--date", today());
  out.raw = args.flag("--raw");
  out.show_reasoning = args.flag("--show-reasoning");
  out.quiet_stats = args.flag("--no-stats");
  out.gen.stop_tokens = {tok::Tokenizer::kReturn, tok::Tokenizer::kCall};
  return {};
}

void print_stats(const RequestStats& pre, const RequestStats& gen) {
  std::fprintf(stderr,
               "\n[prompt %lld tokens (%lld from cache), prefill %.1f tok/s, first token %.0f ms, %lld tokens at %.1f "
               "tok/s%s]\n",
               static_cast<long long>(pre.prompt_tokens), static_cast<long long>(pre.prompt_reused),
               pre.prefill_tokens_per_s(), pre.prefill_ms + gen.time_to_first_token_ms,
               static_cast<long long>(gen.generated_tokens), gen.decode_tokens_per_s(),
               gen.cancelled ? ", cancelled" : "");
}

// One assistant turn: prefill the rendered prompt (reusing the cache), stream tokens through the harmony parser.
Result<std::vector<harmony::Message>> assistant_turn(Session& session, const Model& model,
                                                     const std::vector<int32_t>& prompt, const ChatArgs& a) {
  auto pre = session.prefill(prompt);
  if (!pre) return pre.error();
  harmony::HarmonyStreamParser parser(model.tokenizer(), harmony::Role::Assistant, {.strict = false});
  std::string shown_channel;
  bool answered = false;
  std::vector<int32_t> produced;
  auto gen = session.generate(a.gen, [&](int32_t id) {
    produced.push_back(id);
    (void)parser.process(id);  // a malformed header is skipped; the parser resynchronises at the next <|start|>
    const auto& delta = parser.last_content_delta();
    if (delta && !delta->empty()) {
      const std::string channel = parser.current_channel().value_or("final");
      const bool is_final = channel == "final";
      if (is_final) {
        answered = true;
        std::fwrite(delta->data(), 1, delta->size(), stdout);
        std::fflush(stdout);
      } else if (a.show_reasoning) {
        if (channel != shown_channel) std::fprintf(stderr, "\n[%s] ", channel.c_str());
        std::fwrite(delta->data(), 1, delta->size(), stderr);
      }
      shown_channel = channel;
    }
    return true;
  });
  if (!gen) return gen.error();
  (void)parser.end_of_stream();
  if (!answered) {
    // A random-weight test model (or a badly quantized one) rarely writes a well-formed harmony message: say so
    // and show what it did write, rather than printing nothing.
    std::string raw = model.tokenizer().decode(produced);
    if (raw.size() > 400) raw = raw.substr(0, 400) + "...";
    std::fprintf(stderr, "(no final answer: the model's %zu tokens formed no harmony final message; raw output: %s)\n",
                 produced.size(), raw.c_str());
  }
  if (!a.quiet_stats) print_stats(*pre, *gen);
  return parser.take_messages();
}

harmony::Conversation start_conversation(const ChatArgs& a) {
  harmony::Conversation conv;
  harmony::SystemContent sys = harmony::SystemContent::defaults();
  sys.reasoning_effort = a.effort;
  sys.conversation_start_date = a.system_date;
  harmony::Message m;
  m.role = harmony::Role::System;
  m.content.push_back(sys);
  conv.messages.push_back(std::move(m));
  return conv;
}

Result<std::vector<int32_t>> render(const harmony::Conversation& conv, const tok::Tokenizer& tokenizer) {
  auto prompt = harmony::HarmonyRenderer().render_conversation_for_completion(conv, harmony::Role::Assistant);
  if (!prompt) return prompt.error();
  return prompt->ids(tokenizer);
}

int run_generate(const Args& raw) {
  ArgParser args(raw);
  ChatArgs a;
  if (auto err = parse_chat_args(args, a); !err.empty()) return fail(err);
  const std::string text = args.option("--prompt");
  if (!args.unknown().empty()) return fail("unknown option " + args.unknown()[0]);
  if (text.empty()) return fail("--prompt TEXT is required");
  auto model = load_for_cli(a.model, true);
  if (!model) return fail(model.error().message);
  Session session(*model, {.context = a.model.context});
  if (a.raw) {  // plain continuation of the text, no chat format
    auto pre = session.prefill((*model)->tokenizer().encode(text));
    if (!pre) return fail(pre.error().message);
    a.gen.stop_tokens.clear();
    auto gen = session.generate(a.gen, [&](int32_t id) {
      std::cout << (*model)->tokenizer().piece(id) << std::flush;
      return true;
    });
    if (!gen) return fail(gen.error().message);
    if (!a.quiet_stats) print_stats(*pre, *gen);
    return 0;
  }
  harmony::Conversation conv = start_conversation(a);
  conv.messages.push_back(harmony::Message::text(harmony::Role::User, text));
  auto ids = render(conv, (*model)->tokenizer());
  if (!ids) return fail(ids.error().message);
  auto messages = assistant_turn(session, **model, *ids, a);
  if (!messages) return fail(messages.error().message);
  std::cout << "\n";
  return 0;
}

// One user message -> the copilot loop's answer. Reasoning, tool calls and results go to stderr with
// --show-reasoning; the final answer to stdout.
int run_copilot_chat(ArgParser& args) {
  const std::string script = args.option("--script");
  const std::string db = args.option("--db");
  ChatArgs a;
  if (auto err = parse_chat_args(args, a, script.empty()); !err.empty()) return fail(err);
  const std::string prompt = args.option("--prompt");
  const std::string conversation_option = args.option("--conversation");
  const std::string max_steps = args.option("--max-steps", "8");
  if (!args.unknown().empty()) return fail("unknown option " + args.unknown()[0]);
  if (db.empty()) return fail("--db FILE is required: the store whose datasets the tools read and the chat is kept in");
  auto store = data::Store::open(db);
  if (!store) return fail(store.error().message);

  std::unique_ptr<app::TextGenerator> generator;
  if (!script.empty()) {
    auto tokenizer = tok::Tokenizer::from_tiktoken(tok::Tokenizer::bundled_tiktoken_path());
    if (!tokenizer) return fail(tokenizer.error().message);
    auto scripted = app::ScriptedGenerator::from_file(
        std::make_shared<const tok::Tokenizer>(std::move(tokenizer.value())), script);
    if (!scripted) return fail(scripted.error().message);
    generator = std::move(scripted.value());
  } else {
    auto model = load_for_cli(a.model, true);
    if (!model) return fail(model.error().message);
    generator = std::make_unique<app::EngineGenerator>(*model, SessionOptions{.context = a.model.context});
  }

  std::int64_t conversation = 0;
  if (!conversation_option.empty()) {
    try {
      conversation = std::stoll(conversation_option);
    } catch (const std::exception&) {
      return fail("--conversation takes a conversation id");
    }
    if (!store->conversation(conversation)) return fail("no conversation " + conversation_option + " in " + db);
  } else {
    auto id = store->create_conversation({prompt.empty() ? "tally-cli chat" : prompt.substr(0, 48),
                                          generator->description(), "{}"});
    if (!id) return fail(id.error().message);
    conversation = *id;
  }

  app::CopilotOptions options;
  options.build.effort = a.effort;
  options.build.date = a.system_date;
  options.generate = a.gen;
  try {
    options.max_steps = std::max(1, std::stoi(max_steps));
  } catch (const std::exception&) {
    return fail("--max-steps takes a whole number");
  }
  app::CopilotLoop loop(*store, *generator, options);
  std::string shown_channel;
  loop.set_event_sink([&](const app::CopilotEvent& e) {
    if (!a.show_reasoning) return;
    using Kind = app::CopilotEvent::Kind;
    if (e.kind == Kind::MessageStarted) std::fprintf(stderr, "\n[%s%s%s] ", e.channel.c_str(),
                                                     e.recipient.empty() ? "" : " to=", e.recipient.c_str());
    else if (e.kind == Kind::MessageDelta) std::fwrite(e.text.data(), 1, e.text.size(), stderr);
    else if (e.kind == Kind::ToolResult) std::fprintf(stderr, "\n[result %s] %s\n", e.tool.c_str(), e.result.substr(0, 2000).c_str());
    else if (e.kind == Kind::Error) std::fprintf(stderr, "\n[error] %s\n", e.text.c_str());
  });

  std::vector<std::string> questions;
  if (!prompt.empty()) {
    questions.push_back(prompt);
  } else {
    for (std::string line; std::getline(std::cin, line) && !line.empty();) questions.push_back(line);
  }
  if (questions.empty()) return fail("give a question with --prompt TEXT (or one per line on stdin)");
  for (const auto& question : questions) {
    auto all = store->messages(conversation);
    if (!all) return fail(all.error().message);
    data::NewMessage m;
    m.conversation_id = conversation;
    m.role = "user";
    m.content = question;
    if (!all->empty()) m.parent_id = all->back().id;
    auto id = store->append_message(m);
    if (!id) return fail(id.error().message);
    auto outcome = loop.answer(conversation, *id);
    if (!outcome) return fail(outcome.error().message);
    if (a.show_reasoning) std::fprintf(stderr, "\n");
    std::cout << outcome->final_text << "\n" << std::flush;
    if (!a.quiet_stats) {
      const auto& st = outcome->stats;
      std::fprintf(stderr, "[conversation %lld: %d steps, prompt %lld tokens (%lld from cache), %lld tokens%s]\n",
                   static_cast<long long>(conversation), st.steps, static_cast<long long>(st.prompt_tokens),
                   static_cast<long long>(st.prompt_reused), static_cast<long long>(st.tokens),
                   outcome->hit_step_cap ? ", step cap reached" : "");
    }
  }
  return 0;
}

int run_chat(const Args& raw) {
  ArgParser args(raw);
  if (args.has_option("--script") || args.has_option("--db")) return run_copilot_chat(args);
  ChatArgs a;
  if (auto err = parse_chat_args(args, a); !err.empty()) return fail(err);
  if (!args.unknown().empty()) return fail("unknown option " + args.unknown()[0]);
  auto model = load_for_cli(a.model, false);
  if (!model) return fail(model.error().message);
  Session session(*model, {.context = a.model.context});
  harmony::Conversation conv = start_conversation(a);
  std::string line;
  std::fprintf(stderr, "chat with %s (%s); an empty line or end of input quits\n", (*model)->path().c_str(),
               (*model)->backend_name().c_str());
  while (std::fprintf(stderr, "\n> "), std::getline(std::cin, line) && !line.empty()) {
    conv.messages.push_back(harmony::Message::text(harmony::Role::User, line));
    auto ids = render(conv, (*model)->tokenizer());
    if (!ids) return fail(ids.error().message);
    auto messages = assistant_turn(session, **model, *ids, a);
    if (!messages) return fail(messages.error().message);
    for (auto& m : *messages) conv.messages.push_back(std::move(m));
  }
  return 0;
}

const Registration reg_generate{
    {"generate",
     "generate --model M --prompt T [--reasoning low|medium|high] [-n N] [--temp T] [--top-k K] [--top-p P] "
     "[--min-p P] [--seed S] [--show-reasoning] [--raw]",
     &run_generate}};
const Registration reg_chat{
    {"chat",
     "chat --model M [same options as generate] | chat --db DB (--model M | --script FILE) [--prompt TEXT] "
     "[--conversation ID] [--max-steps N] [--show-reasoning]",
     &run_chat}};

}  // namespace
}  // namespace tally::cli
