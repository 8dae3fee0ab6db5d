// SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

#include <optional>
#include <string_view>
#include <utility>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "report/common.hpp"

namespace constable::report {
namespace {

using Json = nlohmann::ordered_json;
using detail::clean;

constexpr std::string_view kInformationUri = "https://github.com/constable-dev/constable";

std::string_view level_of(Severity severity) {
  switch (severity) {
    case Severity::critical:
    case Severity::high: return "error";
    case Severity::medium: return "warning";
    case Severity::low: return "note";
  }
  return "warning";
}

// GitHub's scale: >= 9.0 critical, >= 7.0 high, >= 4.0 medium, else low.
std::string_view security_severity(Severity severity) {
  switch (severity) {
    case Severity::critical: return "9.0";
    case Severity::high: return "7.0";
    case Severity::medium: return "5.0";
    case Severity::low: return "3.0";
  }
  return "5.0";
}

Json clause_json(const constitution::Clause& clause) {
  Json out;
  out["id"] = clean(clause.id);
  out["text"] = clean(clause.text);
  out["section"] = clean(clause.section_joined());
  out["line"] = clause.line;
  return out;
}

Json rule_json(const Rule& rule) {
  const engine::CheckInfo* info = rule.info;
  const std::string id = info != nullptr ? clean(info->id) : std::string();
  const std::string summary = info != nullptr ? clean(info->summary) : std::string();
  const std::string rationale = info != nullptr ? clean(info->rationale) : std::string();
  const std::string remediation = info != nullptr ? clean(info->remediation) : std::string();

  std::string help_text = remediation;
  // Check authors write remediation in Markdown (`USER`, `image@sha256:...`).
  std::string help_markdown = remediation;
  if (rule.clause != nullptr) {
    const std::string clause_text = clean(rule.clause->text);
    help_text += fmt::format("{}Constitution clause {}: \"{}\"", help_text.empty() ? "" : "\n\n",
                             clean(rule.clause->id), clause_text);
    help_markdown += fmt::format("{}**Constitution clause** {}:\n\n> {}", help_markdown.empty() ? "" : "\n\n",
                                 detail::markdown_code(rule.clause->id), detail::markdown_escape(clause_text));
  }
  if (help_text.empty()) help_text = summary;
  if (help_markdown.empty()) help_markdown = detail::markdown_escape(summary);

  Json out;
  out["id"] = id;
  out["name"] = detail::pascal_case(id);
  out["shortDescription"] = Json{{"text", summary}};
  out["fullDescription"] = Json{{"text", rationale.empty() ? summary : rationale}};
  out["help"] = Json{{"text", help_text}, {"markdown", help_markdown}};
  out["defaultConfiguration"] = Json{{"level", std::string(level_of(rule.severity))}};

  const Nature nature = info != nullptr ? info->nature : Nature::maintainability;
  Json properties;
  Json tags = Json::array();
  if (info != nullptr && !info->domain.empty()) tags.push_back(clean(info->domain));
  tags.push_back(std::string(to_string(nature)));
  properties["tags"] = std::move(tags);
  properties["severity"] = std::string(to_string(rule.severity));
  if (nature == Nature::security) properties["security-severity"] = std::string(security_severity(rule.severity));
  if (rule.clause != nullptr) properties["clause"] = clause_json(*rule.clause);
  if (!rule.parameters.empty()) properties["parameters"] = clean(rule.parameters);
  out["properties"] = std::move(properties);
  return out;
}

Json artifact_location(std::string_view path) {
  Json out;
  out["uri"] = detail::percent_encode_path(path);
  out["uriBaseId"] = "%SRCROOT%";
  return out;
}

Json physical_location(std::string_view path, const SourceRange& range, std::string_view snippet) {
  Json physical;
  physical["artifactLocation"] = artifact_location(path);
  if (range.line > 0) {
    Json region;
    region["startLine"] = range.line;
    if (range.column > 0) region["startColumn"] = range.column;
    if (range.end_line >= range.line) region["endLine"] = range.end_line;
    if (range.end_column > 0) region["endColumn"] = range.end_column;
    if (!snippet.empty()) region["snippet"] = Json{{"text", clean(snippet)}};
    physical["region"] = std::move(region);
  }
  return physical;
}

// "values.yaml:4:7" -> ("values.yaml", line 4, column 7); a path without a
// numeric suffix is the whole file.
std::pair<std::string_view, SourceRange> split_position(std::string_view path) {
  auto number_at_end = [](std::string_view& rest) -> std::optional<int> {
    const auto colon = rest.rfind(':');
    if (colon == std::string_view::npos || colon == 0 || colon + 1 == rest.size() || rest.size() - colon > 10)
      return std::nullopt;
    int value = 0;
    for (const char c : rest.substr(colon + 1)) {
      if (c < '0' || c > '9') return std::nullopt;
      value = value * 10 + (c - '0');
    }
    rest = rest.substr(0, colon);
    return value;
  };
  std::string_view rest = path;
  const auto last = number_at_end(rest);
  if (!last) return {path, SourceRange::whole_file()};
  if (const auto line = number_at_end(rest)) return {rest, SourceRange{*line, *last, *line, 0}};
  return {rest, SourceRange::at_line(*last)};
}

Json result_json(const Report& report, const engine::Finding& finding) {
  Json out;
  out["ruleId"] = clean(finding.check_id);
  std::size_t index = 0;
  if (detail::find_rule(report, finding.check_id, &index) != nullptr) out["ruleIndex"] = index;
  out["level"] = std::string(level_of(finding.severity));
  std::string message = clean(finding.message);
  if (!finding.clause_id.empty()) message += " (clause " + clean(finding.clause_id) + ")";
  out["message"] = Json{{"text", message}};

  Json location;
  location["physicalLocation"] = physical_location(finding.path, finding.range, finding.snippet);
  out["locations"] = Json::array({std::move(location)});
  if (!finding.also_at.empty()) {
    // Every further place of a problem reported once per file.
    Json related = Json::array();
    for (std::size_t i = 0; i < finding.also_at.size(); ++i) {
      const engine::RelatedLocation& place = finding.also_at[i];
      related.push_back(Json{{"id", i + 1},
                             {"physicalLocation", physical_location(finding.path, place.range, {})},
                             {"message", Json{{"text", clean(place.message)}}}});
    }
    out["relatedLocations"] = std::move(related);
  }

  if (!finding.fingerprint.empty()) out["partialFingerprints"] = Json{{"constable/v1", clean(finding.fingerprint)}};

  if (finding.suppression) {
    const engine::Suppression& s = *finding.suppression;
    Json suppression;
    suppression["kind"] = s.kind == engine::Suppression::Kind::waiver ? "external" : "inSource";
    suppression["status"] = "accepted";
    if (!s.reason.empty()) suppression["justification"] = clean(s.reason);
    Json properties;
    properties["type"] = std::string(detail::suppression_kind(s.kind));
    if (!s.owner.empty()) properties["owner"] = clean(s.owner);
    if (s.expires) properties["expires"] = s.expires->to_string();
    if (!s.source.empty()) properties["source"] = clean(s.source);
    suppression["properties"] = std::move(properties);
    out["suppressions"] = Json::array({std::move(suppression)});
  }

  Json properties;
  properties["severity"] = std::string(to_string(finding.severity));
  properties["due"] = finding.due.to_string();
  if (!finding.clause_id.empty()) {
    properties["clause"] = Json{{"id", clean(finding.clause_id)},
                                {"text", clean(finding.clause_text)},
                                {"section", clean(finding.clause_section)},
                                {"line", finding.clause_line}};
  }
  out["properties"] = std::move(properties);
  return out;
}

}  // namespace

std::string render_sarif(const Report& report) {
  Json driver;
  driver["name"] = clean(report.tool_name);
  if (!report.tool_version.empty()) {
    driver["version"] = clean(report.tool_version);
    driver["semanticVersion"] = clean(report.tool_version);
  }
  driver["informationUri"] = std::string(kInformationUri);
  Json rules = Json::array();
  for (const Rule& rule : report.rules) rules.push_back(rule_json(rule));
  driver["rules"] = std::move(rules);

  Json run;
  run["tool"] = Json{{"driver", std::move(driver)}};

  Json invocation;
  invocation["executionSuccessful"] = true;
  Json notifications = Json::array();
  for (const workspace::Note& note : detail::notes_of(report)) {
    Json notification;
    notification["level"] = "note";
    notification["message"] = Json{{"text", clean(note.message)}};
    if (!note.path.empty()) {
      // A note about a place in a file names it "path:line[:column]".
      const auto [path, range] = split_position(note.path);
      Json location;
      location["physicalLocation"] = physical_location(path, range, {});
      notification["locations"] = Json::array({std::move(location)});
    }
    notifications.push_back(std::move(notification));
  }
  if (!notifications.empty()) invocation["toolExecutionNotifications"] = std::move(notifications);
  run["invocations"] = Json::array({std::move(invocation)});

  const std::string root_uri = detail::file_uri_for_root(report.root);
  if (!root_uri.empty()) run["originalUriBaseIds"] = Json{{"%SRCROOT%", Json{{"uri", root_uri}}}};

  Json results = Json::array();
  for (const engine::Finding& finding : detail::findings_of(report)) results.push_back(result_json(report, finding));
  run["results"] = std::move(results);
  run["columnKind"] = "unicodeCodePoints";
  run["properties"] = Json{{"constitution", Json{{"path", clean(report.constitution_path)},
                                                 {"version", clean(report.constitution_version)}}}};

  Json doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = Json::array({std::move(run)});
  return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n";
}

}  // namespace constable::report
