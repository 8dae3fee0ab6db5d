// kubernetes/resource-requests-limits: "All workloads MUST specify: Resource
// requests and limits (CPU and memory)". Init containers included: the
// scheduler sizes a pod by its largest init container too.

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace resource_requests_limits_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/resource-requests-limits",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Set CPU and memory requests and limits on every container",
    .rationale =
        "Without requests the scheduler packs pods blindly and the pod gets the BestEffort QoS class, "
        "first to be evicted; without limits one container can starve its node.",
    .remediation =
        "Add resources.requests and resources.limits for each resource the constitution names, sized "
        "from observed usage.",
    .bad_example = "containers:\n  - name: web\n    image: registry.example.com/web:v1.2.3\n",
    .good_example =
        "containers:\n  - name: web\n    image: registry.example.com/web:v1.2.3\n    resources:\n"
        "      requests: {cpu: 100m, memory: 128Mi}\n      limits: {cpu: 500m, memory: 256Mi}\n",
    .parameters = "the resources named in the clause's parenthesis, e.g. \"(CPU and memory)\"",
    .clause = {.section = "kubernetes", .text = "resource requests and limits"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

// The same rule at admission: every container and init container of the pod template.
constexpr std::string_view kGatekeeperRego = R"(

violation[{"msg": msg}] {
  some c in pod_containers
  missing := [sprintf("%s.%s", [section, r]) | some section in ["requests", "limits"]; some r in input.parameters.resources; not has_value(c, section, r)]
  count(missing) > 0
  msg := sprintf("container '%s' of %s %s does not set %s", [c.name, input.review.object.kind, input.review.object.metadata.name, concat(", ", missing)])
}

has_value(c, section, r) {
  v := c.resources[section][r]
  v != null
  v != ""
}
)";

class ResourceRequestsLimitsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    resources_.clear();
    for (const auto& remark : constitution::capture_parentheticals(clause.text))
      for (const auto& item : constitution::capture_list(remark))
        resources_.push_back(text::to_lower(text::trim(item)));
    if (resources_.empty()) resources_ = {"cpu", "memory"};
    return {};
  }
  std::string bound_parameters() const override { return fmt::format("resources: {}", join_and(resources_)); }

  std::optional<GatekeeperForm> gatekeeper_form() const override {
    return GatekeeperForm{std::string(kGatekeeperRego) + std::string(kPodContainersRego), workload_kinds(),
                          json_parameters("resources", resources_)};
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for_each_pod_template(context.manifests(), [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      for (const auto& c : kube::containers(tmpl.spec)) {
        const yaml::Node* resources = c.node->get("resources");
        std::vector<std::string> missing;
        for (const char* section : {"requests", "limits"}) {
          const yaml::Node* set = resources != nullptr ? resources->get(section) : nullptr;
          for (const auto& r : resources_) {
            const yaml::Node* v = set != nullptr ? set->get(r) : nullptr;
            if (v == nullptr || v->is_null() || v->str().empty()) missing.push_back(fmt::format("{}.{}", section, r));
          }
        }
        if (missing.empty()) continue;
        report(out, object, container_anchor(c),
               fmt::format("{}container '{}' of {} does not set {}", c.init ? "init " : "", c.name,
                           object.display_name(), join_and(missing)));
      }
    });
  }

 private:
  std::vector<std::string> resources_;
};

}  // namespace resource_requests_limits_check
}  // namespace

std::unique_ptr<engine::Check> make_resource_requests_limits_check() {
  return engine::make_check<resource_requests_limits_check::ResourceRequestsLimitsCheck>();
}

}  // namespace constable::checks::kubernetes
