// Markdown for pull-request comments and CI job summaries (GitHub-flavoured).

#include <fmt/format.h>

#include "report/common.hpp"

namespace constable::report {
namespace {

using detail::markdown_code;
using detail::markdown_escape;

std::string capitalised(std::string_view s) {
  std::string out(s);
  if (!out.empty() && out[0] >= 'a' && out[0] <= 'z') out[0] = static_cast<char>(out[0] - 'a' + 'A');
  return out;
}

std::string location(const engine::Finding& finding) {
  if (finding.range.line > 0) return markdown_code(fmt::format("{}:{}", finding.path, finding.range.line));
  return markdown_code(finding.path.empty() ? std::string(".") : finding.path);
}

std::string clause_cell(const engine::Finding& finding) {
  return finding.clause_id.empty() ? std::string("—") : markdown_code(finding.clause_id);
}

}  // namespace

std::string render_markdown(const Report& report) {
  const detail::Summary summary = detail::summarize(report);
  const auto& findings = detail::findings_of(report);

  std::string out = "## Constable report\n\n";
  out += fmt::format("Constitution {}", markdown_code(report.constitution_path));
  if (!report.constitution_version.empty()) out += fmt::format(" version {}", markdown_escape(report.constitution_version));
  out += fmt::format(" · root {} · {}\n\n", markdown_code(report.root.empty() ? std::string(".") : report.root),
                     report.run_date.to_string());

  out += "| Severity | Violations |\n|---|---:|\n";
  for (Severity severity : kAllSeverities) {
    out += fmt::format("| {} | {} |\n", capitalised(to_string(severity)),
                       summary.by_severity[static_cast<std::size_t>(severity)]);
  }
  out += fmt::format("| **Total** | **{}** |\n", summary.total);
  out += fmt::format("| Suppressed | {} |\n\n", summary.suppressed);
  if (const std::string not_judged = detail::not_judged_sentence(report); !not_judged.empty())
    out += markdown_escape(not_judged) + "\n\n";

  if (summary.total == 0) {
    out += "✅ No violations found.\n";
  } else if (report.fail_on_none) {
    out += fmt::format("{} violation{} found; the fail-on threshold is none.\n", summary.total,
                       summary.total == 1 ? "" : "s");
  } else {
    out += fmt::format("{} {} of {} violation{} at or above the fail-on threshold (**{}**).\n",
                       summary.failing > 0 ? "❌" : "⚠️", summary.failing, summary.total,
                       summary.total == 1 ? "" : "s", to_string(report.fail_on));
  }

  if (summary.total > 0) {
    out += "\n### Findings\n\n";
    out += "| Severity | Location | Check | Clause | Message | Due |\n|---|---|---|---|---|---|\n";
    for (const engine::Finding& finding : findings) {
      if (finding.suppressed()) continue;
      out += fmt::format("| {} | {} | {} | {} | {} | {} |\n", to_string(finding.severity), location(finding),
                         markdown_code(finding.check_id), clause_cell(finding), markdown_escape(finding.message),
                         finding.due.to_string());
    }
  }

  if (summary.suppressed > 0) {
    out += fmt::format("\n<details><summary>Suppressed ({})</summary>\n\n", summary.suppressed);
    out += "| Location | Check | Kind | Reason | Expires |\n|---|---|---|---|---|\n";
    for (const engine::Finding& finding : findings) {
      if (!finding.suppressed()) continue;
      const engine::Suppression& s = *finding.suppression;
      out += fmt::format("| {} | {} | {} | {} | {} |\n", location(finding), markdown_code(finding.check_id),
                         s.kind == engine::Suppression::Kind::waiver ? "waiver" : "inline comment",
                         s.reason.empty() ? std::string("—") : markdown_escape(s.reason),
                         s.expires ? s.expires->to_string() : std::string("—"));
    }
    out += "\n</details>\n";
  }

  const auto& notes = detail::notes_of(report);
  if (!notes.empty()) {
    out += "\n### Notes\n\n";
    for (const workspace::Note& note : notes) {
      out += fmt::format("- {}: {}\n", markdown_code(note.path.empty() ? std::string(".") : note.path),
                         markdown_escape(note.message));
    }
  }
  return out;
}

}  // namespace constable::report
