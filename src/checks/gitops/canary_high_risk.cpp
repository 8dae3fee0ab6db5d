// gitops/canary-high-risk: "Canary deployments MUST be used for high-risk
// changes". A workload the repository itself marks as high-risk (a label or
// annotation such as `risk: high` or `criticality: critical`) is released
// through a canary: an Argo Rollouts canary strategy or a Flagger Canary
// that targets it.

#include <fmt/format.h>

#include <array>
#include <optional>
#include <set>
#include <string>

#include "checks/gitops/gitops_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::gitops {

namespace {
namespace canary_high_risk_check {

constexpr engine::CheckInfo kInfo{
    .id = "gitops/canary-high-risk",
    .domain = "gitops",
    .nature = Nature::reliability,
    .summary = "Release the workloads marked high-risk through a canary",
    .rationale =
        "A rolling update replaces every pod of a release within minutes and a blue-green switch moves all "
        "traffic at once: a regression in a high-risk service reaches every user before anyone sees it. A canary "
        "exposes a slice of the traffic first. Judged: Deployments and Argo Rollouts the repository marks as "
        "high-risk, by a label or annotation on the object or its pod template whose key (after any prefix) is "
        "risk, risk-level, change-risk, deployment-risk or release-risk with the value high or critical, "
        "criticality or business-criticality with the value high or critical, or tier with the value critical. "
        "Such a workload is released through a canary when it is an Argo Rollout with a canary strategy, is the "
        "workloadRef of one, or is the targetRef of a Flagger Canary. A repository that splits traffic itself "
        "(an Istio VirtualService or Gateway API HTTPRoute with weighted destinations, an SMI TrafficSplit, or a "
        "workload named `*-canary` or labelled `track: canary`) is not judged, nor is a workload that runs a datastore "
        "(postgres, mysql, redis, kafka...): its risk is its data, which a canary cannot split.",
    .remediation =
        "Release the workload through an Argo Rollouts canary (`kind: Rollout` with `strategy.canary.steps`, or "
        "a Rollout whose `workloadRef` names the Deployment) or a Flagger Canary whose `targetRef` names it, with "
        "an analysis of its SLO metrics; or remove the high-risk mark if it no longer holds.",
    .bad_example = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\n  labels: {risk: high}\n",
    .good_example = "apiVersion: argoproj.io/v1alpha1\nkind: Rollout\nmetadata:\n  name: payments\n  labels: {risk: high}\n"
                    "spec:\n  strategy:\n    canary:\n      analysis:\n        templates: [{templateName: success-rate}]\n"
                    "      steps: [{setWeight: 10}, {pause: {duration: 10m}}]\n",
    .parameters = "",
    .clause = {.section = "progressive delivery|delivery", .text = R"(canary[^.]*high.risk|high.risk[^.]*canary)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a workload is marked high-risk
    .scope = engine::Scope::manifests,
};

// The mark's key after any prefix ("example.com/risk" -> "risk"), lower-case.
std::string key_name(std::string_view key) {
  const auto slash = key.rfind('/');
  return text::to_lower(slash == std::string_view::npos ? key : key.substr(slash + 1));
}

bool marks_high_risk(std::string_view key, std::string_view value) {
  static constexpr std::array<std::string_view, 6> kRisk{"risk",       "risk-level",     "risklevel",
                                                         "change-risk", "deployment-risk", "release-risk"};
  static constexpr std::array<std::string_view, 3> kCriticality{"criticality", "business-criticality",
                                                                "service-criticality"};
  const std::string name = key_name(key);
  const std::string lower = text::to_lower(text::trim(value));
  const bool high = lower == "high" || lower == "critical" || lower == "very-high";
  for (const std::string_view candidate : kRisk)
    if (name == candidate) return high;
  for (const std::string_view candidate : kCriticality)
    if (name == candidate) return high;
  return name == "tier" && lower == "critical";
}

// The first high-risk mark among a mapping's entries (labels or annotations).
const yaml::Entry* high_risk_mark(const yaml::Node* map) {
  if (map == nullptr || !map->is_mapping()) return nullptr;
  for (const yaml::Entry& entry : map->entries) {
    const auto key = entry.key->as_string();
    const auto value = entry.value->as_string();
    if (key && value && marks_high_risk(*key, *value)) return &entry;
  }
  return nullptr;
}

const yaml::Entry* mark_of(const kube::Object& object) {
  const yaml::Node* metadata = object.metadata;
  const yaml::Node* template_metadata = object.root->at("spec", "template", "metadata");
  for (const yaml::Node* meta : {metadata, template_metadata}) {
    if (meta == nullptr || !meta->is_mapping()) continue;
    if (const yaml::Entry* mark = high_risk_mark(meta->get("labels"))) return mark;
    if (const yaml::Entry* mark = high_risk_mark(meta->get("annotations"))) return mark;
  }
  return nullptr;
}

// Whether the repository splits traffic between versions itself.
bool splits_traffic(const kube::Object& object) {
  const std::string_view kind = object.kind;
  if (kind == "TrafficSplit") return true;
  if (kind == "VirtualService" && object.api_version.starts_with("networking.istio.io/")) {
    const yaml::Node* http = object.root->at("spec", "http");
    if (http == nullptr || !http->is_sequence()) return false;
    for (const yaml::Node* route : http->items) {
      const yaml::Node* destinations = route->is_mapping() ? route->get("route") : nullptr;
      if (destinations == nullptr || !destinations->is_sequence() || destinations->items.size() < 2) continue;
      for (const yaml::Node* destination : destinations->items)
        if (destination->is_mapping() && destination->get("weight") != nullptr) return true;
    }
    return false;
  }
  if (kind == "HTTPRoute" && object.api_version.starts_with("gateway.networking.k8s.io/")) {
    const yaml::Node* rules = object.root->at("spec", "rules");
    if (rules == nullptr || !rules->is_sequence()) return false;
    for (const yaml::Node* rule : rules->items) {
      const yaml::Node* backends = rule->is_mapping() ? rule->get("backendRefs") : nullptr;
      if (backends == nullptr || !backends->is_sequence() || backends->items.size() < 2) continue;
      for (const yaml::Node* backend : backends->items)
        if (backend->is_mapping() && backend->get("weight") != nullptr) return true;
    }
    return false;
  }
  if (kind == "Deployment" || kind == "Rollout") {
    if (text::to_lower(object.name).ends_with("-canary")) return true;
    for (const yaml::Node* meta : {object.metadata, object.root->at("spec", "template", "metadata")}) {
      const yaml::Node* labels = meta != nullptr && meta->is_mapping() ? meta->get("labels") : nullptr;
      if (labels == nullptr || !labels->is_mapping()) continue;
      for (const yaml::Entry& entry : labels->entries) {
        const auto value = entry.value->as_string();
        const std::string name = key_name(entry.key->str());
        if (value && text::iequals(*value, "canary") && (name == "track" || name == "variant" || name == "version"))
          return true;
      }
    }
  }
  return false;
}

// Whether the workload runs a datastore (postgres, redis, kafka...): its
// data, not its traffic, is what a release risks, and a canary cannot split it.
bool runs_datastore(const kube::Object& object) {
  static constexpr std::array<std::string_view, 18> kStores{
      "postgres", "postgresql", "mysql",     "mariadb", "mongo",   "mongodb", "redis",    "valkey",    "etcd",
      "kafka",    "zookeeper",  "cassandra", "rabbitmq", "nats",   "memcached", "minio", "clickhouse", "elasticsearch"};
  bool found = false;
  kubernetes::for_each_image(object.root->at("spec", "template", "spec"),
                             [&](const kube::Container&, const yaml::Node& image) {
                               std::string_view name = image.str();
                               if (const auto at = name.find_first_of("@"); at != std::string_view::npos)
                                 name = name.substr(0, at);
                               if (const auto slash = name.rfind('/'); slash != std::string_view::npos)
                                 name = name.substr(slash + 1);
                               if (const auto colon = name.find(':'); colon != std::string_view::npos)
                                 name = name.substr(0, colon);
                               const std::string lower = text::to_lower(name);
                               for (const std::string_view store : kStores)
                                 if (lower == store || lower.starts_with(std::string(store) + "-")) found = true;
                             });
  return found;
}

class CanaryHighRiskCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const auto& objects = context.manifests().objects();
    // Cheap first: is anything marked high-risk at all?
    bool any = false;
    for (const kube::Object& object : objects)
      if ((object.kind == "Deployment" || object.kind == "Rollout") && mark_of(object) != nullptr) any = true;
    if (!any) return;
    // "Deployment/web" and "Rollout/web" released through a canary.
    std::set<std::string, std::less<>> canaried;
    for (const kube::Object& object : objects) {
      if (splits_traffic(object)) return;
      if (object.kind == "Rollout" && object.api_version.starts_with("argoproj.io/")) {
        const yaml::Node* canary = object.root->at("spec", "strategy", "canary");
        if (canary == nullptr || !canary->is_mapping()) continue;
        canaried.insert("Rollout/" + object.name);
        if (const yaml::Node* ref = object.root->at("spec", "workloadRef"); ref != nullptr && ref->is_mapping())
          canaried.insert(fmt::format("{}/{}", ref->get("kind") != nullptr ? ref->get("kind")->str() : "Deployment",
                                      ref->get("name") != nullptr ? ref->get("name")->str() : ""));
      } else if (object.kind == "Canary" && object.api_version.starts_with("flagger.app/")) {
        const yaml::Node* ref = object.root->at("spec", "targetRef");
        if (ref == nullptr || !ref->is_mapping()) continue;
        canaried.insert(fmt::format("{}/{}", ref->get("kind") != nullptr ? ref->get("kind")->str() : "Deployment",
                                    ref->get("name") != nullptr ? ref->get("name")->str() : ""));
      }
    }
    for (const kube::Object& object : objects) {
      const bool rollout = object.kind == "Rollout" && object.api_version.starts_with("argoproj.io/");
      if (object.kind != "Deployment" && !rollout) continue;
      const yaml::Entry* mark = mark_of(object);
      if (mark == nullptr || canaried.contains(fmt::format("{}/{}", object.kind, object.name)) ||
          runs_datastore(object))
        continue;
      const std::string quoted = fmt::format("{}: {}", mark->key->str(), mark->value->str());
      std::string how;
      if (rollout) {
        const yaml::Node* strategy = object.root->at("spec", "strategy");
        how = strategy != nullptr && strategy->is_mapping() && strategy->get("blueGreen") != nullptr
                  ? "its Rollout strategy is blueGreen, which switches all traffic at once"
                  : "its Rollout has no canary strategy";
      } else {
        how = "no Argo Rollouts canary or Flagger Canary targets it";
      }
      kubernetes::report(out, object, mark->key,
                         fmt::format("{} is marked high-risk ({}) but is not released through a canary: {}",
                                     object.display_name(), quoted, how));
    }
  }
};

}  // namespace canary_high_risk_check
}  // namespace

std::unique_ptr<engine::Check> make_canary_high_risk_check() {
  return engine::make_check<canary_high_risk_check::CanaryHighRiskCheck>();
}

}  // namespace constable::checks::gitops
