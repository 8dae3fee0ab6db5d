// testing/coverage-threshold: "Unit Tests: Minimum 80% code coverage". The
// minimum holds only when a tool fails the build below it: pytest-cov's
// --cov-fail-under, coverage.py's fail_under, Jest's coverageThreshold,
// Vitest's coverage thresholds, c8/nyc --check-coverage, a Codecov project
// target.

#include <fmt/format.h>
#include <re2/re2.h>

#include <algorithm>
#include <charconv>
#include <set>

#include "checks/testing/testing_checks.hpp"
#include "checks/testing/testing_support.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"
#include "workspace/provenance.hpp"

namespace constable::checks::testing {

namespace {
namespace coverage_threshold_check {

constexpr engine::CheckInfo kInfo{
    .id = "testing/coverage-threshold",
    .domain = "testing",
    .nature = Nature::reliability,
    .summary = "Fail the build when unit test coverage falls below the constitution's minimum",
    .rationale =
        "A coverage minimum that no tool enforces erodes one untested change at a time. Recognised gates: "
        "pytest-cov `--cov-fail-under` (in addopts, CI, Makefile, tox, nox or scripts), coverage.py `fail_under` "
        "(`[tool.coverage.report]`, `.coveragerc` `[report]`, `[coverage:report]`), `coverage report "
        "--fail-under`, Jest `coverageThreshold` (its `global` lines/statements), Vitest `coverage.thresholds` "
        "(or the older `coverage.lines`), c8/nyc `--check-coverage --lines`, a Codecov project `target`, and "
        "JaCoCo `<limit>` minimums in a Maven POM (a covered ratio of lines or instructions: 0.80 is 80%). "
        "A gate below the clause's percentage is a finding at its line. A repository with unit tests and no "
        "gate anywhere is one finding, where coverage is measured (`coverage report`, `--cov`, Jest "
        "`collectCoverage`) or else at its test configuration. Unit tests: test_*.py or *_test.py modules of a "
        "Python project (pyproject.toml, setup.py, setup.cfg, requirements, Pipfile), outside a test directory "
        "shipped as its own image (a system test suite); Jest, Vitest or Mocha configured or declared.",
    .remediation = "Set the gate to the constitution's minimum, e.g. `fail_under = 80` under "
                   "`[tool.coverage.report]`, `--cov-fail-under=80` in pytest's addopts, or "
                   "`coverageThreshold: {global: {lines: 80, statements: 80}}` for Jest.",
    .bad_example = "[tool.pytest.ini_options]\naddopts = \"--cov=app --cov-fail-under=60\"\n",
    .good_example = "[tool.pytest.ini_options]\naddopts = \"--cov=app\"\n\n[tool.coverage.report]\nfail_under = 80\n",
    .parameters = "the minimum coverage percentage (\"80%\")",
    .clause = {.section = "test|quality", .text = R"(\d+(\.\d+)?\s*%[^.]*coverage|coverage[^.]*\d+(\.\d+)?\s*%)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// A configured gate: where, what it says, and its percentage when literal.
struct Gate {
  std::string path;
  int line = 0;
  std::string text;             // "--cov-fail-under=60", "coverageThreshold lines: 70"
  std::optional<double> value;  // nullopt: not a literal (`${MIN_COVERAGE}`)
};

std::string_view view(const re2::StringPiece& piece) { return {piece.data(), piece.size()}; }

std::optional<double> number(std::string_view digits) {
  double value = 0;
  const auto [end, ec] = std::from_chars(digits.data(), digits.data() + digits.size(), value);
  if (ec != std::errc() || end != digits.data() + digits.size()) return std::nullopt;
  return value;
}

bool is_ci_file(std::string_view path) {
  return (path.starts_with(".github/workflows/") && (path.ends_with(".yml") || path.ends_with(".yaml"))) ||
         path == ".gitlab-ci.yml" || path == ".gitlab-ci.yaml" || path == ".circleci/config.yml" ||
         path == "azure-pipelines.yml" || path == "Jenkinsfile" || path == "bitbucket-pipelines.yml";
}

bool is_js_config(std::string_view name, std::string_view stem) {
  if (!name.starts_with(stem)) return false;
  const std::string_view rest = name.substr(stem.size());
  return rest == ".js" || rest == ".ts" || rest == ".mjs" || rest == ".cjs" || rest == ".mts" || rest == ".cts" ||
         rest == ".json";
}

// Files that may hold a coverage gate.
bool may_gate(std::string_view path, std::string_view name) {
  return name == "pyproject.toml" || name == "setup.cfg" || name == "tox.ini" || name == ".coveragerc" ||
         name == "pytest.ini" || name == "noxfile.py" || name == "makefile" || name.ends_with(".mk") ||
         name == "justfile" || name.ends_with(".sh") || name == "package.json" || name.starts_with("taskfile") ||
         is_js_config(name, "jest.config") || is_js_config(name, "vitest.config") ||
         is_js_config(name, "vite.config") || name == ".nycrc" || name == ".nycrc.json" || name == ".c8rc" ||
         name == ".c8rc.json" || name == "codecov.yml" || name == "codecov.yaml" || name == ".codecov.yml" ||
         name == "pom.xml" || name == "build.gradle" || name == "build.gradle.kts" || is_ci_file(path);
}

void command_line_gates(std::string_view path, std::string_view content, std::vector<Gate>& gates) {
  // Other tools take --fail-under too (pylint scores out of 10, interrogate,
  // diff-cover): only coverage.py's report commands are read.
  static const RE2 kPytestCov(R"(--cov-fail-under(?:=|\s+)["']?([^\s"',\]]+))");
  static const RE2 kCoverageReport(R"(\bcoverage\s+(?:report|html|xml|json)\b[^\n]*?--fail-under(?:=|\s+)["']?([^\s"',\]]+))");
  static const RE2 kNodeCoverage(R"(\b(?:c8|nyc)\b[^\n]*--check-coverage[^\n]*?--(?:lines|statements)(?:=|\s+)([^\s"',]+))");
  const auto lines = text::split_lines(content);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    const std::string_view line = lines[i];
    if (text::trim(line).starts_with('#')) continue;  // commented out
    for (const RE2* pattern : {&kPytestCov, &kCoverageReport, &kNodeCoverage}) {
      re2::StringPiece input(line.data(), line.size()), value;
      while (RE2::FindAndConsume(&input, *pattern, &value))
        gates.push_back({std::string(path), static_cast<int>(i) + 1, std::string(text::trim(line)), number(view(value))});
    }
  }
}

// coverage.py's fail_under, in the sections each file keeps it in.
void coverage_py_gates(std::string_view path, std::string_view name, std::string_view content,
                       std::vector<Gate>& gates) {
  static const RE2 kSection(R"(^\s*\[([^\]]+)\]\s*$)");
  static const RE2 kFailUnder(R"(^\s*fail_under\s*=\s*["']?([^\s"'#]+))");
  const auto lines = text::split_lines(content);
  bool in_report = false;
  for (std::size_t i = 0; i < lines.size(); ++i) {
    std::string section, value;
    if (RE2::FullMatch(lines[i], kSection, &section)) {
      section = text::to_lower(text::trim(section));
      in_report = section == "tool.coverage.report" || section == "coverage:report" ||
                  (name == ".coveragerc" && section == "report");
      continue;
    }
    if (in_report && RE2::PartialMatch(lines[i], kFailUnder, &value))
      gates.push_back({std::string(path), static_cast<int>(i) + 1, std::string(text::trim(lines[i])), number(value)});
  }
}

// Lines and statements thresholds in a JavaScript or JSON block.
// The lines and statements thresholds of a JavaScript or JSON block, as one
// gate at the lowest of them (`{ lines: 70, statements: 80 }` is one gate at 70).
void threshold_values(std::string_view path, std::string_view content, std::string_view block, std::size_t offset,
                      std::string_view what, std::vector<Gate>& gates) {
  static const RE2 kMetric(R"(["']?\b(lines|statements)\b["']?\s*:\s*(-?\d+(?:\.\d+)?))");
  re2::StringPiece input(block.data(), block.size()), metric_piece, value_piece;
  std::optional<Gate> lowest;
  std::string listed;
  while (RE2::FindAndConsume(&input, kMetric, &metric_piece, &value_piece)) {
    const std::string_view metric = view(metric_piece), value = view(value_piece);
    listed += fmt::format("{}{}: {}", listed.empty() ? "" : ", ", metric, value);
    // A negative number is Jest's "at most this many uncovered", not a percentage.
    const std::optional<double> percent = value.starts_with('-') ? std::nullopt : number(value);
    const std::size_t at = offset + static_cast<std::size_t>(value.data() - block.data());
    if (!lowest || (percent && (!lowest->value || *percent < *lowest->value)))
      lowest = Gate{std::string(path), line_of(content, at), {}, percent};
  }
  if (!lowest) return;
  lowest->text = fmt::format("{} {}", what, listed);
  gates.push_back(std::move(*lowest));
}

// JaCoCo's check rules in a Maven POM: each `<limit>` whose value is a
// covered ratio (the default) of lines or instructions (the default counter);
// branch, method or class limits are gates, not on lines.
void jacoco_gates(std::string_view path, std::string_view content, std::vector<Gate>& gates) {
  static const RE2 kMinimum(R"(<minimum>\s*([0-9.]+)\s*(%?)\s*</minimum>)");
  static const RE2 kCounter(R"(<counter>\s*(\w+)\s*</counter>)");
  static const RE2 kValue(R"(<value>\s*(\w+)\s*</value>)");
  for (std::size_t at = content.find("<limit>"); at != std::string_view::npos; at = content.find("<limit>", at + 1)) {
    const std::size_t end = content.find("</limit>", at);
    if (end == std::string_view::npos) break;
    const std::string_view limit = content.substr(at, end - at);
    std::string minimum, percent, counter = "INSTRUCTION", value = "COVEREDRATIO";
    if (!RE2::PartialMatch(limit, kMinimum, &minimum, &percent)) continue;
    RE2::PartialMatch(limit, kCounter, &counter);
    RE2::PartialMatch(limit, kValue, &value);
    const int line = line_of(content, at + limit.find("<minimum>"));
    if (value != "COVEREDRATIO" || (counter != "LINE" && counter != "INSTRUCTION")) {
      gates.push_back({std::string(path), line, fmt::format("JaCoCo {} {}", counter, value), std::nullopt});
      continue;
    }
    auto ratio = number(minimum);
    if (ratio && percent.empty()) *ratio *= 100;  // 0.80 is 80%
    gates.push_back({std::string(path), line, fmt::format("JaCoCo {} minimum {}{}", counter, minimum, percent), ratio});
  }
}

// Whether `offset` sits after `//` on its line, or on a line of a block
// comment (starting with `*`).
bool in_line_comment(std::string_view content, std::size_t offset) {
  const std::size_t start = content.rfind('\n', offset == 0 ? 0 : offset - 1);
  const std::string_view before = content.substr(start == std::string_view::npos ? 0 : start + 1,
                                                 offset - (start == std::string_view::npos ? 0 : start + 1));
  return text::contains(before, "//") || text::trim(before).starts_with('*') || text::trim(before).starts_with('#');
}

void javascript_gates(std::string_view path, std::string_view name, std::string_view content,
                      std::vector<Gate>& gates) {
  const bool jest = name == "package.json" || is_js_config(name, "jest.config");
  const bool vitest = is_js_config(name, "vitest.config") || is_js_config(name, "vite.config");
  if (jest) {
    for (std::size_t at = content.find("coverageThreshold"); at != std::string_view::npos;
         at = content.find("coverageThreshold", at + 1)) {
      if (in_line_comment(content, at)) continue;  // a gate commented out is no gate
      std::size_t opening = 0;
      auto block = brace_block(content, at, &opening);
      if (!block) continue;
      // Per-directory thresholds refine the global one; the global one is the project's.
      std::size_t base = opening;
      if (const auto global = block->find("global"); global != std::string_view::npos) {
        std::size_t inner = 0;
        if (auto g = brace_block(*block, global, &inner)) {
          block = g;
          base = opening + inner;
        }
      }
      const std::size_t before = gates.size();
      threshold_values(path, content, *block, base, "coverageThreshold", gates);
      if (gates.size() == before)  // branches or functions only: a gate, not on lines
        gates.push_back({std::string(path), line_of(content, at), "coverageThreshold", std::nullopt});
    }
  }
  if (vitest) {
    static const RE2 kCoverage(R"(\bcoverage\s*:\s*\{)");
    re2::StringPiece input(content.data(), content.size());
    while (RE2::FindAndConsume(&input, kCoverage)) {
      const std::size_t at = static_cast<std::size_t>(input.data() - content.data()) - 1;
      if (in_line_comment(content, at)) continue;
      std::size_t opening = 0;
      auto block = brace_block(content, at, &opening);
      if (!block) continue;
      std::size_t base = opening;
      const auto thresholds = block->find("thresholds");
      if (thresholds != std::string_view::npos) {
        std::size_t inner = 0;
        if (auto t = brace_block(*block, thresholds, &inner)) {
          block = t;
          base = opening + inner;
        }
      }
      const std::size_t before = gates.size();
      threshold_values(path, content, *block, base, "coverage thresholds", gates);
      if (gates.size() == before && thresholds != std::string_view::npos)
        gates.push_back({std::string(path), line_of(content, opening + thresholds), "coverage thresholds",
                         std::nullopt});
    }
  }
  if (name == ".nycrc" || name == ".nycrc.json" || name == ".c8rc" || name == ".c8rc.json") {
    static const RE2 kCheck(R"(["']?check-coverage["']?\s*:\s*true)");
    if (RE2::PartialMatch(content, kCheck)) threshold_values(path, content, content, 0, "check-coverage", gates);
  }
}

void codecov_gates(const engine::RepositoryContext& repo, const workspace::File& file, std::vector<Gate>& gates) {
  const yaml::Stream* stream = repo.yaml(file);
  if (stream == nullptr) return;
  for (const yaml::Document& document : stream->documents) {
    const yaml::Node* project = document.root != nullptr ? document.root->at("coverage", "status", "project") : nullptr;
    if (project == nullptr || !project->is_mapping()) continue;
    for (const yaml::Entry& entry : project->entries) {
      const yaml::Node* target = entry.value != nullptr ? entry.value->get("target") : nullptr;
      if (target == nullptr || !target->is_scalar()) continue;
      std::string_view value = target->str();
      if (value.ends_with('%')) value.remove_suffix(1);
      // "auto" compares with the base commit: no fixed minimum.
      gates.push_back({file.path, target->start.line, fmt::format("Codecov project target {}", target->str()),
                       value == "auto" ? std::nullopt : number(value)});
    }
  }
}

// Where the repository shows it runs unit tests, for the finding that no
// gate exists: a test configuration line, else a test file.
struct TestSetup {
  std::string path;
  int line = 0;
  std::string what;  // "pytest", "Jest", ...
};

std::optional<TestSetup> test_setup(const engine::RepositoryContext& repo) {
  static const RE2 kPytestSection(R"((?m)^\s*\[(tool\.pytest\.ini_options|tool:pytest|pytest)\]\s*$)");
  static const RE2 kNodeRunner(R"(["'](jest|vitest|mocha)["']\s*:)");
  // Python tests count when test modules exist (a conftest.py alone may
  // serve a system test against running services); they are reported at
  // pytest's configuration when there is one.
  std::optional<TestSetup> python_config, python_test, node;
  // Python projects declare themselves (pyproject.toml, setup.py,
  // requirements): a stray test of a helper script in another language's
  // repository is not their unit test suite.
  std::vector<std::string> python_projects;  // directories, "" for the root
  for (const workspace::File& file : repo.workspace().files) {
    const std::string name = lower_name(file.path);
    if (name == "pyproject.toml" || name == "setup.py" || name == "setup.cfg" || name == "pipfile" ||
        name == "tox.ini" || (name.starts_with("requirements") && name.ends_with(".txt")))
      python_projects.emplace_back(text::dirname(file.path));
  }
  const auto in_python_project = [&](std::string_view path) {
    return std::any_of(python_projects.begin(), python_projects.end(), [&](const std::string& dir) {
      return dir.empty() || (path.starts_with(dir) && path.size() > dir.size() && path[dir.size()] == '/');
    });
  };
  // A test directory with its own Dockerfile holds a suite run as a container
  // against deployed services (otel-demo's test/telemetry), not unit tests.
  std::set<std::string, std::less<>> suite_images;
  // (Discovery sets such Dockerfiles aside as test inputs, so they are looked for there.)
  for (const workspace::SetAsideFile& file : repo.workspace().set_aside)
    if (workspace::classify(file.path) == FileKind::dockerfile && workspace::is_test_source(file.path))
      suite_images.emplace(text::dirname(file.path));
  for (const workspace::File& file : repo.workspace().files) {
    const std::string name = lower_name(file.path);
    if (!node && (is_js_config(name, "jest.config") || is_js_config(name, "vitest.config") ||
                  name.starts_with(".mocharc")))
      node = TestSetup{file.path, 0,
                       name.starts_with("jest") ? "Jest" : name.starts_with("vitest") ? "Vitest" : "Mocha"};
    if (!python_config && name == "pytest.ini") python_config = TestSetup{file.path, 0, "pytest"};
    if (!python_config && (name == "pyproject.toml" || name == "setup.cfg" || name == "tox.ini")) {
      const std::string_view content = read_file(repo, file);
      re2::StringPiece input(content.data(), content.size()), section;
      if (RE2::FindAndConsume(&input, kPytestSection, &section))
        python_config = TestSetup{
            file.path, line_of(content, static_cast<std::size_t>(section.data() - content.data())), "pytest"};
    }
    if (!node && name == "package.json") {
      const std::string_view content = read_file(repo, file);
      re2::StringPiece input(content.data(), content.size()), runner;
      if (RE2::FindAndConsume(&input, kNodeRunner, &runner))
        node = TestSetup{file.path, line_of(content, static_cast<std::size_t>(runner.data() - content.data())),
                         view(runner) == "jest" ? "Jest" : view(runner) == "vitest" ? "Vitest" : "Mocha"};
    }
    if (!python_test && name.ends_with(".py") && (name.starts_with("test_") || name.ends_with("_test.py")) &&
        !suite_images.contains(std::string(text::dirname(file.path))) && in_python_project(file.path))
      python_test = TestSetup{file.path, 0, "pytest"};
  }
  if (python_test) return python_config ? python_config : python_test;
  return node;
}

// Where coverage is measured without a gate (`coverage report`, pytest-cov's
// --cov, Jest's --coverage or collectCoverage): the line a gate belongs on.
std::optional<TestSetup> measured_without_gate(std::string_view path, std::string_view content) {
  // `coverage report` as a command (a line's start, after `run:`, `&&`, `;`),
  // not as words of a step's name ("Upload e2e coverage report").
  static const RE2 kMeasured(
      R"re((^\s*(-\s+)?(run:\s*)?|&&\s*|;\s*)(python3?\s+-m\s+)?coverage\s+report\b|(^|[\s"'])--cov(=|\s|$|["'])|(^|[\s"'])--coverage\b|\bcollectCoverage\s*["']?\s*:\s*true)re");
  const auto lines = text::split_lines(content);
  for (std::size_t i = 0; i < lines.size(); ++i) {
    if (text::trim(lines[i]).starts_with('#') || text::trim(lines[i]).starts_with("//")) continue;
    if (RE2::PartialMatch(lines[i], kMeasured))
      return TestSetup{std::string(path), static_cast<int>(i) + 1, std::string(text::shorten(text::trim(lines[i]), 80))};
  }
  return std::nullopt;
}

std::string format_percent(double value) { return fmt::format("{}%", value); }

class CoverageThresholdCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    const auto minimum = constitution::capture_percentage(clause.text);
    if (!minimum || *minimum <= 0 || *minimum > 100)
      return fail(fmt::format("testing/coverage-threshold: no coverage percentage in '{}'", clause.text), "",
                  clause.line);
    minimum_ = *minimum;
    return {};
  }

  std::string bound_parameters() const override { return fmt::format("minimum coverage {}", format_percent(minimum_)); }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    std::vector<Gate> gates;
    std::optional<TestSetup> measured;
    for (const workspace::File& file : repo.workspace().files) {
      const std::string name = lower_name(file.path);
      if (!may_gate(file.path, name) || file.size > 1024 * 1024) continue;
      if (name == "codecov.yml" || name == "codecov.yaml" || name == ".codecov.yml") {
        codecov_gates(repo, file, gates);
        continue;
      }
      const std::string_view content = read_file(repo, file);
      if (!text::icontains(content, "cov") && !text::contains(content, "jacoco") && !text::contains(content, "fail_under") &&
          !text::contains(content, "check-coverage"))
        continue;
      command_line_gates(file.path, content, gates);
      if (!measured) measured = measured_without_gate(file.path, content);
      if (name == "pyproject.toml" || name == "setup.cfg" || name == "tox.ini" || name == ".coveragerc")
        coverage_py_gates(file.path, name, content, gates);
      javascript_gates(file.path, name, content, gates);
      if (name == "pom.xml" && text::contains(content, "jacoco")) jacoco_gates(file.path, content, gates);
    }
    // One finding per line: `{ statements: 72, lines: 72 }` is one gate.
    std::set<std::pair<std::string, int>> reported;
    for (const Gate& gate : gates)
      if (gate.value && *gate.value < minimum_ && reported.emplace(gate.path, gate.line).second)
        emit_at(out, gate.path, gate.line,
                fmt::format("`{}` lets unit test coverage fall to {}, below the constitution's minimum of {}",
                            text::shorten(gate.text, 120), format_percent(*gate.value), format_percent(minimum_)));
    if (!gates.empty()) return;
    const auto setup = test_setup(repo);
    if (!setup) return;
    if (measured) {
      emit_at(out, measured->path, measured->line,
              fmt::format("`{}` measures unit test coverage, but no gate fails the build below {} "
                          "(pytest --cov-fail-under, coverage.py fail_under, Jest coverageThreshold, "
                          "Vitest coverage.thresholds)",
                          measured->what, format_percent(minimum_)));
      return;
    }
    emit_at(out, setup->path, setup->line,
            fmt::format("{} runs unit tests here, but no coverage gate fails the build below {} "
                        "(pytest --cov-fail-under, coverage.py fail_under, Jest coverageThreshold, "
                        "Vitest coverage.thresholds)",
                        setup->what, format_percent(minimum_)));
  }

 private:
  double minimum_ = 80;
};

}  // namespace coverage_threshold_check
}  // namespace

std::unique_ptr<engine::Check> make_coverage_threshold_check() {
  return engine::make_check<coverage_threshold_check::CoverageThresholdCheck>();
}

}  // namespace constable::checks::testing
