// nextjs/rate-limiting: API routes (App Router route handlers and
// pages/api routes) are rate limited. Judged per project: when nothing in
// the repository limits request rates (no limiter package, no rate-limit
// code in handlers, middleware or helpers), every API route is a finding.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::nextjs {

namespace {
namespace rate_limiting_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/rate-limiting",
    .domain = "nextjs",
    .nature = Nature::security,
    .summary = "Rate-limit the Next.js API routes",
    .rationale = "An API route without a rate limit lets one client exhaust the database, the paid APIs behind "
                 "it or a login form's password space. Rate limiting counts as present when any source file or "
                 "package manifest of the repository names it (ratelimit, rate-limit, rateLimiter, throttle, "
                 "@upstash/ratelimit, rate-limiter-flexible, Arcjet): a limiter in middleware or a shared helper "
                 "covers routes that do not mention it, so the check cannot tell which routes it misses and "
                 "judges the repository as a whole. A limit enforced only outside the repository (a WAF, an API "
                 "gateway) is not seen.",
    .remediation = "Limit requests per client (IP or user) in middleware.ts or at the top of each handler, e.g. "
                   "with @upstash/ratelimit, and answer 429 Too Many Requests when the limit is hit.",
    .bad_example = "app/api/login/route.ts:\nexport async function POST(request: Request) { return login(await request.json()) }\n",
    .good_example = "app/api/login/route.ts:\nimport { ratelimit } from \"@/lib/ratelimit\"\nexport async function "
                    "POST(request: Request) {\n  const { success } = await ratelimit.limit(ip(request))\n  if "
                    "(!success) return new Response(null, { status: 429 })\n  return login(await request.json())\n}\n",
    .parameters = "",
    .clause = {.section = "next\\.?js", .text = "rate limiting"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

constexpr std::uintmax_t kLargestScanned = 512 * 1024;

const RE2& limiter_pattern() {
  static const RE2 pattern(R"((?i)rate[-_ ]?limit|throttl|limiter\b|arcjet|slowdown|slow-down)");
  return pattern;
}

bool is_http_method(std::string_view name) {
  for (const std::string_view method : {"GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS"})
    if (name == method) return true;
  return false;
}

class RateLimitingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto projects = next_projects(repository);
    if (projects.empty()) return;
    for (const workspace::File& file : repository.workspace().files) {
      const std::string_view name = text::basename(file.path);
      if (file.size > kLargestScanned || (!is_script(file.path) && name != "package.json")) continue;
      if (name == "package.json") {
        if (const std::string* content = repository.text(file); content && RE2::PartialMatch(*content, limiter_pattern()))
          return;
      } else if (code_mentions(repository, file, limiter_pattern())) {
        return;
      }
    }
    for (const Project& project : projects)
      for (const workspace::File* file : project.files) {
        const std::string_view relative = project.relative(file->path);
        if (!is_script(relative) || is_test_or_story(relative)) continue;
        const bool api_route = in_pages_router(relative) && relative.substr(relative.find("pages/") + 6).starts_with("api/");
        if (!api_route && !is_route_handler(relative)) continue;
        const code::Module* module = repository.code(*file);
        if (module == nullptr) continue;
        for (const code::Export& exported : module->exports)
          if (api_route ? exported.name == "default" : is_http_method(exported.name))
            out.emit({.range = SourceRange::at_line(exported.range.line),
                      .message = fmt::format("{} handler of {} is not rate limited, and nothing in the repository "
                                             "limits request rates",
                                             api_route ? std::string("API route") : exported.name, relative),
                      .path_override = file->path});
      }
  }
};

}  // namespace rate_limiting_check
}  // namespace

std::unique_ptr<engine::Check> make_rate_limiting_check() {
  return engine::make_check<rate_limiting_check::RateLimitingCheck>();
}

}  // namespace constable::checks::nextjs
