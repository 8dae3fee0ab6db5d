// security/image-retention: "Unused images MUST be pruned regularly". A
// repository whose CI pushes images declares how old ones leave the
// registry: a scheduled cleanup job, or the registry's retention policy in
// its infrastructure code.

#include <fmt/format.h>
#include <re2/re2.h>

#include "checks/ci/ci_support.hpp"
#include "checks/security/security_checks.hpp"
#include "core/text.hpp"

namespace constable::checks::security {

namespace {
namespace image_retention_check {

constexpr engine::CheckInfo kInfo{
    .id = "security/image-retention",
    .domain = "security",
    .nature = Nature::maintainability,
    .summary = "Prune the images CI pushes: a scheduled cleanup or a registry retention policy",
    .rationale =
        "Every push leaves an image in the registry; unpruned, old images pile up, cost storage and stay "
        "pullable with every vulnerability they were built with. Applies to repositories whose CI builds and "
        "pushes images (not for a throwaway cluster). Recognised: a cleanup action (actions/delete-package-"
        "versions, snok/container-retention-policy, dataaxiom/ghcr-cleanup-action and similar ghcr cleanup "
        "actions) or command (`gcloud artifacts docker images delete`, `gcloud container images delete`, `aws "
        "ecr batch-delete-image`, `acr purge`, `az acr repository delete`, `crane delete`, `regctl tag rm`, "
        "`skopeo delete`) in any workflow or what it calls; an ECR lifecycle policy (Terraform "
        "aws_ecr_lifecycle_policy, a lifecycle policy JSON), Artifact Registry cleanup_policies, ACR "
        "retention_policy, a GitLab container_expiration_policy, in any file of the repository. A policy set "
        "in the registry's console is not visible here: declare it as code.",
    .remediation =
        "Add a scheduled workflow that deletes untagged and old images (e.g. snok/container-retention-policy "
        "for ghcr.io), or declare the registry's retention as code: an aws_ecr_lifecycle_policy, Artifact "
        "Registry cleanup_policies, ACR retention.",
    .bad_example = "on: push\njobs:\n  image:\n    runs-on: ubuntu-latest\n    steps:\n"
                   "      - run: docker build -t ghcr.io/acme/app:${{ github.sha }} .\n"
                   "      - run: docker push ghcr.io/acme/app:${{ github.sha }}\n",
    .good_example = "on:\n  schedule: [{cron: \"0 3 * * 0\"}]\njobs:\n  prune:\n    runs-on: ubuntu-latest\n    steps:\n"
                    "      - uses: snok/container-retention-policy@v3\n        with: {image-names: app, cut-off: 4w}\n",
    .parameters = "",
    .clause = {.section = "registry|docker", .text = "pruned|prune|unused images"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

bool prunes_step(const constable::ci::Step& step) {
  static const RE2 kAction(
      R"((?i)^(actions/delete-package-versions|snok/container-retention-policy|dataaxiom/ghcr-cleanup-action|)"
      R"(vlaurin/action-ghcr-prune|bots-house/ghcr-delete-image-action|chizkiyahu/delete-untagged-ghcr-action|)"
      R"(camargo/delete-untagged-action)(@|$))");
  static const RE2 kCommand(
      R"((?i)\b(gcloud\s+(artifacts\s+docker\s+images|container\s+images)\s+delete|aws\s+ecr\s+batch-delete-image|)"
      R"(acr\s+purge|az\s+acr\s+repository\s+delete|crane\s+delete|regctl\s+(tag|manifest)\s+(rm|delete)|)"
      R"(skopeo\s+delete)\b)");
  return (!step.uses.empty() && RE2::PartialMatch(step.uses, kAction)) || RE2::PartialMatch(step.run, kCommand);
}

// A retention policy declared as code.
bool declares_retention(std::string_view text) {
  static const RE2 kPolicy(
      R"(\b(aws_ecr_lifecycle_policy|cleanup_policies|container_expiration_policy|AWS::ECR::Repository[\s\S]*LifecyclePolicy)\b|)"
      R"("countType"\s*:|retention_policy\s*\{)");
  return RE2::PartialMatch(text, kPolicy);
}

bool ships(const constable::ci::Job& job) {
  const ci::Activities activities = ci::classify(job);
  return activities.test(ci::bit(ci::Activity::publish)) && activities.test(ci::bit(ci::Activity::image_build)) &&
         !activities.test(ci::bit(ci::Activity::local_cluster));
}

class ImageRetentionCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const ci::Pipeline& pipeline = ci::load_pipeline(repo);
    std::string push_path, push_what;
    int push_line = 0;
    for (const auto& workflow : pipeline.workflows)
      for (const auto& job : workflow.jobs) {
        const bool shipping = ships(job);
        for (const auto& step : job.steps) {
          if (prunes_step(step)) return;
          for (const auto& called : step.expansion)
            if (prunes_step(called)) return;
          if (shipping && push_path.empty() && ci::classify(step, job).test(ci::bit(ci::Activity::publish))) {
            push_path = workflow.path;
            push_line = step.line;
            push_what = ci::evidence(step, ci::Activity::publish);
          }
        }
      }
    if (push_path.empty()) return;  // CI pushes no image
    for (const auto& file : repo.workspace().files) {
      const std::string_view path = file.path;
      const bool candidate = path.ends_with(".tf") || path.ends_with(".json") || path.ends_with(".yaml") ||
                             path.ends_with(".yml") || path.ends_with(".sh") || path.ends_with(".ts") ||
                             path.ends_with(".py") || path.ends_with(".hcl");
      if (!candidate) continue;
      const std::string* text = repo.text(file);
      if (text == nullptr) continue;
      if (declares_retention(*text)) return;
      if ((path.ends_with(".sh") || path.ends_with(".yaml") || path.ends_with(".yml"))) {
        constable::ci::Step script;
        script.run = *text;
        if (prunes_step(script)) return;
      }
    }
    out.report_at(push_path, push_line,
                  fmt::format("the images pushed here{} are never pruned: no scheduled cleanup job and no registry "
                              "retention policy (ECR lifecycle policy, Artifact Registry cleanup policy, ACR "
                              "retention, a ghcr.io cleanup action) in the repository",
                              push_what.empty() ? "" : fmt::format(" ({})", push_what)));
  }
};

}  // namespace image_retention_check
}  // namespace

std::unique_ptr<engine::Check> make_image_retention_check() {
  return engine::make_check<image_retention_check::ImageRetentionCheck>();
}

}  // namespace constable::checks::security
