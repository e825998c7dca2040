#pragma once
// The o200k_harmony tokenizer built once per test binary from the committed resources/tokenizer file.
#include <gtest/gtest.h>

#include <cstdlib>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "fixtures.h"
#include "tokenizer/tokenizer.h"

namespace tally::tok::testing {

inline const Tokenizer& o200k() {
  static const Tokenizer t = [] {
    auto r = Tokenizer::from_tiktoken(Tokenizer::bundled_tiktoken_path());
    if (!r.ok()) {
      ADD_FAILURE() << r.error().message;
      std::abort();
    }
    return std::move(r).value();
  }();
  return t;
}

struct GoldenCase {
  std::string text;
  std::vector<TokenId> ids;
};

// tests/data/tokenizer/tok_golden.json: tiktoken's o200k_harmony encodings of tricky strings.
inline std::vector<GoldenCase> golden_cases() {
  const auto doc = nlohmann::json::parse(::tally::testing::read_file(::tally::testing::test_data_dir() +
                                                                     "/tokenizer/tok_golden.json"));
  std::vector<GoldenCase> out;
  for (const auto& c : doc.at("cases")) out.push_back({c.at("text").get<std::string>(), c.at("ids").get<std::vector<TokenId>>()});
  return out;
}

inline std::vector<TokenId> harmony_ko_ids() {
  const auto doc = nlohmann::json::parse(::tally::testing::read_file(::tally::testing::test_data_dir() +
                                                                     "/tokenizer/harmony_ko.json"));
  return doc.at("ids").get<std::vector<TokenId>>();
}

}  // namespace tally::tok::testing
