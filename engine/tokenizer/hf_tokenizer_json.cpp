// Tokenizer::from_tokenizer_json: a Hugging Face tokenizer.json of byte-level BPE (gpt-oss ships one).
// Ranks are the vocabulary ids: for tiktoken-derived vocabularies the merges list only restates those ranks as
// pairs, so it is skipped. The file is read with a SAX pass, not a DOM: gpt-oss's is 27 MB holding a million
// strings we would build only to throw away.
#include <exception>
#include <fstream>
#include <sstream>

#include <nlohmann/json.hpp>

#include "tokenizer/byte_unicode.h"
#include "tokenizer/tokenizer.h"
#include "tokenizer/tokenizer_impl.h"

namespace tally::tok {

namespace {

// The o200k split pattern as tokenizer.json spells it; any other Split regex would need another pre-tokenizer.
constexpr std::string_view kO200kPattern =
    "[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]*[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]+(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
    "|[^\\r\\n\\p{L}\\p{N}]?[\\p{Lu}\\p{Lt}\\p{Lm}\\p{Lo}\\p{M}]+[\\p{Ll}\\p{Lm}\\p{Lo}\\p{M}]*(?i:'s|'t|'re|'ve|'m|'ll|'d)?"
    "|\\p{N}{1,3}| ?[^\\s\\p{L}\\p{N}]+[\\r\\n/]*|\\s*[\\r\\n]+|\\s+(?!\\S)|\\s+";

using Json = nlohmann::json;

// Collects model.vocab, model.type, added_tokens and the pre-tokenizer's Split patterns; ignores the rest.
class TokenizerJsonReader final : public nlohmann::json_sax<Json> {
 public:
  TokenizerJsonReader(Tokenizer::Impl* impl, const std::string& origin) : impl_(impl), origin_(origin) {}

  // After a successful parse: checks what the document as a whole must have, adds the specials.
  std::string finish() {
    if (!error_.empty()) return error_;
    if (!saw_vocab_) return origin_ + ": no model.vocab object";
    if (!model_type_.empty() && model_type_ != "BPE") return origin_ + ": model.type is \"" + model_type_ + "\", not \"BPE\"";
    for (size_t i = 0; i < added_.size(); ++i) {
      const Added& a = added_[i];
      const std::string where = origin_ + ": added_tokens[" + std::to_string(i) + "]";
      if (a.id < 0) return where + " has no valid id";
      if (!a.has_content) return where + " has no content";
      // An added token may repeat a vocab entry (same id, same text); it is then an ordinary token already.
      if (static_cast<size_t>(a.id) < impl_->pieces.size() && !impl_->special[a.id] && impl_->pieces[a.id] == a.content) {
        continue;
      }
      std::string err = impl_->add_special(a.content, static_cast<TokenId>(a.id));
      if (!err.empty()) return where + ": " + err;
    }
    // Ids come from the file: a sparse vocabulary is refused rather than padded with reserved ids by the million.
    if (impl_->pieces.size() > 2 * static_cast<size_t>(impl_->rank_count) + 4096) {
      return origin_ + ": token ids reach " + std::to_string(impl_->pieces.size()) + " for only " +
             std::to_string(impl_->rank_count) + " tokens";
    }
    return {};
  }
  const std::string& error() const { return error_; }

  bool null() override { return value_not_expected(); }
  bool boolean(bool) override { return value_not_expected(); }
  bool number_float(double, const std::string&) override { return value_not_expected(); }
  bool binary(binary_t&) override { return value_not_expected(); }
  bool number_integer(number_integer_t v) override { return integer(v); }
  bool number_unsigned(number_unsigned_t v) override {
    return integer(v > static_cast<number_unsigned_t>(kMaxTokenId) ? -1 : static_cast<int64_t>(v));
  }

  bool string(string_t& s) override {
    if (frames_.empty()) return fail("tokenizer.json is not a JSON object");
    if (in_vocab()) return fail("model.vocab[\"" + frames_.back().key + "\"] is not an id");
    if (depth_is(2, "model") && frames_[1].key == "type") model_type_ = s;
    if (in_added_token() && frames_[2].key == "content") {
      added_.back().content = s;
      added_.back().has_content = true;
    }
    if (frames_[0].key == "pre_tokenizer" && frames_.back().key == "Regex" && s != kO200kPattern) {
      return fail("the pre_tokenizer's Split pattern is not o200k's (only o200k byte-level BPE is supported)");
    }
    return true;
  }

  bool start_object(std::size_t) override {
    if (in_vocab()) {
      return fail("model.vocab[\"" + frames_.back().key + "\"] is not an id");
    } else if (depth_is(2, "model") && frames_[1].key == "vocab") {
      saw_vocab_ = true;
    } else if (depth_is(2, "added_tokens") && frames_[1].is_array) {
      added_.emplace_back();
    }
    frames_.push_back({false, {}});
    return true;
  }
  bool end_object() override { return pop(); }
  bool start_array(std::size_t) override {
    if (frames_.empty()) return fail("tokenizer.json is not a JSON object");
    if (in_vocab()) return fail("model.vocab[\"" + frames_.back().key + "\"] is not an id");
    frames_.push_back({true, {}});
    return true;
  }
  bool end_array() override { return pop(); }
  bool key(string_t& k) override {
    frames_.back().key = k;
    return true;
  }
  bool parse_error(std::size_t position, const std::string&, const nlohmann::detail::exception&) override {
    return fail("not valid JSON (at byte " + std::to_string(position) + ")");
  }

 private:
  struct Frame {
    bool is_array;
    std::string key;  // the current key of an object frame
  };
  struct Added {
    int64_t id = -1;
    std::string content;
    bool has_content = false;
  };

  bool fail(const std::string& message) {
    if (error_.empty()) error_ = origin_ + ": " + message;
    return false;
  }
  bool pop() {
    frames_.pop_back();
    return true;
  }
  // frames_ has `depth` entries and the root's current key is `root_key`.
  bool depth_is(size_t depth, std::string_view root_key) const {
    return frames_.size() == depth && !frames_[0].is_array && frames_[0].key == root_key;
  }
  bool in_vocab() const { return depth_is(3, "model") && frames_[1].key == "vocab" && !frames_[2].is_array; }
  bool in_added_token() const { return depth_is(3, "added_tokens") && frames_[1].is_array && !frames_[2].is_array; }

  bool value_not_expected() {
    if (frames_.empty()) return fail("tokenizer.json is not a JSON object");
    if (in_vocab()) return fail("model.vocab[\"" + frames_.back().key + "\"] is not an id");
    return true;
  }

  bool integer(int64_t v) {
    if (frames_.empty()) return fail("tokenizer.json is not a JSON object");
    if (in_added_token() && frames_[2].key == "id") added_.back().id = v <= kMaxTokenId ? v : -1;
    if (!in_vocab()) return true;
    const std::string& token = frames_.back().key;
    if (v < 0 || v > kMaxTokenId) return fail("model.vocab id " + std::to_string(v) + " is out of range");
    std::optional<std::string> bytes = gpt2_unicode_to_bytes(token);
    if (!bytes) return fail("model.vocab token \"" + token + "\" is not byte-level (GPT-2 alphabet)");
    std::string err = impl_->add_rank(std::move(*bytes), static_cast<TokenId>(v));
    if (!err.empty()) return fail("model.vocab: " + err);
    return true;
  }

  Tokenizer::Impl* impl_;
  const std::string& origin_;
  std::vector<Frame> frames_;
  std::vector<Added> added_;
  std::string model_type_;
  std::string error_;
  bool saw_vocab_ = false;
};

}  // namespace

Result<Tokenizer> Tokenizer::from_tokenizer_json_text(std::string_view json, const std::string& origin) {
  auto impl = std::make_unique<Impl>();
  impl->ranks.reserve(1024, 1 << 16);
  TokenizerJsonReader reader(impl.get(), origin);
  try {
    const bool parsed = Json::sax_parse(json.begin(), json.end(), &reader);
    if (!parsed) {
      return make_error(reader.error().empty() ? origin + ": not valid JSON" : reader.error());
    }
  } catch (const std::exception& e) {
    // sax_parse reports through parse_error; this keeps anything it still throws an error value, not a crash.
    return make_error(origin + ": " + e.what());
  }
  std::string err = reader.finish();
  if (!err.empty()) return make_error(err);
  return finish(std::move(impl), origin);
}

Result<Tokenizer> Tokenizer::from_tokenizer_json(const std::string& path) {
  std::ifstream in(path, std::ios::binary);
  if (!in) return make_error(path + ": cannot open tokenizer.json");
  std::stringstream ss;
  ss << in.rdbuf();
  return from_tokenizer_json_text(ss.str(), path);
}

}  // namespace tally::tok
