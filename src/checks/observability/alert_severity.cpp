// observability/alert-severity: "Alert severity levels: Critical, Warning, Info".

#include <fmt/format.h>

#include "checks/observability/alert_rules.hpp"
#include "checks/observability/observability_checks.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::checks::observability {

namespace {
namespace alert_severity_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/alert-severity",
    .domain = "observability",
    .nature = Nature::maintainability,
    .summary = "Label every alerting rule with one of the constitution's severity levels",
    .rationale =
        "Alertmanager routes, silences and escalates by the `severity` label: an alert without it, or with a "
        "level outside the agreed set (`page`, `high`, `none`), is routed by accident or not at all, and "
        "dashboards that count alerts per level miss it. Every Prometheus alerting rule needs a `severity` "
        "label, on the rule or on its group, whose value is one of the levels the clause lists (compared "
        "without regard to case). Values a template fills in (`{{ ... }}`) are not judged.",
    .remediation = "Set `labels: {severity: <level>}` on the rule with one of the constitution's levels, and "
                   "route that level in Alertmanager.",
    .bad_example = "groups:\n  - name: orders\n    rules:\n      - alert: OrdersHighErrorRate\n"
                   "        expr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) > 1\n"
                   "        labels:\n          severity: page\n        annotations:\n"
                   "          runbook_url: https://runbooks.example.com/orders/high-error-rate\n",
    .good_example = "groups:\n  - name: orders\n    rules:\n      - alert: OrdersHighErrorRate\n"
                    "        expr: sum(rate(http_requests_total{code=~\"5..\"}[5m])) > 1\n"
                    "        labels:\n          severity: critical\n        annotations:\n"
                    "          runbook_url: https://runbooks.example.com/orders/high-error-rate\n",
    .parameters = "the severity levels the clause lists (\"Critical, Warning, Info\")",
    .clause = {.section = "alert", .text = R"(severity\s+levels?)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only alerting rules are judged, wherever they are
    .scope = engine::Scope::repository,
};

class AlertSeverityCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    levels_.clear();
    // "Alert severity levels: Critical, Warning, Info": the levels follow the colon.
    const auto colon = clause.text.find(':');
    if (colon == std::string::npos)
      return fail("the clause lists no severity levels (expected e.g. \"Alert severity levels: Critical, Warning, Info\")");
    for (const std::string& item : constitution::capture_list(clause.text.substr(colon + 1))) {
      std::string level(text::trim(item));
      while (!level.empty() && (level.back() == '.' || level.back() == ';')) level.pop_back();
      if (level.empty()) continue;
      if (level.find(' ') != std::string::npos)
        return fail(fmt::format("'{}' is not a severity level (expected one word per level)", level));
      levels_.push_back(std::move(level));
    }
    if (levels_.empty())
      return fail("the clause lists no severity levels (expected e.g. \"Alert severity levels: Critical, Warning, Info\")");
    return {};
  }

  std::string bound_parameters() const override { return fmt::format("severity levels: {}", listed()); }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const AlertRule& rule : collect_alert_rules(repository)) {
      if (is_templated(rule.name)) continue;
      const yaml::Node* severity = rule.label("severity");
      if (severity == nullptr || severity->is_null()) {
        report(out, rule, nullptr,
               fmt::format("alert '{}' has no severity label (one of {})", rule.name, listed()));
        continue;
      }
      const std::string_view value = text::trim(severity->str());
      if (is_templated(value) || known(value)) continue;
      report(out, rule, severity,
             fmt::format("alert '{}' has severity '{}', which is not one of the constitution's levels ({})",
                         rule.name, value, listed()));
    }
  }

 private:
  bool known(std::string_view value) const {
    for (const auto& level : levels_)
      if (text::iequals(level, value)) return true;
    return false;
  }
  std::string listed() const { return fmt::format("{}", fmt::join(levels_, ", ")); }

  std::vector<std::string> levels_;
};

}  // namespace alert_severity_check
}  // namespace

std::unique_ptr<engine::Check> make_alert_severity_check() {
  return engine::make_check<alert_severity_check::AlertSeverityCheck>();
}

}  // namespace constable::checks::observability
