// Sprig's certificate and key functions: genCA, genCAWithKey,
// genSelfSignedCert(WithKey), genSignedCert(WithKey) and genPrivateKey.
// Deterministic renders derive the keys from the seed and the key's place in
// the render, serial numbers from the seeded generator and validity from the
// fixed `now`, so that a chart renders the same bytes on every run.

#include <fmt/format.h>

#include "helm/template/crypto.hpp"
#include "helm/template/functions.hpp"

namespace constable::helm::tmpl {

namespace {

using Args = std::span<const Value>;

// Sprig's `certificate` struct: .Cert and .Key, PEM strings.
class CertificateObject : public Object {
 public:
  explicit CertificateObject(crypto::Certificate certificate) : certificate_(std::move(certificate)) {}
  std::string type_name() const override { return "sprig.certificate"; }
  std::optional<Value> field(std::string_view name) const override {
    if (name == "Cert") return Value::of(certificate_.cert);
    if (name == "Key") return Value::of(certificate_.key);
    return std::nullopt;
  }
  std::string to_string() const override { return "{" + certificate_.cert + " " + certificate_.key + "}"; }
  const crypto::Certificate& certificate() const { return certificate_; }

 private:
  crypto::Certificate certificate_;
};

Value certificate_value(crypto::Certificate certificate) {
  return Value::of(std::shared_ptr<const Object>(std::make_shared<CertificateObject>(std::move(certificate))));
}

// Keys take tens of milliseconds (RSA 4096: a second) to make and
// certificates one to sign: a render may make this many, and derives at most
// kDistinctKeys keys from its seed, so that `range until 100000` stays cheap.
constexpr std::uint64_t kMaxGenerated = 1000;
constexpr std::uint64_t kDistinctKeys = 8;

// Counts one key or certificate of the render; past kMaxGenerated, a limit problem.
Expected<void> count_generated(Call& c) {
  if (c.generated == nullptr) return {};
  if (*c.generated >= kMaxGenerated)
    return func_error(fmt::format("a render makes at most {} keys and certificates", kMaxGenerated), ErrorKind::limit);
  ++*c.generated;
  return {};
}

// The key's seed: the render's seed and the key's place in the render (one
// of kDistinctKeys), so that the n-th key of every deterministic render is
// the same, made once per process.
crypto::KeySource key_source(Call& c) {
  if (c.determinism == nullptr || !c.determinism->enabled) return {};
  const std::uint64_t index = c.generated != nullptr ? *c.generated % kDistinctKeys : next_random(c) % kDistinctKeys;
  return {c.determinism->seed * 0x100000001B3ULL ^ index};
}

// Sprig's getNetIPs / getAlternateDNSStrs: nil is none; every item must be a string.
Expected<std::vector<std::string>> strings_of(const Value& list, std::string_view what) {
  std::vector<std::string> out;
  if (list.is_nil()) return out;
  for (const auto& item : *list.list) {
    if (!item.is_string()) return func_error(fmt::format("{}: {} is not a string", what, format_v(item)));
    out.push_back(item.string);
  }
  return out;
}

Expected<const crypto::Certificate*> signer_of(const Value& v) {
  if (v.kind == Kind::object)
    if (const auto* cert = dynamic_cast<const CertificateObject*>(v.object.get())) return &cert->certificate();
  return func_error(fmt::format("wrong type for value; expected sprig.certificate; got {}", type_name(v)));
}

// Sprig's certificate template: a random serial below 2^128, valid from now
// for daysValid days.
crypto::CertificateRequest request(Call& c, const std::string& cn, std::int64_t days) {
  crypto::CertificateRequest r;
  r.common_name = cn;
  r.days_valid = days;
  r.not_before_unix = now_unix(c);
  for (int i = 0; i < 2; ++i) {
    const std::uint64_t bits = next_random(c);
    for (int b = 7; b >= 0; --b) r.serial += static_cast<char>((bits >> (8 * b)) & 0xFF);
  }
  return r;
}

// Makes the certificate for `r` with `key` ("" for a new RSA 2048 key).
Expected<Value> certificate(Call& c, crypto::CertificateRequest r, std::string key, const crypto::Certificate* signer) {
  if (auto counted = count_generated(c); !counted) return std::unexpected(counted.error());
  if (key.empty()) {
    auto made = crypto::generate_key(crypto::KeyType::rsa, 2048, key_source(c));
    if (!made) return func_error(made.error());
    key = std::move(*made);
  }
  auto cert = crypto::make_certificate(r, key, signer);
  if (!cert) return func_error(cert.error());
  return certificate_value(std::move(*cert));
}

Expected<Value> self_signed(Call& c, Args a, std::string key) {
  auto ips = strings_of(a[1], "error parsing ip");
  if (!ips) return std::unexpected(ips.error());
  auto dns = strings_of(a[2], "error processing alternate dns name");
  if (!dns) return std::unexpected(dns.error());
  auto r = request(c, a[0].string, a[3].integer);
  r.ips = std::move(*ips);
  r.dns_names = std::move(*dns);
  return certificate(c, std::move(r), std::move(key), nullptr);
}

Expected<Value> signed_by(Call& c, Args a, std::string key) {
  auto ips = strings_of(a[1], "error parsing ip");
  if (!ips) return std::unexpected(ips.error());
  auto dns = strings_of(a[2], "error processing alternate dns name");
  if (!dns) return std::unexpected(dns.error());
  auto signer = signer_of(a[4]);
  if (!signer) return std::unexpected(signer.error());
  auto r = request(c, a[0].string, a[3].integer);
  r.ips = std::move(*ips);
  r.dns_names = std::move(*dns);
  return certificate(c, std::move(r), std::move(key), *signer);
}

// Sprig's generatePrivateKey: "" and "rsa" (4096 bits), "ecdsa" (P-256),
// "ed25519"; another name, or a failure, comes back as the string itself.
Expected<Value> private_key(Call& c, Args a) {
  const std::string& type = a[0].string;
  crypto::KeyType key_type = crypto::KeyType::rsa;
  if (type == "ecdsa") {
    key_type = crypto::KeyType::ecdsa;
  } else if (type == "ed25519") {
    key_type = crypto::KeyType::ed25519;
  } else if (type == "dsa") {
    return func_error("genPrivateKey \"dsa\" is not supported by constable's Helm renderer", ErrorKind::unsupported);
  } else if (!type.empty() && type != "rsa") {
    return Value::of("Unknown type " + type);
  }
  if (auto counted = count_generated(c); !counted) return std::unexpected(counted.error());
  auto key = crypto::generate_key(key_type, 4096, key_source(c));
  return Value::of(key ? std::move(*key) : std::move(key.error()));
}

}  // namespace

void add_crypto_functions(FunctionTable& t) {
  using P = Param;
  t["genCA"] = Function{{P::string, P::go_int}, false, [](Call& c, Args a) -> Expected<Value> {
                          auto r = request(c, a[0].string, a[1].integer);
                          r.is_ca = true;
                          return certificate(c, std::move(r), {}, nullptr);
                        }};
  t["genCAWithKey"] = Function{{P::string, P::go_int, P::string}, false, [](Call& c, Args a) -> Expected<Value> {
                                 auto r = request(c, a[0].string, a[1].integer);
                                 r.is_ca = true;
                                 return certificate(c, std::move(r), a[2].string, nullptr);
                               }};
  t["genSelfSignedCert"] = Function{{P::string, P::list, P::list, P::go_int}, false,
                                    [](Call& c, Args a) { return self_signed(c, a, {}); }};
  t["genSelfSignedCertWithKey"] = Function{{P::string, P::list, P::list, P::go_int, P::string}, false,
                                           [](Call& c, Args a) { return self_signed(c, a, a[4].string); }};
  t["genSignedCert"] = Function{{P::string, P::list, P::list, P::go_int, P::any}, false,
                                [](Call& c, Args a) { return signed_by(c, a, {}); }};
  t["genSignedCertWithKey"] = Function{{P::string, P::list, P::list, P::go_int, P::any, P::string}, false,
                                       [](Call& c, Args a) { return signed_by(c, a, a[5].string); }};
  t["genPrivateKey"] = Function{{P::string}, false, private_key};
}

}  // namespace constable::helm::tmpl
