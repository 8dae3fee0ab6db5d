// git/conventional-commits: commit messages in --commits BASE..HEAD follow
// Conventional Commits, with the types the configuration allows.

#include <fmt/format.h>

#include "checks/git/git_checks.hpp"
#include "git/repository.hpp"

namespace constable::checks::git {

namespace {
namespace conventional_commits_check {

constexpr engine::CheckInfo kInfo{
    .id = "git/conventional-commits",
    .domain = "git",
    .nature = Nature::maintainability,
    .summary = "Write commit messages as Conventional Commits",
    .rationale = "Conventional Commits (type(scope)!: description) make history searchable, let tools derive the "
                 "next SemVer version and the changelog, and flag breaking changes explicitly.",
    .remediation = "Reword the commit (git commit --amend, or git rebase -i for older ones) as "
                   "`type(scope): description`, e.g. `fix(api): reject empty names`; types come from git.commit_types "
                   "in .constable.yaml.",
    .bad_example = "Fixed the thing\n",
    .good_example = "fix(api): reject empty customer names\n",
    .parameters = "",
    .clause = {.section = "git|version control|workflow", .text = "conventional commits"},
    .file_kind = FileKind::other,
    .stack = "git",  // the workspace is in a git repository (app::kGitRepositoryFact)
    .scope = engine::Scope::repository,
};

// Merges and reverts that git writes itself are not authored subjects.
bool generated_by_git(std::string_view summary) {
  return summary.starts_with("Merge branch ") || summary.starts_with("Merge pull request ") ||
         summary.starts_with("Merge remote-tracking branch ") || summary.starts_with("Revert \"");
}

class ConventionalCommitsCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    const std::string& range = repo.git_options().commits;
    if (range.empty() || repo.repository() == nullptr) return;  // only when asked: --commits BASE..HEAD
    const auto dots = range.find("..");
    const std::string base = dots == std::string::npos ? range : range.substr(0, dots);
    const std::string head = dots == std::string::npos ? "HEAD" : range.substr(dots + 2);
    auto commits = repo.repository()->commits_between(base, head.empty() ? "HEAD" : head);
    if (!commits) {
      out.emit({.message = fmt::format("cannot read commits {}: {}", range, commits.error().message),
                .path_override = ".git"});
      return;
    }
    for (const auto& commit : *commits) {
      if (generated_by_git(commit.summary)) continue;
      const auto parsed = constable::git::parse_conventional_commit(commit.message, repo.config().git.commit_types);
      if (const auto* problem = std::get_if<std::string>(&parsed)) {
        out.emit({.message = fmt::format("commit {} \"{}\" is not a Conventional Commit: {}", commit.short_id,
                                         commit.summary.substr(0, 72), *problem),
                  .path_override = ".git"});
      }
    }
  }
};

}  // namespace conventional_commits_check
}  // namespace

std::unique_ptr<engine::Check> make_conventional_commits_check() {
  return engine::make_check<conventional_commits_check::ConventionalCommitsCheck>();
}

}  // namespace constable::checks::git
