#pragma once
// Shared by the copilot and worker tests: the bundled o200k tokenizer (loaded once per process), a scratch store
// with the sample sales dataset imported through the real CSV importer, and script helpers.
#include <gtest/gtest.h>

#include <filesystem>
#include <fstream>
#include <memory>
#include <optional>
#include <string>

#include "fixtures.h"
#include "tally/data/csv_import.h"
#include "tally/data/store.h"
#include "tokenizer/tokenizer.h"

namespace tally::testing {

inline std::shared_ptr<const tok::Tokenizer> bundled_tokenizer() {
  static std::shared_ptr<const tok::Tokenizer> tokenizer = [] {
    auto t = tok::Tokenizer::from_tiktoken(resources_dir() + "/tokenizer/o200k_base.tiktoken");
    return t.ok() ? std::make_shared<const tok::Tokenizer>(std::move(t.value())) : nullptr;
  }();
  return tokenizer;
}

struct SampleStore {
  std::string path;
  std::optional<data::Store> store;
  std::string table;  // the sample dataset's table
};

// A fresh store under the scratch area; with `csv` (default: the bundled sample) imported.
inline SampleStore sample_store(const std::string& name, const std::string& csv = resources_dir() +
                                                                                  "/samples/sales_monthly.csv") {
  SampleStore s;
  s.path = scratch_dir(name) + "/tally.db";
  auto opened = data::Store::open(s.path);
  EXPECT_TRUE(opened.ok()) << (opened.ok() ? "" : opened.error().message);
  if (!opened.ok()) return s;
  s.store.emplace(std::move(opened.value()));
  if (csv.empty()) return s;
  data::CsvImporter importer(*s.store);
  auto outcome = importer.import_file(csv);
  EXPECT_TRUE(outcome.ok()) << (outcome.ok() ? "" : outcome.error().message);
  if (outcome.ok()) s.table = outcome->table_name;
  return s;
}

inline std::string replace_all(std::string text, const std::string& what, const std::string& with) {
  for (auto at = text.find(what); at != std::string::npos; at = text.find(what, at + with.size()))
    text.replace(at, what.size(), with);
  return text;
}

inline std::string write_text(const std::string& path, const std::string& text) {
  std::ofstream(path, std::ios::binary) << text;
  return path;
}

}  // namespace tally::testing
