#include "checks/git/git_checks.hpp"

namespace constable::checks::git {

std::vector<engine::CheckFactory> git_checks() {
  // Sorted by check id.
  return {
      &make_branch_naming_check,         // git/branch-naming
      &make_conventional_commits_check,  // git/conventional-commits
      &make_semver_tags_check,           // git/semver-tags
  };
}

}  // namespace constable::checks::git
