#include "serve/command.hpp"

#include <arpa/inet.h>
#include <netinet/in.h>

#include <csignal>
#include <cstdio>
#include <pthread.h>

#include <charconv>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "engine/config.hpp"
#include "serve/http/client.hpp"
#include "serve/http/server.hpp"
#include "serve/namespaces.hpp"
#include "serve/oidc.hpp"
#include "serve/service.hpp"

namespace constable::serve {
namespace {

void write_line(std::string_view line) {
  // One write per line: lines from several threads do not interleave.
  std::string out(line);
  out += '\n';
  std::fwrite(out.data(), 1, out.size(), stderr);
  std::fflush(stderr);
}

int usage(std::string_view message) {
  write_line(fmt::format("constable: {}", message));
  return 2;
}

}  // namespace

Result<std::pair<std::string, std::uint16_t>> parse_listen(std::string_view listen) {
  const auto colon = listen.rfind(':');
  if (colon == std::string_view::npos)
    return fail(fmt::format("--listen takes ADDR:PORT (e.g. 0.0.0.0:8443), got '{}'", listen));
  std::string address(listen.substr(0, colon));
  if (address.size() >= 2 && address.front() == '[' && address.back() == ']')
    address = address.substr(1, address.size() - 2);
  if (address.empty()) address = "0.0.0.0";
  const std::string_view port_text = listen.substr(colon + 1);
  unsigned port = 0;
  const auto [end, ec] = std::from_chars(port_text.data(), port_text.data() + port_text.size(), port);
  if (ec != std::errc{} || end != port_text.data() + port_text.size() || port > 65535 || port_text.empty())
    return fail(fmt::format("--listen: the port must be 0 to 65535, got '{}'", port_text));
  return std::pair{address, static_cast<std::uint16_t>(port)};
}

int serve(const ServeOptions& options) {
  auto listen = parse_listen(options.listen);
  if (!listen) return usage(listen.error().to_string());
  if (options.tls_certificate.has_value() != options.tls_key.has_value())
    return usage("--tls-cert and --tls-key go together");
  if (!options.tls_certificate && !options.insecure)
    return usage(
        "serve needs --tls-cert and --tls-key (the API server calls webhooks over HTTPS only), "
        "or --insecure for plain HTTP on a trusted network");
  const auto max_body = engine::parse_byte_size(options.max_body);
  if (!max_body || *max_body == 0)
    return usage(fmt::format("--max-body must be a size such as 10MB, got '{}'", options.max_body));

  // Signals are taken by sigwait below: block them before any thread starts
  // so that every thread inherits the mask.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  sigaddset(&signals, SIGHUP);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);
  std::signal(SIGPIPE, SIG_IGN);  // a client that goes away is an error on its socket, not the end of the server

  std::optional<KubeApi> kube_api;
  if (options.kube_api == "auto") {
    kube_api = in_cluster_api();
  } else if (options.kube_api != "none") {
    if (auto url = http::parse_url(options.kube_api); !url || !url->tls)
      return usage(fmt::format("--kube-api takes auto, none or an https:// URL, got '{}'", options.kube_api));
    if (options.kube_ca.empty() || options.kube_token.empty())
      return usage("--kube-api URL needs --kube-ca and --kube-token");
    kube_api = KubeApi{options.kube_api, options.kube_ca, options.kube_token};
  }

  std::unique_ptr<TokenVerifier> verifier;
  if (!options.oidc_issuer.empty()) {
    if (!options.oidc_issuer.starts_with("https://") || !http::parse_url(options.oidc_issuer))
      return usage(fmt::format("--oidc-issuer must be an https:// URL, got '{}'", options.oidc_issuer));
    if (options.oidc_audience.empty()) return usage("--oidc-issuer needs --oidc-audience (the API's client id)");
    verifier = std::make_unique<TokenVerifier>(
        OidcOptions{.issuer = options.oidc_issuer, .audience = options.oidc_audience, .ca_file = options.oidc_ca});
  } else if (!options.oidc_audience.empty()) {
    return usage("--oidc-audience needs --oidc-issuer");
  }

  Service service(options.sources, write_line);
  if (options.today) service.set_today(*options.today);
  service.look_up_namespaces_in(std::move(kube_api));
  if (options.store) service.serve_dashboard_from(*options.store);
  if (verifier) {
    // An issuer that is down at start must not keep the webhook down: the
    // API refuses tokens until the keys arrive, admission goes on.
    const auto keys = verifier->refresh();
    write_line(nlohmann::json{{"level", keys ? "info" : "warn"},
                              {"msg", keys ? "REST API tokens verified against the issuer's keys"
                                           : "the issuer's keys are not available yet; REST API requests are refused until they are"},
                              {"issuer", options.oidc_issuer},
                              {"error", keys ? std::string() : keys.error().message}}
                   .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));
    service.authenticate_api_with(std::move(verifier));
  } else {
    write_line(R"json({"level":"warn","msg":"the REST API takes requests without a token (no --oidc-issuer)"})json");
  }
  if (auto loaded = service.load(); !loaded) return usage(loaded.error().to_string());

  http::Options server_options;
  server_options.address = listen->first;
  server_options.port = listen->second;
  if (options.tls_certificate) server_options.tls = http::TlsFiles{*options.tls_certificate, *options.tls_key};
  server_options.threads = options.threads;
  server_options.limits.max_body_bytes = static_cast<std::size_t>(*max_body);
  server_options.limits.rate_per_second = options.rate_limit;
  server_options.limits.burst = options.rate_limit * 2;
  auto server = http::Server::start(
      server_options, [&service](const http::Request& request) { return service.handle(request); },
      service.events());
  if (!server) return usage(server.error().to_string());
  service.watch(options.reload_interval);
  const http::Server* running = server->get();
  service.count_connections_with([running] { return running->open_connections(); });
  write_line(nlohmann::json{{"level", "info"},
                            {"msg", "serving"},
                            {"address", listen->first},
                            {"port", (*server)->port()},
                            {"tls", options.tls_certificate.has_value()}}
                 .dump(-1, ' ', false, nlohmann::json::error_handler_t::replace));

  for (;;) {
    int signal = 0;
    if (sigwait(&signals, &signal) != 0) continue;
    if (signal == SIGHUP) {
      service.reload(true);
      continue;
    }
    break;
  }
  write_line(R"({"level":"info","msg":"stopping"})");
  (*server)->stop();
  return 0;
}

namespace {

// A loopback address, or localhost; not a name that merely starts with "127.".
bool is_loopback(const std::string& host) {
  in_addr v4{};
  if (inet_pton(AF_INET, host.c_str(), &v4) == 1) return (ntohl(v4.s_addr) >> 24) == 127;
  return host == "localhost" || host == "::1";
}

}  // namespace

int health(const HealthOptions& options) {
  const auto url = http::parse_url(options.url);
  if (!url) return usage(url.error().to_string());
  http::ClientOptions client;
  client.ca_file = options.ca_file;
  client.timeout = options.timeout;
  client.max_body_bytes = 64 * 1024;
  // The local server's certificate names its Service, not 127.0.0.1; like
  // the kubelet's HTTPS probes, a loopback probe checks liveness, not identity.
  client.verify_peer = !options.ca_file.empty() || !is_loopback(url->host);
  const auto response = http::get(options.url, {}, client);
  if (!response) {
    write_line(fmt::format("constable health: {}", response.error().message));
    return 1;
  }
  if (response->status != 200) {
    write_line(fmt::format("constable health: {} answered HTTP {}", options.url, response->status));
    return 1;
  }
  return 0;
}

}  // namespace constable::serve
