// git/branch-naming: branches carry one of the constitution's prefixes
// ("Branch naming: feature/, bugfix/, hotfix/"), or are the trunk.

#include <fmt/format.h>

#include "checks/git/git_checks.hpp"
#include "constitution/parameters.hpp"
#include "core/text.hpp"
#include "git/repository.hpp"

namespace constable::checks::git {

namespace {
namespace branch_naming_check {

constexpr engine::CheckInfo kInfo{
    .id = "git/branch-naming",
    .domain = "git",
    .nature = Nature::maintainability,
    .summary = "Name branches with the constitution's prefixes (feature/, bugfix/, hotfix/)",
    .rationale = "Prefixed branch names say what a short-lived branch is for, drive CI rules (hotfix fast-tracks) "
                 "and keep trunk-based development legible.",
    .remediation = "Rename the branch: git branch -m <prefix><name>, e.g. git branch -m feature/checkout-retry. "
                   "Long-lived exceptions go in git.trunk or git.extra_branch_prefixes in .constable.yaml.",
    .bad_example = "my-experiment\n",
    .good_example = "feature/checkout-retry\n",
    .parameters = "the prefixes listed in the clause (\"Branch naming: feature/, bugfix/, hotfix/\")",
    .clause = {.section = "git|version control|workflow", .text = "branch naming"},
    .file_kind = FileKind::other,
    .stack = "git",  // the workspace is in a git repository (app::kGitRepositoryFact)
    .scope = engine::Scope::repository,
};

class BranchNamingCheck final : public engine::Check {
 public:
  const engine::CheckInfo& info() const override { return kInfo; }

  Result<void> bind(const constitution::Clause& clause, const engine::Config& config) override {
    (void)config;
    prefixes_.clear();
    for (std::string item : constitution::capture_list(clause.text)) {
      item = std::string(text::trim(item));
      if (item.empty() || item.find(' ') != std::string::npos) continue;
      if (!item.ends_with('/')) item += '/';
      prefixes_.push_back(std::move(item));
    }
    if (prefixes_.empty()) return fail("the clause lists no branch prefixes (expected e.g. \"feature/, bugfix/\")");
    return {};
  }

  std::string bound_parameters() const override {
    std::string out = "prefixes:";
    for (const auto& p : prefixes_) out += " " + p;
    return out;
  }

  void check_repository(const engine::RepositoryContext& repo, engine::Emitter& out) const override {
    if (repo.repository() == nullptr) return;
    std::vector<std::string> branches;
    if (repo.git_options().all_branches) {
      auto all = repo.repository()->local_branches();
      if (all) branches = std::move(*all);
    } else if (auto current = repo.repository()->current_branch(); current && !current->empty()) {
      branches.push_back(*current);
    }
    for (const auto& branch : branches) {
      if (allowed(branch, repo.config())) continue;
      out.emit({.message = fmt::format("branch '{}' does not start with {}", branch, expected(repo.config())),
                .path_override = fmt::format(".git/refs/heads/{}", branch)});
    }
  }

 private:
  bool allowed(std::string_view branch, const engine::Config& config) const {
    for (const auto& trunk : config.git.trunk)
      if (branch == trunk) return true;
    for (const auto& p : prefixes_)
      if (branch.starts_with(p) && branch.size() > p.size()) return true;
    for (const auto& p : config.git.extra_branch_prefixes)
      if (branch.starts_with(p) && branch.size() > p.size()) return true;
    return false;
  }

  std::string expected(const engine::Config& config) const {
    std::string out;
    for (const auto& p : prefixes_) out += fmt::format("{}{}", out.empty() ? "" : ", ", p);
    for (const auto& p : config.git.extra_branch_prefixes) out += fmt::format(", {}", p);
    std::string trunk;
    for (const auto& t : config.git.trunk) trunk += fmt::format("{}{}", trunk.empty() ? "" : ", ", t);
    return fmt::format("{} and is not the trunk ({})", out, trunk);
  }

  std::vector<std::string> prefixes_;
};

}  // namespace branch_naming_check
}  // namespace

std::unique_ptr<engine::Check> make_branch_naming_check() {
  return engine::make_check<branch_naming_check::BranchNamingCheck>();
}

}  // namespace constable::checks::git
