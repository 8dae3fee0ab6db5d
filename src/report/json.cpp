// The stable, machine-readable report (docs/schema/constable-report.schema.json).

#include <nlohmann/json.hpp>

#include "report/common.hpp"

namespace constable::report {
namespace {

using Json = nlohmann::ordered_json;
using detail::clean;

Json clause_json(const engine::Finding& finding) {
  if (finding.clause_id.empty()) return nullptr;
  Json clause;
  clause["id"] = clean(finding.clause_id);
  clause["text"] = clean(finding.clause_text);
  clause["section"] = clean(finding.clause_section);
  clause["line"] = finding.clause_line;
  return clause;
}

Json place_json(const SourceRange& range, std::string_view message) {
  return Json{{"line", range.line},
              {"column", range.column},
              {"end_line", range.end_line},
              {"end_column", range.end_column},
              {"message", clean(message)}};
}

Json finding_json(const engine::Finding& finding) {
  Json out;
  out["check"] = clean(finding.check_id);
  out["clause"] = clause_json(finding);
  out["severity"] = std::string(to_string(finding.severity));
  out["due"] = finding.due.to_string();
  Json location;
  location["path"] = clean(finding.path);
  location["line"] = finding.range.line;
  location["column"] = finding.range.column;
  location["end_line"] = finding.range.end_line;
  location["end_column"] = finding.range.end_column;
  out["location"] = std::move(location);
  out["message"] = clean(finding.message);
  // A check that reports one finding per file lists every place of the
  // problem, the finding's own first.
  out["count"] = 1 + finding.also_at.size();
  if (!finding.also_at.empty()) {
    Json places = Json::array();
    places.push_back(place_json(finding.range, finding.message));
    for (const engine::RelatedLocation& place : finding.also_at)
      places.push_back(place_json(place.range, place.message));
    out["locations"] = std::move(places);
  }
  out["remediation"] = clean(finding.remediation);
  out["snippet"] = clean(finding.snippet);
  out["fingerprint"] = clean(finding.fingerprint);
  if (finding.suppression) {
    const engine::Suppression& s = *finding.suppression;
    Json suppression;
    suppression["kind"] = std::string(detail::suppression_kind(s.kind));
    suppression["reason"] = clean(s.reason);
    suppression["owner"] = clean(s.owner);
    suppression["expires"] = s.expires ? Json(s.expires->to_string()) : Json(nullptr);
    suppression["source"] = clean(s.source);
    out["suppression"] = std::move(suppression);
  }
  return out;
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

// `json`, dumped on its own, as it is dumped `depth` spaces in: every line
// indented by that much. A dump's line breaks are all structural (a newline
// in a string is written \n).
void append_indented(std::string& out, std::string_view json, int depth) {
  const std::string indent(static_cast<std::size_t>(depth), ' ');
  out += indent;
  for (std::size_t start = 0;;) {
    const std::size_t newline = json.find('\n', start);
    if (newline == std::string_view::npos) {
      out += json.substr(start);
      return;
    }
    out += json.substr(start, newline + 1 - start);
    out += indent;
    start = newline + 1;
  }
}

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
  std::string out;
  out.reserve(skeleton.size() + all.size() * 1024);
  out += before;
  out += "\n  \"findings\": [";
  bool first = true;
  for (const engine::Finding& finding : all) {
    out += first ? "\n" : ",\n";
    first = false;
    append_indented(out, finding_json(finding).dump(kIndent, ' ', false, Json::error_handler_t::replace), 2 * kIndent);
  }
  out += all.empty() ? "]" : "\n  ]";
  out += after;
  out += '\n';
  return out;
}

}  // namespace constable::report
