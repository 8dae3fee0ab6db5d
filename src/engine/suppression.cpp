#include "engine/suppression.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <iterator>

#include "core/text.hpp"

namespace constable::engine {

namespace {

constexpr std::string_view kMarker = "constable:ignore";

bool is_comment_or_blank(std::string_view line) {
  const auto t = text::trim(line);
  return t.empty() || t.starts_with('#') || t.starts_with("//") || t.starts_with("<!--");
}

// Reads `key=value` or `key="value with spaces"` attributes after the id list.
void read_attributes(std::string_view rest, InlineSuppression& s) {
  bool has_reason = false;
  while (!rest.empty()) {
    rest = text::trim(rest);
    const auto eq = rest.find('=');
    if (eq == std::string_view::npos) break;
    const std::string key = text::to_lower(text::trim(rest.substr(0, eq)));
    rest.remove_prefix(eq + 1);
    std::string value;
    if (!rest.empty() && (rest.front() == '"' || rest.front() == '\'')) {
      const char quote = rest.front();
      rest.remove_prefix(1);
      const auto end = rest.find(quote);
      value = std::string(rest.substr(0, end));
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end + 1);
    } else {
      const auto end = rest.find_first_of(" \t");
      value = std::string(rest.substr(0, end));
      rest.remove_prefix(end == std::string_view::npos ? rest.size() : end);
    }
    if (key == "reason") {
      s.reason = std::string(text::trim(value));
      has_reason = !s.reason.empty();
    } else if (key == "until") {
      s.until = Date::parse(value);
      if (!s.until && s.problem.empty()) s.problem = fmt::format("'until={}' is not a date (YYYY-MM-DD)", value);
    }
  }
  if (!has_reason && s.problem.empty()) s.problem = "a reason is required: add reason=\"...\"";
}

// A marker after an odd number of backticks or double quotes on its line is
// quoted: documentation showing the syntax (`constable:ignore[...]`) or a
// string literal, not a comment that suppresses. A backslash escapes the
// character after it: `"... \"constable:ignore[\" ..."` is one string.
bool is_quoted(std::string_view before) {
  std::size_t backticks = 0, quotes = 0;
  for (std::size_t i = 0; i < before.size(); ++i) {
    if (before[i] == '\\') {
      ++i;
      continue;
    }
    backticks += before[i] == '`' ? 1 : 0;
    quotes += before[i] == '"' ? 1 : 0;
  }
  return backticks % 2 == 1 || quotes % 2 == 1;
}

// A marker behind two comment leaders (`//   # constable:ignore[...]` in a
// C++ header, ` * # constable:ignore[...]` in a block comment) is an example
// of the syntax written inside a comment: a suppression takes one.
bool is_inside_a_comment(std::string_view before) {
  static constexpr std::string_view kLeaders[] = {"#", "//", "--", ";", "/*", "*", "<!--"};
  std::size_t leaders = 0;
  const auto is_space = [](char c) { return c == ' ' || c == '\t'; };
  for (std::size_t i = 0; i < before.size();) {
    if (is_space(before[i])) {
      ++i;
      continue;
    }
    std::size_t end = i;
    while (end < before.size() && !is_space(before[end])) ++end;
    if (std::find(std::begin(kLeaders), std::end(kLeaders), before.substr(i, end - i)) == std::end(kLeaders))
      return false;
    ++leaders;
    i = end;
  }
  return leaders >= 2;
}

}  // namespace

bool may_hold_suppressions(std::string_view text) { return text::contains(text, kMarker); }

std::vector<InlineSuppression> find_suppressions(const std::vector<std::string_view>& lines) {
  std::vector<InlineSuppression> found;
  bool in_fence = false;  // a Markdown code block: an example, not a comment
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (text::trim(line).starts_with("```")) in_fence = !in_fence;
    const auto at = line.find(kMarker);
    if (at == std::string_view::npos || in_fence || is_quoted(line.substr(0, at)) ||
        is_inside_a_comment(line.substr(0, at)))
      continue;
    InlineSuppression s;
    s.line = static_cast<int>(i + 1);
    s.column = static_cast<int>(at + 1);
    std::string_view rest = line.substr(at + kMarker.size());
    if (rest.starts_with("-file")) {
      s.file_wide = true;
      rest.remove_prefix(5);
    }
    if (!rest.starts_with('[') || rest.find(']') == std::string_view::npos) {
      s.problem = "expected constable:ignore[CHECK-ID] reason=\"...\"";
      found.push_back(std::move(s));
      continue;
    }
    const auto close = rest.find(']');
    for (auto id : text::split(rest.substr(1, close - 1), ',')) {
      const auto trimmed = text::trim(id);
      if (!trimmed.empty()) s.checks.emplace_back(trimmed);
    }
    if (s.checks.empty()) s.problem = "no check id between the brackets";
    read_attributes(rest.substr(close + 1), s);
    if (!s.file_wide) {
      s.target_line = s.line;
      for (std::size_t j = i + 1; j < lines.size(); ++j) {
        if (!is_comment_or_blank(lines[j])) {
          s.target_line = static_cast<int>(j + 1);
          break;
        }
      }
    }
    found.push_back(std::move(s));
  }
  return found;
}

}  // namespace constable::engine
