#include "core/digest.hpp"

#include <new>

#include <openssl/evp.h>

namespace constable::digest {

namespace {

template <std::size_t N>
std::array<std::uint8_t, N> one_shot(const EVP_MD* md, std::string_view data) {
  std::array<std::uint8_t, N> out{};
  unsigned int size = 0;
  // EVP_Digest fails only on allocation failure: treat it as such.
  if (EVP_Digest(data.data(), data.size(), out.data(), &size, md, nullptr) != 1 || size != N)
    throw std::bad_alloc();
  return out;
}

template <std::size_t N>
std::string to_hex(const std::array<std::uint8_t, N>& bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(N * 2);
  for (const std::uint8_t b : bytes) {
    out += kDigits[b >> 4];
    out += kDigits[b & 0xF];
  }
  return out;
}

// OpenSSL 3 looks EVP_sha256()'s implementation up in its provider at every
// use; an algorithm fetched once is used directly ("explicit fetching" in
// OpenSSL's migration guide), which pays for the many short digests of a run
// (fingerprints, cache keys). Should the fetch fail, the implicit lookup
// still works.
const EVP_MD* sha256_algorithm() {
  static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA2-256", nullptr);
  return fetched != nullptr ? fetched : EVP_sha256();
}

const EVP_MD* sha1_algorithm() {
  static const EVP_MD* const fetched = EVP_MD_fetch(nullptr, "SHA1", nullptr);
  return fetched != nullptr ? fetched : EVP_sha1();
}

}  // namespace

// The first digest loads the configuration and the provider and fetches the
// algorithm.
void initialize() { (void)sha256({}); }

Sha256 sha256(std::string_view data) { return one_shot<32>(sha256_algorithm(), data); }
std::string sha256_hex(std::string_view data) { return to_hex(sha256(data)); }
std::string sha1_hex(std::string_view data) { return to_hex(one_shot<20>(sha1_algorithm(), data)); }
std::string hex(const Sha256& digest) { return to_hex(digest); }

void Sha256Builder::Free::operator()(evp_md_ctx_st* context) const { EVP_MD_CTX_free(context); }

Sha256Builder::Sha256Builder() : context_(EVP_MD_CTX_new()) {
  if (!context_ || EVP_DigestInit_ex(context_.get(), sha256_algorithm(), nullptr) != 1) throw std::bad_alloc();
}

Sha256Builder& Sha256Builder::add(std::uint64_t number) {
  std::array<std::uint8_t, 8> bytes{};
  for (std::size_t i = 0; i < 8; ++i) bytes[i] = static_cast<std::uint8_t>(number >> (8 * i));
  EVP_DigestUpdate(context_.get(), bytes.data(), bytes.size());
  return *this;
}

Sha256Builder& Sha256Builder::add(std::string_view piece) {
  add(static_cast<std::uint64_t>(piece.size()));
  EVP_DigestUpdate(context_.get(), piece.data(), piece.size());
  return *this;
}

Sha256 Sha256Builder::finish() {
  Sha256 out{};
  unsigned int size = 0;
  EVP_DigestFinal_ex(context_.get(), out.data(), &size);
  EVP_DigestInit_ex(context_.get(), sha256_algorithm(), nullptr);  // ready for another
  return out;
}

}  // namespace constable::digest
