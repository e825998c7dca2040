#include "harmony_cases.h"

#include <cctype>
#include <fstream>
#include <memory>
#include <mutex>

#include "fixtures.h"

namespace tally::harmony::testing {

std::string harmony_data_dir() { return ::tally::testing::test_data_dir() + "/harmony"; }

std::vector<HarmonyCase> harmony_cases(const std::string& mode) {
  std::vector<HarmonyCase> out;
  std::ifstream in(harmony_data_dir() + "/cases.json");
  if (!in) return out;
  auto all = nlohmann::ordered_json::parse(in, nullptr, false);
  if (!all.is_array()) return out;
  for (const auto& c : all) {
    const std::string m = c.value("mode", "");
    const bool is_render = m == "completion" || m == "conversation";
    if (m == mode || (mode == "render" && is_render)) out.push_back({c.value("name", ""), m, c});
  }
  return out;
}

const tok::Tokenizer* harmony_tokenizer(std::string* why) {
  static std::once_flag once;
  static std::unique_ptr<tok::Tokenizer> tokenizer;
  static std::string error;
  std::call_once(once, [] {
    auto t = tok::Tokenizer::from_tiktoken(::tally::testing::resources_dir() + "/tokenizer/o200k_base.tiktoken");
    if (t) {
      tokenizer = std::make_unique<tok::Tokenizer>(std::move(t.value()));
    } else {
      error = t.error().message;
    }
  });
  if (why) *why = error;
  return tokenizer.get();
}

std::string case_label(const HarmonyCase& c) {
  std::string s = c.name;
  for (char& ch : s) {
    if (!std::isalnum(static_cast<unsigned char>(ch))) ch = '_';
  }
  return s;
}

}  // namespace tally::harmony::testing
