// ci/tests-in-pipeline: the CI pipeline runs the tests.

#include <fmt/format.h>

#include "checks/ci/ci_checks.hpp"
#include "checks/ci/ci_support.hpp"

namespace constable::checks::ci {

namespace {

constexpr engine::CheckInfo kInfo{
    .id = "ci/tests-in-pipeline",
    .domain = "ci",
    .nature = Nature::reliability,
    .summary = "Run the test suite in the CI pipeline",
    .rationale = "Tests that only run on a developer's machine are skipped under pressure and drift from what "
                 "ships; the pipeline is the one place every change passes through. A job runs tests when a step "
                 "runs a test runner (pytest, jest, vitest, go test, ctest, cargo test, npm test, make test, tox, "
                 "mvn test, gradle test, rspec, dotnet test) or a contract test tool (the recognition table of "
                 "ci/pipeline-stages).",
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
    const Pipeline pipeline = load_pipeline(repo);
    if (pipeline.empty()) {
      emit_at(out, pipeline.anchor_path(), 0, "no CI pipeline (.github/workflows/*.yml or .gitlab-ci.yml) runs the tests");
      return;
    }
    Activities tests;
    tests.set(bit(Activity::unit_tests)).set(bit(Activity::integration_tests)).set(bit(Activity::contract_tests));
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs)
        if ((classify(job) & tests).any()) return;
    emit_at(out, pipeline.anchor_path(), pipeline.anchor_line(), "no job of the CI pipeline runs a test suite");
  }
};

}  // namespace

std::unique_ptr<engine::Check> make_tests_in_pipeline_check() { return engine::make_check<TestsInPipelineCheck>(); }

}  // namespace constable::checks::ci
