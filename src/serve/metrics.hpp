#pragma once
// The server's Prometheus metrics, exposed at /metrics in the text
// exposition format (version 0.0.4). Thread-safe: every request updates them
// from a server thread.

#include <chrono>
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>

#include "core/types.hpp"

namespace constable::serve {

class Metrics {
 public:
  Metrics();
  ~Metrics();
  Metrics(const Metrics&) = delete;
  Metrics& operator=(const Metrics&) = delete;

  // One request: `operation` is "validate" or the REST route ("checks",
  // "clauses", ...), `kind` the admitted object's kind ("" when none),
  // `decision` "allowed", "denied", "warned", "audited", "exempt", "error"
  // for admission, the HTTP status class ("2xx", "4xx", ...) otherwise.
  void observe_request(std::string_view operation, std::string_view kind, std::string_view decision,
                       std::chrono::microseconds latency);
  void count_finding(std::string_view check, Severity severity, std::uint64_t count = 1);
  // The serving constitution (an info-style gauge of 1 with these labels).
  void set_constitution(std::string_view version, std::string_view sha256);
  // A reload attempt of "constitution", "config" or "certificate".
  void count_reload(std::string_view what, bool ok);
  void set_ready(bool ready);
  // A request the HTTP edge refused itself (408, 413, 429, 503).
  void count_rejected(int status);
  void set_open_connections(std::uint64_t count);
  // A lookup of a namespace's labels in the Kubernetes API that failed.
  void count_namespace_lookup_error();
  // A REST API request's bearer token, accepted or refused.
  void count_authentication(bool ok);

  std::string exposition() const;

 private:
  struct State;
  std::unique_ptr<State> state_;
};

}  // namespace constable::serve
