#pragma once
// Bearer tokens of an OpenID Connect issuer, verified by the server itself,
// for the REST API ("OAuth 2.0 / OIDC MUST be used for user
// authentication"). The issuer's signing keys come from its discovery
// document (`/.well-known/openid-configuration` → `jwks_uri`) and are
// fetched again when a token names a key not seen yet (key rotation), at
// most once per `refresh_interval`.
//
// A token is accepted when it is a JWS compact serialisation signed with
// RS256 or ES256 by one of those keys, `iss` is the issuer, `aud` holds the
// audience, `exp` is in the future and `nbf`/`iat` not (60 s of clock skew
// either way). Everything else (other algorithms, `none`, HMAC, an unknown
// key, a malformed token) is refused with the reason; the token itself is
// never logged or echoed. cjose imports the keys and checks signatures;
// the allow-list and the claims are checked here (ADR 0008).

#include <chrono>
#include <map>
#include <memory>
#include <mutex>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace constable::serve {

struct OidcOptions {
  std::string issuer;    // https://id.example.com (as in the tokens' iss)
  std::string audience;  // the API's client id, as in the tokens' aud
  std::string ca_file;   // CAs to trust for the issuer; empty: the system's
  std::chrono::seconds refresh_interval{60};
  std::chrono::milliseconds timeout{2000};
};

struct Identity {
  std::string subject;  // sub
  std::string email;    // email, when present
};

class TokenVerifier {
 public:
  explicit TokenVerifier(OidcOptions options);
  ~TokenVerifier();
  TokenVerifier(const TokenVerifier&) = delete;
  TokenVerifier& operator=(const TokenVerifier&) = delete;

  // Fetches the issuer's keys; at start, so that a wrong issuer is an error
  // before the server accepts requests.
  Result<void> refresh();

  // The token's identity, or why it is refused (a message safe to log and
  // to return to the client).
  Result<Identity> verify(std::string_view token, std::chrono::system_clock::time_point now);

  const OidcOptions& options() const { return options_; }

  // A public key of the issuer and the one algorithm it verifies.
  struct Key;

 private:
  Result<void> refresh_locked();

  OidcOptions options_;
  std::mutex mutex_;
  std::map<std::string, std::shared_ptr<Key>, std::less<>> keys_;  // by kid
  std::chrono::steady_clock::time_point last_refresh_{};  // of the last attempt, successful or not
  bool refreshed_ = false;
};

// base64url without padding (RFC 7515 section 2), for tests that sign tokens.
std::string base64url_encode(std::string_view bytes);
// nullopt-like failure when `text` is not base64url.
Result<std::string> base64url_decode(std::string_view text);

}  // namespace constable::serve
