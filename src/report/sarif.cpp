// SARIF 2.1.0, as GitHub code scanning and other SARIF viewers read it.

#include <algorithm>
#include <optional>
#include <string_view>
#include <utility>
#include <vector>

#include <fmt/format.h>
#include <fmt/ranges.h>
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

Json sarif_rule(const Rule& rule) {
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
  // SARIF's tags are a set: the security domain's security checks tag once.
  const std::string nature_tag(to_string(nature));
  if (tags.empty() || tags[0] != nature_tag) tags.push_back(nature_tag);
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

// A file outside the root: an absolute one as a file:// URI, else the path as given.
Json outside_root(std::string_view path) {
  if (!path.empty() && path.front() == '/') return Json{{"uri", "file://" + detail::percent_encode_path(path)}};
  return Json{{"uri", detail::percent_encode_path(path)}};
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
  // A deprecation warning is a warning whatever it becomes.
  out["level"] = finding.in_transition() ? std::string("warning") : std::string(level_of(finding.severity));
  std::string message = clean(finding.message);
  if (!finding.clause_id.empty()) message += " (clause " + clean(finding.clause_id) + ")";
  if (finding.transition) message += "; " + clean(detail::due_text(finding));
  out["message"] = Json{{"text", message}};

  // Code scanning needs a file: a finding about the repository or a
  // directory points at its clause's line in the constitution.
  const auto file = detail::file_location(report, finding);
  const bool own_file = file && !file->at_clause;
  Json location;
  if (own_file) {
    location["physicalLocation"] = physical_location(finding.path, finding.range, finding.snippet);
  } else if (file) {
    location["physicalLocation"] = physical_location(file->path, file->range, {});
  } else {
    location["physicalLocation"] = Json{{"artifactLocation", outside_root(report.constitution_path)}};
  }
  out["locations"] = Json::array({std::move(location)});
  if (own_file && !finding.also_at.empty()) {
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
  if (finding.transition)
    properties["transition"] = Json{{"until", finding.transition->until.to_string()},
                                    {"reason", clean(finding.transition->reason)}};
  if (!own_file) properties["path"] = clean(finding.path);  // what the finding is about
  if (!finding.clause_id.empty()) {
    properties["clause"] = Json{{"id", clean(finding.clause_id)},
                                {"text", clean(finding.clause_text)},
                                {"section", clean(finding.clause_section)},
                                {"line", finding.clause_line}};
  }
  out["properties"] = std::move(properties);
  return out;
}


std::string dump(const Json& doc) { return doc.dump(2, ' ', false, Json::error_handler_t::replace) + "\n"; }

// Results are dumped four levels deep (runs, run, results, result): each of
// their lines is indented by 8 more spaces, and followed by ",\n".
std::size_t dumped_size_in_run(const Json& result) {
  const std::string alone = result.dump(2, ' ', false, Json::error_handler_t::replace);
  return alone.size() + 8 * (1 + static_cast<std::size_t>(std::count(alone.begin(), alone.end(), '\n'))) + 2;
}

// "20 of 30000 results left out ...: 5 medium, 15 low; ...", the run-level
// notification of what the limits cut.
Json truncation_notification(std::size_t left_out, std::size_t total, const detail::SeverityCounts& by_severity,
                             const RenderOptions& options) {
  std::vector<std::string> limits;
  if (options.sarif_max_results > 0) limits.push_back(fmt::format("at most {} results", options.sarif_max_results));
  if (options.sarif_max_bytes > 0) limits.push_back(fmt::format("at most {} bytes", options.sarif_max_bytes));
  Json notification;
  notification["descriptor"] = Json{{"id", "constable/results-truncated"}};
  notification["level"] = "warning";
  notification["message"] = Json{
      {"text", fmt::format("{} of {} results left out to stay within code scanning's limits ({}): {}; the most "
                           "severe were kept. The JSON report lists every finding.",
                           left_out, total, fmt::join(limits, ", "), detail::severity_counts_text(by_severity))}};
  return notification;
}

// Fills the run's results and notifications within code scanning's limits
// (RenderOptions): when they cut, unsuppressed findings before suppressed
// ones, then the most severe, are kept, in report order, and a notification
// says what was left out.
void fill_results(Json& doc, Json notifications, std::vector<Json>& results,
                  const std::vector<engine::Finding>& findings, const RenderOptions& options) {
  Json& run = doc["runs"][0];
  std::vector<std::size_t> ranking(findings.size());
  for (std::size_t i = 0; i < ranking.size(); ++i) ranking[i] = i;
  std::stable_sort(ranking.begin(), ranking.end(), [&](std::size_t a, std::size_t b) {
    return std::pair{findings[a].suppressed(), findings[a].severity} <
           std::pair{findings[b].suppressed(), findings[b].severity};
  });
  std::size_t keep = options.sarif_max_results > 0 ? std::min(options.sarif_max_results, ranking.size())
                                                   : ranking.size();

  const auto set_notifications = [&](std::size_t kept) {
    Json all = notifications;
    if (kept < findings.size()) {
      detail::SeverityCounts left_out{};
      for (std::size_t i = kept; i < ranking.size(); ++i)
        ++left_out[static_cast<std::size_t>(findings[ranking[i]].severity)];
      all.push_back(truncation_notification(findings.size() - kept, findings.size(), left_out, options));
    }
    Json& invocation = run["invocations"][0];
    if (all.empty()) {
      invocation.erase("toolExecutionNotifications");
    } else {
      invocation["toolExecutionNotifications"] = std::move(all);
    }
  };
  const auto set_results = [&](std::size_t kept) {
    std::vector<std::size_t> chosen(ranking.begin(), ranking.begin() + static_cast<std::ptrdiff_t>(kept));
    std::sort(chosen.begin(), chosen.end());
    Json array = Json::array();
    for (std::size_t i : chosen) array.push_back(results[i]);
    run["results"] = std::move(array);
  };

  if (options.sarif_max_bytes > 0) {
    // The document without results, with the longest notification it can
    // carry, plus each kept result's share: then a check of the real size.
    set_notifications(0);
    set_results(0);
    std::size_t size = dump(doc).size();
    std::size_t fits = 0;
    while (fits < keep && size + dumped_size_in_run(results[ranking[fits]]) <= options.sarif_max_bytes)
      size += dumped_size_in_run(results[ranking[fits++]]);
    keep = fits;
  }
  for (;;) {
    set_notifications(keep);
    set_results(keep);
    if (options.sarif_max_bytes == 0 || keep == 0 || dump(doc).size() <= options.sarif_max_bytes) break;
    --keep;
  }
}

}  // namespace

std::string render_sarif(const Report& report, const RenderOptions& options) {
  Json driver;
  driver["name"] = clean(report.tool_name);
  if (!report.tool_version.empty()) {
    driver["version"] = clean(report.tool_version);
    driver["semanticVersion"] = clean(report.tool_version);
  }
  driver["informationUri"] = std::string(kInformationUri);
  Json rules = Json::array();
  for (const Rule& rule : report.rules) rules.push_back(sarif_rule(rule));
  driver["rules"] = std::move(rules);

  Json run;
  run["tool"] = Json{{"driver", std::move(driver)}};

  Json notifications = Json::array();
  for (const workspace::Note& note : detail::notes_of(report)) {
    Json notification;
    notification["level"] = "note";
    notification["message"] = Json{{"text", clean(note.message)}};
    // A note about a place in a file names it "path:line[:column]"; one
    // about a directory or the repository has no location.
    if (const auto [path, range] = split_position(note.path); detail::names_a_file(path)) {
      Json location;
      location["physicalLocation"] = physical_location(path, range, {});
      notification["locations"] = Json::array({std::move(location)});
    }
    notifications.push_back(std::move(notification));
  }
  run["invocations"] = Json::array({Json{{"executionSuccessful", true}}});

  const std::string root_uri = detail::file_uri_for_root(report.root);
  if (!root_uri.empty()) run["originalUriBaseIds"] = Json{{"%SRCROOT%", Json{{"uri", root_uri}}}};

  run["results"] = Json::array();
  run["columnKind"] = "unicodeCodePoints";
  run["properties"] = Json{{"constitution", Json{{"path", clean(report.constitution_path)},
                                                 {"version", clean(report.constitution_version)}}}};

  Json doc;
  doc["$schema"] = "https://json.schemastore.org/sarif-2.1.0.json";
  doc["version"] = "2.1.0";
  doc["runs"] = Json::array({std::move(run)});

  const auto& findings = detail::findings_of(report);
  std::vector<Json> results;
  results.reserve(findings.size());
  for (const engine::Finding& finding : findings) results.push_back(result_json(report, finding));
  fill_results(doc, std::move(notifications), results, findings, options);
  return dump(doc);
}

}  // namespace constable::report
