// testing/contract-validation: "Contract changes MUST be validated before
// deployment". Where the repository's CI runs contract tests (Pact and the
// like), every job that deploys waits for them, or runs them (can-i-deploy,
// a provider verification) before it deploys.

#include <fmt/format.h>
#include <re2/re2.h>

#include <string>
#include <vector>

#include "checks/ci/ci_support.hpp"
#include "checks/testing/testing_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::testing {

namespace {
namespace contract_validation_check {

using ci::Activity;
using ci::bit;

constexpr engine::CheckInfo kInfo{
    .id = "testing/contract-validation",
    .domain = "testing",
    .nature = Nature::reliability,
    .summary = "Validate contracts before every deployment: deploy jobs wait for contract tests or can-i-deploy",
    .rationale =
        "A contract test that runs beside the deployment rather than before it reports a broken consumer after "
        "the provider that broke it is live. Judged where the repository's CI runs contract tests (a step "
        "running pact, pact-broker, pactflow, can-i-deploy, spring-cloud-contract, specmatic, schemathesis or "
        "dredd, a pactflow or pact-foundation action, or a test job named for contracts or pacts; "
        "ci/contract-tests asks for them where there are none): each job that deploys (kubectl apply, helm "
        "upgrade, terraform apply, a deploy tool or action; ci/tests-block-deployment's definition) in a "
        "workflow that runs such tests, or in any workflow when the repository publishes pacts to a broker, "
        "must run a contract step before its first deploy step, or wait (`needs`, transitively; GitLab a later "
        "stage) for a job that runs one and whose failure is not allowed. A workflow started by `workflow_run` "
        "and a reusable workflow are judged through the workflows that start them and are not reported alone.",
    .remediation =
        "Run `pact-broker can-i-deploy --pacticipant <service> --version $GIT_SHA --to-environment production` "
        "(or the pactflow/actions can-i-deploy action) in the deploy job before it deploys, or add the contract "
        "test job to its `needs`; record the deployment afterwards with `pact-broker record-deployment`.",
    .bad_example = "on: push\njobs:\n  pact:\n    runs-on: ubuntu-latest\n    steps: [{run: npm run test:pact}, "
                   "{run: npx pact-broker publish pacts}]\n  deploy:\n    runs-on: ubuntu-latest\n"
                   "    steps: [{run: helm upgrade --install web chart}]\n",
    .good_example = "on: push\njobs:\n  pact:\n    runs-on: ubuntu-latest\n    steps: [{run: npm run test:pact}, "
                    "{run: npx pact-broker publish pacts}]\n  deploy:\n    needs: pact\n    runs-on: ubuntu-latest\n"
                    "    steps: [{run: npx pact-broker can-i-deploy --pacticipant web --version $GITHUB_SHA}, "
                    "{run: helm upgrade --install web chart}]\n",
    .parameters = "",
    .clause = {.section = "contract test", .text = R"(contract changes?[^.]*(validat|verif)[^.]*before[^.]*deploy)"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

// One command of a step, in the order it runs: the commands a step calls
// (make targets, scripts, package scripts) first, then the step itself, so a
// `make deploy` whose target runs can-i-deploy first counts as validated.
struct Unit {
  bool validates = false;
  bool deploys = false;
};

// Whether a contract command validates: publishing pacts, recording a
// deployment, pulling the Pact CLI image or installing it is bookkeeping.
bool validating(const constable::ci::Step& step, ci::Activities activities) {
  if (!activities.test(bit(Activity::contract_tests))) return false;
  static const RE2 kBookkeeping(
      R"((?i)\b(publish|record-deployment|record-release|record-undeployment|record-support-ended|create-version-tag|)"
      R"(create-or-update-version|create-or-update-pacticipant|create-environment)\b|publish-pact|pact:publish|)"
      R"(\b(docker|podman) (image )?pull\b|\b(install|add|setup)\b)");
  static const RE2 kValidation(R"((?i)can-i-deploy|can_i_deploy|verif)");
  static const RE2 kContract(
      R"((?i)\b(pact|pactflow|pact-broker|can-i-deploy|spring-cloud-contract|specmatic|schemathesis|dredd)\b|)"
      R"(pactflow/|pact-foundation/|specmatic/|schemathesis/)");
  // Each command of the step that names a contract tool; a step that names
  // none is a contract test by its context (a job named contract-tests).
  bool named = false;
  const std::string commands = step.run + '\n' + step.uses;
  for (const std::string_view line : text::split_lines(commands)) {
    std::size_t start = 0;
    while (start <= line.size()) {
      std::size_t end = line.size();
      for (const std::string_view separator : {"&&", "||", ";", "|"})
        if (const auto at = line.find(separator, start); at != std::string_view::npos && at < end) end = at;
      const std::string_view command = line.substr(start, end - start);
      if (RE2::PartialMatch(command, kContract)) {
        named = true;
        if (RE2::PartialMatch(command, kValidation) || !RE2::PartialMatch(command, kBookkeeping)) return true;
      }
      start = end + 1;
      while (start < line.size() && (line[start] == '&' || line[start] == '|')) ++start;
    }
  }
  return !named;
}

std::vector<Unit> units(const constable::ci::Step& step, const constable::ci::Job& job) {
  std::vector<Unit> out;
  const auto unit = [&](const constable::ci::Step& command) {
    constable::ci::Step alone = command;
    alone.expansion.clear();
    const ci::Activities activities = ci::classify(alone, job);
    out.push_back({validating(alone, activities), activities.test(bit(Activity::deploy))});
  };
  for (const auto& called : step.expansion) unit(called);
  unit(step);
  return out;
}

bool validates(const constable::ci::Job& job) {
  if (!ci::classify(job).test(bit(Activity::contract_tests))) return false;
  if (job.called != nullptr) return true;  // a reusable workflow's contract job
  for (const auto& step : job.steps)
    if (!step.continue_on_error)
      for (const Unit& unit : units(step, job))
        if (unit.validates) return true;
  return false;
}

// A contract validation before the job's first deploy, whose failure fails the job.
bool validated_inside(const constable::ci::Job& job) {
  if (job.allow_failure) return false;
  if (job.called != nullptr) return validates(job);  // a reusable workflow: judged where it is defined
  for (const auto& step : job.steps)
    for (const Unit& unit : units(step, job)) {
      if (unit.validates && !step.continue_on_error) return true;
      if (unit.deploys) return false;
    }
  return false;
}

bool runs_despite_failure(const constable::ci::Job& job) {
  const std::string condition = text::to_lower(job.condition);
  return condition.find("always()") != std::string::npos || condition.find("failure()") != std::string::npos ||
         condition.find("cancelled()") != std::string::npos;
}

class ContractValidationCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const ci::Pipeline& pipeline = ci::load_pipeline(repo);
    if (pipeline.empty()) return;
    // Where the contract tests run, and whether pacts go to a broker (then
    // every deployment of the repository takes part in the contract).
    const constable::ci::Workflow* tested_in = nullptr;
    const constable::ci::Job* tested_by = nullptr;
    bool broker = false;
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs) {
        if (!validates(job)) continue;
        if (tested_in == nullptr) {
          tested_in = &workflow;
          tested_by = &job;
        }
        for (const auto& step : job.steps) {
          const std::string lower = text::to_lower(step.run + " " + step.uses);
          if (lower.find("publish") != std::string::npos &&
              (lower.find("pact") != std::string::npos || lower.find("pactflow") != std::string::npos))
            broker = true;
        }
      }
    if (tested_in == nullptr) return;
    for (const auto& workflow : pipeline.workflows) {
      if (workflow.only_called()) continue;
      bool follows_another = false;
      for (const auto& trigger : workflow.triggers) follows_another = follows_another || trigger == "workflow_run";
      if (follows_another) continue;
      const constable::ci::Job* local = nullptr;
      for (const auto& job : workflow.jobs)
        if (local == nullptr && validates(job)) local = &job;
      if (local == nullptr && !broker) continue;
      const auto after = workflow.runs_after();
      for (std::size_t j = 0; j < workflow.jobs.size(); ++j) {
        const auto& job = workflow.jobs[j];
        if (!ci::classify(job).test(bit(Activity::deploy))) continue;
        if (!runs_despite_failure(job)) {
          if (validated_inside(job)) continue;
          bool waits = false;
          for (std::size_t k = 0; k < workflow.jobs.size() && !waits; ++k)
            waits = after[j][k] && !workflow.jobs[k].allow_failure && validates(workflow.jobs[k]);
          if (waits) continue;
        }
        const std::string where = local != nullptr
                                      ? fmt::format("job '{}'", local->id)
                                      : fmt::format("job '{}' of {}", tested_by->id, tested_in->path);
        ci::emit_at(out, workflow.path, job.line,
                    fmt::format("job '{}' {} without validating the contracts first: the contract tests run in {}, "
                                "but this job {} and runs no can-i-deploy or contract verification before it deploys",
                                job.id, ci::shipping_evidence(job), where,
                                runs_despite_failure(job) ? fmt::format("runs with 'if: {}'", job.condition)
                                                          : std::string("does not wait for them")));
      }
    }
  }
};

}  // namespace contract_validation_check
}  // namespace

std::unique_ptr<engine::Check> make_contract_validation_check() {
  return engine::make_check<contract_validation_check::ContractValidationCheck>();
}

}  // namespace constable::checks::testing
