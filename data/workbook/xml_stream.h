#pragma once
// A streaming XML parser for workbook parts (expat, fed chunk by chunk as a part inflates). Element names arrive
// without their namespace prefix ("x:row" -> "row"), since writers differ in prefixes but not in meaning.
// Documents with a DOCTYPE are refused outright: OOXML never has one, and entity declarations are how the
// "billion laughs" expansion attack works.
#include <functional>
#include <memory>
#include <string>
#include <string_view>

#include "tally/data/result.h"

namespace tally::data {

// Attributes as expat gives them: name, value, name, value, ..., nullptr. Names are prefix-stripped by attr().
struct XmlAttributes {
  const char** pairs;
  // The value of attribute `name` (local name), or nullptr.
  const char* get(std::string_view name) const;
};

class XmlHandler {
 public:
  virtual ~XmlHandler() = default;
  virtual void start(std::string_view name, const XmlAttributes& attrs) = 0;
  virtual void end(std::string_view name) = 0;
  virtual void text(std::string_view) {}
};

class XmlStream {
 public:
  // `where` names the file and part in messages ("book.xlsx: xl/worksheets/sheet1.xml").
  XmlStream(std::string where, XmlHandler& handler);
  ~XmlStream();
  XmlStream(const XmlStream&) = delete;
  XmlStream& operator=(const XmlStream&) = delete;

  Status feed(std::string_view chunk);
  Status finish();
  // Stops parsing from inside a handler; feed() then returns this error.
  void fail(Error error);
  bool failed() const { return failed_; }

 private:
  struct Impl;
  static void on_start(void* self, const char* name, const char** attrs);
  static void on_end(void* self, const char* name);
  static void on_text(void* self, const char* s, int len);
  static void on_doctype(void* self, const char*, const char*, const char*, int);
  static void on_entity(void* self, const char*, int, const char*, int, const char*, const char*, const char*,
                        const char*);
  Status status_of(int ok);

  std::string where_;
  XmlHandler& handler_;
  std::unique_ptr<Impl> impl_;
  bool failed_ = false;
  Error error_;
};

std::string_view local_name(std::string_view name);

// Part readers parse whole small parts too: this feeds `xml` in one go.
Status parse_xml(const std::string& where, std::string_view xml, XmlHandler& handler);

}  // namespace tally::data
