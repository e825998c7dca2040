#include "tally/data/text_search.h"

#include <vector>

#include "utf8_walk.h"

namespace tally::data {

using detail::utf8_next;

bool is_cjk_codepoint(char32_t c) {
  return (c >= 0xAC00 && c <= 0xD7A3)     // Hangul syllables
         || (c >= 0x1100 && c <= 0x11FF)  // Hangul jamo
         || (c >= 0x3130 && c <= 0x318F)  // Hangul compatibility jamo
         || (c >= 0x3040 && c <= 0x30FF)  // Hiragana, Katakana
         || (c >= 0x3400 && c <= 0x4DBF)  // CJK extension A
         || (c >= 0x4E00 && c <= 0x9FFF)  // CJK unified ideographs
         || (c >= 0xF900 && c <= 0xFAFF)  // CJK compatibility ideographs
         || (c >= 0x20000 && c <= 0x2FFFF);
}

namespace {

// Byte ranges of the characters of each CJK run in `text`.
std::vector<std::vector<std::string_view>> cjk_runs(std::string_view text) {
  std::vector<std::vector<std::string_view>> runs;
  bool in_run = false;
  for (std::size_t i = 0; i < text.size();) {
    auto step = utf8_next(text, i);
    if (is_cjk_codepoint(step.codepoint)) {
      if (!in_run) runs.emplace_back();
      runs.back().push_back(text.substr(i, step.length));
      in_run = true;
    } else {
      in_run = false;
    }
    i += step.length;
  }
  return runs;
}

void append_bigrams(const std::vector<std::string_view>& run, std::string& out) {
  if (run.size() == 1) {
    out.append(run[0]);
    out.push_back(' ');
    return;
  }
  for (std::size_t k = 0; k + 1 < run.size(); ++k) {
    out.append(run[k]);
    out.append(run[k + 1]);
    out.push_back(' ');
  }
}

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }

// A segment worth quoting: it has at least one character unicode61 keeps as a token character.
bool has_token_chars(std::string_view s) {
  for (char c : s) {
    auto u = static_cast<unsigned char>(c);
    if (u >= 0x80 || (c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')) return true;
  }
  return false;
}

void append_quoted(std::string_view s, std::string& out) {
  out.push_back('"');
  for (char c : s) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
}

void append_term(std::string_view term, std::string& out) {
  std::size_t plain_start = 0;
  auto flush_plain = [&](std::size_t end) {
    std::string_view plain = term.substr(plain_start, end - plain_start);
    if (has_token_chars(plain)) {
      if (!out.empty()) out.push_back(' ');
      append_quoted(plain, out);
    }
  };
  for (std::size_t i = 0; i < term.size();) {
    auto step = utf8_next(term, i);
    if (!is_cjk_codepoint(step.codepoint)) {
      i += step.length;
      continue;
    }
    flush_plain(i);
    std::vector<std::string_view> run;
    while (i < term.size()) {
      auto s = utf8_next(term, i);
      if (!is_cjk_codepoint(s.codepoint)) break;
      run.push_back(term.substr(i, s.length));
      i += s.length;
    }
    plain_start = i;
    if (!out.empty()) out.push_back(' ');
    if (run.size() == 1) {
      append_quoted(run[0], out);
      out.push_back('*');
    } else {
      std::string phrase;
      append_bigrams(run, phrase);
      phrase.pop_back();
      append_quoted(phrase, out);
    }
  }
  flush_plain(term.size());
}

}  // namespace

std::string fts_index_text(std::string_view text) {
  std::string out(text);
  auto runs = cjk_runs(text);
  if (runs.empty()) return out;
  out.push_back('\n');
  for (const auto& run : runs) append_bigrams(run, out);
  return out;
}

std::string fts_match_expression(std::string_view query) {
  std::string out;
  std::size_t i = 0;
  while (i < query.size()) {
    while (i < query.size() && is_space(query[i])) ++i;
    std::size_t start = i;
    while (i < query.size() && !is_space(query[i])) ++i;
    if (i > start) append_term(query.substr(start, i - start), out);
  }
  return out;
}

}  // namespace tally::data
