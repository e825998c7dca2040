#include "tokenizer/tokenizer.h"

#include "tally/resources.h"

#include <algorithm>
#include <atomic>

#include "tokenizer/bpe.h"
#include "tokenizer/piece_cache.h"
#include "tokenizer/pretokenizer.h"
#include "tokenizer/tokenizer_impl.h"

namespace tally::tok {

void Tokenizer::Impl::grow_to(size_t ids) {
  if (pieces.size() < ids) {
    pieces.resize(ids);
    special.resize(ids, 0);
  }
}

std::string Tokenizer::Impl::add_rank(std::string bytes, TokenId id) {
  if (id < 0 || id > kMaxTokenId) return "token id " + std::to_string(id) + " is out of range";
  if (bytes.empty()) return "token " + std::to_string(id) + " is empty";
  grow_to(static_cast<size_t>(id) + 1);
  if (!pieces[id].empty()) return "token id " + std::to_string(id) + " appears twice";
  // Duplicate byte strings (possible in a hand-made GGUF) keep the lower id, as a rank must be unique.
  ranks.insert(bytes, id);
  pieces[id] = std::move(bytes);
  ++rank_count;
  return {};
}

std::string Tokenizer::Impl::add_special(std::string literal, TokenId id) {
  if (id < 0 || id > kMaxTokenId) return "special token id " + std::to_string(id) + " is out of range";
  if (literal.empty()) return "special token " + std::to_string(id) + " is empty";
  grow_to(static_cast<size_t>(id) + 1);
  if (!pieces[id].empty()) return "special token id " + std::to_string(id) + " is also an ordinary token";
  if (!special_ids.emplace(literal, id).second) return "special token '" + literal + "' appears twice";
  special[id] = 1;
  special_first_byte[static_cast<unsigned char>(literal[0])] = true;
  if (std::find(special_lengths.begin(), special_lengths.end(), literal.size()) == special_lengths.end()) {
    special_lengths.push_back(literal.size());
  }
  pieces[id] = std::move(literal);
  return {};
}

Result<Tokenizer> Tokenizer::finish(std::unique_ptr<Impl> impl, const std::string& origin) {
  for (int b = 0; b < 256; ++b) {
    if (impl->ranks.byte_rank(static_cast<unsigned char>(b)) == kNoRank) {
      static const char* hex = "0123456789ABCDEF";
      return make_error(origin + ": vocabulary has no token for the single byte 0x" + hex[b >> 4] + hex[b & 15] +
                        " (byte-level BPE needs all 256)");
    }
  }
  size_t size = impl->pieces.size();
  if (impl->rank_count == kO200kRankCount) size = std::max<size_t>(size, kHarmonyVocabSize);
  impl->grow_to(size);
  for (size_t id = 0; id < size; ++id) {
    if (impl->pieces[id].empty()) {
      std::string err = impl->add_special("<|reserved_" + std::to_string(id) + "|>", static_cast<TokenId>(id));
      if (!err.empty()) return make_error(origin + ": " + err);
    }
  }
  std::sort(impl->special_lengths.rbegin(), impl->special_lengths.rend());
  impl->vocab_size = static_cast<int>(size);
  static std::atomic<uint64_t> next_instance{1};
  impl->instance = next_instance.fetch_add(1);
  return Tokenizer(std::move(impl));
}

Tokenizer::Tokenizer(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Tokenizer::Tokenizer(Tokenizer&&) noexcept = default;
Tokenizer& Tokenizer::operator=(Tokenizer&&) noexcept = default;
Tokenizer::~Tokenizer() = default;

std::string Tokenizer::bundled_tiktoken_path() { return resources_dir() + "/tokenizer/o200k_base.tiktoken"; }

void Tokenizer::encode_into(std::string_view text, std::vector<TokenId>& out) const {
  PieceCache& cache = PieceCache::for_this_thread(impl_->instance);
  for (size_t pos = 0; pos < text.size();) {
    const size_t end = next_piece_end(text, pos);
    const std::string_view piece = text.substr(pos, end - pos);
    pos = end;
    if (piece.size() == 1) {
      out.push_back(impl_->ranks.byte_rank(static_cast<unsigned char>(piece[0])));
      continue;
    }
    if (cache.lookup(piece, out)) continue;
    const size_t before = out.size();
    bpe_encode(impl_->ranks, piece, out);
    cache.store(piece, out.data() + before, out.size() - before);
  }
}

std::vector<TokenId> Tokenizer::encode(std::string_view text) const {
  std::vector<TokenId> out;
  out.reserve(text.size() / 3 + 4);
  encode_into(text, out);
  return out;
}

std::vector<TokenId> Tokenizer::encode_with_specials(std::string_view text) const {
  std::vector<TokenId> out;
  size_t plain_start = 0;
  for (size_t pos = 0; pos < text.size();) {
    TokenId found = -1;
    size_t found_len = 0;
    if (impl_->special_first_byte[static_cast<unsigned char>(text[pos])]) {
      for (size_t len : impl_->special_lengths) {
        if (len > text.size() - pos) continue;
        auto it = impl_->special_ids.find(std::string(text.substr(pos, len)));
        if (it != impl_->special_ids.end()) {
          found = it->second;
          found_len = len;
          break;
        }
      }
    }
    if (found < 0) {
      ++pos;
      continue;
    }
    encode_into(text.substr(plain_start, pos - plain_start), out);
    out.push_back(found);
    pos += found_len;
    plain_start = pos;
  }
  encode_into(text.substr(plain_start), out);
  return out;
}

std::string Tokenizer::decode(const std::vector<TokenId>& ids) const {
  std::string out;
  for (TokenId id : ids) out += piece(id);
  return out;
}

const std::string& Tokenizer::piece(TokenId id) const {
  static const std::string kUnknown;
  if (id < 0 || id >= impl_->vocab_size) return kUnknown;
  return impl_->pieces[id];
}

bool Tokenizer::is_special(TokenId id) const { return id >= 0 && id < impl_->vocab_size && impl_->special[id]; }

TokenId Tokenizer::special_id(std::string_view literal) const {
  auto it = impl_->special_ids.find(std::string(literal));
  return it == impl_->special_ids.end() ? -1 : it->second;
}

int Tokenizer::vocab_size() const { return impl_->vocab_size; }
int Tokenizer::rank_count() const { return impl_->rank_count; }

}  // namespace tally::tok
