// security/kubernetes-rbac: "RBAC MUST be implemented at Kubernetes and
// application levels". The Kubernetes half a repository can show: an API
// server or kubelet told to authorize every request (`AlwaysAllow`), which
// no Role or RoleBinding can then restrict.

#include <fmt/format.h>

#include <optional>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/security/security_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::security {

namespace {
namespace kubernetes_rbac_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/kubernetes-rbac",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Do not let the API server or the kubelet authorize every request (AlwaysAllow)",
    .rationale =
        "RBAC decides who may do what only if an authorizer asks it: an API server whose --authorization-mode "
        "includes AlwaysAllow allows every request no earlier authorizer denies (none does: RBAC only allows), "
        "and a kubelet in AlwaysAllow mode serves exec, logs and pod listings to anyone who authenticates. "
        "Judged where the repository configures them: --authorization-mode in the command or args of a "
        "workload's containers (a kube-apiserver or kubelet static Pod), a kubeadm ClusterConfiguration's "
        "apiServer.extraArgs, a kops Cluster's kubeAPIServer.authorizationMode and a KubeletConfiguration's "
        "authorization.mode, except where the path or namespace names a development or test environment. "
        "RBAC in the application is not judged.",
    .remediation =
        "Use `--authorization-mode=Node,RBAC` for the API server and `authorization: {mode: Webhook}` (RBAC "
        "through SubjectAccessReviews) for kubelets; grant what each user needs with Roles and RoleBindings.",
    .bad_example = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n"
                   "    authorization-mode: AlwaysAllow\n",
    .good_example = "apiVersion: kubeadm.k8s.io/v1beta3\nkind: ClusterConfiguration\napiServer:\n  extraArgs:\n"
                    "    authorization-mode: Node,RBAC\n",
    .parameters = "",
    .clause = {.section = "authentication|authorization|security", .text = R"(\bRBAC\b.*\b(implemented|enabled|used|enforced)\b)"},
    .file_kind = FileKind::yaml,
    .stack = "",
    .scope = engine::Scope::manifests,
    .not_at_admission = "the API server's and kubelet's own configuration is not admitted as an object",
};

bool allows_all(std::string_view modes) {
  for (std::string_view mode : text::split(modes, ','))
    if (text::trim(mode) == "AlwaysAllow") return true;
  return false;
}

// The value of --authorization-mode in a command or args list: the node that
// holds it (its own item, or the item after the flag).
const yaml::Node* authorization_flag(const yaml::Node* list, std::string& value) {
  if (list == nullptr || !list->is_sequence()) return nullptr;
  for (std::size_t i = 0; i < list->items.size(); ++i) {
    const yaml::Node* item = list->items[i];
    if (!item->is_scalar()) continue;
    const std::string_view text = item->value;
    const std::size_t at = text.find("--authorization-mode");
    if (at == std::string_view::npos) continue;
    std::size_t from = at + std::string_view("--authorization-mode").size();
    if (from < text.size() && text[from] == '=') {
      const std::size_t end = text.find_first_of(" \t\n\"'", from + 1);
      value = std::string(text.substr(from + 1, end == std::string_view::npos ? end : end - from - 1));
      return item;
    }
    if (from == text.size() && i + 1 < list->items.size() && list->items[i + 1]->is_scalar()) {
      value = list->items[i + 1]->value;
      return list->items[i + 1];
    }
  }
  return nullptr;
}

class KubernetesRbacCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const kube::ManifestSet& set = context.manifests();
    kubernetes::for_each_pod_template(set, [&](const kube::Object& object, const kube::PodTemplate& pod) {
      if (object.non_production()) return;
      for (const kube::Container& container : kube::containers(pod.spec))
        for (const char* key : {"command", "args"}) {
          std::string value;
          const yaml::Node* node = authorization_flag(container.node->get(key), value);
          if (node != nullptr && allows_all(value))
            kubernetes::report(out, object, node,
                               fmt::format("container '{}' of {} authorizes every request "
                                           "(--authorization-mode={}): no RBAC rule restricts anyone",
                                           container.name, object.display_name(), value));
        }
    });
    for (const kube::Object* config : set.of_kind("ClusterConfiguration")) {
      if (!config->api_version.starts_with("kubeadm.k8s.io/") || config->non_production()) continue;
      const yaml::Node* args = config->root->at("apiServer", "extraArgs");
      const yaml::Node* mode = nullptr;
      if (args != nullptr && args->is_mapping()) {
        mode = args->get("authorization-mode");
      } else if (args != nullptr && args->is_sequence()) {  // v1beta4: [{name, value}]
        for (const yaml::Node* arg : args->items)
          if (arg->is_mapping() && arg->get("name") != nullptr && arg->get("name")->str() == "authorization-mode")
            mode = arg->get("value");
      }
      if (mode != nullptr && mode->is_scalar() && allows_all(mode->str()))
        kubernetes::report(out, *config, mode,
                           fmt::format("the API server of {} authorizes every request (authorization-mode: {}): no "
                                       "RBAC rule restricts anyone",
                                       config->display_name(), mode->str()));
    }
    for (const kube::Object* cluster : set.of_kind("Cluster")) {
      if (!cluster->api_version.starts_with("kops.k8s.io/") || cluster->non_production()) continue;
      const yaml::Node* mode = cluster->root->at("spec", "kubeAPIServer", "authorizationMode");
      if (mode != nullptr && mode->is_scalar() && allows_all(mode->str()))
        kubernetes::report(out, *cluster, mode,
                           fmt::format("the API server of {} authorizes every request (authorizationMode: {}): no "
                                       "RBAC rule restricts anyone",
                                       cluster->display_name(), mode->str()));
    }
    for (const kube::Object* kubelet : set.of_kind("KubeletConfiguration")) {
      if (!kubelet->api_version.starts_with("kubelet.config.k8s.io/") || kubelet->non_production()) continue;
      const yaml::Node* mode = kubelet->root->at("authorization", "mode");
      if (mode != nullptr && mode->is_scalar() && mode->str() == "AlwaysAllow")
        kubernetes::report(out, *kubelet, mode,
                           "the kubelet authorizes every request to its API (authorization.mode: AlwaysAllow): exec, "
                           "logs and pods are open to anyone who authenticates, whatever RBAC says");
    }
  }
};

}  // namespace kubernetes_rbac_check
}  // namespace

std::unique_ptr<engine::Check> make_kubernetes_rbac_check() {
  return engine::make_check<kubernetes_rbac_check::KubernetesRbacCheck>();
}

}  // namespace constable::checks::security
