#pragma once
// openai/harmony's own test cases, copied into tests/data/harmony (see its README.md): the rendering cases compare
// text byte for byte, the parse cases compare parsed messages.
#include <optional>
#include <string>
#include <vector>

#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "tokenizer/tokenizer.h"

namespace tally::harmony::testing {

struct HarmonyCase {
  std::string name;
  std::string mode;  // "completion", "conversation" or "parse"
  nlohmann::ordered_json spec;
};

std::string harmony_data_dir();
std::vector<HarmonyCase> harmony_cases(const std::string& mode);
// o200k_harmony from resources/, loaded once; nullptr (with the reason in `why`) when it cannot be built.
const tok::Tokenizer* harmony_tokenizer(std::string* why = nullptr);

// gtest parameter names allow only [A-Za-z0-9_].
std::string case_label(const HarmonyCase& c);
inline std::string case_param_label(const ::testing::TestParamInfo<HarmonyCase>& p) { return case_label(p.param); }

}  // namespace tally::harmony::testing
