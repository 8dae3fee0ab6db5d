// ci/pipeline-stages: the pipeline runs the constitution's CI stages, in
// the constitution's order along the jobs' dependency order.

#include <fmt/format.h>

#include "checks/ci/ci_checks.hpp"
#include "checks/ci/ci_support.hpp"
#include "core/text.hpp"

namespace constable::checks::ci {

namespace {
namespace pipeline_stages_check {

constexpr engine::CheckInfo kInfo{
    .id = "ci/pipeline-stages",
    .domain = "ci",
    .nature = Nature::reliability,
    .summary = "Run every CI stage of the constitution, in its order",
    .rationale =
        "The stages are ordered to fail fast and to publish only what passed every gate. A stage is recognised "
        "by the tools its steps run (one table, src/checks/ci/ci_support.cpp): lint and format (ruff, black, "
        "flake8, pylint, mypy, eslint, prettier, golangci-lint, gofmt, clang-format, shellcheck, hadolint, "
        "pre-commit, `make lint`); dependency security scan (pip-audit, safety, npm/yarn/pnpm audit, snyk test, "
        "trivy fs, osv-scanner, govulncheck, cargo audit, OWASP dependency-check, dependency-review-action, a "
        "Dependabot configuration); unit tests (pytest, jest, vitest, mocha, go test, ctest, cargo test, "
        "`npm test`, `make test`, tox, mvn test, gradle test, rspec, dotnet test); build artifacts (npm run "
        "build, go build, cargo build, cmake --build, python -m build, poetry build, mvn package, gradle build, "
        "tsc); integration tests (a test runner whose job, step or command says integration, testcontainers); "
        "contract tests (pact, pact-broker, can-i-deploy, spring-cloud-contract, specmatic, schemathesis, "
        "dredd); container image build and scan (docker build, buildx, kaniko, buildah, podman, "
        "build-push-action; trivy image, grype, docker scout, snyk container, anchore, trivy-action, GitLab "
        "Container-Scanning); publish (docker push, npm publish, twine upload, poetry publish, helm push, cargo "
        "publish, gh release (not a draft), goreleaser, mvn deploy, build-push-action with push: true, any "
        "tool's `push` or `publish` subcommand or `--push`, not to localhost and not a dry run). A step counts "
        "with what it calls in the repository: a local composite action's steps, a make target's recipe and "
        "prerequisites, a script's lines, a package.json script; a target or script named for tests, deploy "
        "or publish counts by its name. The pipeline is every workflow that runs on pull requests or pushes "
        "(GitLab: its pipeline), the workflows that follow them (`workflow_run`) and the local reusable "
        "workflows they call; a stage run only by a scheduled, manual or release workflow is missing, and the "
        "finding names that workflow. Order follows the "
        "pipeline's dependencies, not the file: GitHub `needs` (transitively), GitLab stages or `needs`, and "
        "step order inside a job. A stage is out of order when it runs before a gate (lint, scan, tests) of an "
        "earlier stage that has not run yet; building (artifacts or images) early is not, since tests often "
        "exercise what was built, and neither is building after publishing. Workflows that do not "
        "parse are reported here.",
    .remediation = "Add a job (or step) for each missing stage, and make later stages depend on earlier ones "
                   "(`needs:` on GitHub, a later `stage:` on GitLab), so that publishing waits for every gate.",
    .bad_example = "on: push\n"
                   "jobs:\n"
                   "  test:\n"
                   "    needs: publish\n"
                   "    runs-on: ubuntu-latest\n"
                   "    steps:\n"
                   "      - run: pytest\n"
                   "  publish:\n"
                   "    runs-on: ubuntu-latest\n"
                   "    steps:\n"
                   "      - run: twine upload dist/*\n",
    .good_example = "on: push\n"
                    "jobs:\n"
                    "  lint:\n"
                    "    runs-on: ubuntu-latest\n"
                    "    steps: [{run: ruff check .}, {run: pip-audit}]\n"
                    "  test:\n"
                    "    runs-on: ubuntu-latest\n"
                    "    steps: [{run: pytest tests/unit}, {run: python -m build}]\n"
                    "  integration:\n"
                    "    needs: [lint, test]\n"
                    "    runs-on: ubuntu-latest\n"
                    "    steps: [{run: pytest tests/integration}, {run: pact-broker can-i-deploy}]\n"
                    "  image:\n"
                    "    needs: integration\n"
                    "    runs-on: ubuntu-latest\n"
                    "    steps: [{run: docker build -t app .}, {run: trivy image app}, {run: docker push app}]\n",
    .parameters = "the stages, in order, from the section's numbered list",
    .clause = {.section = "continuous integration|pipeline", .text = "^lint|lint and format"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

struct RequiredStage {
  std::string name;     // as the constitution words it
  Activities satisfied;  // activities that perform it
  bool builds = false;   // building early is no ordering violation
};

// The activities a numbered stage of the constitution names, from its words.
std::optional<RequiredStage> stage_of(const std::string& text) {
  const std::string lower = text::to_lower(text);
  auto has = [&](std::string_view word) { return lower.find(word) != std::string::npos; };
  RequiredStage stage{.name = text, .satisfied = {}};
  if (has("container") || has("image") || has("docker")) {
    stage.satisfied.set(bit(Activity::image_build)).set(bit(Activity::image_scan));
    stage.builds = true;
  } else if (has("unit")) {
    stage.satisfied.set(bit(Activity::unit_tests));
  } else if (has("integration")) {
    stage.satisfied.set(bit(Activity::integration_tests));
  } else if (has("contract")) {
    stage.satisfied.set(bit(Activity::contract_tests));
  } else if (has("lint") || has("format")) {
    stage.satisfied.set(bit(Activity::lint));
  } else if (has("dependenc") || has("security scan") || has("vulnerab") || has("audit")) {
    stage.satisfied.set(bit(Activity::dependency_scan));
  } else if (has("publish") || has("release") || has("deliver") || has("push") || has("deploy")) {
    stage.satisfied.set(bit(Activity::publish));
  } else if (has("build") || has("compile") || has("artifact") || has("package")) {
    stage.satisfied.set(bit(Activity::build));
    stage.builds = true;
  } else {
    return std::nullopt;
  }
  return stage;
}

class PipelineStagesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind_section(const std::vector<const constitution::Clause*>& section) override {
    stages_.clear();
    stage_clauses_.clear();
    for (const constitution::Clause* clause : section) {
      if (clause->kind != constitution::ClauseKind::list_item && clause->kind != constitution::ClauseKind::standard_item)
        continue;
      stage_clauses_.push_back(clause);
      auto stage = stage_of(clause->text);
      if (!stage)
        return fail(fmt::format("ci/pipeline-stages: cannot tell which CI stage '{}' is (expected words like lint, "
                                "dependency scan, unit tests, build, integration, contract, container image, publish)",
                                clause->text),
                    "", clause->line);
      stages_.push_back(std::move(*stage));
    }
    if (stages_.empty()) return fail("ci/pipeline-stages: the CI stages section lists no stage");
    return {};
  }

  std::vector<const constitution::Clause*> also_enforced() const override { return stage_clauses_; }

  std::string bound_parameters() const override {
    std::string out;
    for (std::size_t i = 0; i < stages_.size(); ++i)
      out += fmt::format("{}{}. {}", i == 0 ? "" : ", ", i + 1, stages_[i].name);
    return out;
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const Pipeline& pipeline = load_pipeline(repo);
    if (pipeline.empty()) {
      emit_at(out, pipeline.anchor_path(), 0,
              fmt::format("no CI pipeline (.github/workflows/*.yml or .gitlab-ci.yml) runs the {} stages", stages_.size()));
      return;
    }
    for (const auto& workflow : pipeline.workflows)
      for (const auto& error : workflow.errors)
        emit_at(out, workflow.path, error.line, fmt::format("workflow does not parse: {}", error.message));

    report_missing(pipeline, out);
    for (const auto* workflow : pipeline.change_pipeline()) report_order(*workflow, out);
  }

 private:
  // Indices (into stages_) of the stages an activity set performs.
  std::vector<std::size_t> stages_in(const Activities& activities) const {
    std::vector<std::size_t> out;
    for (std::size_t i = 0; i < stages_.size(); ++i)
      if ((stages_[i].satisfied & activities).any()) out.push_back(i);
    return out;
  }

  static Activities performed(const constable::ci::Workflow& workflow) {
    Activities present;
    for (const auto& job : workflow.jobs) present |= classify(job);
    for (const auto& include : workflow.includes) present |= classify_include(include.value);
    return present;
  }

  // Stages no workflow of the pipeline runs; the workflows outside it that do are named.
  void report_missing(const Pipeline& pipeline, engine::Emitter& out) const {
    Activities present;
    for (const auto* workflow : pipeline.change_pipeline()) present |= performed(*workflow);
    if (!pipeline.dependabot_path.empty()) present.set(bit(Activity::dependency_scan));
    std::vector<std::pair<const constable::ci::Workflow*, Activities>> elsewhere;
    for (const auto* workflow : pipeline.elsewhere()) elsewhere.emplace_back(workflow, performed(*workflow));
    for (std::size_t i = 0; i < stages_.size(); ++i) {
      if ((stages_[i].satisfied & present).any()) continue;
      std::vector<const constable::ci::Workflow*> runs_it;
      for (const auto& [workflow, activities] : elsewhere)
        if ((stages_[i].satisfied & activities).any()) runs_it.push_back(workflow);
      std::string message = fmt::format("no job runs stage {} of {}, '{}'", i + 1, stages_.size(), stages_[i].name);
      if (!runs_it.empty())
        message += fmt::format(" on pull requests or pushes; only {} does", describe(runs_it));
      emit_at(out, pipeline.anchor_path(), pipeline.anchor_line(), std::move(message), stage_clauses_[i]);
    }
  }

  // A stage that is not a build stage must not run before an earlier stage.
  // What counts as running an earlier stage too late: a gate (lint, scans, tests). Building after
  // publishing is not, since what was published was built by its own step.
  static Activities gates(Activities activities) {
    return activities.reset(bit(Activity::build)).reset(bit(Activity::image_build));
  }

  // A stage that is not a build stage must not run before a gate of an earlier stage that has not run yet.
  void report_order(const constable::ci::Workflow& workflow, engine::Emitter& out) const {
    const auto after = workflow.runs_after();
    const std::size_t n = workflow.jobs.size();
    std::vector<Activities> job_activities;
    for (const auto& job : workflow.jobs) job_activities.push_back(classify(job));
    for (std::size_t j = 0; j < n; ++j) {
      Activities done = job_activities[j];  // by the job and every job it waits for
      for (std::size_t i = 0; i < n; ++i)
        if (after[j][i]) done |= job_activities[i];
      bool reported = false;
      for (std::size_t later : stages_in(job_activities[j])) {
        if (stages_[later].builds || reported) continue;
        for (std::size_t k = 0; k < n && !reported; ++k) {
          if (!after[k][j] || after[j][k]) continue;  // k does not wait for j (or a cycle)
          for (std::size_t earlier : stages_in(gates(job_activities[k]))) {
            if (earlier >= later || (stages_[earlier].satisfied & done).any()) continue;
            emit_at(out, workflow.path, workflow.jobs[j].line,
                    fmt::format("job '{}' runs stage {} '{}' before job '{}' runs stage {} '{}'", workflow.jobs[j].id,
                                later + 1, stages_[later].name, workflow.jobs[k].id, earlier + 1,
                                stages_[earlier].name),
                    stage_clauses_[later]);
            reported = true;
            break;
          }
        }
      }
      if (!reported) report_step_order(workflow.path, workflow.jobs[j], out);
    }
  }

  // Inside one job, steps run in file order.
  void report_step_order(const std::string& path, const constable::ci::Job& job, engine::Emitter& out) const {
    std::vector<Activities> step_activities;
    for (const auto& step : job.steps) step_activities.push_back(classify(step, job));
    Activities done;  // by this step and the ones before it
    for (std::size_t s = 0; s < job.steps.size(); ++s) {
      done |= step_activities[s];
      for (std::size_t later : stages_in(step_activities[s])) {
        if (stages_[later].builds) continue;
        for (std::size_t t = s + 1; t < job.steps.size(); ++t) {
          for (std::size_t earlier : stages_in(gates(step_activities[t]))) {
            if (earlier >= later || (stages_[earlier].satisfied & done).any()) continue;
            emit_at(out, path, job.steps[s].line,
                    fmt::format("job '{}' runs stage {} '{}' before its step at line {} runs stage {} '{}'", job.id,
                                later + 1, stages_[later].name, job.steps[t].line, earlier + 1,
                                stages_[earlier].name),
                    stage_clauses_[later]);
            return;
          }
        }
      }
    }
  }

  std::vector<RequiredStage> stages_;
  std::vector<const constitution::Clause*> stage_clauses_;
};

}  // namespace pipeline_stages_check
}  // namespace

std::unique_ptr<engine::Check> make_pipeline_stages_check() {
  return engine::make_check<pipeline_stages_check::PipelineStagesCheck>();
}

}  // namespace constable::checks::ci
