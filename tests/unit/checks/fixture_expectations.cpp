#include "unit/checks/fixture_expectations.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <optional>

#include "core/text.hpp"

namespace constable::testing {

namespace {

// The text after `<prefix> <keyword>:` on a comment line, or nullopt.
std::optional<std::string_view> annotation(std::string_view line, std::string_view prefix, std::string_view keyword) {
  std::string_view rest = text::trim(line);
  if (!rest.starts_with(prefix)) return std::nullopt;
  rest = text::trim(rest.substr(prefix.size()));
  if (!rest.starts_with(keyword)) return std::nullopt;
  rest = rest.substr(keyword.size());
  if (!rest.starts_with(':')) return std::nullopt;
  return text::trim(rest.substr(1));
}

}  // namespace

FixtureExpectations parse_expectations(std::string_view text, std::string_view comment_prefix,
                                       PrefixedLines prefixed) {
  FixtureExpectations out;
  const std::vector<std::string_view> lines = text::split_lines(text::strip_bom(text));
  std::vector<std::pair<int, std::string>> pending;  // (line of the annotation, check id)
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const int number = static_cast<int>(i) + 1;
    const std::string_view line = text::trim(lines[i]);
    if (line.empty()) continue;
    const auto ids = annotation(line, comment_prefix, "expect");
    const auto setting = annotation(line, comment_prefix, "config");
    if (line.starts_with(comment_prefix) && (prefixed == PrefixedLines::comments || ids || setting)) {
      if (ids) {
        bool any = false;
        for (std::string_view id : text::split(*ids, ',')) {
          id = text::trim(id);
          if (id.empty()) continue;
          pending.emplace_back(number, std::string(id));
          any = true;
        }
        if (!any) out.errors.push_back(fmt::format("line {}: '# expect:' names no check", number));
      } else if (setting) {
        const std::size_t eq = setting->find('=');
        if (eq == std::string_view::npos) {
          out.errors.push_back(fmt::format("line {}: '# config:' needs key=value", number));
        } else {
          out.config.emplace_back(std::string(text::trim(setting->substr(0, eq))),
                                  std::string(text::trim(setting->substr(eq + 1))));
        }
      }
      continue;
    }
    for (auto& [annotation_line, id] : pending) out.findings.push_back({number, std::move(id)});
    pending.clear();
  }
  for (const auto& [annotation_line, id] : pending) {
    out.errors.push_back(fmt::format("line {}: expectation '{}' is followed by no line", annotation_line, id));
  }
  std::sort(out.findings.begin(), out.findings.end());
  return out;
}

std::string compare_findings(const FixtureExpectations& expected, const std::vector<ActualFinding>& actual,
                             const std::vector<std::string_view>& lines) {
  std::vector<ExpectedFinding> remaining = expected.findings;
  std::vector<const ActualFinding*> unexpected;
  std::vector<const ActualFinding*> sorted;
  for (const ActualFinding& finding : actual) sorted.push_back(&finding);
  std::stable_sort(sorted.begin(), sorted.end(), [](const ActualFinding* a, const ActualFinding* b) {
    return std::tie(a->line, a->check_id) < std::tie(b->line, b->check_id);
  });
  for (const ActualFinding* finding : sorted) {
    const auto it = std::find(remaining.begin(), remaining.end(), ExpectedFinding{finding->line, finding->check_id});
    if (it != remaining.end()) {
      remaining.erase(it);
    } else {
      unexpected.push_back(finding);
    }
  }
  const auto source = [&](int line) -> std::string {
    if (line < 1 || static_cast<std::size_t>(line) > lines.size()) return "";
    return fmt::format("\n      | {}", lines[static_cast<std::size_t>(line - 1)]);
  };
  std::string report;
  for (const std::string& error : expected.errors) report += fmt::format("  bad annotation: {}\n", error);
  for (const ExpectedFinding& missing : remaining) {
    report += fmt::format("  line {}: missing {}{}\n", missing.line, missing.check_id, source(missing.line));
  }
  for (const ActualFinding* extra : unexpected) {
    report += fmt::format("  line {}: unexpected {}: {}{}\n", extra->line, extra->check_id, extra->message,
                          source(extra->line));
  }
  return report;
}

}  // namespace constable::testing
