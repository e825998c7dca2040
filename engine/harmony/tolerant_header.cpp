#include "harmony/tolerant_header.h"

#include <algorithm>

#include "harmony/utf8_text.h"

namespace tally::harmony {

namespace {

constexpr std::string_view kChannelMarker = "<|channel|>";
constexpr std::string_view kConstrainMarker = "<|constrain|>";
constexpr size_t kMaxMarkerName = 40;

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

bool is_ascii_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; }

bool is_name_char(char c) {
  return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_';
}

// Length of the `<|name|>` marker starting at `pos`, or 0.
size_t marker_length_at(std::string_view s, size_t pos) {
  if (!starts_with(s.substr(pos), "<|")) return 0;
  size_t i = pos + 2;
  while (i < s.size() && i - pos - 2 <= kMaxMarkerName && is_name_char(s[i])) ++i;
  if (i == pos + 2 || !starts_with(s.substr(i), "|>")) return 0;
  return i + 2 - pos;
}

// Ends at whitespace or '<', as harmony reads a channel name.
size_t channel_value_end(std::string_view s, size_t from) {
  size_t end = from;
  while (end < s.size()) {
    size_t len = 1;
    const char32_t c = utf8_char_at(s, end, len);
    if (c == U'<' || is_unicode_whitespace(c)) break;
    end += len;
  }
  return end;
}

std::vector<std::string> split_words(std::string_view s) {
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_ascii_space(s[i])) ++i;
    const size_t start = i;
    while (i < s.size() && !is_ascii_space(s[i])) ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

std::string join(const std::vector<std::string>& words) {
  std::string out;
  for (const auto& w : words) {
    if (!out.empty()) out += ' ';
    out += w;
  }
  return out;
}

// Takes every "<|channel|>NAME" out of the text (the last non-empty name wins: a model that repeats the marker
// is correcting itself) and turns every other control marker except <|constrain|> into a word break.
std::string take_markers(std::string_view in, std::optional<std::string>& channel, std::vector<std::string>& repairs) {
  std::string out;
  int channels = 0;
  size_t i = 0;
  while (i < in.size()) {
    const size_t len = marker_length_at(in, i);
    if (len == 0) {
      out += in[i++];
      continue;
    }
    const std::string_view marker = in.substr(i, len);
    if (marker == kChannelMarker) {
      const size_t end = channel_value_end(in, i + len);
      ++channels;
      if (end == i + len) {
        repairs.push_back("empty channel after <|channel|> ignored");
      } else {
        channel = std::string(in.substr(i + len, end - i - len));
      }
      out += ' ';
      i = end;
    } else if (marker == kConstrainMarker) {
      out += ' ';
      out += marker;
      i += len;
    } else {
      repairs.push_back("control token " + std::string(marker) + " inside the header ignored");
      out += ' ';
      i += len;
    }
  }
  if (channels > 1) repairs.push_back("several <|channel|> markers; kept the last channel '" + channel.value_or("") + "'");
  return out;
}

bool is_known_tool(std::string_view name, const std::vector<std::string>& known) {
  for (const auto& k : known) {
    if (name == k) return true;
    if (starts_with(name, "functions.") && name.substr(10) == k) return true;
  }
  return false;
}

bool looks_like_tool(std::string_view word, const std::vector<std::string>& known) {
  return is_known_tool(word, known) || (word.find('.') != std::string_view::npos && word.find('<') == std::string_view::npos);
}

bool looks_like_content_type(std::string_view word) {
  if (word.empty() || word.size() > 24) return false;
  return std::all_of(word.begin(), word.end(), [](char c) { return is_name_char(c) || c == '-' || c == '/' || c == '+'; });
}

// "functions.sql_queryjson" with "sql_query" known -> recipient "functions.sql_query", type "json".
void split_glued_content_type(MessageHeader& h, const std::vector<std::string>& known, std::vector<std::string>& repairs) {
  if (!h.recipient || is_known_tool(*h.recipient, known)) return;
  const std::string& r = *h.recipient;
  size_t best = 0;
  for (const auto& k : known) {
    for (const std::string& full : {k, "functions." + k}) {
      if (full.size() < r.size() && starts_with(r, full) && full.size() > best &&
          looks_like_content_type(std::string_view(r).substr(full.size()))) {
        best = full.size();
      }
    }
  }
  if (best == 0) return;
  const std::string suffix = r.substr(best);
  repairs.push_back("content type '" + suffix + "' was glued to the recipient '" + r + "'");
  if (!h.content_type) h.content_type = suffix == "json" ? std::string(kConstrainMarker) + suffix : suffix;
  h.recipient = r.substr(0, best);
}

}  // namespace

bool is_control_marker(std::string_view text) { return !text.empty() && marker_length_at(text, 0) == text.size(); }

TolerantHeader parse_header_tolerant(std::string_view raw, std::optional<Role> role,
                                     const std::vector<std::string>& known_tools, bool content_follows) {
  TolerantHeader out;
  const std::string text = utf8_lossy(raw);
  std::string rest = take_markers(text, out.header.channel, out.repairs);
  std::vector<std::string> words = split_words(rest);

  // A lone "<|constrain|>" followed by its value as the next word.
  for (size_t i = 0; i + 1 < words.size(); ++i) {
    if (words[i] == kConstrainMarker) {
      words[i] += words[i + 1];
      words.erase(words.begin() + static_cast<long>(i) + 1);
    }
  }

  std::optional<std::string> role_word;
  if (role) {
    out.header.role = *role;
  } else if (words.empty()) {
    out.header.role = Role::Assistant;
    out.repairs.push_back("header names no role; assumed assistant");
  } else if (auto r = role_from_name(words.front())) {
    out.header.role = *r;
    words.erase(words.begin());
  } else if (!starts_with(words.front(), "to=") && !starts_with(words.front(), kConstrainMarker) &&
             (words.size() > 1 || looks_like_tool(words.front(), known_tools))) {
    role_word = words.front();  // a tool speaking: "functions.sql_query to=assistant"
    words.erase(words.begin());
    out.header.role = Role::Tool;
    out.header.name = role_word;
  } else {
    out.header.role = Role::Assistant;
    out.repairs.push_back("header names no known role; assumed assistant");
  }
  // The role written again although it was known (a missing <|start|> left "assistant" in front).
  if (!words.empty() && role_from_name(words.front()) == out.header.role && !role_word) words.erase(words.begin());

  if (!content_follows) {
    if (!words.empty()) out.text = join(words);
    return out;
  }

  std::vector<std::string> others;
  for (auto& w : words) {
    if (starts_with(w, "to=")) {
      if (!out.header.recipient) {
        out.header.recipient = w.substr(3);
      } else {
        out.repairs.push_back("second recipient '" + w + "' ignored");
      }
    } else if (starts_with(w, kConstrainMarker)) {
      const std::string value = w.substr(kConstrainMarker.size());
      const std::string target = starts_with(value, "to=") ? value.substr(3) : value;
      if (value.empty()) {
        out.repairs.push_back("<|constrain|> without a content type ignored");
      } else if (!out.header.recipient && (starts_with(value, "to=") || looks_like_tool(target, known_tools))) {
        out.header.recipient = target;
        out.repairs.push_back("<|constrain|> stood where the recipient belongs: read '" + target + "' as the recipient");
      } else if (!out.header.content_type) {
        out.header.content_type = w;
      } else {
        out.repairs.push_back("second content type '" + w + "' ignored");
      }
    } else {
      others.push_back(std::move(w));
    }
  }
  // Bare words: harmony reads the last as the content type and a word before it as the recipient.
  if (!others.empty() && !out.header.content_type && (out.header.recipient || others.size() > 1) &&
      looks_like_content_type(others.back())) {
    out.header.content_type = others.back();
    others.pop_back();
  }
  if (!others.empty() && !out.header.recipient) {
    out.header.recipient = others.back();
    others.pop_back();
  }
  if (!others.empty()) out.repairs.push_back("unexpected text in the header ignored: '" + join(others) + "'");
  split_glued_content_type(out.header, known_tools, out.repairs);
  if (out.header.recipient && out.header.recipient->empty()) {
    out.header.recipient.reset();
    out.repairs.push_back("empty recipient 'to=' ignored");
  }
  return out;
}

}  // namespace tally::harmony
