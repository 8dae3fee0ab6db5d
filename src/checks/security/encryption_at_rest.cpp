// security/encryption-at-rest: "Data at rest MUST be encrypted". Where the
// repository says how data is stored unencrypted, explicitly: an AWS EBS
// StorageClass with `encrypted: "false"`, or an API server
// EncryptionConfiguration whose first provider is `identity` (Secrets
// written to etcd in plaintext).

#include <fmt/format.h>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/security/security_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::security {

namespace {
namespace encryption_at_rest_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/encryption-at-rest",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Do not store volumes or Secrets unencrypted",
    .rationale =
        "A disk snapshot, a decommissioned drive or an etcd backup is readable by whoever holds it unless the "
        "data was encrypted when written. Judged only where the repository's own objects decide it beyond "
        "doubt: a StorageClass of the AWS EBS provisioners (ebs.csi.aws.com, kubernetes.io/aws-ebs) with "
        "parameters.encrypted \"false\", and an EncryptionConfiguration (apiserver.config.k8s.io) whose first "
        "provider for a resource is `identity`, which writes new objects in plaintext. A StorageClass that says "
        "nothing is left to the account's default encryption, and other clouds encrypt disks always.",
    .remediation =
        "Set `encrypted: \"true\"` (with a `kmsKeyId` for a customer-managed AES-256 key) on the StorageClass; "
        "list `kms` (v2), `aesgcm` or `aescbc` before `identity` in the EncryptionConfiguration.",
    .bad_example = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: gp3}\n"
                   "provisioner: ebs.csi.aws.com\nparameters:\n  type: gp3\n  encrypted: \"false\"\n",
    .good_example = "apiVersion: storage.k8s.io/v1\nkind: StorageClass\nmetadata: {name: gp3}\n"
                    "provisioner: ebs.csi.aws.com\nparameters:\n  type: gp3\n  encrypted: \"true\"\n",
    .parameters = "",
    .clause = {.section = "data protection|security", .text = "at rest"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a StorageClass or EncryptionConfiguration is found
    .scope = engine::Scope::manifests,
};

class EncryptionAtRestCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object& object : context.manifests().objects()) {
      if (object.kind == "StorageClass" && object.api_version.starts_with("storage.k8s.io/")) {
        const yaml::Node* provisioner = object.root->get("provisioner");
        if (provisioner == nullptr ||
            (provisioner->str() != "ebs.csi.aws.com" && provisioner->str() != "kubernetes.io/aws-ebs"))
          continue;
        const yaml::Node* encrypted = object.root->at("parameters", "encrypted");
        if (encrypted != nullptr && text::to_lower(encrypted->str()) == "false")
          kubernetes::report(out, object, encrypted,
                             fmt::format("{} provisions EBS volumes unencrypted (encrypted: \"false\")",
                                         object.display_name()));
      } else if (object.kind == "EncryptionConfiguration" &&
                 object.api_version.starts_with("apiserver.config.k8s.io/")) {
        const yaml::Node* resources = object.root->get("resources");
        if (resources == nullptr || !resources->is_sequence()) continue;
        for (const yaml::Node* entry : resources->items) {
          const yaml::Node* providers = entry->is_mapping() ? entry->get("providers") : nullptr;
          if (providers == nullptr || !providers->is_sequence() || providers->items.empty()) continue;
          const yaml::Node* first = providers->items.front();
          const yaml::Entry* identity = first->is_mapping() ? first->find("identity") : nullptr;
          if (identity == nullptr) continue;
          std::vector<std::string> names;
          if (const yaml::Node* list = entry->get("resources"); list != nullptr && list->is_sequence())
            for (const yaml::Node* name : list->items) names.emplace_back(name->str());
          kubernetes::report(out, object, identity->key,
                             fmt::format("{} writes {} to etcd unencrypted: its first provider is identity",
                                         object.display_name(),
                                         names.empty() ? std::string("these resources") : kubernetes::join_and(names)));
        }
      }
    }
  }
};

}  // namespace encryption_at_rest_check
}  // namespace

std::unique_ptr<engine::Check> make_encryption_at_rest_check() {
  return engine::make_check<encryption_at_rest_check::EncryptionAtRestCheck>();
}

}  // namespace constable::checks::security
