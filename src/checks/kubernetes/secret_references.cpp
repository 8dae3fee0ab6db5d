// kubernetes/secret-references: "Secrets for sensitive data (encrypted at
// rest)". A container's credential comes from a Secret (secretKeyRef,
// envFrom secretRef, a secret volume), never a literal env value.

#include <fmt/format.h>

#include "checks/common/secret_heuristics.hpp"
#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace secret_references_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/secret-references",
    .domain = "kubernetes",
    .nature = Nature::security,
    .summary = "Give containers credentials through Secrets, not literal env values",
    .rationale =
        "A literal env value is part of the manifest: it is committed, shown by `kubectl describe` and "
        "never encrypted at rest; a Secret reference keeps the value in the secret store's hands.",
    .remediation =
        "Replace `value:` with valueFrom.secretKeyRef (or envFrom.secretRef) pointing at a Secret "
        "synchronised by the External Secrets Operator.",
    .bad_example = "env:\n  - name: DB_PASSWORD\n    value: s3cr3t-value\n",
    .good_example =
        "env:\n  - name: DB_PASSWORD\n    valueFrom:\n      secretKeyRef: {name: orders-db, key: password}\n",
    .parameters = "",
    .clause = {.section = "kubernetes", .text = "secrets for sensitive data"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
    .supersedes = "secrets/hardcoded-secret",
};

class SecretReferencesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for_each_pod_template(context.manifests(), [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      for (const auto& c : kube::containers(tmpl.spec)) {
        const yaml::Node* env = c.node->get("env");
        if (env == nullptr || !env->is_sequence()) continue;
        for (const yaml::Node* var : env->items) {
          if (!var->is_mapping()) continue;
          const yaml::Node* name = var->get("name");
          const yaml::Node* value = var->get("value");
          if (name == nullptr || value == nullptr || value->str().empty() || !secrets::is_secret_name(name->str()))
            continue;
          if (value->str().starts_with("$(")) continue;  // a reference to another variable
          if (secrets::is_placeholder(value->str())) continue;  // GOOGLE_API_KEY_VAL, <token>, changeme
          engine::Emission e =
              emission_at(object, value,
                          fmt::format("container '{}' of {} sets {} to a literal value instead of a Secret reference",
                                      c.name, object.display_name(), name->str()));
          mark_secret(e, object, value);
          out.emit(std::move(e));
        }
      }
    });
  }
};

}  // namespace secret_references_check
}  // namespace

std::unique_ptr<engine::Check> make_secret_references_check() {
  return engine::make_check<secret_references_check::SecretReferencesCheck>();
}

}  // namespace constable::checks::kubernetes
