// OpenID Connect bearer tokens for the REST API: a fake issuer over real TLS
// on loopback (discovery document and JSON Web Key Set) and tokens signed
// here with OpenSSL, RS256 and ES256, good and bad in every way the
// verifier must notice.

#include "serve/oidc.hpp"

#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ecdsa.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>

#include <atomic>
#include <mutex>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve/service.hpp"
#include "serve/loopback.hpp"

namespace constable::serve {
namespace {

namespace ct = constable::testing;
using nlohmann::json;
using namespace std::chrono_literals;

struct PkeyFree {
  void operator()(EVP_PKEY* key) const { EVP_PKEY_free(key); }
};
using Pkey = std::unique_ptr<EVP_PKEY, PkeyFree>;

std::string bytes_of(const BIGNUM* number, int width = 0) {
  std::string out(static_cast<std::size_t>(width > 0 ? width : BN_num_bytes(number)), '\0');
  if (width > 0) BN_bn2binpad(number, reinterpret_cast<unsigned char*>(out.data()), width);
  else BN_bn2bin(number, reinterpret_cast<unsigned char*>(out.data()));
  return out;
}

// A signing key of the fake issuer, and its JWK.
struct SigningKey {
  Pkey key;
  std::string kid;
  std::string algorithm;

  static SigningKey rsa(std::string kid, unsigned bits = 2048) {
    return {Pkey(EVP_RSA_gen(bits)), std::move(kid), "RS256"};
  }
  static SigningKey ec(std::string kid) { return {Pkey(EVP_EC_gen("P-256")), std::move(kid), "ES256"}; }

  json jwk() const {
    if (algorithm == "RS256") {
      BIGNUM* n = nullptr;
      BIGNUM* e = nullptr;
      EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_N, &n);
      EVP_PKEY_get_bn_param(key.get(), OSSL_PKEY_PARAM_RSA_E, &e);
      json out = {{"kty", "RSA"}, {"kid", kid}, {"use", "sig"}, {"alg", "RS256"},
                  {"n", base64url_encode(bytes_of(n))}, {"e", base64url_encode(bytes_of(e))}};
      BN_free(n);
      BN_free(e);
      return out;
    }
    unsigned char point[65];
    std::size_t length = 0;
    EVP_PKEY_get_octet_string_param(key.get(), OSSL_PKEY_PARAM_PUB_KEY, point, sizeof point, &length);
    const std::string raw(reinterpret_cast<char*>(point), length);
    return {{"kty", "EC"}, {"kid", kid}, {"crv", "P-256"}, {"x", base64url_encode(raw.substr(1, 32))},
            {"y", base64url_encode(raw.substr(33, 32))}};
  }

  std::string sign(const json& header, const json& claims) const {
    const std::string signed_part = base64url_encode(header.dump()) + "." + base64url_encode(claims.dump());
    EVP_MD_CTX* context = EVP_MD_CTX_new();
    std::size_t size = 0;
    EVP_DigestSignInit(context, nullptr, EVP_sha256(), nullptr, key.get());
    EVP_DigestSign(context, nullptr, &size, reinterpret_cast<const unsigned char*>(signed_part.data()),
                   signed_part.size());
    std::string signature(size, '\0');
    EVP_DigestSign(context, reinterpret_cast<unsigned char*>(signature.data()), &size,
                   reinterpret_cast<const unsigned char*>(signed_part.data()), signed_part.size());
    signature.resize(size);
    EVP_MD_CTX_free(context);
    if (algorithm == "ES256") {  // DER to r||s
      const auto* der = reinterpret_cast<const unsigned char*>(signature.data());
      ECDSA_SIG* parsed = d2i_ECDSA_SIG(nullptr, &der, static_cast<long>(signature.size()));
      signature = bytes_of(ECDSA_SIG_get0_r(parsed), 32) + bytes_of(ECDSA_SIG_get0_s(parsed), 32);
      ECDSA_SIG_free(parsed);
    }
    return signed_part + "." + base64url_encode(signature);
  }

  std::string token(const json& claims) const { return sign({{"alg", algorithm}, {"kid", kid}, {"typ", "JWT"}}, claims); }
};

// The issuer: its discovery document and key set over TLS on loopback.
class FakeIssuer {
 public:
  explicit FakeIssuer(const ct::TempDir& dir) {
    tls_ = ct::certificate(dir, "issuer");
    auto started = http::Server::start(ct::loopback(tls_), [this](const http::Request& request) { return answer(request); });
    EXPECT_TRUE(started);
    server_ = std::move(*started);
    issuer_ = fmt::format("https://127.0.0.1:{}", server_->port());
  }

  OidcOptions options() const {
    return {.issuer = issuer_, .audience = "constable-api", .ca_file = tls_.certificate, .refresh_interval = 60s,
            .timeout = 2000ms};
  }
  const std::string& issuer() const { return issuer_; }
  void publish(std::vector<json> keys) {
    const std::lock_guard lock(mutex_);
    keys_ = std::move(keys);
  }
  void claim_issuer(std::string issuer) {
    const std::lock_guard lock(mutex_);
    claimed_ = std::move(issuer);
  }
  int key_set_requests() const { return key_set_requests_; }

  // Claims a good token carries.
  json claims(std::int64_t from_now = 300) const {
    const auto now = std::chrono::duration_cast<std::chrono::seconds>(
                         std::chrono::system_clock::now().time_since_epoch())
                         .count();
    return {{"iss", issuer_}, {"aud", "constable-api"}, {"sub", "ci-pipeline"}, {"iat", now},
            {"exp", now + from_now}};
  }

 private:
  http::Response answer(const http::Request& request) {
    const std::lock_guard lock(mutex_);
    http::Response response;
    if (request.path == "/.well-known/openid-configuration") {
      response.body = json{{"issuer", claimed_.empty() ? issuer_ : claimed_}, {"jwks_uri", issuer_ + "/keys"}}.dump();
    } else if (request.path == "/keys") {
      ++key_set_requests_;
      response.body = json{{"keys", keys_}}.dump();
    } else {
      response.status = 404;
    }
    return response;
  }

  http::TlsFiles tls_;
  std::unique_ptr<http::Server> server_;
  std::string issuer_;
  mutable std::mutex mutex_;
  std::vector<json> keys_;
  std::string claimed_;
  std::atomic<int> key_set_requests_{0};
};

TEST(Base64Url, RoundTripsWithoutPaddingAndRefusesOtherAlphabets) {
  for (const std::string& bytes : {std::string(), std::string("f"), std::string("fo"), std::string("foo"),
                                  std::string("\xfb\xff\xfe", 3)}) {
    const auto decoded = base64url_decode(base64url_encode(bytes));
    ASSERT_TRUE(decoded);
    EXPECT_EQ(*decoded, bytes);
  }
  EXPECT_EQ(base64url_encode("\xfb\xff"), "-_8");
  EXPECT_FALSE(base64url_decode("ab+/"));
  EXPECT_FALSE(base64url_decode("abc="));
  EXPECT_FALSE(base64url_decode("a"));
}

TEST(TokenVerifier, AcceptsTokensSignedByTheIssuersRsaAndEcKeys) {
  ct::TempDir dir;
  FakeIssuer issuer(dir);
  const SigningKey rsa = SigningKey::rsa("rsa-1");
  const SigningKey ec = SigningKey::ec("ec-1");
  issuer.publish({rsa.jwk(), ec.jwk()});
  TokenVerifier verifier(issuer.options());
  ASSERT_TRUE(verifier.refresh());
  const auto now = std::chrono::system_clock::now();
  const auto by_rsa = verifier.verify(rsa.token(issuer.claims()), now);
  ASSERT_TRUE(by_rsa) << by_rsa.error().message;
  EXPECT_EQ(by_rsa->subject, "ci-pipeline");
  json audiences = issuer.claims();
  audiences["aud"] = {"other", "constable-api"};
  const auto by_ec = verifier.verify(ec.token(audiences), now);
  ASSERT_TRUE(by_ec) << by_ec.error().message;
}

TEST(TokenVerifier, RefusesEveryKindOfBadToken) {
  ct::TempDir dir;
  FakeIssuer issuer(dir);
  const SigningKey rsa = SigningKey::rsa("rsa-1");
  const SigningKey stranger = SigningKey::rsa("rsa-1");  // same kid, another key
  issuer.publish({rsa.jwk()});
  TokenVerifier verifier(issuer.options());
  ASSERT_TRUE(verifier.refresh());
  const auto now = std::chrono::system_clock::now();
  const auto refused = [&](const std::string& token) {
    const auto result = verifier.verify(token, now);
    return result ? std::string("accepted") : result.error().message;
  };
  const json good = issuer.claims();
  json changed = good;

  EXPECT_EQ(refused(rsa.token(issuer.claims(-120))), "the token has expired");
  changed = good;
  changed["nbf"] = good.at("iat").get<std::int64_t>() + 600;
  EXPECT_EQ(refused(rsa.token(changed)), "the token is not valid yet");
  changed = good;
  changed["iss"] = "https://evil.example.com";
  EXPECT_EQ(refused(rsa.token(changed)), "the token is from another issuer");
  changed = good;
  changed["aud"] = "another-api";
  EXPECT_EQ(refused(rsa.token(changed)), "the token is for another audience");
  changed = good;
  changed.erase("exp");
  EXPECT_EQ(refused(rsa.token(changed)), "the token has no expiry (exp)");
  changed = good;
  changed.erase("sub");
  EXPECT_EQ(refused(rsa.token(changed)), "the token names no subject (sub)");
  EXPECT_EQ(refused(stranger.token(good)), "the token's signature is invalid");

  // The claims swapped after signing.
  const std::string token = rsa.token(good);
  changed = good;
  changed["sub"] = "admin";
  const auto dot = token.find('.');
  const auto last = token.rfind('.');
  EXPECT_EQ(refused(token.substr(0, dot + 1) + base64url_encode(changed.dump()) + token.substr(last)),
            "the token's signature is invalid");
  // alg none, and HMAC with the public key as its secret (the classic confusion).
  EXPECT_EQ(refused(base64url_encode(R"({"alg":"none"})") + "." + base64url_encode(good.dump()) + "."),
            "tokens signed with 'none' are not accepted (RS256 or ES256)");
  EXPECT_EQ(refused(base64url_encode(R"({"alg":"HS256","kid":"rsa-1"})") + "." + base64url_encode(good.dump()) + ".c2ln"),
            "tokens signed with 'HS256' are not accepted (RS256 or ES256)");
  // An ES256 header on an RSA key.
  EXPECT_EQ(refused(rsa.sign({{"alg", "ES256"}, {"kid", "rsa-1"}}, good)), "key 'rsa-1' does not sign ES256");
  EXPECT_EQ(refused("not-a-token"), "the bearer token is not a signed JWT");
  EXPECT_EQ(refused("a.b.c.d"), "the bearer token is not a signed JWT");
  EXPECT_EQ(refused("e30.e30.!!"), "the bearer token is not a signed JWT");
  EXPECT_EQ(refused(""), "no bearer token");
  EXPECT_EQ(refused(std::string(20'000, 'a')), "the bearer token is too long");
}

TEST(TokenVerifier, FetchesTheKeysAgainWhenATokenNamesANewOneButNotForEveryUnknownKey) {
  ct::TempDir dir;
  FakeIssuer issuer(dir);
  const SigningKey first = SigningKey::rsa("2026-11");
  const SigningKey second = SigningKey::ec("2026-12");
  issuer.publish({first.jwk(), SigningKey::rsa("short", 1024).jwk()});
  OidcOptions options = issuer.options();
  options.refresh_interval = 0s;
  TokenVerifier eager(options);
  ASSERT_TRUE(eager.refresh());
  const auto now = std::chrono::system_clock::now();
  // A 1024-bit key is skipped, so a token naming it names an unknown key.
  EXPECT_EQ(eager.verify(SigningKey::rsa("short", 1024).token(issuer.claims()), now).error().message,
            "the token's key 'short' is not the issuer's");
  issuer.publish({first.jwk(), second.jwk()});  // rotation
  EXPECT_TRUE(eager.verify(second.token(issuer.claims()), now));

  TokenVerifier patient(issuer.options());  // refreshes at most once a minute
  ASSERT_TRUE(patient.refresh());
  const int fetched = issuer.key_set_requests();
  for (int i = 0; i < 5; ++i) EXPECT_FALSE(patient.verify(SigningKey::ec("made-up").token(issuer.claims()), now));
  EXPECT_EQ(issuer.key_set_requests(), fetched);
}

TEST(TokenVerifier, ADiscoveryDocumentForAnotherIssuerOrNoUsableKeyIsAnError) {
  ct::TempDir dir;
  FakeIssuer issuer(dir);
  issuer.publish({SigningKey::rsa("k").jwk()});
  issuer.claim_issuer("https://impostor.example.com");
  TokenVerifier verifier(issuer.options());
  const auto refreshed = verifier.refresh();
  ASSERT_FALSE(refreshed);
  EXPECT_NE(refreshed.error().message.find("is for issuer 'https://impostor.example.com'"), std::string::npos)
      << refreshed.error().message;
  issuer.claim_issuer("");
  issuer.publish({json{{"kty", "oct"}, {"k", "c2VjcmV0"}}});
  EXPECT_NE(verifier.refresh().error().message.find("holds no RS256 or ES256 signing key"), std::string::npos);
}

// The REST API behind the verifier: 401 with WWW-Authenticate without a good
// token, every attempt logged, the token never.
TEST(TokenVerifier, TheRestApiRequiresATokenAndLogsEveryAttempt) {
  ct::TempDir dir;
  FakeIssuer issuer(dir);
  const SigningKey key = SigningKey::rsa("k1");
  issuer.publish({key.jwk()});
  const auto config = dir.write(".constable.yaml", "constitution: CONSTITUTION.md\n");
  std::filesystem::copy_file(ct::source_dir() / "examples" / "k8s-platform" / "CONSTITUTION.md",
                             dir.path() / "CONSTITUTION.md");
  std::vector<std::string> log;
  Service service(Sources{.config = config, .constitution = {}, .select = {}, .ignore = {}},
                  [&](std::string_view line) { log.emplace_back(line); });
  ASSERT_TRUE(service.load());
  auto verifier = std::make_unique<TokenVerifier>(issuer.options());
  ASSERT_TRUE(verifier->refresh());
  service.authenticate_api_with(std::move(verifier));

  http::Request request;
  request.method = "GET";
  request.target = request.path = "/api/v1/checks";
  request.client = "10.0.0.7";
  const http::Response anonymous = service.handle(request);
  EXPECT_EQ(anonymous.status, 401);
  EXPECT_EQ(anonymous.content_type, "application/problem+json");
  ASSERT_FALSE(anonymous.headers.empty());
  EXPECT_EQ(anonymous.headers.front().second, R"(Bearer realm="constable")");

  const std::string forged = SigningKey::rsa("k1").token(issuer.claims());
  request.headers = {{"authorization", "Bearer " + forged}};
  const http::Response refused = service.handle(request);
  EXPECT_EQ(refused.status, 401);
  EXPECT_EQ(refused.headers.front().second, R"(Bearer realm="constable", error="invalid_token")");

  const std::string token = key.token(issuer.claims());
  request.headers = {{"authorization", "bearer " + token}};
  EXPECT_EQ(service.handle(request).status, 200);

  // Probes stay open: the kubelet calls them without a token.
  http::Request probe;
  probe.method = "GET";
  probe.target = probe.path = "/healthz";
  EXPECT_NE(service.handle(probe).status, 401);

  int attempts = 0;
  for (const std::string& line : log) {
    EXPECT_EQ(line.find(token), std::string::npos);
    EXPECT_EQ(line.find(forged.substr(forged.rfind('.'))), std::string::npos);
    if (line.find("\"authentication failed\"") != std::string::npos || line.find("\"authenticated\"") != std::string::npos) {
      ++attempts;
      EXPECT_NE(line.find("10.0.0.7"), std::string::npos) << line;
    }
  }
  EXPECT_EQ(attempts, 3);
  const std::string metrics = service.metrics().exposition();
  EXPECT_NE(metrics.find("constable_authentications_total{result=\"failure\"} 2"), std::string::npos) << metrics;
  EXPECT_NE(metrics.find("constable_authentications_total{result=\"success\"} 1"), std::string::npos) << metrics;
}

}  // namespace
}  // namespace constable::serve
