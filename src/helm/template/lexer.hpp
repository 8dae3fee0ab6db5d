#pragma once
// Splits a Go text/template into tokens: text between actions (already
// trimmed by `{{-` / `-}}`), and the items inside actions. Mirrors
// text/template/parse's lexer, including its error messages.

#include <cstdint>
#include <memory_resource>
#include <string>
#include <string_view>
#include <vector>

namespace constable::helm::tmpl {

enum class Tok : std::uint8_t {
  text,
  left_delim,
  right_delim,
  space,
  identifier,  // function names and keywords
  field,       // .Name
  variable,    // $ or $name
  dot,
  string,      // value already unquoted
  char_constant,
  number,
  boolean,
  pipe,
  left_paren,
  right_paren,
  declare,  // :=
  assign,   // =
  comma,
  eof,
  error,  // text is the message
};

// A token's text views the template, or `strings` where lexing made it
// (an unquoted literal, an error message).
struct Token {
  Tok type = Tok::eof;
  std::string_view text;
  std::size_t offset = 0;  // byte offset in the template
};

// Tokens one template may have: memory for tokens and the tree they make
// grows with them (a megabyte of nested parentheses is half a million
// levels), and real templates stay far below (tens of thousands).
inline constexpr std::size_t kMaxTokens = 1'000'000;

// Tokenizes the whole template; the last token is eof or error.
std::vector<Token> lex(std::string_view input, std::pmr::memory_resource& strings);

// 1-based line and byte column of an offset. A parser asks in the order of
// its tokens, so each search starts at the line of the one before (a binary
// search for every node was a fifth of the parse); one index per parse.
class LineIndex {
 public:
  struct Position {
    int line = 0;
    int column = 0;
  };
  explicit LineIndex(std::string_view text);
  Position position(std::size_t offset) const;
  int line(std::size_t offset) const { return position(offset).line; }
  int column(std::size_t offset) const { return position(offset).column; }

 private:
  std::vector<std::size_t> starts_;
  mutable std::size_t last_ = 0;  // index in starts_ of the line last answered
};

}  // namespace constable::helm::tmpl
