// kubernetes/external-secrets: "External Secrets Operator for cloud provider
// secret integration". A Secret committed with its data is a secret in git;
// the repository should hold an ExternalSecret that names the store instead.

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_checks.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"

namespace constable::checks::kubernetes {

namespace {
namespace external_secrets_check {

constexpr engine::CheckInfo kInfo{
    .id = "kubernetes/external-secrets",
    .domain = "kubernetes",
    .nature = Nature::security,
    .summary = "Commit ExternalSecrets, not Secrets with data",
    .rationale =
        "base64 is an encoding, not encryption: a Secret manifest with data discloses the credential to "
        "everyone with the repository, forever. The External Secrets Operator creates the Secret in the "
        "cluster from the cloud provider's secret store.",
    .remediation =
        "Replace the Secret with an ExternalSecret (external-secrets.io) whose secretStoreRef names a "
        "SecretStore or ClusterSecretStore, and rotate the committed value.",
    .bad_example = "kind: Secret\ndata:\n  password: aHVudGVyMg==\n",
    .good_example =
        "kind: ExternalSecret\nspec:\n  secretStoreRef: {name: aws, kind: ClusterSecretStore}\n"
        "  data:\n    - secretKey: password\n      remoteRef: {key: prod/orders/db}\n",
    .parameters = "",
    .clause = {.section = "kubernetes", .text = "external secrets operator"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a Kubernetes object is found, whatever the paths say
    .scope = engine::Scope::manifests,
    .supersedes = "secrets/hardcoded-secret",
    .not_at_admission =
        "it judges what a repository commits; "
        "a cluster holds Secrets with data by design (External Secrets Operator writes them)",
};

bool has_entries(const yaml::Node* n) { return n != nullptr && n->is_mapping() && !n->entries.empty(); }

class ExternalSecretsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object* object : context.manifests().of_kind("Secret")) {
      // Service-account tokens are filled in by the cluster, not committed values.
      if (const yaml::Node* type = object->root->get("type");
          type != nullptr && type->str() == "kubernetes.io/service-account-token")
        continue;
      for (const char* key : {"data", "stringData"}) {
        const yaml::Entry* entry = object->root->find(key);
        if (entry == nullptr || !has_entries(entry->value)) continue;
        // A chart's Secret is not committed as such: its template is, and
        // the values (or whoever installs the chart) fill it in.
        const bool rendered = object->source->origins != nullptr;
        engine::Emission e = emission_at(
            *object, entry->key,
            rendered ? fmt::format("{} is created by the chart with {} key(s) of {}; template an ExternalSecret instead",
                                   object->display_name(), entry->value->entries.size(), key)
                     : fmt::format("{} is committed with {} key(s) of {}; use an ExternalSecret",
                                   object->display_name(), entry->value->entries.size(), key));
        if (!rendered)
          for (const auto& item : entry->value->entries) e.secrets.push_back(kube::range_of(item.value));
        out.emit(std::move(e));
      }
    }
    for (const kube::Object* object : context.manifests().of_kind("ExternalSecret")) {
      const yaml::Node* spec = object->root->get("spec");
      if (spec == nullptr) continue;
      const yaml::Node* store = spec->at("secretStoreRef", "name");
      bool per_source_store = false;  // dataFrom/data entries may name their own sourceRef.storeRef
      for (const char* key : {"data", "dataFrom"}) {
        const yaml::Node* list = spec->get(key);
        if (list == nullptr || !list->is_sequence()) continue;
        for (const yaml::Node* item : list->items)
          per_source_store =
              per_source_store || (item->is_mapping() && item->at("sourceRef", "storeRef", "name") != nullptr);
      }
      if ((store == nullptr || store->str().empty()) && !per_source_store)
        report(out, *object, nullptr,
               fmt::format("ExternalSecret {} names no secretStoreRef, so no secret store backs it",
                           object->display_name()));
    }
  }
};

}  // namespace external_secrets_check
}  // namespace

std::unique_ptr<engine::Check> make_external_secrets_check() {
  return engine::make_check<external_secrets_check::ExternalSecretsCheck>();
}

}  // namespace constable::checks::kubernetes
