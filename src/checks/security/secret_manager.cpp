// security/secret-manager: "HashiCorp Vault or cloud provider secret
// managers MUST be used". A workload that reads a Secret the repository
// itself creates (a Secret manifest with data, a chart's Secret, a
// kustomize secretGenerator) gets a value that lives in git or in values,
// not in Vault or a cloud secret manager.

#include <fmt/format.h>

#include <map>
#include <set>
#include <string>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/security/security_checks.hpp"

namespace constable::checks::security {

namespace {
namespace secret_manager_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/secret-manager",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Feed workloads secrets from Vault or a cloud secret manager, not from Secrets the repository writes",
    .rationale =
        "A secret manager keeps the value out of git, audits every read and can rotate it; a Secret the "
        "repository writes (a manifest with data, a chart template filled from values, a kustomize "
        "secretGenerator reading a file) keeps it wherever the repository or its values live. Judged: the "
        "Secrets workloads read (env secretKeyRef, envFrom secretRef, secret and projected volumes) that the "
        "repository creates itself with data or from a generator; a chart's Secret, rendered with an "
        "environment's values file (values-prod.yaml: the repository deploys the chart itself), when a value of "
        "it comes from a values file (one the chart generates at install time is in no file). Secrets created in the cluster by something "
        "else (an ExternalSecret's or SecretProviderClass's target, a Vault Secrets Operator destination, an "
        "operator's generated credentials, a Secret the repository never defines) are not judged, nor are "
        "service-account token Secrets.",
    .remediation =
        "Store the value in Vault or the cloud's secret manager and let the cluster fetch it: an ExternalSecret "
        "(External Secrets Operator) whose target is the Secret the workload reads, a SecretProviderClass (the "
        "Secrets Store CSI driver), or Vault's agent injector or Secrets Operator; then delete the Secret from "
        "the repository.",
    .bad_example = "kind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2}\n---\nkind: Deployment\n"
                   "...\n        env:\n          - name: DB_PASSWORD\n            valueFrom: {secretKeyRef: {name: db, key: password}}\n",
    .good_example = "kind: ExternalSecret\nmetadata: {name: db}\nspec:\n  secretStoreRef: {name: vault, kind: "
                    "ClusterSecretStore}\n  target: {name: db}\n  data: [{secretKey: password, remoteRef: {key: "
                    "shop/db}}]\n",
    .parameters = "",
    .clause = {.section = "secrets|security", .text = "vault|secret managers?"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever a workload reads a Secret the repository writes
    .scope = engine::Scope::manifests,
};

bool has_entries(const yaml::Node* n) { return n != nullptr && n->is_mapping() && !n->entries.empty(); }

// The chart an object was rendered from (its template's directory above
// templates/), "" for an object of a repository file.
std::string chart_of(const kube::Object& object) {
  if (object.source->origins == nullptr) return {};
  const std::string& path = object.source->path;
  const auto templates = path.rfind("/templates/");
  return templates == std::string::npos ? path : path.substr(0, templates);
}

bool value_from_values_file(const kube::Object& secret) {
  const auto* origins = secret.source->origins;
  for (const char* key : {"data", "stringData"}) {
    const yaml::Node* entries = secret.root->get(key);
    if (!has_entries(entries)) continue;
    for (const auto& entry : entries->entries) {
      const int line = kube::range_of(entry.value).line;
      if (line >= 1 && static_cast<std::size_t>(line) <= origins->size() &&
          !(*origins)[static_cast<std::size_t>(line - 1)].value_path.empty() && !entry.value->str().empty())
        return true;
    }
  }
  return false;
}

// The Secret names a pod spec reads, each with the node that names it.
std::vector<std::pair<std::string, const yaml::Node*>> secrets_read(const yaml::Node* pod_spec) {
  std::vector<std::pair<std::string, const yaml::Node*>> out;
  auto add = [&](const yaml::Node* name) {
    if (name != nullptr && name->is_scalar() && !name->str().empty()) out.emplace_back(std::string(name->str()), name);
  };
  for (const auto& container : kube::containers(pod_spec)) {
    if (const yaml::Node* env = container.node->get("env"); env != nullptr && env->is_sequence())
      for (const yaml::Node* var : env->items)
        if (var->is_mapping()) add(var->at("valueFrom", "secretKeyRef", "name"));
    if (const yaml::Node* from = container.node->get("envFrom"); from != nullptr && from->is_sequence())
      for (const yaml::Node* source : from->items)
        if (source->is_mapping()) add(source->at("secretRef", "name"));
  }
  if (const yaml::Node* volumes = pod_spec->get("volumes"); volumes != nullptr && volumes->is_sequence())
    for (const yaml::Node* volume : volumes->items) {
      if (!volume->is_mapping()) continue;
      add(volume->at("secret", "secretName"));
      if (const yaml::Node* sources = volume->at("projected", "sources"); sources != nullptr && sources->is_sequence())
        for (const yaml::Node* source : sources->items)
          if (source->is_mapping()) add(source->at("secret", "name"));
    }
  return out;
}

class SecretManagerCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    // Secrets the repository writes: (chart, name) -> where.
    std::map<std::pair<std::string, std::string>, std::string> written;
    for (const kube::Object* secret : context.manifests().of_kind("Secret")) {
      if (secret->api_version != "v1" || secret->name.empty()) continue;
      if (const yaml::Node* type = secret->root->get("type");
          type != nullptr && type->str() == "kubernetes.io/service-account-token")
        continue;
      if (!has_entries(secret->root->get("data")) && !has_entries(secret->root->get("stringData"))) continue;
      // A chart's Secret counts when a value comes from a values file: one
      // generated at install time (randAlphaNum, genCA) is in no file.
      // A chart rendered only with its default values is a package for others
      // to configure (with their own existingSecret); one rendered with an
      // environment's values (values-prod.yaml) is this repository's deployment.
      if (secret->source->origins != nullptr &&
          (!(secret->source->production || secret->source->non_production) || !value_from_values_file(*secret)))
        continue;
      written.emplace(std::pair(chart_of(*secret), secret->name), secret->source->origins != nullptr
                                        ? fmt::format("the chart's {}, filled from values", secret->display_name())
                                        : fmt::format("{} in {}", secret->display_name(), secret->source->path));
    }
    for (const kube::Kustomization& k : context.manifests().kustomizations())
      for (const kube::Generator& generator : k.generators)
        if (generator.kind == "Secret" && !generator.name.empty())
          written.emplace(std::pair(std::string(), generator.name), fmt::format("the secretGenerator of {}", k.path));
    // Names a secret manager fills in the cluster take precedence: the repository's Secret is then a leftover.
    std::set<std::string, std::less<>> managed;
    for (const kube::Object& object : context.manifests().objects()) {
      if (object.kind == "ExternalSecret") {
        const yaml::Node* target = object.root->at("spec", "target", "name");
        managed.insert(target != nullptr && !target->str().empty() ? std::string(target->str()) : object.name);
      } else if (object.kind == "SecretProviderClass") {
        if (const yaml::Node* objects = object.root->at("spec", "secretObjects"); objects != nullptr && objects->is_sequence())
          for (const yaml::Node* item : objects->items)
            if (item->is_mapping() && item->get("secretName") != nullptr) managed.insert(std::string(item->get("secretName")->str()));
      } else if (object.kind == "VaultStaticSecret" || object.kind == "VaultDynamicSecret" ||
                 object.kind == "HCPVaultSecretsApp") {
        if (const yaml::Node* name = object.root->at("spec", "destination", "name")) managed.insert(std::string(name->str()));
      }
    }
    if (written.empty()) return;
    kubernetes::for_each_pod_template(context.manifests(), [&](const kube::Object& object, const kube::PodTemplate& tmpl) {
      std::set<std::string> reported;
      for (const auto& [name, node] : secrets_read(tmpl.spec)) {
        // A chart reads its own Secrets: another chart's Secret of the same name is another release's.
        const auto it = written.find(std::pair(chart_of(object), name));
        if (it == written.end() || managed.contains(name) || !reported.insert(name).second) continue;
        kubernetes::report(out, object, node,
                           fmt::format("{} reads Secret '{}', which the repository writes itself ({}): its value "
                                       "does not come from Vault or a cloud secret manager",
                                       object.display_name(), name, it->second));
      }
    });
  }
};

}  // namespace secret_manager_check
}  // namespace

std::unique_ptr<engine::Check> make_secret_manager_check() {
  return engine::make_check<secret_manager_check::SecretManagerCheck>();
}

}  // namespace constable::checks::security
