// ci/parallel-jobs: jobs that only read the source do not wait for each other.

#include <fmt/format.h>

#include "checks/ci/ci_checks.hpp"
#include "checks/ci/ci_support.hpp"

namespace constable::checks::ci {

namespace {
namespace parallel_jobs_check {

constexpr engine::CheckInfo kInfo{
    .id = "ci/parallel-jobs",
    .domain = "ci",
    .nature = Nature::maintainability,
    .summary = "Run independent CI jobs in parallel",
    .rationale =
        "Jobs that wait for each other without needing each other's output add their durations instead of "
        "overlapping. constable reports only what is clearly serialised: a job that explicitly `needs` another "
        "when both do nothing but read the source, i.e. every step recognised in both is a lint and format "
        "check, a dependency scan or unit tests. Anything that builds, publishes or is not recognised may "
        "produce what the next job uses and is never reported; GitLab's default stage order is not reported "
        "either, only an explicit `needs`. Only the workflows of the pipeline (run on pull requests or pushes) "
        "are judged.",
    .remediation = "Remove the `needs` between jobs that only read the source so they start together; keep "
                   "`needs` for jobs that consume an artifact or must gate a release.",
    .bad_example = "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps: [{run: ruff check .}]\n"
                   "  test:\n    needs: lint\n    runs-on: ubuntu-latest\n    steps: [{run: pytest}]\n",
    .good_example = "on: push\njobs:\n  lint:\n    runs-on: ubuntu-latest\n    steps: [{run: ruff check .}]\n"
                    "  test:\n    runs-on: ubuntu-latest\n    steps: [{run: pytest}]\n",
    .parameters = "",
    .clause = {.section = "ci performance|continuous integration", .text = "parallel"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// The job only reads the source: its recognised activities are all source-only ones.
bool reads_source_only(const constable::ci::Job& job) {
  Activities source_only;
  source_only.set(bit(Activity::lint)).set(bit(Activity::dependency_scan)).set(bit(Activity::unit_tests));
  const Activities activities = classify(job);
  if (activities.none() || (activities & ~source_only).any()) return false;
  // Every step must be recognised: an unknown step may produce something.
  for (const auto& step : job.steps) {
    if (!step.uses.empty() && (step.uses.starts_with("actions/checkout") || step.uses.starts_with("actions/setup-") ||
                               step.uses.starts_with("actions/cache")))
      continue;
    if (classify(step, job).none() && step.run.find("install") == std::string::npos) return false;
  }
  return true;
}

class ParallelJobsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const Pipeline& pipeline = load_pipeline(repo);
    for (const auto* member : pipeline.change_pipeline()) {
      const auto& workflow = *member;
      for (const auto& job : workflow.jobs) {
        if (!reads_source_only(job)) continue;
        for (const auto& need : job.needs) {
          const auto* other = workflow.job(need);
          if (other == nullptr || !reads_source_only(*other)) continue;
          emit_at(out, workflow.path, job.needs_line > 0 ? job.needs_line : job.line,
                  fmt::format("job '{}' waits for '{}' though both only read the source; run them in parallel",
                              job.id, need));
          break;
        }
      }
    }
  }
};

}  // namespace parallel_jobs_check
}  // namespace

std::unique_ptr<engine::Check> make_parallel_jobs_check() {
  return engine::make_check<parallel_jobs_check::ParallelJobsCheck>();
}

}  // namespace constable::checks::ci
