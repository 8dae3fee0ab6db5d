// database/staged-migrations: "Migrations MUST be tested in staging before
// production", as the CI pipeline shows it: a job that runs Alembic against
// production runs after one that ran it against staging.

#include <string>
#include <string_view>
#include <vector>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/ci/ci_support.hpp"
#include "checks/database/database_checks.hpp"

namespace constable::checks::database {

namespace {
namespace staged_migrations_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/staged-migrations",
    .domain = "database",
    .nature = Nature::data_loss,
    .summary = "Run migrations against staging before the pipeline runs them against production",
    .rationale =
        "A migration that locks a large table, fails halfway on real data or cannot run on the production "
        "server's version shows it in staging first, where it costs nothing. A pipeline that migrates "
        "production without a staging run before it finds out in production.",
    .remediation =
        "Run `alembic upgrade head` in a staging deployment job and make the production job depend on it "
        "(`needs: [deploy-staging]`, or a later GitLab stage), or promote from a staging workflow.",
    .bad_example =
        "jobs:\n  deploy-production:\n    environment: production\n    steps:\n"
        "      - run: alembic upgrade head\n",
    .good_example =
        "jobs:\n  deploy-staging:\n    environment: staging\n    steps:\n      - run: alembic upgrade head\n"
        "  deploy-production:\n    needs: [deploy-staging]\n    environment: production\n    steps:\n"
        "      - run: alembic upgrade head\n",
    .parameters = "",
    .clause = {.section = "(schema|migration|database)", .text = "migrations?.*staging"},
    .file_kind = FileKind::other,
    .stack = "",  // migrations are recognised in the pipeline's commands
    .scope = engine::Scope::repository,
};

bool runs_migrations(const constable::ci::Step& step) {
  static const RE2 upgrade(R"(\balembic\b[^\n;&|]*\bupgrade\b)");
  if (RE2::PartialMatch(step.run, upgrade)) return true;
  for (const auto& inner : step.expansion)
    if (runs_migrations(inner)) return true;
  return false;
}

bool migrates(const constable::ci::Job& job) {
  for (const auto& step : job.steps)
    if (runs_migrations(step)) return true;
  if (job.called)
    for (const auto& called : job.called->jobs)
      if (migrates(called)) return true;
  return false;
}

enum class Target : std::uint8_t { unknown, staging, production };

// Which environment a job works on, from its environment, else its name,
// else its workflow's name ("Alembic Migrate (Production)").
Target target_of(const constable::ci::Job& job, const constable::ci::Workflow& workflow) {
  static const RE2 production(R"((?i)(^|[^a-z])(prod|production|live)([^a-z]|$))");
  static const RE2 staging(R"((?i)(^|[^a-z])(staging|stg|preprod|pre-prod|uat)([^a-z]|$))");
  for (const std::string_view text : {std::string_view(job.environment), std::string_view(job.name),
                                      std::string_view(job.id), std::string_view(workflow.name)}) {
    if (text.empty()) continue;
    if (RE2::PartialMatch(text, staging)) return Target::staging;
    if (RE2::PartialMatch(text, production)) return Target::production;
  }
  return Target::unknown;
}

class StagedMigrationsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const ci::Pipeline& pipeline = ci::load_pipeline(repository);
    bool staging_anywhere = false;
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs) staging_anywhere = staging_anywhere || (migrates(job) && target_of(job, workflow) == Target::staging);
    for (const auto& workflow : pipeline.workflows) {
      if (!workflow.errors.empty()) continue;
      const auto after = workflow.runs_after();
      for (std::size_t p = 0; p < workflow.jobs.size(); ++p) {
        const auto& job = workflow.jobs[p];
        if (target_of(job, workflow) != Target::production || !migrates(job)) continue;
        bool staged_here = false;
        bool staging_here = false;
        for (std::size_t s = 0; s < workflow.jobs.size(); ++s) {
          if (s == p || target_of(workflow.jobs[s], workflow) != Target::staging || !migrates(workflow.jobs[s])) continue;
          staging_here = true;
          staged_here = staged_here || (p < after.size() && s < after[p].size() && after[p][s]);
        }
        if (staged_here) continue;
        // A staging run in another workflow is a promotion this check cannot
        // order; only its absence, or a staging job running alongside, is sure.
        if (staging_here)
          ci::emit_at(out, workflow.path, job.line,
                      fmt::format("job `{}` runs migrations against production alongside the staging job that "
                                  "runs them, not after it: make it need the staging job",
                                  job.id));
        else if (!staging_anywhere)
          ci::emit_at(out, workflow.path, job.line,
                      fmt::format("job `{}` runs migrations against production and no job of the pipeline runs them "
                                  "against staging first",
                                  job.id));
      }
    }
  }
};

}  // namespace staged_migrations_check
}  // namespace

std::unique_ptr<engine::Check> make_staged_migrations_check() {
  return engine::make_check<staged_migrations_check::StagedMigrationsCheck>();
}

}  // namespace constable::checks::database
