// kubernetes/pod-disruption-budget: "Pod Disruption Budgets for production
// services". A PDB protects a workload only when its selector really selects
// the workload's pods, in the same namespace.

#include <fmt/format.h>

#include <map>

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace pod_disruption_budget_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/pod-disruption-budget",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Cover every production Deployment and StatefulSet with a PodDisruptionBudget",
    .rationale =
        "Node drains and cluster upgrades evict pods voluntarily; without a budget they may evict every "
        "replica of a service at once.",
    .remediation =
        "Add a policy/v1 PodDisruptionBudget in the same namespace whose selector matches the pod "
        "template's labels, with minAvailable or maxUnavailable.",
    .bad_example = "kind: Deployment\nmetadata: {name: web, namespace: prod}\n",
    .good_example =
        "kind: PodDisruptionBudget\nmetadata: {name: web, namespace: prod}\nspec:\n  maxUnavailable: 1\n"
        "  selector:\n    matchLabels: {app: web}\n",
    .parameters = "",
    .clause = {.section = "kubernetes", .text = "disruption budgets?"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
    .not_at_admission =
        "a PodDisruptionBudget is an object of its own: "
        "one admitted Deployment does not show whether one covers it",
};

class PodDisruptionBudgetCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    // Selectors of the budgets, by the namespace they are deployed to.
    std::multimap<std::string, const yaml::Node*, std::less<>> budgets;
    for (const kube::Object* pdb : context.manifests().of_kind("PodDisruptionBudget"))
      for (const auto& placement : pdb->placements)
        budgets.emplace(placement.namespace_name, pdb->root->at("spec", "selector"));
    for_each_pod_template(context.manifests(), [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      if (object.kind != "Deployment" && object.kind != "StatefulSet") return;
      const yaml::Node* labels = tmpl.metadata != nullptr ? tmpl.metadata->get("labels") : nullptr;
      for (const auto& placement : object.placements) {
        if (!placement.production) continue;
        bool covered = false;
        const auto [first, last] = budgets.equal_range(placement.namespace_name);
        for (auto it = first; it != last && !covered; ++it) covered = kube::selector_matches(it->second, labels);
        if (covered) continue;
        report(out, object, nullptr,
               fmt::format(
                   "no PodDisruptionBudget selects the pods of {}{}{}", object.display_name(),
                   placement.namespace_name.empty() ? "" : fmt::format(" in namespace '{}'", placement.namespace_name),
                   production_note(*placement.production)));
        break;  // one finding per object
      }
    });
  }
};

}  // namespace pod_disruption_budget_check
}  // namespace

std::unique_ptr<engine::Check> make_pod_disruption_budget_check() {
  return engine::make_check<pod_disruption_budget_check::PodDisruptionBudgetCheck>();
}

}  // namespace constable::checks::kubernetes
