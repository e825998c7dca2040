#pragma once
// What the harmony fuzz targets share: the o200k tokenizer (from $TALLY_RESOURCES_DIR, else the repository's
// resources/, found from this file's place: fuzz targets get no compile definitions) and the byte -> token mapping
// of their inputs (3 bytes per token, big-endian: 0xF0..0xFF in the first byte selects a special-token id,
// 199998 + third byte % 24, so the fuzzer hits the format tokens often; 0xEE/0xEF give ids outside the vocabulary;
// anything else is id % 201088).
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <memory>

#include "tokenizer/tokenizer.h"

namespace tally::fuzz {

inline const tok::Tokenizer& harmony_fuzz_tokenizer(const char* target) {
  static std::unique_ptr<tok::Tokenizer> t = [target] {
    std::filesystem::path dir;
    if (const char* env = std::getenv("TALLY_RESOURCES_DIR"); env && *env) {
      dir = env;
    } else {
      dir = std::filesystem::path(__FILE__).parent_path().parent_path().parent_path() / "resources";
    }
    auto loaded = tok::Tokenizer::from_tiktoken((dir / "tokenizer" / "o200k_base.tiktoken").string());
    if (!loaded) {
      std::fprintf(stderr, "%s: %s (set TALLY_RESOURCES_DIR)\n", target, loaded.error().message.c_str());
      std::abort();
    }
    return std::make_unique<tok::Tokenizer>(std::move(loaded.value()));
  }();
  return *t;
}

inline tok::TokenId fuzz_token_from(const uint8_t* b) {
  if (b[0] >= 0xF0) return 199998 + b[2] % 24;
  if (b[0] == 0xEF) return -1;
  if (b[0] == 0xEE) return 201088 + b[2];
  return static_cast<tok::TokenId>(((uint32_t{b[0]} << 16) | (uint32_t{b[1]} << 8) | b[2]) % 201088u);
}

}  // namespace tally::fuzz
