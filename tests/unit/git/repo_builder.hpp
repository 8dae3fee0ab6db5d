#pragma once
// Builds real repositories with libgit2 itself: blobs, nested trees, commits
// with fixed signatures and times, branches, tags. Failures throw, which
// gtest reports as a failed test.

#include <cstdint>
#include <filesystem>
#include <map>
#include <optional>
#include <stdexcept>
#include <string>
#include <string_view>
#include <vector>

#include "git/libgit2_handles.hpp"

namespace constable::git::testing {

using Files = std::map<std::string, std::string>;  // path -> content, the whole tree

inline void check(int rc, std::string_view what) {
  if (rc != 0) throw std::runtime_error(detail::last_error(what).message);
}

inline git_oid oid_of(std::string_view hex) {
  git_oid oid{};
  check(git_oid_fromstrn(&oid, hex.data(), hex.size()), "bad object id");
  return oid;
}

class RepoBuilder {
 public:
  explicit RepoBuilder(const std::filesystem::path& dir, bool bare = false) {
    detail::ensure_libgit2();
    git_repository_init_options options;
    git_repository_init_options_init(&options, GIT_REPOSITORY_INIT_OPTIONS_VERSION);
    options.flags = static_cast<std::uint32_t>(GIT_REPOSITORY_INIT_MKPATH) | (bare ? static_cast<std::uint32_t>(GIT_REPOSITORY_INIT_BARE) : 0u);
    options.initial_head = "main";
    git_repository* raw = nullptr;
    check(git_repository_init_ext(&raw, dir.c_str(), &options), "init");
    repo_.reset(raw);
  }

  git_repository* get() const { return repo_.get(); }

  std::string blob(std::string_view content) {
    git_oid oid{};
    check(git_blob_create_from_buffer(&oid, repo_.get(), content.data(), content.size()), "blob");
    return detail::to_hex(oid);
  }

  // Gitlinks (submodule entries) added to every tree written from now on.
  void add_submodule(const std::string& path, const std::string& commit_hex) { submodules_[path] = commit_hex; }

  std::string tree(const Files& files) {
    Files with_links = files;
    for (const auto& [path, hex] : submodules_) with_links[path] = std::string(kGitlink) + hex;
    return detail::to_hex(write_tree(with_links));
  }

  // Commits `files` as the whole tree on `branch`, whose tip (if any) is the
  // first parent; `extra_parents` make a merge. Returns the commit id.
  std::string commit(const std::string& branch, std::string_view message, const Files& files, std::int64_t time,
                     const std::vector<std::string>& extra_parents = {}) {
    std::vector<detail::CommitPtr> parents;
    if (auto tip = branch_tip(branch)) parents.push_back(lookup_commit(*tip));
    for (const auto& hex : extra_parents) parents.push_back(lookup_commit(hex));
    std::vector<const git_commit*> parent_ptrs;
    for (const auto& p : parents) parent_ptrs.push_back(p.get());

    const git_oid tree_oid = oid_of(tree(files));
    git_tree* tree_raw = nullptr;
    check(git_tree_lookup(&tree_raw, repo_.get(), &tree_oid), "tree lookup");
    detail::TreePtr tree_ptr(tree_raw);
    auto signature = make_signature(time);
    const std::string text(message);
    git_oid oid{};
    check(git_commit_create(&oid, repo_.get(), nullptr, signature.get(), signature.get(), nullptr, text.c_str(),
                            tree_ptr.get(), parent_ptrs.size(), parent_ptrs.data()),
          "commit");
    set_ref("refs/heads/" + branch, detail::to_hex(oid));
    return detail::to_hex(oid);
  }

  void set_ref(const std::string& name, const std::string& hex) {
    const git_oid oid = oid_of(hex);
    git_reference* raw = nullptr;
    check(git_reference_create(&raw, repo_.get(), name.c_str(), &oid, 1, nullptr), "reference");
    detail::ReferencePtr owned(raw);
  }

  void lightweight_tag(const std::string& name, const std::string& hex) { set_ref("refs/tags/" + name, hex); }

  void annotated_tag(const std::string& name, const std::string& hex, std::int64_t time) {
    detail::CommitPtr target = lookup_commit(hex);
    auto signature = make_signature(time);
    git_oid oid{};
    check(git_tag_create(&oid, repo_.get(), name.c_str(), reinterpret_cast<const git_object*>(target.get()),
                         signature.get(), ("release " + name).c_str(), 0),
          "tag");
  }

  void checkout_branch(const std::string& branch) {
    check(git_repository_set_head(repo_.get(), ("refs/heads/" + branch).c_str()), "set head");
  }
  void detach(const std::string& hex) {
    const git_oid oid = oid_of(hex);
    check(git_repository_set_head_detached(repo_.get(), &oid), "detach");
  }

 private:
  static constexpr std::string_view kGitlink = "\x01gitlink:";

  std::optional<std::string> branch_tip(const std::string& branch) {
    git_reference* raw = nullptr;
    const int rc = git_reference_lookup(&raw, repo_.get(), ("refs/heads/" + branch).c_str());
    if (rc == GIT_ENOTFOUND) return std::nullopt;
    check(rc, "branch lookup");
    detail::ReferencePtr owned(raw);
    return detail::to_hex(*git_reference_target(owned.get()));
  }

  detail::CommitPtr lookup_commit(const std::string& hex) {
    const git_oid oid = oid_of(hex);
    git_commit* raw = nullptr;
    check(git_commit_lookup(&raw, repo_.get(), &oid), "commit lookup");
    return detail::CommitPtr(raw);
  }

  detail::SignaturePtr make_signature(std::int64_t time) {
    git_signature* raw = nullptr;
    check(git_signature_new(&raw, "Test Author", "author@example.com", static_cast<git_time_t>(time), 0), "signature");
    return detail::SignaturePtr(raw);
  }

  git_oid write_tree(const Files& files) {
    std::map<std::string, Files> directories;
    git_treebuilder* raw = nullptr;
    check(git_treebuilder_new(&raw, repo_.get(), nullptr), "treebuilder");
    detail::TreeBuilderPtr builder(raw);
    for (const auto& [path, content] : files) {
      const auto slash = path.find('/');
      if (slash != std::string::npos) {
        directories[path.substr(0, slash)][path.substr(slash + 1)] = content;
        continue;
      }
      git_oid oid{};
      git_filemode_t mode = GIT_FILEMODE_BLOB;
      if (std::string_view(content).starts_with(kGitlink)) {
        oid = oid_of(std::string_view(content).substr(kGitlink.size()));
        mode = GIT_FILEMODE_COMMIT;
      } else {
        oid = oid_of(blob(content));
      }
      check(git_treebuilder_insert(nullptr, builder.get(), path.c_str(), &oid, mode), "insert");
    }
    for (const auto& [name, sub] : directories) {
      const git_oid oid = write_tree(sub);
      check(git_treebuilder_insert(nullptr, builder.get(), name.c_str(), &oid, GIT_FILEMODE_TREE), "insert tree");
    }
    git_oid oid{};
    check(git_treebuilder_write(&oid, builder.get()), "write tree");
    return oid;
  }

  detail::RepositoryPtr repo_;
  std::map<std::string, std::string> submodules_;
};

}  // namespace constable::git::testing
