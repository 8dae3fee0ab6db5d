#pragma once
// Internal to the git layer (and its tests and benchmarks): RAII holders for
// libgit2 objects, one-time library initialisation and error conversion.

#include <git2.h>

#include <cstring>
#include <memory>
#include <string>
#include <string_view>

#include "core/error.hpp"

namespace constable::git::detail {

template <class T, void (*Free)(T*)>
struct Freer {
  void operator()(T* p) const noexcept {
    if (p != nullptr) Free(p);
  }
};
template <class T, void (*Free)(T*)>
using Owned = std::unique_ptr<T, Freer<T, Free>>;

using RepositoryPtr = Owned<git_repository, git_repository_free>;
using ObjectPtr = Owned<git_object, git_object_free>;
using CommitPtr = Owned<git_commit, git_commit_free>;
using TreePtr = Owned<git_tree, git_tree_free>;
using TreeEntryPtr = Owned<git_tree_entry, git_tree_entry_free>;
using TreeBuilderPtr = Owned<git_treebuilder, git_treebuilder_free>;
using BlobPtr = Owned<git_blob, git_blob_free>;
using RevwalkPtr = Owned<git_revwalk, git_revwalk_free>;
using DiffPtr = Owned<git_diff, git_diff_free>;
using PatchPtr = Owned<git_patch, git_patch_free>;
using ReferencePtr = Owned<git_reference, git_reference_free>;
using BranchIteratorPtr = Owned<git_branch_iterator, git_branch_iterator_free>;
using ReferenceIteratorPtr = Owned<git_reference_iterator, git_reference_iterator_free>;
using SignaturePtr = Owned<git_signature, git_signature_free>;
using IndexPtr = Owned<git_index, git_index_free>;
using OdbPtr = Owned<git_odb, git_odb_free>;

// git_libgit2_init exactly once per process; never shut down (objects may
// outlive any scope we could pick, and the OS reclaims everything at exit).
void ensure_libgit2();

// "<what>: <libgit2's last error message>".
Error last_error(std::string_view what);

inline std::string to_hex(const git_oid& oid) {
  char buffer[GIT_OID_HEXSZ + 1];
  git_oid_tostr(buffer, sizeof buffer, &oid);
  return std::string(buffer);
}

struct OidHash {
  std::size_t operator()(const git_oid& oid) const noexcept {
    std::size_t h = 0;
    std::memcpy(&h, oid.id, sizeof h);
    return h;
  }
};
struct OidEqual {
  bool operator()(const git_oid& a, const git_oid& b) const noexcept {
    return std::memcmp(a.id, b.id, GIT_OID_RAWSZ) == 0;
  }
};

}  // namespace constable::git::detail
