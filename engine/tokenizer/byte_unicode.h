#pragma once
// GPT-2's byte-to-unicode alphabet, in which tokenizer.json and GGUF store byte-level BPE tokens: printable
// Latin-1 bytes stand for themselves, the other 68 bytes (controls, space, 0x7F-0xA0, 0xAD) become U+0100.. in order.
#include <optional>
#include <string>
#include <string_view>

namespace tally::tok {

// "Ġhello" -> " hello"; nullopt when the text is not UTF-8 or uses a character outside the alphabet.
std::optional<std::string> gpt2_unicode_to_bytes(std::string_view token);
// The inverse: raw bytes -> the alphabet's UTF-8 text.
std::string bytes_to_gpt2_unicode(std::string_view bytes);

}  // namespace tally::tok
