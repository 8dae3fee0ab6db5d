// security/rbac-least-privilege: "Principle of least privilege MUST be
// enforced". A workload's service account bound to cluster-admin, or to a
// Role or ClusterRole whose rules grant `*` verbs or resources, holds far
// more than the workload needs: a compromised pod inherits all of it.

#include <fmt/format.h>

#include <algorithm>
#include <string>
#include <vector>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/security/security_checks.hpp"

namespace constable::checks::security {

namespace {
namespace rbac_least_privilege_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/rbac-least-privilege",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Grant service accounts named verbs on named resources, never cluster-admin or `*`",
    .rationale =
        "A pod's service account token is mounted into the pod: whoever runs code there acts with the account's "
        "permissions. cluster-admin (or a rule with `*` verbs or `*` resources) lets that code read every Secret "
        "and rewrite every workload. Judged: RoleBindings and ClusterRoleBindings of the repository (rendered "
        "charts included) that bind a ServiceAccount to the cluster-admin ClusterRole, and the rules of the Roles "
        "and ClusterRoles such bindings name that grant `*` resources of every API group or of one of "
        "Kubernetes' own (core, apps, rbac.authorization.k8s.io, ...; reading every resource of a named group "
        "other than core, and the metrics APIs, is allowed), or `*` verbs on resources "
        "that hold credentials or grant access (secrets, service accounts and their tokens, roles and bindings, "
        "pods/exec, nodes, certificate signing requests, admission webhooks), whatever the API groups. An operator's `*` on its own "
        "custom resources is the list of them. Aggregated ClusterRoles, whose rules the cluster computes, are "
        "not judged. A role no binding of the repository gives to a service "
        "account is not judged, nor are bindings to users and groups.",
    .remediation =
        "Bind the service account to a Role (or ClusterRole) that lists the verbs (get, list, watch, ...) and "
        "the resources the workload uses, in the namespaces it uses them; keep cluster-admin for people, "
        "through groups of your identity provider.",
    .bad_example = "apiVersion: rbac.authorization.k8s.io/v1\nkind: ClusterRoleBinding\nmetadata: {name: web}\n"
                   "roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}\n"
                   "subjects: [{kind: ServiceAccount, name: web, namespace: shop}]\n",
    .good_example = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: web, namespace: shop}\n"
                    "rules: [{apiGroups: [\"\"], resources: [configmaps], verbs: [get, list, watch]}]\n",
    .parameters = "",
    .clause = {.section = "authentication|authorization|security", .text = "principle of least privilege|least privilege (must|shall)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever RBAC objects are found
    .scope = engine::Scope::manifests,
};

bool is_rbac(const kube::Object& object) { return object.api_version.starts_with("rbac.authorization.k8s.io/"); }

struct Binding {
  const kube::Object* object = nullptr;
  std::string role_kind{};
  std::string role_name{};
  const yaml::Node* role_name_node = nullptr;
  std::vector<std::string> service_accounts{};  // "namespace/name" or "name"
};

std::vector<Binding> service_account_bindings(const kube::ManifestSet& set) {
  std::vector<Binding> out;
  for (const kube::Object& object : set.objects()) {
    if ((object.kind != "RoleBinding" && object.kind != "ClusterRoleBinding") || !is_rbac(object)) continue;
    const yaml::Node* role_ref = object.root->get("roleRef");
    const yaml::Node* subjects = object.root->get("subjects");
    if (role_ref == nullptr || !role_ref->is_mapping() || subjects == nullptr || !subjects->is_sequence()) continue;
    Binding binding{.object = &object,
                    .role_kind = std::string(role_ref->get("kind") != nullptr ? role_ref->get("kind")->str() : ""),
                    .role_name = std::string(role_ref->get("name") != nullptr ? role_ref->get("name")->str() : ""),
                    .role_name_node = role_ref->get("name")};
    for (const yaml::Node* subject : subjects->items) {
      if (!subject->is_mapping() || subject->get("kind") == nullptr || subject->get("kind")->str() != "ServiceAccount")
        continue;
      const std::string_view name = subject->get("name") != nullptr ? subject->get("name")->str() : "";
      std::string_view ns = subject->get("namespace") != nullptr ? subject->get("namespace")->str() : "";
      if (ns.empty()) ns = object.declared_namespace();
      binding.service_accounts.push_back(ns.empty() ? std::string(name) : fmt::format("{}/{}", ns, name));
    }
    if (!binding.service_accounts.empty()) out.push_back(std::move(binding));
  }
  return out;
}

std::string accounts(const std::vector<std::string>& names) {
  return fmt::format("ServiceAccount{} {}", names.size() > 1 ? "s" : "", kubernetes::join_and(names));
}

// A role a binding names: a ClusterRole by name; a Role by name in the binding's namespace.
bool binds(const Binding& binding, const kube::Object& role) {
  // A name written by a placeholder (`##ROLE##`, a YAML comment) names nothing.
  if (role.name.empty() || binding.role_kind != role.kind || binding.role_name != role.name) return false;
  if (role.kind == "ClusterRole") return true;
  const std::string_view a = binding.object->declared_namespace();
  const std::string_view b = role.declared_namespace();
  return a.empty() || b.empty() || a == b;
}

const yaml::Node* wildcard_in(const yaml::Node* list) {
  if (list == nullptr || !list->is_sequence()) return nullptr;
  for (const yaml::Node* item : list->items)
    if (item->is_scalar() && item->str() == "*") return item;
  return nullptr;
}

bool reads_only(const yaml::Node* verbs) {
  if (verbs == nullptr || !verbs->is_sequence()) return false;
  for (const yaml::Node* verb : verbs->items)
    if (verb->str() != "get" && verb->str() != "list" && verb->str() != "watch") return false;
  return true;
}

bool names_core_group(const yaml::Node* groups) {
  if (groups == nullptr || !groups->is_sequence()) return true;  // absent: the core group
  for (const yaml::Node* group : groups->items)
    if (group->is_null() || group->str().empty() || group->str() == "*") return true;
  return false;
}

// A group of Kubernetes itself (core, apps, rbac.authorization.k8s.io, ...)
// other than the read-only metrics APIs.
bool names_kubernetes_group(const yaml::Node* groups) {
  if (groups == nullptr || !groups->is_sequence()) return true;  // absent: the core group
  for (const yaml::Node* group : groups->items) {
    const std::string_view name = group->str();
    if (name.ends_with("metrics.k8s.io")) continue;
    if (name.empty() || kube::is_builtin_api(fmt::format("{}/v1", name))) return true;
  }
  return false;
}

// The first resource of the list that holds credentials or grants access, "" if none.
std::string sensitive_resource(const yaml::Node* resources) {
  static constexpr std::string_view kSensitive[] = {
      "secrets", "serviceaccounts", "serviceaccounts/token", "roles", "rolebindings", "clusterroles",
      "clusterrolebindings", "pods/exec", "pods/attach", "nodes", "nodes/proxy", "certificatesigningrequests",
      "certificatesigningrequests/approval", "mutatingwebhookconfigurations", "validatingwebhookconfigurations"};
  if (resources == nullptr || !resources->is_sequence()) return {};
  for (const yaml::Node* resource : resources->items)
    if (std::find(std::begin(kSensitive), std::end(kSensitive), resource->str()) != std::end(kSensitive))
      return std::string(resource->str());
  return {};
}

class RbacLeastPrivilegeCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const std::vector<Binding> bindings = service_account_bindings(context.manifests());
    for (const Binding& binding : bindings)
      if (binding.role_kind == "ClusterRole" && binding.role_name == "cluster-admin")
        kubernetes::report(out, *binding.object, binding.role_name_node,
                           fmt::format("{} gives {} cluster-admin: the workload may do anything {}",
                                       binding.object->display_name(), accounts(binding.service_accounts),
                                       binding.object->kind == "ClusterRoleBinding"
                                           ? std::string("in every namespace")
                                           : std::string("in its namespace")));
    for (const kube::Object& role : context.manifests().objects()) {
      if ((role.kind != "Role" && role.kind != "ClusterRole") || !is_rbac(role)) continue;
      if (role.root->get("aggregationRule") != nullptr) continue;
      const yaml::Node* rules = role.root->get("rules");
      if (rules == nullptr || !rules->is_sequence()) continue;
      std::vector<const Binding*> granted;
      for (const Binding& binding : bindings)
        if (binds(binding, role)) granted.push_back(&binding);
      if (granted.empty()) continue;
      std::vector<std::string> names;
      for (const Binding* b : granted)
        for (const auto& sa : b->service_accounts)
          // A chart rendered for several environments binds the same account once per render.
          if (std::find(names.begin(), names.end(), sa) == names.end()) names.push_back(sa);
      for (const yaml::Node* rule : rules->items) {
        if (!rule->is_mapping()) continue;
        // nonResourceURLs rules (/metrics, /healthz) reach no object.
        if (rule->get("resources") == nullptr) continue;
        const yaml::Node* groups = rule->get("apiGroups");
        const yaml::Node* any_group = wildcard_in(groups);
        const yaml::Node* verb = wildcard_in(rule->get("verbs"));
        const yaml::Node* resource = wildcard_in(rule->get("resources"));
        // Every resource of an operator's own API group is the list of its
        // custom resources; every resource of Kubernetes' groups (the core
        // group's Secrets, rbac, admission) is far more. Reading every
        // resource of a named group other than core is how such a group is read.
        if (resource != nullptr && any_group == nullptr && !names_kubernetes_group(groups)) resource = nullptr;
        if (resource != nullptr && verb == nullptr && reads_only(rule->get("verbs")) && !names_core_group(groups))
          resource = nullptr;
        // Every verb on named resources is every verb on those: worth a
        // finding where they hold credentials or grant access.
        std::string sensitive;
        if (verb != nullptr && resource == nullptr) {
          sensitive = sensitive_resource(rule->get("resources"));
          if (sensitive.empty()) verb = nullptr;
        }
        if (verb == nullptr && resource == nullptr) continue;
        std::string what = verb != nullptr && resource != nullptr ? "every verb on every resource"
                           : verb != nullptr ? (sensitive.empty() ? std::string("every verb ('*')")
                                                                  : fmt::format("every verb ('*') on {}", sensitive))
                                             : "every resource ('*')";
        if (any_group != nullptr) what += " of every API group";
        kubernetes::report(out, role, verb != nullptr ? verb : resource,
                           fmt::format("{} grants {} to {} through {}", role.display_name(), what, accounts(names),
                                       granted.front()->object->display_name()));
      }
    }
  }
};

}  // namespace rbac_least_privilege_check
}  // namespace

std::unique_ptr<engine::Check> make_rbac_least_privilege_check() {
  return engine::make_check<rbac_least_privilege_check::RbacLeastPrivilegeCheck>();
}

}  // namespace constable::checks::security
