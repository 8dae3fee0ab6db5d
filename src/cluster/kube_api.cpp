#include "cluster/kube_api.hpp"

#include <cctype>

#include <fmt/format.h>

#include "core/text.hpp"
#include "serve/http/client.hpp"

namespace constable::cluster {

namespace {

constexpr std::size_t kPageSize = 500;
constexpr std::size_t kMaxPage = 64 * 1024 * 1024;  // one page of 500 objects with their managedFields
// What one kind may bring in all (its objects are held until the audit is
// written): ten times the largest kind of a 5,000-node cluster.
constexpr std::size_t kMaxKindBytes = 1024 * 1024 * 1024;
constexpr std::size_t kMaxPages = 2000;  // a million objects of one kind (or a server that never ends a list)

ApiError api_error(int status, std::string message) { return ApiError{status, Error{std::move(message), {}, 0, 0}}; }

std::string percent_encoded(std::string_view value) {
  std::string out;
  for (const unsigned char c : value) {
    if (std::isalnum(c) != 0 || c == '-' || c == '_' || c == '.' || c == '~') out.push_back(static_cast<char>(c));
    else out += fmt::format("%{:02X}", c);
  }
  return out;
}

// The API's own words for a failure (a Status object's message), else the body's start.
std::string status_message(const serve::http::ClientResponse& response) {
  const auto status = nlohmann::json::parse(response.body, nullptr, false);
  if (status.is_object() && status.contains("message") && status["message"].is_string())
    return status["message"].get<std::string>();
  return std::string(text::shorten(text::trim(response.body), 200));
}

serve::http::ClientOptions client_options(const KubeAccess& access, std::chrono::milliseconds timeout) {
  serve::http::ClientOptions options;
  options.ca_pem = access.ca_pem;
  options.client_certificate_pem = access.client_certificate_pem;
  options.client_key_pem = access.client_key_pem;
  options.verify_peer = access.verify_peer;
  options.timeout = timeout;
  return options;
}

void authorize(const KubeAccess& access, std::vector<std::pair<std::string, std::string>>& headers) {
  if (!access.token.empty()) headers.emplace_back("Authorization", fmt::format("Bearer {}", access.token));
}

}  // namespace

const std::vector<Resource>& audited_resources() {
  static const std::vector<Resource> resources{
      {"v1", "namespaces", "Namespace", false},
      {"apps/v1", "deployments", "Deployment", true},
      {"apps/v1", "statefulsets", "StatefulSet", true},
      {"apps/v1", "daemonsets", "DaemonSet", true},
      {"batch/v1", "jobs", "Job", true},
      {"batch/v1", "cronjobs", "CronJob", true},
      {"v1", "pods", "Pod", true},
      {"v1", "services", "Service", true},
      {"v1", "configmaps", "ConfigMap", true},
      {"v1", "resourcequotas", "ResourceQuota", true},
      {"v1", "limitranges", "LimitRange", true},
      {"networking.k8s.io/v1", "ingresses", "Ingress", true},
      {"networking.k8s.io/v1", "networkpolicies", "NetworkPolicy", true},
      {"autoscaling/v2", "horizontalpodautoscalers", "HorizontalPodAutoscaler", true},
      {"policy/v1", "poddisruptionbudgets", "PodDisruptionBudget", true},
  };
  return resources;
}

KubeApi::KubeApi(KubeAccess access, std::chrono::milliseconds timeout) : access_(std::move(access)), timeout_(timeout) {}

std::string KubeApi::collection_path(const Resource& resource, std::string_view namespace_) const {
  const std::string prefix =
      resource.group_version.find('/') == std::string_view::npos ? fmt::format("/api/{}", resource.group_version)
                                                                 : fmt::format("/apis/{}", resource.group_version);
  if (!resource.namespaced || namespace_.empty()) return fmt::format("{}/{}", prefix, resource.plural);
  return fmt::format("{}/namespaces/{}/{}", prefix, percent_encoded(namespace_), resource.plural);
}

std::expected<std::vector<nlohmann::json>, ApiError> KubeApi::list(const Resource& resource,
                                                                   std::string_view namespace_) const {
  serve::http::ClientOptions options = client_options(access_, timeout_);
  options.max_body_bytes = kMaxPage;
  std::vector<std::pair<std::string, std::string>> headers;
  authorize(access_, headers);

  std::vector<nlohmann::json> objects;
  std::string continue_token;
  const std::string path = collection_path(resource, namespace_);
  std::size_t received = 0;
  for (std::size_t page = 0; page < kMaxPages; ++page) {
    std::string url = fmt::format("{}{}?limit={}", access_.server, path, kPageSize);
    if (!continue_token.empty()) url += fmt::format("&continue={}", percent_encoded(continue_token));
    auto response = serve::http::get(url, headers, options);
    if (!response) return std::unexpected(ApiError{0, response.error()});
    if (response->status != 200)
      return std::unexpected(api_error(response->status, fmt::format("listing {}: {} {}", resource.plural, response->status, status_message(*response))));
    received += response->body.size();
    if (received > kMaxKindBytes)
      return std::unexpected(api_error(0, fmt::format("listing {}: more than {} MB of them", resource.plural,
                                                      kMaxKindBytes / (1024 * 1024))));
    auto body = nlohmann::json::parse(response->body, nullptr, false);
    if (!body.is_object() || !body.contains("items") || !body["items"].is_array())
      return std::unexpected(api_error(response->status, fmt::format("listing {}: not a list", resource.plural)));
    for (auto& item : body["items"]) {
      if (!item.is_object()) continue;
      // A list's items carry no apiVersion and kind of their own.
      item["apiVersion"] = resource.group_version;
      item["kind"] = resource.kind;
      objects.push_back(std::move(item));
    }
    continue_token.clear();
    if (const auto metadata = body.find("metadata"); metadata != body.end() && metadata->is_object())
      if (const auto token = metadata->find("continue"); token != metadata->end() && token->is_string())
        continue_token = token->get<std::string>();
    if (continue_token.empty()) return objects;
  }
  return std::unexpected(api_error(0, fmt::format("listing {}: more than {} pages", resource.plural, kMaxPages)));
}

std::expected<void, ApiError> KubeApi::apply(std::string_view path, const nlohmann::json& object) const {
  const serve::http::ClientOptions options = client_options(access_, timeout_);
  std::vector<std::pair<std::string, std::string>> headers{{"Content-Type", "application/apply-patch+yaml"}};
  authorize(access_, headers);
  // JSON is YAML: the apply patch goes as JSON.
  auto response = serve::http::request("PATCH", fmt::format("{}{}?fieldManager=constable&force=true", access_.server, path),
                                       headers, object.dump(), options);
  if (!response) return std::unexpected(ApiError{0, response.error()});
  if (response->status != 200 && response->status != 201)
    return std::unexpected(
        api_error(response->status, fmt::format("applying {}: {} {}", path, response->status, status_message(*response))));
  return {};
}

}  // namespace constable::cluster
