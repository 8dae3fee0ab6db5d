#pragma once
// What the workflow checks share: where a repository keeps its pull request
// templates, which hosting service its files show, and the branch
// protection it declares in files (probot settings, exported rulesets).

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/check.hpp"
#include "workspace/workspace.hpp"

namespace constable::checks::workflow {

// The templates a new pull (merge) request starts from. `defaults` are the
// ones the hosting service fills in by itself (.github/pull_request_template.md,
// PULL_REQUEST_TEMPLATE.md at the root or in docs/, GitLab's Default.md);
// `choices` are the ones an author picks (.github/PULL_REQUEST_TEMPLATE/*.md,
// .gitlab/merge_request_templates/*.md).
struct PullRequestTemplates {
  std::vector<const workspace::File*> defaults;
  std::vector<const workspace::File*> choices;
  bool empty() const { return defaults.empty() && choices.empty(); }
};
PullRequestTemplates find_pull_request_templates(const workspace::Workspace& workspace);

// "GitHub" or "GitLab" when the repository's files are the service's own
// (.github/, .gitlab/, .gitlab-ci.yml); "" when they show neither.
std::string_view hosting_service(const workspace::Workspace& workspace);

// The file's text (BOM stripped), read once per run; "" when unreadable.
std::string_view read_text(const engine::RepositoryContext& repo, const workspace::File& file);

// One branch protection the repository declares: a branch of a probot
// settings file (.github/settings.yml) or an active branch ruleset (GitHub's
// export, .github/rulesets/*.json, or `rulesets:` of the settings file).
struct DeclaredProtection {
  std::string path{};
  int line = 0;              // of the branch's or ruleset's entry
  std::string description{};  // "branch 'main' in .github/settings.yml", "ruleset 'main' in ..."
  bool ruleset = false;
  // Force pushes: explicitly allowed (settings `allow_force_pushes: true`),
  // blocked (settings default, a ruleset's non_fast_forward rule), or, for a
  // ruleset without that rule, not blocked by this declaration.
  enum class ForcePush : std::uint8_t { blocked, allowed, not_blocked } force_push = ForcePush::blocked;
  int force_push_line = 0;
  // Reviews: required (with a count when stated), or explicitly not.
  enum class Reviews : std::uint8_t { required, not_required, unstated } reviews = Reviews::unstated;
  std::optional<long long> approvals{};
  int reviews_line = 0;
};
std::vector<DeclaredProtection> declared_protections(const engine::RepositoryContext& repo);

// Number words a clause may use instead of digits: "one" -> 1 ... "ten" -> 10.
std::optional<long long> number_word(std::string_view word);

}  // namespace constable::checks::workflow
