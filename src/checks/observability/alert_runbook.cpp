// observability/alert-runbook: "Alerts MUST include runbook links".

#include <fmt/format.h>

#include <algorithm>

#include "checks/observability/alert_rules.hpp"
#include "checks/observability/observability_checks.hpp"
#include "core/text.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::observability {

namespace {
namespace alert_runbook_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/alert-runbook",
    .domain = "observability",
    .nature = Nature::reliability,
    .summary = "Link every alerting rule to its runbook",
    .rationale =
        "An alert wakes someone who may never have seen it: the runbook says what it means, how bad it is "
        "and what to do first. An alert without one is paged, then investigated from scratch. Every "
        "Prometheus alerting rule (`alert:` in a PrometheusRule, a rule file or rules in Helm values) needs a "
        "`runbook_url` annotation (or `runbook`, `runbookUrl`, `runbook_link`) whose first word is an http(s) "
        "URL or the path of a file or directory of the repository (from the repository root or from the rule "
        "file's directory); a note may follow the link. "
        "Values a template fills in (`{{ ... }}`, `${...}`) are not judged.",
    .remediation = "Write the runbook (what the alert means, its impact, how to diagnose and mitigate it) and "
                   "add `runbook_url: <its URL or repository path>` to the rule's annotations.",
    .bad_example = "groups:\n  - name: orders\n    rules:\n      - alert: OrdersHighErrorRate\n"
                   "        expr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) > 1\n"
                   "        labels:\n          severity: critical\n",
    .good_example = "groups:\n  - name: orders\n    rules:\n      - alert: OrdersHighErrorRate\n"
                    "        expr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) > 1\n"
                    "        labels:\n          severity: critical\n        annotations:\n"
                    "          runbook_url: https://runbooks.example.com/orders/high-error-rate\n",
    .parameters = "",
    .clause = {.section = "alert", .text = "runbook"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only alerting rules are judged, wherever they are
    .scope = engine::Scope::repository,
};

const yaml::Entry* runbook_annotation(const AlertRule& rule) {
  if (rule.annotations == nullptr) return nullptr;
  for (const yaml::Entry& entry : rule.annotations->entries) {
    const std::string key = text::to_lower(entry.key->str());
    if (key == "runbook_url" || key == "runbook" || key == "runbookurl" || key == "runbook_link") return &entry;
  }
  return nullptr;
}

bool is_web_url(std::string_view value) {
  const std::string lower = text::to_lower(value);
  for (std::string_view scheme : {"https://", "http://"})
    if (lower.starts_with(scheme) && lower.size() > scheme.size()) return true;
  return false;
}

// `path` with "." and ".." segments resolved; nullopt when it climbs out of the root.
std::optional<std::string> normalized(std::string_view path) {
  std::vector<std::string_view> parts;
  for (std::string_view part : text::split(path, '/')) {
    if (part.empty() || part == ".") continue;
    if (part == "..") {
      if (parts.empty()) return std::nullopt;
      parts.pop_back();
      continue;
    }
    parts.push_back(part);
  }
  std::string out;
  for (std::string_view part : parts) {
    if (!out.empty()) out += '/';
    out += part;
  }
  return out;
}

// A file of the repository, or a directory holding some (a runbook folder).
bool in_repository(const workspace::Workspace& workspace, const std::string& path) {
  if (path.empty()) return false;
  if (workspace.is_set_aside(path)) return true;  // a documentation file discovery set aside still exists
  const auto it = std::lower_bound(workspace.files.begin(), workspace.files.end(), path,
                                   [](const workspace::File& f, const std::string& p) { return f.path < p; });
  if (it == workspace.files.end()) return false;
  return it->path == path || it->path.starts_with(path + "/");
}

bool names_repository_file(const workspace::Workspace& workspace, std::string_view rule_path, std::string_view value) {
  std::string_view target = value.substr(0, value.find('#'));
  if (target.empty()) return false;
  std::vector<std::string> candidates;
  if (target.starts_with('/')) {
    candidates.emplace_back(target.substr(1));
  } else {
    candidates.emplace_back(target);
    const auto slash = rule_path.rfind('/');
    if (slash != std::string_view::npos) candidates.push_back(std::string(rule_path.substr(0, slash + 1)) + std::string(target));
  }
  for (const std::string& candidate : candidates) {
    const auto path = normalized(candidate);
    if (path && in_repository(workspace, *path)) return true;
  }
  return false;
}

class AlertRunbookCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto& workspace = repository.workspace();
    for (const AlertRule& rule : collect_alert_rules(repository)) {
      if (is_templated(rule.name)) continue;
      const yaml::Entry* runbook = runbook_annotation(rule);
      if (runbook == nullptr) {
        report(out, rule, nullptr,
               fmt::format("alert '{}' has no runbook_url annotation: whoever it pages has no documented "
                           "first steps",
                           rule.name));
        continue;
      }
      const std::string_view value = text::trim(runbook->value->str());
      // The link may come with a note after it ("docs/runbook.md, step 2"): the first word is the link.
      const std::string_view link = value.substr(0, value.find_first_of(" \t\n"));
      if (is_templated(value) || is_web_url(link) || names_repository_file(workspace, rule.path, link)) continue;
      if (value.empty()) {
        report(out, rule, runbook->key, fmt::format("alert '{}' has an empty {} annotation", rule.name,
                                                     runbook->key->str()));
        continue;
      }
      report(out, rule, runbook->value,
             fmt::format("{} '{}' of alert '{}' is neither an http(s) URL nor a file of the repository",
                         runbook->key->str(), value, rule.name));
    }
  }
};

}  // namespace alert_runbook_check
}  // namespace

std::unique_ptr<engine::Check> make_alert_runbook_check() {
  return engine::make_check<alert_runbook_check::AlertRunbookCheck>();
}

}  // namespace constable::checks::observability
