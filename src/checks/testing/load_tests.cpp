// testing/load-tests: "Load Tests: Performance baseline verification". A
// repository that deploys services has load tests (k6, Locust, Artillery,
// JMeter, Gatling), and its k6 and Artillery tests verify a baseline: they
// fail the run on thresholds rather than only generating load.

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <tuple>

#include "checks/testing/testing_checks.hpp"
#include "checks/testing/testing_support.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"

namespace constable::checks::testing {

namespace {
namespace load_tests_check {

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
        "k6 browser tests are not load tests. A repository needs load tests when it deploys a service of its "
        "own: an OpenAPI document, or an image it builds that listens on a port (a Dockerfile with EXPOSE, "
        "outside any chart) with Kubernetes manifests or a Helm chart. The baseline is verified when some load test fails on thresholds (k6 "
        "`thresholds`, Artillery `ensure`; Locust, JMeter and Gatling pass criteria are not read and count); "
        "when none does, the first k6 script declaring `options` without `thresholds` (or Artillery script "
        "without `ensure`) is the finding.",
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
    bool any = false, verified = false;
    // The first load test that fails on nothing: (path, line, what).
    std::optional<std::tuple<std::string, int, std::string>> unverified;
    // Scripts packaged beside a Dockerfile are traffic generators the project ships, not tests.
    const auto generators = image_directories(repo.workspace());
    bool generator = false;
    for (const workspace::File& file : repo.workspace().files) {
      if (generators.contains(text::dirname(file.path))) {
        const std::string name = lower_name(file.path);
        if (!generator && file.size < 1024 * 1024 && (name.ends_with(".js") || name.ends_with(".py"))) {
          const std::string_view content = read_file(repo, file);
          generator = RE2::PartialMatch(content, kK6Import) || RE2::PartialMatch(content, kLocust);
        }
        continue;
      }
      const std::string name = lower_name(file.path);
      if (file.size > 1024 * 1024) continue;
      if (name.ends_with(".jmx")) {
        any = verified = true;  // JMeter's assertions are not read: given the benefit of the doubt
        continue;
      }
      const bool script = has_extension(name, {".js", ".mjs", ".ts"});
      const bool python = name.ends_with(".py");
      const bool jvm = has_extension(name, {".scala", ".java", ".kt"});
      const bool yaml = has_extension(name, {".yml", ".yaml"});
      if (!script && !python && !jvm && !yaml) continue;
      const std::string_view content = read_file(repo, file);
      const text::Literals::Found signs = load_test_signs(repo, file);
      if (script && signs.has("k6") && RE2::PartialMatch(content, kK6Import)) {
        if (browser_only(content)) continue;  // a browser test drives pages, not load
        any = true;
        re2::StringPiece input(content.data(), content.size());
        const bool options = RE2::FindAndConsume(&input, kK6Options);
        if (signs.has("thresholds")) verified = true;
        else if (options && !unverified)
          unverified.emplace(file.path, line_of(content, static_cast<std::size_t>(input.data() - content.data())),
                             "k6 script's options set no thresholds");
      } else if (python && signs.has("locust") && RE2::PartialMatch(content, kLocust)) {
        any = verified = true;  // Locust fails runs from code or --exit-code-on-error: not read
      } else if (jvm && RE2::PartialMatch(content, kGatling)) {
        any = verified = true;  // Gatling's assertions are not read
      } else if (yaml && signs.has("phases") && RE2::PartialMatch(content, kArtilleryPhases) &&
                 RE2::PartialMatch(content, kArtilleryScenarios) && signs.has("config:")) {
        any = true;
        if (signs.has("ensure:")) {
          verified = true;
        } else if (!unverified) {
          re2::StringPiece input(content.data(), content.size());
          RE2::FindAndConsume(&input, kArtilleryPhases);
          unverified.emplace(file.path, line_of(content, static_cast<std::size_t>(input.data() - content.data())),
                             "Artillery script has no `ensure` thresholds");
        }
      }
    }
    if (any) {
      if (verified || !unverified) return;
      const auto& [path, line, what] = *unverified;
      emit_at(out, path, line,
              fmt::format("the {}, and no other load test of the repository has any, so the runs pass whatever "
                          "the latency and error rate: they generate load but verify no performance baseline",
                          what));
      return;
    }
    // A traffic generator shipped beside the services (microservices-demo's
    // loadgenerator) may be how they are load tested: given the benefit of the doubt.
    if (generator) return;
    const auto& stack = repo.workspace().stack;
    if (!stack.has("kubernetes") && !stack.has("helm") && !stack.has("openapi")) return;
    const auto anchor = service_anchor(repo);
    if (!anchor) return;
    emit_at(out, anchor->first, anchor->second,
            fmt::format("{} defines a service the repository deploys, but no load test (k6, Locust, Artillery, "
                        "JMeter, Gatling) verifies its performance baseline",
                        anchor->first));
  }

 private:
  // Where a missing load test is reported: the service's API description,
  // else the port its image exposes. A chart repository's helper images (a
  // Dockerfile inside a chart) are not services of its own.
  static std::optional<std::pair<std::string, int>> service_anchor(const engine::RepositoryContext& repo) {
    std::vector<std::string> charts;
    for (const workspace::File& file : repo.workspace().files)
      if (lower_name(file.path) == "chart.yaml") charts.push_back(std::string(text::dirname(file.path)) + "/");
    const auto in_chart = [&](std::string_view path) {
      return std::any_of(charts.begin(), charts.end(), [&](const std::string& dir) {
        return dir == "/" || path.starts_with(dir);
      });
    };
    // An image that listens on a port is a service; a base image or a batch
    // tool is not.
    static const RE2 kExpose(R"((?i)^\s*EXPOSE\s)");
    std::optional<std::pair<std::string, int>> listening;
    for (const workspace::File& file : repo.workspace().files) {
      const std::string name = lower_name(file.path);
      if ((name.starts_with("openapi.") || name.starts_with("swagger.")) &&
          has_extension(name, {".yaml", ".yml", ".json"}))
        return std::pair{file.path, 1};
      if (listening || file.kind != FileKind::dockerfile || workspace::is_development_dockerfile(file.path) ||
          in_chart(file.path))
        continue;
      const auto lines = text::split_lines(read_file(repo, file));
      for (std::size_t i = 0; i < lines.size() && !listening; ++i)
        if (RE2::PartialMatch(lines[i], kExpose)) listening = std::pair{file.path, static_cast<int>(i) + 1};
    }
    return listening;
  }
};

}  // namespace load_tests_check
}  // namespace

std::unique_ptr<engine::Check> make_load_tests_check() {
  return engine::make_check<load_tests_check::LoadTestsCheck>();
}

}  // namespace constable::checks::testing
