// kubernetes/max-unavailable: "Maximum unavailable pods: 25%".

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/rollout_budget.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace max_unavailable_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/max-unavailable",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Keep a rolling update's maxUnavailable within the constitution's percentage",
    .rationale =
        "maxUnavailable is how much capacity a rollout may remove; above the agreed share a deploy "
        "under load degrades the service.",
    .remediation =
        "Set spec.strategy.rollingUpdate.maxUnavailable to the constitution's percentage or less "
        "(as a percentage, or a number of pods no larger than that share of replicas, rounded down).",
    .bad_example = "strategy:\n  rollingUpdate:\n    maxUnavailable: 50%\n",
    .good_example = "strategy:\n  rollingUpdate:\n    maxUnavailable: 25%\n",
    .parameters = "the percentage in the clause, e.g. \"Maximum unavailable pods: 25%\"",
    .clause = {.section = "kubernetes", .text = "max(imum)?[ -]?unavailable"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

}  // namespace max_unavailable_check
}  // namespace

std::unique_ptr<engine::Check> make_max_unavailable_check() {
  return make_rollout_budget_check(max_unavailable_check::kInfo, RolloutBudget{"maxUnavailable", false, 25});
}

}  // namespace constable::checks::kubernetes
