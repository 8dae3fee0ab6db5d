// security/service-mtls: "Service-to-service authentication via mTLS or
// JWT". Where the repository configures the mesh, it must not switch mutual
// TLS off: an Istio PeerAuthentication in PERMISSIVE or DISABLE mode accepts
// plaintext from anyone, and a DestinationRule with tls mode DISABLE sends it.

#include <fmt/format.h>

#include <algorithm>
#include <set>
#include <string>

#include "checks/kubernetes/kubernetes_support.hpp"
#include "checks/security/security_checks.hpp"

namespace constable::checks::security {

namespace {
namespace service_mtls_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/service-mtls",
    .domain = "security",
    .nature = Nature::security,
    .summary = "Keep mutual TLS strict between services where the mesh is configured",
    .rationale =
        "Mutual TLS authenticates both ends of every call inside the cluster; a mesh that also accepts "
        "plaintext authenticates nobody, since an attacker simply does not present a certificate. Judged where "
        "the repository configures Istio (security.istio.io, networking.istio.io): a PeerAuthentication whose "
        "mtls.mode (or a portLevelMtls entry) is PERMISSIVE or DISABLE, and a DestinationRule whose "
        "trafficPolicy (or a port or subset policy) sets tls.mode DISABLE for a service of the cluster (a host "
        "with no domain, or under .svc or .cluster.local). Workloads that authenticate calls "
        "with JWTs (a RequestAuthentication) are not judged by the PeerAuthentication's mode.",
    .remediation =
        "Set `mtls: {mode: STRICT}` on the PeerAuthentication (mesh-wide in istio-system, or per namespace) once "
        "every client has a sidecar, and `tls: {mode: ISTIO_MUTUAL}` on DestinationRules; authenticate callers "
        "outside the mesh with a JWT (RequestAuthentication and an AuthorizationPolicy).",
    .bad_example = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: "
                   "shop}\nspec:\n  mtls: {mode: PERMISSIVE}\n",
    .good_example = "apiVersion: security.istio.io/v1\nkind: PeerAuthentication\nmetadata: {name: default, namespace: "
                    "shop}\nspec:\n  mtls: {mode: STRICT}\n",
    .parameters = "",
    .clause = {.section = "authentication|security", .text = "mtls|mutual tls"},
    .file_kind = FileKind::yaml,
    .stack = "",  // applies wherever Istio objects are found
    .scope = engine::Scope::manifests,
};

// "reviews", "reviews.prod", "reviews.prod.svc.cluster.local": a service of the cluster.
bool in_cluster(std::string_view host) {
  if (host.empty() || host.find('*') != std::string_view::npos) return false;
  const auto dots = std::count(host.begin(), host.end(), '.');
  return dots <= 1 || host.ends_with(".svc") || host.ends_with(".svc.cluster.local") || host.ends_with(".cluster.local");
}

bool weak(std::string_view mode) { return mode == "PERMISSIVE" || mode == "DISABLE"; }

class ServiceMtlsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_manifests(const engine::ManifestContext& context, engine::Emitter& out) const override {
    // Namespaces whose workloads authenticate requests with JWTs instead.
    std::set<std::string, std::less<>> jwt_namespaces;
    for (const kube::Object* ra : context.manifests().of_kind("RequestAuthentication"))
      for (const auto& placement : ra->placements) jwt_namespaces.insert(placement.namespace_name);
    for (const kube::Object& object : context.manifests().objects()) {
      if (object.kind == "PeerAuthentication" && object.api_version.starts_with("security.istio.io/")) {
        bool jwt = false;
        for (const auto& placement : object.placements) jwt = jwt || jwt_namespaces.contains(placement.namespace_name);
        if (jwt) continue;
        const yaml::Node* mode = object.root->at("spec", "mtls", "mode");
        if (mode != nullptr && weak(mode->str()))
          kubernetes::report(out, object, mode,
                             fmt::format("{} sets mutual TLS to {}: its workloads accept plaintext calls from "
                                         "unauthenticated clients",
                                         object.display_name(), mode->str()));
        if (const yaml::Node* ports = object.root->at("spec", "portLevelMtls"); ports != nullptr && ports->is_mapping())
          for (const auto& entry : ports->entries) {
            const yaml::Node* port_mode = entry.value->at("mode");
            if (port_mode != nullptr && weak(port_mode->str()))
              kubernetes::report(out, object, port_mode,
                                 fmt::format("{} sets mutual TLS to {} on port {}: that port accepts plaintext calls "
                                             "from unauthenticated clients",
                                             object.display_name(), port_mode->str(), entry.key->str()));
          }
      } else if (object.kind == "DestinationRule" && object.api_version.starts_with("networking.istio.io/")) {
        // Plaintext to a service outside the cluster (a ServiceEntry's database) is no service-to-service call.
        const yaml::Node* host = object.root->at("spec", "host");
        if (host == nullptr || !in_cluster(host->str())) continue;
        judge_policy(object, object.root->at("spec", "trafficPolicy"), "", out);
        if (const yaml::Node* subsets = object.root->at("spec", "subsets"); subsets != nullptr && subsets->is_sequence())
          for (const yaml::Node* subset : subsets->items)
            if (subset->is_mapping())
              judge_policy(object, subset->get("trafficPolicy"),
                           fmt::format(" for subset '{}'", subset->get("name") != nullptr ? subset->get("name")->str() : ""),
                           out);
      }
    }
  }

 private:
  static void judge_policy(const kube::Object& object, const yaml::Node* policy, const std::string& where,
                           engine::Emitter& out) {
    if (policy == nullptr || !policy->is_mapping()) return;
    auto judge_tls = [&](const yaml::Node* tls, const std::string& port) {
      const yaml::Node* mode = tls != nullptr ? tls->get("mode") : nullptr;
      if (mode == nullptr || mode->str() != "DISABLE") return;
      kubernetes::report(out, object, mode,
                         fmt::format("{} sends plaintext{}{} (tls mode DISABLE): calls to the service are not "
                                     "mutually authenticated",
                                     object.display_name(), where, port));
    };
    judge_tls(policy->get("tls"), "");
    if (const yaml::Node* ports = policy->get("portLevelSettings"); ports != nullptr && ports->is_sequence())
      for (const yaml::Node* port : ports->items)
        if (port->is_mapping()) {
          const yaml::Node* number = port->at("port", "number");
          judge_tls(port->get("tls"), number != nullptr ? fmt::format(" on port {}", number->str()) : "");
        }
  }
};

}  // namespace service_mtls_check
}  // namespace

std::unique_ptr<engine::Check> make_service_mtls_check() {
  return engine::make_check<service_mtls_check::ServiceMtlsCheck>();
}

}  // namespace constable::checks::security
