#include "git/repository.hpp"

#include <algorithm>
#include <exception>
#include <limits>
#include <mutex>
#include <unordered_map>
#include <unordered_set>
#include <utility>

#include "git/checked_objects.hpp"
#include "git/libgit2_handles.hpp"

namespace constable::git {

namespace detail {

void ensure_libgit2() {
  static std::once_flag once;
  std::call_once(once, [] { git_libgit2_init(); });
}

Error last_error(std::string_view what) {
  std::string message(what);
  const git_error* error = git_error_last();
  if (error != nullptr && error->message != nullptr && *error->message != '\0') {
    message += ": ";
    message += error->message;
  }
  return Error{std::move(message), {}, 0, 0};
}

}  // namespace detail

void initialize() { detail::ensure_libgit2(); }

namespace {

using namespace detail;
namespace fs = std::filesystem;

std::unexpected<Error> git_fail(std::string_view what) { return std::unexpected(last_error(what)); }

// Runs `body`, turning any exception (allocation failure, a throwing visitor)
// into an Error so that none escapes the git layer.
template <class F>
auto guarded(F&& body) -> decltype(body()) {
  try {
    return body();
  } catch (const std::exception& e) {
    return fail(std::string("git: ") + e.what());
  } catch (...) {
    return fail("git: unknown error");
  }
}

std::string in_quotes(std::string_view s) { return "'" + std::string(s) + "'"; }

Signature to_signature(const git_signature* signature) {
  Signature out;
  if (signature == nullptr) return out;
  if (signature->name != nullptr) out.name = signature->name;
  if (signature->email != nullptr) out.email = signature->email;
  out.time = static_cast<std::int64_t>(signature->when.time);
  return out;
}

Commit to_commit(git_commit* commit) {
  Commit out;
  out.id = to_hex(*git_commit_id(commit));
  out.short_id = out.id.substr(0, 7);
  if (const char* summary = git_commit_summary(commit)) out.summary = summary;
  if (const char* message = git_commit_message(commit)) out.message = message;
  out.author = to_signature(git_commit_author(commit));
  const unsigned int parents = git_commit_parentcount(commit);
  out.parents.reserve(parents);
  for (unsigned int i = 0; i < parents; ++i) {
    if (const git_oid* parent = git_commit_parent_id(commit, i)) out.parents.push_back(to_hex(*parent));
  }
  return out;
}

Result<git_oid> parse_oid(std::string_view hex) {
  git_oid oid{};
  if (hex.size() != GIT_OID_HEXSZ || git_oid_fromstrn(&oid, hex.data(), hex.size()) != 0) {
    return fail("not a full object id: " + in_quotes(hex));
  }
  return oid;
}

DeltaStatus to_status(git_delta_t status) {
  switch (status) {
    case GIT_DELTA_ADDED:
    case GIT_DELTA_UNTRACKED:
      return DeltaStatus::added;
    case GIT_DELTA_DELETED:
      return DeltaStatus::deleted;
    case GIT_DELTA_RENAMED:
      return DeltaStatus::renamed;
    case GIT_DELTA_COPIED:
      return DeltaStatus::copied;
    case GIT_DELTA_TYPECHANGE:
      return DeltaStatus::type_changed;
    default:
      return DeltaStatus::modified;
  }
}

// Sorted, with overlapping or adjacent ranges merged.
std::vector<Hunk> merge_ranges(std::vector<Hunk> ranges) {
  std::sort(ranges.begin(), ranges.end(),
            [](const Hunk& a, const Hunk& b) { return a.new_start < b.new_start; });
  std::vector<Hunk> merged;
  for (const Hunk& range : ranges) {
    if (!merged.empty() && range.new_start <= merged.back().new_start + merged.back().new_lines) {
      Hunk& last = merged.back();
      const int end = std::max(last.new_start + last.new_lines, range.new_start + range.new_lines);
      last.new_lines = end - last.new_start;
    } else {
      merged.push_back(range);
    }
  }
  return merged;
}

bool is_blob_mode(std::uint16_t mode) {
  return mode == GIT_FILEMODE_BLOB || mode == GIT_FILEMODE_BLOB_EXECUTABLE || mode == GIT_FILEMODE_LINK;
}

}  // namespace

struct Repository::Impl {
  RepositoryPtr repo;
  // libgit2 objects are not safe to use from several threads at once:
  // every call is serialised (recursive: a visitor may call back in).
  mutable std::recursive_mutex mutex;
  // Blob ids in HEAD's tree, filled by the first head_contains_blob call.
  std::optional<std::unordered_set<git_oid, OidHash, OidEqual>> head_blobs;
  // The tags, listed by the first tags call: several checks ask, and a
  // repository that tags every release of many charts packs tens of
  // thousands of refs (bitnami/charts: 30,813, 2 MB of packed-refs).
  std::optional<Result<std::vector<std::string>>> tags;

  Result<CommitPtr> commit_of(std::string_view revision) const {
    if (revision.empty()) return fail("empty revision");
    const std::string spec(revision);
    git_object* raw = nullptr;
    if (git_revparse_single(&raw, repo.get(), spec.c_str()) != 0) {
      return git_fail("cannot resolve revision " + in_quotes(revision));
    }
    ObjectPtr object(raw);
    git_object* peeled = nullptr;
    if (git_object_peel(&peeled, object.get(), GIT_OBJECT_COMMIT) != 0) {
      return git_fail("revision " + in_quotes(revision) + " is not a commit");
    }
    return CommitPtr(reinterpret_cast<git_commit*>(peeled));
  }

  Result<TreePtr> tree_of(std::string_view revision) const {
    auto commit = commit_of(revision);
    if (!commit) return std::unexpected(std::move(commit.error()));
    git_tree* tree = nullptr;
    if (git_commit_tree(&tree, commit->get()) != 0) return git_fail("cannot read the tree of " + in_quotes(revision));
    return TreePtr(tree);
  }
};

Repository::Repository(std::unique_ptr<Impl> impl) : impl_(std::move(impl)) {}
Repository::Repository(Repository&&) noexcept = default;
Repository& Repository::operator=(Repository&&) noexcept = default;
Repository::~Repository() = default;

bool may_be_in_repository(const fs::path& path) {
  std::error_code ec;
  // Upwards from the real path, as libgit2 walks.
  fs::path dir = fs::canonical(path, ec);
  if (ec) return true;  // libgit2 says why
  if (!fs::is_directory(dir, ec)) dir = dir.parent_path();
  for (;;) {
    for (const char* marker : {".git", "HEAD", "commondir"})
      if (fs::exists(dir / marker, ec) || (ec && ec != std::errc::no_such_file_or_directory)) return true;
    if (!dir.has_relative_path()) return false;  // the root, looked at
    dir = dir.parent_path();
  }
}

Result<Repository> Repository::discover(const fs::path& path) {
  if (!may_be_in_repository(path))
    return std::unexpected(Error{"no git repository at or above " + in_quotes(path.string()), {}, 0, 0});
  return guarded([&]() -> Result<Repository> {
    ensure_libgit2();
    git_repository* raw = nullptr;
    if (git_repository_open_ext(&raw, path.c_str(), 0, nullptr) != 0) {
      return git_fail("no git repository at or above " + in_quotes(path.string()));
    }
    auto impl = std::make_unique<Impl>();
    impl->repo.reset(raw);
    if (auto checked = use_checked_objects(raw); !checked) return std::unexpected(std::move(checked.error()));
    return Repository(std::move(impl));
  });
}

fs::path Repository::workdir() const {
  const std::lock_guard lock(impl_->mutex);
  const char* dir = git_repository_workdir(impl_->repo.get());
  if (dir == nullptr) return {};
  std::string_view view(dir);
  while (view.size() > 1 && view.back() == '/') view.remove_suffix(1);
  return fs::path(std::string(view));
}

Result<std::string> Repository::resolve(std::string_view revision) const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<std::string> {
    auto commit = impl_->commit_of(revision);
    if (!commit) return std::unexpected(std::move(commit.error()));
    return to_hex(*git_commit_id(commit->get()));
  });
}

Result<std::vector<Commit>> Repository::commits_between(std::string_view base, std::string_view head) const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<std::vector<Commit>> {
    auto head_commit = impl_->commit_of(head);
    if (!head_commit) return std::unexpected(std::move(head_commit.error()));
    git_revwalk* raw = nullptr;
    if (git_revwalk_new(&raw, impl_->repo.get()) != 0) return git_fail("cannot walk history");
    RevwalkPtr walk(raw);
    if (git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE) != 0 ||
        git_revwalk_push(walk.get(), git_commit_id(head_commit->get())) != 0) {
      return git_fail("cannot walk history from " + in_quotes(head));
    }
    // An empty base means "everything reachable from head".
    if (!base.empty()) {
      auto base_commit = impl_->commit_of(base);
      if (!base_commit) return std::unexpected(std::move(base_commit.error()));
      if (git_revwalk_hide(walk.get(), git_commit_id(base_commit->get())) != 0) {
        return git_fail("cannot hide " + in_quotes(base));
      }
    }
    std::vector<Commit> commits;
    git_oid oid{};
    int rc = 0;
    while ((rc = git_revwalk_next(&oid, walk.get())) == 0) {
      git_commit* commit = nullptr;
      if (git_commit_lookup(&commit, impl_->repo.get(), &oid) != 0) return git_fail("cannot read commit " + to_hex(oid));
      CommitPtr owned(commit);
      commits.push_back(to_commit(owned.get()));
    }
    if (rc != GIT_ITEROVER) return git_fail("cannot walk history");
    return commits;
  });
}

Result<std::string> Repository::current_branch() const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<std::string> {
    // HEAD itself: symbolic on a branch (even an unborn one), direct when detached.
    git_reference* raw = nullptr;
    if (git_reference_lookup(&raw, impl_->repo.get(), "HEAD") != 0) return git_fail("cannot read HEAD");
    ReferencePtr head(raw);
    if (git_reference_type(head.get()) != GIT_REFERENCE_SYMBOLIC) return std::string();
    std::string_view target = git_reference_symbolic_target(head.get());
    constexpr std::string_view prefix = "refs/heads/";
    if (!target.starts_with(prefix)) return std::string();
    target.remove_prefix(prefix.size());
    return std::string(target);
  });
}

Result<std::vector<std::string>> Repository::local_branches() const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<std::vector<std::string>> {
    git_branch_iterator* raw = nullptr;
    if (git_branch_iterator_new(&raw, impl_->repo.get(), GIT_BRANCH_LOCAL) != 0) return git_fail("cannot list branches");
    BranchIteratorPtr it(raw);
    std::vector<std::string> names;
    git_reference* ref = nullptr;
    git_branch_t type{};
    int rc = 0;
    while ((rc = git_branch_next(&ref, &type, it.get())) == 0) {
      ReferencePtr owned(ref);
      const char* name = nullptr;
      if (git_branch_name(&name, owned.get()) != 0) return git_fail("cannot read a branch name");
      names.emplace_back(name);
    }
    if (rc != GIT_ITEROVER) return git_fail("cannot list branches");
    std::sort(names.begin(), names.end());
    return names;
  });
}

const Result<std::vector<std::string>>& Repository::tags() const {
  const std::lock_guard lock(impl_->mutex);
  if (impl_->tags) return *impl_->tags;
  impl_->tags = guarded([&]() -> Result<std::vector<std::string>> {
    // Names only: git_tag_list looks each tag up again, a stat and a search
    // per tag (a tenth of a second on a repository of 30,000 tags).
    constexpr std::string_view kTagsDirectory = "refs/tags/";
    git_reference_iterator* raw = nullptr;
    if (git_reference_iterator_glob_new(&raw, impl_->repo.get(), "refs/tags/*") != 0)
      return git_fail("cannot list tags");
    const ReferenceIteratorPtr it(raw);
    std::vector<std::string> names;
    const char* name = nullptr;
    int rc = 0;
    while ((rc = git_reference_next_name(&name, it.get())) == 0) {
      if (std::string_view(name).starts_with(kTagsDirectory)) names.emplace_back(name + kTagsDirectory.size());
    }
    if (rc != GIT_ITEROVER) return git_fail("cannot list tags");
    std::sort(names.begin(), names.end());
    return names;
  });
  return *impl_->tags;
}

Result<std::optional<std::string>> Repository::read_at(std::string_view revision, std::string_view path) const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<std::optional<std::string>> {
    auto tree = impl_->tree_of(revision);
    if (!tree) return std::unexpected(std::move(tree.error()));
    const std::string spec(path);
    git_tree_entry* raw = nullptr;
    const int rc = git_tree_entry_bypath(&raw, tree->get(), spec.c_str());
    if (rc == GIT_ENOTFOUND) return std::optional<std::string>();
    if (rc != 0) return git_fail("cannot look up " + in_quotes(path) + " at " + in_quotes(revision));
    TreeEntryPtr entry(raw);
    // A directory or a submodule is not a file there.
    if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::optional<std::string>();
    git_blob* blob = nullptr;
    if (git_blob_lookup(&blob, impl_->repo.get(), git_tree_entry_id(entry.get())) != 0) {
      return git_fail("cannot read " + in_quotes(path) + " at " + in_quotes(revision));
    }
    BlobPtr owned(blob);
    const auto* data = static_cast<const char*>(git_blob_rawcontent(owned.get()));
    return std::optional<std::string>(std::in_place, data, static_cast<std::size_t>(git_blob_rawsize(owned.get())));
  });
}

Result<std::vector<FileVersion>> Repository::file_versions(std::string_view path, std::int64_t since,
                                                           std::size_t max_versions, std::size_t max_commits) const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<std::vector<FileVersion>> {
    std::vector<FileVersion> versions;
    auto head = impl_->commit_of("HEAD");
    if (!head) return versions;  // unborn
    const std::string spec(path);
    // The blob `commit` holds at `path`, nullopt when none (absent, a directory, a submodule).
    const auto blob_in = [&](git_commit* commit) -> Result<std::optional<git_oid>> {
      git_tree* raw_tree = nullptr;
      if (git_commit_tree(&raw_tree, commit) != 0)
        return git_fail("cannot read the tree of " + to_hex(*git_commit_id(commit)));
      const TreePtr tree(raw_tree);
      git_tree_entry* raw_entry = nullptr;
      const int rc = git_tree_entry_bypath(&raw_entry, tree.get(), spec.c_str());
      if (rc == GIT_ENOTFOUND) return std::optional<git_oid>();
      if (rc != 0) return git_fail("cannot look up " + in_quotes(path));
      const TreeEntryPtr entry(raw_entry);
      if (git_tree_entry_type(entry.get()) != GIT_OBJECT_BLOB) return std::optional<git_oid>();
      return std::optional<git_oid>(*git_tree_entry_id(entry.get()));
    };
    CommitPtr current = std::move(*head);
    auto blob = blob_in(current.get());
    if (!blob) return std::unexpected(std::move(blob.error()));
    for (std::size_t walked = 0; blob->has_value() && walked < max_commits; ++walked) {
      if (git_commit_author(current.get())->when.time < since) {
        versions.push_back({to_hex(**blob), to_commit(current.get())});  // in force when the period began
        break;
      }
      git_commit* raw_parent = nullptr;
      const bool has_parent =
          git_commit_parentcount(current.get()) > 0 && git_commit_parent(&raw_parent, current.get(), 0) == 0;
      CommitPtr parent(has_parent ? raw_parent : nullptr);
      Result<std::optional<git_oid>> parent_blob = std::optional<git_oid>();
      if (parent) parent_blob = blob_in(parent.get());
      if (!parent_blob) return std::unexpected(std::move(parent_blob.error()));
      const bool changed = !parent_blob->has_value() || git_oid_cmp(&**parent_blob, &**blob) != 0;
      if (changed) {
        versions.push_back({to_hex(**blob), to_commit(current.get())});
        if (versions.size() >= max_versions) break;
      }
      if (!parent) break;
      current = std::move(parent);
      blob = std::move(parent_blob);
    }
    return versions;
  });
}

Result<std::string> Repository::read_blob(std::string_view blob_id) const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<std::string> {
    git_oid oid{};
    if (blob_id.size() < GIT_OID_MINPREFIXLEN || blob_id.size() > GIT_OID_HEXSZ ||
        git_oid_fromstrn(&oid, blob_id.data(), blob_id.size()) != 0) {
      return fail("not an object id: " + in_quotes(blob_id));
    }
    git_blob* blob = nullptr;
    if (git_blob_lookup_prefix(&blob, impl_->repo.get(), &oid, blob_id.size()) != 0) {
      return git_fail("cannot read blob " + in_quotes(blob_id));
    }
    BlobPtr owned(blob);
    const auto* data = static_cast<const char*>(git_blob_rawcontent(owned.get()));
    return std::string(data, static_cast<std::size_t>(git_blob_rawsize(owned.get())));
  });
}

Result<std::uint64_t> Repository::blob_size(std::string_view blob_id) const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<std::uint64_t> {
    auto oid = parse_oid(blob_id);
    if (!oid) return std::unexpected(std::move(oid.error()));
    git_odb* odb = nullptr;
    if (git_repository_odb(&odb, impl_->repo.get()) != 0) return git_fail("cannot open the object database");
    OdbPtr owned(odb);
    std::size_t size = 0;
    git_object_t type = GIT_OBJECT_INVALID;
    if (git_odb_read_header(&size, &type, owned.get(), &*oid) != 0)
      return git_fail("cannot read blob " + in_quotes(blob_id));
    return static_cast<std::uint64_t>(size);
  });
}

Result<std::vector<FileDelta>> Repository::diff_to_workdir(std::string_view base,
                                                           const UnreadableVisitor& unreadable) const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<std::vector<FileDelta>> {
    git_repository* repo = impl_->repo.get();
    if (git_repository_is_bare(repo) != 0) return fail("a bare repository has no working tree");
    // An empty base diffs from the empty tree (useful before the first commit).
    TreePtr tree;
    if (!base.empty()) {
      auto resolved = impl_->tree_of(base);
      if (!resolved) return std::unexpected(std::move(resolved.error()));
      tree = std::move(*resolved);
    }
    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    options.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT |
                    GIT_DIFF_INCLUDE_TYPECHANGE;
    options.context_lines = 0;
    options.interhunk_lines = 0;
    git_diff* raw = nullptr;
    if (git_diff_tree_to_workdir_with_index(&raw, repo, tree.get(), &options) != 0) {
      return git_fail("cannot diff " + in_quotes(base) + " to the working tree");
    }
    DiffPtr diff(raw);
    git_diff_find_options find;
    git_diff_find_options_init(&find, GIT_DIFF_FIND_OPTIONS_VERSION);
    find.flags = GIT_DIFF_FIND_RENAMES | GIT_DIFF_FIND_FOR_UNTRACKED;
    if (git_diff_find_similar(diff.get(), &find) != 0) {
      if (!unreadable) return git_fail("cannot detect renames");
      unreadable(UnreadableObject{{}, {}, {}, last_error("cannot detect renames").message});
    }

    std::vector<FileDelta> deltas;
    const std::size_t count = git_diff_num_deltas(diff.get());
    deltas.reserve(count);
    for (std::size_t i = 0; i < count; ++i) {
      const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
      if (delta == nullptr) continue;
      switch (delta->status) {
        case GIT_DELTA_UNMODIFIED:
        case GIT_DELTA_IGNORED:
        case GIT_DELTA_UNREADABLE:
          continue;
        default:
          break;
      }
      FileDelta out;
      out.status = to_status(delta->status);
      const bool has_old = out.status != DeltaStatus::added;
      const bool has_new = out.status != DeltaStatus::deleted;
      if (has_old && delta->old_file.path != nullptr) out.old_path = delta->old_file.path;
      if (has_new && delta->new_file.path != nullptr) out.new_path = delta->new_file.path;
      if (has_old && !git_oid_is_zero(&delta->old_file.id)) out.old_blob = to_hex(delta->old_file.id);
      if (has_new) {
        if (!git_oid_is_zero(&delta->new_file.id)) {
          out.new_blob = to_hex(delta->new_file.id);
        } else if (delta->new_file.mode != GIT_FILEMODE_COMMIT && delta->new_file.mode != GIT_FILEMODE_LINK) {
          // Working-tree files are not always hashed by the diff: hash them
          // (with the repository's filters) so that callers get an id.
          git_oid oid{};
          const std::string full = (workdir() / delta->new_file.path).string();
          if (git_repository_hashfile(&oid, repo, full.c_str(), GIT_OBJECT_BLOB, delta->new_file.path) == 0) {
            out.new_blob = to_hex(oid);
          }
        }
      }
      if (has_new && (delta->flags & GIT_DIFF_FLAG_BINARY) == 0 && delta->new_file.mode != GIT_FILEMODE_COMMIT) {
        git_patch* patch_raw = nullptr;
        if (git_patch_from_diff(&patch_raw, diff.get(), i) != 0) {
          if (!unreadable) return git_fail("cannot diff " + in_quotes(out.new_path));
          // The old version cannot be read: nothing to compare with, every line is new.
          unreadable(UnreadableObject{out.old_blob, out.old_path.empty() ? out.new_path : out.old_path, {},
                                      last_error("cannot diff " + in_quotes(out.new_path)).message});
          out.old_blob.clear();
          out.added_lines = {Hunk{1, std::numeric_limits<int>::max()}};
          deltas.push_back(std::move(out));
          continue;
        }
        PatchPtr patch(patch_raw);
        if (patch != nullptr) {
          std::vector<Hunk> ranges;
          const std::size_t hunks = git_patch_num_hunks(patch.get());
          for (std::size_t h = 0; h < hunks; ++h) {
            const git_diff_hunk* hunk = nullptr;
            if (git_patch_get_hunk(&hunk, nullptr, patch.get(), h) != 0) return git_fail("cannot read a hunk");
            if (hunk->new_lines <= 0) continue;  // a pure deletion
            ranges.push_back(Hunk{hunk->new_start, hunk->new_lines});
          }
          out.added_lines = merge_ranges(std::move(ranges));
        }
      }
      deltas.push_back(std::move(out));
    }
    return deltas;
  });
}

Result<void> Repository::walk_history_blobs(const std::function<bool(const HistoryBlob&)>& visit,
                                            const UnreadableVisitor& unreadable) const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<void> {
    git_repository* repo = impl_->repo.get();
    git_revwalk* raw = nullptr;
    if (git_revwalk_new(&raw, repo) != 0) return git_fail("cannot walk history");
    RevwalkPtr walk(raw);
    if (git_revwalk_sorting(walk.get(), GIT_SORT_TOPOLOGICAL | GIT_SORT_TIME | GIT_SORT_REVERSE) != 0) {
      return git_fail("cannot walk history");
    }
    // Reports an object that cannot be read, when the caller takes such
    // reports (the walk then goes on); false when it does not.
    auto report = [&](std::string object_id, git_commit* commit, std::string_view what) {
      if (!unreadable) return false;
      std::optional<Commit> described;
      if (commit != nullptr) described = to_commit(commit);
      unreadable(UnreadableObject{std::move(object_id), {}, std::move(described), last_error(what).message});
      return true;
    };
    // Every ref (non-commit targets are skipped by libgit2 for globs) plus HEAD.
    if (git_revwalk_push_glob(walk.get(), "*") != 0) {
      if (report({}, nullptr, "cannot walk the refs")) return {};
      return git_fail("cannot walk the refs");
    }
    const int unborn = git_repository_head_unborn(repo);
    if (unborn < 0) return git_fail("cannot read HEAD");
    if (unborn == 0 && git_revwalk_push_head(walk.get()) != 0) {
      if (report({}, nullptr, "cannot walk from HEAD")) return {};
      return git_fail("cannot walk from HEAD");
    }

    git_diff_options options;
    git_diff_options_init(&options, GIT_DIFF_OPTIONS_VERSION);
    options.flags = GIT_DIFF_SKIP_BINARY_CHECK | GIT_DIFF_IGNORE_SUBMODULES;

    std::unordered_set<git_oid, OidHash, OidEqual> seen;
    git_oid oid{};
    int rc = 0;
    while ((rc = git_revwalk_next(&oid, walk.get())) == 0) {
      git_commit* commit_raw = nullptr;
      if (git_commit_lookup(&commit_raw, repo, &oid) != 0) {
        if (report(to_hex(oid), nullptr, "cannot read commit " + to_hex(oid))) continue;
        return git_fail("cannot read commit " + to_hex(oid));
      }
      CommitPtr commit(commit_raw);
      git_tree* tree_raw = nullptr;
      if (git_commit_tree(&tree_raw, commit.get()) != 0) {
        const std::string tree_id = to_hex(*git_commit_tree_id(commit.get()));
        if (report(tree_id, commit.get(), "cannot read the tree of " + to_hex(oid))) continue;
        return git_fail("cannot read the tree of " + to_hex(oid));
      }
      TreePtr tree(tree_raw);
      TreePtr parent_tree;
      if (git_commit_parentcount(commit.get()) > 0) {
        // Merges are compared with their first parent only; a parent that
        // cannot be read leaves the commit compared with nothing, so that
        // its files are still scanned.
        git_commit* parent_raw = nullptr;
        if (git_commit_parent(&parent_raw, commit.get(), 0) != 0) {
          const std::string parent_id = to_hex(*git_commit_parent_id(commit.get(), 0));
          if (!report(parent_id, commit.get(), "cannot read the parent of " + to_hex(oid)))
            return git_fail("cannot read the parent of " + to_hex(oid));
        } else {
          CommitPtr parent(parent_raw);
          git_tree* parent_tree_raw = nullptr;
          if (git_commit_tree(&parent_tree_raw, parent.get()) != 0) {
            const std::string parent_tree_id = to_hex(*git_commit_tree_id(parent.get()));
            const std::string what = "cannot read the tree of " + to_hex(*git_commit_id(parent.get()));
            if (!report(parent_tree_id, parent.get(), what)) return git_fail(what);
          } else {
            parent_tree.reset(parent_tree_raw);
          }
        }
      }
      // A tree-to-tree diff compares entries only: no blob is loaded.
      git_diff* diff_raw = nullptr;
      if (git_diff_tree_to_tree(&diff_raw, repo, parent_tree.get(), tree.get(), &options) != 0) {
        if (report({}, commit.get(), "cannot diff commit " + to_hex(oid))) continue;
        return git_fail("cannot diff commit " + to_hex(oid));
      }
      DiffPtr diff(diff_raw);
      std::optional<Commit> described;  // built once, on the commit's first new blob
      const std::size_t count = git_diff_num_deltas(diff.get());
      for (std::size_t i = 0; i < count; ++i) {
        const git_diff_delta* delta = git_diff_get_delta(diff.get(), i);
        if (delta == nullptr) continue;
        switch (delta->status) {
          case GIT_DELTA_ADDED:
          case GIT_DELTA_MODIFIED:
          case GIT_DELTA_RENAMED:
          case GIT_DELTA_COPIED:
          case GIT_DELTA_TYPECHANGE:
            break;
          default:
            continue;
        }
        if (!is_blob_mode(delta->new_file.mode)) continue;  // submodules (GIT_FILEMODE_COMMIT), trees
        if (!seen.insert(delta->new_file.id).second) continue;
        if (!described) described = to_commit(commit.get());
        HistoryBlob blob{to_hex(delta->new_file.id), delta->new_file.path != nullptr ? delta->new_file.path : "",
                         *described};
        if (!visit(blob)) return {};
      }
    }
    if (rc != GIT_ITEROVER) {
      if (report({}, nullptr, "cannot walk history")) return {};
      return git_fail("cannot walk history");
    }
    return {};
  });
}

Result<bool> Repository::head_contains_blob(std::string_view blob_id) const {
  const std::lock_guard lock(impl_->mutex);
  return guarded([&]() -> Result<bool> {
    auto oid = parse_oid(blob_id);
    if (!oid) return std::unexpected(std::move(oid.error()));
    if (!impl_->head_blobs) {
      std::unordered_set<git_oid, OidHash, OidEqual> blobs;
      const int unborn = git_repository_head_unborn(impl_->repo.get());
      if (unborn < 0) return git_fail("cannot read HEAD");
      if (unborn == 0) {
        auto tree = impl_->tree_of("HEAD");
        if (!tree) return std::unexpected(std::move(tree.error()));
        auto collect = [](const char*, const git_tree_entry* entry, void* payload) -> int {
          if (git_tree_entry_type(entry) != GIT_OBJECT_BLOB) return 0;  // descend into trees, skip submodules
          try {
            static_cast<std::unordered_set<git_oid, OidHash, OidEqual>*>(payload)->insert(*git_tree_entry_id(entry));
          } catch (...) {
            return -1;
          }
          return 0;
        };
        if (git_tree_walk(tree->get(), GIT_TREEWALK_PRE, collect, &blobs) != 0) {
          return git_fail("cannot walk HEAD's tree");
        }
      }
      impl_->head_blobs = std::move(blobs);
    }
    return impl_->head_blobs->contains(*oid);
  });
}

}  // namespace constable::git
