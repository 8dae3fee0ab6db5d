// kubernetes/namespace-resource-quota: "Namespace-level resource quotas MUST
// be defined".

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/namespace_policy.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace namespace_resource_quota_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/namespace-resource-quota",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Define a ResourceQuota in every namespace you deploy to",
    .rationale =
        "Without a quota one team's runaway deployment (or a rollout's surge) can take the whole "
        "cluster's capacity from every other namespace.",
    .remediation =
        "Add a ResourceQuota to the namespace (requests.cpu, requests.memory, limits.cpu, "
        "limits.memory, pods), next to its Namespace object or in its kustomize overlay.",
    .bad_example = "kind: Namespace\nmetadata: {name: shop}\n",
    .good_example =
        "kind: ResourceQuota\nmetadata: {name: shop, namespace: shop}\nspec:\n  hard: {requests.cpu: \"8\", "
        "requests.memory: 16Gi}\n",
    .parameters = "",
    .clause = {.section = "namespace|kubernetes", .text = "resource quotas?"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
    .not_at_admission =
        "ResourceQuotas are objects of their own: "
        "one admitted object does not show whether its namespace has one",
};

}  // namespace namespace_resource_quota_check
}  // namespace

std::unique_ptr<engine::Check> make_namespace_resource_quota_check() {
  return make_namespace_policy_check(namespace_resource_quota_check::kInfo, "ResourceQuota");
}

}  // namespace constable::checks::kubernetes
