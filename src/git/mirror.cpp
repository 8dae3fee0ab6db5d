#include "git/mirror.hpp"

#include <system_error>

#include <fmt/format.h>

#include "git/libgit2_handles.hpp"

namespace constable::git {

namespace {

using namespace detail;
namespace fs = std::filesystem;

using RemotePtr = Owned<git_remote, git_remote_free>;

std::unexpected<Error> git_failure(std::string_view what) { return std::unexpected(last_error(what)); }

std::string oid_hex(const git_oid& oid) {
  char hex[GIT_OID_HEXSZ + 1] = {};
  git_oid_tostr(hex, sizeof hex, &oid);
  return hex;
}

// The commit the remote's branch (or its default branch) points at, after a fetch.
Result<git_oid> remote_head(git_repository* repo, std::string_view branch) {
  git_oid oid{};
  const std::string name = branch.empty() ? std::string("refs/remotes/origin/HEAD")
                                          : fmt::format("refs/remotes/origin/{}", branch);
  if (git_reference_name_to_id(&oid, repo, name.c_str()) == 0) return oid;
  if (branch.empty()) {
    // A clone made without origin/HEAD: the branch the remote advertised at fetch.
    for (const char* fallback : {"refs/remotes/origin/main", "refs/remotes/origin/master", "FETCH_HEAD"})
      if (git_reference_name_to_id(&oid, repo, fallback) == 0) return oid;
  }
  return git_failure(fmt::format("the remote has no branch {}", branch.empty() ? "HEAD" : branch));
}

}  // namespace

Result<std::string> clone_or_update(std::string_view url, const fs::path& directory, std::string_view branch) {
  ensure_libgit2();
  const std::string remote_url(url);
  std::error_code ec;
  git_repository* raw = nullptr;
  if (fs::exists(directory / ".git", ec) && git_repository_open(&raw, directory.c_str()) == 0) {
    RepositoryPtr repo(raw);
    git_remote* raw_remote = nullptr;
    if (git_remote_lookup(&raw_remote, repo.get(), "origin") != 0) return git_failure("the clone has no origin");
    RemotePtr remote(raw_remote);
    if (const char* known = git_remote_url(remote.get()); known == nullptr || remote_url != known)
      return fail(fmt::format("{} holds a clone of another repository ({})", directory.string(),
                              known != nullptr ? known : "none"));
    git_fetch_options fetch = GIT_FETCH_OPTIONS_INIT;
    fetch.prune = GIT_FETCH_PRUNE;
    if (git_remote_fetch(remote.get(), nullptr, &fetch, "constable audit") != 0)
      return git_failure(fmt::format("cannot fetch {}", url));
    auto head = remote_head(repo.get(), branch);
    if (!head) return std::unexpected(head.error());
    git_object* target = nullptr;
    if (git_object_lookup(&target, repo.get(), &*head, GIT_OBJECT_COMMIT) != 0)
      return git_failure("cannot read the fetched commit");
    ObjectPtr commit(target);
    git_checkout_options checkout = GIT_CHECKOUT_OPTIONS_INIT;
    checkout.checkout_strategy = GIT_CHECKOUT_FORCE | GIT_CHECKOUT_REMOVE_UNTRACKED;
    if (git_reset(repo.get(), commit.get(), GIT_RESET_HARD, &checkout) != 0)
      return git_failure("cannot check the fetched commit out");
    return oid_hex(*head);
  }
  if (fs::exists(directory, ec) && !fs::is_empty(directory, ec))
    return fail(fmt::format("{} exists and is not a clone: remove it", directory.string()));
  fs::create_directories(directory.parent_path(), ec);
  git_clone_options options = GIT_CLONE_OPTIONS_INIT;
  const std::string checkout_branch(branch);
  if (!branch.empty()) options.checkout_branch = checkout_branch.c_str();
  if (git_clone(&raw, remote_url.c_str(), directory.c_str(), &options) != 0)
    return git_failure(fmt::format("cannot clone {}", url));
  RepositoryPtr repo(raw);
  git_oid head{};
  if (git_reference_name_to_id(&head, repo.get(), "HEAD") != 0) return git_failure("the clone has no HEAD");
  return oid_hex(head);
}

}  // namespace constable::git
