// Human-readable output for terminals and CI logs.

#include <fmt/format.h>

#include <algorithm>

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

// Valid UTF-8 with every control character (C0 except \t, DEL, C1) shown as
// '?', so nothing in a report can drive the terminal. One code point in, one
// out: columns stay meaningful.
std::string terminal_safe(std::string_view s) {
  const std::string valid = detail::clean(s);
  std::string out;
  out.reserve(valid.size());
  for (std::size_t i = 0; i < valid.size(); ++i) {
    const auto u = static_cast<unsigned char>(valid[i]);
    if ((u < 0x20 && u != '\t') || u == 0x7F) {
      out += '?';
    } else if (u == 0xC2 && i + 1 < valid.size() && static_cast<unsigned char>(valid[i + 1]) >= 0x80 &&
               static_cast<unsigned char>(valid[i + 1]) <= 0x9F) {
      out += '?';
      ++i;
    } else {
      out += valid[i];
    }
  }
  return out;
}

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
  out += paint(kDim, fmt::format("      due: {}", finding.due.to_string()));
  out += '\n';
  if (!finding.remediation.empty()) {
    out += paint(kDim, fmt::format("      fix: {}", terminal_safe(finding.remediation)));
    out += '\n';
  }
}

std::string plural(std::size_t n, std::string_view one, std::string_view many) {
  return fmt::format("{} {}", n, n == 1 ? one : many);
}

}  // namespace

std::string render_text(const Report& report, const RenderOptions& options) {
  const Painter paint(options.colour);
  std::string out;
  const auto& findings = detail::findings_of(report);

  const std::string* current_path = nullptr;
  for (const engine::Finding& finding : findings) {
    if (finding.suppressed()) continue;
    if (current_path == nullptr || *current_path != finding.path) {
      if (current_path != nullptr) out += '\n';
      current_path = &finding.path;
      out += paint(kBold, terminal_safe(finding.path.empty() ? std::string_view(".") : finding.path));
      out += '\n';
    }
    render_finding(out, finding, paint);
  }
  if (current_path != nullptr) out += '\n';

  const auto& notes = detail::notes_of(report);
  for (const workspace::Note& note : notes) {
    out += fmt::format("note: {}: {}\n", terminal_safe(note.path), terminal_safe(note.message));
  }
  if (!notes.empty()) out += '\n';
  if (const std::string not_judged = detail::not_judged_sentence(report); !not_judged.empty())
    out += not_judged + "\n";

  const detail::Summary summary = detail::summarize(report);
  std::string against = terminal_safe(report.constitution_path);
  if (!report.constitution_version.empty()) against += " v" + terminal_safe(report.constitution_version);
  if (summary.total == 0) {
    out += fmt::format("No violations found in {} against {}", terminal_safe(report.root), against);
    if (summary.suppressed > 0) out += fmt::format(" ({} suppressed)", summary.suppressed);
    out += ".\n";
  } else {
    std::vector<std::string> parts;
    for (Severity severity : kAllSeverities) {
      const std::size_t n = summary.by_severity[static_cast<std::size_t>(severity)];
      const std::string part = fmt::format("{} {}", n, to_string(severity));
      parts.push_back(n > 0 ? paint(severity_colour(severity), part) : part);
    }
    out += fmt::format("{} ({}), {} suppressed; ", plural(summary.total, "violation", "violations"),
                       fmt::join(parts, ", "), summary.suppressed);
    if (report.fail_on_none) {
      out += "fail-on none: nothing fails the run.\n";
    } else {
      out += fmt::format("{} at or above the fail-on threshold ({}).\n", summary.failing,
                         to_string(report.fail_on));
    }
  }

  if (options.stats && report.result != nullptr) {
    const engine::Stats& stats = report.result->stats;
    out += "\nstats:\n";
    const std::pair<std::string_view, std::chrono::microseconds> phases[] = {
        {"constitution", stats.times.constitution},
        {"discover", stats.times.discover},
        {"bind", stats.times.bind},
        {"check", stats.times.check},
        {"report", stats.times.report}};
    for (const auto& [name, micros] : phases) {
      out += fmt::format("  {:<13} {}\n", name, detail::format_micros(static_cast<long long>(micros.count())));
    }
    out += fmt::format("  files discovered: {}, files checked: {}, bytes read: {}, documents parsed: {}, "
                       "active checks: {}, suppressed: {}\n",
                       stats.files_discovered, stats.files_checked, stats.bytes_read, stats.documents_parsed,
                       stats.active_checks, stats.suppressed);
  }
  return out;
}

}  // namespace constable::report
