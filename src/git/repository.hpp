#pragma once
// A thin, RAII, errors-as-values wrapper over libgit2: what constable needs
// from a repository's history, refs and diffs.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <variant>
#include <vector>

#include "core/error.hpp"

namespace constable::git {

struct Signature {
  std::string name;
  std::string email;
  std::int64_t time = 0;  // seconds since the epoch
};

struct Commit {
  std::string id;         // full hex object id
  std::string short_id;   // 7 characters
  std::string summary;    // first line of the message
  std::string message;    // whole message
  Signature author;
  std::vector<std::string> parents;
};

enum class DeltaStatus : std::uint8_t { added, modified, deleted, renamed, copied, type_changed };

struct Hunk {
  int new_start = 0;  // 1-based first line in the new file
  int new_lines = 0;  // lines added or changed in the new file from new_start
  friend bool operator==(const Hunk&, const Hunk&) = default;
};

struct FileDelta {
  DeltaStatus status = DeltaStatus::modified;
  std::string old_path;  // "" when added
  std::string new_path;  // "" when deleted
  std::string old_blob;  // hex ids, "" when absent
  std::string new_blob;
  std::vector<Hunk> added_lines;  // ranges of lines added or changed in the new file
};

// An object git could not read (damaged or missing) where it was needed.
struct UnreadableObject {
  std::string object_id;         // hex id, "" when libgit2 does not say which
  std::string path;              // the file it holds, "" when unknown (a tree, a commit)
  std::optional<Commit> commit;  // the commit being read, when known
  std::string reason;            // libgit2's message, with the object id
};
using UnreadableVisitor = std::function<void(const UnreadableObject&)>;

// A blob as first seen while walking history from the oldest commit.
struct HistoryBlob {
  std::string blob_id;
  std::string path;       // path of its first appearance
  Commit introduced_by;   // the oldest commit that added it
};

// A version of one file: its blob and the commit that made it (the newest
// commit on the first-parent line whose parent holds another blob or none).
struct FileVersion {
  std::string blob_id;
  Commit made_by;
};

// libgit2's one-time set-up (with the mbedTLS build Debian ships, it parses
// every system CA certificate: a few milliseconds), which the first
// repository opened would otherwise pay for; safe from any thread.
void initialize();

// Whether `path`, or a directory above it, may be in a git repository as
// libgit2's discovery finds one: a `.git` there (a directory, or a file
// naming one elsewhere), or a directory that is one itself (a bare
// repository's HEAD, a worktree's commondir). False only where libgit2
// would find none, which is then not set up for nothing: a tree exported
// without its history (an archive, a build context) has no `.git`.
bool may_be_in_repository(const std::filesystem::path& path);

// Safe to share between threads: its calls are serialised.
class Repository {
 public:
  // Opens the repository containing `path` (searching upwards). Fails when
  // there is none.
  static Result<Repository> discover(const std::filesystem::path& path);
  Repository(Repository&&) noexcept;
  Repository& operator=(Repository&&) noexcept;
  ~Repository();

  std::filesystem::path workdir() const;
  // Resolves a revision ("main", "HEAD~3", a tag, an id) to a commit id.
  Result<std::string> resolve(std::string_view revision) const;
  // Commits reachable from `head` but not from `base`, oldest first ("BASE..HEAD").
  Result<std::vector<Commit>> commits_between(std::string_view base, std::string_view head) const;
  // The current branch's short name, or "" when HEAD is detached.
  Result<std::string> current_branch() const;
  Result<std::vector<std::string>> local_branches() const;
  // The tags' short names, sorted, as listed by the first call (a run's
  // checks see one list).
  const Result<std::vector<std::string>>& tags() const;
  // The blob content at `revision:path`, or nullopt when the path is absent there.
  Result<std::optional<std::string>> read_at(std::string_view revision, std::string_view path) const;
  Result<std::string> read_blob(std::string_view blob_id) const;
  // The versions of `path` along HEAD's first-parent history, newest first.
  // The walk ends at the version in force at `since` (seconds since the
  // epoch), given with the newest commit before `since` that holds it; after
  // `max_versions` versions or `max_commits` commits; or where the file did
  // not exist. Empty when HEAD does not hold the file (or is unborn).
  Result<std::vector<FileVersion>> file_versions(std::string_view path, std::int64_t since,
                                                 std::size_t max_versions, std::size_t max_commits) const;
  // The size of blob `blob_id` (a full hex id) from its header, without reading its content.
  Result<std::uint64_t> blob_size(std::string_view blob_id) const;
  // Differences from `base` to the working tree (index and untracked files
  // included), with renames detected. With `unreadable`, an old version that
  // cannot be read is reported there and its delta has no old blob and every
  // line added; a failed rename detection is reported and renames are not
  // detected. Without it, either fails the diff.
  Result<std::vector<FileDelta>> diff_to_workdir(std::string_view base, const UnreadableVisitor& unreadable = {}) const;
  // Every blob reachable from any ref, once each, in the order the oldest
  // commit introduced it; `visit` returns false to stop early. With
  // `unreadable`, a commit, tree or parent that cannot be read is reported
  // there and the walk goes on (a commit whose parent cannot be read is
  // compared with nothing); a walk that cannot go on is reported and ends.
  // Without it, any of these fails the walk.
  Result<void> walk_history_blobs(const std::function<bool(const HistoryBlob&)>& visit,
                                  const UnreadableVisitor& unreadable = {}) const;
  // Is blob `blob_id` (a full hex id) present anywhere in HEAD's tree? false when HEAD is unborn.
  Result<bool> head_contains_blob(std::string_view blob_id) const;

 private:
  struct Impl;
  explicit Repository(std::unique_ptr<Impl> impl);
  std::unique_ptr<Impl> impl_;
};

// Conventional Commits 1.0.0 parse of a commit message.
struct ConventionalCommit {
  std::string type;
  std::string scope;
  bool breaking = false;  // '!' or a BREAKING CHANGE footer
  std::string description;
};
// Why the message is not a Conventional Commit, or the parse. `types` are the
// allowed types (empty = any lower-case word).
std::variant<ConventionalCommit, std::string> parse_conventional_commit(std::string_view message,
                                                                        const std::vector<std::string>& types);

}  // namespace constable::git
