// GitLab Code Quality: the subset of the Code Climate issue format GitLab
// reads (docs.gitlab.com, ci/testing/code_quality, "Code Quality report
// format"): an array of {description, check_name, fingerprint, severity,
// location: {path, lines: {begin}}}.

#include <map>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "report/common.hpp"

namespace constable::report {
namespace {

using Json = nlohmann::ordered_json;
using detail::clean;

// Code Climate's scale is info, minor, major, critical, blocker; the
// constitution's critical ("fix within a day") blocks.
std::string_view code_quality_severity(Severity severity) {
  switch (severity) {
    case Severity::critical: return "blocker";
    case Severity::high: return "critical";
    case Severity::medium: return "major";
    case Severity::low: return "minor";
  }
  return "major";
}

}  // namespace

std::string render_gitlab(const Report& report) {
  Json issues = Json::array();
  // GitLab keys issues by fingerprint within a report, and the engine's does
  // not name the path (baselines survive renames): the path is added to it,
  // and an occurrence number should two findings still share one.
  std::map<std::string, std::size_t> seen;
  for (const engine::Finding& finding : detail::findings_of(report)) {
    if (finding.suppressed()) continue;  // GitLab has no notion of a waived issue
    const auto location = detail::file_location(report, finding);
    const std::string path = location ? location->path : report.constitution_path;
    const int line = location && location->range.line > 0 ? location->range.line : 1;

    std::string fingerprint =
        fmt::format("{}-{}", clean(finding.fingerprint), text::hex64(text::fnv1a64(clean(finding.path))));
    if (const std::size_t occurrence = ++seen[fingerprint]; occurrence > 1)
      fingerprint += fmt::format("-{}", occurrence);

    std::string description = clean(finding.message);
    if (!finding.clause_id.empty()) description += " (clause " + clean(finding.clause_id) + ")";
    if ((!location || location->at_clause) && !finding.path.empty() && finding.path != ".")
      description += " [" + clean(finding.path) + "]";
    if (finding.transition) description += "; " + clean(detail::due_text(finding));

    Json issue;
    issue["description"] = std::move(description);
    issue["check_name"] = clean(finding.check_id);
    issue["fingerprint"] = std::move(fingerprint);
    // A deprecation warning is information until its transition ends.
    issue["severity"] =
        finding.in_transition() ? std::string("info") : std::string(code_quality_severity(finding.severity));
    issue["location"] = Json{{"path", clean(path)}, {"lines", Json{{"begin", line}}}};
    issues.push_back(std::move(issue));
  }
  return issues.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace constable::report
