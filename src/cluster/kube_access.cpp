#include "cluster/kube_access.hpp"

#include <cstdlib>

#include <fmt/format.h>

#include "core/files.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "helm/template/digest.hpp"

namespace constable::cluster {

namespace {

namespace fs = std::filesystem;

constexpr std::uintmax_t kMaxKubeconfigBytes = 4 * 1024 * 1024;

// The entry of `list` (clusters, users, contexts) whose name is `name`: its inner mapping.
const yaml::Node* named(const yaml::Node* list, std::string_view name, std::string_view inner) {
  if (list == nullptr || !list->is_sequence()) return nullptr;
  for (const yaml::Node* item : list->items) {
    if (!item->is_mapping()) continue;
    const yaml::Node* item_name = item->get("name");
    if (item_name != nullptr && item_name->is_scalar() && item_name->str() == name) return item->get(inner);
  }
  return nullptr;
}

std::string scalar(const yaml::Node* mapping, std::string_view key) {
  if (mapping == nullptr || !mapping->is_mapping()) return {};
  const yaml::Node* value = mapping->get(key);
  return value != nullptr && value->is_scalar() && !value->is_null() ? std::string(value->str()) : std::string();
}

// A PEM given as `<key>-data` (base64) or as `<key>` (a file relative to the kubeconfig).
Result<std::string> pem(const yaml::Node* mapping, std::string_view key, const fs::path& base, std::string_view what) {
  if (const std::string data = scalar(mapping, fmt::format("{}-data", key)); !data.empty()) {
    std::string error;
    auto decoded = helm::tmpl::base64_decode(text::trim(data), &error);
    if (!decoded) return fail(fmt::format("{}-data is not base64: {}", key, error));
    return *decoded;
  }
  const std::string file = scalar(mapping, key);
  if (file.empty()) return std::string();
  const fs::path path = fs::path(file).is_absolute() ? fs::path(file) : base / file;
  auto content = files::read(path, {.max_size = 1024 * 1024, .confine_to = {}, .follow_symlinks = true, .display = {}});
  if (!content) return fail(fmt::format("the {} {}: {}", what, path.string(), content.error().error.message));
  return *content;
}

}  // namespace

Result<KubeAccess> from_kubeconfig(const fs::path& file, const AccessOptions& options) {
  auto text = files::read(file, {.max_size = kMaxKubeconfigBytes, .confine_to = {}, .follow_symlinks = true, .display = {}});
  if (!text) return std::unexpected(text.error().error);
  const yaml::Stream stream = yaml::parse(*text);
  if (!stream.ok() || stream.documents.empty() || stream.documents[0].root == nullptr ||
      !stream.documents[0].root->is_mapping())
    return fail("not a kubeconfig (a YAML mapping with clusters, users and contexts)", file.string());
  const yaml::Node* root = stream.documents[0].root;
  const std::string context_name = options.context ? *options.context : scalar(root, "current-context");
  if (context_name.empty())
    return fail("no current-context: give --context NAME", file.string());
  const yaml::Node* context = named(root->get("contexts"), context_name, "context");
  if (context == nullptr) return fail(fmt::format("no context '{}'", context_name), file.string());
  const std::string cluster_name = scalar(context, "cluster");
  const std::string user_name = scalar(context, "user");
  const yaml::Node* cluster = named(root->get("clusters"), cluster_name, "cluster");
  if (cluster == nullptr)
    return fail(fmt::format("context '{}' names cluster '{}', which is not in the file", context_name, cluster_name),
                file.string());
  const fs::path base = file.parent_path();

  KubeAccess access;
  access.name = context_name;
  access.server = scalar(cluster, "server");
  if (access.server.empty()) return fail(fmt::format("cluster '{}' has no server", cluster_name), file.string());
  if (scalar(cluster, "insecure-skip-tls-verify") == "true") {
    if (!options.allow_insecure)
      return fail(fmt::format("cluster '{}' skips TLS verification (insecure-skip-tls-verify); refused unless "
                              "--insecure-skip-tls-verify is given",
                              cluster_name),
                  file.string());
    access.verify_peer = false;
  }
  auto ca = pem(cluster, "certificate-authority", base, "certificate authority");
  if (!ca) return fail(ca.error().message, file.string());
  access.ca_pem = std::move(*ca);

  const yaml::Node* user = user_name.empty() ? nullptr : named(root->get("users"), user_name, "user");
  if (!user_name.empty() && user == nullptr)
    return fail(fmt::format("context '{}' names user '{}', which is not in the file", context_name, user_name),
                file.string());
  if (user != nullptr && user->is_mapping()) {
    for (const char* plugin : {"exec", "auth-provider"})
      if (user->get(plugin) != nullptr)
        return fail(fmt::format("user '{}' authenticates with an {} plugin, which constable does not run: use a "
                                "service account token or a client certificate",
                                user_name, plugin),
                    file.string());
    auto certificate = pem(user, "client-certificate", base, "client certificate");
    if (!certificate) return fail(certificate.error().message, file.string());
    auto key = pem(user, "client-key", base, "client key");
    if (!key) return fail(key.error().message, file.string());
    access.client_certificate_pem = std::move(*certificate);
    access.client_key_pem = std::move(*key);
    access.token = scalar(user, "token");
    if (const std::string token_file = scalar(user, "tokenFile"); access.token.empty() && !token_file.empty()) {
      auto token = files::read(fs::path(token_file).is_absolute() ? fs::path(token_file) : base / token_file,
                               {.max_size = 64 * 1024, .confine_to = {}, .follow_symlinks = true, .display = {}});
      if (!token) return fail(fmt::format("the token file: {}", token.error().error.message), file.string());
      access.token = std::string(text::trim(*token));
    }
  }
  return access;
}

std::optional<Result<KubeAccess>> in_cluster(const AccessOptions& options) {
  const char* host = std::getenv("KUBERNETES_SERVICE_HOST");
  const char* port = std::getenv("KUBERNETES_SERVICE_PORT");
  if (host == nullptr || port == nullptr || *host == '\0') return std::nullopt;
  const std::string_view h(host);
  const bool ipv6 = h.find(':') != std::string_view::npos;
  KubeAccess access;
  access.name = "in-cluster";
  access.server = fmt::format("https://{}{}{}:{}", ipv6 ? "[" : "", h, ipv6 ? "]" : "", port);
  const files::ReadOptions small{.max_size = 1024 * 1024, .confine_to = {}, .follow_symlinks = true, .display = {}};
  auto token = files::read(options.service_account / "token", small);
  if (!token) return Result<KubeAccess>(fail(fmt::format("the service account token: {}", token.error().error.message)));
  auto ca = files::read(options.service_account / "ca.crt", small);
  if (!ca) return Result<KubeAccess>(fail(fmt::format("the service account CA: {}", ca.error().error.message)));
  access.token = std::string(text::trim(*token));
  access.ca_pem = std::move(*ca);
  return Result<KubeAccess>(std::move(access));
}

Result<KubeAccess> discover(const AccessOptions& options) {
  if (options.kubeconfig) return from_kubeconfig(*options.kubeconfig, options);
  if (const char* env = std::getenv("KUBECONFIG"); env != nullptr && *env != '\0') {
    const std::string_view first = text::split(env, ':').front();
    if (!first.empty()) return from_kubeconfig(fs::path(first), options);
  }
  if (auto pod = in_cluster(options)) return std::move(*pod);
  if (const char* home = std::getenv("HOME"); home != nullptr && *home != '\0') {
    const fs::path file = fs::path(home) / ".kube" / "config";
    std::error_code ec;
    if (fs::exists(file, ec)) return from_kubeconfig(file, options);
  }
  return fail("no cluster to audit: give --kubeconfig FILE, set KUBECONFIG, or run in a pod with a service account");
}

}  // namespace constable::cluster
