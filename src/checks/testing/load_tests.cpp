// testing/load-tests: "Load Tests: Performance baseline verification". A
// repository that deploys services has load tests (k6, Locust, Artillery,
// JMeter, Gatling), and its k6 and Artillery tests verify a baseline: they
// fail the run on thresholds rather than only generating load.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/testing/testing_checks.hpp"
#include "checks/testing/testing_support.hpp"
#include "core/text.hpp"

namespace constable::checks::testing {

namespace {

constexpr engine::CheckInfo kInfo{
    .id = "testing/load-tests",
    .domain = "testing",
    .nature = Nature::reliability,
    .summary = "Verify the services' performance baseline with load tests that fail on thresholds",
    .rationale =
        "Without a load test the first measurement of a service's capacity is the first incident at peak; a "
        "load test without thresholds produces numbers nobody compares, so a regression passes. Recognised "
        "load tests: k6 scripts (JavaScript or TypeScript importing k6), Locust files (`from locust import`), "
        "Artillery scripts (`config.phases` and `scenarios`), JMeter plans (*.jmx) and Gatling simulations. "
        "A repository needs them when it deploys services: Kubernetes manifests, a Helm chart or an OpenAPI "
        "document. A k6 script that declares its `options` without `thresholds`, or an Artillery script "
        "without `ensure`, verifies no baseline.",
    .remediation =
        "Add a load test of the service's main journeys, e.g. a k6 script with `export const options = { "
        "thresholds: { http_req_duration: ['p(95)<500'], http_req_failed: ['rate<0.01'] } }`, and run it "
        "before releases.",
    .bad_example = "import http from 'k6/http';\nexport const options = { vus: 50, duration: '5m' };\n"
                   "export default function () { http.get('https://shop.example.com/'); }\n",
    .good_example = "import http from 'k6/http';\nexport const options = {\n  vus: 50,\n  duration: '5m',\n"
                    "  thresholds: { http_req_duration: ['p(95)<500'], http_req_failed: ['rate<0.01'] },\n};\n"
                    "export default function () { http.get('https://shop.example.com/'); }\n",
    .parameters = "",
    .clause = {.section = "test", .text = R"(\bload tests?\b)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

bool has_extension(std::string_view name, std::initializer_list<std::string_view> extensions) {
  for (const std::string_view extension : extensions)
    if (name.ends_with(extension)) return true;
  return false;
}

class LoadTestsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    static const RE2 kK6Import(R"re((?m)(^\s*import\b[^;\n]*\bfrom\s*['"]k6(/[\w/-]+)?['"]|\brequire\(\s*['"]k6(/[\w/-]+)?['"]\s*\)))re");
    static const RE2 kK6Options(R"((?m)^\s*export\s+(const|let|var)\s+options\s*=)");
    static const RE2 kLocust(R"((?m)^\s*(from\s+locust\s+import|import\s+locust\b))");
    static const RE2 kGatling(R"(\bextends\s+Simulation\b|\bio\.gatling\.)");
    static const RE2 kArtilleryPhases(R"((?m)^\s+phases\s*:)");
    static const RE2 kArtilleryScenarios(R"((?m)^scenarios\s*:)");
    bool any = false;
    for (const workspace::File& file : repo.workspace().files) {
      const std::string name = lower_name(file.path);
      if (file.size > 1024 * 1024) continue;
      if (name.ends_with(".jmx")) {
        any = true;
        continue;
      }
      const bool script = has_extension(name, {".js", ".mjs", ".ts"});
      const bool python = name.ends_with(".py");
      const bool jvm = has_extension(name, {".scala", ".java", ".kt"});
      const bool yaml = has_extension(name, {".yml", ".yaml"});
      if (!script && !python && !jvm && !yaml) continue;
      const std::string_view content = read_file(repo, file);
      if (script && text::contains(content, "k6") && RE2::PartialMatch(content, kK6Import)) {
        any = true;
        re2::StringPiece input(content.data(), content.size());
        if (RE2::FindAndConsume(&input, kK6Options) && !text::contains(content, "thresholds"))
          emit_at(out, file.path, line_of(content, static_cast<std::size_t>(input.data() - content.data())),
                  "the k6 script's options set no thresholds, so the run passes whatever the latency and error "
                  "rate: it generates load but verifies no performance baseline");
      } else if (python && text::contains(content, "locust") && RE2::PartialMatch(content, kLocust)) {
        any = true;
      } else if (jvm && RE2::PartialMatch(content, kGatling)) {
        any = true;
      } else if (yaml && text::contains(content, "phases") && RE2::PartialMatch(content, kArtilleryPhases) &&
                 RE2::PartialMatch(content, kArtilleryScenarios) && text::contains(content, "config:")) {
        any = true;
        if (!text::contains(content, "ensure:")) {
          re2::StringPiece input(content.data(), content.size());
          RE2::FindAndConsume(&input, kArtilleryPhases);
          emit_at(out, file.path, line_of(content, static_cast<std::size_t>(input.data() - content.data())),
                  "the Artillery script has no `ensure` thresholds, so the run passes whatever the latency and "
                  "error rate: it generates load but verifies no performance baseline");
        }
      }
    }
    if (any) return;
    const auto& stack = repo.workspace().stack;
    if (!stack.has("kubernetes") && !stack.has("helm") && !stack.has("openapi")) return;
    const auto anchor = service_anchor(repo);
    if (!anchor) return;
    emit_at(out, anchor->first, anchor->second,
            fmt::format("{} describes a service the repository deploys, but no load test (k6, Locust, Artillery, "
                        "JMeter, Gatling) verifies its performance baseline",
                        anchor->first));
  }

 private:
  // Where a missing load test is reported: the service's API description,
  // else the image it builds (its first FROM), else its chart.
  static std::optional<std::pair<std::string, int>> service_anchor(const engine::RepositoryContext& repo) {
    const workspace::File* dockerfile = nullptr;
    const workspace::File* chart = nullptr;
    for (const workspace::File& file : repo.workspace().files) {
      const std::string name = lower_name(file.path);
      if (name.starts_with("openapi.") || name.starts_with("swagger.")) return std::pair{file.path, 1};
      if (dockerfile == nullptr && file.kind == FileKind::dockerfile &&
          !workspace::is_development_dockerfile(file.path))
        dockerfile = &file;
      if (chart == nullptr && name == "chart.yaml") chart = &file;
    }
    if (dockerfile != nullptr) {
      static const RE2 kFrom(R"((?i)^\s*FROM\s)");
      const auto lines = text::split_lines(read_file(repo, *dockerfile));
      for (std::size_t i = 0; i < lines.size(); ++i)
        if (RE2::PartialMatch(lines[i], kFrom)) return std::pair{dockerfile->path, static_cast<int>(i) + 1};
    }
    if (chart != nullptr) return std::pair{chart->path, 1};
    return std::nullopt;
  }
};

}  // namespace

std::unique_ptr<engine::Check> make_load_tests_check() { return engine::make_check<LoadTestsCheck>(); }

}  // namespace constable::checks::testing
