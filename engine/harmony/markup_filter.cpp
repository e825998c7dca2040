#include "harmony/markup_filter.h"

namespace tally::harmony {

namespace {

constexpr size_t kMaxName = 40;

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

enum class Match { None, Partial, Full };

// Whether text at `pos` is a whole `<|name|>` marker (len set), could still become one, or cannot.
Match match_at(std::string_view s, size_t pos, size_t& len) {
  const size_t n = s.size();
  if (s[pos] != '<') return Match::None;
  if (pos + 1 == n) return Match::Partial;
  if (s[pos + 1] != '|') return Match::None;
  size_t i = pos + 2;
  while (i < n && is_name_char(s[i]) && i - pos - 2 < kMaxName) ++i;
  if (i == n) return Match::Partial;
  if (i == pos + 2 || s[i] != '|') return Match::None;
  if (i + 1 == n) return Match::Partial;
  if (s[i + 1] != '>') return Match::None;
  len = i + 2 - pos;
  return Match::Full;
}

}  // namespace

std::string MarkupFilter::feed(std::string_view text) {
  held_.append(text);
  std::string out;
  size_t i = 0;
  while (i < held_.size()) {
    size_t len = 0;
    switch (match_at(held_, i, len)) {
      case Match::Full:
        ++removed_;
        i += len;
        break;
      case Match::Partial:
        held_.erase(0, i);
        return out;
      case Match::None:
        out += held_[i++];
        break;
    }
  }
  held_.clear();
  return out;
}

std::string MarkupFilter::flush() {
  std::string out = std::move(held_);
  held_.clear();
  return out;
}

std::string strip_markup(std::string_view text) {
  MarkupFilter f;
  std::string out = f.feed(text);
  return out + f.flush();
}

}  // namespace tally::harmony
