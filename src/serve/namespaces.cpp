#include "serve/namespaces.hpp"

#include <cstdlib>
#include <filesystem>

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/text.hpp"
#include "serve/http/client.hpp"

namespace constable::serve {

namespace {

constexpr std::string_view kServiceAccount = "/var/run/secrets/kubernetes.io/serviceaccount";

// A namespace name as the API accepts it (an RFC 1123 label): anything else
// cannot name a namespace and must not reach a URL.
bool is_namespace_name(std::string_view name) {
  if (name.empty() || name.size() > 63) return false;
  for (char c : name)
    if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')) return false;
  return name.front() != '-' && name.back() != '-';
}

}  // namespace

std::optional<KubeApi> in_cluster_api() {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0' || *port == '\0') return std::nullopt;
  const std::string token = fmt::format("{}/token", kServiceAccount);
  const std::string ca = fmt::format("{}/ca.crt", kServiceAccount);
  std::error_code ec;
  if (!std::filesystem::exists(token, ec) || !std::filesystem::exists(ca, ec)) return std::nullopt;
  const std::string_view h = host;
  const bool ipv6 = h.find(':') != std::string_view::npos;
  return KubeApi{fmt::format("https://{}{}{}:{}", ipv6 ? "[" : "", h, ipv6 ? "]" : "", port), ca, token};
}

NamespaceDirectory::NamespaceDirectory(std::optional<KubeApi> api, Options options, ErrorSink on_error)
    : api_(std::move(api)), options_(options), on_error_(std::move(on_error)) {}

Result<std::optional<nlohmann::json>> NamespaceDirectory::fetch(std::string_view name) const {
  const auto token = files::read(api_->token_file, {.max_size = 64 * 1024});
  if (!token) return fail(fmt::format("the service account token: {}", token.error().error.to_string()));
  http::ClientOptions client;
  client.ca_file = api_->ca_file;
  client.timeout = options_.timeout;
  client.max_body_bytes = 1024 * 1024;
  const auto response = http::get(fmt::format("{}/api/v1/namespaces/{}", api_->url, name),
                                   {{"Authorization", fmt::format("Bearer {}", text::trim(*token))}}, client);
  if (!response) return std::unexpected(response.error());
  if (response->status == 404) return std::optional<nlohmann::json>{};
  if (response->status != 200)
    return fail(fmt::format("GET namespace {}: HTTP {} (the chart's ClusterRole grants get on namespaces)", name,
                            response->status));
  const auto document = nlohmann::json::parse(response->body, nullptr, /*allow_exceptions=*/false);
  if (document.is_discarded() || !document.is_object())
    return fail(fmt::format("GET namespace {}: the answer is not a JSON object", name));
  nlohmann::json labels = nlohmann::json::object();
  if (const auto metadata = document.find("metadata"); metadata != document.end() && metadata->is_object())
    if (const auto found = metadata->find("labels"); found != metadata->end() && found->is_object()) labels = *found;
  return std::optional<nlohmann::json>{std::move(labels)};
}

std::optional<nlohmann::json> NamespaceDirectory::labels(std::string_view name) {
  if (!api_ || !is_namespace_name(name)) return std::nullopt;
  const Clock::time_point now = Clock::now();
  {
    std::lock_guard lock(mutex_);
    if (const auto found = cache_.find(name); found != cache_.end() && found->second.expires > now)
      return found->second.labels;
  }
  // Outside the lock: a slow API server delays only the reviews that need it.
  // Two reviews of a new namespace may both ask; the answers agree.
  auto fetched = fetch(name);
  Entry entry;
  if (fetched) {
    entry = {std::move(*fetched), now + options_.ttl};
  } else {
    entry = {std::nullopt, now + options_.error_ttl};
    if (on_error_) on_error_(fmt::format("namespace labels of '{}' unknown: {}", name, fetched.error().message));
  }
  std::lock_guard lock(mutex_);
  if (cache_.size() >= options_.max_entries) {
    for (auto it = cache_.begin(); it != cache_.end();)
      it = it->second.expires <= now ? cache_.erase(it) : std::next(it);
    if (cache_.size() >= options_.max_entries) cache_.clear();
  }
  cache_[std::string(name)] = entry;
  return entry.labels;
}

}  // namespace constable::serve
