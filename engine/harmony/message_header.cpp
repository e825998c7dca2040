#include "harmony/message_header.h"

#include <string_view>
#include <vector>

#include "harmony/utf8_text.h"

namespace tally::harmony {

namespace {

constexpr std::string_view kChannelMarker = "<|channel|>";
constexpr std::string_view kConstrainMarker = "<|constrain|>";

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

// Removes "<|channel|>NAME" from the header and returns NAME.
Result<std::optional<std::string>> take_channel(std::string& header) {
  const size_t idx = header.find(kChannelMarker);
  if (idx == std::string::npos) return std::optional<std::string>{};
  const size_t value_start = idx + kChannelMarker.size();
  const std::string_view after = std::string_view(header).substr(value_start);
  size_t end = 0;
  while (end < after.size()) {
    size_t len = 1;
    const char32_t c = utf8_char_at(after, end, len);
    if (c == U'<' || is_unicode_whitespace(c)) break;
    end += len;
  }
  if (end == 0) return make_error("channel marker present but no channel value found in header");
  std::string channel(after.substr(0, end));
  header = header.substr(0, idx) + std::string(after.substr(end));
  return std::optional<std::string>{std::move(channel)};
}

// "to=foo<|constrain|>json" has no space before the marker; give it one so the content type is its own word.
void separate_constrain_marker(std::string& header) {
  if (header.find(kConstrainMarker) == std::string::npos) return;
  std::string out;
  size_t pos = 0;
  for (size_t idx; (idx = header.find(kConstrainMarker, pos)) != std::string::npos; pos = idx + kConstrainMarker.size()) {
    out.append(header, pos, idx - pos);
    out += ' ';
    out.append(kConstrainMarker);
  }
  out.append(header, pos, std::string::npos);
  header = std::string(trim_unicode_whitespace(out));
}

// Rust's split_ascii_whitespace: space, \t, \n, \f, \r (not \v).
std::vector<std::string> split_words(std::string_view s) {
  auto is_space = [](char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\f' || c == '\r'; };
  std::vector<std::string> out;
  size_t i = 0;
  while (i < s.size()) {
    while (i < s.size() && is_space(s[i])) ++i;
    size_t start = i;
    while (i < s.size() && !is_space(s[i])) ++i;
    if (i > start) out.emplace_back(s.substr(start, i - start));
  }
  return out;
}

std::optional<std::string> join_words(const std::vector<std::string>& words) {
  if (words.empty()) return std::nullopt;
  std::string out;
  for (size_t i = 0; i < words.size(); ++i) {
    if (i) out += ' ';
    out += words[i];
  }
  return out;
}

std::string strip_to(const std::string& word) { return starts_with(word, "to=") ? word.substr(3) : word; }

}  // namespace

Result<HeaderParse> parse_message_header(std::string header, std::optional<Role> known_role,
                                         bool split_recipient_and_type) {
  HeaderParse out;
  auto channel = take_channel(header);
  if (!channel) return channel.error();
  out.header.channel = std::move(channel.value());

  header = std::string(trim_unicode_whitespace(header));
  separate_constrain_marker(header);
  std::vector<std::string> words = split_words(header);

  std::optional<std::string> role_word;
  Role role = Role::Assistant;
  if (known_role) {
    role = *known_role;
  } else {
    if (words.empty()) return make_error("message header did not contain a role");
    role_word = words.front();
    if (auto r = role_from_name(*role_word)) {
      role = *r;
    } else if (words.size() > 1 || starts_with(words.front(), "to=")) {
      // An unknown first word followed by more header is a tool speaking: "browser.search to=assistant".
      words.erase(words.begin());
      role = Role::Tool;
    } else {
      return make_error("unknown role '" + *role_word + "' in message header");
    }
  }
  if (!words.empty() && words.front() == role_name(role)) words.erase(words.begin());

  if (split_recipient_and_type && !words.empty()) {
    const size_t count = words.size();
    std::string last = std::move(words.back());
    words.pop_back();
    if (starts_with(last, "to=")) {
      out.header.recipient = last.substr(3);
    } else if (count == 1 && !starts_with(last, kConstrainMarker)) {
      out.header.recipient = std::move(last);  // a lone bare word is a recipient
    } else {
      out.header.content_type = std::move(last);
      if (!words.empty()) {
        out.header.recipient = strip_to(words.back());
        words.pop_back();
      }
    }
  }
  out.remaining = join_words(words);
  out.header.role = role;
  if (role == Role::Tool) out.header.name = role_word;
  return out;
}

}  // namespace tally::harmony
