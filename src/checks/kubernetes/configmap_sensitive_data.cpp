// kubernetes/configmap-sensitive-data: "ConfigMaps for non-sensitive
// configuration". A ConfigMap key named like a credential, or a value the
// secret scanner recognises, belongs in a Secret.

#include <fmt/format.h>

#include "checks/common/secret_heuristics.hpp"
#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "secrets/scanner.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace configmap_sensitive_data_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/configmap-sensitive-data",
    .domain = "kubernetes",
    .nature = Nature::security,
    .summary = "Keep credentials out of ConfigMaps",
    .rationale =
        "ConfigMaps are readable by anyone who can read the namespace's configuration, are not "
        "encrypted at rest and end up in logs and dashboards; credentials in them are disclosed.",
    .remediation =
        "Move the value to a Secret (created by the External Secrets Operator) and reference it with "
        "secretKeyRef or a secret volume.",
    .bad_example = "kind: ConfigMap\ndata:\n  DB_PASSWORD: hunter2-but-longer\n",
    .good_example = "kind: ConfigMap\ndata:\n  LOG_LEVEL: info\n",
    .parameters = "",
    .clause = {.section = "kubernetes", .text = "configmaps? for non-sensitive"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
    .supersedes = "secrets/hardcoded-secret",
};

class ConfigMapSensitiveDataCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object* object : context.manifests().of_kind("ConfigMap")) {
      const yaml::Node* data = object->root->get("data");
      if (data == nullptr || !data->is_mapping()) continue;
      for (const auto& entry : data->entries) {
        const std::string_view key = entry.key->str();
        const std::string_view value = entry.value->str();
        const bool named = secrets::is_secret_name(key) && !secrets::is_placeholder(value);
        const bool scanned = !named && !constable::secrets::Scanner::builtin().scan(value, {}).empty();
        if (!named && !scanned) continue;
        engine::Emission e = emission_at(*object, entry.key,
                                         fmt::format("ConfigMap {} holds {} under '{}'", object->display_name(),
                                                     named ? "a credential-like value" : "a secret", key));
        mark_secret(e, *object, entry.value);
        out.emit(std::move(e));
      }
    }
  }
};

}  // namespace configmap_sensitive_data_check
}  // namespace

std::unique_ptr<engine::Check> make_configmap_sensitive_data_check() {
  return engine::make_check<configmap_sensitive_data_check::ConfigMapSensitiveDataCheck>();
}

}  // namespace constable::checks::kubernetes
