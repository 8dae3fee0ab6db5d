// fastapi/problem-details-handlers: an application that creates a FastAPI
// app answers errors as RFC 7807 Problem Details (application/problem+json),
// through exception handlers of its own or a problem-details library.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::fastapi {

namespace {
namespace problem_details_handlers_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/problem-details-handlers",
    .domain = "fastapi",
    .nature = Nature::maintainability,
    .summary = "Register exception handlers that answer with RFC 7807 Problem Details",
    .rationale = "FastAPI answers HTTPException and validation errors with its own {\"detail\": ...} body. "
                 "Clients of an API that promises RFC 7807 expect application/problem+json with type, title, "
                 "status and detail, for every error. Only exception handlers registered on the app (or a "
                 "library that registers them) change FastAPI's default.",
    .remediation = "Register handlers for HTTPException, RequestValidationError and Exception that return "
                   "JSONResponse(problem, media_type=\"application/problem+json\"), or install a problem-details "
                   "library (fastapi-problem, fastapi-problem-details).",
    .bad_example = "app = FastAPI()\n",
    .good_example = "app = FastAPI()\n\n@app.exception_handler(HTTPException)\n"
                    "async def problem(request, exc):\n    return JSONResponse({\"type\": \"about:blank\", "
                    "\"title\": exc.detail, \"status\": exc.status_code},\n"
                    "                        status_code=exc.status_code, media_type=\"application/problem+json\")\n",
    .parameters = "",
    .clause = {.section = "fastapi|backend|error", .text = "(rfc ?7807|rfc ?9457|problem details)"},
    .file_kind = FileKind::other,
    .stack = "fastapi",
    .scope = engine::Scope::repository,
};

class ProblemDetailsHandlersCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto app = primary_fastapi_app(repository);
    if (!app) return;
    // The media type in the project's code, or a library that sends it.
    static const RE2 evidence(R"((?i)application/problem\+json|fastapi_problem|rfc ?7807|rfc ?9457|problem_details)");
    if (any_application_code_matches(repository, evidence)) return;
    out.emit({.range = app->range,
              .message = "the FastAPI app registers no exception handler that answers with RFC 7807 Problem "
                         "Details (application/problem+json): errors keep FastAPI's {\"detail\": ...} body",
              .path_override = app->file->path});
  }
};

}  // namespace problem_details_handlers_check
}  // namespace

std::unique_ptr<engine::Check> make_problem_details_handlers_check() {
  return engine::make_check<problem_details_handlers_check::ProblemDetailsHandlersCheck>();
}

}  // namespace constable::checks::fastapi
