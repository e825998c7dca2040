#include "ui/chat/conversation_thread.h"

#include <algorithm>
#include <map>
#include <set>

namespace tally::ui {

std::vector<ThreadEntry> visibleThread(const std::vector<tally::data::Message>& messages) {
  std::map<std::int64_t, std::size_t> index;  // id -> position
  bool linked = false;
  for (std::size_t i = 0; i < messages.size(); ++i) {
    index[messages[i].id] = i;
    linked = linked || messages[i].parent_id.has_value();
  }

  std::vector<std::size_t> path;
  if (linked) {
    // Every message is appended below the branch being answered, so the newest message is the leaf of the branch
    // the user last worked on: its ancestors are the thread (the copilot builds the prompt from the same path).
    std::set<std::int64_t> seen;
    for (auto at = messages.empty() ? index.end() : index.find(messages.back().id); at != index.end();) {
      const auto& m = messages[at->second];
      if (!seen.insert(m.id).second) break;  // a cycle in damaged data: stop rather than loop
      path.push_back(at->second);
      at = m.parent_id ? index.find(*m.parent_id) : index.end();
    }
    std::reverse(path.begin(), path.end());
  } else {
    for (std::size_t i = 0; i < messages.size(); ++i) path.push_back(i);
  }

  std::vector<ThreadEntry> out;
  for (std::size_t i : path) {
    const auto& m = messages[i];
    if (m.role == "system" || m.role == "developer") continue;
    ThreadEntry e;
    e.message = &m;
    if (linked && m.role == "user") {
      // Versions of a question: user messages with the same parent (an edit is stored beside the original).
      int count = 0;
      for (const auto& other : messages) {
        if (other.role != "user" || other.parent_id != m.parent_id) continue;
        ++count;
        if (other.id == m.id) e.branch = count;
      }
      e.branches = count;
    }
    out.push_back(e);
  }
  return out;
}

}  // namespace tally::ui
