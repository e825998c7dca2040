// decode(encode(x)) == x for any bytes, and the merge order on long pieces, checked against a plain reference.
#include <gtest/gtest.h>

#include <random>
#include <string>
#include <unordered_map>

#include "o200k_fixture.h"

namespace tally::tok {
namespace {

using testing::o200k;

void append_utf8(std::string& s, char32_t cp) {
  if (cp < 0x80) {
    s.push_back(static_cast<char>(cp));
  } else if (cp < 0x800) {
    s.push_back(static_cast<char>(0xC0 | (cp >> 6)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else if (cp < 0x10000) {
    s.push_back(static_cast<char>(0xE0 | (cp >> 12)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  } else {
    s.push_back(static_cast<char>(0xF0 | (cp >> 18)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 12) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | ((cp >> 6) & 0x3F)));
    s.push_back(static_cast<char>(0x80 | (cp & 0x3F)));
  }
}

// Random valid UTF-8 drawn from the kinds of text that stress the splitter: Hangul, emoji with joiners and skin
// tones, combining marks, CR/LF runs, odd spaces, digits, contractions, and any scalar value at all.
std::string random_text(std::mt19937& rng) {
  static const std::vector<std::u32string> kPool = {
      U"a", U"Z", U" ", U"  ", U"\t", U"\n", U"\r\n", U"\r", U"\n\n\n", U"'s", U"'LL", U"0", U"12345",
      U"\uAC00", U"\uD55C\uAD6D\uC5B4", U"\u3131", U"\u1100\u1161",  // Hangul syllables, jamo
      U"\U0001F680", U"\U0001F44D\U0001F3FD", U"\U0001F468\u200D\U0001F469\u200D\U0001F467", U"\U0001F1F0\U0001F1F7",
      U"e\u0301", U"\u0301", U"\u0308\u0308", U"\u00A0", U"\u3000", U"\u2028", U"\u0085", U"\uFEFF", U"\u200B",
      U"\u65E5\u672C", U"\u0661\u0662", U"\uFF12", U".", U",", U"!?", U"/", U"<|start|>", U"\u017F", U"\u01C5"};
  std::uniform_int_distribution<int> len(0, 40);
  std::uniform_int_distribution<size_t> pick(0, kPool.size());
  std::uniform_int_distribution<uint32_t> any(0, 0x10FFFF);
  std::string s;
  for (int i = len(rng); i > 0; --i) {
    const size_t k = pick(rng);
    if (k == kPool.size()) {
      char32_t cp = any(rng);
      if (cp >= 0xD800 && cp <= 0xDFFF) cp = 0xFFFD;
      append_utf8(s, cp);
    } else {
      for (char32_t cp : kPool[k]) append_utf8(s, cp);
    }
  }
  return s;
}

TEST(TokenizerRoundTrip, RandomValidUtf8) {
  std::mt19937 rng(20251126);
  for (int i = 0; i < 3000; ++i) {
    const std::string text = random_text(rng);
    const auto ids = o200k().encode(text);
    ASSERT_EQ(o200k().decode(ids), text) << "case " << i;
    for (TokenId id : ids) ASSERT_FALSE(o200k().is_special(id)) << "case " << i;
  }
}

TEST(TokenizerRoundTrip, RandomBytesIncludingInvalidUtf8) {
  std::mt19937 rng(7);
  std::uniform_int_distribution<int> len(0, 64);
  std::uniform_int_distribution<int> byte(0, 255);
  for (int i = 0; i < 3000; ++i) {
    std::string text;
    for (int n = len(rng); n > 0; --n) text.push_back(static_cast<char>(byte(rng)));
    ASSERT_EQ(o200k().decode(o200k().encode(text)), text) << "case " << i;
  }
}

TEST(TokenizerRoundTrip, InvalidBytesBecomeTheirByteTokens) {
  // Each invalid byte is its own piece, hence exactly its single-byte token.
  const auto ids = o200k().encode("\xFF\xFE");
  ASSERT_EQ(ids.size(), 2u);
  EXPECT_EQ(o200k().piece(ids[0]), "\xFF");
  EXPECT_EQ(o200k().piece(ids[1]), "\xFE");
  EXPECT_EQ(o200k().decode(o200k().encode("caf\xC3")), "caf\xC3");  // truncated é at the end
}

TEST(TokenizerRoundTrip, EmbeddedNulBytes) {
  const std::string text("a\0b\0\0", 5);
  EXPECT_EQ(o200k().decode(o200k().encode(text)), text);
}

// tiktoken's merge loop written as plainly as possible, over a std::unordered_map.
std::vector<TokenId> reference_bpe(const std::unordered_map<std::string, TokenId>& ranks, const std::string& piece) {
  if (auto it = ranks.find(piece); it != ranks.end()) return {it->second};
  std::vector<std::string> parts;
  for (char c : piece) parts.emplace_back(1, c);
  for (;;) {
    size_t best = 0;
    TokenId best_rank = -1;
    for (size_t i = 0; i + 1 < parts.size(); ++i) {
      auto it = ranks.find(parts[i] + parts[i + 1]);
      if (it != ranks.end() && (best_rank < 0 || it->second < best_rank)) {
        best_rank = it->second;
        best = i;
      }
    }
    if (best_rank < 0) break;
    parts[best] += parts[best + 1];
    parts.erase(parts.begin() + static_cast<std::ptrdiff_t>(best) + 1);
  }
  std::vector<TokenId> out;
  for (const auto& p : parts) out.push_back(ranks.at(p));
  return out;
}

TEST(TokenizerRoundTrip, LongPiecesMergeLikeTheReference) {
  std::unordered_map<std::string, TokenId> ranks;
  for (TokenId id = 0; id < o200k().rank_count(); ++id) ranks.emplace(o200k().piece(id), id);
  std::mt19937 rng(3);
  const std::string letters = "abcdeeeeilmnorstuz";
  // Single pieces (no spaces) from short to well past the heap-based path's threshold.
  for (size_t n : {5u, 40u, 255u, 256u, 257u, 300u, 1200u}) {
    std::string piece;
    std::uniform_int_distribution<size_t> pick(0, letters.size() - 1);
    for (size_t i = 0; i < n; ++i) piece.push_back(letters[pick(rng)]);
    EXPECT_EQ(o200k().encode(piece), reference_bpe(ranks, piece)) << "length " << n;
  }
  const std::string as(700, 'a');
  EXPECT_EQ(o200k().encode(as), reference_bpe(ranks, as));
}

TEST(TokenizerRoundTrip, HugeSinglePieceStaysFast) {
  const std::string text(1 << 18, 'x');  // one 256 KiB piece: quadratic merging would take minutes
  const auto ids = o200k().encode(text);
  EXPECT_EQ(o200k().decode(ids), text);
}

}  // namespace
}  // namespace tally::tok
