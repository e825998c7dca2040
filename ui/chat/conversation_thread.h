#pragma once
// Which stored messages the chat shows. The store keeps every branch: an edited question is a new user message
// beside the old one (same parent), a regenerated answer is a new run of assistant messages answering the same user
// message. Messages link to their parent, so the chat shows the path from the first message to the newest one.
#include <cstdint>
#include <vector>

#include "tally/data/records.h"

namespace tally::ui {

struct ThreadEntry {
  const tally::data::Message* message = nullptr;
  int branch = 1;    // for user messages: 1-based index among the versions of this question
  int branches = 1;  // how many versions exist
};

// `messages` in store order (ids ascending). The pointers refer into `messages`.
std::vector<ThreadEntry> visibleThread(const std::vector<tally::data::Message>& messages);

}  // namespace tally::ui
