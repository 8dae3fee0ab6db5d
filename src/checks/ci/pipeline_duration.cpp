// ci/pipeline-duration: the pipeline's time limits fit the constitution's
// duration target.

#include <fmt/format.h>

#include <algorithm>
#include <numeric>

#include "checks/ci/ci_checks.hpp"
#include "checks/ci/ci_support.hpp"
#include "constitution/parameters.hpp"

namespace constable::checks::ci {

namespace {

constexpr engine::CheckInfo kInfo{
    .id = "ci/pipeline-duration",
    .domain = "ci",
    .nature = Nature::maintainability,
    .summary = "Keep the pipeline's time limits within the duration target",
    .rationale =
        "A pipeline allowed to run longer than the target will, and slow feedback is feedback that gets ignored. "
        "The only duration a configuration states is its time limits (GitHub `timeout-minutes`, GitLab "
        "`timeout`), so they are what is checked: a job whose limit exceeds the target, or a chain of dependent "
        "jobs (the critical path along `needs` and GitLab stages) whose limits add up to more than the target. "
        "Jobs without a limit count as zero: constable cannot know how long they take, and a missing limit is "
        "not reported.",
    .remediation = "Lower the job's timeout to what the target allows and make the job faster (cache, split, "
                   "run in parallel); shorten the chain of jobs that wait for each other.",
    .bad_example = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 45\n"
                   "    steps: [{run: pytest}]\n",
    .good_example = "on: push\njobs:\n  test:\n    runs-on: ubuntu-latest\n    timeout-minutes: 10\n"
                    "    steps: [{run: pytest}]\n",
    .parameters = "the target duration (\"under 15 minutes\")",
    .clause = {.section = "ci performance|continuous integration", .text = "complete in (under|less than|within)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

std::string minutes_text(double minutes) { return fmt::format("{:g} minutes", minutes); }

class PipelineDurationCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config&) override {
    const auto duration = constitution::capture_duration(clause.text);
    if (!duration || duration->count() <= 0)
      return fail(fmt::format("ci/pipeline-duration: no duration in '{}'", clause.text), "", clause.line);
    limit_minutes_ = static_cast<double>(duration->count()) / 60000.0;
    return {};
  }

  std::string bound_parameters() const override { return fmt::format("limit: {}", minutes_text(limit_minutes_)); }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    for (const auto& workflow : load_pipeline(repo).workflows) {
      const std::size_t n = workflow.jobs.size();
      std::vector<bool> too_long(n, false);
      for (std::size_t i = 0; i < n; ++i) {
        const auto& job = workflow.jobs[i];
        if (!job.timeout_minutes || *job.timeout_minutes <= limit_minutes_) continue;
        too_long[i] = true;
        emit_at(out, workflow.path, job.timeout_line,
                fmt::format("job '{}' may run for {}, above the pipeline's {} target", job.id,
                            minutes_text(*job.timeout_minutes), minutes_text(limit_minutes_)));
      }
      report_critical_path(workflow, too_long, out);
    }
  }

 private:
  // The longest chain of limits; reported at its last job, unless one of its
  // jobs was already reported on its own.
  void report_critical_path(const constable::ci::Workflow& workflow, const std::vector<bool>& too_long,
                            engine::Emitter& out) const {
    const std::size_t n = workflow.jobs.size();
    const auto after = workflow.runs_after();
    std::vector<std::size_t> order(n);
    std::iota(order.begin(), order.end(), 0);
    auto predecessors = [&](std::size_t i) { return std::count(after[i].begin(), after[i].end(), true); };
    std::stable_sort(order.begin(), order.end(), [&](auto a, auto b) { return predecessors(a) < predecessors(b); });
    std::vector<double> total(n, 0);
    std::vector<std::ptrdiff_t> via(n, -1);
    for (std::size_t i : order) {
      if (after[i][i]) continue;  // a `needs` cycle: the provider rejects it anyway
      double best = 0;
      for (std::size_t k = 0; k < n; ++k)
        if (after[i][k] && !after[k][k] && total[k] > best) best = total[k], via[i] = static_cast<std::ptrdiff_t>(k);
      total[i] = best + workflow.jobs[i].timeout_minutes.value_or(0);
    }
    const auto last = std::max_element(total.begin(), total.end());
    if (last == total.end() || *last <= limit_minutes_) return;
    std::vector<std::string> path;
    for (auto i = static_cast<std::ptrdiff_t>(last - total.begin()); i >= 0; i = via[static_cast<std::size_t>(i)]) {
      if (too_long[static_cast<std::size_t>(i)]) return;
      path.insert(path.begin(), workflow.jobs[static_cast<std::size_t>(i)].id);
    }
    const auto& end = workflow.jobs[static_cast<std::size_t>(last - total.begin())];
    std::string chain;
    for (const auto& id : path) chain += (chain.empty() ? "" : " -> ") + id;
    emit_at(out, workflow.path, end.timeout_line > 0 ? end.timeout_line : end.line,
            fmt::format("the jobs {} may run for {} one after another, above the pipeline's {} target", chain,
                        minutes_text(*last), minutes_text(limit_minutes_)));
  }

  double limit_minutes_ = 15;
};

}  // namespace

std::unique_ptr<engine::Check> make_pipeline_duration_check() { return engine::make_check<PipelineDurationCheck>(); }

}  // namespace constable::checks::ci
