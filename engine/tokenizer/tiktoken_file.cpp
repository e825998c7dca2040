// Tokenizer::from_tiktoken: o200k_base.tiktoken ("<base64 bytes> <rank>" per line) plus the harmony specials.
#include <fstream>
#include <sstream>
#include <utility>

#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_impl.h"

namespace tally::tok {

namespace {

// -1 for characters outside the standard base64 alphabet.
int base64_value(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool decode_base64(std::string_view text, std::string& out) {
  out.clear();
  uint32_t acc = 0;
  int bits = 0;
  size_t i = 0;
  for (; i < text.size() && text[i] != '='; ++i) {
    const int v = base64_value(text[i]);
    if (v < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(v);
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      out.push_back(static_cast<char>((acc >> bits) & 0xFF));
    }
  }
  for (; i < text.size(); ++i) {
    if (text[i] != '=') return false;
  }
  return !out.empty();
}

// The harmony specials by id; the ids between them are <|reserved_N|> (filled in by Tokenizer::finish).
constexpr std::pair<TokenId, const char*> kHarmonySpecials[] = {
    {199998, "<|startoftext|>"}, {199999, "<|endoftext|>"}, {200002, "<|return|>"},  {200003, "<|constrain|>"},
    {200005, "<|channel|>"},     {200006, "<|start|>"},     {200007, "<|end|>"},     {200008, "<|message|>"},
    {200012, "<|call|>"},        {200018, "<|endofprompt|>"},
};

}  // namespace

std::string Tokenizer::harmony_special_literal(TokenId id) {
  for (const auto& [sid, literal] : kHarmonySpecials) {
    if (sid == id) return literal;
  }
  return "<|reserved_" + std::to_string(id) + "|>";
}

Result<Tokenizer> Tokenizer::from_tiktoken(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot open tiktoken file");
  std::stringstream ss;
  ss << in.rdbuf();
  const std::string text = ss.str();
  if (text.empty()) return make_error(path + ": empty (or unreadable) tiktoken file");

  auto impl = std::make_unique<Impl>();
  impl->ranks.reserve(kO200kRankCount + 16, text.size());
  impl->pieces.reserve(kHarmonyVocabSize);
  std::string bytes;
  size_t line_no = 0;
  for (size_t pos = 0; pos < text.size();) {
    size_t eol = text.find('\n', pos);
    if (eol == std::string::npos) eol = text.size();
    std::string_view line(text.data() + pos, eol - pos);
    pos = eol + 1;
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.remove_suffix(1);
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    auto where = [&] { return path + ":" + std::to_string(line_no); };
    if (space == std::string_view::npos) return make_error(where() + ": expected '<base64> <rank>'");
    if (!decode_base64(line.substr(0, space), bytes)) return make_error(where() + ": bad base64 token");
    std::string_view digits = line.substr(space + 1);
    if (digits.empty() || digits.size() > 9) return make_error(where() + ": bad rank");
    TokenId rank = 0;
    for (char c : digits) {
      if (c < '0' || c > '9') return make_error(where() + ": bad rank");
      rank = rank * 10 + (c - '0');
    }
    if (rank >= kHarmonySpecials[0].first) return make_error(where() + ": rank collides with the harmony specials");
    std::string err = impl->add_rank(bytes, rank);
    if (!err.empty()) return make_error(where() + ": " + err);
  }
  for (const auto& [id, literal] : kHarmonySpecials) {
    std::string err = impl->add_special(literal, id);
    if (!err.empty()) return make_error(path + ": " + err);
  }
  return finish(std::move(impl), path);
}

}  // namespace tally::tok
