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

constexpr engine::CheckInfo kInfo{
    .id = "security/rbac-least-privilege",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Grant service accounts named verbs on named resources, never cluster-admin or `*`",
    .rationale =
        "A pod's service account token is mounted into the pod: whoever runs code there acts with the account's "
        "permissions. cluster-admin (or a rule with `*` verbs or `*` resources) lets that code read every Secret "
        "and rewrite every workload. Judged: RoleBindings and ClusterRoleBindings of the repository (rendered "
        "charts included) that bind a ServiceAccount to the cluster-admin ClusterRole, and the Roles and "
        "ClusterRoles such bindings name whose rules list `*` as a verb or a resource (aggregated ClusterRoles, "
        "whose rules the cluster computes, are not). A role no binding of the repository gives to a service "
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
        const yaml::Node* verb = wildcard_in(rule->get("verbs"));
        const yaml::Node* resource = wildcard_in(rule->get("resources"));
        if (verb == nullptr && resource == nullptr) continue;
        // Reading every resource of a named group (external.metrics.k8s.io's
        // metrics, apps' workloads) is how such a group is read; reading
        // every core resource includes the Secrets.
        if (verb == nullptr && reads_only(rule->get("verbs")) && !names_core_group(rule->get("apiGroups"))) continue;
        std::string what = verb != nullptr && resource != nullptr ? "every verb on every resource"
                           : verb != nullptr                     ? "every verb ('*')"
                                                                 : "every resource ('*')";
        if (wildcard_in(rule->get("apiGroups")) != nullptr) what += " of every API group";
        kubernetes::report(out, role, verb != nullptr ? verb : resource,
                           fmt::format("{} grants {} to {} through {}", role.display_name(), what, accounts(names),
                                       granted.front()->object->display_name()));
      }
    }
  }
};

}  // namespace

std::unique_ptr<engine::Check> make_rbac_least_privilege_check() {
  return engine::make_check<RbacLeastPrivilegeCheck>();
}

}  // namespace constable::checks::security
