// JUnit XML, for CI systems that show test results: one testsuite per rule,
// one testcase per finding.

#include <fmt/format.h>

#include <map>

#include "report/common.hpp"

namespace constable::report {
namespace {

using detail::xml_escape;

std::string attr(std::string_view s) { return xml_escape(s, true); }
std::string body(std::string_view s) { return xml_escape(s, false); }

struct Suite {
  std::string name;
  std::vector<const engine::Finding*> findings;
  std::size_t failures = 0;
  std::size_t skipped = 0;
  std::size_t tests() const { return findings.empty() ? 1 : findings.size(); }
};

std::string case_name(const engine::Finding& finding) {
  if (finding.range.line > 0) return fmt::format("{}:{} {}", finding.path, finding.range.line, finding.check_id);
  return fmt::format("{} {}", finding.path, finding.check_id);
}

std::string details(const engine::Finding& finding) {
  std::string out = fmt::format("{}\n", finding.message);
  out += fmt::format("Location: {}", finding.path);
  if (finding.range.line > 0) out += fmt::format(":{}", finding.range.line);
  if (finding.range.column > 0) out += fmt::format(":{}", finding.range.column);
  out += '\n';
  out += fmt::format("Severity: {}\n", to_string(finding.severity));
  if (!finding.clause_id.empty()) {
    out += fmt::format("Clause: {} — \"{}\"\n", finding.clause_id, finding.clause_text);
    if (!finding.clause_section.empty()) out += fmt::format("Section: {}\n", finding.clause_section);
  }
  out += fmt::format("Due: {}\n", finding.due.to_string());
  if (!finding.snippet.empty()) out += fmt::format("Snippet: {}\n", finding.snippet);
  if (!finding.remediation.empty()) out += fmt::format("Remediation: {}\n", finding.remediation);
  return out;
}

}  // namespace

std::string render_junit(const Report& report) {
  // Suites in rule order, then any check that has findings but no rule.
  std::vector<Suite> suites;
  std::map<std::string, std::size_t, std::less<>> index;
  for (const Rule& rule : report.rules) {
    const std::string id = rule.info != nullptr ? std::string(rule.info->id) : std::string();
    if (index.contains(id)) continue;
    index.emplace(id, suites.size());
    suites.push_back(Suite{id, {}, 0, 0});
  }
  for (const engine::Finding& finding : detail::findings_of(report)) {
    auto it = index.find(finding.check_id);
    if (it == index.end()) {
      it = index.emplace(finding.check_id, suites.size()).first;
      suites.push_back(Suite{finding.check_id, {}, 0, 0});
    }
    Suite& suite = suites[it->second];
    suite.findings.push_back(&finding);
    if (finding.suppressed() || finding.in_transition()) {
      ++suite.skipped;
    } else {
      ++suite.failures;
    }
  }

  std::size_t tests = 0;
  std::size_t failures = 0;
  std::size_t skipped = 0;
  for (const Suite& suite : suites) {
    tests += suite.tests();
    failures += suite.failures;
    skipped += suite.skipped;
  }

  std::string out = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n";
  out += fmt::format("<testsuites name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
                     attr(report.tool_name), tests, failures, skipped);
  for (const Suite& suite : suites) {
    out += fmt::format("  <testsuite name=\"{}\" tests=\"{}\" failures=\"{}\" errors=\"0\" skipped=\"{}\">\n",
                       attr(suite.name), suite.tests(), suite.failures, suite.skipped);
    if (suite.findings.empty()) {
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\"/>\n", attr(report.tool_name), attr(suite.name));
    }
    for (const engine::Finding* finding : suite.findings) {
      out += fmt::format("    <testcase classname=\"{}\" name=\"{}\">\n", attr(finding->path),
                         attr(case_name(*finding)));
      if (finding->suppression) {
        const engine::Suppression& s = *finding->suppression;
        std::string reason = s.reason;
        if (reason.empty()) reason = s.kind == engine::Suppression::Kind::waiver ? "waived" : "suppressed";
        out += fmt::format("      <skipped message=\"{}\"/>\n", attr(reason));
      } else if (finding->transition) {
        // Not a failure yet: the clause is in its transition period.
        out += fmt::format("      <skipped message=\"{}\"/>\n", attr("deprecation " + detail::due_text(*finding)));
      } else {
        out += fmt::format("      <failure message=\"{}\" type=\"{}\">{}</failure>\n", attr(finding->message),
                           to_string(finding->severity), body(details(*finding)));
      }
      out += "    </testcase>\n";
    }
    out += "  </testsuite>\n";
  }
  out += "</testsuites>\n";
  return out;
}

}  // namespace constable::report
