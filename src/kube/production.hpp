#pragma once
// Which artifacts are production, for clauses that speak of production
// ("Pod Disruption Budgets for production services", "latest tag is
// PROHIBITED in production"). Every answer is a reason a user can read, so
// a finding can say why its artifact counts as production.
//
// Built-in rules: a Helm values file named values-prod.yaml or
// values-production.yaml (also `.` or `_` separated); a file under a
// directory named prod or production (kustomize overlays, manifest trees);
// a namespace named prod or production, or prefixed/suffixed with it
// (`prod-eu`, `shop-production`). `.constable.yaml`'s `production:` adds
// path globs and namespaces.
//
// Non-production is the same shape with the words of development, test and
// staging environments (dev, test, staging, qa, local, ...).

#include <optional>
#include <string>
#include <string_view>

#include "engine/config.hpp"
#include "workspace/glob.hpp"

namespace constable::kube {

class ProductionRules {
 public:
  explicit ProductionRules(const engine::ProductionRules& configured);

  // For a workspace-relative file or directory path.
  std::optional<std::string> for_path(std::string_view path) const;
  std::optional<std::string> for_namespace(std::string_view name) const;
  // The same questions for the explicit opposite: a values-dev.yaml file, a
  // directory or namespace named for a development, test or staging
  // environment. What is neither is of unknown environment and may reach
  // production.
  std::optional<std::string> non_production_for_path(std::string_view path) const;
  std::optional<std::string> non_production_for_namespace(std::string_view name) const;
  // "prod" for values-prod.yaml, "staging" for values-staging.yaml, "" for
  // values.yaml or a file that is not a values file.
  static std::string values_environment(std::string_view path);

 private:
  const engine::ProductionRules& configured_;
};

}  // namespace constable::kube
