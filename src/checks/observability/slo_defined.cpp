// observability/slo-defined: "Service Level Objectives (SLOs) MUST be
// defined for all production services".

#include <fmt/format.h>
#include <re2/re2.h>

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
namespace slo_defined_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/slo-defined",
    .domain = "observability",
    .nature = Nature::reliability,
    .summary = "Define an SLO for every production service",
    .rationale =
        "Without an objective nobody can say whether a service is reliable enough, how much error budget is "
        "left, or when to stop shipping features and fix it. The check applies where the repository defines "
        "SLOs at all (OpenSLO `SLO` objects, Sloth `PrometheusServiceLevel`, Pyrra `ServiceLevelObjective`, or "
        "PrometheusRule recording rules that compute an error budget or burn rate): then every production "
        "workload (a Deployment or StatefulSet with a production placement, running an image the repository "
        "builds) needs one that names it. An objective names a workload when its service, name, labels or "
        "queries mention, as a whole word, the workload's name, its `app` or `app.kubernetes.io/name` label, "
        "or the name of a Service in front of it. A repository with no SLO tooling is not judged: its "
        "objectives may live elsewhere, which an attestation says.",
    .remediation = "Add an SLO for the service (an OpenSLO SLO, a Sloth PrometheusServiceLevel or a Pyrra "
                   "ServiceLevelObjective with its availability and latency objectives), named after it, "
                   "beside the repository's other SLOs.",
    .bad_example = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: payments\n  namespace: production\n",
    .good_example = "apiVersion: sloth.slok.dev/v1\nkind: PrometheusServiceLevel\nmetadata:\n  name: payments\n"
                    "spec:\n  service: payments\n  slos:\n    - name: requests-availability\n"
                    "      objective: 99.9\n",
    .parameters = "",
    .clause = {.section = "slo|service level|observability|monitoring",
               .text = R"((\bslos?\b|service level objectives?).*production)"},
    .file_kind = FileKind::yaml,
    .stack = "kubernetes",
    .scope = engine::Scope::manifests,
    .not_at_admission = "it relates each workload to the SLO objects of the repository",
};

// The text of every scalar under `node`, for whole-word name lookups.
void collect_text(const yaml::Node* node, std::string& out, int depth = 0) {
  if (node == nullptr || depth > 32) return;
  if (node->is_scalar()) {
    out += node->value;
    out += '\n';
    return;
  }
  for (const yaml::Entry& entry : node->entries) {
    out += entry.key->str();
    out += '\n';
    collect_text(entry.value, out, depth + 1);
  }
  for (const yaml::Node* item : node->items) collect_text(item, out, depth + 1);
}

bool is_slo_object(const kube::Object& object) {
  const std::string_view api = object.api_version;
  if (api.starts_with("openslo/") && object.kind == "SLO") return true;
  if (api.starts_with("sloth.slok.dev/") && object.kind == "PrometheusServiceLevel") return true;
  if (api.starts_with("pyrra.dev/") && object.kind == "ServiceLevelObjective") return true;
  return false;
}

// The recording rules of a PrometheusRule that compute an error budget or burn rate.
std::string error_budget_rules_text(const kube::Object& object) {
  static const RE2 kBudget(R"((?i)(error_?budget|burn_?rate|slo:|:slo_|slo_))");
  std::string out;
  const yaml::Node* groups = object.root->at("spec", "groups");
  if (groups == nullptr || !groups->is_sequence()) return out;
  for (const yaml::Node* group : groups->items) {
    const yaml::Node* rules = group != nullptr ? group->get("rules") : nullptr;
    if (rules == nullptr || !rules->is_sequence()) continue;
    for (const yaml::Node* rule : rules->items) {
      const yaml::Node* record = rule != nullptr ? rule->get("record") : nullptr;
      if (record == nullptr || !RE2::PartialMatch(record->str(), kBudget)) continue;
      collect_text(rule, out);
    }
  }
  return out;
}

// Whether `word` appears in `text` delimited by characters that cannot be part of a name.
bool mentions(std::string_view text, std::string_view word) {
  if (word.empty()) return false;
  const auto is_name_char = [](char c) {
    return std::isalnum(static_cast<unsigned char>(c)) != 0 || c == '-' || c == '_';
  };
  for (std::size_t at = text.find(word); at != std::string_view::npos; at = text.find(word, at + 1)) {
    const bool starts = at == 0 || !is_name_char(text[at - 1]);
    const std::size_t end = at + word.size();
    const bool ends = end == text.size() || !is_name_char(text[end]);
    if (starts && ends) return true;
  }
  return false;
}

class SloDefinedCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    const kube::ManifestSet& set = context.manifests();
    // Everything the repository's objectives say, lower-cased, one text per objective source.
    std::vector<std::string> objectives;
    for (const kube::Object& object : set.objects()) {
      std::string text;
      if (is_slo_object(object)) collect_text(object.root, text);
      else if (object.kind == "PrometheusRule") text = error_budget_rules_text(object);
      if (!text.empty()) objectives.push_back(text::to_lower(text));
    }
    if (objectives.empty()) return;  // no SLO tooling here: not judged

    const kubernetes::ProjectImages project(context.workspace());
    std::set<const kube::Object*> production_workloads;
    kubernetes::for_each_workload_image(set, [&](const kubernetes::WorkloadImage& use) {
      if (use.object.kind != "Deployment" && use.object.kind != "StatefulSet") return;
      if (use.production && project.builds(use.image)) production_workloads.insert(&use.object);
    });
    std::set<std::string> reported;  // a chart rendered for several environments: one finding per workload name
    for (const kube::Object* workload : production_workloads) {
      const auto names = names_of(set, *workload);
      const bool covered = std::any_of(objectives.begin(), objectives.end(), [&](const std::string& objective) {
        return std::any_of(names.begin(), names.end(), [&](const std::string& name) { return mentions(objective, name); });
      });
      if (covered || !reported.insert(workload->display_name()).second) continue;
      const yaml::Node* name = workload->metadata != nullptr ? workload->metadata->get("name") : nullptr;
      kubernetes::report(out, *workload, name,
                         fmt::format("{} is a production service{} but no SLO names it (no OpenSLO, Sloth or Pyrra "
                                     "objective, nor error-budget rule, mentions {}), while the repository defines "
                                     "SLOs for others",
                                     workload->display_name(), kubernetes::production_note(*workload->production()),
                                     kubernetes::join_and(std::vector<std::string>(names.begin(), names.end()))));
    }
  }

 private:
  // The names an objective may use for `workload`, lower-cased: its own, its
  // `app`/`app.kubernetes.io/name` labels and those of the Services selecting its pods.
  static std::set<std::string> names_of(const kube::ManifestSet& set, const kube::Object& workload) {
    std::set<std::string> names;
    if (!workload.name.empty()) names.insert(text::to_lower(workload.name));
    const auto tmpl = kube::pod_template(workload);
    const yaml::Node* pod_labels = tmpl && tmpl->metadata != nullptr ? tmpl->metadata->get("labels") : nullptr;
    for (const yaml::Node* labels : {pod_labels, workload.metadata != nullptr ? workload.metadata->get("labels") : nullptr}) {
      if (labels == nullptr || !labels->is_mapping()) continue;
      for (std::string_view key : {"app", "app.kubernetes.io/name"})
        if (const yaml::Node* value = labels->get(key); value != nullptr && !value->str().empty())
          names.insert(text::to_lower(value->str()));
    }
    for (const kube::Object* service : set.of_kind("Service")) {
      const yaml::Node* selector = service->root->at("spec", "selector");
      if (selector == nullptr || !selector->is_mapping() || selector->entries.empty() || pod_labels == nullptr) continue;
      bool selects = true;
      for (const yaml::Entry& entry : selector->entries) {
        const yaml::Node* have = pod_labels->get(entry.key->str());
        selects = selects && have != nullptr && entry.value != nullptr && have->str() == entry.value->str();
      }
      if (selects && !service->name.empty()) names.insert(text::to_lower(service->name));
    }
    return names;
  }
};

}  // namespace slo_defined_check
}  // namespace

std::unique_ptr<engine::Check> make_slo_defined_check() {
  return engine::make_check<slo_defined_check::SloDefinedCheck>();
}

}  // namespace constable::checks::observability
