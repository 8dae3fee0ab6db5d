// observability/correlation-ids: "Correlation IDs MUST be propagated across
// service boundaries". A service that configures a logging library but has
// nothing, anywhere in it, that carries a request, correlation or trace id
// into its logs cannot be followed from one service to the next.

#include <fmt/format.h>
#include <re2/re2.h>

#include <map>
#include <optional>

#include "checks/observability/observability_checks.hpp"
#include "checks/observability/services.hpp"
#include "core/text.hpp"
#include "workspace/provenance.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::observability {

namespace {
namespace correlation_ids_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/correlation-ids",
    .domain = "observability",
    .nature = Nature::maintainability,
    .summary = "Carry a correlation ID into the logs of every service that logs",
    .rationale =
        "When one request crosses five services, the only way to read its story in aggregated logs is an id "
        "every line carries: a correlation or request id taken from the incoming headers (or started at the "
        "edge) and passed on to the next call, or the OpenTelemetry trace context, propagated by its "
        "instrumentations. The check judges each service "
        "(the directory of a package.json, requirements*.txt, pyproject.toml, Pipfile, go.mod, pom.xml or "
        "Gradle build file, with a Dockerfile beside it or a web framework among its dependencies) that "
        "depends on a logging library (structlog, python-json-logger, loguru; pino, winston, bunyan; zap, "
        "logrus, zerolog; Logback's Logstash encoder, Log4j): when none of its files mentions a correlation, "
        "request or trace id (`correlation_id`, `X-Request-ID`, `requestId`, `reqId`, `trace_id`, "
        "`traceparent`, MDC keys `%X{...}`, a text map propagator) or a library that adds one "
        "(asgi-correlation-id, structlog's contextvars, pino-http, cls-rtracer, Micrometer Tracing, Spring "
        "Cloud Sleuth, OpenTelemetry instrumentations and auto-instrumentation, which propagate the trace "
        "context), neither its logs nor its calls carry one.",
    .remediation = "Add the id to every log line and pass it on: asgi-correlation-id or "
                   "structlog.contextvars.bind_contextvars(request_id=...) in Python, pino-http's genReqId "
                   "from `x-request-id` in Node, the OpenTelemetry logging instrumentation (trace_id, span_id) "
                   "or Micrometer Tracing's MDC in Java, and forward the header on outgoing calls.",
    .bad_example = "# requirements.txt of a FastAPI service\nfastapi==0.115.0\nstructlog==24.4.0\n",
    .good_example = "# requirements.txt of a FastAPI service\nfastapi==0.115.0\nstructlog==24.4.0\n"
                    "asgi-correlation-id==4.3.3\n",
    .parameters = "",
    .clause = {.section = "logging", .text = R"(correlation)"},
    .file_kind = FileKind::other,
    .stack = "",  // only services that depend on a logging library are judged
    .scope = engine::Scope::repository,
};

struct Service {
  std::string manifest;
  std::string logger;  // the logging library found
  int line = 0;
  int column = 0;
  int end_column = 0;
  bool web = false;
  bool dockerfile = false;
  bool evidence = false;
};

bool is_manifest(std::string_view name) {
  return name == "package.json" || name == "pyproject.toml" || name == "pipfile" || name == "go.mod" ||
         name == "pom.xml" || name == "build.gradle" || name == "build.gradle.kts" ||
         (name.starts_with("requirements") && name.ends_with(".txt"));
}

// Files that may hold the evidence: code, configuration and manifests.
bool may_hold_evidence(std::string_view name) {
  static constexpr std::string_view kExtensions[] = {
      ".py", ".go", ".js", ".mjs", ".cjs", ".ts", ".java", ".kt", ".xml", ".yaml", ".yml", ".json",
      ".properties", ".toml", ".cfg", ".ini", ".conf", ".env"};
  for (std::string_view extension : kExtensions)
    if (name.ends_with(extension)) return true;
  return false;
}

const RE2& evidence_pattern() {
  static const RE2 kEvidence(
      R"((?i)(correlation|request[_-]?id|x-req|req[_-]?id|trace[_-]?id|traceparent|span[_-]?id|asgi.correlation|)"
      R"(bind_contextvars|merge_contextvars|instrumentation[-_]logging|instrumentation-(pino|winston|bunyan)|)"
      R"(otelzap|otelslog|otellogrus|otelzerolog|pino-http|cls-rtracer|express-request-id|micrometer-tracing|)"
      R"(sleuth|%X\{|mdc\.put|x-amzn-trace-id|x-cloud-trace-context|textmappropagator|propagation\.inject|)"
      R"(propagate\.inject|opentelemetry-instrument\b))");
  return kEvidence;
}

// Libraries that put a correlation, request or trace id into log lines.
const RE2& library_pattern() {
  static const RE2 kLibrary(
      R"((?i)(asgi.correlation.id|django.guid|django.log.request.id|flask.request.id|starlette.context|)"
      R"(opentelemetry.instrumentation.logging|instrumentation-(pino|winston|bunyan)|otelzap|otelslog|otellogrus|)"
      R"(otelzerolog|pino-http|cls-rtracer|express-request-id|micrometer-tracing|sleuth|)"
      R"(opentelemetry-javaagent|opentelemetry-spring-boot|opentelemetry.instrumentation|auto-instrumentations|)"
      R"(opentelemetry-distro|otelgrpc|otelhttp|otelgin|otelecho|otelmux|otelfiber))");
  return kLibrary;
}

class CorrelationIdsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    static const RE2 kLogger(
        R"rx((?i)(?:^|["'\s:/<>=])(structlog|python-json-logger|loguru|pino|winston|bunyan|go\.uber\.org/zap|github\.com/sirupsen/logrus|github\.com/rs/zerolog|logstash-logback-encoder|log4j-core|logback-classic)(?:$|["'\s=<>~!;\[,@/:]))rx");
    static const RE2 kWeb(
        R"rx((?i)(?:^|["'\s:/<>=])(fastapi|flask|django|starlette|aiohttp|sanic|tornado|express|fastify|koa|@nestjs/core|hapi|@hapi/hapi|github\.com/gin-gonic/gin|github\.com/labstack/echo|github\.com/gofiber/fiber|github\.com/go-chi/chi|github\.com/gorilla/mux|spring-boot-starter-web|spring-boot-starter-webflux|quarkus-resteasy|micronaut-http-server)(?:$|["'\s=<>~!;\[,@/:]))rx");
    const auto& files = repository.workspace().files;
    std::map<std::string, Service, std::less<>> services;
    for (const workspace::File& file : files) {
      const std::string name = text::to_lower(text::basename(file.path));
      if (!is_manifest(name)) continue;
      const std::string* content = repository.text(file);
      if (content == nullptr) continue;
      Service& service = services[std::string(text::dirname(file.path))];
      if (RE2::PartialMatch(*content, kWeb)) service.web = true;
      if (!service.logger.empty()) continue;
      int number = 0;
      for (std::string_view line : text::split_lines(*content)) {
        ++number;
        re2::StringPiece library;
        if (!RE2::PartialMatch(line, kLogger, &library)) continue;
        const std::string_view code = text::trim(line);
        if (code.starts_with('#') || code.starts_with("//") || code.starts_with("module ")) continue;
        service.manifest = file.path;
        service.logger = std::string(library.data(), library.size());
        service.line = number;
        service.column = static_cast<int>(library.data() - line.data()) + 1;
        service.end_column = service.column + static_cast<int>(library.size());
        break;
      }
    }
    bool any = false;
    for (const auto& [dir, service] : services) any = any || !service.logger.empty();
    if (!any) return;
    for (const workspace::File& file : files) {
      const std::string name = text::to_lower(text::basename(file.path));
      const bool dockerfile = is_dockerfile_name(name);
      if (!dockerfile && !may_hold_evidence(name) && !name.starts_with(".env") && !is_manifest(name)) continue;
      Service* service = enclosing_service(services, file.path);
      if (service == nullptr || service->logger.empty() || service->evidence) continue;
      if (dockerfile) {
        service->dockerfile = true;
        continue;
      }
      if (name == "package-lock.json" || name == "yarn.lock" || name == "pnpm-lock.yaml" || name == "go.sum" ||
          name == "poetry.lock")
        continue;  // a transitive dependency is no evidence of use
      const std::string* content = repository.text(file);
      if (content == nullptr) continue;
      // A manifest shows a library that adds the id; its other words (a comment, a description) show nothing.
      if (RE2::PartialMatch(*content, is_manifest(name) ? library_pattern() : evidence_pattern()))
        service->evidence = true;
    }
    for (const auto& [dir, service] : services) {
      if (service.logger.empty() || service.evidence || (!service.web && !service.dockerfile)) continue;
      out.emit({.range = {service.line, service.column, service.line, service.end_column},
                .message = fmt::format("the service in {} logs with {} but nothing in it carries a correlation, "
                                       "request or trace id: not its log lines, not its calls to other services (no trace context "
                                       "propagated)",
                                       dir.empty() ? std::string_view(".") : std::string_view(dir), service.logger),
                .path_override = service.manifest,
                .anchor = "correlation " + dir});
    }
  }
};

}  // namespace correlation_ids_check
}  // namespace

std::unique_ptr<engine::Check> make_correlation_ids_check() {
  return engine::make_check<correlation_ids_check::CorrelationIdsCheck>();
}

}  // namespace constable::checks::observability
