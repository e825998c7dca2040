#pragma once
// A conversation as a Markdown document (File ▸ Export conversation): the branch the chat shows, questions and
// answers in full, reasoning left out, each tool call as a short quoted line.
#include <QString>

namespace tally::data {
class Store;
}

namespace tally::ui {

// Empty with `error` set when the conversation cannot be read.
QString conversationMarkdown(const tally::data::Store& store, qint64 conversationId, QString* error = nullptr);

}  // namespace tally::ui
