#include "git/mirror.hpp"

#include <cstdlib>
#include <system_error>

#include <fmt/format.h>
#if defined(CONSTABLE_SANITIZED)
#include <sanitizer/lsan_interface.h>
#endif

#include "core/subprocess.hpp"
#include "core/text.hpp"
#include "git/libgit2_handles.hpp"

namespace constable::git {

namespace {

using namespace detail;
namespace fs = std::filesystem;

constexpr const char* kCloneUrlVariable = "CONSTABLE_CLONE_URL";

using RemotePtr = Owned<git_remote, git_remote_free>;
using ConfigPtr = Owned<git_config, git_config_free>;

std::unexpected<Error> git_failure(std::string_view what) { return std::unexpected(last_error(what)); }

// The clone's origin, written as two plain config values. libgit2 1.5's own
// git_remote_create adds the fetch refspec through a multivar regex that
// never matches, and that path leaks PCRE2 match data (about 20 KB a
// call, fixed in libgit2 1.6 by libgit2/libgit2#6382): a fleet's first
// audit would leak a seventh of a megabyte per repository.
int create_origin(git_remote** out, git_repository* repo, const char* name, const char* url, void* /*payload*/) {
  git_config* raw = nullptr;
  if (git_repository_config(&raw, repo) != 0) return -1;
  const ConfigPtr config(raw);
  const std::string section = fmt::format("remote.{}.", name);
  const std::string refspec = fmt::format("+refs/heads/*:refs/remotes/{}/*", name);
  if (git_config_set_string(config.get(), (section + "url").c_str(), url) != 0 ||
      git_config_set_string(config.get(), (section + "fetch").c_str(), refspec.c_str()) != 0)
    return -1;
  return git_remote_lookup(out, repo, name);
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
                              known != nullptr ? redact_url(known) : "none"));
    git_fetch_options fetch = GIT_FETCH_OPTIONS_INIT;
    fetch.prune = GIT_FETCH_PRUNE;
    if (git_remote_fetch(remote.get(), nullptr, &fetch, "constable audit") != 0)
      return git_failure(fmt::format("cannot fetch {}", redact_url(url)));
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
    return to_hex(*head);
  }
  if (fs::exists(directory, ec) && !fs::is_empty(directory, ec))
    return fail(fmt::format("{} exists and is not a clone: remove it", directory.string()));
  fs::create_directories(directory.parent_path(), ec);
  git_clone_options options = GIT_CLONE_OPTIONS_INIT;
  options.remote_cb = create_origin;
  const std::string checkout_branch(branch);
  if (!branch.empty()) options.checkout_branch = checkout_branch.c_str();
  if (git_clone(&raw, remote_url.c_str(), directory.c_str(), &options) != 0)
    return git_failure(fmt::format("cannot clone {}", redact_url(url)));
  RepositoryPtr repo(raw);
  git_oid head{};
  if (git_reference_name_to_id(&head, repo.get(), "HEAD") != 0) return git_failure("the clone has no HEAD");
  return to_hex(head);
}

std::string redact_url(std::string_view url) { return text::redact_url(url, /*user_alone_is_secret=*/true); }

Result<std::string> clone_or_update_in_child(std::string_view url, const fs::path& directory, std::string_view branch,
                                             std::chrono::milliseconds timeout) {
  auto self = subprocess::self_executable();
  if (!self) return std::unexpected(self.error());
  auto child = subprocess::run({*self, std::string(kCloneWorkerCommand), directory.string(), std::string(branch)},
                               {.timeout = timeout,
                                .max_output_bytes = 16 * 1024,
                                .environment = {fmt::format("{}={}", kCloneUrlVariable, url)}});
  if (!child) return std::unexpected(child.error());
  if (child->exit_code == 0) return std::string(text::trim(child->out));
  if (child->timed_out)
    return fail(fmt::format("cannot clone or fetch {}: no answer within {} s", redact_url(url),
                            std::chrono::duration_cast<std::chrono::seconds>(timeout).count()));
  if (child->signal != 0)
    return fail(fmt::format("cannot clone or fetch {}: the clone stopped on signal {}", redact_url(url), child->signal));
  const std::string_view why = text::trim(child->err);
  return fail(why.empty() ? fmt::format("cannot clone or fetch {} (exit {})", redact_url(url), child->exit_code)
                          : std::string(why));
}

int clone_worker_main(std::string_view directory, std::string_view branch) {
#if defined(CONSTABLE_SANITIZED)
  // What libgit2 1.5 leaks here ends with this process (see the header);
  // LeakSanitizer still checks every other process of the suite.
  __lsan_disable();
#endif
  const char* url = std::getenv(kCloneUrlVariable);
  if (url == nullptr) {
    fmt::print(stderr, "{} is not set\n", kCloneUrlVariable);
    return 1;
  }
  auto commit = clone_or_update(url, fs::path(directory), branch);
  if (!commit) {
    fmt::print(stderr, "{}\n", commit.error().to_string());
    return 1;
  }
  fmt::print("{}\n", *commit);
  return 0;
}

}  // namespace constable::git
