// `tally-cli render CONV.json`: shows the exact prompt gpt-oss would read for a harmony conversation (the JSON
// shape of openai/harmony), as text or as token ids. For checking prompts and tool schemas by eye.
#include <iostream>

#include "cli/command.h"
#include "tally/resources.h"
#include "harmony/message_json.h"
#include "harmony/renderer.h"
#include "tokenizer/tokenizer.h"

namespace tally::cli {
namespace {

int run_render(const Args& args) {
  ArgParser parser(args);
  const bool want_ids = parser.flag("--ids");
  const bool keep_analysis = parser.flag("--keep-analysis");
  const std::string next_role = parser.option("--next-role", "assistant");
  if (auto unknown = parser.unknown(); !unknown.empty()) return fail("render: unknown option " + unknown.front());
  const auto files = parser.positionals();
  if (files.size() != 1) return fail("usage: tally-cli render CONV.json [--ids] [--next-role ROLE|none] [--keep-analysis]");

  auto conv = harmony::load_conversation(files.front());
  if (!conv) return fail(conv.error().message);

  harmony::RenderOptions options;
  options.auto_drop_analysis = !keep_analysis;
  const harmony::HarmonyRenderer renderer(options);
  Result<harmony::RenderedPrompt> rendered = make_error("");
  if (next_role == "none") {
    rendered = renderer.render_conversation(conv.value());
  } else {
    auto role = harmony::role_from_name(next_role);
    if (!role) return fail("render: unknown role '" + next_role + "' (user, assistant, system, developer, tool, none)");
    rendered = renderer.render_conversation_for_completion(conv.value(), *role);
  }
  if (!rendered) return fail(files.front() + ": " + rendered.error().message);

  if (!want_ids) {
    std::cout << rendered.value().text() << "\n";
    return 0;
  }
  const std::string vocab = tally::resources_dir() + "/tokenizer/o200k_base.tiktoken";
  auto tokenizer = tok::Tokenizer::from_tiktoken(vocab);
  if (!tokenizer) return fail(tokenizer.error().message);
  const auto ids = rendered.value().ids(tokenizer.value());
  for (size_t i = 0; i < ids.size(); ++i) std::cout << (i ? " " : "") << ids[i];
  std::cout << "\n";
  return 0;
}

const Registration reg{{"render", "render CONV.json [--ids] [--next-role ROLE|none] [--keep-analysis]", &run_render}};

}  // namespace
}  // namespace tally::cli
