// workflow/branch-protection: the branch protection a repository declares
// in its files does not let anyone force-push to a protected branch.

#include <fmt/format.h>

#include "checks/workflow/workflow_checks.hpp"
#include "checks/workflow/workflow_support.hpp"

namespace constable::checks::workflow {

namespace {
namespace branch_protection_check {

constexpr engine::CheckInfo kInfo{
    .id = "workflow/branch-protection",
    .domain = "workflow",
    .nature = Nature::data_loss,
    .summary = "Block force pushes in the branch protection the repository declares",
    .rationale =
        "A force push rewrites a shared branch's history: reviewed commits disappear and every clone diverges. "
        "The check reads the protection a repository declares in its files: the branches of probot settings "
        "(.github/settings.yml, `protection.allow_force_pushes`, which GitHub leaves off when unset) and "
        "GitHub branch rulesets (exported JSON or YAML under .github/ with 'ruleset' in the path, or "
        "`rulesets:` of the settings file), where a `non_fast_forward` rule blocks force pushes. Disabled and "
        "evaluate-only rulesets and tag rulesets protect nothing and are passed over. A repository that "
        "declares no protection in its files is not reported: its protection may be set in the hosting "
        "service, where files cannot show it.",
    .remediation = "Set `allow_force_pushes: false` on the protected branch (.github/settings.yml), or add a "
                   "`non_fast_forward` rule to the branch ruleset.",
    .bad_example = "branches:\n"
                   "  - name: main\n"
                   "    protection:\n"
                   "      required_pull_request_reviews:\n"
                   "        required_approving_review_count: 1\n"
                   "      allow_force_pushes: true\n",
    .good_example = "branches:\n"
                    "  - name: main\n"
                    "    protection:\n"
                    "      required_pull_request_reviews:\n"
                    "        required_approving_review_count: 1\n"
                    "      allow_force_pushes: false\n",
    .parameters = "",
    .clause = {.section = "git workflow|version control|branch", .text = "force.?push"},
    .file_kind = FileKind::other,
    .stack = "",
    .scope = engine::Scope::repository,
};

class BranchProtectionCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const auto protections = declared_protections(repo);
    bool blocked_somewhere = false;
    for (const auto& p : protections) {
      if (p.force_push == DeclaredProtection::ForcePush::allowed) {
        out.emit({.range = SourceRange::at_line(p.force_push_line),
                  .message = fmt::format("{} allows force pushes", p.description),
                  .path_override = p.path,
                  .anchor = p.description});
      }
      blocked_somewhere = blocked_somewhere || p.force_push == DeclaredProtection::ForcePush::blocked;
    }
    // Rulesets add up: one without the rule is a gap only when nothing else declared blocks force pushes.
    if (blocked_somewhere) return;
    for (const auto& p : protections)
      if (p.force_push == DeclaredProtection::ForcePush::not_blocked)
        out.emit({.range = SourceRange::at_line(p.force_push_line),
                  .message = fmt::format("{} does not block force pushes (no non_fast_forward rule), and no other "
                                         "protection the repository declares does",
                                         p.description),
                  .path_override = p.path,
                  .anchor = p.description});
  }
};

}  // namespace branch_protection_check
}  // namespace

std::unique_ptr<engine::Check> make_branch_protection_check() {
  return engine::make_check<branch_protection_check::BranchProtectionCheck>();
}

}  // namespace constable::checks::workflow
