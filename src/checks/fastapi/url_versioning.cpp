// fastapi/url-versioning: an application that creates a FastAPI app serves
// its API under the version path the clause shows ("/api/v1/"), somewhere in
// a route, a router prefix, include_router or the app's root_path.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/api/api_support.hpp"
#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::fastapi {

namespace {
namespace url_versioning_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/url-versioning",
    .domain = "fastapi",
    .nature = Nature::maintainability,
    .summary = "Serve the FastAPI app's API under a versioned path (/api/v1/...)",
    .rationale = "A version in the path lets old and new clients coexist during a breaking change. In FastAPI "
                 "code the version is usually a router prefix (include_router(router, prefix=\"/api/v1\")), a "
                 "setting (API_V1_STR = \"/api/v1\") or the app's root_path; where none of the application's "
                 "strings holds the clause's form, no route can be versioned.",
    .remediation = "Mount the routers under the versioned prefix: app.include_router(api_router, "
                   "prefix=\"/api/v1\").",
    .bad_example = "app = FastAPI()\napp.include_router(orders.router, prefix=\"/orders\")\n",
    .good_example = "app = FastAPI()\napp.include_router(orders.router, prefix=\"/api/v1/orders\")\n",
    .parameters = "the version path form from the clause's examples (\"/api/v1/\" -> /api/v<n>)",
    .clause = {.section = "api design|fastapi|backend", .text = "versioning"},
    .file_kind = FileKind::other,
    .stack = "fastapi",
    .scope = engine::Scope::repository,
};

class UrlVersioningCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    auto path = api::versioned_path_of(clause);
    if (!path) return std::unexpected(path.error());
    path_ = std::move(*path);
    pattern_ = std::make_unique<RE2>(fmt::format("{}{}\\d+(?:/|$|[^A-Za-z0-9])", RE2::QuoteMeta(path_.prefix),
                                                 RE2::QuoteMeta(path_.marker)));
    return {};
  }

  std::string bound_parameters() const override { return fmt::format("path form: {}", path_.shown()); }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    if (pattern_ == nullptr) return;
    const auto app = primary_fastapi_app(repository);
    if (!app) return;
    if (any_application_code_matches(repository, *pattern_)) return;
    out.emit({.range = app->range,
              .message = fmt::format("no route, router prefix or root_path of the FastAPI application holds the "
                                     "version path {}{}<n>: its API is not versioned in the URL",
                                     path_.prefix, path_.marker),
              .path_override = app->file->path});
  }

 private:
  api::VersionedPath path_;
  std::unique_ptr<RE2> pattern_;
};

}  // namespace url_versioning_check
}  // namespace

std::unique_ptr<engine::Check> make_url_versioning_check() {
  return engine::make_check<url_versioning_check::UrlVersioningCheck>();
}

}  // namespace constable::checks::fastapi
