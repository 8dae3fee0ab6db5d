#include "serve/metrics.hpp"

#include <array>
#include <map>
#include <mutex>
#include <tuple>

#include <fmt/format.h>

namespace constable::serve {
namespace {

// Latency buckets in seconds: a review takes well under a millisecond; a
// REST check of many files may take seconds.
constexpr std::array kLatencyBuckets = {0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5};

// A label value in the exposition format: backslash, double quote and line
// feed escaped.
std::string escape(std::string_view value) {
  std::string out;
  out.reserve(value.size());
  for (char c : value) {
    if (c == '\\') out += "\\\\";
    else if (c == '"') out += "\\\"";
    else if (c == '\n') out += "\\n";
    else out += c;
  }
  return out;
}

struct Histogram {
  std::array<std::uint64_t, kLatencyBuckets.size()> buckets{};
  std::uint64_t count = 0;
  double sum = 0;
};

}  // namespace

struct Metrics::State {
  std::mutex mutex;
  std::map<std::tuple<std::string, std::string, std::string>, std::uint64_t> requests;  // operation, kind, decision
  std::map<std::string, Histogram> latency;                                             // by operation
  std::map<std::pair<std::string, std::string>, std::uint64_t> findings;                // check, severity
  std::string constitution_version, constitution_sha256;
  std::map<std::pair<std::string, std::string>, std::uint64_t> reloads;  // what, result
  bool ready = false;
  std::map<int, std::uint64_t> rejected;
  std::uint64_t open_connections = 0;
  std::uint64_t namespace_lookup_errors = 0;
  std::map<bool, std::uint64_t> authentications;  // by outcome
};

Metrics::Metrics() : state_(std::make_unique<State>()) {}
Metrics::~Metrics() = default;

void Metrics::observe_request(std::string_view operation, std::string_view kind, std::string_view decision,
                              std::chrono::microseconds latency) {
  const std::lock_guard lock(state_->mutex);
  ++state_->requests[{std::string(operation), std::string(kind), std::string(decision)}];
  Histogram& histogram = state_->latency[std::string(operation)];
  const double seconds = static_cast<double>(latency.count()) / 1e6;
  for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
    if (seconds <= kLatencyBuckets[i]) ++histogram.buckets[i];
  ++histogram.count;
  histogram.sum += seconds;
}

void Metrics::count_finding(std::string_view check, Severity severity, std::uint64_t count) {
  const std::lock_guard lock(state_->mutex);
  state_->findings[{std::string(check), std::string(to_string(severity))}] += count;
}

void Metrics::set_constitution(std::string_view version, std::string_view sha256) {
  const std::lock_guard lock(state_->mutex);
  state_->constitution_version = version;
  state_->constitution_sha256 = sha256;
}

void Metrics::count_reload(std::string_view what, bool ok) {
  const std::lock_guard lock(state_->mutex);
  ++state_->reloads[{std::string(what), ok ? "success" : "error"}];
}

void Metrics::set_ready(bool ready) {
  const std::lock_guard lock(state_->mutex);
  state_->ready = ready;
}

void Metrics::count_rejected(int status) {
  const std::lock_guard lock(state_->mutex);
  ++state_->rejected[status];
}

void Metrics::count_namespace_lookup_error() {
  const std::lock_guard lock(state_->mutex);
  ++state_->namespace_lookup_errors;
}

void Metrics::count_authentication(bool ok) {
  const std::lock_guard lock(state_->mutex);
  ++state_->authentications[ok];
}

void Metrics::set_open_connections(std::uint64_t count) {
  const std::lock_guard lock(state_->mutex);
  state_->open_connections = count;
}

std::string Metrics::exposition() const {
  const std::lock_guard lock(state_->mutex);
  std::string out;
  auto family = [&](std::string_view name, std::string_view type, std::string_view help) {
    out += fmt::format("# HELP {} {}\n# TYPE {} {}\n", name, help, name, type);
  };
  family("constable_requests_total", "counter", "Requests answered, by operation, admitted kind and decision.");
  for (const auto& [key, count] : state_->requests) {
    const auto& [operation, kind, decision] = key;
    out += fmt::format("constable_requests_total{{operation=\"{}\",kind=\"{}\",decision=\"{}\"}} {}\n",
                       escape(operation), escape(kind), escape(decision), count);
  }
  family("constable_request_duration_seconds", "histogram", "Time to answer a request, by operation.");
  for (const auto& [operation, histogram] : state_->latency) {
    const std::string label = escape(operation);
    for (std::size_t i = 0; i < kLatencyBuckets.size(); ++i)
      out += fmt::format("constable_request_duration_seconds_bucket{{operation=\"{}\",le=\"{}\"}} {}\n", label,
                         kLatencyBuckets[i], histogram.buckets[i]);
    out += fmt::format("constable_request_duration_seconds_bucket{{operation=\"{}\",le=\"+Inf\"}} {}\n", label,
                       histogram.count);
    out += fmt::format("constable_request_duration_seconds_sum{{operation=\"{}\"}} {}\n", label, histogram.sum);
    out += fmt::format("constable_request_duration_seconds_count{{operation=\"{}\"}} {}\n", label, histogram.count);
  }
  family("constable_findings_total", "counter", "Violations found at admission, by check and severity.");
  for (const auto& [key, count] : state_->findings)
    out += fmt::format("constable_findings_total{{check=\"{}\",severity=\"{}\"}} {}\n", escape(key.first),
                       escape(key.second), count);
  family("constable_constitution_info", "gauge", "The constitution being served (version and SHA-256), always 1.");
  if (!state_->constitution_sha256.empty())
    out += fmt::format("constable_constitution_info{{version=\"{}\",sha256=\"{}\"}} 1\n",
                       escape(state_->constitution_version), escape(state_->constitution_sha256));
  family("constable_reloads_total", "counter", "Reloads of the constitution, configuration and certificate, by result.");
  for (const auto& [key, count] : state_->reloads)
    out += fmt::format("constable_reloads_total{{what=\"{}\",result=\"{}\"}} {}\n", escape(key.first),
                       escape(key.second), count);
  family("constable_ready", "gauge", "1 once a constitution and configuration are loaded.");
  out += fmt::format("constable_ready {}\n", state_->ready ? 1 : 0);
  family("constable_rejected_requests_total", "counter", "Requests the HTTP edge refused itself, by status.");
  for (const auto& [status, count] : state_->rejected)
    out += fmt::format("constable_rejected_requests_total{{status=\"{}\"}} {}\n", status, count);
  family("constable_open_connections", "gauge", "Connections open when the metrics were read.");
  out += fmt::format("constable_open_connections {}\n", state_->open_connections);
  family("constable_namespace_lookup_errors_total", "counter",
         "Lookups of a namespace's labels in the Kubernetes API that failed (the name alone decided).");
  out += fmt::format("constable_namespace_lookup_errors_total {}\n", state_->namespace_lookup_errors);
  family("constable_authentications_total", "counter", "Bearer tokens of REST API requests, by result.");
  for (const auto& [ok, count] : state_->authentications)
    out += fmt::format("constable_authentications_total{{result=\"{}\"}} {}\n", ok ? "success" : "failure", count);
  return out;
}

}  // namespace constable::serve
