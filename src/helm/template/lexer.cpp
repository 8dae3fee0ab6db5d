#include "helm/template/lexer.hpp"

#include <algorithm>
#include <cstring>

#include <fmt/format.h>

#include "core/text.hpp"

namespace constable::helm::tmpl {

namespace {

constexpr std::string_view kLeft = "{{";
constexpr std::string_view kRight = "}}";

bool is_space(char c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }
bool is_alnum(char c) {
  return c == '_' || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
         static_cast<unsigned char>(c) >= 0x80;
}
bool is_digit(char c) { return c >= '0' && c <= '9'; }


int hex_value(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Unquotes a Go interpreted string or char literal body; false on a bad escape.
bool unquote_go(std::string_view body, char quote, std::string& out) {
  for (std::size_t i = 0; i < body.size(); ++i) {
    char c = body[i];
    if (c != '\\') {
      if (c == quote || c == '\n') return false;
      out += c;
      continue;
    }
    if (++i >= body.size()) return false;
    c = body[i];
    switch (c) {
      case 'a': out += '\a'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'n': out += '\n'; break;
      case 'r': out += '\r'; break;
      case 't': out += '\t'; break;
      case 'v': out += '\v'; break;
      case '\\': out += '\\'; break;
      case '\'':
      case '"':
        if (c != quote) return false;
        out += c;
        break;
      case 'x':
      case 'u':
      case 'U': {
        const std::size_t n = c == 'x' ? 2 : c == 'u' ? 4 : 8;
        if (i + n >= body.size() + 0 && i + n > body.size() - 1 + 1) return false;
        std::uint32_t cp = 0;
        for (std::size_t k = 1; k <= n; ++k) {
          if (i + k >= body.size()) return false;
          const int h = hex_value(body[i + k]);
          if (h < 0) return false;
          cp = cp * 16 + static_cast<std::uint32_t>(h);
        }
        i += n;
        if (c == 'x')
          out += static_cast<char>(cp);
        else
          text::append_utf8(out, cp);
        break;
      }
      default:
        if (c >= '0' && c <= '7') {
          if (i + 2 >= body.size()) return false;
          int v = 0;
          for (std::size_t k = 0; k < 3; ++k) {
            const char d = body[i + k];
            if (d < '0' || d > '7') return false;
            v = v * 8 + (d - '0');
          }
          if (v > 255) return false;
          out += static_cast<char>(v);
          i += 2;
          break;
        }
        return false;
    }
  }
  return true;
}

class Lexer {
 public:
  Lexer(std::string_view input, std::pmr::memory_resource& strings) : in_(input), strings_(strings) {}

  std::vector<Token> run() {
    reserve_for_actions();
    bool trim_next_text = false;
    while (true) {
      const std::size_t open = in_.find(kLeft, pos_);
      const std::size_t text_end = open == std::string_view::npos ? in_.size() : open;
      std::size_t text_start = pos_;
      if (trim_next_text)
        while (text_start < text_end && is_space(in_[text_start])) ++text_start;
      std::size_t kept_end = text_end;
      bool left_trim = false;
      if (open != std::string_view::npos && open + 3 < in_.size() + 1 && open + 2 < in_.size() &&
          in_[open + 2] == '-' && open + 3 < in_.size() && is_space(in_[open + 3])) {
        left_trim = true;
        while (kept_end > text_start && is_space(in_[kept_end - 1])) --kept_end;
      }
      if (kept_end > text_start) emit(Tok::text, in_.substr(text_start, kept_end - text_start), text_start);
      if (open == std::string_view::npos) {
        emit(Tok::eof, "", in_.size());
        return std::move(out_);
      }
      pos_ = open + 2 + (left_trim ? 2 : 0);
      // Comments: {{/* ... */}} with nothing between the comment and the delimiters.
      if (in_.substr(pos_).starts_with("/*")) {
        const std::size_t close = in_.find("*/", pos_ + 2);
        if (close == std::string_view::npos) return error("unclosed comment", open);
        pos_ = close + 2;
        int trim = right_delim_at(pos_);
        if (trim < 0) return error("comment ends before closing delimiter", open);
        trim_next_text = trim == 1;
        pos_ += trim == 1 ? 4 : 2;
        continue;
      }
      emit(Tok::left_delim, left_trim ? "{{-" : "{{", open);
      int paren_depth = 0;
      while (true) {
        if (pos_ >= in_.size()) return error("unclosed action", open);
        if (out_.size() >= kMaxTokens)
          return error(fmt::format("template too large: more than {} tokens", kMaxTokens), pos_);
        const int trim = right_delim_at(pos_);
        if (trim >= 0 && (trim == 1 || paren_depth == 0 || true)) {
          if (trim == 1 || in_.substr(pos_).starts_with(kRight)) {
            if (paren_depth > 0) return error("unclosed left paren", pos_);
            emit(Tok::right_delim, trim == 1 ? "-}}" : "}}", pos_);
            pos_ += trim == 1 ? 4 : 2;
            trim_next_text = trim == 1;
            break;
          }
        }
        const char c = in_[pos_];
        if (is_space(c)) {
          // A space before "-}}" belongs to the delimiter.
          std::size_t end = pos_;
          while (end < in_.size() && is_space(in_[end])) ++end;
          if (end < in_.size() && in_[end] == '-' && in_.substr(end + 1).starts_with(kRight)) {
            if (end - 1 > pos_) emit(Tok::space, " ", pos_);
            pos_ = end - 1;
            continue;
          }
          emit(Tok::space, " ", pos_);
          pos_ = end;
        } else if (c == '|') {
          emit(Tok::pipe, "|", pos_++);
        } else if (c == '(') {
          ++paren_depth;
          emit(Tok::left_paren, "(", pos_++);
        } else if (c == ')') {
          if (--paren_depth < 0) return error("unexpected right paren", pos_);
          emit(Tok::right_paren, ")", pos_++);
        } else if (c == ':') {
          if (pos_ + 1 >= in_.size() || in_[pos_ + 1] != '=') return error("expected :=", pos_);
          emit(Tok::declare, ":=", pos_);
          pos_ += 2;
        } else if (c == '=') {
          emit(Tok::assign, "=", pos_++);
        } else if (c == ',') {
          emit(Tok::comma, ",", pos_++);
        } else if (c == '"') {
          if (!lex_quote()) return std::move(out_);
        } else if (c == '`') {
          const std::size_t close = in_.find('`', pos_ + 1);
          if (close == std::string_view::npos) return error("unterminated raw quoted string", pos_);
          const std::string_view body = in_.substr(pos_ + 1, close - pos_ - 1);
          if (body.find('\r') == std::string_view::npos) {
            emit(Tok::string, body, pos_);
          } else {
            std::string without_returns(body);
            std::erase(without_returns, '\r');
            emit(Tok::string, keep(without_returns), pos_);
          }
          pos_ = close + 1;
        } else if (c == '\'') {
          if (!lex_char()) return std::move(out_);
        } else if (c == '$') {
          std::size_t end = pos_ + 1;
          while (end < in_.size() && is_alnum(in_[end])) ++end;
          emit(Tok::variable, in_.substr(pos_, end - pos_), pos_);
          pos_ = end;
        } else if (c == '.') {
          if (pos_ + 1 < in_.size() && is_digit(in_[pos_ + 1])) {
            if (!lex_number()) return std::move(out_);
            continue;
          }
          std::size_t end = pos_ + 1;
          while (end < in_.size() && is_alnum(in_[end])) ++end;
          if (end == pos_ + 1)
            emit(Tok::dot, ".", pos_);
          else
            emit(Tok::field, in_.substr(pos_ + 1, end - pos_ - 1), pos_);
          pos_ = end;
        } else if (is_digit(c) || ((c == '+' || c == '-') && pos_ + 1 < in_.size() &&
                                   (is_digit(in_[pos_ + 1]) || in_[pos_ + 1] == '.'))) {
          if (!lex_number()) return std::move(out_);
        } else if (is_alnum(c)) {
          std::size_t end = pos_;
          while (end < in_.size() && is_alnum(in_[end])) ++end;
          const std::string_view word = in_.substr(pos_, end - pos_);
          emit(word == "true" || word == "false" ? Tok::boolean : Tok::identifier, word, pos_);
          pos_ = end;
        } else {
          return error(fmt::format("unexpected \"{}\" in command", std::string(1, c)), pos_);
        }
      }
    }
  }

 private:
  // -1: no right delimiter here; 0: "}}"; 1: " -}}" (whitespace, dash, braces).
  int right_delim_at(std::size_t at) const {
    if (in_.substr(at).starts_with(kRight)) return 0;
    if (at + 3 < in_.size() + 0 + 1 && at < in_.size() && is_space(in_[at]) && in_.substr(at + 1).starts_with("-}}"))
      return 1;
    return -1;
  }

  bool lex_quote() {
    std::size_t i = pos_ + 1;
    while (i < in_.size() && in_[i] != '"') {
      if (in_[i] == '\\') ++i;
      if (i < in_.size() && in_[i] == '\n') {
        emit(Tok::error, "unterminated quoted string", pos_);
        return false;
      }
      ++i;
    }
    if (i >= in_.size()) {
      emit(Tok::error, "unterminated quoted string", pos_);
      return false;
    }
    const std::string_view body = in_.substr(pos_ + 1, i - pos_ - 1);
    if (body.find('\\') == std::string_view::npos) {  // nothing to unquote: the token views the template
      emit(Tok::string, body, pos_);
      pos_ = i + 1;
      return true;
    }
    std::string value;
    if (!unquote_go(body, '"', value)) {
      emit(Tok::error, keep(fmt::format("invalid syntax: {}", in_.substr(pos_, i + 1 - pos_))), pos_);
      return false;
    }
    emit(Tok::string, keep(value), pos_);
    pos_ = i + 1;
    return true;
  }

  bool lex_char() {
    std::size_t i = pos_ + 1;
    while (i < in_.size() && in_[i] != '\'') {
      if (in_[i] == '\\') ++i;
      if (i < in_.size() && in_[i] == '\n') break;
      ++i;
    }
    if (i >= in_.size() || in_[i] != '\'') {
      emit(Tok::error, "unterminated character constant", pos_);
      return false;
    }
    std::string value;
    if (!unquote_go(in_.substr(pos_ + 1, i - pos_ - 1), '\'', value) || value.empty()) {
      emit(Tok::error, keep(fmt::format("malformed character constant: {}", in_.substr(pos_, i + 1 - pos_))), pos_);
      return false;
    }
    emit(Tok::char_constant, keep(value), pos_);
    pos_ = i + 1;
    return true;
  }

  bool lex_number() {
    std::size_t i = pos_;
    if (in_[i] == '+' || in_[i] == '-') ++i;
    std::string_view digits = "0123456789_";
    if (i + 1 < in_.size() && in_[i] == '0') {
      const char p = static_cast<char>(in_[i + 1] | 0x20);
      if (p == 'x') digits = "0123456789abcdefABCDEF_";
      if (p == 'o') digits = "01234567_";
      if (p == 'b') digits = "01_";
      if (digits.size() != 11) i += 2;
    }
    auto run = [&](std::string_view set) {
      while (i < in_.size() && set.find(in_[i]) != std::string_view::npos) ++i;
    };
    run(digits);
    if (i < in_.size() && in_[i] == '.') {
      ++i;
      run(digits);
    }
    if (i < in_.size() && (digits.size() == 11 ? (in_[i] | 0x20) == 'e' : (in_[i] | 0x20) == 'p')) {
      ++i;
      if (i < in_.size() && (in_[i] == '+' || in_[i] == '-')) ++i;
      run("0123456789_");
    }
    if (i < in_.size() && in_[i] == 'i') ++i;
    if (i < in_.size() && is_alnum(in_[i])) {
      while (i < in_.size() && is_alnum(in_[i])) ++i;
      emit(Tok::error, keep(fmt::format("bad number syntax: \"{}\"", in_.substr(pos_, i - pos_))), pos_);
      return false;
    }
    emit(Tok::number, in_.substr(pos_, i - pos_), pos_);
    pos_ = i;
    return true;
  }

  void emit(Tok type, std::string_view text, std::size_t offset) { out_.push_back(Token{type, text, offset}); }

  // A text lexing made, kept where the tokens can view it.
  std::string_view keep(std::string_view made) {
    if (made.empty()) return {};
    auto* at = static_cast<char*>(strings_.allocate(made.size(), 1));
    std::memcpy(at, made.data(), made.size());
    return {at, made.size()};
  }

  // Room for the tokens the actions will make, about ten each with the text
  // before it: growing the vector moved every token at each doubling, most
  // of the time lexing took.
  void reserve_for_actions() {
    constexpr std::size_t kTokensPerAction = 10;
    std::size_t actions = 0;
    for (std::size_t at = text::find(in_, kLeft); at != std::string_view::npos; at = text::find(in_, kLeft, at + 2))
      ++actions;
    out_.reserve(std::min(kMaxTokens, 2 + actions * kTokensPerAction));
  }

  // Ends lexing with an error token: `return error(...)` in run() only. The
  // helpers that return false emit Tok::error themselves, since this hands
  // the tokens over and would leave run() with none.
  std::vector<Token> error(std::string_view message, std::size_t offset) {
    emit(Tok::error, keep(message), offset);
    return std::move(out_);
  }

  std::string_view in_;
  std::pmr::memory_resource& strings_;
  std::size_t pos_ = 0;
  std::vector<Token> out_;
};

}  // namespace

std::vector<Token> lex(std::string_view input, std::pmr::memory_resource& strings) {
  return Lexer(input, strings).run();
}

LineIndex::LineIndex(std::string_view text) {
  starts_.push_back(0);
  const char* const begin = text.data();
  const char* const end = begin + text.size();
  for (const char* p = begin; p < end;) {
    p = static_cast<const char*>(std::memchr(p, '\n', static_cast<std::size_t>(end - p)));
    if (p == nullptr) break;
    starts_.push_back(static_cast<std::size_t>(++p - begin));
  }
}

LineIndex::Position LineIndex::position(std::size_t offset) const {
  std::size_t i = last_;
  if (offset < starts_[i]) {
    i = static_cast<std::size_t>(std::upper_bound(starts_.begin(), starts_.begin() + static_cast<long>(i), offset) -
                                 starts_.begin()) - 1;
  } else {
    // The same line as the last token, or one of the next few; else search.
    std::size_t step = 0;
    while (i + 1 < starts_.size() && starts_[i + 1] <= offset && step++ < 4) ++i;
    if (i + 1 < starts_.size() && starts_[i + 1] <= offset)
      i = static_cast<std::size_t>(std::upper_bound(starts_.begin() + static_cast<long>(i), starts_.end(), offset) -
                                   starts_.begin()) - 1;
  }
  last_ = i;
  return {static_cast<int>(i) + 1, static_cast<int>(offset - starts_[i]) + 1};
}

}  // namespace constable::helm::tmpl
