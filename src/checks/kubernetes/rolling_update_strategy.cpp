// kubernetes/rolling-update-strategy: "Rolling updates MUST be the default
// strategy". Recreate (Deployment) and OnDelete (StatefulSet, DaemonSet)
// take every pod down or leave updates to chance.

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace rolling_update_strategy_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/rolling-update-strategy",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Update workloads with rolling updates",
    .rationale =
        "Recreate stops every pod before starting the new version (downtime on each deploy); OnDelete "
        "never updates pods until someone deletes them.",
    .remediation =
        "Use strategy.type: RollingUpdate (Deployment) or updateStrategy.type: RollingUpdate "
        "(StatefulSet, DaemonSet), or leave the type unset: RollingUpdate is the default.",
    .bad_example = "kind: Deployment\nspec:\n  strategy:\n    type: Recreate\n",
    .good_example = "kind: Deployment\nspec:\n  strategy:\n    type: RollingUpdate\n",
    .parameters = "",
    .clause = {.section = "kubernetes", .text = "rolling updates?.*(default )?strategy"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

class RollingUpdateStrategyCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const auto& object : context.manifests().objects()) {
      const char* key = object.kind == "Deployment"                                  ? "strategy"
                        : object.kind == "StatefulSet" || object.kind == "DaemonSet" ? "updateStrategy"
                                                                                     : nullptr;
      if (key == nullptr) continue;
      const yaml::Node* type = object.root->at("spec", key, "type");
      if (type == nullptr || type->is_null() || type->str() == "RollingUpdate") continue;
      report(out, object, type,
             fmt::format("{} uses the {} strategy instead of RollingUpdate", object.display_name(), type->str()));
    }
  }
};

}  // namespace rolling_update_strategy_check
}  // namespace

std::unique_ptr<engine::Check> make_rolling_update_strategy_check() {
  return engine::make_check<rolling_update_strategy_check::RollingUpdateStrategyCheck>();
}

}  // namespace constable::checks::kubernetes
