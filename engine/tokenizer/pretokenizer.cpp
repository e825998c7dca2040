#include "tokenizer/pretokenizer.h"

#include "tokenizer/unicode_class.h"
#include "tokenizer/utf8.h"

namespace tally::tok {

namespace {

constexpr size_t kNoMatch = static_cast<size_t>(-1);

struct Char {
  CharClass cls;
  char32_t cp;
  size_t len;
};

// [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}]
bool is_upperish(CharClass c) { return c == CharClass::kUpper || c == CharClass::kLetter || c == CharClass::kMark; }
// [\p{Ll}\p{Lm}\p{Lo}\p{M}]
bool is_lowerish(CharClass c) { return c == CharClass::kLower || c == CharClass::kLetter || c == CharClass::kMark; }

class Scanner {
 public:
  explicit Scanner(std::string_view text)
      : s_(reinterpret_cast<const unsigned char*>(text.data())), n_(text.size()) {}

  size_t piece_end(size_t pos) const {
    const Char c0 = at(pos);
    if (c0.cls == CharClass::kInvalid) return pos + 1;
    size_t end = letters_ending_lower(pos, c0);
    if (end == kNoMatch) end = letters_starting_upper(pos, c0);
    if (end == kNoMatch && c0.cls == CharClass::kNumber) end = digits(pos);
    if (end == kNoMatch) end = punctuation(pos);
    if (end == kNoMatch && c0.cls == CharClass::kSpace) end = whitespace(pos);
    // Every valid character matches some alternative above; this only guards against a table mistake.
    return end == kNoMatch ? pos + c0.len : end;
  }

 private:
  // At the end of the text: kInvalid with len 0, so every class test fails there.
  Char at(size_t pos) const {
    if (pos >= n_) return {CharClass::kInvalid, kInvalidCodePoint, 0};
    if (s_[pos] < 0x80) return {char_class(s_[pos]), s_[pos], 1};
    const DecodedChar d = decode_utf8(s_ + pos, n_ - pos);
    if (d.cp == kInvalidCodePoint) return {CharClass::kInvalid, d.cp, 1};
    return {char_class(d.cp), d.cp, static_cast<size_t>(d.len)};
  }

  // [^\r\n\p{L}\p{N}]: marks, spaces other than CR/LF, punctuation, symbols (not invalid bytes).
  static bool is_optional_prefix(const Char& c) {
    return (c.cls == CharClass::kOther || c.cls == CharClass::kMark || c.cls == CharClass::kSpace) && c.cp != '\r' &&
           c.cp != '\n';
  }

  // (?i:'s|'t|'re|'ve|'m|'ll|'d)? after position e. Case-insensitive in the regex crate's sense (simple case
  // folding), so U+017F LATIN SMALL LETTER LONG S counts as an 's'.
  size_t contraction_end(size_t e) const {
    if (e >= n_ || s_[e] != '\'') return e;
    auto folded = [&](size_t i) -> Char {
      Char c = at(i);
      if (c.cp >= 'A' && c.cp <= 'Z') c.cp += 'a' - 'A';
      if (c.cp == 0x17F) c.cp = 's';
      return c;
    };
    const Char c1 = folded(e + 1);
    const size_t after1 = e + 1 + c1.len;
    switch (c1.cp) {
      case 's': case 't': case 'm': case 'd': return after1;
      case 'r': case 'v': return folded(after1).cp == 'e' ? after1 + 1 : e;
      case 'l': return folded(after1).cp == 'l' ? after1 + 1 : e;
      default: return e;
    }
  }

  // Alternative 1: P? [upperish]* [lowerish]+ contraction?
  // Backtracking the greedy [upperish]* lands on the last split where a lowerish character follows: either the
  // character right after the run is Ll, or the run's own last lowerish character (Lm/Lo/M) ends the match.
  size_t letters_ending_lower(size_t pos, const Char& c0) const {
    for (int with_prefix = is_optional_prefix(c0) ? 1 : 0; with_prefix >= 0; --with_prefix) {
      size_t r = pos + (with_prefix ? c0.len : 0);
      size_t last_lowerish_end = kNoMatch;
      Char c = at(r);
      while (is_upperish(c.cls)) {
        r += c.len;
        if (is_lowerish(c.cls)) last_lowerish_end = r;
        c = at(r);
      }
      if (c.cls == CharClass::kLower) {
        while (is_lowerish(c.cls)) {
          r += c.len;
          c = at(r);
        }
        return contraction_end(r);
      }
      if (last_lowerish_end != kNoMatch) return contraction_end(last_lowerish_end);
    }
    return kNoMatch;
  }

  // Alternative 2: P? [upperish]+ [lowerish]* contraction?
  size_t letters_starting_upper(size_t pos, const Char& c0) const {
    for (int with_prefix = is_optional_prefix(c0) ? 1 : 0; with_prefix >= 0; --with_prefix) {
      const size_t q = pos + (with_prefix ? c0.len : 0);
      size_t r = q;
      Char c = at(r);
      while (is_upperish(c.cls)) {
        r += c.len;
        c = at(r);
      }
      if (r == q) continue;
      while (is_lowerish(c.cls)) {
        r += c.len;
        c = at(r);
      }
      return contraction_end(r);
    }
    return kNoMatch;
  }

  // Alternative 3: \p{N}{1,3}
  size_t digits(size_t pos) const {
    size_t r = pos;
    for (int i = 0; i < 3; ++i) {
      const Char c = at(r);
      if (c.cls != CharClass::kNumber) break;
      r += c.len;
    }
    return r;
  }

  // Alternative 4: ' '? [^\s\p{L}\p{N}]+ [\r\n/]*
  size_t punctuation(size_t pos) const {
    size_t r = pos + (s_[pos] == ' ' ? 1 : 0);
    auto is_symbol = [](CharClass c) { return c == CharClass::kOther || c == CharClass::kMark; };
    Char c = at(r);
    if (!is_symbol(c.cls)) return kNoMatch;  // without the space the first character is ' ', not a symbol either
    while (is_symbol(c.cls)) {
      r += c.len;
      c = at(r);
    }
    while (r < n_ && (s_[r] == '\r' || s_[r] == '\n' || s_[r] == '/')) ++r;
    return r;
  }

  // Alternatives 5-7 over the whitespace run starting at pos:
  //   \s*[\r\n]+  -> up to and including the run's last CR/LF;
  //   \s+(?!\S)   -> the whole run at the end of text, else all but its last character (if that leaves any);
  //   \s+         -> the whole run.
  size_t whitespace(size_t pos) const {
    size_t r = pos;
    size_t last_start = pos;
    size_t last_newline_end = kNoMatch;
    Char c = at(r);
    while (c.cls == CharClass::kSpace) {
      last_start = r;
      r += c.len;
      if (c.cp == '\r' || c.cp == '\n') last_newline_end = r;
      c = at(r);
    }
    if (last_newline_end != kNoMatch) return last_newline_end;
    if (r >= n_) return r;
    if (last_start > pos) return last_start;
    return r;
  }

  const unsigned char* s_;
  size_t n_;
};

}  // namespace

size_t next_piece_end(std::string_view text, size_t pos) { return Scanner(text).piece_end(pos); }

std::vector<std::string_view> split_pieces(std::string_view text) {
  std::vector<std::string_view> out;
  const Scanner scanner(text);
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = scanner.piece_end(pos);
    out.push_back(text.substr(pos, end - pos));
    pos = end;
  }
  return out;
}

}  // namespace tally::tok
