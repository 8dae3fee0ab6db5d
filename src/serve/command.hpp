#pragma once
// `constable serve`: starts the service and the HTTP edge, then waits for a
// signal: SIGHUP reloads the constitution and configuration, SIGINT or
// SIGTERM stop (Kubernetes sends SIGTERM and waits for the grace period).

#include <chrono>
#include <optional>
#include <string>

#include "core/date.hpp"
#include "serve/snapshot.hpp"

namespace constable::serve {

struct ServeOptions {
  Sources sources;
  std::string listen = "0.0.0.0:8443";  // ADDR:PORT, [IPv6]:PORT
  std::optional<std::string> tls_certificate;
  std::optional<std::string> tls_key;
  bool insecure = false;  // plain HTTP, for local use
  unsigned threads = 0;
  std::string max_body = "10MB";
  double rate_limit = 1000;  // requests per second per client; 0 turns it off
  std::chrono::milliseconds reload_interval{2000};
  std::optional<Date> today;
  // The audit store the dashboard reads (`constable audit`'s); none: no dashboard.
  std::optional<std::string> store;
  // Where namespace labels come from: "auto" (the in-cluster API when the
  // pod has one), "none", or an https:// URL with kube_ca and kube_token.
  std::string kube_api = "auto";
  std::string kube_ca;
  std::string kube_token;
  // The REST API's OpenID Connect issuer and audience; without an issuer the
  // API takes requests without a token.
  std::string oidc_issuer;
  std::string oidc_audience;
  std::string oidc_ca;
};

// `constable health`: one GET of a running server's readiness, for a
// container HEALTHCHECK (the image has no curl).
struct HealthOptions {
  std::string url = "https://127.0.0.1:8443/readyz";
  std::string ca_file;  // verify the server against this CA; without it, only a loopback server is probed unverified
  std::chrono::milliseconds timeout{2000};
};
// 0 when the server answers 200, 1 otherwise (with the reason on stderr).
int health(const HealthOptions& options);

// Runs until SIGINT or SIGTERM; the exit code (2 when it cannot start).
int serve(const ServeOptions& options);

// "0.0.0.0:8443", "[::1]:8443", ":8443" -> address and port.
Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view listen);

}  // namespace constable::serve
