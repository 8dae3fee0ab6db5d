// security/service-account-tokens: "Service accounts MUST use short-lived
// credentials". A Secret of type kubernetes.io/service-account-token holds a
// token that never expires; the projected tokens the kubelet mounts (and
// `kubectl create token`, the TokenRequest API) expire and rotate.

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/security/security_checks.hpp"

namespace constable::checks::security {

namespace {
namespace service_account_tokens_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/service-account-tokens",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Give service accounts projected, expiring tokens, not token Secrets",
    .rationale =
        "The token controller fills a Secret of type kubernetes.io/service-account-token with a token that is "
        "valid until the Secret is deleted: copied once (into a CI variable, a kubeconfig, a log), it works "
        "forever. Pods get projected tokens bound to the pod and expiring within the hour without one; a client "
        "outside the cluster can ask the TokenRequest API (`kubectl create token --duration`) for one. Judged: "
        "every Secret of that type the repository declares, rendered charts included.",
    .remediation =
        "Delete the Secret. Pods use the projected token the kubelet mounts (or a projected "
        "serviceAccountToken volume with an audience and expirationSeconds); an external client requests a "
        "short-lived token with the TokenRequest API or uses workload identity federation.",
    .bad_example = "apiVersion: v1\nkind: Secret\nmetadata:\n  name: ci-deployer\n  annotations:\n"
                   "    kubernetes.io/service-account.name: ci-deployer\ntype: kubernetes.io/service-account-token\n",
    .good_example = "apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: ci-deployer}\n",
    .parameters = "",
    .clause = {.section = "secrets|security", .text = "short-lived credentials|short-lived"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Secret is found
    .scope = engine::Scope::manifests,
};

class ServiceAccountTokensCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object* secret : context.manifests().of_kind("Secret")) {
      if (secret->api_version != "v1") continue;
      const yaml::Node* type = secret->root->get("type");
      if (type == nullptr || type->str() != "kubernetes.io/service-account-token") continue;
      const yaml::Node* annotations = secret->annotations();
      const yaml::Node* account =
          annotations != nullptr ? annotations->get("kubernetes.io/service-account.name") : nullptr;
      kubernetes::report(
          out, *secret, type,
          fmt::format("{} asks the cluster for a token that never expires{}; use projected or requested tokens",
                      secret->display_name(),
                      account != nullptr && !account->str().empty()
                          ? fmt::format(" for ServiceAccount {}", account->str())
                          : std::string()));
    }
  }
};

}  // namespace service_account_tokens_check
}  // namespace

std::unique_ptr<engine::Check> make_service_account_tokens_check() {
  return engine::make_check<service_account_tokens_check::ServiceAccountTokensCheck>();
}

}  // namespace constable::checks::security
