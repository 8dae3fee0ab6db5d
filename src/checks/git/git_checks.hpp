#pragma once
// The git convention checks (domain "git"), one per file, registered in id order.
// They look at the repository (commits, branches, tags), not at files.

#include <memory>
#include <vector>

#include "engine/check.hpp"

namespace constable::checks::git {

std::unique_ptr<engine::Check> make_branch_naming_check();
std::unique_ptr<engine::Check> make_conventional_commits_check();
std::unique_ptr<engine::Check> make_semver_tags_check();

// Every git check's factory, sorted by check id.
std::vector<engine::CheckFactory> git_checks();

}  // namespace constable::checks::git
