#pragma once
// Writes pretty-printed JSON straight into a string, byte for byte as
// nlohmann::json's dump(indent) writes the same document (ensure_ascii off),
// invalid UTF-8 replaced by U+FFFD a byte at a time as the reporters' clean()
// does before nlohmann sees a string: the JSON reporter builds the
// small parts of a report as nlohmann documents and writes its findings (tens
// of megabytes on a large repository) through this writer, without building
// a document per finding, dumping it and indenting the dump.

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

namespace constable::report {

class JsonText {
 public:
  // Writes into `out`; `depth` is the indentation, in spaces, of the line the
  // first value starts on (the caller writes that line's indentation).
  JsonText(std::string& out, int depth, int indent_step = 2);

  void begin_object();
  void end_object();
  void begin_array();
  void end_array();
  // An object member's key; its value is written next.
  JsonText& key(std::string_view name);

  void string(std::string_view value);
  void number(std::int64_t value);
  void unsigned_number(std::uint64_t value);
  void boolean(bool value);
  void null();

 private:
  void before_value();
  void newline_and_indent();

  struct Level {
    bool array = false;
    bool empty = true;
  };
  std::string& out_;
  int depth_;
  int step_;
  std::vector<Level> levels_;
};

// `value` as a JSON string literal, quotes included, appended to `out`.
void append_json_string(std::string& out, std::string_view value);

}  // namespace constable::report
