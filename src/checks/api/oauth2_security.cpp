// api/oauth2-security: the API authenticates users with OAuth 2.0 or OpenID
// Connect ("OAuth 2.0 / OIDC MUST be used for user authentication").

#include <fmt/format.h>

#include "checks/api/api_checks.hpp"
#include "checks/api/api_support.hpp"

namespace constable::checks::api {

namespace {
namespace oauth2_security_check {

constexpr engine::CheckInfo kInfo{
    .id = "api/oauth2-security",
    .domain = "api",
    .nature = Nature::security,
    .summary = "Declare an OAuth 2.0 or OpenID Connect security scheme in every OpenAPI document",
    .rationale = "OAuth 2.0 and OIDC delegate authentication to an identity provider with short-lived, scoped "
                 "tokens. An API that declares no security scheme, or only apiKey or HTTP basic/bearer schemes, "
                 "authenticates users some other way. The schemes are read from components.securitySchemes "
                 "($refs followed); one of type oauth2 or openIdConnect is required.",
    .remediation = "Add components.securitySchemes with type: openIdConnect (openIdConnectUrl: ...) or type: "
                   "oauth2 (flows), and a top-level security requirement that uses it.",
    .bad_example = "components:\n  securitySchemes:\n    key: {type: apiKey, in: header, name: X-API-Key}\n",
    .good_example = "components:\n  securitySchemes:\n    oidc: {type: openIdConnect, openIdConnectUrl: "
                    "https://id.example.com/.well-known/openid-configuration}\n",
    .parameters = "",
    .clause = {.section = "authentication|security", .text = "oauth|oidc|openid"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
};

class Oauth2SecurityCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    auto doc = load(file);
    if (!doc) return;
    const yaml::Entry* version = openapi::version_entry(doc->root);
    const yaml::Node* components = doc->resolve(doc->root->get("components"), doc->path);
    const yaml::Entry* schemes_entry =
        components != nullptr && components->is_mapping() ? components->find("securitySchemes") : nullptr;
    const yaml::Node* schemes = schemes_entry != nullptr ? doc->resolve(schemes_entry->value, doc->path) : nullptr;
    if (schemes == nullptr || !schemes->is_mapping() || schemes->entries.empty()) {
      out.report(key_range(version->key),
                 "the API declares no security scheme (components.securitySchemes): use OAuth 2.0 or OpenID Connect");
      return;
    }
    std::string others;
    for (const auto& e : schemes->entries) {
      const yaml::Node* scheme = doc->resolve(e.value, doc->path);
      if (scheme == nullptr || !scheme->is_mapping()) continue;
      const std::string type(scheme->get("type") != nullptr ? scheme->get("type")->str() : "");
      if (type == "oauth2" || type == "openIdConnect") return;
      std::string described = type;
      if (type == "http" && scheme->get("scheme") != nullptr) described += " " + std::string(scheme->get("scheme")->str());
      others += fmt::format("{}{} ({})", others.empty() ? "" : ", ", e.key->value, described);
    }
    out.report(key_range(schemes_entry->key),
               fmt::format("no OAuth 2.0 or OpenID Connect security scheme, only {}", others));
  }
};

}  // namespace oauth2_security_check
}  // namespace

std::unique_ptr<engine::Check> make_oauth2_security_check() {
  return engine::make_check<oauth2_security_check::Oauth2SecurityCheck>();
}

}  // namespace constable::checks::api
