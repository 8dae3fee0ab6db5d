#include "serve/oidc.hpp"

#include <cjose/base64.h>
#include <cjose/header.h>
#include <cjose/jwk.h>
#include <cjose/jws.h>
#include <cjose/util.h>

#include <algorithm>
#include <bit>
#include <cmath>
#include <cstdlib>
#include <vector>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "core/text.hpp"
#include "serve/http/client.hpp"

namespace constable::serve {

using nlohmann::json;

namespace {

constexpr std::size_t kMaxTokenBytes = 16 * 1024;
constexpr std::int64_t kClockSkewSeconds = 60;
constexpr std::size_t kMinimumRsaBits = 2048;

struct JwkRelease {
  void operator()(cjose_jwk_t* key) const { cjose_jwk_release(key); }
};
struct JwsRelease {
  void operator()(cjose_jws_t* jws) const { cjose_jws_release(jws); }
};
using JwsPtr = std::unique_ptr<cjose_jws_t, JwsRelease>;

std::string string_at(const json& object, std::string_view key) {
  const auto found = object.find(key);
  return found != object.end() && found->is_string() ? found->get<std::string>() : std::string{};
}

// A NumericDate claim (seconds since the epoch), nullopt when absent or not a number.
std::optional<std::int64_t> numeric_date(const json& claims, std::string_view name) {
  const auto found = claims.find(name);
  if (found == claims.end() || !found->is_number()) return std::nullopt;
  const double value = found->get<double>();
  if (!std::isfinite(value) || std::abs(value) > 1e15) return std::nullopt;
  return static_cast<std::int64_t>(value);
}

json parse_object(std::string_view text) {
  json document = json::parse(text, nullptr, /*allow_exceptions=*/false);
  return document.is_object() ? document : json();
}

}  // namespace

struct TokenVerifier::Key {
  std::unique_ptr<cjose_jwk_t, JwkRelease> key;
  std::string algorithm;  // "RS256" or "ES256": the only one this key verifies
};

std::string base64url_encode(std::string_view bytes) {
  char* encoded = nullptr;
  std::size_t length = 0;
  cjose_err error;
  if (!cjose_base64url_encode(reinterpret_cast<const std::uint8_t*>(bytes.data()), bytes.size(), &encoded, &length,
                              &error))
    return {};
  std::string out(encoded, length);
  cjose_get_dealloc()(encoded);
  return out;
}

Result<std::string> base64url_decode(std::string_view text) {
  // cjose accepts the standard alphabet and padding too; a JWS uses neither.
  if (text.find_first_of("+/=") != std::string_view::npos) return fail("not base64url");
  std::uint8_t* decoded = nullptr;
  std::size_t length = 0;
  cjose_err error;
  if (!cjose_base64url_decode(text.data(), text.size(), &decoded, &length, &error)) return fail("not base64url");
  std::string out(reinterpret_cast<const char*>(decoded), length);
  cjose_get_dealloc()(decoded);
  return out;
}

namespace {

// RFC 7517/7518: an RSA key of 2048 bits or more, or a P-256 EC key.
Result<std::shared_ptr<TokenVerifier::Key>> key_of_jwk(const json& jwk) {
  const std::string type = string_at(jwk, "kty");
  auto key = std::make_shared<TokenVerifier::Key>();
  if (type == "RSA") {
    auto modulus = base64url_decode(string_at(jwk, "n"));
    std::string_view n = modulus ? std::string_view(*modulus) : std::string_view();
    while (!n.empty() && n.front() == '\0') n.remove_prefix(1);
    const std::size_t bits =
        n.empty() ? 0 : (n.size() - 1) * 8 + std::bit_width(static_cast<unsigned>(static_cast<unsigned char>(n.front())));
    if (bits < kMinimumRsaBits) return fail(fmt::format("an RSA key of {} bits (at least {} are needed)", bits, kMinimumRsaBits));
    key->algorithm = "RS256";
  } else if (type == "EC") {
    if (string_at(jwk, "crv") != "P-256") return fail(fmt::format("an EC key on curve '{}'", string_at(jwk, "crv")));
    key->algorithm = "ES256";
  } else {
    return fail(fmt::format("a key of type '{}'", text::shorten(type, 16)));
  }
  const std::string text = jwk.dump();
  cjose_err error;
  key->key.reset(cjose_jwk_import(text.data(), text.size(), &error));
  if (!key->key) return fail(fmt::format("a key cjose does not take: {}", error.message != nullptr ? error.message : "?"));
  return key;
}

}  // namespace

TokenVerifier::TokenVerifier(OidcOptions options) : options_(std::move(options)) {
  while (options_.issuer.size() > 8 && options_.issuer.back() == '/') options_.issuer.pop_back();
}

TokenVerifier::~TokenVerifier() = default;

Result<void> TokenVerifier::refresh() {
  const std::lock_guard lock(mutex_);
  return refresh_locked();
}

Result<void> TokenVerifier::refresh_locked() {
  last_refresh_ = std::chrono::steady_clock::now();
  http::ClientOptions client;
  client.ca_file = options_.ca_file;
  client.timeout = options_.timeout;
  client.max_body_bytes = 1024 * 1024;
  const std::string discovery_url = options_.issuer + "/.well-known/openid-configuration";
  const auto discovery = http::get(discovery_url, {}, client);
  if (!discovery) return fail(fmt::format("OpenID discovery: {}", discovery.error().message));
  if (discovery->status != 200) return fail(fmt::format("OpenID discovery: {} answered HTTP {}", discovery_url, discovery->status));
  const json configuration = parse_object(discovery->body);
  if (configuration.is_null()) return fail(fmt::format("OpenID discovery: {} is not a JSON object", discovery_url));
  // OpenID Connect Discovery 1.0 section 4.3: the document names its issuer exactly.
  if (string_at(configuration, "issuer") != options_.issuer)
    return fail(fmt::format("OpenID discovery: the document is for issuer '{}', not '{}'",
                            text::shorten(string_at(configuration, "issuer"), 120), options_.issuer));
  const std::string jwks_uri = string_at(configuration, "jwks_uri");
  if (!jwks_uri.starts_with("https://")) return fail("OpenID discovery: jwks_uri is not an https:// URL");
  const auto jwks = http::get(jwks_uri, {}, client);
  if (!jwks) return fail(fmt::format("OpenID keys: {}", jwks.error().message));
  if (jwks->status != 200) return fail(fmt::format("OpenID keys: {} answered HTTP {}", jwks_uri, jwks->status));
  const json set = parse_object(jwks->body);
  const auto listed = set.is_null() ? set.end() : set.find("keys");
  if (set.is_null() || listed == set.end() || !listed->is_array())
    return fail(fmt::format("OpenID keys: {} is not a JSON Web Key Set", jwks_uri));
  std::map<std::string, std::shared_ptr<Key>, std::less<>> keys;
  for (const json& jwk : *listed) {
    if (!jwk.is_object()) continue;
    if (const std::string use = string_at(jwk, "use"); !use.empty() && use != "sig") continue;
    // A key we cannot use (another type, a short RSA key) is skipped: the
    // issuer may publish several, and a token naming it is refused later.
    if (auto key = key_of_jwk(jwk)) keys[string_at(jwk, "kid")] = std::move(*key);
  }
  if (keys.empty()) return fail(fmt::format("OpenID keys: {} holds no RS256 or ES256 signing key", jwks_uri));
  keys_ = std::move(keys);
  refreshed_ = true;
  return {};
}

Result<Identity> TokenVerifier::verify(std::string_view token, std::chrono::system_clock::time_point now) {
  if (token.empty()) return fail("no bearer token");
  if (token.size() > kMaxTokenBytes) return fail("the bearer token is too long");
  // Three base64url parts: a JWS compact serialisation (RFC 7515 section 7.1).
  if (std::count(token.begin(), token.end(), '.') != 2 ||
      token.find_first_not_of("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.") != std::string_view::npos)
    return fail("the bearer token is not a signed JWT");
  cjose_err error;
  const JwsPtr jws(cjose_jws_import(token.data(), token.size(), &error));
  if (!jws) return fail("the bearer token is not a signed JWT");
  cjose_header_t* header = cjose_jws_get_protected(jws.get());
  const char* alg = header != nullptr ? cjose_header_get(header, CJOSE_HDR_ALG, &error) : nullptr;
  const std::string algorithm = alg != nullptr ? alg : "";
  if (algorithm != "RS256" && algorithm != "ES256")
    return fail(fmt::format("tokens signed with '{}' are not accepted (RS256 or ES256)", text::shorten(algorithm, 16)));
  const char* kid_text = cjose_header_get(header, CJOSE_HDR_KID, &error);
  const std::string kid = kid_text != nullptr ? kid_text : "";

  std::shared_ptr<Key> key;
  {
    const std::lock_guard lock(mutex_);
    auto found = keys_.find(kid);
    if (found == keys_.end() && kid.empty() && keys_.size() == 1) found = keys_.begin();
    // An unknown key may be a new one after rotation: ask the issuer again,
    // but not for every request that names a key it does not have. Until the
    // keys were fetched once, an unreachable issuer is asked again after a
    // few seconds, not on every request.
    const auto wait = refreshed_ ? std::chrono::duration_cast<std::chrono::steady_clock::duration>(options_.refresh_interval)
                                 : std::chrono::duration_cast<std::chrono::steady_clock::duration>(std::chrono::seconds(5));
    if (found == keys_.end() && std::chrono::steady_clock::now() - last_refresh_ >= wait) {
      if (auto refreshed = refresh_locked(); !refreshed) return std::unexpected(refreshed.error());
      found = keys_.find(kid);
    }
    if (found == keys_.end()) return fail(fmt::format("the token's key '{}' is not the issuer's", text::shorten(kid, 64)));
    key = found->second;
  }
  if (key->algorithm != algorithm) return fail(fmt::format("key '{}' does not sign {}", text::shorten(kid, 64), algorithm));
  if (!cjose_jws_verify(jws.get(), key->key.get(), &error)) return fail("the token's signature is invalid");
  std::uint8_t* payload = nullptr;
  std::size_t payload_length = 0;
  if (!cjose_jws_get_plaintext(jws.get(), &payload, &payload_length, &error))
    return fail("the bearer token is not a signed JWT");
  const json claims = parse_object(std::string_view(reinterpret_cast<const char*>(payload), payload_length));
  if (claims.is_null()) return fail("the token's claims are not a JSON object");

  if (string_at(claims, "iss") != options_.issuer) return fail("the token is from another issuer");
  bool audience = false;
  if (const auto aud = claims.find("aud"); aud != claims.end()) {
    if (aud->is_string()) audience = aud->get<std::string>() == options_.audience;
    if (aud->is_array())
      for (const json& each : *aud) audience = audience || (each.is_string() && each.get<std::string>() == options_.audience);
  }
  if (!audience) return fail("the token is for another audience");
  const std::int64_t seconds = std::chrono::duration_cast<std::chrono::seconds>(now.time_since_epoch()).count();
  const auto expires = numeric_date(claims, "exp");
  if (!expires) return fail("the token has no expiry (exp)");
  if (*expires + kClockSkewSeconds <= seconds) return fail("the token has expired");
  if (const auto not_before = numeric_date(claims, "nbf"); not_before && *not_before - kClockSkewSeconds > seconds)
    return fail("the token is not valid yet");
  if (const auto issued = numeric_date(claims, "iat"); issued && *issued - kClockSkewSeconds > seconds)
    return fail("the token was issued in the future");
  Identity identity{string_at(claims, "sub"), string_at(claims, "email")};
  if (identity.subject.empty()) return fail("the token names no subject (sub)");
  return identity;
}

}  // namespace constable::serve
