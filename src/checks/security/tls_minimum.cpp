// security/tls-minimum: "Data in transit MUST use TLS 1.3+". Where the
// repository sets which TLS versions a server accepts (ingress-nginx's
// ssl-protocols, a Traefik TLSOption, an Istio Gateway), no version below
// the clause's minimum may be among them.

#include <fmt/format.h>
#include <re2/re2.h>

#include <optional>
#include <string>
#include <vector>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/security/security_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::security {

namespace {
namespace tls_minimum_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/tls-minimum",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Accept no TLS version below the constitution's minimum on ingresses and gateways",
    .rationale =
        "A server that still offers an older TLS version lets a client (or an attacker in the middle) "
        "negotiate it, with its weaker ciphers and handshake. Judged where the repository sets the versions: "
        "the `nginx.ingress.kubernetes.io/ssl-protocols` annotation of an Ingress and the `ssl-protocols` key "
        "of ingress-nginx's ConfigMap; Traefik TLSOptions (`minVersion`, whose default is TLS 1.2); Istio "
        "Gateways' `tls.minProtocolVersion` (TLS_AUTO is Envoy's default, TLS 1.2). An Ingress or Gateway "
        "that sets nothing is left to its controller's configuration, which the repository may not hold.",
    .remediation =
        "Accept only the minimum and above: `nginx.ingress.kubernetes.io/ssl-protocols: \"TLSv1.3\"`, "
        "`minVersion: VersionTLS13` on the TLSOption, `minProtocolVersion: TLSV1_3` on the Gateway server.",
    .bad_example = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n"
                   "    nginx.ingress.kubernetes.io/ssl-protocols: \"TLSv1.2 TLSv1.3\"\n",
    .good_example = "apiVersion: networking.k8s.io/v1\nkind: Ingress\nmetadata:\n  name: web\n  annotations:\n"
                    "    nginx.ingress.kubernetes.io/ssl-protocols: \"TLSv1.3\"\n",
    .parameters = "the minimum TLS version, from the clause (\"TLS 1.3+\")",
    .clause = {.section = "data protection|security|transit", .text = "TLS ?v?[0-9]"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever an Ingress, TLSOption or Gateway is found
    .scope = engine::Scope::manifests,
};

// TLS versions as minor numbers of 1.x; SSL versions below every one.
constexpr int kSsl = -1;

// "TLSv1.2" (nginx), "VersionTLS12" (Traefik), "TLSV1_2" (Istio) -> 2; "TLSv1" -> 0; nullopt when unknown.
std::optional<int> tls_minor(std::string_view token) {
  const std::string lower = text::to_lower(token);
  if (lower.starts_with("ssl")) return kSsl;
  int minor = 0;
  if (RE2::FullMatch(lower, R"((?:tlsv?|versiontls)1(?:[._]?([0-3]))?)", &minor)) return minor;
  return std::nullopt;
}

std::string describe(int minor) { return minor == kSsl ? "SSL" : fmt::format("TLS 1.{}", minor); }

class TlsMinimumCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    int major = 0, minor = 0;
    if (!RE2::PartialMatch(clause.text, R"((?i)\bTLS\s*v?([0-9])\.([0-9]))", &major, &minor) || major != 1)
      return fail(fmt::format("the clause names no TLS 1.x version (expected e.g. \"TLS 1.3+\"): '{}'", clause.text));
    minimum_ = minor;
    return {};
  }

  std::string bound_parameters() const override { return fmt::format("minimum: {}", describe(minimum_)); }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    for (const kube::Object& object : context.manifests().objects()) {
      if (object.kind == "Ingress") {
        const yaml::Node* annotations = object.annotations();
        if (annotations != nullptr)
          judge_protocol_list(object, annotations->get("nginx.ingress.kubernetes.io/ssl-protocols"), out);
      } else if (object.kind == "ConfigMap" && object.api_version == "v1" &&
                 (object.name.find("nginx") != std::string::npos || object.name.find("ingress") != std::string::npos)) {
        if (const yaml::Node* data = object.root->get("data"); data != nullptr && data->is_mapping())
          judge_protocol_list(object, data->get("ssl-protocols"), out);
      } else if (object.kind == "TLSOption" && (object.api_version.starts_with("traefik.io/") ||
                                                object.api_version.starts_with("traefik.containo.us/"))) {
        judge_traefik(object, out);
      } else if (object.kind == "Gateway" && object.api_version.starts_with("networking.istio.io/")) {
        judge_istio(object, out);
      }
    }
  }

 private:
  // "TLSv1.2 TLSv1.3": every listed version must be at least the minimum.
  void judge_protocol_list(const kube::Object& object, const yaml::Node* value, engine::Emitter& out) const {
    if (value == nullptr || !value->is_scalar()) return;
    std::vector<std::string> below;
    for (std::string_view token : text::split(value->str(), ' ')) {
      token = text::trim(token);
      if (token.empty()) continue;
      if (const auto minor = tls_minor(token); minor && *minor < minimum_) below.emplace_back(token);
    }
    if (below.empty()) return;
    kubernetes::report(out, object, value,
                       fmt::format("{} accepts {} (ssl-protocols '{}'), below the minimum {}", object.display_name(),
                                   kubernetes::join_and(below), value->str(), describe(minimum_)));
  }

  void judge_traefik(const kube::Object& object, engine::Emitter& out) const {
    const yaml::Node* min_version = object.root->at("spec", "minVersion");
    if (min_version == nullptr || min_version->str().empty()) {
      constexpr int kTraefikDefault = 2;
      if (kTraefikDefault < minimum_)
        kubernetes::report(out, object, nullptr,
                           fmt::format("{} sets no minVersion, so Traefik accepts its default TLS 1.2, below the "
                                       "minimum {}",
                                       object.display_name(), describe(minimum_)));
      return;
    }
    if (const auto minor = tls_minor(min_version->str()); minor && *minor < minimum_)
      kubernetes::report(out, object, min_version,
                         fmt::format("{} accepts {} and above (minVersion {}), below the minimum {}",
                                     object.display_name(), describe(*minor), min_version->str(), describe(minimum_)));
  }

  void judge_istio(const kube::Object& object, engine::Emitter& out) const {
    const yaml::Node* servers = object.root->at("spec", "servers");
    if (servers == nullptr || !servers->is_sequence()) return;
    for (const yaml::Node* server : servers->items) {
      const yaml::Node* version = server->is_mapping() ? server->at("tls", "minProtocolVersion") : nullptr;
      if (version == nullptr || version->str().empty()) continue;
      // TLS_AUTO leaves the choice to Envoy, whose servers accept TLS 1.2.
      const std::optional<int> minor = version->str() == "TLS_AUTO" ? std::optional<int>(2) : tls_minor(version->str());
      if (!minor || *minor >= minimum_) continue;
      const yaml::Node* port = server->at("port", "name");
      kubernetes::report(out, object, version,
                         fmt::format("{} server{} accepts {} and above (minProtocolVersion {}), below the minimum {}",
                                     object.display_name(),
                                     port != nullptr && !port->str().empty() ? fmt::format(" '{}'", port->str()) : "",
                                     describe(*minor), version->str(), describe(minimum_)));
    }
  }

  int minimum_ = 3;
};

}  // namespace tls_minimum_check
}  // namespace

std::unique_ptr<engine::Check> make_tls_minimum_check() {
  return engine::make_check<tls_minimum_check::TlsMinimumCheck>();
}

}  // namespace constable::checks::security
