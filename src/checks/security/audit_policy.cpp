// security/audit-policy: "All authorization failures MUST be logged". The
// Kubernetes API server audits a request at the level of the first rule of
// its audit policy (audit.k8s.io Policy) that matches it, and not at all when
// none does or that rule says `level: None`: a policy whose rules end without
// a catch-all, or with a catch-all `level: None`, leaves every request outside
// its rules unrecorded, the forbidden ones included.

#include <fmt/format.h>

#include <optional>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/security/security_checks.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::security {

namespace {
namespace audit_policy_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/audit-policy",
    .domain = "security",
    .nature = Nature::security,
    .summary = "End the API server's audit policy with a rule that records every other request",
    .rationale =
        "The API server records a request at the level of the first audit policy rule that matches it; a "
        "request no rule matches, or whose first match says `level: None`, is not recorded at all. A forbidden "
        "request (403) is recorded only if the policy records its kind of request: a policy that lists the "
        "secrets and pods it cares about, or ends with a catch-all `level: None`, leaves a denied attempt on "
        "anything else without a trace. Judged: every audit.k8s.io Policy the repository declares, as a file "
        "of its own or embedded in a ConfigMap's data or a kops Cluster's fileAssets, except where its path or "
        "namespace names a development or test environment (a kind cluster's policy under `hack/e2e/`). Rules that drop named "
        "high-volume requests (`level: None` with users, verbs or resources) before the catch-all are fine; a "
        "rule filtered only by users, groups or verbs counts as a catch-all.",
    .remediation =
        "Keep the specific rules and end the policy with `- level: Metadata` (no filters), so every request no "
        "earlier rule matches, denied ones included, is recorded with its user, verb, resource and response "
        "code.",
    .bad_example = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse\n"
                   "    resources: [{group: \"\", resources: [secrets]}]\n  - level: None\n",
    .good_example = "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse\n"
                    "    resources: [{group: \"\", resources: [secrets]}]\n  - level: Metadata\n",
    .parameters = "",
    .clause = {.section = "audit|compliance|security", .text = R"(authori[sz]ation failures?)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever an audit policy is found
    .scope = engine::Scope::manifests,
    .not_at_admission = "an audit policy is a file the API server reads, not an object it admits",
};

bool non_empty(const yaml::Node* node) {
  if (node == nullptr || node->is_null()) return false;
  if (node->is_sequence() || node->is_mapping()) return !node->items.empty() || !node->entries.empty();
  return !node->str().empty();
}

bool has_wildcard_resources(const yaml::Node* resources) {
  if (resources == nullptr || !resources->is_sequence()) return false;
  for (const yaml::Node* group : resources->items) {
    if (!group->is_mapping()) continue;
    if (group->get("group") != nullptr && group->get("group")->str() == "*") return true;
    if (const yaml::Node* names = group->get("resources"); names != nullptr && names->is_sequence())
      for (const yaml::Node* name : names->items)
        if (name->str() == "*") return true;
  }
  return false;
}

// What a policy leaves unrecorded: the node to report and why; nullopt when
// every request no specific rule drops is recorded (or the policy cannot be read).
struct Gap {
  const yaml::Node* node;
  std::string what;
};

std::optional<Gap> policy_gap(const yaml::Node& root) {
  const yaml::Entry* rules = root.find("rules");
  if (rules == nullptr || rules->value == nullptr || rules->value->is_null() ||
      (rules->value->is_sequence() && rules->value->items.empty()))
    return Gap{rules != nullptr ? rules->key : nullptr, "has no rules: it records no request, denied ones included"};
  if (!rules->value->is_sequence()) return std::nullopt;
  for (const yaml::Node* rule : rules->value->items) {
    if (!rule->is_mapping()) return std::nullopt;  // unreadable: not judged
    const yaml::Node* level = rule->get("level");
    if (level == nullptr || !level->is_scalar()) return std::nullopt;
    const bool none = level->str() == "None";
    const bool scoped = non_empty(rule->get("resources")) || non_empty(rule->get("nonResourceURLs")) ||
                        non_empty(rule->get("namespaces"));
    const bool filtered = scoped || non_empty(rule->get("users")) || non_empty(rule->get("userGroups")) ||
                          non_empty(rule->get("verbs"));
    if (!none && (!scoped || has_wildcard_resources(rule->get("resources")))) return std::nullopt;  // a catch-all
    if (none && !filtered)
      return Gap{level, "ends with a catch-all `level: None`: every request no earlier rule records, a denied one "
                        "included, leaves no audit event"};
  }
  const std::size_t count = rules->value->items.size();
  return Gap{rules->key, fmt::format("has no catch-all rule: a request {}, a denied one included, leaves no audit event",
                                     count == 1 ? std::string("its one rule does not match")
                                                : fmt::format("none of its {} rules matches", count))};
}

bool is_audit_policy(const yaml::Node* root) {
  if (root == nullptr || !root->is_mapping()) return false;
  const yaml::Node* kind = root->get("kind");
  const yaml::Node* api = root->get("apiVersion");
  return kind != nullptr && kind->str() == "Policy" && api != nullptr && api->str().starts_with("audit.k8s.io/");
}

class AuditPolicyCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const kube::ManifestSet& set = context.manifests();
    for (const kube::Object* policy : set.of_kind("Policy")) {
      if (!is_audit_policy(policy->root) || policy->non_production()) continue;
      if (const auto gap = policy_gap(*policy->root))
        kubernetes::report(out, *policy, gap->node, fmt::format("the audit policy {}", gap->what));
    }
    // Policies embedded as text: a ConfigMap's data, a kops Cluster's fileAssets.
    const auto embedded = [&](const kube::Object& object, const yaml::Node* value, std::string_view where) {
      if (object.non_production()) return;
      if (value == nullptr || !value->is_scalar() || !text::contains(value->value, "audit.k8s.io/")) return;
      const yaml::Stream stream = yaml::parse(value->value);
      for (const yaml::Document& document : stream.documents) {
        if (!is_audit_policy(document.root)) continue;
        if (const auto gap = policy_gap(*document.root))
          kubernetes::report(out, object, value,
                             fmt::format("the audit policy in {} of {} {}", where, object.display_name(), gap->what));
      }
    };
    for (const kube::Object* map : set.of_kind("ConfigMap")) {
      const yaml::Node* data = map->root->get("data");
      if (data == nullptr || !data->is_mapping()) continue;
      for (const yaml::Entry& entry : data->entries) embedded(*map, entry.value, fmt::format("'{}'", entry.key->str()));
    }
    for (const kube::Object* cluster : set.of_kind("Cluster")) {
      if (!cluster->api_version.starts_with("kops.k8s.io/")) continue;
      const yaml::Node* assets = cluster->root->at("spec", "fileAssets");
      if (assets == nullptr || !assets->is_sequence()) continue;
      for (const yaml::Node* asset : assets->items)
        if (asset->is_mapping())
          embedded(*cluster, asset->get("content"), fmt::format("fileAsset '{}'", asset->get("name") != nullptr ? asset->get("name")->str() : ""));
    }
  }
};

}  // namespace audit_policy_check
}  // namespace

std::unique_ptr<engine::Check> make_audit_policy_check() {
  return engine::make_check<audit_policy_check::AuditPolicyCheck>();
}

}  // namespace constable::checks::security
