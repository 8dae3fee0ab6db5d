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
  // "prod" for values-prod.yaml, "staging" for values-staging.yaml, "" for
  // values.yaml or a file that is not a values file.
  static std::string values_environment(std::string_view path);

 private:
  const engine::ProductionRules& configured_;
};

}  // namespace constable::kube
