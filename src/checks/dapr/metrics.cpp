// dapr/metrics: "Metrics MUST be exported to Prometheus". Dapr's sidecars
// serve Prometheus metrics unless something turns them off: a Configuration's
// spec.metrics.enabled, or a pod's dapr.io/enable-metrics annotation.

#include <fmt/format.h>

#include "checks/dapr/dapr_checks.hpp"
#include "checks/dapr/dapr_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::dapr {

namespace {
namespace metrics_check {

constexpr engine::CheckInfo kInfo{
    .id = "dapr/metrics",
    .domain = "dapr",
    .nature = Nature::reliability,
    .summary = "Keep Dapr's Prometheus metrics on",
    .rationale =
        "Each Dapr sidecar serves Prometheus metrics (request counts, latencies, component and resiliency "
        "events) on its metrics port, 9090 by default: they are on unless turned off, so only an explicit "
        "`enabled: false` under a Configuration's `spec.metrics` (or the older `spec.metric`) or a pod's "
        "`dapr.io/enable-metrics: \"false\"` annotation is a finding. Without them, a failing sidecar or "
        "component is invisible to dashboards and alerts.",
    .remediation = "Remove `metrics.enabled: false` from the Configuration (or set it to true) and the "
                   "`dapr.io/enable-metrics: \"false\"` annotation from the pod template, and let Prometheus "
                   "scrape the sidecar's metrics port.",
    .bad_example = "apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: appconfig\nspec:\n"
                   "  metrics:\n    enabled: false\n",
    .good_example = "apiVersion: dapr.io/v1alpha1\nkind: Configuration\nmetadata:\n  name: appconfig\nspec:\n"
                    "  metrics:\n    enabled: true\n",
    .parameters = "",
    .clause = {.section = "dapr", .text = "metrics.*prometheus|prometheus.*metrics"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Dapr Configurations and Dapr-enabled pods are judged, wherever they are
    .scope = engine::Scope::manifests,
};

bool is_false(const yaml::Node* node) {
  if (node == nullptr || !node->is_scalar()) return false;
  if (const auto b = node->as_bool()) return !*b;
  return text::iequals(text::trim(node->str()), "false");  // annotations are strings: "false"
}

class MetricsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object* configuration : dapr_resources(context.manifests()).configurations) {
      if (configuration->name == "daprsystem") continue;  // the control plane's own settings
      for (std::string_view field : {"metrics", "metric"}) {
        const yaml::Node* enabled = configuration->root->at("spec", field, "enabled");
        if (!is_false(enabled)) continue;
        out.emit(kubernetes::emission_at(
            *configuration, enabled,
            fmt::format("Dapr Configuration '{}' sets spec.{}.enabled to false: the sidecars of the apps that use "
                        "it export no Prometheus metrics",
                        configuration->name, field)));
      }
    }
    kubernetes::for_each_pod_template(context.manifests(), [&](const kube::Object& object,
                                                               const kube::PodTemplate& pod) {
      const yaml::Node* metadata = pod.metadata != nullptr ? pod.metadata : object.metadata;
      const yaml::Node* annotations = metadata != nullptr ? metadata->get("annotations") : nullptr;
      if (annotations == nullptr || !annotations->is_mapping()) return;
      const yaml::Node* enabled = annotations->get("dapr.io/enabled");
      if (enabled == nullptr || is_false(enabled)) return;  // no sidecar, nothing to export
      const yaml::Node* metrics = annotations->get("dapr.io/enable-metrics");
      if (!is_false(metrics)) return;
      out.emit(kubernetes::emission_at(
          object, metrics,
          fmt::format("{} turns its Dapr sidecar's metrics off (dapr.io/enable-metrics: \"false\"): it exports no "
                      "Prometheus metrics",
                      object.display_name())));
    });
  }
};

}  // namespace metrics_check
}  // namespace

std::unique_ptr<engine::Check> make_metrics_check() { return engine::make_check<metrics_check::MetricsCheck>(); }

}  // namespace constable::checks::dapr
