#include "tally/data/text_encoding.h"

#include <iconv.h>

#include <cerrno>
#include <cstring>

namespace tally::data {

std::size_t valid_utf8_prefix(std::string_view s) {
  const auto* p = reinterpret_cast<const unsigned char*>(s.data());
  const std::size_t n = s.size();
  std::size_t i = 0;
  while (i < n) {
    // ASCII fast path, eight bytes at a time.
    if (i + 8 <= n) {
      std::uint64_t w;
      std::memcpy(&w, p + i, 8);
      if ((w & 0x8080808080808080ULL) == 0) {
        i += 8;
        continue;
      }
    }
    const unsigned char b = p[i];
    if (b < 0x80) {
      ++i;
      continue;
    }
    std::size_t len;
    unsigned char lo = 0x80, hi = 0xBF;  // allowed range of the second byte (rejects overlongs and surrogates)
    if (b >= 0xC2 && b <= 0xDF) {
      len = 2;
    } else if (b >= 0xE0 && b <= 0xEF) {
      len = 3;
      if (b == 0xE0) lo = 0xA0;
      if (b == 0xED) hi = 0x9F;
    } else if (b >= 0xF0 && b <= 0xF4) {
      len = 4;
      if (b == 0xF0) lo = 0x90;
      if (b == 0xF4) hi = 0x8F;
    } else {
      return i;
    }
    for (std::size_t k = 1; k < len; ++k) {
      if (i + k >= n) return i;  // cut at the end: the caller decides whether more follows
      const unsigned char c = p[i + k];
      if (k == 1 ? (c < lo || c > hi) : (c & 0xC0) != 0x80) return i;
    }
    i += len;
  }
  return i;
}

namespace {

// True when the bytes cut at the end could be the start of a valid sequence (so not an error yet).
bool is_truncated_utf8(std::string_view s, std::size_t valid) {
  if (s.size() - valid >= 4) return false;
  const auto b = static_cast<unsigned char>(s[valid]);
  const std::size_t need = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : b >= 0xC2 ? 2 : 0;
  return need > s.size() - valid;
}

bool decodes_as(const char* encoding, std::string_view sample, bool complete) {
  auto dec = TextDecoder::create(encoding);
  if (!dec) return false;
  std::string out;
  return dec->decode(sample, out, complete).ok();
}

}  // namespace

Result<DetectedEncoding> detect_encoding(std::string_view s, bool complete) {
  auto starts = [&](std::string_view bom) { return s.substr(0, bom.size()) == bom; };
  if (starts("\xEF\xBB\xBF")) return DetectedEncoding{"UTF-8", 3};
  if (starts("\xFF\xFE")) return DetectedEncoding{"UTF-16LE", 2};
  if (starts("\xFE\xFF")) return DetectedEncoding{"UTF-16BE", 2};
  // Mostly-ASCII UTF-16 without a BOM: every other byte is NUL.
  std::size_t pairs = std::min<std::size_t>(s.size(), 4096) / 2, zero_even = 0, zero_odd = 0;
  for (std::size_t i = 0; i < pairs; ++i) {
    zero_even += s[2 * i] == '\0';
    zero_odd += s[2 * i + 1] == '\0';
  }
  if (pairs >= 2) {
    if (zero_odd * 10 >= pairs * 4 && zero_even * 20 < pairs) return DetectedEncoding{"UTF-16LE", 0};
    if (zero_even * 10 >= pairs * 4 && zero_odd * 20 < pairs) return DetectedEncoding{"UTF-16BE", 0};
  }
  if (zero_even + zero_odd > 0 || std::memchr(s.data(), '\0', s.size())) {
    return make_error("the file looks binary (NUL bytes), not text in a known encoding");
  }
  const std::size_t valid = valid_utf8_prefix(s);
  if (valid == s.size() || (!complete && is_truncated_utf8(s, valid))) return DetectedEncoding{"UTF-8", 0};
  if (decodes_as("CP949", s, complete)) return DetectedEncoding{"CP949", 0};
  return make_error("the text is neither UTF-8 nor CP949 (invalid byte at offset " + std::to_string(valid) +
                    "); choose the encoding explicitly");
}

std::string normalize_encoding_name(std::string_view name) {
  std::string key;
  for (char c : name) {
    if (c == '-' || c == '_' || c == ' ') continue;
    key.push_back(static_cast<char>(c >= 'a' && c <= 'z' ? c - 'a' + 'A' : c));
  }
  if (key == "UTF8" || key == "UTF8BOM") return "UTF-8";
  if (key == "UTF16LE") return "UTF-16LE";
  if (key == "UTF16BE") return "UTF-16BE";
  if (key == "UTF16") return "UTF-16";
  if (key == "CP949" || key == "UHC" || key == "MS949" || key == "WINDOWS949") return "CP949";
  if (key == "EUCKR") return "EUC-KR";
  // Anything else is passed to iconv as written, if iconv knows it.
  std::string as_is(name);
  iconv_t probe = iconv_open("UTF-8", as_is.c_str());
  if (probe == reinterpret_cast<iconv_t>(-1)) return {};
  iconv_close(probe);
  return as_is;
}

struct TextDecoder::Iconv {
  explicit Iconv(iconv_t c) : cd(c) {}
  ~Iconv() { iconv_close(cd); }
  Iconv(const Iconv&) = delete;
  Iconv& operator=(const Iconv&) = delete;
  iconv_t cd;
};

TextDecoder::TextDecoder(TextDecoder&&) noexcept = default;
TextDecoder& TextDecoder::operator=(TextDecoder&&) noexcept = default;
TextDecoder::~TextDecoder() = default;

Result<TextDecoder> TextDecoder::create(const std::string& encoding) {
  const std::string name = normalize_encoding_name(encoding);
  if (name.empty()) return make_error("unknown text encoding '" + encoding + "'");
  TextDecoder d;
  d.encoding_ = name;
  if (name == "UTF-8") return d;
  iconv_t cd = iconv_open("UTF-8", name.c_str());
  if (cd == reinterpret_cast<iconv_t>(-1)) return make_error("iconv cannot decode '" + name + "'");
  d.iconv_ = std::make_unique<Iconv>(cd);
  return d;
}

Status TextDecoder::decode(std::string_view in, std::string& out, bool last) {
  std::string joined;
  std::string_view data = in;
  if (!carry_.empty()) {
    joined = carry_ + std::string(in);
    data = joined;
  }
  const std::size_t base = consumed_ - carry_.size();  // file offset of data[0]
  carry_.clear();
  if (!iconv_) {
    const std::size_t valid = valid_utf8_prefix(data);
    out.append(data.substr(0, valid));
    if (valid < data.size()) {
      if (last || !is_truncated_utf8(data, valid)) {
        return make_error("invalid UTF-8 at byte offset " + std::to_string(base + valid));
      }
      carry_.assign(data.substr(valid));
    }
    consumed_ += in.size();
    return {};
  }
  auto* src = const_cast<char*>(data.data());  // iconv's interface is not const-correct
  std::size_t src_left = data.size();
  while (src_left > 0) {
    const std::size_t old = out.size();
    const std::size_t room = src_left * 2 + 16;  // UTF-16 and CP949 need at most 1.5x and 2x: one pass usually
    out.resize(old + room);
    char* dst = out.data() + old;
    std::size_t dst_left = room;
    const std::size_t rc = iconv(iconv_->cd, &src, &src_left, &dst, &dst_left);
    out.resize(old + (room - dst_left));
    if (rc != static_cast<std::size_t>(-1)) continue;
    if (errno == E2BIG) continue;
    const std::size_t offset = base + (data.size() - src_left);
    if (errno == EINVAL && !last) {  // a sequence cut by the chunk boundary
      carry_.assign(src, src_left);
      break;
    }
    return make_error("invalid " + encoding_ + " byte sequence at byte offset " + std::to_string(offset));
  }
  consumed_ += in.size();
  return {};
}

void append_utf8(std::string& out, char32_t cp) {
  if (cp < 0x80) {
    out += static_cast<char>(cp);
  } else if (cp < 0x800) {
    out += static_cast<char>(0xC0 | (cp >> 6));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else if (cp < 0x10000) {
    out += static_cast<char>(0xE0 | (cp >> 12));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  } else {
    out += static_cast<char>(0xF0 | (cp >> 18));
    out += static_cast<char>(0x80 | ((cp >> 12) & 0x3F));
    out += static_cast<char>(0x80 | ((cp >> 6) & 0x3F));
    out += static_cast<char>(0x80 | (cp & 0x3F));
  }
}

}  // namespace tally::data
