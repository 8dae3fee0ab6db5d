// fastapi/etag-support: a FastAPI application whose routes read single
// resources (GET /orders/{order_id}) sets ETags somewhere: a response
// header, a middleware or a library that answers If-None-Match.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::fastapi {

namespace {
namespace etag_support_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/etag-support",
    .domain = "fastapi",
    .nature = Nature::maintainability,
    .summary = "Set ETags on the FastAPI app's cacheable GET resources",
    .rationale = "With an ETag and If-None-Match, a client revalidates with a 304 instead of downloading the "
                 "resource again, and concurrent writers can use If-Match. FastAPI sets no ETag on JSON "
                 "responses by itself: where no code of the application names the header, no GET of a single "
                 "resource has one.",
    .remediation = "Compute an ETag for GET responses (a hash of the body or the row's version), set "
                   "response.headers[\"ETag\"], answer 304 when If-None-Match matches; or install a middleware or "
                   "library that does (fastapi-etag).",
    .bad_example = "@router.get(\"/orders/{order_id}\")\ndef read_order(order_id: int, session: SessionDep):\n"
                   "    return session.get(Order, order_id)\n",
    .good_example = "@router.get(\"/orders/{order_id}\")\ndef read_order(order_id: int, session: SessionDep, "
                    "response: Response):\n    order = session.get(Order, order_id)\n"
                    "    response.headers[\"ETag\"] = f'\"{order.version}\"'\n    return order\n",
    .parameters = "",
    .clause = {.section = "performance|fastapi|backend", .text = "etag"},
    .file_kind = FileKind::other,
    .stack = "fastapi",
    .scope = engine::Scope::repository,
};

// A GET route that reads one resource by a path parameter: cacheable.
struct ItemRoute {
  const workspace::File* file = nullptr;
  SourceRange range;
  std::string path;
  std::size_t count = 0;
};

std::optional<ItemRoute> item_routes(const engine::RepositoryContext& repository) {
  std::optional<ItemRoute> first;
  std::size_t count = 0;
  for (const workspace::File& file : repository.workspace().files) {
    if (file.kind != FileKind::source || !judges_application_path(file.path)) continue;
    const code::Module* module = repository.code(file);
    if (module == nullptr) continue;
    for (const Route& route : routes(*module)) {
      if (route.verb != "get" || !route.path.ends_with('}')) continue;
      ++count;
      if (!first)
        first = ItemRoute{&file, module->functions[static_cast<std::size_t>(route.function)].name_range, route.path};
    }
  }
  if (first) first->count = count;
  return first;
}

class EtagSupportCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto app = primary_fastapi_app(repository);
    if (!app) return;
    const auto first = item_routes(repository);
    if (!first) return;
    static const RE2 evidence(R"((?i)etag|if-none-match|if_none_match)");
    if (any_application_code_matches(repository, evidence)) return;
    out.emit({.range = app->range,
              .message = fmt::format("no code of the application sets an ETag or reads If-None-Match, so none of "
                                     "the app's {} GET route{} of a single resource ({}{}) can be revalidated",
                                     first->count, first->count == 1 ? "" : "s", first->path,
                                     first->count > 1 ? ", ..." : ""),
              .path_override = app->file->path});
  }
};

}  // namespace etag_support_check
}  // namespace

std::unique_ptr<engine::Check> make_etag_support_check() {
  return engine::make_check<etag_support_check::EtagSupportCheck>();
}

}  // namespace constable::checks::fastapi
