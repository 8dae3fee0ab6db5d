// observability/service-scraping: "Prometheus MUST be used for metrics
// collection": in a repository that scrapes with Prometheus, every Service
// of the project's own workloads is scraped.

#include <fmt/format.h>

#include <algorithm>
#include <map>
#include <set>

#include "checks/kubernetes/image_tags.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/observability/observability_checks.hpp"
#include "core/text.hpp"
#include "kube/manifests.hpp"

namespace constable::checks::observability {

namespace {
namespace service_scraping_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/service-scraping",
    .domain = "observability",
    .nature = Nature::reliability,
    .summary = "Scrape every Service of the project's workloads with Prometheus",
    .rationale =
        "A service Prometheus does not scrape has no request rate, error rate or latency on record: its alerts "
        "and SLOs cannot fire, and an incident there is found by users. The check applies where the repository "
        "scrapes with Prometheus (a ServiceMonitor or PodMonitor of the Prometheus Operator, a "
        "VMServiceScrape or VMPodScrape, or a `prometheus.io/scrape` annotation). A Service that selects the "
        "pods of a workload running an image the repository builds is scraped when a ServiceMonitor's selector "
        "matches its labels, a PodMonitor's selector matches the workload's pod labels (each in a namespace "
        "its namespaceSelector covers; labels a kustomization adds with `commonLabels` or `labels` count), or "
        "the Service or the pod template is annotated "
        "`prometheus.io/scrape: \"true\"`; one scraped Service or pod covers every Service of the workload. "
        "Where the repository configures Prometheus by hand (a `prometheus.yml`, or `scrape_configs` in a "
        "ConfigMap) its targets are not evaluated and nothing is reported; a Service annotated "
        "`prometheus.io/scrape: \"false\"` is a decision and is not reported either. Namespaces a manifest "
        "leaves open (a chart's release namespace) match any.",
    .remediation = "Add a ServiceMonitor whose selector matches the Service's labels (or a PodMonitor for its "
                   "pods), or annotate the Service with `prometheus.io/scrape: \"true\"` and "
                   "`prometheus.io/port`, as the repository's other services are scraped.",
    .bad_example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: orders\n  labels: {app: orders}\n"
                   "spec:\n  selector: {app: orders}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n",
    .good_example = "apiVersion: v1\nkind: Service\nmetadata:\n  name: orders\n  labels: {app: orders}\n"
                    "spec:\n  selector: {app: orders}\n  ports: [{name: http, port: 80, targetPort: 8080}]\n---\n"
                    "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\nmetadata:\n  name: orders\n"
                    "spec:\n  selector:\n    matchLabels: {app: orders}\n  endpoints: [{port: http}]\n",
    .parameters = "",
    .clause = {.section = "metrics|monitoring|observability", .text = R"(prometheus\b.*\bmetrics)"},
    .file_kind = FileKind::yaml,
    .stack = "kubernetes",
    .scope = engine::Scope::manifests,
    .not_at_admission = "it relates each Service to the ServiceMonitors and PodMonitors of the repository",
};

constexpr std::string_view kScrapeAnnotation = "prometheus.io/scrape";

bool templated(std::string_view value) {
  return value.find("{{") != std::string_view::npos || value.find("${") != std::string_view::npos;
}

// The namespaces an object is deployed to; empty when any (left open or not set).
std::set<std::string> namespaces_of(const kube::Object& object) {
  std::set<std::string> out;
  if (object.namespace_left_open) return {};
  for (const auto& placement : object.placements) {
    if (placement.namespace_name.empty() || templated(placement.namespace_name)) return {};
    out.insert(placement.namespace_name);
  }
  return out;
}

bool overlap(const std::set<std::string>& a, const std::set<std::string>& b) {
  if (a.empty() || b.empty()) return true;  // a namespace constable does not know matches any
  for (const auto& name : a)
    if (b.contains(name)) return true;
  return false;
}

using Labels = std::map<std::string, std::string, std::less<>>;

void add_labels(Labels& out, const yaml::Node* labels) {
  if (labels == nullptr || !labels->is_mapping()) return;
  for (const yaml::Entry& entry : labels->entries)
    if (entry.value != nullptr && entry.value->is_scalar())
      out.insert_or_assign(std::string(entry.key->str()), std::string(entry.value->str()));
}

// The labels kustomize adds to `object` (`commonLabels`, `labels[].pairs`) in
// the kustomizations that may include it: those of its directory and above,
// and those it is placed through.
Labels kustomize_labels(const kube::ManifestSet& set, const kube::Object& object) {
  Labels out;
  const std::string_view path = object.source != nullptr ? std::string_view(object.source->path) : std::string_view();
  for (const kube::Kustomization& k : set.kustomizations()) {
    bool includes = k.dir.empty() || path.starts_with(k.dir + "/");
    for (const auto& placement : object.placements) includes = includes || placement.via == k.path;
    if (!includes || k.root == nullptr || !k.root->is_mapping()) continue;
    add_labels(out, k.root->get("commonLabels"));
    if (const yaml::Node* labels = k.root->get("labels"); labels != nullptr && labels->is_sequence())
      for (const yaml::Node* item : labels->items)
        if (item != nullptr && item->is_mapping()) add_labels(out, item->get("pairs"));
  }
  return out;
}

Labels labels_of(const kube::ManifestSet& set, const kube::Object& object, const yaml::Node* metadata) {
  Labels out = kustomize_labels(set, object);
  add_labels(out, metadata != nullptr ? metadata->get("labels") : nullptr);
  return out;
}

// A Service's plain `selector` map selects `labels`; a templated value matches anything.
bool map_selects(const yaml::Node* selector, const Labels& labels) {
  if (selector == nullptr || !selector->is_mapping() || selector->entries.empty()) return false;
  for (const yaml::Entry& entry : selector->entries) {
    const std::string_view want = entry.value != nullptr ? entry.value->str() : std::string_view();
    if (templated(want) || templated(entry.key->str())) continue;
    const auto have = labels.find(entry.key->str());
    if (have == labels.end() || have->second != want) return false;
  }
  return true;
}

// Kubernetes label-selector semantics (matchLabels and matchExpressions,
// ANDed; empty matches all, malformed matches nothing) over a label map, so
// that labels kustomize adds count; placeholders (`{{ }}`, `${}`) match anything.
bool label_selector_matches(const yaml::Node* selector, const Labels& labels) {
  if (selector == nullptr || !selector->is_mapping()) return false;
  if (const yaml::Node* match_labels = selector->get("matchLabels")) {
    if (!match_labels->is_mapping()) return false;
    if (!match_labels->entries.empty() && !map_selects(match_labels, labels)) return false;
  }
  if (const yaml::Node* expressions = selector->get("matchExpressions")) {
    if (!expressions->is_sequence()) return false;
    for (const yaml::Node* expression : expressions->items) {
      if (expression == nullptr || !expression->is_mapping()) return false;
      const std::string_view key = expression->get("key") != nullptr ? expression->get("key")->str() : "";
      const std::string_view op = expression->get("operator") != nullptr ? expression->get("operator")->str() : "";
      if (templated(key)) continue;
      std::set<std::string, std::less<>> values;
      bool open = false;
      if (const yaml::Node* list = expression->get("values"); list != nullptr && list->is_sequence())
        for (const yaml::Node* value : list->items) {
          open = open || templated(value->str());
          values.insert(std::string(value->str()));
        }
      if (open) continue;
      const auto have = labels.find(key);
      const bool present = have != labels.end();
      if (op == "In") {
        if (!present || !values.contains(have->second)) return false;
      } else if (op == "NotIn") {
        if (present && values.contains(have->second)) return false;
      } else if (op == "Exists") {
        if (!present) return false;
      } else if (op == "DoesNotExist") {
        if (present) return false;
      } else {
        return false;
      }
    }
  }
  return true;
}

std::optional<bool> scrape_annotation(const yaml::Node* metadata) {
  const yaml::Node* annotations = metadata != nullptr ? metadata->get("annotations") : nullptr;
  const yaml::Node* value = annotations != nullptr ? annotations->get(kScrapeAnnotation) : nullptr;
  if (value == nullptr || !value->is_scalar()) return std::nullopt;
  const std::string_view text = text::trim(value->str());
  if (templated(text)) return true;  // set at deploy time: give it the benefit of the doubt
  return text::iequals(text, "true");
}

// A ServiceMonitor, PodMonitor, VMServiceScrape or VMPodScrape.
struct Monitor {
  bool pods = false;  // selects pods (PodMonitor) rather than Services
  const yaml::Node* selector = nullptr;
  bool any_namespace = false;
  std::set<std::string> namespaces;  // empty: any
};

std::vector<Monitor> monitors_of(const kube::ManifestSet& set) {
  std::vector<Monitor> out;
  for (const kube::Object& object : set.objects()) {
    const bool prometheus_operator = object.api_version.starts_with("monitoring.coreos.com/");
    const bool victoria_metrics = object.api_version.starts_with("operator.victoriametrics.com/");
    if (!prometheus_operator && !victoria_metrics) continue;
    Monitor monitor;
    if (object.kind == "ServiceMonitor" || object.kind == "VMServiceScrape") monitor.pods = false;
    else if (object.kind == "PodMonitor" || object.kind == "VMPodScrape") monitor.pods = true;
    else continue;
    const yaml::Node* spec = object.root->get("spec");
    monitor.selector = spec != nullptr ? spec->get("selector") : nullptr;
    const yaml::Node* namespace_selector = spec != nullptr ? spec->get("namespaceSelector") : nullptr;
    if (namespace_selector != nullptr && namespace_selector->is_mapping()) {
      const yaml::Node* any = namespace_selector->get("any");
      const yaml::Node* names = namespace_selector->get("matchNames");
      if (any != nullptr && any->as_bool() == true) {
        monitor.any_namespace = true;
      } else if (names != nullptr && names->is_sequence()) {
        for (const yaml::Node* name : names->items) {
          if (templated(name->str())) {
            monitor.any_namespace = true;
            break;
          }
          monitor.namespaces.insert(std::string(name->str()));
        }
      } else {
        monitor.any_namespace = true;  // a label selector over namespaces: not known here
      }
    } else {
      monitor.namespaces = namespaces_of(object);
      if (monitor.namespaces.empty()) monitor.any_namespace = true;
    }
    out.push_back(std::move(monitor));
  }
  return out;
}

bool monitor_selects(const Monitor& monitor, const Labels& labels, const std::set<std::string>& namespaces) {
  if (!monitor.any_namespace && !overlap(monitor.namespaces, namespaces)) return false;
  return label_selector_matches(monitor.selector, labels);
}

// Prometheus configured by hand: its scrape targets are not evaluated here.
bool hand_written_scrape_config(const kube::ManifestSet& set, const workspace::Workspace& workspace) {
  for (const auto& file : workspace.files) {
    const std::string name = text::to_lower(text::basename(file.path));
    if (name == "prometheus.yml" || name == "prometheus.yaml") return true;
  }
  for (const kube::Object* config_map : set.of_kind("ConfigMap")) {
    const yaml::Node* data = config_map->root->get("data");
    if (data == nullptr || !data->is_mapping()) continue;
    for (const yaml::Entry& entry : data->entries)
      if (entry.value != nullptr && entry.value->str().find("scrape_configs") != std::string_view::npos) return true;
  }
  return false;
}

struct Workload {
  const kube::Object* object = nullptr;
  const yaml::Node* pod_metadata = nullptr;
  Labels pod_labels;
  std::set<std::string> namespaces;
  bool scraped = false;
};

class ServiceScrapingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const kube::ManifestSet& set = context.manifests();
    const std::vector<Monitor> monitors = monitors_of(set);
    const std::vector<const kube::Object*> services = set.of_kind("Service");
    if (!uses_prometheus(set, monitors, services)) return;
    if (hand_written_scrape_config(set, context.workspace())) return;

    // The project's own long-running workloads: those running an image the repository builds.
    const kubernetes::ProjectImages project(context.workspace());
    std::map<const kube::Object*, Workload> workloads;
    kubernetes::for_each_workload_image(set, [&](const kubernetes::WorkloadImage& use) {
      if (!kube::is_long_running(use.object.kind) || !project.builds(use.image)) return;
      const auto tmpl = kube::pod_template(use.object);
      if (!tmpl) return;
      Workload& workload = workloads[&use.object];
      workload.object = &use.object;
      workload.pod_metadata = tmpl->metadata != nullptr ? tmpl->metadata : use.object.metadata;
      workload.pod_labels = labels_of(set, use.object, workload.pod_metadata);
      workload.namespaces = namespaces_of(use.object);
    });
    if (workloads.empty()) return;

    struct Fronting {
      const kube::Object* service;
      std::vector<Workload*> workloads;
    };
    std::vector<Fronting> fronting;
    for (const kube::Object* service : services) {
      const yaml::Node* spec = service->root->get("spec");
      if (spec == nullptr || (spec->get("type") != nullptr && spec->get("type")->str() == "ExternalName")) continue;
      if (scrape_annotation(service->metadata) == false) continue;  // a decision, not an omission
      const yaml::Node* selector = spec->get("selector");
      const auto service_namespaces = namespaces_of(*service);
      Fronting entry{service, {}};
      for (auto& [object, workload] : workloads)
        if (overlap(service_namespaces, workload.namespaces) && map_selects(selector, workload.pod_labels))
          entry.workloads.push_back(&workload);
      if (entry.workloads.empty()) continue;
      bool scraped = scrape_annotation(service->metadata).value_or(false);
      const Labels service_labels = labels_of(set, *service, service->metadata);
      for (const Monitor& monitor : monitors)
        scraped = scraped || (!monitor.pods && monitor_selects(monitor, service_labels, service_namespaces));
      if (scraped)
        for (Workload* workload : entry.workloads) workload->scraped = true;
      fronting.push_back(std::move(entry));
    }
    for (auto& [object, workload] : workloads) {
      if (scrape_annotation(workload.pod_metadata).value_or(false)) workload.scraped = true;
      for (const Monitor& monitor : monitors)
        if (monitor.pods && monitor_selects(monitor, workload.pod_labels, workload.namespaces))
          workload.scraped = true;
    }

    for (const Fronting& entry : fronting) {
      bool all_unscraped = true;
      std::vector<std::string> names;
      for (const Workload* workload : entry.workloads) {
        all_unscraped = all_unscraped && !workload->scraped;
        // A chart rendered for several environments holds one workload per render: name it once.
        if (std::find(names.begin(), names.end(), workload->object->display_name()) == names.end())
          names.push_back(workload->object->display_name());
      }
      if (!all_unscraped) continue;
      const yaml::Node* name = entry.service->metadata != nullptr ? entry.service->metadata->get("name") : nullptr;
      kubernetes::report(out, *entry.service, name,
                         fmt::format("{} (in front of {}) is scraped by no ServiceMonitor or PodMonitor and is not "
                                     "annotated prometheus.io/scrape: \"true\", while the repository scrapes "
                                     "with Prometheus",
                                     entry.service->display_name(), kubernetes::join_and(names)));
    }
  }

 private:
  static bool uses_prometheus(const kube::ManifestSet& set, const std::vector<Monitor>& monitors,
                              const std::vector<const kube::Object*>& services) {
    if (!monitors.empty()) return true;
    for (const kube::Object* service : services)
      if (scrape_annotation(service->metadata).has_value()) return true;
    bool annotated = false;
    kubernetes::for_each_pod_template(set, [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      annotated = annotated || scrape_annotation(tmpl.metadata != nullptr ? tmpl.metadata : object.metadata).has_value();
    });
    return annotated;
  }
};

}  // namespace service_scraping_check
}  // namespace

std::unique_ptr<engine::Check> make_service_scraping_check() {
  return engine::make_check<service_scraping_check::ServiceScrapingCheck>();
}

}  // namespace constable::checks::observability
