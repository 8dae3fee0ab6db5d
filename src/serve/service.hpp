#pragma once
// `constable serve` as a whole: the snapshot being served (swapped whole on
// reload), the routes (/validate, /api/v1, /healthz, /readyz, /metrics), the
// decision log and the metrics. The HTTP edge (serve/http) calls handle()
// for every request.

#include <atomic>
#include <chrono>
#include <condition_variable>
#include <filesystem>
#include <functional>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <thread>
#include <vector>

#include "serve/http/server.hpp"
#include "serve/metrics.hpp"
#include "serve/namespaces.hpp"
#include "serve/oidc.hpp"
#include "serve/snapshot.hpp"

namespace constable::serve {

// Where structured log lines (one JSON object per line) go.
using LogSink = std::function<void(std::string_view line)>;

class Service {
 public:
  // Starts not ready; load() makes it ready.
  Service(Sources sources, LogSink log);
  ~Service();
  Service(const Service&) = delete;
  Service& operator=(const Service&) = delete;

  // Loads the constitution and configuration. At start an error is fatal
  // (the caller exits); later, reload() keeps the old snapshot on error.
  Result<void> load();
  // Loads again when a source file changed (or always when `force`, as on
  // SIGHUP); a broken new version keeps the old one serving and says why in
  // the log and in constable_reloads_total{result="error"}.
  void reload(bool force);
  // Polls the sources every `interval` on a thread of its own until destroyed.
  void watch(std::chrono::milliseconds interval);

  http::Response handle(const http::Request& request);
  http::Events events();  // the HTTP edge's events, into the log and metrics

  // Where the labels of reviewed objects' namespaces come from (the
  // Kubernetes API); without it, namespace names alone decide.
  void look_up_namespaces_in(std::optional<KubeApi> api, NamespaceDirectory::Options options = {});

  // Requires an OpenID Connect bearer token on every /api/v1 request; without
  // it the REST API is open (for loopback and --insecure use).
  void authenticate_api_with(std::unique_ptr<TokenVerifier> verifier) { verifier_ = std::move(verifier); }

  // Serves the audit dashboard and /api/v1/audit from this store (serve/dashboard_routes.hpp).
  void serve_dashboard_from(std::string store_url) { dashboard_store_ = std::move(store_url); }

  // Where /metrics reads the number of open connections from (the edge's).
  void count_connections_with(std::function<std::size_t()> counter) { connections_ = std::move(counter); }

  std::shared_ptr<const Snapshot> snapshot() const;
  Metrics& metrics() { return metrics_; }
  // Today's date for findings' due dates (tests fix it).
  void set_today(Date today) { fixed_today_ = today; }

 private:
  // A source file as last seen, to notice a change without reading it.
  struct Stamp {
    std::string path;
    std::filesystem::file_time_type modified;
    std::uintmax_t size = 0;
    bool exists = false;
    friend bool operator==(const Stamp&, const Stamp&) = default;
  };
  std::vector<Stamp> stamps() const;
  void install(std::shared_ptr<const Snapshot> next);
  http::Response validate(const http::Request& request, const Snapshot& snapshot, const std::string& correlation_id,
                          std::chrono::steady_clock::time_point started);
  void log_line(std::string line);
  Date today() const;

  Sources sources_;
  LogSink log_;
  Metrics metrics_;
  mutable std::mutex snapshot_mutex_;
  std::shared_ptr<const Snapshot> snapshot_;
  std::optional<Date> fixed_today_;
  std::optional<std::string> dashboard_store_;
  std::function<std::size_t()> connections_;
  std::unique_ptr<NamespaceDirectory> namespaces_;
  std::unique_ptr<TokenVerifier> verifier_;
  // nullopt when the request may go on; else the 401 to answer.
  std::optional<http::Response> authenticate(const http::Request& request, const std::string& correlation_id);
  std::mutex reload_mutex_;  // one load at a time; guards stamps_
  std::vector<Stamp> stamps_;
  // The watcher thread.
  std::mutex watch_mutex_;
  std::condition_variable watch_wakeup_;
  bool stopping_ = false;
  std::thread watcher_;
};

}  // namespace constable::serve
