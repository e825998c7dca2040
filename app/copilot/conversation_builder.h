#pragma once
// Turns a conversation as the store keeps it into the harmony conversation the model reads: a system message (date,
// reasoning effort), a developer message (the analyst instructions, the datasets with their columns, the function
// tools: the data layer's tools plus make_chart), then the branch's messages under harmony's history rule —
// analysis from finished turns is dropped, analysis inside the current turn (between tool calls) is kept.
//
// Everything taken from data (dataset and column names, cells, tool results) goes in as text content, which the
// renderer encodes as ordinary text: a cell holding "<|start|>" reaches the model as plain characters.
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include "harmony/message.h"
#include "tally/data/store.h"
#include "tally/result.h"
#include "tokenizer/tokenizer.h"

namespace tally::app {

struct DatasetInfo {
  data::Dataset dataset;
  std::vector<data::DatasetColumn> columns;
};

struct BuildOptions {
  harmony::ReasoningEffort effort = harmony::ReasoningEffort::Medium;
  std::string date;                   // YYYY-MM-DD; "" = today (local time)
  std::size_t tool_result_tokens = 2000;  // a longer tool result is cut, with a note saying what was cut
  std::size_t max_listed_datasets = 30;
  std::size_t max_listed_columns = 80;    // per dataset
};

std::string today_iso_date();
std::optional<harmony::ReasoningEffort> effort_from_name(const std::string& name);

// Every dataset in the store with its columns, in the store's order.
Result<std::vector<DatasetInfo>> load_datasets(const data::Store& store);

// The messages from the root down to `leaf_id` along parent links (the branch the leaf is on), root first.
// Without parent links (ids only), the order of `all` is kept up to the leaf.
std::vector<data::Message> branch_path(const std::vector<data::Message>& all, std::int64_t leaf_id);

class ConversationBuilder {
 public:
  ConversationBuilder(const tok::Tokenizer& tokenizer, BuildOptions options);

  // The function tools in the order the developer message lists them.
  static harmony::ToolNamespaceConfig function_tools();
  std::string developer_instructions(const std::vector<DatasetInfo>& datasets) const;

  // `path`: the branch, root first (see branch_path). The current turn is everything after the last user message.
  harmony::Conversation build(const std::vector<DatasetInfo>& datasets, const std::vector<data::Message>& path) const;

  // A stored tool result as the model sees it: the chart spec and provenance left out (the UI's, not the
  // model's), then capped at tool_result_tokens tokens.
  std::string model_view_of_tool_result(const std::string& stored_content) const;
  // Cuts `text` to at most `max_tokens` tokens (at a character boundary) and appends a note naming what was cut.
  std::string cap_tokens(const std::string& text, std::size_t max_tokens) const;

 private:
  const tok::Tokenizer& tokenizer_;
  BuildOptions options_;
};

}  // namespace tally::app
