// GitHub Actions workflow commands: one annotation per finding, most severe
// first, within what GitHub shows, then plain lines for the rest.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/common.hpp"

namespace constable::report {
namespace {

// GitHub shows at most 10 annotations of each level (error, warning, notice)
// per step and 50 per job; further ones are dropped without a word
// (actions/toolkit, docs/problem-matchers.md, "Limitations").
constexpr std::size_t kAnnotationsPerLevel = 10;
constexpr std::size_t kAnnotationsPerJob = 50;

enum class Level : std::uint8_t { error, warning, notice };

Level level_of(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high: return Level::error;
    case Severity::medium: return Level::warning;
    case Severity::low: return Level::notice;
  }
  return Level::warning;
}

std::string_view command_of(Level level) {
  switch (level) {
    case Level::error: return "error";
    case Level::warning: return "warning";
    case Level::notice: return "notice";
  }
  return "warning";
}

// The escaping of @actions/core (packages/core/src/command.ts, escapeData and
// escapeProperty): '%' first, so the escapes it writes are not escaped again;
// properties also escape the ':' and ',' that delimit them. A newline can
// therefore never end the command and start another.
std::string escape_data(std::string_view s) {
  std::string out;
  for (char c : detail::printable(s, true)) {
    switch (c) {
      case '%': out += "%25"; break;
      case '\r': out += "%0D"; break;
      case '\n': out += "%0A"; break;
      default: out += c;
    }
  }
  return out;
}

std::string escape_property(std::string_view s) {
  std::string out;
  for (char c : escape_data(s)) {
    switch (c) {
      case ':': out += "%3A"; break;
      case ',': out += "%2C"; break;
      default: out += c;
    }
  }
  return out;
}

// A plain log line: one line, whatever the text holds, so nothing in it can
// be read as a workflow command.
std::string one_line(std::string_view s) { return detail::printable(s, false); }

std::string annotation(const Report& report, const engine::Finding& finding) {
  std::vector<std::string> properties;
  const auto location = detail::file_location(report, finding);
  if (location) {
    properties.push_back("file=" + escape_property(location->path));
    const SourceRange& range = location->range;
    if (range.line > 0) {
      properties.push_back(fmt::format("line={}", range.line));
      if (range.column > 0) properties.push_back(fmt::format("col={}", range.column));
      if (range.end_line > range.line) properties.push_back(fmt::format("endLine={}", range.end_line));
      if (range.end_line == range.line && range.column > 0 && range.end_column > range.column)
        properties.push_back(fmt::format("endColumn={}", range.end_column));
    }
  }
  properties.push_back("title=" + escape_property(fmt::format("{} ({})", finding.check_id, to_string(finding.severity))));

  std::string message = finding.message;
  if ((!location || location->at_clause) && !finding.path.empty() && finding.path != ".")
    message += "\npath: " + finding.path;
  if (!finding.clause_id.empty()) message += fmt::format("\nclause: {} — \"{}\"", finding.clause_id, finding.clause_text);
  message += finding.in_transition() ? "\n" + detail::due_text(finding) : "\ndue: " + finding.due.to_string();
  if (!finding.remediation.empty()) message += "\nfix: " + finding.remediation;
  const Level level = finding.in_transition() ? Level::warning : level_of(finding.severity);
  return fmt::format("::{} {}::{}\n", command_of(level), fmt::join(properties, ","),
                     escape_data(message));
}

}  // namespace

std::string render_github(const Report& report) {
  std::string out;
  std::array<std::size_t, 3> shown_per_level{};
  std::size_t shown = 0;
  detail::SeverityCounts left_out{};
  for (const engine::Finding* finding : detail::most_severe_first(report)) {
    std::size_t& level_count = shown_per_level[static_cast<std::size_t>(level_of(finding->severity))];
    if (level_count >= kAnnotationsPerLevel || shown >= kAnnotationsPerJob) {
      ++left_out[static_cast<std::size_t>(finding->severity)];
      continue;
    }
    ++level_count;
    ++shown;
    out += annotation(report, *finding);
  }

  std::size_t left_out_total = 0;
  for (std::size_t n : left_out) left_out_total += n;
  if (left_out_total > 0) {
    out += fmt::format(
        "constable: {} more finding{} not annotated, as GitHub shows {} annotations of each level per step: {}; "
        "the other formats list them all\n",
        left_out_total, left_out_total == 1 ? "" : "s", kAnnotationsPerLevel,
        detail::severity_counts_text(left_out));
  }
  for (const workspace::Note& note : detail::notes_of(report))
    out += fmt::format("constable: note: {}: {}\n", one_line(note.path), one_line(note.message));

  const detail::Summary summary = detail::summarize(report);
  out += fmt::format("constable: {}, {} suppressed; ", detail::violations_and_warnings_text(summary),
                     summary.suppressed);
  if (report.fail_on_none) {
    out += "fail-on none: nothing fails the run.\n";
  } else {
    out += fmt::format("{} at or above the fail-on threshold ({}).\n", summary.failing, to_string(report.fail_on));
  }
  return out;
}

}  // namespace constable::report
