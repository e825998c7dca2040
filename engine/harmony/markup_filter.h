#pragma once
// Keeps harmony control-token text ("<|start|>", "<|channel|>", any `<|name|>`) out of streamed content. A model
// sometimes writes a control token as ordinary text tokens; shown to the analyst it is markup noise, and passed
// on it can confuse the next prompt. Text that might be the beginning of such a marker is held back until the
// marker completes (then dropped) or cannot (then released), so a delta never carries part of one.
#include <string>
#include <string_view>

namespace tally::harmony {

class MarkupFilter {
 public:
  // Returns the text that is safe to show now; may be empty while a possible marker is pending.
  std::string feed(std::string_view text);
  // The message ended: whatever is still held is plain text after all.
  std::string flush();
  bool holding() const { return !held_.empty(); }
  int removed() const { return removed_; }

 private:
  std::string held_;
  int removed_ = 0;
};

// The whole text with every `<|name|>` marker removed.
std::string strip_markup(std::string_view text);

}  // namespace tally::harmony
