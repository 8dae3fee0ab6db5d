#pragma once
// The HTTP(S) edge of `constable serve`: accepts connections, enforces the
// limits a public endpoint needs (body size, header and idle timeouts, a cap
// on connections, a per-client rate limit), terminates TLS with a
// certificate re-read when its files change, and hands each complete request
// to one handler. It knows nothing of constitutions or admission: the
// service (serve/service.hpp) routes requests.
//
// Errors the edge answers itself (malformed HTTP, 408, 413, 429, 503) are
// application/problem+json (RFC 7807) bodies, like the handler's.

#include <chrono>
#include <cstdint>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace constable::serve::http {

struct Request {
  std::string method;  // "GET", "POST", ...
  std::string target;  // as sent: path and query
  std::string path;    // target without the query, percent-decoded
  std::vector<std::pair<std::string, std::string>> query;    // decoded, in order
  std::vector<std::pair<std::string, std::string>> headers;  // names lower-cased
  std::string body;
  std::string client;  // the peer's address, for rate limits and logs

  // The first header of that (lower-case) name, "" when absent.
  std::string_view header(std::string_view name) const;
  // The first query parameter of that name, nullopt when absent.
  std::optional<std::string_view> query_parameter(std::string_view name) const;
};

struct Response {
  int status = 200;
  std::string content_type = "application/json";
  std::vector<std::pair<std::string, std::string>> headers;  // besides Content-Type and Content-Length
  std::string body;
};

// An RFC 7807 problem: {"type", "title", "status", "detail"} as
// application/problem+json. `type` is "about:blank" unless given.
Response problem(int status, std::string_view title, std::string_view detail, std::string_view type = {});

// A 405 problem saying which methods `path` accepts, with Allow.
Response method_not_allowed(std::string_view allowed, std::string_view path);

// `response` carrying `etag` and `cache_control`; 304 without a body when
// the request's If-None-Match already names that ETag.
Response with_etag(const Request& request, Response response, std::string etag, std::string_view cache_control);

// Runs on a server thread for every complete request; must not throw (the
// server answers 500 with a problem if it does).
using Handler = std::function<Response(const Request&)>;

// What the server tells the service about itself, for logs and metrics.
// Each is called from a server thread; null members are skipped.
struct Events {
  // A certificate was (re)loaded, or a changed one was refused (the old one
  // keeps serving): `ok` false with the reason.
  std::function<void(bool ok, std::string_view message)> tls_reload;
  // The edge answered a request itself (status 400, 408, 413, 429, 503).
  std::function<void(int status, std::string_view client)> rejected;
};

struct TlsFiles {
  std::string certificate;  // PEM, the chain
  std::string private_key;  // PEM
};

struct Limits {
  std::size_t max_body_bytes = 10 * 1024 * 1024;
  std::size_t max_header_bytes = 16 * 1024;
  std::chrono::milliseconds header_timeout{10'000};  // the whole request head, from the first byte (slow-loris)
  std::chrono::milliseconds body_timeout{30'000};    // the whole body
  std::chrono::milliseconds idle_timeout{60'000};    // keep-alive between requests
  std::chrono::milliseconds handshake_timeout{10'000};
  std::size_t max_connections = 4096;  // more are closed at accept (503 when plain HTTP)
  // Per client address: a token bucket of `rate_per_second`, up to `burst`; 0 disables.
  double rate_per_second = 0;
  double burst = 0;
};

struct Options {
  std::string address = "0.0.0.0";
  std::uint16_t port = 8443;       // 0 picks a free port (tests)
  std::optional<TlsFiles> tls;     // nullopt: plain HTTP (`--insecure`)
  Limits limits;
  unsigned threads = 0;            // event loops; 0: one per hardware thread
  // How often the certificate files are looked at for a change.
  std::chrono::milliseconds tls_poll{2'000};
};

class Server {
 public:
  // Binds, loads the certificate (refused without a subjectAltName, or when
  // the key does not match it) and starts serving on background threads.
  static Result<std::unique_ptr<Server>> start(Options options, Handler handler, Events events = {});
  virtual ~Server() = default;
  virtual std::uint16_t port() const = 0;  // the bound port (when 0 was asked)
  virtual std::size_t open_connections() const = 0;
  // Stops accepting, closes every connection and joins the threads; idempotent.
  virtual void stop() = 0;
};

// A certificate's problems as `start` reports them ("has no subjectAltName"),
// for a certificate and key in PEM; empty when usable.
Result<void> validate_certificate(const TlsFiles& files);

}  // namespace constable::serve::http
