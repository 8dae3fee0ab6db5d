#include "checks/kubernetes/namespace_policy.hpp"

#include <fmt/format.h>

#include <map>
#include <set>

#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace namespace_policy_check {

// Namespaces the cluster owns are not the repository's to configure; using
// `default` at all is kubernetes/environment-namespaces' finding.
bool is_exempt_namespace(std::string_view name) {
  return name == "kube-system" || name == "kube-public" || name == "kube-node-lease" || name == "default";
}

class NamespacePolicyCheck final : public engine::Check {
 public:
  NamespacePolicyCheck(const engine::CheckInfo& info, std::string_view kind) : info_(info), kind_(kind) {}
  const engine::CheckInfo& info() const override { return info_; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    // Each namespace with the object that first declares or uses it.
    std::map<std::string, const kube::Object*> namespaces;
    std::set<std::string> covered;
    // Namespaces the repository declares or runs Kubernetes' own objects in:
    // one it only places custom resources into (an Argo CD Application into
    // `argocd`) belongs to the installation that defines them.
    std::set<std::string> owned;
    for (const auto& object : context.manifests().objects()) {
      if (object.kind == "Namespace" && !object.name.empty()) {
        namespaces[object.name] = &object;  // the declaration is the best place to point at
        owned.insert(object.name);
        continue;
      }
      for (const auto& p : object.placements) {
        if (p.namespace_name.empty()) continue;
        namespaces.emplace(p.namespace_name, &object);
        if (kube::is_builtin_api(object.api_version)) owned.insert(p.namespace_name);
        if (object.kind == kind_) covered.insert(p.namespace_name);
      }
    }
    for (const auto& [name, object] : namespaces) {
      if (covered.contains(name) || is_exempt_namespace(name) || !owned.contains(name)) continue;
      const yaml::Node* anchor = object->kind == "Namespace" ? object->metadata->get("name") : nullptr;
      if (anchor == nullptr && object->metadata != nullptr) anchor = object->metadata->get("namespace");
      report(out, *object, anchor, fmt::format("namespace '{}' has no {}", name, kind_));
    }
  }

 private:
  const engine::CheckInfo& info_;
  std::string kind_;
};

}  // namespace namespace_policy_check
}  // namespace

std::unique_ptr<engine::Check> make_namespace_policy_check(const engine::CheckInfo& info,
                                                           std::string_view required_kind) {
  return std::make_unique<namespace_policy_check::NamespacePolicyCheck>(info, required_kind);
}

}  // namespace constable::checks::kubernetes
