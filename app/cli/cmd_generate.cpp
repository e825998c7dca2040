// tally-cli generate / chat: harmony conversations with streaming output. The analysis channel (the model's
// reasoning) goes to stderr when --show-reasoning is given; the final answer goes to stdout.
#include <chrono>
#include <cstdio>
#include <ctime>
#include <iostream>

#include "cli/model_args.h"
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

std::string parse_chat_args(ArgParser& args, ChatArgs& out) {
  if (auto err = parse_model_args(args, out.model); !err.empty()) return err;
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

int run_chat(const Args& raw) {
  ArgParser args(raw);
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
const Registration reg_chat{{"chat", "chat --model M [same options as generate]", &run_chat}};

}  // namespace
}  // namespace tally::cli
