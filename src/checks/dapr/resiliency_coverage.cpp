// dapr/resiliency-coverage: "Resiliency policies MUST be defined for all
// components". Every Component whose calls can fail is a target of some
// Resiliency (spec.targets.components.<name>).

#include <fmt/format.h>

#include <array>
#include <set>

#include "checks/dapr/dapr_checks.hpp"
#include "checks/dapr/dapr_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::dapr {

namespace {
namespace resiliency_coverage_check {

constexpr engine::CheckInfo kInfo{
    .id = "dapr/resiliency-coverage",
    .domain = "dapr",
    .nature = Nature::reliability,
    .summary = "Make every Dapr component a target of a Resiliency policy",
    .rationale =
        "Without a Resiliency target, a failing state store, broker, binding or secret store gets no timeout, "
        "no retry policy of the team's choosing and no circuit breaker: calls hang or fail on the first "
        "transient error, and a broken dependency is hammered. Dapr applies component policies to the calls "
        "of the state, pub/sub, bindings, configuration, lock and secret store building blocks, so every "
        "such Component must be named under `spec.targets.components` of a Resiliency (in its namespace when "
        "both declare one). Not judged: middleware and name resolution components (they run in the "
        "sidecar's pipeline; Resiliency does not target them), the local file and environment secret stores, "
        "the local storage binding and in-memory stores (nothing there fails transiently), and component types this check does not know.",
    .remediation =
        "Add the component under `spec.targets.components` of a Resiliency, with the outbound (and, for "
        "pub/sub and input bindings, inbound) timeout, retry and circuitBreaker policies it needs.",
    .bad_example = "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders-pubsub\nspec:\n"
                   "  type: pubsub.kafka\n  version: v1\n  metadata:\n    - name: brokers\n      value: kafka:9092\n",
    .good_example = "apiVersion: dapr.io/v1alpha1\nkind: Resiliency\nmetadata:\n  name: orders\nspec:\n  policies:\n"
                    "    retries:\n      standard:\n        policy: exponential\n        maxRetries: 5\n  targets:\n"
                    "    components:\n      orders-pubsub:\n        outbound:\n          retry: standard\n",
    .parameters = "",
    .clause = {.section = "dapr", .text = "resiliency"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Dapr Components are judged, wherever they are
    .scope = engine::Scope::manifests,
    .not_at_admission = "a Component is covered by Resiliency objects elsewhere in the repository",
};

// Whether Dapr applies Resiliency policies to a component of this type.
bool resiliency_applies(std::string_view type) {
  const std::string t = text::to_lower(type);
  if (t.starts_with("secretstores.local.") || t == "state.in-memory" || t == "pubsub.in-memory" ||
      t == "bindings.localstorage")
    return false;
  static constexpr std::array<std::string_view, 6> kTargets = {"state.",         "pubsub.", "bindings.",
                                                               "configuration.", "lock.",   "secretstores."};
  for (std::string_view prefix : kTargets)
    if (t.starts_with(prefix)) return true;
  return false;
}

struct Target {
  std::string name;
  std::string namespace_name;  // the Resiliency's, "" when it declares none
};

std::vector<Target> resiliency_targets(const std::vector<const kube::Object*>& resiliencies) {
  std::vector<Target> targets;
  for (const kube::Object* resiliency : resiliencies) {
    const yaml::Node* components = resiliency->root->at("spec", "targets", "components");
    if (components == nullptr || !components->is_mapping()) continue;
    for (const yaml::Entry& entry : components->entries)
      targets.push_back({std::string(entry.key->str()), std::string(resiliency->declared_namespace())});
  }
  return targets;
}

bool covered(const kube::Object& component, const std::vector<Target>& targets) {
  const std::string_view ns = component.declared_namespace();
  for (const Target& target : targets)
    if (target.name == component.name && (target.namespace_name.empty() || ns.empty() || target.namespace_name == ns))
      return true;
  return false;
}

class ResiliencyCoverageCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const DaprResources dapr = dapr_resources(context.manifests());
    if (dapr.components.empty()) return;
    const std::vector<Target> targets = resiliency_targets(dapr.resiliencies);
    std::set<std::string> target_names;
    for (const Target& target : targets) target_names.insert(target.name);
    std::string known;
    if (dapr.resiliencies.empty()) {
      known = "the repository has no Resiliency";
    } else if (target_names.empty()) {
      known = "no Resiliency of the repository targets any component";
    } else {
      std::vector<std::string> names(target_names.begin(), target_names.end());
      known = fmt::format("Resiliency targets: {}", text::shorten(kubernetes::join_and(names), 200));
    }
    for (const kube::Object* component : dapr.components) {
      const std::string_view type = component_type(*component);
      if (component->name.empty() || is_deferred(component->name) || !resiliency_applies(type)) continue;
      if (covered(*component, targets)) continue;
      const yaml::Node* name = component->metadata != nullptr ? component->metadata->get("name") : nullptr;
      engine::Emission e = kubernetes::emission_at(
          *component, name,
          fmt::format("Dapr component '{}' ({}) is not a target of any Resiliency: its calls get no timeout, "
                      "retry or circuit breaker policy ({})",
                      component->name, type, known));
      // The component, not the list of targets the message quotes: covering another keeps the finding's identity.
      e.anchor = fmt::format("Component/{}/{} uncovered", component->declared_namespace(), component->name);
      out.emit(std::move(e));
    }
  }
};

}  // namespace resiliency_coverage_check
}  // namespace

std::unique_ptr<engine::Check> make_resiliency_coverage_check() {
  return engine::make_check<resiliency_coverage_check::ResiliencyCoverageCheck>();
}

}  // namespace constable::checks::dapr
