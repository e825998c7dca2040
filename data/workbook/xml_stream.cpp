#include "xml_stream.h"

#include <expat.h>

#include <cstring>

namespace tally::data {

std::string_view local_name(std::string_view name) {
  const auto colon = name.rfind(':');
  return colon == std::string_view::npos ? name : name.substr(colon + 1);
}

namespace {

// local_name() for expat's NUL-terminated names in one pass: this runs twice for every element of a sheet, and
// names there are one to three bytes long, too short for a strlen call and a backwards search to pay off.
std::string_view local_name_of(const char* name) {
  const char* start = name;
  const char* p = name;
  for (; *p != '\0'; ++p) {
    if (*p == ':') start = p + 1;
  }
  return std::string_view(start, static_cast<std::size_t>(p - start));
}

}  // namespace

const char* XmlAttributes::get(std::string_view name) const {
  for (const char** a = pairs; a && a[0]; a += 2) {
    if (local_name_of(a[0]) == name) return a[1];
  }
  return nullptr;
}

struct XmlStream::Impl {
  XML_Parser parser = nullptr;
  ~Impl() {
    if (parser) XML_ParserFree(parser);
  }
};

XmlStream::XmlStream(std::string where, XmlHandler& handler)
    : where_(std::move(where)), handler_(handler), impl_(std::make_unique<Impl>()) {
  impl_->parser = XML_ParserCreate(nullptr);
  if (!impl_->parser) {
    failed_ = true;
    error_ = make_error(where_ + ": out of memory for the XML parser");
    return;
  }
  XML_SetUserData(impl_->parser, this);
  XML_SetElementHandler(impl_->parser, &XmlStream::on_start, &XmlStream::on_end);
  XML_SetCharacterDataHandler(impl_->parser, &XmlStream::on_text);
  XML_SetStartDoctypeDeclHandler(impl_->parser, &XmlStream::on_doctype);
  XML_SetEntityDeclHandler(impl_->parser, &XmlStream::on_entity);
  // No external entities or DTDs are ever fetched.
  XML_SetParamEntityParsing(impl_->parser, XML_PARAM_ENTITY_PARSING_NEVER);
}

XmlStream::~XmlStream() = default;

void XmlStream::fail(Error error) {
  if (failed_) return;
  failed_ = true;
  error_ = std::move(error);
  XML_StopParser(impl_->parser, XML_FALSE);
}

void XmlStream::on_start(void* self, const char* name, const char** attrs) {
  auto* s = static_cast<XmlStream*>(self);
  if (s->failed_) return;
  s->handler_.start(local_name_of(name), XmlAttributes{attrs});
}

void XmlStream::on_end(void* self, const char* name) {
  auto* s = static_cast<XmlStream*>(self);
  if (s->failed_) return;
  s->handler_.end(local_name_of(name));
}

void XmlStream::on_text(void* self, const char* text, int len) {
  auto* s = static_cast<XmlStream*>(self);
  if (s->failed_) return;
  s->handler_.text(std::string_view(text, static_cast<std::size_t>(len)));
}

void XmlStream::on_doctype(void* self, const char*, const char*, const char*, int) {
  static_cast<XmlStream*>(self)->fail(
      make_error(static_cast<XmlStream*>(self)->where_ + ": has a DOCTYPE (entity declarations are refused)"));
}

void XmlStream::on_entity(void* self, const char*, int, const char*, int, const char*, const char*, const char*,
                          const char*) {
  static_cast<XmlStream*>(self)->fail(
      make_error(static_cast<XmlStream*>(self)->where_ + ": declares XML entities (refused)"));
}

Status XmlStream::status_of(int ok) {
  if (failed_) return error_;
  if (ok == XML_STATUS_OK) return {};
  failed_ = true;
  error_ = make_error(where_ + ": malformed XML at line " +
                      std::to_string(XML_GetCurrentLineNumber(impl_->parser)) + " (" +
                      XML_ErrorString(XML_GetErrorCode(impl_->parser)) + ")");
  return error_;
}

Status XmlStream::feed(std::string_view chunk) {
  if (failed_) return error_;
  // expat takes int lengths: feed big chunks in pieces.
  while (!chunk.empty()) {
    const std::size_t n = std::min<std::size_t>(chunk.size(), std::size_t{1} << 30);
    if (auto s = status_of(XML_Parse(impl_->parser, chunk.data(), static_cast<int>(n), XML_FALSE)); !s) return s;
    chunk.remove_prefix(n);
  }
  return {};
}

Status XmlStream::finish() {
  if (failed_) return error_;
  return status_of(XML_Parse(impl_->parser, "", 0, XML_TRUE));
}

Status parse_xml(const std::string& where, std::string_view xml, XmlHandler& handler) {
  XmlStream stream(where, handler);
  if (auto s = stream.feed(xml); !s) return s;
  return stream.finish();
}

}  // namespace tally::data
