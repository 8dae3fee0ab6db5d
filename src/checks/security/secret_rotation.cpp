// security/secret-rotation: "Secrets rotation MUST be automated". A secret
// rotated in the store reaches the cluster only if the External Secrets
// Operator refreshes it: an ExternalSecret with refreshInterval 0 or
// refreshPolicy CreatedOnce keeps the first value for ever.

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/security/security_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::security {

namespace {
namespace secret_rotation_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/secret-rotation",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Let rotated secrets reach the cluster: keep ExternalSecrets refreshing",
    .rationale =
        "Rotation is automated only end to end: the store rotates the value, and the External Secrets Operator "
        "writes the new value into the Secret on its next refresh. `refreshInterval: 0` (or `0s`, `0m`) and "
        "`refreshPolicy: CreatedOnce` switch the refresh off, so the cluster keeps the first value and a rotation "
        "breaks the application or never happens. Judged: every ExternalSecret and ClusterExternalSecret "
        "(external-secrets.io) of the repository, rendered charts included.",
    .remediation =
        "Remove `refreshInterval: 0` (the default is 1h) or set the interval the rotation needs, and use "
        "refreshPolicy Periodic (or OnChange with a controller that bumps the object on rotation).",
    .bad_example = "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: db}\nspec:\n"
                   "  refreshInterval: \"0\"\n  secretStoreRef: {name: vault, kind: ClusterSecretStore}\n",
    .good_example = "apiVersion: external-secrets.io/v1\nkind: ExternalSecret\nmetadata: {name: db}\nspec:\n"
                    "  refreshInterval: 15m\n  secretStoreRef: {name: vault, kind: ClusterSecretStore}\n",
    .parameters = "",
    .clause = {.section = "secrets|security", .text = "rotation"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever an ExternalSecret is found
    .scope = engine::Scope::manifests,
};

// "0", "0s", "0m0s", "0h": a Go duration of zero.
bool zero_duration(std::string_view value) {
  if (value.empty()) return false;
  for (char c : value)
    if (c != '0' && c != 'h' && c != 'm' && c != 's') return false;
  return value.front() == '0';
}

class SecretRotationCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object& object : context.manifests().objects()) {
      if (!object.api_version.starts_with("external-secrets.io/")) continue;
      const yaml::Node* spec = nullptr;
      if (object.kind == "ExternalSecret") spec = object.root->get("spec");
      else if (object.kind == "ClusterExternalSecret") spec = object.root->at("spec", "externalSecretSpec");
      if (spec == nullptr || !spec->is_mapping()) continue;
      if (const yaml::Node* policy = spec->get("refreshPolicy"); policy != nullptr && policy->str() == "CreatedOnce") {
        kubernetes::report(out, object, policy,
                           fmt::format("{} is fetched once (refreshPolicy CreatedOnce): a secret rotated in the store "
                                       "never reaches the cluster",
                                       object.display_name()));
        continue;
      }
      if (const yaml::Node* interval = spec->get("refreshInterval");
          interval != nullptr && zero_duration(text::trim(interval->str())))
        kubernetes::report(out, object, interval,
                           fmt::format("{} never refreshes (refreshInterval {}): a secret rotated in the store never "
                                       "reaches the cluster",
                                       object.display_name(), interval->str()));
    }
  }
};

}  // namespace secret_rotation_check
}  // namespace

std::unique_ptr<engine::Check> make_secret_rotation_check() {
  return engine::make_check<secret_rotation_check::SecretRotationCheck>();
}

}  // namespace constable::checks::security
