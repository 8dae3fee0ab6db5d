// observability/opentelemetry-tracing: "Distributed tracing MUST be
// implemented via OpenTelemetry". Judged from the dependency manifests: a
// service that depends on a tracing library of the projects OpenTelemetry
// replaced (OpenTracing, OpenCensus, Jaeger's and Zipkin's own clients,
// Spring Cloud Sleuth) traces without it.

#include <fmt/format.h>
#include <re2/re2.h>

#include <optional>

#include "checks/observability/observability_checks.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::observability {

namespace {
namespace opentelemetry_tracing_check {

constexpr engine::CheckInfo kInfo{
    .id = "observability/opentelemetry-tracing",
    .domain = "observability",
    .nature = Nature::maintainability,
    .summary = "Trace with OpenTelemetry, not OpenTracing, OpenCensus, Jaeger or Zipkin clients",
    .rationale =
        "OpenTelemetry merged OpenTracing and OpenCensus, and Jaeger's client libraries are retired in its "
        "favour: a service traced with them propagates its own header formats, cannot share context with "
        "OpenTelemetry-instrumented services or the Collector's pipelines, and runs unmaintained code. The "
        "check reads the dependencies a service declares (package.json `dependencies`, requirements*.txt, "
        "pyproject.toml, Pipfile, go.mod direct requirements, Maven pom.xml and Gradle build files) and reports "
        "the tracing libraries of those projects: opentracing, jaeger-client, opencensus, py_zipkin, zipkin-js, "
        "zipkin-go, Brave and Spring Cloud Sleuth. Indirect Go requirements and development dependencies are "
        "not judged; nor are vendor agents, which can carry OpenTelemetry.",
    .remediation = "Replace the library with the OpenTelemetry SDK of the language and its instrumentations "
                   "(or the OpenTracing/OpenCensus shim while migrating), exporting OTLP to a Collector.",
    .bad_example = "jaeger-client==4.8.0\nopentracing==2.4.0\n",
    .good_example = "opentelemetry-sdk==1.27.0\nopentelemetry-exporter-otlp==1.27.0\n",
    .parameters = "",
    .clause = {.section = "tracing", .text = R"(tracing.*(open.?telemetry|otel))"},
    .file_kind = FileKind::other,
    .stack = "",  // only dependency manifests are judged
    .scope = engine::Scope::repository,
};

// A dependency on a library OpenTelemetry replaced, and where it is declared.
struct LegacyDependency {
  std::string name;
  int line = 0;
  int column = 0;
  int end_column = 0;
};

// What the library is, for the message; nullopt when it is not one of them.
std::optional<std::string_view> legacy_project(std::string_view name) {
  const std::string n = text::to_lower(name);
  // OpenTelemetry's own bridges and exporters for them (opentelemetry-opentracing-shim).
  if (n.find("opentelemetry") != std::string::npos) return std::nullopt;
  if (n.find("opentracing") != std::string::npos) return "an OpenTracing library";
  if (n.find("opencensus") != std::string::npos) return "an OpenCensus library";
  if (n.find("jaeger-client") != std::string::npos || n.find("jaeger_client") != std::string::npos ||
      n.starts_with("io.jaegertracing"))
    return "Jaeger's retired client library";
  if (n.find("sleuth") != std::string::npos) return "Spring Cloud Sleuth, which traces with Brave";
  if (n == "brave" || n.starts_with("brave-") || n.starts_with("io.zipkin.brave") ||
      n == "micrometer-tracing-bridge-brave")
    return "Brave, Zipkin's tracer";
  if (n == "py-zipkin" || n == "py_zipkin" || n == "zipkin" || n.starts_with("zipkin-") ||
      n == "github.com/openzipkin/zipkin-go")
    return "Zipkin's own client library";
  return std::nullopt;
}

void add(std::vector<LegacyDependency>& out, std::string_view line_text, int line, std::string_view name) {
  const auto at = line_text.find(name);
  const int column = at == std::string_view::npos ? 1 : static_cast<int>(at) + 1;
  out.push_back({std::string(name), line, column, column + static_cast<int>(name.size())});
}

std::vector<LegacyDependency> from_lines(std::string_view path, std::string_view content) {
  static const RE2 kRequirement(R"(^\s*([A-Za-z0-9][A-Za-z0-9._-]*))");
  static const RE2 kQuoted(R"re(["']([A-Za-z0-9][A-Za-z0-9._-]*)\s*(?:[<>=~!;\[ ]|["']))re");
  static const RE2 kTomlKey(R"(^\s*([A-Za-z0-9][A-Za-z0-9._-]*)\s*=)");
  static const RE2 kGoRequire(R"(^\s*(?:require\s+)?([a-z0-9.-]+\.[a-z]+/[^\s]+)\s+v[0-9])");
  static const RE2 kArtifact(R"(<artifactId>\s*([^<\s]+)\s*</artifactId>)");
  static const RE2 kGradle(R"re(["']([A-Za-z0-9._-]+):([A-Za-z0-9._-]+)(?::[^"']*)?["'])re");
  const std::string name = text::to_lower(text::basename(path));
  std::vector<LegacyDependency> out;
  int number = 0;
  bool in_go_require = false;
  bool in_dependency_array = false;  // pyproject's `dependencies = [`
  bool in_dependency_table = false;  // `[tool.poetry.dependencies]`, Pipfile's `[packages]`
  bool in_maven_dependency = false;  // between <dependency> and </dependency>
  for (std::string_view line : text::split_lines(content)) {
    ++number;
    std::string found;
    std::string group;
    if (name.starts_with("requirements") && name.ends_with(".txt")) {
      if (RE2::PartialMatch(line, kRequirement, &found) && legacy_project(found)) add(out, line, number, found);
    } else if (name == "pyproject.toml" || name == "pipfile") {
      // Only what the project depends on: not its own name, scripts or tool settings.
      const std::string_view trimmed = text::trim(line);
      if (trimmed.starts_with('[') && !in_dependency_array) {
        in_dependency_table = trimmed == "[tool.poetry.dependencies]" || trimmed == "[packages]";
        continue;
      }
      if (!in_dependency_array && RE2::PartialMatch(line, R"(^\s*dependencies\s*=\s*\[)")) in_dependency_array = true;
      if (in_dependency_array) {
        const std::string_view items = line.substr(line.find('[') == std::string_view::npos ? 0 : line.find('[') + 1);
        re2::StringPiece input(items.data(), items.size());
        while (RE2::FindAndConsume(&input, kQuoted, &found))
          if (legacy_project(found)) add(out, line, number, found);
        if (line.find(']') != std::string_view::npos) in_dependency_array = false;
      } else if (in_dependency_table && RE2::PartialMatch(line, kTomlKey, &found) && legacy_project(found)) {
        add(out, line, number, found);
      }
    } else if (name == "go.mod") {
      const std::string_view trimmed = text::trim(line);
      if (trimmed.starts_with("require (")) in_go_require = true;
      if (trimmed == ")") in_go_require = false;
      const bool requirement = in_go_require || trimmed.starts_with("require ");
      if (!requirement || line.find("// indirect") != std::string_view::npos) continue;
      if (RE2::PartialMatch(line, kGoRequire, &found) &&
          (found == "github.com/opentracing/opentracing-go" || found == "github.com/uber/jaeger-client-go" ||
           found == "github.com/openzipkin/zipkin-go" || found == "contrib.go.opencensus.io/exporter/jaeger" ||
           found == "contrib.go.opencensus.io/exporter/zipkin"))
        add(out, line, number, found);
    } else if (name == "pom.xml") {
      // The project's own <artifactId> and its plugins' are no dependencies.
      if (line.find("<dependency>") != std::string_view::npos) in_maven_dependency = true;
      if (in_maven_dependency && RE2::PartialMatch(line, kArtifact, &found) && legacy_project(found))
        add(out, line, number, found);
      if (line.find("</dependency>") != std::string_view::npos) in_maven_dependency = false;
    } else if (name == "build.gradle" || name == "build.gradle.kts") {
      if (RE2::PartialMatch(line, kGradle, &group, &found) && (legacy_project(found) || legacy_project(group)))
        add(out, line, number, found);
    }
  }
  return out;
}

std::vector<LegacyDependency> from_package_json(const yaml::Stream& stream) {
  std::vector<LegacyDependency> out;
  for (const yaml::Document& document : stream.documents) {
    const yaml::Node* dependencies = document.root != nullptr ? document.root->get("dependencies") : nullptr;
    if (dependencies == nullptr || !dependencies->is_mapping()) continue;
    for (const yaml::Entry& entry : dependencies->entries) {
      const std::string package(entry.key->str());
      if (legacy_project(package) || package.starts_with("@opencensus/"))
        out.push_back({package, entry.key->start.line, entry.key->start.column, entry.key->end.column});
    }
  }
  return out;
}

bool is_manifest(std::string_view path) {
  const std::string name = text::to_lower(text::basename(path));
  return name == "package.json" || (name.starts_with("requirements") && name.ends_with(".txt")) ||
         name == "pyproject.toml" || name == "pipfile" || name == "go.mod" || name == "pom.xml" ||
         name == "build.gradle" || name == "build.gradle.kts";
}

class OpenTelemetryTracingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    for (const workspace::File& file : repository.workspace().files) {
      if (!is_manifest(file.path)) continue;
      const std::string* content = repository.text(file);
      if (content == nullptr) continue;
      std::vector<LegacyDependency> found;
      if (text::to_lower(text::basename(file.path)) == "package.json") {
        const yaml::Stream* stream = repository.yaml(file);
        if (stream != nullptr) found = from_package_json(*stream);
      } else {
        found = from_lines(file.path, *content);
      }
      for (const LegacyDependency& dependency : found) {
        const auto project = legacy_project(dependency.name);
        out.emit({.range = {dependency.line, dependency.column, dependency.line, dependency.end_column},
                  .message = fmt::format("{} is {}, not OpenTelemetry: the service's spans and trace context "
                                         "headers stay outside OpenTelemetry's SDK and propagation",
                                         dependency.name, project ? *project : std::string_view("an OpenCensus library")),
                  .path_override = file.path,
                  .anchor = dependency.name});
      }
    }
  }
};

}  // namespace opentelemetry_tracing_check
}  // namespace

std::unique_ptr<engine::Check> make_opentelemetry_tracing_check() {
  return engine::make_check<opentelemetry_tracing_check::OpenTelemetryTracingCheck>();
}

}  // namespace constable::checks::observability
