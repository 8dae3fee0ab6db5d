// dapr/component-definitions: "Component definitions MUST be version-
// controlled". Where the repository keeps Dapr Components, the components its
// own resources name (a Subscription's pub/sub, a Component's secret store)
// are among them: a name with no definition here is a component configured
// by hand, outside version control.

#include <fmt/format.h>

#include <set>

#include "checks/dapr/dapr_checks.hpp"
#include "checks/dapr/dapr_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::dapr {

namespace {
namespace component_definitions_check {

constexpr engine::CheckInfo kInfo{
    .id = "dapr/component-definitions",
    .domain = "dapr",
    .nature = Nature::maintainability,
    .summary = "Keep every Dapr component the repository's resources name in the repository",
    .rationale =
        "A component applied by hand (`kubectl apply` from a laptop, a dashboard) has no review, no history "
        "and no way back; the next cluster, or the next developer's self-hosted run, lacks it. The check "
        "applies where the repository keeps Dapr Components (manifests, rendered charts, self-hosted "
        "`components/` or `resources/` directories): then each component its own resources name must be "
        "defined among them, in the same namespace when both declare one: the `pubsubname` of a Subscription "
        "and the `auth.secretStore` of a Component. Dapr's built-in `kubernetes` secret store, and names a "
        "template or the environment fills in, are not judged. A repository with no Component at all is not "
        "judged: its components may live in a platform repository.",
    .remediation = "Add the component's definition (a dapr.io Component) to the repository beside the others, "
                   "with its secrets referenced from a secret store, or correct the name that refers to it.",
    .bad_example = "apiVersion: dapr.io/v2alpha1\nkind: Subscription\nmetadata:\n  name: orders\nspec:\n"
                   "  pubsubname: orders-pubsub\n  topic: orders.order.created\n  routes:\n    default: /orders\n",
    .good_example = "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: orders-pubsub\nspec:\n"
                    "  type: pubsub.kafka\n  version: v1\n  metadata:\n    - name: brokers\n      value: kafka:9092\n",
    .parameters = "",
    .clause = {.section = "dapr|configuration", .text = R"(component.*(version.?control|git|repositor))"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Dapr resources are judged, wherever they are
    .scope = engine::Scope::manifests,
    .not_at_admission = "the components a resource names are looked for among the repository's others",
};

class ComponentDefinitionsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const kube::ManifestSet& set = context.manifests();
    const DaprResources resources = dapr_resources(set);
    if (resources.components.empty()) return;
    const auto defined = [&](std::string_view name, const kube::Object& user) {
      for (const kube::Object* component : resources.components) {
        if (component->name != name) continue;
        const std::string_view a = component->declared_namespace();
        const std::string_view b = user.declared_namespace();
        if (a.empty() || b.empty() || a == b) return true;
      }
      return false;
    };
    std::set<std::string> reported;  // a chart rendered for several environments names it once
    const auto judge = [&](const kube::Object& user, const yaml::Node* name, std::string_view what) {
      if (name == nullptr || !name->is_scalar() || name->str().empty() || is_deferred(name->str())) return;
      if (defined(name->str(), user)) return;
      if (!reported.insert(fmt::format("{} {}", user.display_name(), name->str())).second) return;
      kubernetes::report(out, user, name,
                         fmt::format("{} names the {} '{}', which no Component of the repository defines{}: it is "
                                     "configured outside version control",
                                     user.display_name(), what, name->str(),
                                     user.declared_namespace().empty()
                                         ? std::string()
                                         : fmt::format(" in namespace {}", user.declared_namespace())));
    };
    for (const kube::Object* subscription : set.of_kind("Subscription")) {
      if (!subscription->api_version.starts_with("dapr.io/")) continue;
      judge(*subscription, subscription->root->at("spec", "pubsubname"), "pub/sub component");
    }
    for (const kube::Object* component : resources.components) {
      const yaml::Node* store = component->root->at("auth", "secretStore");
      // Dapr on Kubernetes brings the `kubernetes` secret store with it.
      if (store != nullptr && store->is_scalar() && store->str() == "kubernetes") continue;
      judge(*component, store, "secret store");
    }
  }
};

}  // namespace component_definitions_check
}  // namespace

std::unique_ptr<engine::Check> make_component_definitions_check() {
  return engine::make_check<component_definitions_check::ComponentDefinitionsCheck>();
}

}  // namespace constable::checks::dapr
