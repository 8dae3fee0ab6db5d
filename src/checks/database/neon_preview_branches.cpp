// database/neon-preview-branches: "Database branches MUST be used for preview
// deployments" (Neon Serverless Database): where the repository uses Neon and
// its pipeline deploys previews of pull requests, some step creates a Neon
// branch for them.

#include <string>
#include <string_view>

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/ci/ci_support.hpp"
#include "checks/database/database_checks.hpp"
#include "checks/database/database_support.hpp"
#include "core/text.hpp"

namespace constable::checks::database {

namespace {
namespace neon_preview_branches_check {

constexpr engine::CheckInfo kInfo{
    .id = "database/neon-preview-branches",
    .domain = "database",
    .nature = Nature::data_loss,
    .summary = "Give each preview deployment its own Neon database branch",
    .rationale =
        "A preview of a pull request that connects to the shared staging or production database runs the "
        "branch's unreviewed migrations and writes against data other environments depend on. A Neon branch "
        "is a copy-on-write clone made in seconds: each preview gets its own data and schema, and it is "
        "deleted with the pull request.",
    .remediation =
        "Create a branch in the preview job before deploying (`neondatabase/create-branch-action`, or "
        "`neonctl branches create`), pass its connection string to the deployment, and delete it when the "
        "pull request closes (`neondatabase/delete-branch-action`).",
    .bad_example =
        "on: pull_request\njobs:\n  preview:\n    environment: preview\n    steps:\n"
        "      - run: flyctl deploy --app shop-pr-${{ github.event.number }}\n",
    .good_example =
        "on: pull_request\njobs:\n  preview:\n    environment: preview\n    steps:\n"
        "      - uses: neondatabase/create-branch-action@v5\n        id: branch\n"
        "        with:\n          project_id: ${{ vars.NEON_PROJECT_ID }}\n          branch_name: preview/pr-${{ github.event.number }}\n"
        "          api_key: ${{ secrets.NEON_API_KEY }}\n"
        "      - run: flyctl deploy --app shop-pr-${{ github.event.number }}\n",
    .parameters = "",
    .clause = {.section = "neon", .text = "branch(es)?.*preview"},
    .file_kind = FileKind::other,
    .stack = "",  // Neon is recognised by its hosts, packages and Terraform resources
    .scope = engine::Scope::repository,
};

bool creates_branch(const constable::ci::Step& step) {
  static const RE2 command(R"((?i)\bneon(ctl)?\b[^\n]*\bbranch(es)?\s+create\b|api/v2/projects/[^\s]*/branches)");
  if (step.uses.starts_with("neondatabase/create-branch-action") ||
      step.uses.starts_with("neondatabase/branch-action") || RE2::PartialMatch(step.run, command))
    return true;
  for (const auto& inner : step.expansion)
    if (creates_branch(inner)) return true;
  return false;
}

bool creates_branch(const constable::ci::Job& job) {
  for (const auto& step : job.steps)
    if (creates_branch(step)) return true;
  if (job.called)
    for (const auto& called : job.called->jobs)
      if (creates_branch(called)) return true;
  return false;
}

// Vercel's Neon integration branches the database for each preview
// deployment outside the repository: a Vercel preview is not judged.
bool deploys_to_vercel(const constable::ci::Job& job) {
  for (const auto& step : job.steps)
    if (text::icontains(step.uses, "vercel") || text::icontains(step.run, "vercel")) return true;
  return false;
}

bool is_preview(const constable::ci::Job& job) {
  static const RE2 preview(R"((?i)preview|review[-_ ]app|pr[-_]env|ephemeral)");
  return RE2::PartialMatch(job.environment, preview) || RE2::PartialMatch(job.name, preview) ||
         RE2::PartialMatch(job.id, preview);
}

// Where the repository shows it runs on Neon: a Postgres host of Neon in its
// code or configuration, a Neon driver in package.json, Neon Terraform.
std::string neon_evidence(const engine::RepositoryContext& repository) {
  static const RE2 host(R"((?i)(postgres(ql)?(\+\w+)?://[^\s'"]*@|host\w*["']?\s*[:=]\s*["']?)ep-[a-z0-9-]+(\.[a-z0-9-]+)*\.neon\.tech)");
  for (const auto& file : repository.workspace().files) {
    const std::string_view path = file.path;
    if (is_test_path(path) || is_sample_path(path) || path.ends_with(".md")) continue;
    const bool terraform = path.ends_with(".tf");
    const bool package = text::basename(path) == "package.json";
    const bool config = path.ends_with(".py") || path.ends_with(".ts") || path.ends_with(".js") ||
                        path.ends_with(".yaml") || path.ends_with(".yml") || path.ends_with(".toml") ||
                        text::contains(text::basename(path), ".env");
    if (!terraform && !package && !config) continue;
    const std::string* content = repository.text(file);
    if (content == nullptr) continue;
    if (terraform && text::contains(*content, "resource \"neon_project\"")) return file.path;
    if (package && text::contains(*content, "\"@neondatabase/")) return file.path;
    if (config && text::contains(*content, "neon.tech") && RE2::PartialMatch(*content, host)) return file.path;
  }
  return {};
}

class NeonPreviewBranchesCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repository, engine::Emitter& out) const override {
    const ci::Pipeline& pipeline = ci::load_pipeline(repository);
    if (pipeline.empty()) return;
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs)
        if (creates_branch(job)) return;
    std::string neon;  // found once, when a preview deployment is there to judge
    for (const auto& workflow : pipeline.workflows) {
      if (!workflow.runs_on_pull_request()) continue;
      for (const auto& job : workflow.jobs) {
        if (!is_preview(job) || deploys_to_vercel(job) || !ci::classify(job).test(ci::bit(ci::Activity::deploy)))
          continue;
        if (neon.empty()) neon = neon_evidence(repository);
        if (neon.empty()) return;
        ci::emit_at(out, workflow.path, job.line,
                    fmt::format("job `{}` deploys a preview of each pull request while the project runs on Neon "
                                "({}), and no step of the pipeline creates a Neon branch for it",
                                job.id, neon));
      }
    }
  }
};

}  // namespace neon_preview_branches_check
}  // namespace

std::unique_ptr<engine::Check> make_neon_preview_branches_check() {
  return engine::make_check<neon_preview_branches_check::NeonPreviewBranchesCheck>();
}

}  // namespace constable::checks::database
