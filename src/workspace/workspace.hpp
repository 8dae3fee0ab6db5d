#pragma once
// The repository being checked: its files (discovered honouring .gitignore
// and exclude globs), their kinds, and stack facts about the repository.

#include <array>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <set>
#include <string>
#include <string_view>
#include <vector>

#include "core/error.hpp"
#include "core/files.hpp"
#include "core/types.hpp"
#include "workspace/provenance.hpp"

namespace constable::workspace {

struct File {
  std::string path;                // relative to the root, '/'-separated
  std::filesystem::path absolute;  // for reading
  std::uintmax_t size = 0;
  FileKind kind = FileKind::other;
  // The content, when it does not come from `absolute` (a file as it was at
  // a git revision, for --diff).
  std::optional<std::string> content{};
  // Its stat data as discovery found it (a regular file, not a symlink), so
  // the content cache need not ask again; nullopt when not taken.
  std::optional<files::StatSignature> stat{};
};

// Something the user should know that is not a violation: a skipped file, a
// symlink that was not followed.
struct Note {
  std::string path;
  std::string message;
  friend auto operator<=>(const Note&, const Note&) = default;
};

// Technologies the repository uses ("docker", "helm", "python", "node", ...),
// so checks declare where they apply.
struct StackFacts {
  std::set<std::string> facts;
  bool has(std::string_view fact) const { return facts.contains(std::string(fact)); }
};

// A file in the repository that is not the project's own (vendored,
// generated, a test fixture, ...): not judged, counted in the summary.
struct SetAsideFile {
  std::string path;
  Provenance provenance = Provenance::project;
};

using ProvenanceCounts = std::array<std::size_t, kProvenanceCount>;

struct Workspace {
  std::filesystem::path root;
  std::vector<File> files;  // sorted by path
  StackFacts stack;
  std::vector<Note> notes;  // sorted
  std::vector<SetAsideFile> set_aside;  // sorted by path

  ProvenanceCounts set_aside_counts() const;
  bool is_set_aside(std::string_view path) const;
};

struct DiscoveryOptions {
  std::vector<std::string> exclude;                    // gitignore-style globs
  std::uintmax_t max_file_size = 10ULL * 1024 * 1024;  // larger files are skipped with a note
  bool respect_gitignore = true;
  // Set-aside files judged anyway: provenance names ("fixtures") or globs.
  std::vector<std::string> include;
  unsigned jobs = 0;  // threads listing directories; 0: one per core
};

// Walks `root` (a directory, or a single file), honouring .gitignore files at
// every level, .git/info/exclude and the exclude globs, and setting aside
// files that are not the project's own (workspace/provenance.hpp) unless
// `include` names them. Never follows a symlink; never enters .git. Fails
// only if `root` does not exist.
Result<Workspace> discover(const std::filesystem::path& root, const DiscoveryOptions& options);

// Kind of a file from its relative path: Dockerfile, *.dockerfile,
// Dockerfile.*, Containerfile -> dockerfile; *.yaml/*.yml -> yaml; ...
FileKind classify(std::string_view relative_path);

// The file's content: in memory for a file taken from a git revision or
// standard input, else read from disk through core/files.hpp (a regular file,
// not a symlink, bounded in size). Never throws; the error says why.
Result<std::string> read_content(const File& file);

// The note discovery left about `path` when it skipped it ("skipped: 50.0 MiB
// exceeds the 10.0 MiB file size limit"), or null. Such a path exists in the
// repository although it is not among the files: checks that look for a file
// by name say why it was not read rather than that it is missing.
const Note* skipped(const Workspace& workspace, std::string_view path);

// Re-kinds every file under a chart's templates/ (a directory next to a
// Chart.yaml) as FileKind::helm_template: they are Go templates, not YAML.
void mark_chart_templates(std::vector<File>& files);

// A Dockerfile whose file name marks it as for development or tests
// (`Dockerfile.dev`, `dev.Dockerfile`, `Dockerfile-test`, `Dockerfile.local`,
// `Dockerfile.playwright`, `Dockerfile.debug`), or a dev container's
// (`.devcontainer/Dockerfile`): not an image the project ships.
bool is_development_dockerfile(std::string_view path);

// The stack fact of a repository that deploys something: an image it ships
// (a Dockerfile that is not for development), a Compose file, Kubernetes
// manifests, a Helm chart or Terraform. Operational documents and
// deployment specifications are asked of these.
inline constexpr std::string_view kDeploysFact = "deploys";

// Stack facts implied by the files' paths, and by the dependencies their
// manifests declare (add_dependency_facts).
StackFacts detect_stack(const std::vector<File>& files);

// The frameworks a repository's dependency manifests (pyproject.toml,
// Pipfile, requirements*.txt, setup.py, setup.cfg, package.json) declare, as
// facts: "fastapi", "sqlmodel", "sqlalchemy", "alembic", "openai-agents",
// "mcp", "nextjs", "react". Reads those files only.
void add_dependency_facts(StackFacts& stack, const std::vector<File>& files);

}  // namespace constable::workspace
