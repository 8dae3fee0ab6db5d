#pragma once
// The labels of the namespaces reviewed objects land in. An AdmissionReview
// carries the namespace's name but not its labels, and the CLI's production
// rules read both (kube/production.hpp), so the server asks the Kubernetes
// API for the Namespace (read-only: `get namespaces`, granted by the chart's
// ClusterRole) and keeps the answer for a while. A lookup that fails or is
// slow leaves the labels unknown, so the name alone decides, as in the CLI
// when the repository holds no Namespace object; the error is logged and
// counted, never a reason to refuse or delay a review beyond its budget.

#include <chrono>
#include <functional>
#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>

#include <nlohmann/json.hpp>

#include "core/error.hpp"

namespace constable::serve {

// Where the Kubernetes API is and how to authenticate to it.
struct KubeApi {
  std::string url;         // https://host:port
  std::string ca_file;     // the cluster's CA (PEM)
  std::string token_file;  // a bearer token, re-read on each lookup (projected tokens rotate)
};

// The in-cluster API from the pod's environment and service account, as
// client-go's rest.InClusterConfig finds it; nullopt outside a cluster.
std::optional<KubeApi> in_cluster_api();

class NamespaceDirectory {
 public:
  using Clock = std::chrono::steady_clock;

  struct Options {
    std::chrono::seconds ttl{60};                   // how long an answer (labels or "no such namespace") is kept
    std::chrono::seconds error_ttl{5};              // how long a failed lookup is not retried
    std::chrono::milliseconds timeout{500};         // one lookup, within the webhook's 3-second budget
    std::size_t max_entries = 10'000;
  };

  // Called with each failed lookup's message (for the log and a metric).
  using ErrorSink = std::function<void(std::string_view message)>;

  NamespaceDirectory(std::optional<KubeApi> api, Options options, ErrorSink on_error = {});

  // metadata.labels of the Namespace (a JSON object, possibly empty), or
  // nullopt when there is no API, no such namespace, or the lookup failed.
  std::optional<nlohmann::json> labels(std::string_view name);

  bool enabled() const { return api_.has_value(); }

 private:
  struct Entry {
    std::optional<nlohmann::json> labels;
    Clock::time_point expires;
  };
  Result<std::optional<nlohmann::json>> fetch(std::string_view name) const;

  std::optional<KubeApi> api_;
  Options options_;
  ErrorSink on_error_;
  std::mutex mutex_;
  std::map<std::string, Entry, std::less<>> cache_;
};

}  // namespace constable::serve
