#pragma once
// A working copy of a remote repository kept for `constable audit`: cloned
// the first time, fetched and reset to the remote's branch afterwards, so a
// nightly audit downloads only what changed. libgit2 1.5 (Debian 12) cannot
// clone shallowly; the first clone is whole.

#include <chrono>
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

// clone_or_update in a child process, constable itself run as
// `constable __clone-or-update DIRECTORY BRANCH` with the URL in the
// environment (it may carry a token): libgit2 1.5 leaks
// PCRE2 match data on every remote and config lookup (fixed in 1.6,
// libgit2/libgit2#6382), 290 KB a first clone and 900 KB a fetch, and its network code
// parses what a remote sends; a fleet's audit keeps neither the leak nor a
// crash, and a clone that hangs is killed at `timeout`.
inline constexpr std::string_view kCloneWorkerCommand = "__clone-or-update";
Result<std::string> clone_or_update_in_child(std::string_view url, const std::filesystem::path& directory,
                                             std::string_view branch, std::chrono::milliseconds timeout);

// `url` with a password or token in its user part replaced by "***"
// ("https://user:token@host/x" -> "https://user:***@host/x"), for messages
// and the store.
std::string redact_url(std::string_view url);

// The child's side: prints the commit on stdout (exit 0) or why not on stderr (exit 1).
int clone_worker_main(std::string_view directory, std::string_view branch);

}  // namespace constable::git
