#pragma once
// Constitutions of projects one or two directories below the root (a
// hackathon monorepo's `backend/.specify/memory/constitution.md`), looked for
// when the root has none of its own.

#include <cstddef>
#include <filesystem>
#include <string_view>
#include <vector>

namespace constable::app {

// Where spec-kit keeps a project's constitution, relative to the project.
inline constexpr std::string_view kSpecKitConstitution = ".specify/memory/constitution.md";

// Directory entries examined at most: the search lists the root and its
// subdirectories, never deeper, and stops at this many entries.
inline constexpr std::size_t kMaxNestedEntries = 20000;

struct NestedConstitutions {
  std::vector<std::filesystem::path> found;  // sorted; `root / dir / kSpecKitConstitution`
  bool truncated = false;                    // stopped at kMaxNestedEntries
};

// `*/.specify/memory/constitution.md` and `*/*/.specify/memory/constitution.md`
// under `root`. Hidden directories, symlinks, vendored dependencies, example
// and fixture collections and test directories are not entered: a
// constitution there is not the project's. Found files are only candidates:
// they are read like the root's, confined to the repository.
NestedConstitutions find_nested_constitutions(const std::filesystem::path& root,
                                              std::size_t max_entries = kMaxNestedEntries);

}  // namespace constable::app
