// One self-contained HTML page: findings grouped by severity, then clause,
// a filter box, and the summary tables. No external asset, no network: the
// page's Content-Security-Policy allows only its own style and script, by
// hash, so text from the repository can never run (it is escaped anyway).

#include <map>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>

#include "report/common.hpp"

namespace constable::report {
namespace {

constexpr std::string_view kStyle = R"CSS(
:root { color-scheme: light dark; --critical: #b3261e; --high: #d9480f; --medium: #a86400; --low: #1769aa; }
body { font: 15px/1.45 system-ui, sans-serif; margin: 0 auto; max-width: 70rem; padding: 1rem 1.5rem 3rem; }
code, pre { font-family: ui-monospace, monospace; font-size: 0.92em; }
h1 { margin-bottom: 0.2rem; }
h2 { border-bottom: 1px solid #8884; padding-bottom: 0.2rem; margin-top: 2rem; }
h3 { font-size: 1rem; margin: 1.2rem 0 0.4rem; }
[hidden] { display: none !important; }
.meta, .clause-section { color: #777; margin-top: 0; }
.verdict { font-weight: 600; }
.filter { position: sticky; top: 0; padding: 0.6rem 0; background: Canvas; display: flex; gap: 0.6rem; align-items: center; }
.filter input { flex: 1; max-width: 30rem; padding: 0.35rem 0.5rem; font: inherit; }
.finding { border-left: 4px solid #8886; padding: 0.3rem 0.8rem; margin: 0.5rem 0; }
.finding p { margin: 0.2rem 0; }
.severity-critical .finding { border-color: var(--critical); }
.severity-high .finding { border-color: var(--high); }
.severity-medium .finding { border-color: var(--medium); }
.severity-low .finding { border-color: var(--low); }
.severity-critical h2 { color: var(--critical); }
.severity-high h2 { color: var(--high); }
.severity-medium h2 { color: var(--medium); }
.severity-low h2 { color: var(--low); }
.where, .due, .fix { color: #666; }
pre { background: #8881; padding: 0.4rem 0.6rem; overflow-x: auto; margin: 0.3rem 0; }
table { border-collapse: collapse; margin: 0.6rem 0; }
th, td { border: 1px solid #8886; padding: 0.25rem 0.6rem; text-align: left; vertical-align: top; }
td.number, th.number { text-align: right; }
)CSS";

constexpr std::string_view kScript = R"JS(
(function () {
  var input = document.getElementById("filter");
  var status = document.getElementById("shown");
  var findings = Array.prototype.slice.call(document.querySelectorAll(".finding"));
  var texts = findings.map(function (finding) {
    var clause = finding.closest(".clause").querySelector("h3");
    var severity = finding.closest(".severity").querySelector("h2");
    return (finding.textContent + " " + clause.textContent + " " + severity.textContent).toLowerCase();
  });
  function apply() {
    var words = input.value.toLowerCase().split(/\s+/).filter(Boolean);
    var shown = 0;
    findings.forEach(function (finding, i) {
      var match = words.every(function (word) { return texts[i].indexOf(word) !== -1; });
      finding.hidden = !match;
      if (match) shown++;
    });
    document.querySelectorAll(".clause, .severity").forEach(function (group) {
      group.hidden = group.querySelector(".finding:not([hidden])") === null;
    });
    status.textContent = shown + " of " + findings.length + " shown";
  }
  input.addEventListener("input", apply);
  apply();
})();
)JS";

std::string escape(std::string_view s) { return detail::html_escape(s); }

std::string location_text(const engine::Finding& finding) {
  const std::string path = finding.path.empty() ? std::string(".") : finding.path;
  if (finding.range.line <= 0) return path;
  if (finding.range.column <= 0) return fmt::format("{}:{}", path, finding.range.line);
  return fmt::format("{}:{}:{}", path, finding.range.line, finding.range.column);
}

void render_finding(std::string& out, const engine::Finding& finding) {
  out += "<article class=\"finding\">\n";
  out += fmt::format("<p class=\"where\"><code>{}</code> · <code>{}</code></p>\n", escape(location_text(finding)),
                     escape(finding.check_id));
  out += fmt::format("<p class=\"message\">{}</p>\n", escape(finding.message));
  if (finding.range.line > 0 && !finding.snippet.empty())
    out += fmt::format("<pre>{:>5} | {}</pre>\n", finding.range.line, escape(finding.snippet));
  if (!finding.also_at.empty()) {
    std::vector<std::string> places;
    for (const engine::RelatedLocation& place : finding.also_at)
      places.push_back(place.range.column > 0 ? fmt::format("{}:{}", place.range.line, place.range.column)
                                              : fmt::format("{}", place.range.line));
    out += fmt::format("<p class=\"where\">also at {}</p>\n", fmt::join(places, ", "));
  }
  out += fmt::format("<p class=\"due\">{}</p>\n", escape(detail::due_text(finding)));
  if (!finding.remediation.empty()) out += fmt::format("<p class=\"fix\">fix: {}</p>\n", escape(finding.remediation));
  out += "</article>\n";
}

// Severity, then clause (by id; the engine's own findings, without one, last).
void render_findings(std::string& out, const Report& report) {
  const auto findings = detail::most_severe_first(report);
  for (Severity severity : kAllSeverities) {
    std::map<std::pair<bool, std::string>, std::vector<const engine::Finding*>> by_clause;
    for (const engine::Finding* finding : findings)
      if (finding->severity == severity) by_clause[{finding->clause_id.empty(), finding->clause_id}].push_back(finding);
    if (by_clause.empty()) continue;
    std::size_t count = 0;
    for (const auto& [clause, group] : by_clause) count += group.size();
    out += fmt::format("<section class=\"severity severity-{0}\">\n<h2>{1} ({2})</h2>\n", to_string(severity),
                       detail::capitalised(to_string(severity)), count);
    for (const auto& [clause, group] : by_clause) {
      const engine::Finding& first = *group.front();
      out += "<section class=\"clause\">\n";
      if (first.clause_id.empty()) {
        out += "<h3>constable's own rules</h3>\n";
      } else {
        out += fmt::format("<h3><code>{}</code> — “{}”</h3>\n", escape(first.clause_id), escape(first.clause_text));
        if (!first.clause_section.empty())
          out += fmt::format("<p class=\"clause-section\">{}, line {}</p>\n", escape(first.clause_section),
                             first.clause_line);
      }
      for (const engine::Finding* finding : group) render_finding(out, *finding);
      out += "</section>\n";
    }
    out += "</section>\n";
  }
}

void render_suppressed(std::string& out, const Report& report, std::size_t suppressed) {
  if (suppressed == 0) return;
  out += fmt::format("<details>\n<summary>Suppressed ({})</summary>\n<table>\n", suppressed);
  out += "<tr><th>Location</th><th>Check</th><th>Kind</th><th>Reason</th><th>Expires</th></tr>\n";
  for (const engine::Finding& finding : detail::findings_of(report)) {
    if (!finding.suppressed()) continue;
    const engine::Suppression& s = *finding.suppression;
    out += fmt::format("<tr><td><code>{}</code></td><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td></tr>\n",
                       escape(location_text(finding)), escape(finding.check_id),
                       s.kind == engine::Suppression::Kind::waiver ? "waiver" : "inline comment", escape(s.reason),
                       s.expires ? s.expires->to_string() : std::string("—"));
  }
  out += "</table>\n</details>\n";
}

void render_summary(std::string& out, const Report& report, const detail::Summary& summary) {
  out += "<h2>Summary</h2>\n<table class=\"summary\">\n<tr><th>Severity</th><th class=\"number\">Violations</th></tr>\n";
  for (Severity severity : kAllSeverities) {
    out += fmt::format("<tr><td>{}</td><td class=\"number\">{}</td></tr>\n", detail::capitalised(to_string(severity)),
                       summary.by_severity[static_cast<std::size_t>(severity)]);
  }
  out += fmt::format("<tr><th>Total</th><th class=\"number\">{}</th></tr>\n", summary.total);
  if (summary.in_transition > 0)
    out += fmt::format("<tr><td>Deprecation warnings (in transition)</td><td class=\"number\">{}</td></tr>\n",
                       summary.in_transition);
  out += fmt::format("<tr><td>Suppressed</td><td class=\"number\">{}</td></tr>\n</table>\n", summary.suppressed);

  std::map<std::string, detail::SeverityCounts> by_check;
  for (const engine::Finding* finding : detail::most_severe_first(report))
    ++by_check[finding->check_id][static_cast<std::size_t>(finding->severity)];
  if (!by_check.empty()) {
    out += "<table class=\"checks\">\n<tr><th>Check</th>";
    for (Severity severity : kAllSeverities)
      out += fmt::format("<th class=\"number\">{}</th>", detail::capitalised(to_string(severity)));
    out += "<th class=\"number\">Total</th></tr>\n";
    for (const auto& [check, counts] : by_check) {
      out += fmt::format("<tr><td><code>{}</code></td>", escape(check));
      std::size_t total = 0;
      for (std::size_t n : counts) {
        out += fmt::format("<td class=\"number\">{}</td>", n);
        total += n;
      }
      out += fmt::format("<td class=\"number\">{}</td></tr>\n", total);
    }
    out += "</table>\n";
  }
  if (const std::string not_judged = detail::not_judged_sentence(report); !not_judged.empty())
    out += fmt::format("<p>{}</p>\n", escape(not_judged));
}

}  // namespace

std::string render_html(const Report& report) {
  const detail::Summary summary = detail::summarize(report);
  std::string out = "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n";
  out += "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n";
  out += fmt::format(
      "<meta http-equiv=\"Content-Security-Policy\" content=\"default-src 'none'; style-src {}; script-src {}; "
      "base-uri 'none'; form-action 'none'\">\n",
      detail::csp_hash(kStyle), detail::csp_hash(kScript));
  out += fmt::format("<title>Constable report: {}</title>\n", escape(report.root.empty() ? "." : report.root));
  out += fmt::format("<style>{}</style>\n</head>\n<body>\n", kStyle);

  out += "<header>\n<h1>Constable report</h1>\n";
  out += fmt::format("<p class=\"meta\">Constitution <code>{}</code>", escape(report.constitution_path));
  if (!report.constitution_version.empty()) out += fmt::format(" version {}", escape(report.constitution_version));
  out += fmt::format(" · root <code>{}</code> · {}</p>\n", escape(report.root.empty() ? "." : report.root),
                     report.run_date.to_string());
  if (summary.total == 0) {
    out += "<p class=\"verdict\">No violations found.</p>\n";
  } else if (report.fail_on_none) {
    out += fmt::format("<p class=\"verdict\">{}; the fail-on threshold is none.</p>\n",
                       escape(detail::violations_text(summary)));
  } else {
    out += fmt::format("<p class=\"verdict\">{} of {} at or above the fail-on threshold ({}).</p>\n", summary.failing,
                       escape(detail::violations_text(summary)), to_string(report.fail_on));
  }
  if (const std::string warnings = detail::transition_sentence(summary); !warnings.empty())
    out += fmt::format("<p class=\"verdict\">{}: warnings until their period ends, then violations.</p>\n",
                       escape(warnings));
  out += "</header>\n<main>\n";

  if (summary.total > 0) {
    out += "<div class=\"filter\"><label for=\"filter\">Filter</label>"
           "<input id=\"filter\" type=\"search\" placeholder=\"path, check, clause, words of the message\" "
           "autocomplete=\"off\"><span id=\"shown\" aria-live=\"polite\"></span></div>\n";
    render_findings(out, report);
  }
  render_suppressed(out, report, summary.suppressed);
  render_summary(out, report, summary);

  const auto& notes = detail::notes_of(report);
  if (!notes.empty()) {
    out += "<h2>Notes</h2>\n<ul>\n";
    for (const workspace::Note& note : notes) {
      out += fmt::format("<li><code>{}</code>: {}</li>\n", escape(note.path.empty() ? "." : note.path),
                         escape(note.message));
    }
    out += "</ul>\n";
  }
  out += "</main>\n";
  if (summary.total > 0) out += fmt::format("<script>{}</script>\n", kScript);
  out += "</body>\n</html>\n";
  return out;
}

}  // namespace constable::report
