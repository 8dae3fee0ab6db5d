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
// (`prod-eu`, `shop-production`), or a namespace whose Namespace object is
// labelled for it (`environment: production`, `env: prod`, `stage: prod`,
// also with a prefix: `example.com/environment`). `.constable.yaml`'s
// `production:` adds path globs and namespaces.
//
// Non-production is the same shape with the words of development, test and
// staging environments (dev, test, staging, qa, local, ...).

#include <optional>
#include <span>
#include <string>
#include <string_view>

#include "engine/config.hpp"
#include "formats/yaml/yaml.hpp"
#include "workspace/glob.hpp"

namespace constable::kube {

// The words that name an environment as not production ("dev", "staging",
// "test", ...), in namespaces ("shop-dev"), directories and labels.
std::span<const std::string_view> non_production_words();

class ProductionRules {
 public:
  explicit ProductionRules(const engine::ProductionRules& configured);

  // For a workspace-relative file or directory path.
  std::optional<std::string> for_path(std::string_view path) const;
  // `labels`: the metadata.labels of the namespace's Namespace object, when
  // known (one in the manifest set; the cluster's, at admission).
  std::optional<std::string> for_namespace(std::string_view name, const yaml::Node* labels = nullptr) const;
  // The same questions for the explicit opposite: a values-dev.yaml file, a
  // directory or namespace named for a development, test or staging
  // environment. What is neither is of unknown environment and may reach
  // production.
  std::optional<std::string> non_production_for_path(std::string_view path) const;
  std::optional<std::string> non_production_for_namespace(std::string_view name,
                                                          const yaml::Node* labels = nullptr) const;
  // "prod" for values-prod.yaml, "staging" for values-staging.yaml, "" for
  // values.yaml or a file that is not a values file.
  static std::string values_environment(std::string_view path);

 private:
  const engine::ProductionRules& configured_;
};

}  // namespace constable::kube
