// nextjs/csrf-protection: a route handler that changes state (POST, PUT,
// PATCH, DELETE) for a user the browser authenticates by cookie checks where
// the request comes from (the Origin header) or a CSRF token. Server Actions
// are not judged: Next.js compares their Origin with the host itself.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "code/model.hpp"
#include "core/text.hpp"

namespace constable::checks::nextjs {

namespace {
namespace csrf_protection_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/csrf-protection",
    .domain = "nextjs",
    .nature = Nature::security,
    .summary = "Check the Origin or a CSRF token in route handlers that mutate for cookie-authenticated users",
    .rationale = "A browser attaches a site's cookies to requests other sites make it send, so a POST, PUT, "
                 "PATCH or DELETE route handler that trusts the session cookie alone acts for whoever lures "
                 "the user onto a page. Judged: App Router route handlers exporting those methods whose own module "
                 "reads cookies or a cookie session (next/headers cookies(), request.cookies, NextAuth, Clerk, "
                 "Supabase SSR, iron-session, better-auth); a session read inside an imported wrapper is not "
                 "followed, since such wrappers often accept API keys too. Protected: the "
                 "handler or middleware reads the Origin, Referer or Sec-Fetch-Site header, or anything in the "
                 "repository's code names a CSRF or XSRF token. Not judged: webhooks (a signature, not a "
                 "cookie, authenticates them), NextAuth's own routes (it checks its CSRF token), handlers "
                 "authenticated by an Authorization header, and Server Actions, which Next.js protects itself. "
                 "The session cookie's SameSite attribute is not read: the clause asks for protection the app "
                 "enables, not the browser's default.",
    .remediation = "Compare the request's Origin header with the app's own origin before acting (or use a CSRF "
                   "token, e.g. @edge-csrf/nextjs in middleware), and answer 403 when they differ; or move the "
                   "mutation into a Server Action.",
    .bad_example = "app/api/posts/route.ts:\nimport { cookies } from \"next/headers\"\nexport async function "
                   "POST(request: Request) {\n  const session = (await cookies()).get(\"session\")\n  return "
                   "createPost(session, await request.json())\n}\n",
    .good_example = "app/api/posts/route.ts:\nimport { cookies } from \"next/headers\"\nexport async function "
                    "POST(request: Request) {\n  if (request.headers.get(\"origin\") !== process.env.APP_ORIGIN) "
                    "return new Response(null, { status: 403 })\n  const session = (await "
                    "cookies()).get(\"session\")\n  return createPost(session, await request.json())\n}\n",
    .parameters = "",
    .clause = {.section = "next\\.?js", .text = "csrf"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

bool is_mutation(std::string_view name) {
  return name == "POST" || name == "PUT" || name == "PATCH" || name == "DELETE";
}

bool cookie_session_package(std::string_view module) {
  for (const std::string_view package : {"next-auth", "@auth/", "@clerk/nextjs", "@supabase/ssr",
                                         "@supabase/auth-helpers-nextjs", "iron-session", "better-auth"})
    if (module == package || module.starts_with(package)) return true;
  return false;
}

// Whether the module reads cookies or a cookie session itself.
bool reads_cookies(const code::Module& module) {
  for (const code::Import& import : module.imports) {
    if (import.type_only) continue;
    if (import.module == "next/headers" && import.name == "cookies") return true;
    if (cookie_session_package(import.module)) return true;
  }
  for (const code::AttributeRead& read : module.attribute_reads)
    if (read.path.ends_with(".cookies") || text::contains(read.path, ".cookies.")) return true;
  for (const code::Call& call : module.calls)
    if (call.callee.ends_with(".cookies.get") || call.callee.ends_with(".cookies.getAll")) return true;
  return false;
}

class CsrfProtectionCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto projects = next_projects(repository);
    if (projects.empty()) return;
    static const RE2 kToken(R"((?i)csrf|xsrf)");
    for (const workspace::File& file : repository.workspace().files)
      if (is_script(file.path) && code_mentions(repository, file, kToken)) return;
    static const RE2 kOriginCheck(R"((?i)^(origin|referer|referrer|sec-fetch-site)$)");
    static const RE2 kSignature(R"((?i)signature|constructEvent|svix|webhook|hmac)");
    static const RE2 kBearer(R"((?i)^authorization$)");
    for (const Project& project : projects) {
      bool middleware_checks = false;
      for (const workspace::File* file : project.files) {
        const std::string_view relative = project.relative(file->path);
        if ((relative.starts_with("middleware.") || relative.starts_with("src/middleware.")) && is_script(relative))
          middleware_checks = middleware_checks || code_mentions(repository, *file, kOriginCheck);
      }
      if (middleware_checks) continue;
      for (const workspace::File* file : project.files) {
        const std::string_view relative = project.relative(file->path);
        if (!is_route_handler(relative) || is_test_or_story(relative)) continue;
        if (text::icontains(relative, "webhook") || text::contains(relative, "[...nextauth]")) continue;
        const code::Module* module = repository.code(*file);
        if (module == nullptr) continue;
        std::vector<const code::Export*> mutations;
        for (const code::Export& exported : module->exports)
          if (is_mutation(exported.name)) mutations.push_back(&exported);
        if (mutations.empty()) continue;
        if (code_mentions(repository, *file, kOriginCheck) || code_mentions(repository, *file, kSignature) ||
            code_mentions(repository, *file, kBearer))
          continue;
        if (!reads_cookies(*module)) continue;
        for (const code::Export* exported : mutations)
          out.emit({.range = SourceRange::at_line(exported->range.line),
                    .message = fmt::format("{} handler of {} acts for a cookie-authenticated user without "
                                           "checking the Origin header or a CSRF token",
                                           exported->name, relative),
                    .path_override = file->path});
      }
    }
  }

};

}  // namespace csrf_protection_check
}  // namespace

std::unique_ptr<engine::Check> make_csrf_protection_check() {
  return engine::make_check<csrf_protection_check::CsrfProtectionCheck>();
}

}  // namespace constable::checks::nextjs
