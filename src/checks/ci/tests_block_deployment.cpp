// ci/tests-block-deployment: a job that publishes or deploys runs only after
// tests have passed.

#include <fmt/format.h>

#include "checks/ci/ci_checks.hpp"
#include "checks/ci/ci_support.hpp"
#include "core/text.hpp"

namespace constable::checks::ci {

namespace {
namespace tests_block_deployment_check {

constexpr engine::CheckInfo kInfo{
    .id = "ci/tests-block-deployment",
    .domain = "ci",
    .nature = Nature::reliability,
    .summary = "Make publish and deploy jobs wait for passing tests",
    .rationale =
        "A deployment that does not wait for the tests ships whatever the tests would have caught. A job "
        "publishes or deploys when it does: a publish tool (docker push, build-push-action with push: true, "
        "npm publish, twine upload, helm push, gh release that is not a draft, goreleaser, any tool's `push` or "
        "`publish` subcommand or `--push`), a deploy tool (kubectl apply, helm upgrade/install, terraform apply, "
        "any tool's `deploy` subcommand, a deploy action), directly or through what it calls in the repository "
        "(a local action, a make target, a script, a package.json script, a local reusable workflow), or a make "
        "target or script named deploy or publish. An environment alone is not a deployment: it counts when the "
        "job or one of its steps is named for deploying. Dry runs, draft releases, pushes to localhost and "
        "anything a job does in a throwaway cluster it starts (kind, minikube, k3d) ship nothing. It is blocked "
        "by test failures when it depends (GitHub `needs`, transitively; GitLab a later stage or `needs`) on a "
        "job that runs tests, or when a test step comes before it in the same job, and neither the tests nor "
        "the job opt out: `continue-on-error` / `allow_failure` on the tests, `if: always()`, `failure()` or "
        "`cancelled()` on the deploying job. A workflow started by `workflow_run` is gated by the workflow it "
        "follows, and a reusable workflow by the jobs that call it; neither is reported on its own.",
    .remediation = "Add `needs: [test]` (GitHub) or put the deploy job in a stage after the tests (GitLab), "
                   "and remove `continue-on-error`, `allow_failure` or `if: always()` from that path.",
    .bad_example = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: pytest}]\n"
                   "  release:\n    runs-on: ubuntu-latest\n    steps: [{run: twine upload dist/*}]\n",
    .good_example = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: pytest}]\n"
                    "  release:\n    needs: test\n    runs-on: ubuntu-latest\n    steps: [{run: twine upload dist/*}]\n",
    .parameters = "",
    .clause = {.section = "test automation", .text = "test failures must block"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

Activities test_activities() {
  Activities tests;
  tests.set(bit(Activity::unit_tests)).set(bit(Activity::integration_tests)).set(bit(Activity::contract_tests));
  return tests;
}

bool runs_despite_failure(const constable::ci::Job& job) {
  const std::string condition = text::to_lower(job.condition);
  return condition.find("always()") != std::string::npos || condition.find("failure()") != std::string::npos ||
         condition.find("cancelled()") != std::string::npos;
}

// A test job whose failure fails the job (none of its test steps continue on error).
bool blocking_test_job(const constable::ci::Job& job) {
  if (job.allow_failure) return false;
  if (job.called != nullptr)
    for (const auto& called : job.called->jobs)
      if (blocking_test_job(called)) return true;
  bool any = false;
  for (const auto& step : job.steps) {
    if ((classify(step, job) & test_activities()).none()) continue;
    if (step.continue_on_error) return false;
    any = true;
  }
  return any;
}

Activities shipping() {
  Activities ships;
  ships.set(bit(Activity::publish)).set(bit(Activity::deploy));
  return ships;
}

bool gated_inside(const constable::ci::Job& job);

// Whether the job, or a job it runs after in `workflow`, runs blocking tests before it ships; the
// lenient test job it waits for, if that is all it waits for.
bool gated(const constable::ci::Workflow& workflow, const std::vector<std::vector<bool>>& after, std::size_t j,
           std::string* lenient) {
  const auto& job = workflow.jobs[j];
  if (runs_despite_failure(job)) return false;
  if (gated_inside(job)) return true;
  for (std::size_t k = 0; k < workflow.jobs.size(); ++k) {
    if (!after[j][k] || (classify(workflow.jobs[k]) & test_activities()).none()) continue;
    if (blocking_test_job(workflow.jobs[k])) return true;
    if (lenient != nullptr) *lenient = workflow.jobs[k].id;
  }
  return false;
}

// A blocking test step before the job's first publish or deploy step; for a job that calls a
// reusable workflow, every job of that workflow that ships is gated there.
bool gated_inside(const constable::ci::Job& job) {
  if (job.called != nullptr) {
    const auto& called = *job.called;
    const auto after = called.runs_after();
    bool any = false;
    for (std::size_t j = 0; j < called.jobs.size(); ++j) {
      if ((classify(called.jobs[j]) & shipping()).none()) continue;
      if (!gated(called, after, j, nullptr)) return false;
      any = true;
    }
    if (any) return true;
  }
  for (const auto& step : job.steps) {
    const Activities activities = classify(step, job);
    if ((activities & test_activities()).any() && !step.continue_on_error && !job.allow_failure) return true;
    if ((activities & shipping()).any()) return false;
  }
  return false;
}

class TestsBlockDeploymentCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const Pipeline& pipeline = load_pipeline(repo);
    for (const auto& workflow : pipeline.workflows) {
      if (workflow.only_called()) continue;
      bool follows_another = false;
      for (const auto& trigger : workflow.triggers) follows_another = follows_another || trigger == "workflow_run";
      if (follows_another) continue;
      const auto after = workflow.runs_after();
      for (std::size_t j = 0; j < workflow.jobs.size(); ++j) {
        const auto& job = workflow.jobs[j];
        if ((classify(job) & shipping()).none()) continue;
        const std::string what = shipping_evidence(job);
        if (runs_despite_failure(job)) {
          emit_at(out, workflow.path, job.line,
                  fmt::format("job '{}' {} with 'if: {}', so it runs even when tests fail", job.id, what,
                              job.condition));
          continue;
        }
        std::string lenient;
        if (gated(workflow, after, j, &lenient)) continue;
        emit_at(out, workflow.path, job.line,
                lenient.empty() ? fmt::format("job '{}' {} without waiting for a test job", job.id, what)
                                : fmt::format("job '{}' {} after test job '{}', whose failures are allowed", job.id,
                                              what, lenient));
      }
    }
  }
};

}  // namespace tests_block_deployment_check
}  // namespace

std::unique_ptr<engine::Check> make_tests_block_deployment_check() {
  return engine::make_check<tests_block_deployment_check::TestsBlockDeploymentCheck>();
}

}  // namespace constable::checks::ci
