// Markdown for pull-request comments and CI job summaries (GitHub-flavoured).

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/common.hpp"

namespace constable::report {
namespace {

using detail::markdown_code;
using detail::markdown_escape;

std::string location(const engine::Finding& finding) {
  if (finding.range.line > 0) return markdown_code(fmt::format("{}:{}", finding.path, finding.range.line));
  return markdown_code(finding.path.empty() ? std::string(".") : finding.path);
}

std::string clause_cell(const engine::Finding& finding) {
  return finding.clause_id.empty() ? std::string("—") : markdown_code(finding.clause_id);
}

// A part of the report made of rows, cut between rows when the report must
// stay under a size.
struct Section {
  enum class Kind : std::uint8_t { findings, suppressed, notes };
  Kind kind;
  std::string head;
  std::vector<std::string> rows;
  std::vector<Severity> severities;  // findings: each row's, to count what is left out
  std::string foot;
};

// What a cut report leaves out.
struct LeftOut {
  detail::SeverityCounts findings{};
  std::size_t suppressed = 0;
  std::size_t notes = 0;

  void add(const Section& section, std::size_t row) {
    switch (section.kind) {
      case Section::Kind::findings: ++findings[static_cast<std::size_t>(section.severities[row])]; break;
      case Section::Kind::suppressed: ++suppressed; break;
      case Section::Kind::notes: ++notes; break;
    }
  }
};

// "**Truncated** to stay under 60000 bytes, not shown: 12 findings (2 high, 10 medium), 3 suppressed, 1 note; ..."
std::string truncation_line(std::size_t max_bytes, const LeftOut& left) {
  std::size_t findings = 0;
  for (std::size_t n : left.findings) findings += n;
  std::vector<std::string> parts;
  if (findings > 0)
    parts.push_back(fmt::format("{} finding{} ({})", findings, findings == 1 ? "" : "s",
                                detail::severity_counts_text(left.findings)));
  if (left.suppressed > 0) parts.push_back(fmt::format("{} suppressed", left.suppressed));
  if (left.notes > 0) parts.push_back(fmt::format("{} note{}", left.notes, left.notes == 1 ? "" : "s"));
  return fmt::format("\n**Truncated** to stay under {} bytes, not shown: {}; the SARIF and JSON reports list "
                     "everything.\n",
                     max_bytes, fmt::join(parts, ", "));
}

// Everything when it fits in `max_bytes`; else the head, then whole rows in
// order while they fit beside the truncation line, which counts the rest.
std::string fit(std::string head, const std::vector<Section>& sections, std::size_t max_bytes) {
  std::string whole = head;
  LeftOut everything;
  for (const Section& section : sections) {
    whole += section.head;
    for (std::size_t row = 0; row < section.rows.size(); ++row) {
      whole += section.rows[row];
      everything.add(section, row);
    }
    whole += section.foot;
  }
  if (max_bytes == 0 || whole.size() <= max_bytes) return whole;

  // With every count at its largest the line is at least as long as the real one.
  const std::size_t reserve = truncation_line(max_bytes, everything).size();
  std::string out = std::move(head);
  LeftOut left;
  bool cut = false;
  for (const Section& section : sections) {
    std::size_t shown = 0;
    if (!cut) {
      std::string part = section.head;
      while (shown < section.rows.size() &&
             out.size() + part.size() + section.rows[shown].size() + section.foot.size() + reserve <= max_bytes)
        part += section.rows[shown++];
      if (shown > 0) out += part + section.foot;
    }
    if (shown < section.rows.size()) cut = true;
    for (std::size_t row = shown; row < section.rows.size(); ++row) left.add(section, row);
  }
  out += truncation_line(max_bytes, left);
  // Only a head longer than the limit itself is still too long here.
  return std::string(detail::utf8_prefix(out, max_bytes));
}

}  // namespace

std::string render_markdown(const Report& report, const RenderOptions& options) {
  const detail::Summary summary = detail::summarize(report);
  const auto& findings = detail::findings_of(report);

  std::string out = "## Constable report\n\n";
  out += fmt::format("Constitution {}", markdown_code(report.constitution_path));
  if (!report.constitution_version.empty()) out += fmt::format(" version {}", markdown_escape(report.constitution_version));
  out += fmt::format(" · root {} · {}\n\n", markdown_code(report.root.empty() ? std::string(".") : report.root),
                     report.run_date.to_string());

  out += "| Severity | Violations |\n|---|---:|\n";
  for (Severity severity : kAllSeverities) {
    out += fmt::format("| {} | {} |\n", detail::capitalised(to_string(severity)),
                       summary.by_severity[static_cast<std::size_t>(severity)]);
  }
  out += fmt::format("| **Total** | **{}** |\n", summary.total);
  out += fmt::format("| Suppressed | {} |\n\n", summary.suppressed);
  if (const std::string checked = detail::checked_sentence(summary); !checked.empty())
    out += markdown_escape(fmt::format("Checked: {}.", checked)) + "\n\n";
  if (const std::string not_judged = detail::not_judged_sentence(report); !not_judged.empty())
    out += markdown_escape(not_judged) + "\n\n";
  if (const std::string note = detail::low_coverage_note(summary); !note.empty())
    out += fmt::format("> **Note:** {}\n\n", markdown_escape(note));

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

  if (const std::string warnings = detail::transition_sentence(summary); !warnings.empty())
    out += fmt::format("⏳ {}: warnings until their period ends, then violations.\n", markdown_escape(warnings));

  std::vector<Section> sections;
  if (summary.total + summary.in_transition > 0) {
    // Most severe first, so a cut report keeps what matters most.
    Section section{Section::Kind::findings, "\n### Findings\n\n| Severity | Location | Check | Clause | Message | Due |\n"
                    "|---|---|---|---|---|---|\n",
                    {}, {}, ""};
    for (const engine::Finding* finding : detail::most_severe_first(report)) {
      section.rows.push_back(fmt::format("| {} | {} | {} | {} | {} | {} |\n", to_string(finding->severity),
                                         location(*finding), markdown_code(finding->check_id), clause_cell(*finding),
                                         markdown_escape(finding->message),
                                         finding->transition ? markdown_escape(detail::due_text(*finding))
                                                             : finding->due.to_string()));
      section.severities.push_back(finding->severity);
    }
    sections.push_back(std::move(section));
  }

  if (summary.suppressed > 0) {
    Section section{Section::Kind::suppressed, fmt::format("\n<details><summary>Suppressed ({})</summary>\n\n"
                                "| Location | Check | Kind | Reason | Expires |\n|---|---|---|---|---|\n",
                                summary.suppressed),
                    {}, {}, "\n</details>\n"};
    for (const engine::Finding& finding : findings) {
      if (!finding.suppressed()) continue;
      const engine::Suppression& s = *finding.suppression;
      section.rows.push_back(fmt::format("| {} | {} | {} | {} | {} |\n", location(finding),
                                         markdown_code(finding.check_id),
                                         s.kind == engine::Suppression::Kind::waiver ? "waiver" : "inline comment",
                                         s.reason.empty() ? std::string("—") : markdown_escape(s.reason),
                                         s.expires ? s.expires->to_string() : std::string("—")));
    }
    sections.push_back(std::move(section));
  }

  const auto& notes = detail::notes_of(report);
  if (!notes.empty()) {
    Section section{Section::Kind::notes, "\n### Notes\n\n", {}, {}, ""};
    for (const workspace::Note& note : notes) {
      section.rows.push_back(fmt::format("- {}: {}\n", markdown_code(note.path.empty() ? std::string(".") : note.path),
                                         markdown_escape(note.message)));
    }
    sections.push_back(std::move(section));
  }
  return fit(std::move(out), sections, options.markdown_max_bytes);
}

}  // namespace constable::report
