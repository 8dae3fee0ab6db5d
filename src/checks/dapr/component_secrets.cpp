// dapr/component-secrets: "Secrets MUST be managed via Dapr Secret Store".
// A Component's credential comes from a secret store (secretKeyRef), never a
// literal `value:` in its metadata.

#include <fmt/format.h>

#include <algorithm>
#include <array>
#include <cctype>

#include "checks/common/secret_heuristics.hpp"
#include "checks/dapr/dapr_checks.hpp"
#include "checks/dapr/dapr_support.hpp"
#include "checks/kubernetes/kubernetes_support.hpp"
#include "core/text.hpp"

namespace constable::checks::dapr {

namespace {
namespace component_secrets_check {

constexpr engine::CheckInfo kInfo{
    .id = "dapr/component-secrets",
    .domain = "dapr",
    .nature = Nature::security,
    .summary = "Give Dapr components their credentials through a secret store (secretKeyRef)",
    .rationale =
        "A literal credential in a Component's metadata is committed with it and readable by anyone who can "
        "read the repository or list the Component in the cluster; a `secretKeyRef` leaves the value in a Dapr "
        "secret store (Kubernetes secrets, Vault, Key Vault...), where it is access-controlled and rotated. "
        "A metadata item is a credential when its name says so (redisPassword, accessKey, secretKey, "
        "accountKey, masterKey, clientSecret, vaultToken, apiKey...) or when a connection string or URL "
        "embeds a password (`password=...`, `AccountKey=...`, `amqp://user:password@host`). Values the "
        "repository does not state are not judged: empty values, placeholders (`changeme`, `<password>`), "
        "stand-ins (`foo`, a value equal to its name), the name of a file holding the credential "
        "(`private.key`, `/certs/client.key`), "
        "and references the deployment resolves (`{env:NAME}`, `${NAME}`, `envRef:`, Helm expressions): "
        "they put no credential in the repository, so this check leaves them alone.",
    .remediation =
        "Store the credential in a Dapr secret store and reference it: `secretKeyRef: {name: <secret>, key: "
        "<key>}` on the metadata item, with `auth.secretStore: <store>` outside Kubernetes.",
    .bad_example = "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n"
                   "  type: state.redis\n  version: v1\n  metadata:\n    - name: redisHost\n      value: redis:6379\n"
                   "    - name: redisPassword\n      value: s3cr3t-Redis-pw\n",
    .good_example = "apiVersion: dapr.io/v1alpha1\nkind: Component\nmetadata:\n  name: statestore\nspec:\n"
                    "  type: state.redis\n  version: v1\n  metadata:\n    - name: redisHost\n      value: redis:6379\n"
                    "    - name: redisPassword\n      secretKeyRef:\n        name: redis\n        key: password\n"
                    "auth:\n  secretStore: kubernetes\n",
    .parameters = "",
    .clause = {.section = "dapr", .text = "secret"},
    .file_kind = FileKind::yaml,
    .stack = "",  // only Dapr Components are judged, wherever they are
    .scope = engine::Scope::manifests,
    .supersedes = "secrets/hardcoded-secret",
};

// Whether a metadata item's name says its value is a credential. Beyond the
// shared heuristics, Dapr's components name Azure and TLS keys this way
// (accountKey, storageAccountKey, masterKey, clientKey); and some names
// around tokens describe them rather than hold one (tokenAudience, tokenScope).
bool is_credential_name(std::string_view name) {
  const std::vector<std::string> words = secrets::name_words(name);
  if (words.empty()) return false;
  static constexpr std::array<std::string_view, 5> kDescribes = {"AUDIENCE", "SCOPE", "SCOPES", "ISSUER", "CLAIM"};
  if (words.size() > 1 && std::find(kDescribes.begin(), kDescribes.end(), words.back()) != kDescribes.end())
    return false;
  if (secrets::is_secret_name(name)) return true;
  if (words.size() < 2 || words.back() != "KEY") return false;
  static constexpr std::array<std::string_view, 7> kKeyOwners = {"ACCOUNT", "MASTER", "SHARED",   "CLIENT",
                                                                 "PRIMARY", "STORAGE", "SECONDARY"};
  return std::find(kKeyOwners.begin(), kKeyOwners.end(), words[words.size() - 2]) != kKeyOwners.end();
}

// Whether a connection string or URL embeds a credential that is stated,
// not referred to or left as a placeholder.
bool has_embedded_credential(std::string_view value) {
  const std::string lower = text::to_lower(value);
  // ADO.NET, libpq and Azure shapes: "...;Password=...;", "password=... port=...", "AccountKey=...".
  for (std::string_view field : {"password=", "pwd=", "accountkey=", "sharedaccesskey="}) {
    for (std::size_t at = lower.find(field); at != std::string::npos; at = lower.find(field, at + 1)) {
      // "dbpwd=" is another field.
      if (at > 0 && std::isalnum(static_cast<unsigned char>(lower[at - 1])) != 0) continue;
      const std::size_t begin = at + field.size();
      std::size_t end = value.find_first_of("; \t\n&", begin);
      if (end == std::string_view::npos) end = value.size();
      if (end > begin && !secrets::is_placeholder(value.substr(begin, end - begin))) return true;
    }
  }
  for (const auto& [begin, end] : text::url_credential_spans(value, false))
    if (!secrets::is_placeholder(value.substr(begin, end - begin))) return true;
  return false;
}

// A value naming the file that holds the credential (Pulsar's `privateKey:
// private.key`, a TLS `clientKey: /certs/client.key`), not the credential.
bool names_a_file(std::string_view value) {
  if (value.find_first_of(" \t\n") != std::string_view::npos) return false;
  if (value.starts_with('/') || value.starts_with("./") || value.starts_with("../") || value.starts_with("~/"))
    return true;
  const std::string lower = text::to_lower(value);
  for (std::string_view extension : {".key", ".pem", ".crt", ".cer", ".p12", ".pfx", ".jks", ".json"})
    if (lower.ends_with(extension) && lower.size() > extension.size()) return true;
  return false;
}

// Stand-ins tests and samples use where no real credential is needed
// (`vaultToken: foo`, `password: password`).
bool is_dummy(std::string_view value, std::string_view name) {
  const std::string lower = text::to_lower(value);
  return lower == "foo" || lower == "bar" || lower == "baz" || lower == "foobar" || text::iequals(value, name);
}

class ComponentSecretsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object* component : dapr_resources(context.manifests()).components) {
      const yaml::Node* metadata = component->root->at("spec", "metadata");
      if (metadata == nullptr || !metadata->is_sequence()) continue;
      for (const yaml::Node* item : metadata->items) {
        if (item == nullptr || !item->is_mapping()) continue;
        const yaml::Node* name = item->get("name");
        const yaml::Node* value = item->get("value");
        if (name == nullptr || value == nullptr || !value->is_scalar() || value->is_null()) continue;
        const std::string_view literal = text::trim(value->str());
        if (literal.empty() || is_deferred(literal)) continue;
        std::string what;
        if (is_credential_name(name->str())) {
          if (secrets::is_placeholder(literal) || names_a_file(literal) || is_dummy(literal, name->str())) continue;
          what = fmt::format("sets {} to a literal value", name->str());
        } else if (has_embedded_credential(literal)) {
          what = fmt::format("embeds a credential in the literal {}", name->str());
        } else {
          continue;
        }
        const std::string_view type = component_type(*component);
        engine::Emission e = kubernetes::emission_at(
            *component, value,
            fmt::format("Dapr component '{}'{} {} instead of a secretKeyRef to a Dapr secret store",
                        component->name, type.empty() ? std::string() : fmt::format(" ({})", type), what));
        kubernetes::mark_secret(e, *component, value);
        out.emit(std::move(e));
      }
    }
  }
};

}  // namespace component_secrets_check
}  // namespace

std::unique_ptr<engine::Check> make_component_secrets_check() {
  return engine::make_check<component_secrets_check::ComponentSecretsCheck>();
}

}  // namespace constable::checks::dapr
