// docs/todo-owner-date: every TODO comment names an owner and a date.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/docs/docs_checks.hpp"
#include "core/date.hpp"
#include "core/text.hpp"

namespace constable::checks::docs {

namespace {
namespace todo_owner_date_check {

constexpr engine::CheckInfo kInfo{
    .id = "docs/todo-owner-date",
    .domain = "docs",
    .nature = Nature::documentation,
    .summary = "Give every TODO comment an owner and a date",
    .rationale = "A TODO without an owner is nobody's job and one without a date never becomes urgent; both "
                 "turn into permanent noise. Only comments count (`#` in Python, shell and Ruby; `//` and "
                 "`/* */` in C-family languages, Go, Rust, Java, JavaScript and TypeScript); the word inside a "
                 "string literal (quotes, Python triple quotes, JavaScript and Go backticks, C++ raw strings) is "
                 "not a comment. An owner is `TODO(name` or `@name`; a date is YYYY-MM-DD, e.g. "
                 "`TODO(alice, 2026-12-01): ...`.",
    .remediation = "Write the TODO as `TODO(owner, YYYY-MM-DD): what and why`, or open an issue and delete it.",
    .bad_example = "def load():\n    # TODO: handle retries\n    return fetch()\n",
    .good_example = "def load():\n    # TODO(alice, 2026-12-01): handle retries once the API has idempotency keys\n"
                    "    return fetch()\n",
    .parameters = "",
    .clause = {.section = "code-level documentation|documentation", .text = "todo"},
    .file_kind = FileKind::source,
    .stack = "",
    .one_finding_per_file = true,
};

enum class Syntax : std::uint8_t { hash, slash, shell };

Syntax syntax_of(std::string_view path) {
  const auto dot = path.rfind('.');
  const std::string ext = text::to_lower(dot == std::string_view::npos ? "" : path.substr(dot + 1));
  if (ext == "sh" || ext == "bash") return Syntax::shell;
  if (ext == "py" || ext == "pyi" || ext == "rb") return Syntax::hash;
  return Syntax::slash;
}

struct Comment {
  int line = 0;
  int column = 0;  // 1-based byte column of the comment's text on `line`
  std::string_view text;
};

// The comments of a source file, found by a small lexer that knows string
// literals well enough not to mistake their content for comments.
std::vector<Comment> comments(std::string_view source, Syntax syntax, bool python, bool backticks) {
  std::vector<Comment> out;
  int line = 1;
  std::size_t line_start = 0;
  std::size_t i = 0;
  const std::size_t n = source.size();
  auto advance_newline = [&](std::size_t at) {
    ++line;
    line_start = at + 1;
  };
  auto skip_string = [&](std::string_view close, bool escapes) {
    while (i < n) {
      if (escapes && source[i] == '\\') {
        if (i + 1 < n && source[i + 1] == '\n') advance_newline(i + 1);
        i += 2;
        continue;
      }
      if (source.compare(i, close.size(), close) == 0) {
        i += close.size();
        return;
      }
      if (source[i] == '\n') {
        advance_newline(i);
        // Ordinary quotes end at the line's end in every language we read.
        if (close.size() == 1 && close[0] != '`') {
          ++i;
          return;
        }
      }
      ++i;
    }
  };
  while (i < n) {
    const char c = source[i];
    if (c == '\n') {
      advance_newline(i);
      ++i;
      continue;
    }
    const bool hash_comment = (syntax != Syntax::slash && c == '#') &&
                              (syntax != Syntax::shell || i == line_start || std::isspace(static_cast<unsigned char>(source[i - 1])) != 0);
    if (hash_comment || (syntax == Syntax::slash && source.compare(i, 2, "//") == 0)) {
      const std::size_t start = i;
      while (i < n && source[i] != '\n') ++i;
      out.push_back({line, static_cast<int>(start - line_start) + 1, source.substr(start, i - start)});
      continue;
    }
    if (syntax == Syntax::slash && source.compare(i, 2, "/*") == 0) {
      std::size_t start = i;
      i += 2;
      while (i < n && source.compare(i, 2, "*/") != 0) {
        if (source[i] == '\n') {
          out.push_back({line, static_cast<int>(start - line_start) + 1, source.substr(start, i - start)});
          advance_newline(i);
          start = i + 1;
        }
        ++i;
      }
      out.push_back({line, static_cast<int>(start - line_start) + 1, source.substr(start, std::min(i, n) - start)});
      i = std::min(i + 2, n);
      continue;
    }
    if (python && (source.compare(i, 3, "\"\"\"") == 0 || source.compare(i, 3, "'''") == 0)) {
      const std::string close(source.substr(i, 3));
      i += 3;
      skip_string(close, true);
      continue;
    }
    if (syntax == Syntax::slash && c == 'R' && i + 1 < n && source[i + 1] == '"') {  // C++ raw string
      const std::size_t paren = source.find('(', i + 2);
      if (paren != std::string_view::npos && paren - i - 2 <= 16) {
        const std::string close = ")" + std::string(source.substr(i + 2, paren - i - 2)) + "\"";
        i = paren + 1;
        skip_string(close, false);
        continue;
      }
    }
    if (c == '"' || (c == '\'' && syntax != Syntax::slash) || (c == '`' && backticks)) {
      ++i;
      skip_string(std::string_view(&source[i - 1], 1), c != '`' && !(c == '\'' && syntax == Syntax::shell));
      continue;
    }
    if (c == '\'' && syntax == Syntax::slash) {  // a character literal ('"', '\'') or a Rust lifetime
      if (i + 2 < n && source[i + 1] == '\\') {
        const std::size_t close = source.find('\'', i + 3);
        i = close == std::string_view::npos || close - i > 12 ? i + 1 : close + 1;
      } else if (i + 2 < n && source[i + 2] == '\'') {
        i += 3;
      } else {
        ++i;
      }
      continue;
    }
    ++i;
  }
  return out;
}

class TodoOwnerDateCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    const std::string& path = file.file().path;
    const Syntax syntax = syntax_of(path);
    const std::string lower = text::to_lower(path);
    const bool python = lower.ends_with(".py") || lower.ends_with(".pyi");
    const bool backticks = lower.ends_with(".js") || lower.ends_with(".jsx") || lower.ends_with(".ts") ||
                           lower.ends_with(".tsx") || lower.ends_with(".mjs") || lower.ends_with(".cjs") ||
                           lower.ends_with(".go") || syntax == Syntax::shell;
    if (!text::contains(file.text(), "TODO")) return;
    static const RE2 kTodo(R"(\bTODO\b(.*))");
    static const RE2 kDate(R"(\b(\d{4}-\d{2}-\d{2})\b)");
    static const RE2 kOwner(R"(^\s*(?:\(\s*@?[A-Za-z][\w.-]*|\[\s*@?[A-Za-z][\w.-]*)|@[A-Za-z][\w.-]*)");
    for (const Comment& comment : comments(file.text(), syntax, python, backticks)) {
      std::string_view rest;
      re2::StringPiece input(comment.text.data(), comment.text.size());
      re2::StringPiece tail;
      if (!RE2::PartialMatch(input, kTodo, &tail)) continue;
      rest = std::string_view(tail.data(), tail.size());
      // A marker starts the comment or is followed by a colon, a parenthesis
      // or a bracket; prose that mentions the word is not one.
      const std::string_view before = comment.text.substr(0, static_cast<std::size_t>(rest.data() - comment.text.data()) - 4);
      const bool starts = before.find_first_not_of("/*#!- \t") == std::string_view::npos;
      if (!starts && !(rest.starts_with(':') || rest.starts_with('(') || rest.starts_with('['))) continue;
      std::string date;
      const bool dated = RE2::PartialMatch(rest, kDate, &date) && Date::parse(date).has_value();
      const bool owned = RE2::PartialMatch(rest, kOwner);
      if (dated && owned) continue;
      const int column = comment.column + static_cast<int>(rest.data() - comment.text.data()) - 4;
      out.report({comment.line, column, comment.line, column + 4},
                 !dated && !owned ? "TODO comment names no owner and no date"
                 : !owned         ? "TODO comment names no owner (TODO(owner, YYYY-MM-DD))"
                                  : "TODO comment has no date (TODO(owner, YYYY-MM-DD))");
    }
  }
};

}  // namespace todo_owner_date_check
}  // namespace

std::unique_ptr<engine::Check> make_todo_owner_date_check() {
  return engine::make_check<todo_owner_date_check::TodoOwnerDateCheck>();
}

}  // namespace constable::checks::docs
