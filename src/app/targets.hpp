#pragma once
// What `constable check PATH...` judges. One directory (or none: ".") is a
// repository, checked whole. Files, or several paths, as pre-commit passes
// the staged files, belong to a repository found from them; only their
// findings are reported.

#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "core/error.hpp"
#include "workspace/workspace.hpp"

namespace constable::app {

struct NamedPath {
  std::string path;  // relative to the root, '/'-separated; "" for the root itself
  bool directory = false;
};

struct CheckTargets {
  std::filesystem::path root;
  std::vector<NamedPath> named;  // empty: the whole repository is reported
};

// The repository of `paths`: for a single directory, that directory; else
// the git work tree holding each path, or failing that the nearest directory
// at or above it with a constitution or .constable.yaml, or failing that,
// when the user named the constitution or configuration
// (`constitution_named`), the paths' deepest common directory. Every path
// must exist and lie inside the root found.
Result<CheckTargets> resolve_targets(const std::vector<std::filesystem::path>& paths, bool constitution_named);

// The workspace files whose findings are reported: each named file, every
// file below a named directory. A named file the workspace left out
// (ignored, excluded, not the project's own) gets a note saying so.
std::set<std::string> reported_files(const CheckTargets& targets, const workspace::Workspace& workspace,
                                     std::vector<workspace::Note>& notes);

}  // namespace constable::app
