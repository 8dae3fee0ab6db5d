#pragma once
// Keys and X.509 certificates as Sprig's genCA, genSignedCert,
// genSelfSignedCert and genPrivateKey make them (Go's crypto/x509 choices:
// RSA 2048 for certificates, SHA-256 signatures, serverAuth + clientAuth,
// PEM blocks named as Go names them), built with OpenSSL.
//
// Deterministic mode derives every key from a seed, so that a chart renders
// the same bytes on every run (findings and fingerprints never depend on
// randomness); a key derived from a seed is made once per process. Otherwise
// OpenSSL's generator is used.

#include <cstdint>
#include <expected>
#include <optional>
#include <string>
#include <vector>

namespace constable::helm::tmpl::crypto {

enum class KeyType : std::uint8_t { rsa, ecdsa, ed25519 };

// Where key material comes from: `seed` when deterministic, else OpenSSL.
struct KeySource {
  std::optional<std::uint64_t> seed;
};

// A private key in PEM, as Go encodes it: "RSA PRIVATE KEY" (PKCS #1),
// "EC PRIVATE KEY" (SEC 1), "PRIVATE KEY" (PKCS #8, Ed25519).
// A seeded key is also kept between runs in the cache directory
// (core/cache.hpp), under this name: RSA keys take long to find.
std::expected<std::string, std::string> generate_key(KeyType type, int rsa_bits, const KeySource& source);
std::string seeded_key_cache_name(KeyType type, int rsa_bits, std::uint64_t seed);

struct Certificate {
  std::string cert;  // PEM "CERTIFICATE"
  std::string key;   // PEM private key
};

struct CertificateRequest {
  std::string common_name;
  std::vector<std::string> ips;  // textual IPv4/IPv6 addresses (checked here)
  std::vector<std::string> dns_names;
  std::int64_t not_before_unix = 0;
  std::int64_t days_valid = 0;
  std::string serial;  // big-endian bytes (Sprig: a random number below 2^128)
  bool is_ca = false;
};

// Signs `request` for the key `key_pem` with `signer` (its certificate and
// key), or self-signed when there is none. Errors read as Sprig's do
// ("error parsing ip: x").
std::expected<Certificate, std::string> make_certificate(const CertificateRequest& request, const std::string& key_pem,
                                                         const Certificate* signer);

}  // namespace constable::helm::tmpl::crypto
