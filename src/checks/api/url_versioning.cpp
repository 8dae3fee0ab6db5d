// api/url-versioning: every path carries the API version in the URL path, in
// the form the clause shows ("(/api/v1/, /api/v2/)").

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/api/api_checks.hpp"
#include "checks/api/api_support.hpp"

namespace constable::checks::api {

namespace {
namespace url_versioning_check {

constexpr engine::CheckInfo kInfo{
    .id = "api/url-versioning",
    .domain = "api",
    .nature = Nature::maintainability,
    .summary = "Version every API path in the URL (/api/v1/...)",
    .rationale = "A version in the path lets old and new clients coexist during a breaking change and makes the "
                 "version visible in logs, gateways and caches. A path counts as versioned when it starts with the "
                 "clause's form, or when every server URL already ends with it (servers: [{url: /api/v1}]).",
    .remediation = "Move the paths under the versioned prefix (/api/v1/orders), or set the server URL to it.",
    .bad_example = "openapi: 3.1.0\npaths:\n  /orders:\n    get: ...\n",
    .good_example = "openapi: 3.1.0\npaths:\n  /api/v1/orders:\n    get: ...\n",
    .parameters = "the version path form from the clause's examples (\"/api/v1/\" -> /api/v<n>/)",
    .clause = {.section = "api design|fastapi|backend", .text = "versioning"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::every_text_file,
    .one_finding_per_file = true,
};

class UrlVersioningCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    auto path = versioned_path_of(clause);
    if (!path) return std::unexpected(path.error());
    path_ = std::move(*path);
    pattern_ =
        std::make_unique<RE2>(fmt::format("^{}{}\\d+(?:/|$)", RE2::QuoteMeta(path_.prefix), RE2::QuoteMeta(path_.marker)));
    return {};
  }

  std::string bound_parameters() const override { return fmt::format("path form: {}", path_.shown()); }

  void check(const engine::FileContext& file, engine::Emitter& out) const override {
    if (pattern_ == nullptr) return;
    auto doc = load(file);
    if (!doc) return;
    if (servers_versioned(doc->root)) return;
    const yaml::Node* paths = doc->root->get("paths");
    if (paths == nullptr || !paths->is_mapping()) return;
    for (const yaml::Entry& e : paths->entries) {
      if (!e.key->is_scalar() || RE2::PartialMatch(e.key->value, *pattern_) || is_infrastructure_path(e.key->value))
        continue;
      out.report(key_range(e.key), fmt::format("path '{}' is not versioned as {}{}<n>/...", e.key->value, path_.prefix,
                                               path_.marker));
    }
  }

 private:
  bool servers_versioned(const yaml::Node* root) const {
    const yaml::Node* servers = root->get("servers");
    if (servers == nullptr || !servers->is_sequence() || servers->items.empty()) return false;
    const RE2 suffix(fmt::format("{}{}\\d+/?$", RE2::QuoteMeta(path_.prefix), RE2::QuoteMeta(path_.marker)));
    for (const yaml::Node* server : servers->items) {
      const yaml::Node* url = server->is_mapping() ? server->get("url") : nullptr;
      if (url == nullptr || !RE2::PartialMatch(url->str(), suffix)) return false;
    }
    return true;
  }

  VersionedPath path_;
  std::unique_ptr<RE2> pattern_;
};

}  // namespace url_versioning_check
}  // namespace

std::unique_ptr<engine::Check> make_url_versioning_check() {
  return engine::make_check<url_versioning_check::UrlVersioningCheck>();
}

}  // namespace constable::checks::api
