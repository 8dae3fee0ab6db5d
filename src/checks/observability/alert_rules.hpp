#pragma once
// What the alerting checks share: every Prometheus alerting rule of the
// repository, in the rule file format promtool reads (a rule is a mapping
// with `alert` and `expr`, beside optional `for`, `labels` and
// `annotations`; a group may carry `labels` for all its rules). Rules are
// found wherever that shape appears in a YAML file: `spec.groups` of a
// PrometheusRule, `groups` of a plain rule file, and rules written into Helm
// values (kube-prometheus-stack's `additionalPrometheusRulesMap`, many
// charts' `prometheusRule.rules`). Chart templates are not read: their rules
// are Go templates until rendered.

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::observability {

struct AlertRule {
  std::string path;                        // the YAML file
  std::string name;                        // the `alert:` value
  const yaml::Node* alert_key = nullptr;   // the `alert` key: where findings point
  const yaml::Node* expr = nullptr;
  const yaml::Node* labels = nullptr;        // the rule's, null when absent
  const yaml::Node* group_labels = nullptr;  // its group's, null when absent
  const yaml::Node* annotations = nullptr;
  // A label of the rule, else of its group; null when neither sets it.
  const yaml::Node* label(std::string_view key) const;
};

// Every alerting rule of the workspace's YAML files, by path and line.
// Collected once per run, shared by every check that asks (engine::derived).
const std::vector<AlertRule>& collect_alert_rules(const engine::RepositoryContext& repository);

// Whether `text` may hold a PromQL `expr` key (`expr:`, `"expr":`, the
// escaped `\"expr\":` of JSON inside a YAML string): a byte test before a
// file is parsed for its rules, since "expr" alone is in every
// `matchExpressions` of a values file.
bool may_hold_expr_key(std::string_view content);

// A finding about `rule` at `at` (the rule's `alert` key when null).
void report(engine::Emitter& out, const AlertRule& rule, const yaml::Node* at, std::string message,
            const constitution::Clause* clause = nullptr);

// Text a template engine fills in later (`{{ ... }}`, `${...}`): not judged.
bool is_templated(std::string_view value);

// A comparison of an alert expression against a number, in the one shape the
// threshold checks judge: the whole expression is `<left> > <number>` or
// `<left> >= <number>` (outer parentheses allowed), with no other comparison,
// `bool` modifier or set operator (and, or, unless) outside parentheses.
struct Comparison {
  std::string left;  // trimmed
  double threshold = 0;
};
std::optional<Comparison> upper_threshold(std::string_view expr);

}  // namespace constable::checks::observability
