#include "synth/byte_level_vocab.h"

#include <algorithm>
#include <array>
#include <fstream>
#include <unordered_map>

namespace tally::synth {

namespace {

int base64_digit(char c) {
  if (c >= 'A' && c <= 'Z') return c - 'A';
  if (c >= 'a' && c <= 'z') return c - 'a' + 26;
  if (c >= '0' && c <= '9') return c - '0' + 52;
  if (c == '+') return 62;
  if (c == '/') return 63;
  return -1;
}

bool base64_decode(std::string_view in, std::string& out) {
  out.clear();
  uint32_t acc = 0;
  int nbits = 0;
  for (char c : in) {
    if (c == '=') break;
    const int d = base64_digit(c);
    if (d < 0) return false;
    acc = (acc << 6) | static_cast<uint32_t>(d);
    nbits += 6;
    if (nbits >= 8) {
      nbits -= 8;
      out.push_back(static_cast<char>((acc >> nbits) & 0xFF));
    }
  }
  return !out.empty();
}

void append_utf8(std::string& out, uint32_t cp) {
  if (cp < 0x80) {
    out.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    out.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    out.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    out.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    out.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

std::array<std::string, 256> byte_alphabet() {
  std::array<std::string, 256> table;
  uint32_t next = 256;
  for (uint32_t b = 0; b < 256; ++b) {
    const bool printable = (b >= 33 && b <= 126) || (b >= 161 && b <= 172) || (b >= 174);
    append_utf8(table[b], printable ? b : next++);
  }
  return table;
}

}  // namespace

Result<std::vector<std::string>> read_tiktoken_ranks(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot open the tiktoken ranks file");
  std::vector<std::string> ranks;
  std::string line, bytes;
  size_t line_no = 0;
  while (std::getline(in, line)) {
    ++line_no;
    if (!line.empty() && line.back() == '\r') line.pop_back();
    if (line.empty()) continue;
    const size_t space = line.find(' ');
    const std::string where = path + ":" + std::to_string(line_no) + ": ";
    if (space == std::string::npos) return make_error(where + "expected '<base64> <rank>'");
    if (!base64_decode(std::string_view(line).substr(0, space), bytes)) return make_error(where + "bad base64");
    const std::string rank_text = line.substr(space + 1);
    if (rank_text.empty() || rank_text.size() > 9 ||
        !std::all_of(rank_text.begin(), rank_text.end(), [](char c) { return c >= '0' && c <= '9'; })) {
      return make_error(where + "bad rank '" + rank_text + "'");
    }
    if (std::stoul(rank_text) != ranks.size()) {
      return make_error(where + "rank " + rank_text + " out of order (expected " + std::to_string(ranks.size()) + ")");
    }
    ranks.push_back(bytes);
  }
  if (ranks.size() < 256) return make_error(path + ": only " + std::to_string(ranks.size()) + " ranks");
  return ranks;
}

std::string byte_level_text(std::string_view bytes) {
  static const std::array<std::string, 256> alphabet = byte_alphabet();
  std::string out;
  out.reserve(bytes.size() * 2);
  for (char c : bytes) out += alphabet[static_cast<uint8_t>(c)];
  return out;
}

std::vector<std::pair<uint32_t, uint32_t>> derive_merges(const std::vector<std::string>& ranks) {
  std::unordered_map<std::string_view, uint32_t> rank_of;
  rank_of.reserve(ranks.size() * 2);
  for (uint32_t r = 0; r < ranks.size(); ++r) rank_of.emplace(ranks[r], r);

  std::vector<std::pair<uint32_t, uint32_t>> merges, local;
  merges.reserve(ranks.size() * 3);
  for (const std::string& token : ranks) {
    if (token.size() < 2) continue;
    local.clear();
    const std::string_view t(token);
    for (size_t cut = 1; cut < t.size(); ++cut) {
      const auto l = rank_of.find(t.substr(0, cut));
      if (l == rank_of.end()) continue;
      const auto r = rank_of.find(t.substr(cut));
      if (r == rank_of.end()) continue;
      local.emplace_back(l->second, r->second);
    }
    std::sort(local.begin(), local.end());
    merges.insert(merges.end(), local.begin(), local.end());
  }
  return merges;
}

std::vector<SpecialToken> harmony_specials() {
  std::vector<SpecialToken> out;
  for (uint32_t id = kBosId; id <= 200018; ++id) {
    std::string text;
    switch (id) {
      case 199998: text = "<|startoftext|>"; break;
      case 199999: text = "<|endoftext|>"; break;
      case 200002: text = "<|return|>"; break;
      case 200003: text = "<|constrain|>"; break;
      case 200005: text = "<|channel|>"; break;
      case 200006: text = "<|start|>"; break;
      case 200007: text = "<|end|>"; break;
      case 200008: text = "<|message|>"; break;
      case 200012: text = "<|call|>"; break;
      case 200018: text = "<|endofprompt|>"; break;
      default: text = "<|reserved_" + std::to_string(id) + "|>"; break;
    }
    out.push_back({id, std::move(text)});
  }
  return out;
}

}  // namespace tally::synth
