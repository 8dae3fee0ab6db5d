// aiops/kagent-namespace: "kagent operators MUST be deployed in dedicated
// namespace". kagent's controller, the objects it runs (kagent.dev agents,
// model configurations, tool servers) and the Helm releases that install it
// are not placed in a namespace the cluster shares with everything else:
// `default` or Kubernetes' own.

#include <fmt/format.h>


#include "checks/aiops/aiops_checks.hpp"
#include "checks/aiops/kagent_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::aiops {

namespace {
namespace kagent_namespace_check {

constexpr engine::CheckInfo kInfo{
    .id = "aiops/kagent-namespace",
    .domain = "aiops",
    .nature = Nature::security,
    .summary = "Deploy kagent and its agents in a namespace of their own, not `default` or kube-system",
    .rationale =
        "kagent's controller and agents act on the cluster with the permissions their service accounts hold; "
        "in a namespace shared with other workloads, those workloads' quotas, network policies and RBAC apply "
        "to the agents and the agents' to them, and removing kagent means picking its objects out one by one. "
        "Judged: kagent.dev objects (Agent, SandboxAgent, ModelConfig, ToolServer, RemoteMCPServer, ...), "
        "kagent's controller Deployment (named kagent-controller or labelled app.kubernetes.io/name: kagent), "
        "Flux HelmReleases and Argo CD Applications installing the `kagent` chart, placed (by their own "
        "namespace, a kustomization's, a HelmRelease's targetNamespace or an Application's destination) in "
        "`default`, kube-system, kube-public or kube-node-lease. Objects whose namespace is left to whoever "
        "deploys them (a chart's release namespace, no namespace at all) are not judged.",
    .remediation =
        "Install kagent into its own namespace (`helm install kagent oci://ghcr.io/kagent-dev/kagent/helm/kagent "
        "--namespace kagent --create-namespace`, a HelmRelease `targetNamespace: kagent`) and put its agents, "
        "model configurations and tool servers there.",
    .bad_example = "apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata:\n  name: triage\n  namespace: default\n",
    .good_example = "apiVersion: kagent.dev/v1alpha2\nkind: Agent\nmetadata:\n  name: triage\n  namespace: kagent\n",
    .parameters = "",
    .clause = {.section = "kagent|agent deployment", .text = R"(kagent.*\bnamespace)"},
    .file_kind = FileKind::yaml,
    .stack = "",
    .scope = engine::Scope::manifests,
};

bool is_shared_namespace(std::string_view name) {
  return name == "default" || name == "kube-system" || name == "kube-public" || name == "kube-node-lease";
}

bool is_kagent_controller(const kube::Object& object) {
  if (object.kind != "Deployment" || !kube::is_builtin_api(object.api_version)) return false;
  if (object.name == "kagent-controller" || object.name.ends_with("-kagent-controller")) return true;
  const yaml::Node* labels = object.metadata != nullptr ? object.metadata->get("labels") : nullptr;
  if (labels == nullptr || !labels->is_mapping()) return false;
  const yaml::Node* name = labels->get("app.kubernetes.io/name");
  const yaml::Node* component = labels->get("app.kubernetes.io/component");
  return name != nullptr && name->str() == "kagent" && (component == nullptr || component->str() == "controller");
}

// The chart a Flux HelmRelease or an Argo CD Application source installs, "" when none is named.
std::string_view chart_of(const yaml::Node* node) {
  if (node == nullptr || !node->is_mapping()) return {};
  if (const yaml::Node* chart = node->get("chart"); chart != nullptr && chart->is_scalar()) return chart->str();
  return {};
}

bool is_kagent_chart(std::string_view chart) {
  // "kagent", "oci://ghcr.io/kagent-dev/kagent/helm/kagent", "kagent-dev/kagent"
  if (chart == "kagent") return true;
  return chart.ends_with("/kagent") && text::contains(chart, "kagent-dev");
}

class KagentNamespaceCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object& object : context.manifests().objects()) {
      if (object.root == nullptr) continue;
      if (is_kagent_object(object) || is_kagent_controller(object)) {
        if (object.kind == "CustomResourceDefinition") continue;
        report_placements(object, is_kagent_object(object) ? fmt::format("kagent {}", object.kind)
                                                           : std::string("kagent's controller"),
                          out);
      } else if (object.kind == "HelmRelease" && object.api_version.starts_with("helm.toolkit.fluxcd.io/")) {
        const yaml::Node* spec = object.root->get("spec");
        if (spec == nullptr || !spec->is_mapping()) continue;
        const yaml::Node* chart_spec = spec->at("chart", "spec");
        if (!is_kagent_chart(chart_of(chart_spec))) continue;
        if (const yaml::Node* target = spec->get("targetNamespace"); target != nullptr && target->is_scalar()) {
          if (is_shared_namespace(target->str()))
            kubernetes::report(out, object, target,
                               fmt::format("HelmRelease '{}' installs kagent into the shared namespace '{}'",
                                           object.name, target->str()));
          continue;
        }
        report_placements(object, "the kagent HelmRelease", out);
      } else if (object.kind == "Application" && object.api_version.starts_with("argoproj.io/")) {
        const yaml::Node* spec = object.root->get("spec");
        if (spec == nullptr || !spec->is_mapping()) continue;
        bool kagent = is_kagent_chart(chart_of(spec->get("source")));
        if (const yaml::Node* sources = spec->get("sources"); sources != nullptr && sources->is_sequence())
          for (const yaml::Node* source : sources->items) kagent = kagent || is_kagent_chart(chart_of(source));
        if (!kagent) continue;
        const yaml::Node* target = spec->at("destination", "namespace");
        if (target != nullptr && target->is_scalar() && is_shared_namespace(target->str()))
          kubernetes::report(out, object, target,
                             fmt::format("Argo CD Application '{}' installs kagent into the shared namespace '{}'",
                                         object.name, target->str()));
      }
    }
  }

 private:
  static void report_placements(const kube::Object& object, const std::string& what, engine::Emitter& out) {
    if (object.namespace_left_open) return;
    for (const kube::Placement& placement : object.placements) {
      if (!is_shared_namespace(placement.namespace_name)) continue;
      const yaml::Node* anchor = object.metadata != nullptr ? object.metadata->get("namespace") : nullptr;
      const std::string via = placement.via.empty() ? std::string() : fmt::format(" (through {})", placement.via);
      kubernetes::report(out, object, anchor,
                         fmt::format("{} '{}' is deployed to the shared namespace '{}'{}, not one dedicated to kagent",
                                     what, object.name, placement.namespace_name, via));
      return;  // one finding per object
    }
  }
};

}  // namespace kagent_namespace_check
}  // namespace

std::unique_ptr<engine::Check> make_kagent_namespace_check() {
  return engine::make_check<kagent_namespace_check::KagentNamespaceCheck>();
}

}  // namespace constable::checks::aiops
