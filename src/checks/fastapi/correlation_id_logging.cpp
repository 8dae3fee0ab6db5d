// fastapi/correlation-id-logging: an application that creates a FastAPI app
// gives its logs a correlation ID per request (a middleware or dependency
// that sets one, asgi-correlation-id, OpenTelemetry's trace context).

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/fastapi/fastapi_checks.hpp"
#include "checks/fastapi/fastapi_support.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::fastapi {

namespace {
namespace correlation_id_logging_check {

constexpr engine::CheckInfo kInfo{
    .id = "fastapi/correlation-id-logging",
    .domain = "fastapi",
    .nature = Nature::reliability,
    .summary = "Log exceptions with a per-request correlation ID",
    .rationale = "Without an ID that every log line of a request carries, the exception logged by one service "
                 "cannot be joined to the request that caused it, nor to the same request's lines in other "
                 "services. The ID is set once per request (a middleware or dependency, from X-Request-ID or a "
                 "new one) and added to every record by a logging filter.",
    .remediation = "Add a middleware that sets a correlation ID per request (asgi-correlation-id's "
                   "CorrelationIdMiddleware, or a contextvar set from X-Request-ID) and a logging filter that "
                   "puts it in every record; or instrument with OpenTelemetry so records carry the trace ID.",
    .bad_example = "app = FastAPI()\nlogging.basicConfig(format=\"%(levelname)s %(message)s\")\n",
    .good_example = "app = FastAPI()\napp.add_middleware(CorrelationIdMiddleware)\n"
                    "logging.basicConfig(format=\"%(levelname)s [%(correlation_id)s] %(message)s\")\n",
    .parameters = "",
    .clause = {.section = "fastapi|backend|error", .text = "correlation"},
    .file_kind = FileKind::other,
    .stack = "fastapi",
    .scope = engine::Scope::repository,
};

class CorrelationIdLoggingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const auto app = primary_fastapi_app(repository);
    if (!app) return;
    // Any sign of a per-request ID in the code: its names, its header, the
    // libraries that provide one.
    static const RE2 evidence(
        R"((?i)correlation[_-]?id|request[_-]?id|asgi_correlation_id|starlette_context|trace[_-]?id|)"
        R"(opentelemetry|structlog\.contextvars)");
    if (any_application_code_matches(repository, evidence)) return;
    out.emit({.range = app->range,
              .message = "the FastAPI app sets no correlation ID per request (no middleware, dependency or "
                         "library that gives log records a request or trace ID): logged exceptions cannot be "
                         "traced to their request",
              .path_override = app->file->path});
  }
};

}  // namespace correlation_id_logging_check
}  // namespace

std::unique_ptr<engine::Check> make_correlation_id_logging_check() {
  return engine::make_check<correlation_id_logging_check::CorrelationIdLoggingCheck>();
}

}  // namespace constable::checks::fastapi
