#pragma once
// What `constable audit` audits: directories named on the command line, and
// fleet files listing repositories with their team and, optionally, their own
// constitution. A repository that cannot be audited (missing, remote) is
// still listed, with why, so the audit records it as an error and goes on.

#include <filesystem>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"

namespace constable::audit {

struct Repository {
  std::string name;  // unique in the fleet: the directory's name, or the fleet file's `name`
  std::filesystem::path path;  // for a remote one: where its clone is kept
  std::string url;             // a remote repository's URL, "" for a directory
  std::string branch;          // a remote's branch to audit, "" for its default
  std::string team;
  std::optional<std::filesystem::path> constitution;  // its own, else the audit's
  std::string source;  // the absolute path, or the URL as given
  std::string error;                                  // why it cannot be audited; "" when it can
};

// A fleet file (YAML):
//   repositories:
//     - name: payments          # optional: the directory's name
//       path: ../payments       # relative to the fleet file, or a git URL (https://, ssh://, git@, file://)
//       branch: main            # optional, for a URL: else the remote's default branch
//       team: payments-platform # optional
//       constitution: docs/constitution.md  # optional, relative to the fleet file
// Other keys are errors, with their line.
// Remote repositories are kept under `clones` (see clone_path).
Result<std::vector<Repository>> read_fleet(const std::filesystem::path& file, const std::filesystem::path& clones);

// SOURCES: directories, fleet files (*.yaml, *.yml) and URLs. Names that
// collide get their parent directories until they differ. Fails only on a
// fleet file that cannot be read; a bad source is a repository with an error.
Result<std::vector<Repository>> resolve_sources(const std::vector<std::string>& sources,
                                                const std::filesystem::path& clones);

// Where a URL's clone is kept under `clones`: its host and path, without a
// scheme, user, ".git" or any "." and ".." component
// ("https://github.com/acme/payments.git" -> clones/github.com/acme/payments).
std::filesystem::path clone_path(std::string_view url, const std::filesystem::path& clones);

// "I/N" with 0 <= I < N: the slice of the fleet one of N jobs audits
// (an Indexed Job's JOB_COMPLETION_INDEX as I).
struct Shard {
  unsigned index = 0;
  unsigned count = 1;
};
Result<Shard> parse_shard(std::string_view text);
// Stable across runs and machines: by a hash of the repository's name.
bool in_shard(std::string_view repository, const Shard& shard);

}  // namespace constable::audit
