#pragma once
// The Unicode classes the o200k pre-tokenizer regex distinguishes, one per code point. The regex only ever asks
// about unions of these (\p{L} = Upper|Lower|Letter, [\p{Lu}\p{Lt}\p{Lm}\p{Lo}\p{M}] = Upper|Letter|Mark, ...), so
// one small enum answers every question with a single table lookup.
#include <cstdint>

namespace tally::tok {

enum class CharClass : uint8_t {
  kOther = 0,
  kUpper,    // Lu, Lt
  kLower,    // Ll
  kLetter,   // Lm, Lo: both "upper-ish" and "lower-ish" in the regex
  kMark,     // Mn, Mc, Me: not \p{L}, yet part of both letter runs
  kNumber,   // Nd, Nl, No
  kSpace,    // White_Space, as the regex crate's \s
  kInvalid,  // a byte that is not part of valid UTF-8 (never produced by the tables)
};

struct UnicodeRange {
  char32_t first;
  char32_t last;
  CharClass cls;
};

namespace unicode_data {
extern const UnicodeRange kRanges[];  // sorted, disjoint; code points not listed are kOther
extern const int kRangeCount;
}  // namespace unicode_data

// Class of a code point (0..0x10FFFF); O(1) after a one-time table build.
CharClass char_class(char32_t cp);

}  // namespace tally::tok
