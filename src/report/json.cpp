// The stable, machine-readable report (docs/schema/constable-report.schema.json).

#include <nlohmann/json.hpp>

#include "report/common.hpp"
#include "report/json_text.hpp"

namespace constable::report {
namespace {

using Json = nlohmann::ordered_json;
using detail::clean;

void place_json(JsonText& out, const SourceRange& range, std::string_view message) {
  out.begin_object();
  out.key("line").number(range.line);
  out.key("column").number(range.column);
  out.key("end_line").number(range.end_line);
  out.key("end_column").number(range.end_column);
  out.key("message").string(message);
  out.end_object();
}

// A finding as nlohmann would dump its document, written without one.
void finding_json(JsonText& out, const engine::Finding& finding) {
  out.begin_object();
  out.key("check").string(finding.check_id);
  out.key("clause");
  if (finding.clause_id.empty()) {
    out.null();
  } else {
    out.begin_object();
    out.key("id").string(finding.clause_id);
    out.key("text").string(finding.clause_text);
    out.key("section").string(finding.clause_section);
    out.key("line").number(finding.clause_line);
    out.end_object();
  }
  out.key("severity").string(to_string(finding.severity));
  out.key("due").string(finding.due.to_string());
  if (finding.transition) {
    out.key("transition").begin_object();
    out.key("until").string(finding.transition->until.to_string());
    out.key("reason").string(finding.transition->reason);
    out.end_object();
  }
  out.key("location").begin_object();
  out.key("path").string(finding.path);
  out.key("line").number(finding.range.line);
  out.key("column").number(finding.range.column);
  out.key("end_line").number(finding.range.end_line);
  out.key("end_column").number(finding.range.end_column);
  out.end_object();
  out.key("message").string(finding.message);
  // A check that reports one finding per file lists every place of the
  // problem, the finding's own first.
  out.key("count").unsigned_number(1 + finding.also_at.size());
  if (!finding.also_at.empty()) {
    out.key("locations").begin_array();
    place_json(out, finding.range, finding.message);
    for (const engine::RelatedLocation& place : finding.also_at) place_json(out, place.range, place.message);
    out.end_array();
  }
  out.key("remediation").string(finding.remediation);
  out.key("snippet").string(finding.snippet);
  out.key("fingerprint").string(finding.fingerprint);
  if (finding.suppression) {
    const engine::Suppression& s = *finding.suppression;
    out.key("suppression").begin_object();
    out.key("kind").string(detail::suppression_kind(s.kind));
    out.key("reason").string(s.reason);
    out.key("owner").string(s.owner);
    out.key("expires");
    if (s.expires) out.string(s.expires->to_string());
    else out.null();
    out.key("source").string(s.source);
    out.end_object();
  }
  out.end_object();
}

// About what finding_json writes for `finding`: its strings and, for the
// rest (keys, numbers, indentation), a little over what a finding takes.
std::size_t estimated_size(const engine::Finding& finding) {
  constexpr std::size_t kFixed = 640;  // keys, numbers, a due date, a severity, indentation
  constexpr std::size_t kPlace = 160;  // a related place's keys and numbers
  std::size_t size = kFixed + finding.check_id.size() + finding.clause_id.size() + finding.clause_text.size() +
                     finding.clause_section.size() + finding.path.size() + finding.message.size() +
                     finding.remediation.size() + finding.snippet.size() + finding.fingerprint.size();
  if (!finding.also_at.empty()) size += kPlace + finding.message.size();
  for (const engine::RelatedLocation& place : finding.also_at) size += kPlace + place.message.size();
  return size;
}

Json rule_json(const Rule& rule) {
  Json out;
  const engine::CheckInfo* info = rule.info;
  out["id"] = info != nullptr ? clean(info->id) : std::string();
  out["domain"] = info != nullptr ? clean(info->domain) : std::string();
  out["nature"] = std::string(to_string(info != nullptr ? info->nature : Nature::maintainability));
  out["severity"] = std::string(to_string(rule.severity));
  out["summary"] = info != nullptr ? clean(info->summary) : std::string();
  if (rule.clause != nullptr) out["clause_id"] = clean(rule.clause->id);
  if (!rule.parameters.empty()) out["parameters"] = clean(rule.parameters);
  return out;
}

Json stats_json(const engine::Stats& stats) {
  Json out;
  out["files_discovered"] = stats.files_discovered;
  out["files_checked"] = stats.files_checked;
  out["bytes_read"] = stats.bytes_read;
  out["documents_parsed"] = stats.documents_parsed;
  out["active_checks"] = stats.active_checks;
  out["suppressed"] = stats.suppressed;
  if (stats.cache_used) {
    Json cache;
    cache["files"] = stats.files_from_cache;
    cache["repository"] = stats.repository_from_cache;
    cache["manifests"] = stats.manifests_from_cache;
    cache["charts"] = stats.charts_from_cache;
    out["from_cache"] = std::move(cache);
  }
  Json times;
  times["constitution"] = stats.times.constitution.count();
  times["discover"] = stats.times.discover.count();
  times["bind"] = stats.times.bind.count();
  times["check"] = stats.times.check.count();
  times["check_repository"] = stats.times.repository.count();
  times["check_files"] = stats.times.files.count();
  times["check_charts"] = stats.times.charts.count();
  times["check_manifests"] = stats.times.manifests.count();
  times["report"] = stats.times.report.count();
  out["times_us"] = std::move(times);
  return out;
}

constexpr int kIndent = 2;

}  // namespace

std::string render_json(const Report& report, const RenderOptions& options) {
  Json doc;
  doc["version"] = 1;
  doc["tool"] = Json{{"name", clean(report.tool_name)}, {"version", clean(report.tool_version)}};
  doc["root"] = clean(report.root);
  doc["constitution"] = Json{{"path", clean(report.constitution_path)},
                             {"version", clean(report.constitution_version)}};
  doc["run_date"] = report.run_date.to_string();

  const detail::Summary summary = detail::summarize(report);
  Json by_severity = Json::object();
  for (Severity severity : kAllSeverities) {
    by_severity[std::string(to_string(severity))] = summary.by_severity[static_cast<std::size_t>(severity)];
  }
  Json summary_json;
  summary_json["total"] = summary.total;
  summary_json["by_severity"] = std::move(by_severity);
  summary_json["suppressed"] = summary.suppressed;
  summary_json["in_transition"] = summary.in_transition;
  summary_json["failing"] = summary.failing;
  summary_json["fail_on"] = detail::fail_on_label(report);
  Json not_judged = Json::object();
  const auto counts = detail::not_judged_of(report);
  for (std::size_t i = 1; i < counts.size(); ++i)
    not_judged[std::string(workspace::to_string(static_cast<workspace::Provenance>(i)))] = counts[i];
  summary_json["not_judged"] = std::move(not_judged);
  // How much the run checked, when the report knows its coverage.
  if (summary.coverage_known) {
    summary_json["checked"] = Json{{"clauses", summary.clauses},
                                   {"clauses_enforced", summary.clauses_enforced},
                                   {"clauses_attested", summary.clauses_attested},
                                   {"files", summary.files_checked},
                                   {"low_coverage", summary.low_coverage}};
  }
  doc["summary"] = std::move(summary_json);

  // The findings are written one at a time into their place in the text
  // (a run's findings can be most of a report of tens of megabytes), not
  // built into the document first: no second copy of them all.
  doc["findings"] = Json::array();

  Json notes = Json::array();
  for (const workspace::Note& note : detail::notes_of(report)) {
    notes.push_back(Json{{"path", clean(note.path)}, {"message", clean(note.message)}});
  }
  doc["notes"] = std::move(notes);

  Json rules = Json::array();
  for (const Rule& rule : report.rules) rules.push_back(rule_json(rule));
  doc["rules"] = std::move(rules);

  if (options.stats && report.result != nullptr) doc["stats"] = stats_json(report.result->stats);

  const std::string skeleton = doc.dump(kIndent, ' ', false, Json::error_handler_t::replace);
  // A top-level key is at the start of a line, indented once; in a string
  // value the quotes would be escaped, so this is the key itself.
  constexpr std::string_view kFindings = "\n  \"findings\": []";
  const std::size_t at = skeleton.find(kFindings);
  const std::string_view before = std::string_view(skeleton).substr(0, at);
  const std::string_view after = std::string_view(skeleton).substr(at + kFindings.size());
  const auto& all = detail::findings_of(report);
  // Reserved once: growing a report of tens of megabytes by doubling copies it again and again.
  std::size_t size = skeleton.size();
  for (const engine::Finding& finding : all) size += estimated_size(finding);
  std::string out;
  out.reserve(size);
  out += before;
  out += "\n  \"findings\": [";
  bool first = true;
  JsonText text(out, 2 * kIndent, kIndent);
  for (const engine::Finding& finding : all) {
    out += first ? "\n" : ",\n";
    first = false;
    out.append(static_cast<std::size_t>(2 * kIndent), ' ');
    finding_json(text, finding);
  }
  out += all.empty() ? "]" : "\n  ]";
  out += after;
  out += '\n';
  return out;
}

}  // namespace constable::report
