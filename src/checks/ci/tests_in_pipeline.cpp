// ci/tests-in-pipeline: the CI pipeline runs the tests.

#include <fmt/format.h>

#include <algorithm>

#include "checks/ci/ci_checks.hpp"
#include "checks/ci/ci_support.hpp"

namespace constable::checks::ci {

namespace {
namespace tests_in_pipeline_check {

constexpr engine::CheckInfo kInfo{
    .id = "ci/tests-in-pipeline",
    .domain = "ci",
    .nature = Nature::reliability,
    .summary = "Run the test suite in the CI pipeline",
    .rationale = "Tests that only run on a developer's machine are skipped under pressure and drift from what "
                 "ships; the pipeline is the one place every change passes through. The pipeline is every workflow "
                 "that runs on pull requests or pushes (GitLab: its pipeline), the workflows that follow them and "
                 "the reusable workflows they call; a nightly or manual workflow is not. A job runs tests when a "
                 "step runs a test runner (pytest, jest, vitest, go test, ctest, cargo test, npm test, make test, "
                 "tox, mvn test, gradle test, rspec, dotnet test, playwright test, helm test) or a contract test "
                 "tool (the recognition table of ci/pipeline-stages), directly or through what it calls in the "
                 "repository: a local composite action, a make target (its recipe and prerequisites), a script "
                 "(`./scripts/test.sh`), a package.json script (`npm test`); a target or script named for tests "
                 "(`make test`, `scripts/e2e-test.sh`) counts too.",
    .remediation = "Add a CI workflow (.github/workflows/ci.yml or .gitlab-ci.yml) with a job that runs the test "
                   "suite on every push and pull request.",
    .bad_example = "on: push\njobs:\n  build:\n    runs-on: ubuntu-latest\n    steps:\n      - run: npm run build\n",
    .good_example = "on: [push, pull_request]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps:\n"
                    "      - uses: actions/setup-node@v4\n        with: {cache: npm}\n      - run: npm test\n",
    .parameters = "",
    .clause = {.section = "test automation", .text = "tests must run in ci"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

class TestsInPipelineCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const Pipeline& pipeline = load_pipeline(repo);
    if (pipeline.empty()) {
      emit_at(out, pipeline.anchor_path(), 0, "no CI pipeline (.github/workflows/*.yml or .gitlab-ci.yml) runs the tests");
      return;
    }
    Activities tests;
    tests.set(bit(Activity::unit_tests)).set(bit(Activity::integration_tests)).set(bit(Activity::contract_tests));
    auto any_tests = [&](const constable::ci::Workflow& workflow) {
      return std::any_of(workflow.jobs.begin(), workflow.jobs.end(),
                         [&](const auto& job) { return (classify(job) & tests).any(); });
    };
    const auto members = pipeline.change_pipeline();
    if (std::any_of(members.begin(), members.end(), [&](const auto* w) { return any_tests(*w); })) return;
    std::vector<const constable::ci::Workflow*> elsewhere;
    for (const auto* workflow : pipeline.elsewhere())
      if (any_tests(*workflow)) elsewhere.push_back(workflow);
    std::string message = members.empty() ? "no workflow runs on pull requests or pushes, so no test suite runs for every change"
                                          : "no job of the CI pipeline (the workflows run on pull requests and pushes) runs a test suite";
    if (!elsewhere.empty()) message += fmt::format("; only {} does", describe(elsewhere));
    emit_at(out, pipeline.anchor_path(), pipeline.anchor_line(), std::move(message));
  }
};

}  // namespace tests_in_pipeline_check
}  // namespace

std::unique_ptr<engine::Check> make_tests_in_pipeline_check() {
  return engine::make_check<tests_in_pipeline_check::TestsInPipelineCheck>();
}

}  // namespace constable::checks::ci
