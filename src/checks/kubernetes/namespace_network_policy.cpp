// kubernetes/namespace-network-policy: "Network policies MUST be implemented
// for namespace isolation".

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/namespace_policy.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace namespace_network_policy_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/namespace-network-policy",
    .domain = "kubernetes",
    .nature = Nature::security,
    .summary = "Isolate every namespace you deploy to with a NetworkPolicy",
    .rationale =
        "Kubernetes lets every pod reach every other pod by default; without a policy a compromised "
        "pod in one namespace can talk to every service in all the others.",
    .remediation =
        "Add a default-deny NetworkPolicy (podSelector: {}, policyTypes: [Ingress, Egress]) to the "
        "namespace, then allow the traffic each workload needs.",
    .bad_example = "kind: Namespace\nmetadata: {name: shop}\n",
    .good_example =
        "kind: NetworkPolicy\nmetadata: {name: default-deny, namespace: shop}\nspec:\n  podSelector: {}\n"
        "  policyTypes: [Ingress, Egress]\n",
    .parameters = "",
    .clause = {.section = "namespace|kubernetes", .text = "network polic(y|ies)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
    .not_at_admission =
        "NetworkPolicies are objects of their own: "
        "one admitted object does not show whether its namespace has one",
};

}  // namespace namespace_network_policy_check
}  // namespace

std::unique_ptr<engine::Check> make_namespace_network_policy_check() {
  return make_namespace_policy_check(namespace_network_policy_check::kInfo, "NetworkPolicy");
}

}  // namespace constable::checks::kubernetes
