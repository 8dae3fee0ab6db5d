#pragma once
// A working copy of a remote repository kept for `constable audit`: cloned
// the first time, fetched and reset to the remote's branch afterwards, so a
// nightly audit downloads only what changed. libgit2 1.5 (Debian 12) cannot
// clone shallowly; the first clone is whole.

#include <filesystem>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace constable::git {

// Clones `url` into `directory`, or, when `directory` already holds a clone
// of it, fetches and resets the working tree to the remote branch. `branch`
// "" means the remote's default branch. Returns the commit checked out.
Result<std::string> clone_or_update(std::string_view url, const std::filesystem::path& directory,
                                    std::string_view branch);

}  // namespace constable::git
