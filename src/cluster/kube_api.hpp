#pragma once
// The few Kubernetes API calls a cluster audit makes: lists of one kind of
// object (cluster-wide, page by page) and server-side apply of a report.
// Every call is bounded by the outbound HTTP client's deadline and body
// limit (serve/http/client.hpp).

#include <chrono>
#include <string>
#include <string_view>
#include <vector>

#include <nlohmann/json.hpp>

#include "cluster/kube_access.hpp"
#include "core/error.hpp"

namespace constable::cluster {

// A kind of object as the API serves it.
struct Resource {
  std::string_view group_version;  // "v1", "apps/v1"
  std::string_view plural;         // "deployments"
  std::string_view kind;           // "Deployment"
  bool namespaced = true;
};

// The kinds a cluster audit reads: what constable's manifest checks judge
// (never Secrets).
const std::vector<Resource>& audited_resources();

struct ApiError {
  int status = 0;  // the HTTP status, 0 when there was no answer
  Error error;
};

class KubeApi {
 public:
  explicit KubeApi(KubeAccess access, std::chrono::milliseconds timeout = std::chrono::seconds(30));

  // Every object of `resource` in the cluster (`namespace_` ""), or in one
  // namespace, following `continue` tokens 500 at a time.
  std::expected<std::vector<nlohmann::json>, ApiError> list(const Resource& resource,
                                                            std::string_view namespace_ = {}) const;
  // Server-side apply (field manager "constable") of `object` at `path`.
  std::expected<void, ApiError> apply(std::string_view path, const nlohmann::json& object) const;

  const KubeAccess& access() const { return access_; }

 private:
  std::string collection_path(const Resource& resource, std::string_view namespace_) const;

  KubeAccess access_;
  std::chrono::milliseconds timeout_;
};

}  // namespace constable::cluster
