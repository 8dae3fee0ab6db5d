// testing/release-load-tests: "Load tests MUST be executed before major
// releases". Where the repository has load tests and automates its releases
// (a GitHub workflow started by a release or by pushing tags), some workflow
// runs the load tests: the release itself, every change, or a schedule.

#include <fmt/format.h>
#include <re2/re2.h>

#include <cctype>

#include "checks/ci/ci_support.hpp"
#include "checks/testing/testing_checks.hpp"
#include "checks/testing/testing_support.hpp"
#include "core/literals.hpp"
#include "core/text.hpp"
#include "formats/yaml/yaml.hpp"

namespace constable::checks::testing {

namespace {
namespace release_load_tests_check {

constexpr engine::CheckInfo kInfo{
    .id = "testing/release-load-tests",
    .domain = "testing",
    .nature = Nature::reliability,
    .summary = "Run the load tests in CI, so that releases ship load-tested code",
    .rationale =
        "Load tests that only run when someone remembers do not stop a slower release. Judged where the "
        "repository has load tests (k6 scripts, Locust files, Artillery scripts, JMeter plans) and automates "
        "its releases (a GitHub workflow started by `release` or by pushing tags): some workflow has to run "
        "the load tests, in the release itself, on every change or on a schedule. A workflow runs them when a "
        "step, or a target of the root Makefile or a repository script it calls, runs `k6 run`, `k6 cloud`, "
        "`locust`, `artillery run` or `jmeter -n`, or uses a grafana k6 action, or when a job or step names "
        "itself a performance run (`test-perf`, `make test-perf-all`, 'Load tests', 'soak', 'stress').",
    .remediation = "Add a job to the release workflow that runs the load tests against the release candidate "
                   "(`k6 run loadtest/checkout.js`, or grafana/run-k6-action) and make the publishing job "
                   "need it.",
    .bad_example = "on:\n  push:\n    tags: ['v*']\njobs:\n  publish:\n    runs-on: ubuntu-latest\n"
                   "    steps: [{run: goreleaser release}]\n",
    .good_example = "on:\n  push:\n    tags: ['v*']\njobs:\n  load:\n    runs-on: ubuntu-latest\n"
                    "    steps: [{run: k6 run loadtest/checkout.js}]\n  publish:\n    needs: load\n"
                    "    runs-on: ubuntu-latest\n    steps: [{run: goreleaser release}]\n",
    .parameters = "",
    .clause = {.section = "load test", .text = R"(before\b[^.]*\breleases?)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// The first load test of the repository, for messages; "" when there is none.
std::string first_load_test(const engine::RepositoryContext& repo) {
  static const RE2 kK6Import(R"re((?m)^\s*import\b[^;\n]*\bfrom\s*['"]k6(/[\w/-]+)?['"])re");
  static const RE2 kLocust(R"((?m)^\s*(from\s+locust\s+import|import\s+locust\b))");
  // Scripts packaged beside a Dockerfile are traffic generators the project ships, not tests.
  const auto generators = image_directories(repo.workspace());
  for (const workspace::File& file : repo.workspace().files) {
    if (generators.contains(text::dirname(file.path))) continue;
    const std::string name = lower_name(file.path);
    if (file.size > 1024 * 1024) continue;
    if (name.ends_with(".jmx")) return file.path;
    const bool script = name.ends_with(".js") || name.ends_with(".ts") || name.ends_with(".mjs");
    const bool python = name.ends_with(".py");
    const bool yaml = name.ends_with(".yml") || name.ends_with(".yaml");
    if (!script && !python && !yaml) continue;
    const std::string_view content = read_file(repo, file);
    const text::Literals::Found signs = load_test_signs(repo, file);
    if (script && signs.has("k6") && RE2::PartialMatch(content, kK6Import) && !browser_only(content)) return file.path;
    if (python && signs.has("locust") && RE2::PartialMatch(content, kLocust)) return file.path;
    if (yaml && signs.has("phases:") && signs.has("scenarios:") && signs.has("config:") && signs.has("arrivalRate"))
      return file.path;
  }
  return {};
}

const RE2& load_command() {
  static const RE2 kCommand(R"((^|[\s;&|(/])(k6\s+(run|cloud)\b|locust\b|artillery\s+run\b|jmeter\s+(-n|--nongui)\b))");
  return kCommand;
}

// What a step calls that the CI expansion leaves out (it keeps only the
// commands its table knows): a make target's recipe at the repository root,
// a repository script's lines.
bool calls_load_test(const engine::RepositoryContext& repo, std::string_view run) {
  static const RE2 kMake(R"((?:^|[\s;&|])make\s+(?:-\S+\s+)*([\w.-]+))");
  static const RE2 kScript(R"((?:^|[\s;&|])(?:bash\s+|sh\s+)?\.?/?([\w./-]+\.sh)\b)");
  re2::StringPiece input(run.data(), run.size());
  std::string target;
  while (RE2::FindAndConsume(&input, kMake, &target)) {
    for (const workspace::File& file : repo.workspace().files) {
      if (file.path != "Makefile" && file.path != "makefile" && file.path != "GNUmakefile") continue;
      const auto lines = text::split_lines(read_file(repo, file));
      bool in_recipe = false;
      for (const std::string_view line : lines) {
        if (!line.empty() && line.front() != '\t') in_recipe = line.starts_with(target + ":");
        else if (in_recipe && RE2::PartialMatch(line, load_command())) return true;
      }
    }
  }
  input = re2::StringPiece(run.data(), run.size());
  std::string script;
  while (RE2::FindAndConsume(&input, kScript, &script))
    for (const workspace::File& file : repo.workspace().files)
      if (file.path == script && RE2::PartialMatch(read_file(repo, file), load_command())) return true;
  return false;
}

// Whether a job or step names itself a performance run ("test-perf",
// `make test-perf-all`, "Load tests", "soak"): its commands may reach the
// load tests through paths not followed here (a Go test driving k6).
bool names_performance_run(std::string_view name) {
  std::vector<std::string> words;
  std::string word;
  for (const char c : name) {
    if (std::isalnum(static_cast<unsigned char>(c)) != 0) {
      word.push_back(static_cast<char>(std::tolower(static_cast<unsigned char>(c))));
    } else if (!word.empty()) {
      words.push_back(std::move(word));
      word.clear();
    }
  }
  if (!word.empty()) words.push_back(std::move(word));
  for (std::size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "perf" || w == "performance" || w == "loadtest" || w == "loadtests" || w == "soak" || w == "stress")
      return true;
    if (w == "load" && i + 1 < words.size() && words[i + 1].starts_with("test")) return true;
  }
  return false;
}

bool runs_load_test(const engine::RepositoryContext& repo, const constable::ci::Step& step) {
  if (step.uses.starts_with("grafana/") && text::contains(step.uses, "k6")) return true;
  if (names_performance_run(step.name) || names_performance_run(step.run)) return true;
  if (RE2::PartialMatch(step.run, load_command()) || calls_load_test(repo, step.run)) return true;
  for (const auto& inner : step.expansion)
    if (runs_load_test(repo, inner)) return true;
  return false;
}

bool runs_load_test(const engine::RepositoryContext& repo, const constable::ci::Job& job) {
  if (names_performance_run(job.id) || names_performance_run(job.name)) return true;
  for (const auto& step : job.steps)
    if (runs_load_test(repo, step)) return true;
  if (job.called)
    for (const auto& inner : job.called->jobs)
      if (runs_load_test(repo, inner)) return true;
  return false;
}

// Whether a GitHub workflow file starts on a release or on pushed tags.
bool starts_on_release(const engine::RepositoryContext& repo, const constable::ci::Workflow& workflow) {
  for (const auto& trigger : workflow.triggers)
    if (trigger == "release") return true;
  const workspace::File* file = nullptr;
  for (const workspace::File& candidate : repo.workspace().files)
    if (candidate.path == workflow.path) file = &candidate;
  const yaml::Stream* stream = file != nullptr ? repo.yaml(*file) : nullptr;
  if (stream == nullptr || stream->documents.empty() || stream->documents.front().root == nullptr) return false;
  const yaml::Node* root = stream->documents.front().root;
  // `on:` reads as the boolean true in YAML 1.1, as GitHub's parser does not.
  const yaml::Node* on = root->get("on") != nullptr ? root->get("on") : root->get("true");
  const yaml::Node* tags = on != nullptr && on->is_mapping() ? on->at("push", "tags") : nullptr;
  return tags != nullptr && !tags->is_null();
}

class ReleaseLoadTestsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const std::string load_test = first_load_test(repo);
    if (load_test.empty()) return;
    const ci::Pipeline& pipeline = ci::load_pipeline(repo);
    // Load tests that any workflow runs (on every change, nightly, before a
    // release) have run on what a release ships, or close to it.
    const constable::ci::Workflow* release = nullptr;
    std::size_t releases = 0;
    for (const auto& workflow : pipeline.workflows) {
      for (const auto& job : workflow.jobs)
        if (runs_load_test(repo, job)) return;
      if (workflow.provider == constable::ci::Provider::github_actions && starts_on_release(repo, workflow)) {
        if (release == nullptr) release = &workflow;
        ++releases;
      }
    }
    if (release == nullptr) return;
    emit_at(out, release->path, release->triggers_line,
            fmt::format("{} releases{} without the load tests ({}) having run: no workflow runs them",
                        release->path,
                        releases == 1 ? "" : fmt::format(", as {} other workflow{} do,", releases - 1, releases == 2 ? "" : "s"),
                        load_test));
  }
};

}  // namespace release_load_tests_check
}  // namespace

std::unique_ptr<engine::Check> make_release_load_tests_check() {
  return engine::make_check<release_load_tests_check::ReleaseLoadTestsCheck>();
}

}  // namespace constable::checks::testing
