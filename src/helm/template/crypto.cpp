#include "helm/template/crypto.hpp"

#include <openssl/bio.h>
#include <openssl/bn.h>
#include <openssl/core_names.h>
#include <openssl/ec.h>
#include <openssl/evp.h>
#include <openssl/obj_mac.h>
#include <openssl/param_build.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

#include <array>
#include <cstring>
#include <filesystem>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <tuple>

#include <fmt/format.h>

#include "core/cache.hpp"
#include "core/digest.hpp"

namespace constable::helm::tmpl::crypto {

namespace {

// Owners for OpenSSL objects.
template <class T, void (*Free)(T*)>
struct Deleter {
  void operator()(T* p) const { Free(p); }
};
using Bignum = std::unique_ptr<BIGNUM, Deleter<BIGNUM, BN_free>>;
using BignumCtx = std::unique_ptr<BN_CTX, Deleter<BN_CTX, BN_CTX_free>>;
using Pkey = std::unique_ptr<EVP_PKEY, Deleter<EVP_PKEY, EVP_PKEY_free>>;
using PkeyCtx = std::unique_ptr<EVP_PKEY_CTX, Deleter<EVP_PKEY_CTX, EVP_PKEY_CTX_free>>;
using ParamBuilder = std::unique_ptr<OSSL_PARAM_BLD, Deleter<OSSL_PARAM_BLD, OSSL_PARAM_BLD_free>>;
using Params = std::unique_ptr<OSSL_PARAM, Deleter<OSSL_PARAM, OSSL_PARAM_free>>;
using Group = std::unique_ptr<EC_GROUP, Deleter<EC_GROUP, EC_GROUP_free>>;
using Point = std::unique_ptr<EC_POINT, Deleter<EC_POINT, EC_POINT_free>>;
using Cert = std::unique_ptr<X509, Deleter<X509, X509_free>>;
using Extension = std::unique_ptr<X509_EXTENSION, Deleter<X509_EXTENSION, X509_EXTENSION_free>>;
using GeneralNames = std::unique_ptr<GENERAL_NAMES, Deleter<GENERAL_NAMES, GENERAL_NAMES_free>>;
using Octets = std::unique_ptr<ASN1_OCTET_STRING, Deleter<ASN1_OCTET_STRING, ASN1_OCTET_STRING_free>>;

void free_bio(BIO* b) { BIO_free(b); }
using Bio = std::unique_ptr<BIO, Deleter<BIO, free_bio>>;

Bignum bignum() { return Bignum(BN_new()); }

// Key material from a seed: SHA-256 over (purpose, seed, block counter).
class SeededBytes {
 public:
  SeededBytes(std::uint64_t seed, std::string_view purpose) : prefix_(purpose) {
    for (int i = 0; i < 8; ++i) prefix_ += static_cast<char>((seed >> (8 * i)) & 0xFF);
  }
  bool fill(unsigned char* out, std::size_t n) {
    while (n > 0) {
      std::string block = prefix_;
      for (int i = 0; i < 8; ++i) block += static_cast<char>((counter_ >> (8 * i)) & 0xFF);
      ++counter_;
      std::array<unsigned char, EVP_MAX_MD_SIZE> digest{};
      unsigned int size = 0;
      if (EVP_Digest(block.data(), block.size(), digest.data(), &size, EVP_sha256(), nullptr) != 1) return false;
      const std::size_t take = std::min<std::size_t>(n, size);
      std::memcpy(out, digest.data(), take);
      out += take;
      n -= take;
    }
    return true;
  }

 private:
  std::string prefix_;
  std::uint64_t counter_ = 0;
};

// A prime of exactly `bits` bits (the top two set, so that a product of two
// has twice as many) with p mod 65537 != 1, so that e = 65537 is invertible.
bool seeded_prime(SeededBytes& bytes, int bits, BIGNUM* out, BN_CTX* ctx) {
  std::vector<unsigned char> candidate(static_cast<std::size_t>(bits) / 8);
  for (int attempt = 0; attempt < 1'000'000; ++attempt) {
    if (!bytes.fill(candidate.data(), candidate.size())) return false;
    candidate.front() |= 0xC0;
    candidate.back() |= 0x01;
    if (BN_bin2bn(candidate.data(), static_cast<int>(candidate.size()), out) == nullptr) return false;
    if (BN_mod_word(out, 65537) == 1) continue;
    const int prime = BN_check_prime(out, ctx, nullptr);
    if (prime < 0) return false;
    if (prime == 1) return true;
  }
  return false;
}

Pkey key_from_params(const char* algorithm, OSSL_PARAM_BLD* builder) {
  const Params params(OSSL_PARAM_BLD_to_param(builder));
  const PkeyCtx ctx(EVP_PKEY_CTX_new_from_name(nullptr, algorithm, nullptr));
  EVP_PKEY* key = nullptr;
  if (!params || !ctx || EVP_PKEY_fromdata_init(ctx.get()) != 1 ||
      EVP_PKEY_fromdata(ctx.get(), &key, EVP_PKEY_KEYPAIR, params.get()) != 1)
    return nullptr;
  return Pkey(key);
}

Pkey seeded_rsa(std::uint64_t seed, int bits) {
  SeededBytes bytes(seed, "constable rsa key");
  const BignumCtx ctx(BN_CTX_new());
  Bignum p = bignum(), q = bignum(), e = bignum(), n = bignum(), p1 = bignum(), q1 = bignum(), phi = bignum();
  Bignum dmp1 = bignum(), dmq1 = bignum();
  if (!ctx || !p || !q || !e || !n || !p1 || !q1 || !phi || !dmp1 || !dmq1) return nullptr;
  if (!seeded_prime(bytes, bits / 2, p.get(), ctx.get())) return nullptr;
  do {
    if (!seeded_prime(bytes, bits / 2, q.get(), ctx.get())) return nullptr;
  } while (BN_cmp(p.get(), q.get()) == 0);
  if (BN_set_word(e.get(), 65537) != 1 || BN_mul(n.get(), p.get(), q.get(), ctx.get()) != 1 ||
      BN_sub(p1.get(), p.get(), BN_value_one()) != 1 || BN_sub(q1.get(), q.get(), BN_value_one()) != 1 ||
      BN_mul(phi.get(), p1.get(), q1.get(), ctx.get()) != 1)
    return nullptr;
  const Bignum d(BN_mod_inverse(nullptr, e.get(), phi.get(), ctx.get()));
  const Bignum iqmp(BN_mod_inverse(nullptr, q.get(), p.get(), ctx.get()));
  if (!d || !iqmp || BN_nnmod(dmp1.get(), d.get(), p1.get(), ctx.get()) != 1 ||
      BN_nnmod(dmq1.get(), d.get(), q1.get(), ctx.get()) != 1)
    return nullptr;
  const ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (!builder || OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_N, n.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_E, e.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_D, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_FACTOR1, p.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_FACTOR2, q.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_EXPONENT1, dmp1.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_EXPONENT2, dmq1.get()) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_RSA_COEFFICIENT1, iqmp.get()) != 1)
    return nullptr;
  return key_from_params("RSA", builder.get());
}

Pkey seeded_p256(std::uint64_t seed) {
  SeededBytes bytes(seed, "constable ecdsa key");
  const BignumCtx ctx(BN_CTX_new());
  const Group group(EC_GROUP_new_by_curve_name(NID_X9_62_prime256v1));
  if (!ctx || !group) return nullptr;
  // A scalar in [1, order - 1], with 64 extra bits against modulo bias.
  std::array<unsigned char, 40> raw{};
  Bignum d = bignum(), range = bignum();
  if (!d || !range || !bytes.fill(raw.data(), raw.size()) ||
      BN_bin2bn(raw.data(), static_cast<int>(raw.size()), d.get()) == nullptr ||
      BN_sub(range.get(), EC_GROUP_get0_order(group.get()), BN_value_one()) != 1 ||
      BN_nnmod(d.get(), d.get(), range.get(), ctx.get()) != 1 || BN_add_word(d.get(), 1) != 1)
    return nullptr;
  const Point pub(EC_POINT_new(group.get()));
  std::array<unsigned char, 65> encoded{};
  if (!pub || EC_POINT_mul(group.get(), pub.get(), d.get(), nullptr, nullptr, ctx.get()) != 1) return nullptr;
  const std::size_t size = EC_POINT_point2oct(group.get(), pub.get(), POINT_CONVERSION_UNCOMPRESSED, encoded.data(),
                                              encoded.size(), ctx.get());
  const ParamBuilder builder(OSSL_PARAM_BLD_new());
  if (size == 0 || !builder ||
      OSSL_PARAM_BLD_push_utf8_string(builder.get(), OSSL_PKEY_PARAM_GROUP_NAME, "prime256v1", 0) != 1 ||
      OSSL_PARAM_BLD_push_BN(builder.get(), OSSL_PKEY_PARAM_PRIV_KEY, d.get()) != 1 ||
      OSSL_PARAM_BLD_push_octet_string(builder.get(), OSSL_PKEY_PARAM_PUB_KEY, encoded.data(), size) != 1)
    return nullptr;
  return key_from_params("EC", builder.get());
}

Pkey seeded_ed25519(std::uint64_t seed) {
  SeededBytes bytes(seed, "constable ed25519 key");
  std::array<unsigned char, 32> raw{};
  if (!bytes.fill(raw.data(), raw.size())) return nullptr;
  return Pkey(EVP_PKEY_new_raw_private_key(EVP_PKEY_ED25519, nullptr, raw.data(), raw.size()));
}

Pkey random_key(KeyType type, int rsa_bits) {
  switch (type) {
    case KeyType::rsa: return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "RSA", static_cast<std::size_t>(rsa_bits)));
    case KeyType::ecdsa: return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "EC", "P-256"));
    case KeyType::ed25519: return Pkey(EVP_PKEY_Q_keygen(nullptr, nullptr, "ED25519"));
  }
  return nullptr;
}

std::string bio_text(BIO* bio) {
  char* data = nullptr;
  const long size = BIO_get_mem_data(bio, &data);
  return size > 0 && data != nullptr ? std::string(data, static_cast<std::size_t>(size)) : std::string();
}

// PEM as Go's pem.Encode writes the block Sprig chooses for the key type.
std::optional<std::string> key_pem(EVP_PKEY* key) {
  const Bio bio(BIO_new(BIO_s_mem()));
  if (!bio) return std::nullopt;
  const bool pkcs8 = EVP_PKEY_get_id(key) == EVP_PKEY_ED25519;
  const int written =
      pkcs8 ? PEM_write_bio_PrivateKey(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr)
            : PEM_write_bio_PrivateKey_traditional(bio.get(), key, nullptr, nullptr, 0, nullptr, nullptr);
  if (written != 1) return std::nullopt;
  return bio_text(bio.get());
}

Pkey parse_key(const std::string& pem) {
  const Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return Pkey(PEM_read_bio_PrivateKey(bio.get(), nullptr, nullptr, nullptr));
}

Cert parse_certificate(const std::string& pem) {
  const Bio bio(BIO_new_mem_buf(pem.data(), static_cast<int>(pem.size())));
  if (!bio) return nullptr;
  return Cert(PEM_read_bio_X509(bio.get(), nullptr, nullptr, nullptr));
}

bool add_extension(X509* cert, X509* issuer, int nid, const char* value) {
  X509V3_CTX ctx;
  X509V3_set_ctx_nodb(&ctx);
  X509V3_set_ctx(&ctx, issuer, cert, nullptr, nullptr, 0);
  const Extension ext(X509V3_EXT_conf_nid(nullptr, &ctx, nid, value));
  return ext && X509_add_ext(cert, ext.get(), -1) == 1;
}

// DNS names, then IP addresses, as Go orders subjectAltName.
std::expected<bool, std::string> add_alt_names(X509* cert, const CertificateRequest& request) {
  if (request.dns_names.empty() && request.ips.empty()) return true;
  const GeneralNames names(sk_GENERAL_NAME_new_null());
  if (!names) return std::unexpected(std::string("out of memory"));
  for (const auto& dns : request.dns_names) {
    ASN1_IA5STRING* text = ASN1_IA5STRING_new();
    if (text == nullptr || ASN1_STRING_set(text, dns.data(), static_cast<int>(dns.size())) != 1) {
      ASN1_IA5STRING_free(text);
      return std::unexpected(std::string("out of memory"));
    }
    GENERAL_NAME* name = GENERAL_NAME_new();
    if (name == nullptr) {
      ASN1_IA5STRING_free(text);
      return std::unexpected(std::string("out of memory"));
    }
    GENERAL_NAME_set0_value(name, GEN_DNS, text);
    sk_GENERAL_NAME_push(names.get(), name);
  }
  for (const auto& ip : request.ips) {
    Octets address(a2i_IPADDRESS(ip.c_str()));
    if (!address) return std::unexpected(fmt::format("error parsing ip: {}", ip));
    GENERAL_NAME* name = GENERAL_NAME_new();
    if (name == nullptr) return std::unexpected(std::string("out of memory"));
    GENERAL_NAME_set0_value(name, GEN_IPADD, address.release());
    sk_GENERAL_NAME_push(names.get(), name);
  }
  if (X509_add1_ext_i2d(cert, NID_subject_alt_name, names.get(), 0, X509V3_ADD_DEFAULT) != 1)
    return std::unexpected(std::string("cannot encode subjectAltName"));
  return true;
}

constexpr std::uintmax_t kMaxCachedKeyBytes = 64 * 1024;

// A cached key is used only if it parses and is of the type (and size) asked for.
bool is_key_of(const std::string& pem, KeyType type, int rsa_bits) {
  const Pkey key = parse_key(pem);
  if (!key) return false;
  switch (type) {
    case KeyType::rsa: return EVP_PKEY_is_a(key.get(), "RSA") == 1 && EVP_PKEY_get_bits(key.get()) == rsa_bits;
    case KeyType::ecdsa: return EVP_PKEY_is_a(key.get(), "EC") == 1;
    case KeyType::ed25519: return EVP_PKEY_is_a(key.get(), "ED25519") == 1;
  }
  return false;
}

}  // namespace

// A seeded key is the same on every run: its cache entry is named by the
// derivation's version, the key's type and size and the seed.
std::string seeded_key_cache_name(KeyType type, int rsa_bits, std::uint64_t seed) {
  return fmt::format("seeded-key-{}.pem",
                     digest::sha256_hex(fmt::format("constable seeded key 1 {} {} {}", static_cast<int>(type),
                                            type == KeyType::rsa ? rsa_bits : 0, seed)));
}

std::expected<std::string, std::string> generate_key(KeyType type, int rsa_bits, const KeySource& source) {
  if (!source.seed) {
    Pkey key = random_key(type, rsa_bits);
    auto pem = key ? key_pem(key.get()) : std::nullopt;
    if (!pem) return std::unexpected(std::string("failed to generate private key"));
    return *pem;
  }
  // One key per seed, type and size for the whole process: RSA keys take a
  // while to find, and every chart asking for its first key gets the same.
  static std::mutex mutex;
  static std::map<std::tuple<KeyType, int, std::uint64_t>, std::string> made;
  const auto id = std::make_tuple(type, type == KeyType::rsa ? rsa_bits : 0, *source.seed);
  {
    const std::lock_guard lock(mutex);
    if (const auto it = made.find(id); it != made.end()) return it->second;
  }
  // And between runs: a 4096-bit RSA key (Sprig's genPrivateKey "rsa") takes
  // most of a second to find, longer than the rest of most charts' renders.
  const std::optional<std::filesystem::path> cache_directory = cache::default_directory();
  const std::string cache_name = seeded_key_cache_name(type, rsa_bits, *source.seed);
  std::optional<std::string> pem;
  if (cache_directory) {
    pem = cache::read(*cache_directory, cache_name, kMaxCachedKeyBytes);
    if (pem && !is_key_of(*pem, type, rsa_bits)) pem.reset();
  }
  if (!pem) {
    Pkey key;
    switch (type) {
      case KeyType::rsa: key = seeded_rsa(*source.seed, rsa_bits); break;
      case KeyType::ecdsa: key = seeded_p256(*source.seed); break;
      case KeyType::ed25519: key = seeded_ed25519(*source.seed); break;
    }
    pem = key ? key_pem(key.get()) : std::nullopt;
    if (!pem) return std::unexpected(std::string("failed to generate private key"));
    if (cache_directory) cache::write(*cache_directory, cache_name, *pem);
  }
  const std::lock_guard lock(mutex);
  return made.emplace(id, std::move(*pem)).first->second;
}

std::expected<Certificate, std::string> make_certificate(const CertificateRequest& request,
                                                         const std::string& key_pem_text, const Certificate* signer) {
  const Pkey key = parse_key(key_pem_text);
  if (!key) return std::unexpected(std::string("error parsing private key"));
  Cert signer_cert;
  Pkey signer_key;
  if (signer != nullptr) {
    signer_cert = parse_certificate(signer->cert);
    if (!signer_cert) return std::unexpected(std::string("unable to decode certificate"));
    signer_key = parse_key(signer->key);
    if (!signer_key) return std::unexpected(std::string("error parsing private key"));
  }
  // Go adds time.Duration(days) * 24h; past ±10^7 days that overflows there too.
  if (request.days_valid > 10'000'000 || request.days_valid < -10'000'000)
    return std::unexpected(fmt::format("daysValid out of range: {}", request.days_valid));

  const Cert cert(X509_new());
  const Bignum serial = bignum();
  if (!cert || !serial || X509_set_version(cert.get(), X509_VERSION_3) != 1 ||
      BN_bin2bn(reinterpret_cast<const unsigned char*>(request.serial.data()), static_cast<int>(request.serial.size()),
                serial.get()) == nullptr ||
      BN_to_ASN1_INTEGER(serial.get(), X509_get_serialNumber(cert.get())) == nullptr)
    return std::unexpected(std::string("cannot create certificate"));
  X509_NAME* subject = X509_get_subject_name(cert.get());
  if (!request.common_name.empty() &&
      X509_NAME_add_entry_by_txt(subject, "CN", MBSTRING_UTF8,
                                 reinterpret_cast<const unsigned char*>(request.common_name.data()),
                                 static_cast<int>(request.common_name.size()), -1, 0) != 1)
    return std::unexpected(std::string("cannot encode the common name"));
  X509* issuer = signer_cert ? signer_cert.get() : cert.get();
  const time_t not_before = static_cast<time_t>(request.not_before_unix);
  const time_t not_after = static_cast<time_t>(request.not_before_unix + request.days_valid * 86400);
  if (X509_set_issuer_name(cert.get(), X509_get_subject_name(issuer)) != 1 ||
      ASN1_TIME_set(X509_getm_notBefore(cert.get()), not_before) == nullptr ||
      ASN1_TIME_set(X509_getm_notAfter(cert.get()), not_after) == nullptr ||
      X509_set_pubkey(cert.get(), key.get()) != 1)
    return std::unexpected(std::string("cannot create certificate"));

  // Go's crypto/x509 for Sprig's template.
  const bool ok =
      add_extension(cert.get(), issuer, NID_key_usage,
                    request.is_ca ? "critical,digitalSignature,keyEncipherment,keyCertSign"
                                  : "critical,digitalSignature,keyEncipherment") &&
      add_extension(cert.get(), issuer, NID_ext_key_usage, "serverAuth,clientAuth") &&
      add_extension(cert.get(), issuer, NID_basic_constraints,
                    request.is_ca ? "critical,CA:TRUE" : "critical,CA:FALSE") &&
      (!request.is_ca || add_extension(cert.get(), issuer, NID_subject_key_identifier, "hash")) &&
      (!signer_cert || X509_NAME_cmp(X509_get_subject_name(issuer), subject) == 0 ||
       X509_get_ext_by_NID(signer_cert.get(), NID_subject_key_identifier, -1) < 0 ||
       add_extension(cert.get(), issuer, NID_authority_key_identifier, "keyid"));
  if (!ok) return std::unexpected(std::string("cannot encode certificate extensions"));
  if (auto names = add_alt_names(cert.get(), request); !names) return std::unexpected(names.error());

  EVP_PKEY* signing_key = signer_key ? signer_key.get() : key.get();
  const EVP_MD* digest = EVP_PKEY_get_id(signing_key) == EVP_PKEY_ED25519 ? nullptr : EVP_sha256();
  if (X509_sign(cert.get(), signing_key, digest) <= 0) return std::unexpected(std::string("error signing certificate"));
  const Bio bio(BIO_new(BIO_s_mem()));
  if (!bio || PEM_write_bio_X509(bio.get(), cert.get()) != 1)
    return std::unexpected(std::string("cannot encode certificate"));
  auto key_text = key_pem(key.get());
  if (!key_text) return std::unexpected(std::string("cannot encode private key"));
  return Certificate{bio_text(bio.get()), std::move(*key_text)};
}

}  // namespace constable::helm::tmpl::crypto
