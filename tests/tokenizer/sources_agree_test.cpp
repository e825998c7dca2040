// The three vocabulary sources (tiktoken file, tokenizer.json, GGUF metadata) must give the same tokenizer.
#include <gtest/gtest.h>

#include <cstring>
#include <optional>

#include "o200k_fixture.h"
#include "tokenizer/byte_unicode.h"

namespace tally::tok {
namespace {

using testing::o200k;

void expect_same_as_tiktoken(const Tokenizer& t) {
  const Tokenizer& ref = o200k();
  ASSERT_EQ(t.vocab_size(), ref.vocab_size());
  EXPECT_EQ(t.rank_count(), ref.rank_count());
  size_t piece_mismatches = 0;
  for (TokenId id = 0; id < ref.vocab_size(); ++id) {
    if (t.piece(id) != ref.piece(id) || t.is_special(id) != ref.is_special(id)) {
      if (++piece_mismatches < 5) ADD_FAILURE() << "token " << id << ": '" << t.piece(id) << "' vs '" << ref.piece(id) << "'";
    }
  }
  EXPECT_EQ(piece_mismatches, 0u);
  for (const auto& c : testing::golden_cases()) {
    EXPECT_EQ(t.encode_with_specials(c.text), c.ids) << c.text;
    EXPECT_EQ(t.encode(c.text), ref.encode(c.text)) << c.text;
  }
  const auto harmony = testing::harmony_ko_ids();
  EXPECT_EQ(t.encode_with_specials(t.decode(harmony)), harmony);
}

// GGUF's form of the o200k_harmony vocabulary, as llama.cpp's converter writes it.
GgufVocab gguf_vocab_like_llama_cpp(const Tokenizer& ref) {
  GgufVocab v;
  for (TokenId id = 0; id < ref.vocab_size(); ++id) {
    if (id < ref.rank_count()) {
      v.tokens.push_back(bytes_to_gpt2_unicode(ref.piece(id)));
      v.token_types.push_back(1);
    } else if (id <= Tokenizer::kEndOfPrompt) {
      v.tokens.push_back(ref.piece(id));
      v.token_types.push_back(3);
    } else {
      v.tokens.push_back("[PAD" + std::to_string(id) + "]");
      v.token_types.push_back(5);
    }
  }
  v.merges = {"\xC4\xA0 \xC4\xA0"};  // "Ġ Ġ": merges are not needed when ranks are ids
  return v;
}

TEST(TokenizerSources, GgufVocabAgreesWithTiktoken) {
  auto t = Tokenizer::from_gguf_vocab(gguf_vocab_like_llama_cpp(o200k()), "synthetic.gguf");
  ASSERT_TRUE(t.ok()) << t.error().message;
  expect_same_as_tiktoken(*t);
}

TEST(TokenizerSources, GgufVocabErrorsNameTheToken) {
  GgufVocab v = gguf_vocab_like_llama_cpp(o200k());
  v.tokens[300] = "\xF0\x9F\x9A\x80";  // 🚀 is outside the byte-level alphabet
  auto bad = Tokenizer::from_gguf_vocab(v, "m.gguf");
  ASSERT_FALSE(bad.ok());
  EXPECT_NE(bad.error().message.find("m.gguf: tokenizer.ggml.tokens[300]"), std::string::npos) << bad.error().message;

  v = gguf_vocab_like_llama_cpp(o200k());
  v.token_types.pop_back();
  EXPECT_FALSE(Tokenizer::from_gguf_vocab(v, "m.gguf").ok());

  v = gguf_vocab_like_llama_cpp(o200k());
  v.token_types[10] = 6;  // a SentencePiece byte token: not byte-level BPE
  EXPECT_FALSE(Tokenizer::from_gguf_vocab(v, "m.gguf").ok());

  EXPECT_FALSE(Tokenizer::from_gguf_vocab(GgufVocab{}, "empty.gguf").ok());
}

// Just enough of GGUF v2/v3 to pull the tokenizer arrays out of the metadata (the real reader lives in
// engine/loader; the tokenizer's test must not depend on it).
class GgufMetadataWalker {
 public:
  explicit GgufMetadataWalker(std::string bytes) : b_(std::move(bytes)) {}

  std::optional<GgufVocab> vocab() {
    if (b_.size() < 24 || b_.compare(0, 4, "GGUF") != 0) return std::nullopt;
    pos_ = 8;  // magic + version
    uint64_t tensors = 0, kv_count = 0;
    if (!read(tensors) || !read(kv_count)) return std::nullopt;
    GgufVocab v;
    for (uint64_t i = 0; i < kv_count; ++i) {
      std::string key;
      uint32_t type = 0;
      if (!read_string(key) || !read(type)) return std::nullopt;
      std::vector<std::string>* strings = key == "tokenizer.ggml.tokens" ? &v.tokens
                                          : key == "tokenizer.ggml.merges" ? &v.merges
                                                                           : nullptr;
      if (type == kArray) {
        uint32_t elem = 0;
        uint64_t n = 0;
        if (!read(elem) || !read(n)) return std::nullopt;
        for (uint64_t k = 0; k < n; ++k) {
          if (strings && elem == kString) {
            std::string s;
            if (!read_string(s)) return std::nullopt;
            strings->push_back(std::move(s));
          } else if (key == "tokenizer.ggml.token_type" && elem == kInt32) {
            int32_t t = 0;
            if (!read(t)) return std::nullopt;
            v.token_types.push_back(t);
          } else if (!skip(elem)) {
            return std::nullopt;
          }
        }
      } else if (!skip(type)) {
        return std::nullopt;
      }
    }
    return v;
  }

 private:
  static constexpr uint32_t kInt32 = 5, kString = 8, kArray = 9;

  template <typename T>
  bool read(T& out) {
    if (pos_ + sizeof(T) > b_.size()) return false;
    std::memcpy(&out, b_.data() + pos_, sizeof(T));
    pos_ += sizeof(T);
    return true;
  }
  bool read_string(std::string& out) {
    uint64_t n = 0;
    if (!read(n) || n > b_.size() - pos_) return false;
    out.assign(b_, pos_, n);
    pos_ += n;
    return true;
  }
  bool skip(uint32_t type) {
    static const size_t kSizes[] = {1, 1, 2, 2, 4, 4, 4, 1, 0, 0, 8, 8, 8};
    if (type == kString) {
      std::string s;
      return read_string(s);
    }
    if (type == kArray) {
      uint32_t elem = 0;
      uint64_t n = 0;
      if (!read(elem) || !read(n)) return false;
      for (uint64_t k = 0; k < n; ++k) {
        if (!skip(elem)) return false;
      }
      return true;
    }
    if (type >= std::size(kSizes)) return false;
    if (pos_ + kSizes[type] > b_.size()) return false;
    pos_ += kSizes[type];
    return true;
  }

  std::string b_;
  size_t pos_ = 0;
};

TEST(TokenizerSources, TokenizerJsonOfTheTinyFixtureAgreesWithTiktoken) {
  TALLY_REQUIRE_SHARED();
  const std::string dir = ::tally::testing::tiny_fixture_dir();
  ASSERT_FALSE(dir.empty());
  auto t = Tokenizer::from_tokenizer_json(dir + "/hf/tokenizer.json");
  ASSERT_TRUE(t.ok()) << t.error().message;
  expect_same_as_tiktoken(*t);
}

TEST(TokenizerSources, GgufMetadataOfTheTinyFixtureAgreesWithTiktoken) {
  TALLY_REQUIRE_SHARED();
  const std::string dir = ::tally::testing::tiny_fixture_dir();
  ASSERT_FALSE(dir.empty());
  auto vocab = GgufMetadataWalker(::tally::testing::read_file(dir + "/tiny-gptoss-f16.gguf")).vocab();
  ASSERT_TRUE(vocab.has_value());
  ASSERT_EQ(vocab->tokens.size(), 201088u);
  EXPECT_EQ(vocab->merges.size(), 446189u);
  auto t = Tokenizer::from_gguf_vocab(*vocab, dir + "/tiny-gptoss-f16.gguf");
  ASSERT_TRUE(t.ok()) << t.error().message;
  expect_same_as_tiktoken(*t);
}

}  // namespace
}  // namespace tally::tok
