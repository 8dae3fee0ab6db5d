// scaling/horizontal-pod-autoscaler: "Autoscaling MUST be configured based on
// CPU, memory, and custom metrics" and its sibling "Maximum pod count MUST be
// defined to prevent runaway scaling". Every production Deployment (but a
// singleton by design) is scaled by a HorizontalPodAutoscaler or a KEDA
// ScaledObject; each autoscaler scales on the metrics the clause names and
// states its maximum.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/scaling/scaling_checks.hpp"
#include "checks/scaling/scaling_support.hpp"
#include "formats/image_ref.hpp"

namespace constable::checks::scaling {

namespace {
namespace horizontal_pod_autoscaler_check {

constexpr engine::CheckInfo kInfo{
    .id = "scaling/horizontal-pod-autoscaler",
    .domain = "scaling",
    .nature = Nature::reliability,
    .summary = "Autoscale every production Deployment on the metrics the constitution names, up to a stated "
               "maximum",
    .rationale =
        "A service with a fixed replica count is either paying for idle pods or falling over at peak; an "
        "autoscaler on CPU alone misses memory-bound and queue-bound load, and one without a maximum can "
        "scale a runaway loop into an outage of the cluster and the bill. Recognised autoscalers: "
        "autoscaling/v1 and v2 HorizontalPodAutoscalers (Resource and ContainerResource metrics for CPU and "
        "memory; Pods, Object and External metrics are custom) and KEDA ScaledObjects (cpu and memory "
        "triggers; any other trigger is a custom metric), matched to the workload by scaleTargetRef in the "
        "same namespace. An HPA without metrics scales on CPU (Kubernetes' default); a ScaledObject without "
        "maxReplicaCount may reach 100 replicas. Every autoscaler found is judged; a production Deployment "
        "without one is a finding unless it is a singleton by design (a Recreate strategy, or only datastore "
        "and broker images such as redis, postgres or kafka). StatefulSets, which scale by their own "
        "clustering, need no autoscaler.",
    .remediation =
        "Add an autoscaling/v2 HorizontalPodAutoscaler (or a KEDA ScaledObject) targeting the workload, with "
        "Resource metrics for cpu and memory, a Pods or External metric for the service's own load (requests "
        "per second, queue length), and an explicit maxReplicas.",
    .bad_example =
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  maxReplicas: 10\n  metrics:\n"
        "    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}\n",
    .good_example =
        "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\nmetadata: {name: web}\nspec:\n"
        "  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}\n  minReplicas: 2\n"
        "  maxReplicas: 10\n  metrics:\n"
        "    - type: Resource\n      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}\n"
        "    - type: Resource\n      resource: {name: memory, target: {type: Utilization, averageUtilization: 80}}\n"
        "    - type: Pods\n      pods:\n        metric: {name: http_requests_per_second}\n"
        "        target: {type: AverageValue, averageValue: \"100\"}\n",
    .parameters = "the metrics the clause names (CPU, memory, custom); the sibling clause on a maximum pod count",
    .clause = {.section = "scalab", .text = "autoscal"},
    .file_kind = FileKind::yaml,
    .stack = "",
    .scope = engine::Scope::manifests,
    .not_at_admission = "an autoscaler is an object of its own: one admitted Deployment does not show whether one "
                        "scales it",
};

struct Metrics {
  bool cpu = false;
  bool memory = false;
  bool custom = false;
};

Metrics hpa_metrics(const kube::Object& hpa) {
  Metrics m;
  const yaml::Node* spec = hpa.root->get("spec");
  const yaml::Node* metrics = spec != nullptr ? spec->get("metrics") : nullptr;
  if (metrics == nullptr || !metrics->is_sequence() || metrics->items.empty()) {
    // autoscaling/v1 knows only CPU; without metrics any version scales on CPU.
    m.cpu = true;
    return m;
  }
  for (const yaml::Node* metric : metrics->items) {
    const std::string_view type = metric->get("type") != nullptr ? metric->get("type")->str() : "";
    if (type == "Resource" || type == "ContainerResource") {
      const yaml::Node* name = metric->at(type == "Resource" ? "resource" : "containerResource", "name");
      const std::string_view resource = name != nullptr ? name->str() : "";
      if (resource == "cpu") m.cpu = true;
      else if (resource == "memory") m.memory = true;
      else m.custom = true;  // ephemeral-storage and the like: not the service's own load, but not CPU or memory
    } else if (type == "Pods" || type == "Object" || type == "External") {
      m.custom = true;
    }
  }
  return m;
}

Metrics keda_metrics(const kube::Object& scaled_object) {
  Metrics m;
  const yaml::Node* triggers = scaled_object.root->at("spec", "triggers");
  if (triggers == nullptr || !triggers->is_sequence()) return m;
  for (const yaml::Node* trigger : triggers->items) {
    const std::string_view type = trigger->get("type") != nullptr ? trigger->get("type")->str() : "";
    if (type == "cpu") m.cpu = true;
    else if (type == "memory") m.memory = true;
    else if (!type.empty()) m.custom = true;
  }
  return m;
}

// A datastore or broker run from its own image (redis, postgres, kafka):
// it scales by its own clustering, not by adding pods behind a Service.
bool runs_datastore(const yaml::Node* pod_spec) {
  static constexpr std::string_view kDatastores[] = {
      "redis",   "valkey",    "postgres", "postgresql", "mysql",         "mariadb", "mongo",   "mongodb",
      "memcached", "etcd",    "zookeeper", "kafka",     "rabbitmq",      "elasticsearch", "opensearch",
      "cassandra", "clickhouse", "minio",  "nats",      "keydb",         "dragonfly"};
  const std::vector<kube::Container> containers = kube::containers(pod_spec);
  bool any = false;
  for (const kube::Container& container : containers) {
    if (container.init) continue;
    const yaml::Node* image = container.node != nullptr ? container.node->get("image") : nullptr;
    const auto ref = image != nullptr ? formats::parse_image_ref(image->str()) : std::nullopt;
    if (!ref) return false;
    const std::string name = ref->short_name();
    bool datastore = false;
    for (const std::string_view known : kDatastores)
      datastore = datastore || name == known || (name.starts_with(known) && name.size() > known.size() &&
                                                 (name[known.size()] == '-' || name[known.size()] == '_'));
    if (!datastore) return false;
    any = true;
  }
  return any;
}

// Workloads that must not run as several pods: a Recreate strategy says so
// (two versions may never overlap), as does a datastore's own image.
bool is_singleton(const kube::Object& workload, const kube::PodTemplate& tmpl) {
  const yaml::Node* strategy = workload.root->at("spec", "strategy", "type");
  if (strategy != nullptr && strategy->str() == "Recreate") return true;
  return runs_datastore(tmpl.spec);
}

class HorizontalPodAutoscalerCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    static const RE2 kCpu(R"((?i)\bcpu\b)"), kMemory(R"((?i)\bmemory\b)"), kCustom(R"((?i)\b(custom|external|application)\b)");
    want_ = {RE2::PartialMatch(clause.text, kCpu), RE2::PartialMatch(clause.text, kMemory),
             RE2::PartialMatch(clause.text, kCustom)};
    return {};
  }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    static const RE2 kMaximum(R"((?i)(max(imum)?\b[^.]*\b(pod|replica)s?\b[^.]*\b(count|number|defined|set|limit))|runaway)");
    maximum_clause_ = nullptr;
    for (const constitution::Clause* clause : section)
      if (RE2::PartialMatch(clause->text, kMaximum)) {
        maximum_clause_ = clause;
        break;
      }
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override {
    if (maximum_clause_ == nullptr) return {};
    return {maximum_clause_};
  }

  std::string bound_parameters() const override {
    std::vector<std::string> names = wanted_names();
    return fmt::format("metrics: {}{}", names.empty() ? "any" : kubernetes::join_and(names),
                       maximum_clause_ != nullptr ? "; maximum replica count required" : "");
  }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const std::vector<Autoscaler> scalers = autoscalers(context.manifests());
    for (const Autoscaler& scaler : scalers) judge(*scaler.object, out);
    kubernetes::for_each_pod_template(context.manifests(), [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      if (object.kind != "Deployment" || is_singleton(object, tmpl)) return;
      for (const auto& placement : object.placements) {
        if (!placement.production) continue;
        bool scaled = false;
        for (const Autoscaler& scaler : scalers) scaled = scaled || scales(scaler, object, placement.namespace_name);
        if (scaled) continue;
        kubernetes::report(
            out, object, nullptr,
            fmt::format("no HorizontalPodAutoscaler or KEDA ScaledObject scales {}{}{}", object.display_name(),
                        placement.namespace_name.empty() ? ""
                                                         : fmt::format(" in namespace '{}'", placement.namespace_name),
                        kubernetes::production_note(*placement.production)));
        break;  // one finding per object
      }
    });
  }

 private:
  std::vector<std::string> wanted_names() const {
    std::vector<std::string> names;
    if (want_.cpu) names.emplace_back("CPU");
    if (want_.memory) names.emplace_back("memory");
    if (want_.custom) names.emplace_back("a custom metric");
    return names;
  }

  void judge(const kube::Object& scaler, engine::Emitter& out) const {
    const bool keda = scaler.kind == "ScaledObject";
    const Metrics has = keda ? keda_metrics(scaler) : hpa_metrics(scaler);
    std::vector<std::string> missing;
    if (want_.cpu && !has.cpu) missing.emplace_back("CPU");
    if (want_.memory && !has.memory) missing.emplace_back("memory");
    if (want_.custom && !has.custom) missing.emplace_back("a custom metric");
    const yaml::Node* spec = scaler.root->get("spec");
    // A finding about a missing field points at `spec:` itself.
    const yaml::Entry* spec_entry = scaler.root->find("spec");
    const yaml::Node* spec_key = spec_entry != nullptr ? spec_entry->key : nullptr;
    if (!missing.empty()) {
      const yaml::Entry* list = spec != nullptr ? spec->find(keda ? "triggers" : "metrics") : nullptr;
      const yaml::Node* where = list != nullptr ? list->key : nullptr;
      const bool v1 = !keda && scaler.api_version == "autoscaling/v1";
      kubernetes::report(out, scaler, where != nullptr ? where : spec_key,
                         fmt::format("{} does not scale on {}; the constitution asks for {}{}", scaler.display_name(),
                                     kubernetes::join_and(missing), kubernetes::join_and(wanted_names()),
                                     v1 ? " (autoscaling/v1 knows only CPU: use autoscaling/v2)" : ""));
    }
    if (maximum_clause_ == nullptr || spec == nullptr) return;
    const yaml::Node* max = spec->get(keda ? "maxReplicaCount" : "maxReplicas");
    if (max != nullptr && max->as_int()) return;
    engine::Emission e = kubernetes::emission_at(
        scaler, max != nullptr ? max : spec_key,
        keda && max == nullptr
            ? fmt::format("{} states no maxReplicaCount, so KEDA may scale it to 100 replicas", scaler.display_name())
            : fmt::format("{} states no maximum replica count{}", scaler.display_name(),
                          max != nullptr ? fmt::format(" (maxReplicas is '{}', not a number)", max->str()) : ""));
    e.clause = maximum_clause_;
    out.emit(std::move(e));
  }

  Metrics want_{true, true, true};
  const constitution::Clause* maximum_clause_ = nullptr;
};

}  // namespace horizontal_pod_autoscaler_check
}  // namespace

std::unique_ptr<engine::Check> make_horizontal_pod_autoscaler_check() {
  return engine::make_check<horizontal_pod_autoscaler_check::HorizontalPodAutoscalerCheck>();
}

}  // namespace constable::checks::scaling
