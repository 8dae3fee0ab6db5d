// secrets/values-file-secret: Helm values files hold no secrets ("Secrets
// MUST NOT be committed in values files"); they come from a secret store.

#include "checks/secrets/secret_findings.hpp"
#include "checks/secrets/secrets_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::secrets {

namespace {
namespace values_file_secret_check {

constexpr engine::CheckInfo kInfo{
    .id = "secrets/values-file-secret",
    .domain = "secrets",
    .nature = Nature::security,
    .summary = "Keep secrets out of Helm values files",
    .rationale = "Values files are rendered into manifests, copied between environments and printed by "
                 "`helm get values`; a secret in one leaks to everyone who can read the chart or the release.",
    .remediation = "Reference a Kubernetes Secret created by the External Secrets Operator (or another secret "
                   "store) from the template, e.g. secretKeyRef, and keep only its name in values.yaml.",
    .bad_example = "database:\n  password: Zq8mW2rT5vL9xKp4hQ7n\n",
    .good_example = "database:\n  existingSecret: orders-db  # created by ExternalSecret orders-db\n",
    .parameters = "",
    .clause = {.section = "values|helm", .text = "secrets.*(must not|never).*values files?"},
    .file_kind = FileKind::yaml,
    .stack = "helm",
    .scope = engine::Scope::files_of_kind,
    .supersedes = "secrets/hardcoded-secret",
};

// values.yaml, values-prod.yaml, values.production.yml, ...
bool is_values_file(std::string_view path) {
  const auto slash = path.rfind('/');
  const std::string name = text::to_lower(slash == std::string_view::npos ? path : path.substr(slash + 1));
  return name.starts_with("values") && (name.ends_with(".yaml") || name.ends_with(".yml"));
}

class ValuesFileSecretCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }
  bool judges_path(std::string_view path) const override { return is_values_file(path); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (!judges_path(file.file().path)) return;
    report_secrets(file, out, "committed in a Helm values file");
  }
};

}  // namespace values_file_secret_check
}  // namespace

std::unique_ptr<engine::Check> make_values_file_secret_check() {
  return engine::make_check<values_file_secret_check::ValuesFileSecretCheck>();
}

}  // namespace constable::checks::secrets
