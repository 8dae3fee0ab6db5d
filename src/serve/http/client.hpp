#pragma once
// A small, bounded HTTP(S) client for the few calls constable makes out:
// the Kubernetes API (a namespace's labels; a cluster audit's lists and
// PolicyReports), an OpenID Connect issuer (its signing keys) and
// `constable health` (a probe of a running server). Each
// call is one request on a fresh connection with a deadline for the whole
// exchange and a limit on the response body, so a slow or hostile peer
// costs at most that.

#include <chrono>
#include <cstddef>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "core/error.hpp"

namespace constable::serve::http {

struct ClientOptions {
  // PEM bundle of the CAs to trust; empty: the system's default paths.
  std::string ca_file;
  // The same given inline (a kubeconfig's certificate-authority-data); when
  // set, only these CAs are trusted.
  std::string ca_pem;
  // A client certificate and its key, PEM, for mutual TLS (a kubeconfig's
  // client-certificate-data and client-key-data).
  std::string client_certificate_pem;
  std::string client_key_pem;
  // Verify the peer's chain and that it names the host. Off only for a
  // probe of the local server (as the kubelet's HTTPS probes do).
  bool verify_peer = true;
  std::chrono::milliseconds timeout{2'000};  // connect, handshake, request and response together
  std::size_t max_body_bytes = 4 * 1024 * 1024;
};

struct ClientResponse {
  int status = 0;
  std::string content_type;
  std::string body;
};

struct Url {
  bool tls = true;
  std::string host;  // without brackets for an IPv6 literal
  std::string port;
  std::string target;  // path and query, at least "/"
};

// http://host[:port]/path or https://...; IPv6 literals in brackets.
Result<Url> parse_url(std::string_view url);

// GET `url` with the given extra headers (e.g. Authorization).
Result<ClientResponse> get(std::string_view url, const std::vector<std::pair<std::string, std::string>>& headers,
                           const ClientOptions& options);

// Any method, with a body (sent with the Content-Type among `headers`).
Result<ClientResponse> request(std::string_view method, std::string_view url,
                               const std::vector<std::pair<std::string, std::string>>& headers, std::string body,
                               const ClientOptions& options);

}  // namespace constable::serve::http
