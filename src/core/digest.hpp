#pragma once
// Cryptographic digests, from OpenSSL: content identity for caches, ETags
// and snapshot names, and Sprig's sha1sum/sha256sum.

#include <array>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

struct evp_md_ctx_st;  // OpenSSL's EVP_MD_CTX

namespace constable::digest {

using Sha256 = std::array<std::uint8_t, 32>;

// OpenSSL's one-time set-up (its configuration file, its default provider),
// which the first digest would otherwise pay for; safe from any thread.
void initialize();

Sha256 sha256(std::string_view data);
std::string sha256_hex(std::string_view data);
std::string sha1_hex(std::string_view data);

// Lower-case hexadecimal of raw digest bytes.
std::string hex(const Sha256& digest);

// A SHA-256 over many pieces, each framed by its length so that ("ab", "c")
// and ("a", "bc") differ.
class Sha256Builder {
 public:
  Sha256Builder();

  Sha256Builder& add(std::string_view piece);
  Sha256Builder& add(std::uint64_t number);
  Sha256 finish();

 private:
  struct Free {
    void operator()(evp_md_ctx_st* context) const;
  };
  std::unique_ptr<evp_md_ctx_st, Free> context_;
};

}  // namespace constable::digest
