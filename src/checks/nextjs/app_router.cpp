// nextjs/app-router: a Next.js project routes with the App Router (app/),
// not the Pages Router (pages/); an API route under pages/api is reported as
// such, since the page migration and the handler migration differ.

#include <fmt/format.h>

#include "checks/nextjs/nextjs_checks.hpp"
#include "checks/nextjs/nextjs_support.hpp"
#include "code/model.hpp"

namespace constable::checks::nextjs {

namespace {
namespace app_router_check {

constexpr engine::CheckInfo kInfo{
    .id = "nextjs/app-router",
    .domain = "nextjs",
    .nature = Nature::maintainability,
    .summary = "Route with the App Router (app/), not the Pages Router (pages/)",
    .rationale = "The App Router is where Next.js builds Server Components, streaming, nested layouts and "
                 "Server Actions; a page under pages/ opts its route out of all of them and keeps a second "
                 "routing model alive in the project. Every script under pages/ or src/pages/ of a project "
                 "whose package.json declares `next` is a Pages Router route; one under pages/api/ is an API "
                 "route, whose App Router counterpart is a route handler (app/**/route.ts).",
    .remediation = "Move the page to app/<route>/page.tsx (layouts to layout.tsx, getServerSideProps to an "
                   "async Server Component); move pages/api/<name>.ts to app/api/<name>/route.ts exporting GET, "
                   "POST, ... functions.",
    .bad_example = "pages/dashboard.tsx:\nexport default function Dashboard() { return <main>Dashboard</main> }\n",
    .good_example = "app/dashboard/page.tsx:\nexport default function Dashboard() { return <main>Dashboard</main> }\n",
    .parameters = "",
    .clause = {.section = "next\\.?js", .text = "app router"},
    .file_kind = FileKind::other,
    .stack = "nextjs",
    .scope = engine::Scope::repository,
};

class AppRouterCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const Project& project : next_projects(repository)) {
      for (const workspace::File* file : project.files) {
        const std::string_view relative = project.relative(file->path);
        if (!in_pages_router(relative) || !is_script(relative) || is_test_or_story(relative)) continue;
        const std::string_view route = relative.substr(relative.find("pages/") + 6);
        const bool api = route.starts_with("api/");
        // The page itself: its default export (API routes: the handler).
        SourceRange range = SourceRange::at_line(1);
        if (const code::Module* module = repository.code(*file))
          for (const code::Export& exported : module->exports)
            if (exported.name == "default") range = SourceRange::at_line(exported.range.line);
        std::string message =
            api ? fmt::format("API route {} uses the Pages Router; move it to an App Router route handler", relative)
                : fmt::format("{} is a Pages Router {}; move it to the App Router (app/)", relative,
                              route.starts_with("_") ? "custom App/Document" : "page");
        out.emit({.range = range, .message = std::move(message), .path_override = file->path,
                  .anchor = std::string(relative)});
      }
    }
  }
};

}  // namespace app_router_check
}  // namespace

std::unique_ptr<engine::Check> make_app_router_check() {
  return engine::make_check<app_router_check::AppRouterCheck>();
}

}  // namespace constable::checks::nextjs
