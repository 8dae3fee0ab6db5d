// testing/soak-tests: "Soak tests: 12 hours at expected peak traffic". Where
// a repository has k6 or Artillery load tests, one of them runs for the
// clause's duration: leaks, pool exhaustion and slow drift only show after
// hours.

#include <fmt/format.h>
#include <re2/re2.h>

#include <chrono>
#include <cstdlib>

#include "checks/testing/testing_checks.hpp"
#include "checks/testing/testing_support.hpp"
#include "constitution/parameters.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"

namespace constable::checks::testing {

namespace {
namespace soak_tests_check {

constexpr engine::CheckInfo kInfo{
    .id = "testing/soak-tests",
    .domain = "testing",
    .nature = Nature::reliability,
    .summary = "Run a soak test as long as the constitution asks",
    .rationale =
        "Memory leaks, connection pool exhaustion, log volume and slow latency drift appear after hours of "
        "steady load, never in a ten-minute run. Judged where the repository has k6 scripts or Artillery "
        "scripts (testing/load-tests asks for load tests where there are none): the longest run one declares "
        "is the sum of every literal duration in it (k6 `duration` and stage durations, Artillery phase "
        "durations in seconds), an upper bound; `k6 run --duration` in a script, Makefile or CI file counts "
        "too. A duration that is not a literal (`__ENV.DURATION`), a Locust run without --run-time (it runs "
        "until stopped), JMeter and Gatling plans are given the benefit of the doubt.",
    .remediation = "Add a soak scenario at expected peak traffic for the constitution's duration, e.g. a k6 "
                   "scenario `{executor: 'constant-arrival-rate', rate: 100, duration: '12h'}`, run on a "
                   "schedule against staging.",
    .bad_example = "export const options = { stages: [{ duration: '5m', target: 100 }, { duration: '20m', "
                   "target: 100 }] };\n",
    .good_example = "export const options = { scenarios: { soak: { executor: 'constant-vus', vus: 100, "
                    "duration: '12h' } } };\n",
    .parameters = "the soak duration (\"12 hours\")",
    .clause = {.section = "load test", .text = R"(\bsoak\b)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// "1h30m", "90s", "500ms", "2.5h" -> seconds; nullopt when not a Go duration.
std::optional<double> go_duration_seconds(std::string_view text) {
  static const RE2 kPart(R"(^(\d+(?:\.\d+)?)(ms|h|m|s))");
  if (text.empty()) return std::nullopt;
  double total = 0;
  re2::StringPiece input(text.data(), text.size());
  double value = 0;
  std::string unit;
  while (!input.empty()) {
    if (!RE2::Consume(&input, kPart, &value, &unit)) return std::nullopt;
    total += unit == "h" ? value * 3600 : unit == "m" ? value * 60 : unit == "s" ? value : value / 1000;
  }
  return total;
}

std::string format_seconds(double seconds) {
  if (seconds >= 3600) return fmt::format("{:g}h", seconds / 3600);
  if (seconds >= 60) return fmt::format("{:g}m", seconds / 60);
  return fmt::format("{:g}s", seconds);
}

struct Run {
  std::string path;
  int line = 0;
  double seconds = 0;
  bool unknown = false;  // some duration is not a literal
};

class SoakTestsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    const auto duration = constitution::capture_duration(clause.text);
    if (!duration || duration->count() <= 0)
      return fail(fmt::format("testing/soak-tests: no duration in '{}' (expected e.g. '12 hours')", clause.text), "",
                  clause.line);
    minimum_seconds_ = static_cast<double>(duration->count()) / 1000;
    return {};
  }

  std::string bound_parameters() const override { return fmt::format("soak duration {}", format_seconds(minimum_seconds_)); }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    static const RE2 kK6Import(R"re((?m)^\s*import\b[^;\n]*\bfrom\s*['"]k6(/[\w/-]+)?['"])re");
    static const RE2 kK6Duration(R"re(\bduration\s*:\s*(?:['"`]([^'"`]*)['"`]|([^\s,}]+)))re");
    static const RE2 kArtilleryDuration(R"((?m)^\s*-?\s*duration\s*:\s*["']?([^\s"'#]+))");
    static const RE2 kCliDuration(R"re(\bk6\s+run\b[^\n]*?(?:--duration|\s-d)(?:=|\s+)["']?([0-9hms.]+))re");
    static const RE2 kLocustRunTime(R"re((?:--run-time|run-time\s*=|-t)\s*=?\s*["']?([0-9hms.]+))re");
    std::vector<Run> runs;
    bool benefit_of_doubt = false;
    // Scripts packaged beside a Dockerfile are traffic generators the project ships, not tests.
    const auto generators = image_directories(repo.workspace());
    for (const workspace::File& file : repo.workspace().files) {
      if (generators.contains(text::dirname(file.path))) continue;
      const std::string name = lower_name(file.path);
      if (file.size > 1024 * 1024) continue;
      if (name.ends_with(".jmx")) {
        benefit_of_doubt = true;
        continue;
      }
      const bool script = name.ends_with(".js") || name.ends_with(".ts") || name.ends_with(".mjs");
      const bool yaml = name.ends_with(".yml") || name.ends_with(".yaml");
      const bool python = name.ends_with(".py");
      if (!script && !yaml && !python && name != "makefile" && !name.ends_with(".sh") && name != "locust.conf") continue;
      const std::string_view content = read_file(repo, file);
      const text::Literals::Found signs = load_test_signs(repo, file);
      // A soak run started from the command line.
      if (signs.has("k6")) {
        re2::StringPiece input(content.data(), content.size());
        std::string value;
        while (RE2::FindAndConsume(&input, kCliDuration, &value))
          if (const auto seconds = go_duration_seconds(value); seconds && *seconds >= minimum_seconds_) return;
      }
      if (python && signs.has("locust")) {
        if (!signs.has("run-time") && !signs.has("run_time")) benefit_of_doubt = true;
        continue;
      }
      if (name == "locust.conf" || (yaml && signs.has("locust"))) {
        re2::StringPiece input(content.data(), content.size());
        std::string value;
        while (RE2::FindAndConsume(&input, kLocustRunTime, &value))
          if (const auto seconds = go_duration_seconds(value); seconds && *seconds >= minimum_seconds_) return;
        continue;
      }
      if (script && signs.has("k6") && RE2::PartialMatch(content, kK6Import) &&
          !browser_only(content)) {
        Run run{file.path, 1};
        re2::StringPiece input(content.data(), content.size());
        std::string literal, expression;
        bool first = true;
        while (RE2::FindAndConsume(&input, kK6Duration, &literal, &expression)) {
          if (first) {
            run.line = line_of(content, static_cast<std::size_t>(input.data() - content.data()));
            first = false;
          }
          const auto seconds = literal.empty() ? std::nullopt : go_duration_seconds(literal);
          if (seconds) run.seconds += *seconds;
          else run.unknown = true;
        }
        if (!first) runs.push_back(std::move(run));  // iterations only: a short run, not a soak
      } else if (yaml && signs.has("phases") && signs.has("scenarios") && signs.has("config:")) {
        Run run{file.path, 1};
        re2::StringPiece input(content.data(), content.size());
        std::string value;
        bool first = true;
        while (RE2::FindAndConsume(&input, kArtilleryDuration, &value)) {
          if (first) {
            run.line = line_of(content, static_cast<std::size_t>(input.data() - content.data()));
            first = false;
          }
          // Artillery phase durations are seconds, or strings with a unit.
          char* end = nullptr;
          const double plain = std::strtod(value.c_str(), &end);
          const auto seconds = end != nullptr && *end == '\0' ? std::optional<double>(plain) : go_duration_seconds(value);
          if (seconds) run.seconds += *seconds;
          else run.unknown = true;
        }
        runs.push_back(std::move(run));
      }
    }
    if (runs.empty() || benefit_of_doubt) return;
    const Run* longest = nullptr;
    for (const Run& run : runs) {
      if (run.unknown || run.seconds >= minimum_seconds_) return;
      if (longest == nullptr || run.seconds > longest->seconds) longest = &run;
    }
    emit_at(out, longest->path, longest->line,
            fmt::format("no load test soaks for {}: the longest declared run is {} ({}), so leaks and drift that "
                        "take hours to show go unseen",
                        format_seconds(minimum_seconds_), format_seconds(longest->seconds), longest->path));
  }

 private:
  double minimum_seconds_ = 12 * 3600;
};

}  // namespace soak_tests_check
}  // namespace

std::unique_ptr<engine::Check> make_soak_tests_check() {
  return engine::make_check<soak_tests_check::SoakTestsCheck>();
}

}  // namespace constable::checks::testing
