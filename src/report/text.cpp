// Human-readable output for terminals and CI logs.

#include <fmt/format.h>
#include <fmt/ranges.h>

#include <algorithm>
#include <optional>

#include "core/text.hpp"
#include "report/common.hpp"

namespace constable::report {
namespace {

constexpr std::string_view kReset = "\x1b[0m";
constexpr std::string_view kBold = "\x1b[1m";
constexpr std::string_view kDim = "\x1b[2m";

std::string_view severity_colour(Severity severity) {
  switch (severity) {
    case Severity::critical: return "\x1b[1;31m";
    case Severity::high: return "\x1b[31m";
    case Severity::medium: return "\x1b[33m";
    case Severity::low: return "\x1b[36m";
  }
  return "";
}

using detail::terminal_safe;

class Painter {
 public:
  explicit Painter(bool on) : on_(on) {}
  std::string operator()(std::string_view style, std::string_view s) const {
    if (!on_ || style.empty()) return std::string(s);
    return fmt::format("{}{}{}", style, s, kReset);
  }

 private:
  bool on_;
};

std::string location_label(const SourceRange& range) {
  if (range.line <= 0) return "file";
  if (range.column <= 0) return fmt::format("{}", range.line);
  return fmt::format("{}:{}", range.line, range.column);
}

// The marker line under a snippet: whitespace up to the column (tabs kept so
// it lines up), then one caret per code point of the range on that line.
std::string underline(std::string_view line, const SourceRange& range) {
  std::vector<std::string_view> points;
  for (std::size_t i = 0; i < line.size();) {
    std::size_t n = 1;
    while (i + n < line.size() && (static_cast<unsigned char>(line[i + n]) & 0xC0) == 0x80) ++n;
    points.push_back(line.substr(i, n));
    i += n;
  }
  const auto start = static_cast<std::size_t>(range.column - 1);
  if (start > points.size()) return {};
  std::string out;
  for (std::size_t i = 0; i < start; ++i) out += points[i] == "\t" ? '\t' : ' ';
  std::size_t width = 1;
  if (range.end_line == range.line && range.end_column > range.column) {
    width = static_cast<std::size_t>(range.end_column - range.column);
  } else if (range.end_line > range.line) {
    width = points.size() > start ? points.size() - start : 1;
  }
  width = std::clamp<std::size_t>(width, 1, std::max<std::size_t>(points.size() - std::min(start, points.size()), 1));
  out.append(width, '^');
  return out;
}

void render_finding(std::string& out, const engine::Finding& finding, const Painter& paint) {
  const std::string severity = std::string(to_string(finding.severity));
  out += fmt::format("  {}  {}{}  {}  {}\n", location_label(finding.range),
                     paint(severity_colour(finding.severity), severity),
                     std::string(std::max<std::size_t>(8, severity.size()) - severity.size(), ' '),
                     terminal_safe(finding.check_id), terminal_safe(finding.message));
  if (finding.range.line > 0 && !finding.snippet.empty()) {
    const std::string snippet = terminal_safe(finding.snippet);
    out += fmt::format("{:>5} | {}\n", finding.range.line, snippet);
    if (finding.range.column > 0) {
      const std::string marks = underline(snippet, finding.range);
      const auto caret = marks.find('^');
      if (caret != std::string::npos) {
        out += fmt::format("{:>5} | {}{}\n", "", marks.substr(0, caret),
                           paint(severity_colour(finding.severity), marks.substr(caret)));
      }
    }
  }
  if (!finding.also_at.empty()) {
    // The first few further places; JSON and SARIF list them all.
    constexpr std::size_t kShown = 5;
    std::vector<std::string> shown;
    for (std::size_t i = 0; i < std::min(kShown, finding.also_at.size()); ++i)
      shown.push_back(location_label(finding.also_at[i].range));
    std::string places = fmt::format("{}", fmt::join(shown, ", "));
    if (finding.also_at.size() > kShown) places += fmt::format(" and {} more", finding.also_at.size() - kShown);
    out += paint(kDim, fmt::format("      also at: {}", places));
    out += '\n';
  }
  if (!finding.clause_id.empty()) {
    out += paint(kDim, fmt::format("      clause: {} — \"{}\"", terminal_safe(finding.clause_id),
                                   terminal_safe(finding.clause_text)));
    out += '\n';
  }
  out += finding.in_transition() ? paint(kDim, "      " + terminal_safe(detail::due_text(finding)))
                                 : paint(kDim, fmt::format("      due: {}", finding.due.to_string()));
  out += '\n';
  if (!finding.remediation.empty()) {
    out += paint(kDim, fmt::format("      fix: {}", terminal_safe(finding.remediation)));
    out += '\n';
  }
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

// The findings, grouped by file (report order), or by severity and then file.
std::string findings_block(const Report& report, const RenderOptions& options, const Painter& paint) {
  std::vector<const engine::Finding*> shown;
  if (options.sort == SortOrder::severity) {
    shown = detail::most_severe_first(report);
  } else {
    for (const engine::Finding& finding : detail::findings_of(report))
      if (!finding.suppressed()) shown.push_back(&finding);
  }
  std::string out;
  const std::string* current_path = nullptr;
  std::optional<Severity> current_severity;
  for (const engine::Finding* finding : shown) {
    if (options.sort == SortOrder::severity && current_severity != finding->severity) {
      if (current_severity) out += '\n';
      current_severity = finding->severity;
      const auto count = std::count_if(shown.begin(), shown.end(),
                                       [&](const engine::Finding* f) { return f->severity == finding->severity; });
      out += paint(severity_colour(finding->severity),
                   fmt::format("{} ({})", text::to_upper(to_string(finding->severity)), count));
      out += "\n\n";
      current_path = nullptr;
    }
    if (current_path == nullptr || *current_path != finding->path) {
      if (current_path != nullptr) out += '\n';
      current_path = &finding->path;
      out += paint(kBold, terminal_safe(finding->path.empty() ? std::string_view(".") : finding->path));
      out += '\n';
    }
    render_finding(out, *finding, paint);
  }
  if (!shown.empty()) out += '\n';
  return out;
}

std::string notes_block(const Report& report) {
  std::string out;
  const auto& notes = detail::notes_of(report);
  for (const workspace::Note& note : notes)
    out += fmt::format("note: {}: {}\n", terminal_safe(note.path), terminal_safe(note.message));
  if (!notes.empty()) out += '\n';
  if (const std::string not_judged = detail::not_judged_sentence(report); !not_judged.empty())
    out += not_judged + "\n";
  return out;
}

// The last line of the report, and all of it with --quiet: how many
// violations, how many fail the run.
std::string verdict_line(const Report& report, const detail::Summary& summary, const Painter& paint) {
  std::string against = terminal_safe(report.constitution_path);
  if (!report.constitution_version.empty()) against += " v" + terminal_safe(report.constitution_version);
  const std::string hidden =
      summary.hidden > 0 && report.hidden.below
          ? fmt::format("{} below {} not shown", summary.hidden, to_string(*report.hidden.below))
          : std::string();
  std::string threshold;
  if (report.fail_on_none) {
    threshold = "fail-on none: nothing fails the run";
  } else {
    threshold = fmt::format("{} at or above the fail-on threshold ({})", summary.failing, to_string(report.fail_on));
  }
  const std::string warnings =
      summary.in_transition > 0 ? "; " + detail::transition_sentence(summary) : std::string();
  if (summary.total == 0 && summary.hidden == 0) {
    std::string line = fmt::format("No violations found in {} against {}", terminal_safe(report.root), against);
    if (summary.low_coverage)
      line += fmt::format(", which constable enforces little of ({} of {} clauses)", summary.clauses_enforced,
                          summary.clauses);
    if (summary.suppressed > 0) line += fmt::format(" ({} suppressed)", summary.suppressed);
    return line + warnings + ".";
  }
  if (summary.total == 0) {
    return fmt::format("No violations at or above {} in {} against {} ({}, {} suppressed){}; {}.",
                       to_string(*report.hidden.below), terminal_safe(report.root), against, hidden,
                       summary.suppressed, warnings, threshold);
  }
  std::vector<std::string> parts;
  for (Severity severity : kAllSeverities) {
    const std::size_t n = summary.by_severity[static_cast<std::size_t>(severity)];
    const std::string part = fmt::format("{} {}", n, to_string(severity));
    parts.push_back(n > 0 ? paint(severity_colour(severity), part) : part);
  }
  return fmt::format("{} ({}), {} suppressed{}{}; {}.", plural(summary.total, "violation", "violations"),
                     fmt::join(parts, ", "), summary.suppressed, hidden.empty() ? "" : ", " + hidden, warnings,
                     threshold);
}

// At most this many findings under "Most severe".
constexpr std::size_t kMostSevereShown = 5;
constexpr std::size_t kSummaryMessageWidth = 72;

std::string shortened(std::string_view s, std::size_t width) {
  const std::string safe = terminal_safe(s);
  if (detail::codepoint_count(safe) <= width) return safe;
  std::size_t end = 0;
  for (std::size_t points = 0; end < safe.size() && points + 1 < width; ++points) {
    ++end;
    while (end < safe.size() && (static_cast<unsigned char>(safe[end]) & 0xC0) == 0x80) ++end;
  }
  return safe.substr(0, end) + "…";
}

// Totals by severity, a table of checks with their counts, the most severe
// findings, how much was checked; then the verdict line.
std::string summary_block(const Report& report, const detail::Summary& summary, const Painter& paint) {
  std::string out;
  if (summary.total > 0) {
    out += paint(kBold, "Summary") + "\n";
    std::vector<std::string> totals;
    for (Severity severity : kAllSeverities) {
      const std::size_t n = summary.by_severity[static_cast<std::size_t>(severity)];
      const std::string part = fmt::format("{} {}", n, to_string(severity));
      totals.push_back(n > 0 ? paint(severity_colour(severity), part) : part);
    }
    out += fmt::format("  Totals:      {}; {} suppressed{}\n", fmt::join(totals, ", "), summary.suppressed,
                       summary.in_transition > 0 ? "; " + detail::transition_sentence(summary) : std::string());
    const auto counts = detail::counts_by_check(report);
    std::size_t width = 0;
    for (const auto& c : counts) width = std::max(width, c.check_id.size());
    out += "  By check:\n";
    for (const auto& c : counts) {
      const std::string severity(to_string(c.severity));
      out += fmt::format("    {:>5}  {}{}  {}\n", c.count, paint(severity_colour(c.severity), severity),
                         std::string(8 - std::min<std::size_t>(8, severity.size()), ' '), terminal_safe(c.check_id));
    }
    out += "  Most severe:\n";
    auto ranked = detail::most_severe_first(report);
    std::erase_if(ranked, [](const engine::Finding* f) { return f->in_transition(); });
    for (std::size_t i = 0; i < std::min(kMostSevereShown, ranked.size()); ++i) {
      const engine::Finding& f = *ranked[i];
      const std::string severity(to_string(f.severity));
      std::string where = terminal_safe(f.path.empty() ? std::string_view(".") : f.path);
      if (f.range.line > 0) where += ":" + location_label(f.range);
      out += fmt::format("    {}{}  {}  {}  {}\n", paint(severity_colour(f.severity), severity),
                         std::string(8 - std::min<std::size_t>(8, severity.size()), ' '), where,
                         terminal_safe(f.check_id), shortened(f.message, kSummaryMessageWidth));
    }
    if (ranked.size() > kMostSevereShown)
      out += paint(kDim, fmt::format("    and {} more\n", ranked.size() - kMostSevereShown));
  }
  // Under the heading when there is one; a clean run has only these lines.
  const std::string_view indent = summary.total > 0 ? "  " : "";
  if (const std::string checked = detail::checked_sentence(summary); !checked.empty())
    out += fmt::format("{}Checked:     {}.\n", indent, checked);
  if (const std::string note = detail::low_coverage_note(summary); !note.empty())
    out += fmt::format("{}Note:        {}\n", indent, note);
  out += verdict_line(report, summary, paint);
  out += '\n';
  return out;
}

std::string stats_block(const Report& report) {
  if (report.result == nullptr) return {};
  const engine::Stats& stats = report.result->stats;
  std::string out = "\nstats:\n";
  // The phases within check are indented under it.
  const std::pair<std::string_view, std::chrono::microseconds> phases[] = {
      {"constitution", stats.times.constitution},
      {"discover", stats.times.discover},
      {"bind", stats.times.bind},
      {"check", stats.times.check},
      {"  repository", stats.times.repository},
      {"  files", stats.times.files},
      {"  charts", stats.times.charts},
      {"  manifests", stats.times.manifests},
      {"report", stats.times.report}};
  for (const auto& [name, micros] : phases) {
    out += fmt::format("  {:<13} {}\n", name, detail::format_micros(static_cast<long long>(micros.count())));
  }
  out += fmt::format("  files discovered: {}, files checked: {}, bytes read: {}, documents parsed: {}, "
                     "active checks: {}, suppressed: {}\n",
                     stats.files_discovered, stats.files_checked, stats.bytes_read, stats.documents_parsed,
                     stats.active_checks, stats.suppressed);
  if (stats.cache_used)
    out += fmt::format("  from the cache: {} of {} files, repository checks {}, manifests {}{}\n",
                       stats.files_from_cache, stats.files_checked, stats.repository_from_cache ? "yes" : "no",
                       stats.manifests_from_cache ? "yes" : "no",
                       stats.manifests_from_cache
                           ? std::string()
                           : fmt::format(" ({} charts not rendered again)", stats.charts_from_cache));
  return out;
}

}  // namespace

std::string render_text(const Report& report, const RenderOptions& options) {
  const Painter paint(options.colour);
  const detail::Summary summary = detail::summarize(report);
  if (options.quiet) {
    std::string line = verdict_line(report, summary, paint);
    if (const std::string checked = detail::checked_sentence(summary); !checked.empty())
      line += fmt::format(" {}{}.", text::to_upper(checked.substr(0, 1)), checked.substr(1));
    return line + "\n";
  }
  const std::string summary_part = summary_block(report, summary, paint);
  std::string out;
  if (options.summary_first) {
    out = summary_part;
    if (summary.total > 0 || !detail::notes_of(report).empty()) out += '\n';
    out += findings_block(report, options, paint);
    out += notes_block(report);
  } else {
    out = findings_block(report, options, paint);
    out += notes_block(report);
    out += summary_part;
  }
  if (options.stats) out += stats_block(report);
  return out;
}

}  // namespace constable::report
