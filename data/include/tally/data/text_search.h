#pragma once
// Korean-aware full-text indexing on top of FTS5's unicode61 tokenizer. unicode61 keeps a Hangul run as one token
// ("매출이"), so the two-syllable word "매출" would never match; the trigram tokenizer cannot match two-syllable
// queries either (docs/toolchain.md). So the indexed text is the original text followed by the bigrams of every
// CJK run ("매출이" -> "매출 출이"), and a CJK query term becomes a phrase of its bigrams: "매출" matches the
// token "매출", "매출이" matches the consecutive bigrams "매출 출이".
#include <string>
#include <string_view>

namespace tally::data {

// True for Hangul (syllables and jamo), CJK ideographs, kana.
bool is_cjk_codepoint(char32_t c);

// The text to index: `text`, then the bigrams of its CJK runs (single-character runs as themselves).
std::string fts_index_text(std::string_view text);

// An FTS5 MATCH expression for a user's query: every whitespace-separated term must match (AND); CJK runs become
// bigram phrases, a single CJK character a prefix query, other text a quoted literal. "" for an empty query.
std::string fts_match_expression(std::string_view query);

}  // namespace tally::data
