#include "report/json_text.hpp"

#include <charconv>
#include <cstdint>
#include <cstring>

#include "core/text.hpp"

namespace constable::report {

namespace {

// Valid UTF-8 only (the caller sanitised it): escapes what nlohmann escapes
// with ensure_ascii off, the quote, the backslash and the C0 controls, and
// copies everything else, runs at a time.
void append_escaped(std::string& out, std::string_view s) {
  static constexpr char kHex[] = "0123456789abcdef";
  std::size_t run = 0;
  for (std::size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    if (c >= 0x20 && c != '"' && c != '\\') continue;
    out.append(s.data() + run, i - run);
    run = i + 1;
    switch (c) {
      case '"': out += "\\\""; break;
      case '\\': out += "\\\\"; break;
      case '\b': out += "\\b"; break;
      case '\f': out += "\\f"; break;
      case '\n': out += "\\n"; break;
      case '\r': out += "\\r"; break;
      case '\t': out += "\\t"; break;
      default:
        out += "\\u00";
        out += kHex[c >> 4];
        out += kHex[c & 0xF];
    }
  }
  out.append(s.data() + run, s.size() - run);
}

// Whether none of the word's eight bytes needs a look: a C0 control, the
// quote, the backslash, or a byte of a multibyte sequence (SWAR: a byte
// below n shows as a borrow into its high bit of (w - n...) & ~w).
bool word_is_plain(std::uint64_t w) {
  constexpr std::uint64_t kOnes = 0x0101010101010101ULL;
  constexpr std::uint64_t kHigh = 0x8080808080808080ULL;
  auto has_zero_byte = [](std::uint64_t v) { return (v - kOnes) & ~v & kHigh; };
  return ((w & kHigh) | ((w - kOnes * 0x20) & ~w & kHigh) | has_zero_byte(w ^ (kOnes * '"')) |
          has_zero_byte(w ^ (kOnes * '\\'))) == 0;
}

}  // namespace

void append_json_string(std::string& out, std::string_view value) {
  out += '"';
  // Most text is ASCII that needs no escape: one scan, eight bytes at a
  // time, and one copy.
  std::size_t plain = 0;
  for (std::uint64_t word = 0;
       plain + sizeof word <= value.size() && (std::memcpy(&word, value.data() + plain, sizeof word), word_is_plain(word));
       plain += sizeof word) {
  }
  for (; plain < value.size(); ++plain) {
    const auto c = static_cast<unsigned char>(value[plain]);
    if (c < 0x20 || c == '"' || c == '\\' || c >= 0x80) break;
  }
  if (plain == value.size()) out += value;
  else if (text::first_invalid_utf8(value.substr(plain))) append_escaped(out, text::sanitize_utf8(value));
  else append_escaped(out, value);
  out += '"';
}

JsonText::JsonText(std::string& out, int depth, int indent_step) : out_(out), depth_(depth), step_(indent_step) {}

void JsonText::newline_and_indent() {
  out_ += '\n';
  out_.append(static_cast<std::size_t>(depth_), ' ');
}

// An array's element starts on a line of its own; an object member's value
// follows its key.
void JsonText::before_value() {
  if (levels_.empty() || !levels_.back().array) return;
  if (!levels_.back().empty) out_ += ',';
  levels_.back().empty = false;
  newline_and_indent();
}

JsonText& JsonText::key(std::string_view name) {
  if (!levels_.back().empty) out_ += ',';
  levels_.back().empty = false;
  newline_and_indent();
  append_json_string(out_, name);
  out_ += ": ";
  return *this;
}

void JsonText::begin_object() {
  before_value();
  out_ += '{';
  levels_.push_back({.array = false, .empty = true});
  depth_ += step_;
}

void JsonText::begin_array() {
  before_value();
  out_ += '[';
  levels_.push_back({.array = true, .empty = true});
  depth_ += step_;
}

void JsonText::end_object() {
  depth_ -= step_;
  if (!levels_.back().empty) newline_and_indent();
  levels_.pop_back();
  out_ += '}';
}

void JsonText::end_array() {
  depth_ -= step_;
  if (!levels_.back().empty) newline_and_indent();
  levels_.pop_back();
  out_ += ']';
}

void JsonText::string(std::string_view value) {
  before_value();
  append_json_string(out_, value);
}

void JsonText::number(std::int64_t value) {
  before_value();
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out_.append(buffer, end);
}

void JsonText::unsigned_number(std::uint64_t value) {
  before_value();
  char buffer[24];
  const auto end = std::to_chars(buffer, buffer + sizeof buffer, value).ptr;
  out_.append(buffer, end);
}

void JsonText::boolean(bool value) {
  before_value();
  out_ += value ? "true" : "false";
}

void JsonText::null() {
  before_value();
  out_ += "null";
}

}  // namespace constable::report
