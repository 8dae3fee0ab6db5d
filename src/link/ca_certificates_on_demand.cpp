// The system's CA certificates, parsed for the static CLI's libgit2 when
// its first TLS handshake needs them rather than when it initialises
// (docs/adr/0010-static-dependencies.md).
//
// Debian's libgit2, built on mbedTLS, parses /etc/ssl/certs/
// ca-certificates.crt in git_libgit2_init(): a hundred and forty
// certificates, base64-decoded in constant time, about 4 ms of CPU in every
// run, which opens a local repository and talks to no server. Only an
// audit's clone over HTTPS needs them. The executable is linked with
// `--wrap` for the two mbedTLS functions below (cmake/dependencies.cmake):
// libgit2's calls reach these, which reach mbedTLS's own as __real_*.
//
// The first certificate file libgit2 asks for (its initialisation's) is
// noted, not parsed; the first handshake parses it into the same chain,
// which libgit2 has already handed to its TLS configuration. A location
// set later (GIT_OPT_SET_SSL_CERT_LOCATIONS) replaces the chain and is
// parsed at once, as before. Should libgit2 ever handshake some other way,
// the chain stays empty and every certificate is refused: the failure is
// a refused clone, never an unverified one.

#include <mbedtls/ssl.h>
#include <mbedtls/x509_crt.h>

#include <mutex>
#include <string>

extern "C" {
int __real_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path);
int __real_mbedtls_ssl_handshake(mbedtls_ssl_context* ssl);
}

namespace {

struct Deferred {
  std::mutex mutex;
  bool initialisation_seen = false;
  mbedtls_x509_crt* chain = nullptr;  // null: nothing left to parse
  std::string file;
};

Deferred& deferred() {
  static Deferred instance;
  return instance;
}

}  // namespace

extern "C" {

int __wrap_mbedtls_x509_crt_parse_file(mbedtls_x509_crt* chain, const char* path) {
  Deferred& pending = deferred();
  {
    const std::lock_guard lock(pending.mutex);
    if (!pending.initialisation_seen && path != nullptr) {
      pending.initialisation_seen = true;
      pending.chain = chain;
      pending.file = path;
      return 0;
    }
    pending.initialisation_seen = true;
    pending.chain = nullptr;  // the chain is being replaced: what was noted is gone with it
  }
  return __real_mbedtls_x509_crt_parse_file(chain, path);
}

int __wrap_mbedtls_ssl_handshake(mbedtls_ssl_context* ssl) {
  Deferred& pending = deferred();
  {
    const std::lock_guard lock(pending.mutex);
    if (pending.chain != nullptr) {
      // As libgit2 would have: a file of which some certificates parse
      // gives those; one that fails as a whole gives none, and every
      // certificate is refused.
      if (__real_mbedtls_x509_crt_parse_file(pending.chain, pending.file.c_str()) < 0) {
        mbedtls_x509_crt_free(pending.chain);
        mbedtls_x509_crt_init(pending.chain);
      }
      pending.chain = nullptr;
    }
  }
  return __real_mbedtls_ssl_handshake(ssl);
}

}  // extern "C"
