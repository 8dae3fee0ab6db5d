// kubernetes/max-surge: "Maximum surge pods: 25%".

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/rollout_budget.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace max_surge_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/max-surge",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Keep a rolling update's maxSurge within the constitution's percentage",
    .rationale =
        "maxSurge is how many extra pods a rollout may start; above the agreed share a deploy can "
        "exhaust the namespace's quota or the cluster's headroom.",
    .remediation =
        "Set spec.strategy.rollingUpdate.maxSurge to the constitution's percentage or less (as a "
        "percentage, or a number of pods no larger than that share of replicas, rounded up).",
    .bad_example = "strategy:\n  rollingUpdate:\n    maxSurge: 100%\n",
    .good_example = "strategy:\n  rollingUpdate:\n    maxSurge: 25%\n",
    .parameters = "the percentage in the clause, e.g. \"Maximum surge pods: 25%\"",
    .clause = {.section = "kubernetes", .text = "max(imum)?[ -]?surge"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

}  // namespace max_surge_check
}  // namespace

std::unique_ptr<engine::Check> make_max_surge_check() {
  return make_rollout_budget_check(max_surge_check::kInfo, RolloutBudget{"maxSurge", true, 25});
}

}  // namespace constable::checks::kubernetes
