// kubernetes/config-rollout: "Configuration changes MUST trigger rolling
// updates". Pods read ConfigMaps and Secrets at start; a change reaches them
// only if it changes the pod template: a checksum annotation, a kustomize
// generator's hash suffix, or a reloader that restarts them.

#include <fmt/format.h>

#include <set>

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace config_rollout_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/config-rollout",
    .domain = "kubernetes",
    .nature = Nature::reliability,
    .summary = "Roll workloads when the ConfigMaps and Secrets they use change",
    .rationale =
        "Editing a ConfigMap does not restart the pods that use it: they keep the old configuration "
        "until something else restarts them, so a change is deployed at an unknown time.",
    .remediation =
        "Annotate the pod template with a checksum of the configuration (Helm: checksum/config: "
        "{{ include (print $.Template.BasePath \"/configmap.yaml\") . | sha256sum }}), generate the "
        "ConfigMap with kustomize's configMapGenerator (hash suffix), or use a reloader annotation.",
    .bad_example = "template:\n  spec:\n    containers:\n      - envFrom: [{configMapRef: {name: web-config}}]\n",
    .good_example =
        "template:\n  metadata:\n    annotations:\n      checksum/config: 5e1f...\n  spec:\n"
        "    containers:\n      - envFrom: [{configMapRef: {name: web-config}}]\n",
    .parameters = "",
    .clause = {.section = "kubernetes|configuration", .text = "configuration changes.*(trigger|roll)"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
};

struct Reference {
  std::string kind;  // ConfigMap or Secret
  std::string name;
  const yaml::Node* node;
};

void add(std::vector<Reference>& out, const char* kind, const yaml::Node* name) {
  if (name != nullptr && name->is_scalar() && !name->str().empty())
    out.push_back({kind, std::string(name->str()), name});
}

std::vector<Reference> references(const yaml::Node* pod_spec) {
  std::vector<Reference> out;
  if (const yaml::Node* volumes = pod_spec->get("volumes"); volumes != nullptr && volumes->is_sequence()) {
    for (const yaml::Node* v : volumes->items) {
      if (!v->is_mapping()) continue;
      add(out, "ConfigMap", v->at("configMap", "name"));
      add(out, "Secret", v->at("secret", "secretName"));
      if (const yaml::Node* sources = v->at("projected", "sources"); sources != nullptr && sources->is_sequence())
        for (const yaml::Node* s : sources->items) {
          add(out, "ConfigMap", s->at("configMap", "name"));
          add(out, "Secret", s->at("secret", "name"));
        }
    }
  }
  for (const auto& c : kube::containers(pod_spec)) {
    if (const yaml::Node* env_from = c.node->get("envFrom"); env_from != nullptr && env_from->is_sequence())
      for (const yaml::Node* e : env_from->items) {
        add(out, "ConfigMap", e->at("configMapRef", "name"));
        add(out, "Secret", e->at("secretRef", "name"));
      }
    if (const yaml::Node* env = c.node->get("env"); env != nullptr && env->is_sequence())
      for (const yaml::Node* e : env->items) {
        add(out, "ConfigMap", e->at("valueFrom", "configMapKeyRef", "name"));
        add(out, "Secret", e->at("valueFrom", "secretKeyRef", "name"));
      }
  }
  return out;
}

// Annotations that make a configuration change change the pod template, or
// make a controller restart the pods.
bool rolls_on_change(const yaml::Node* annotations) {
  if (annotations == nullptr || !annotations->is_mapping()) return false;
  for (const auto& e : annotations->entries) {
    const std::string_view key = e.key->str();
    if (key.starts_with("checksum/") || key.find("checksum") != std::string_view::npos ||
        key.find("config-hash") != std::string_view::npos ||
        key.find("reloader.stakater.com") != std::string_view::npos || key.starts_with("secret.reloader") ||
        key.starts_with("configmap.reloader"))
      return true;
  }
  return false;
}

class ConfigRolloutCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    std::set<std::pair<std::string, std::string>> hashed;  // generated with a hash suffix
    for (const auto& k : context.manifests().kustomizations())
      for (const auto& g : k.generators)
        if (g.hashed) hashed.emplace(g.kind, g.name);
    for_each_pod_template(context.manifests(), [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      if (!kube::is_long_running(object.kind)) return;
      const yaml::Node* annotations = tmpl.metadata != nullptr ? tmpl.metadata->get("annotations") : nullptr;
      if (rolls_on_change(annotations) || rolls_on_change(object.annotations())) return;
      std::vector<std::string> unrolled;
      const yaml::Node* first = nullptr;
      std::set<std::string> seen;
      for (const auto& ref : references(tmpl.spec)) {
        if (hashed.contains({ref.kind, ref.name})) continue;
        if (!seen.insert(ref.kind + "/" + ref.name).second) continue;
        unrolled.push_back(fmt::format("{} '{}'", ref.kind, ref.name));
        if (first == nullptr) first = ref.node;
      }
      if (unrolled.empty()) return;
      report(out, object, first,
             fmt::format("{} does not roll when {} change{}: no checksum annotation on its pod template and no "
                         "generator hash suffix",
                         object.display_name(), join_and(unrolled), unrolled.size() == 1 ? "s" : ""));
    });
  }
};

}  // namespace config_rollout_check
}  // namespace

std::unique_ptr<engine::Check> make_config_rollout_check() {
  return engine::make_check<config_rollout_check::ConfigRolloutCheck>();
}

}  // namespace constable::checks::kubernetes
