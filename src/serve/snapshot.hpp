#pragma once
// What `constable serve` judges requests against: the configuration, the
// constitution and the checks bound to it, loaded together and replaced
// together. A reload builds a new Snapshot beside the serving one and swaps
// a shared_ptr, so a request sees one consistent version from start to end
// and a broken new version never replaces a working one.

#include <chrono>
#include <filesystem>
#include <memory>
#include <optional>
#include <string>
#include <vector>

#include "app/app.hpp"
#include "core/error.hpp"
#include "engine/run.hpp"

namespace constable::serve {

// Where a snapshot is loaded from: the files `serve` was started with.
struct Sources {
  std::optional<std::filesystem::path> config;        // --config, else the defaults
  std::optional<std::filesystem::path> constitution;  // --constitution, else the config's `constitution:`
  std::vector<std::string> select;
  std::vector<std::string> ignore;
};

struct Snapshot {
  Sources sources;  // where it was loaded from, for the next reload and per-request binding
  // Constitution, configuration and the plan bound for a Kubernetes stack
  // (the checks admission runs); the workspace is empty.
  app::Session session;
  // session.plan without the checks that cannot judge one object
  // (CheckInfo::not_at_admission): what admission runs for every review.
  engine::Plan admission_plan;
  std::string constitution_sha256;  // of the constitution file's bytes
  std::string config_sha256;        // of the config file's bytes, "" without one
  // Changes whenever either file does: ETags of cacheable GETs derive from it.
  std::string version_tag;
  std::chrono::system_clock::time_point loaded_at;

  const constitution::Constitution& constitution() const { return session.constitution; }
  const engine::Config& config() const { return session.config; }
};

Result<std::shared_ptr<const Snapshot>> load_snapshot(const Sources& sources);

// A file of a request: a path to name it by and its content.
struct InMemoryFile {
  std::string path;
  std::string content;
};

// The findings of every active check on `files` that needs no repository:
// checks of their file kinds, of every text file (secrets) and of the
// manifest set. `files` form a workspace of their own whose stack facts come
// from their paths (and Kubernetes when a file holds an object); waivers,
// suppressions, severities and due dates apply as in `constable check`.
// The files as a workspace of their own: kinds from their paths, chart
// templates marked, stack facts from what they are.
workspace::Workspace workspace_of(std::vector<InMemoryFile> files);

struct FilesRun {
  engine::Plan plan;  // bound for these files' stack (the plan the findings came from)
  engine::RunResult result;
};
Result<FilesRun> check_files(const Snapshot& snapshot, std::vector<InMemoryFile> files, Date today);

// The same run for Kubernetes objects with the snapshot's admission plan (no
// binding per request): what admission runs for every review.
engine::RunResult check_manifests(const Snapshot& snapshot, std::vector<InMemoryFile> files, Date today);

// Reports as the CLI writes them (`check --format json`, `coverage --format json`).
// `today` is the run's date (the server outlives the day it loaded the snapshot).
std::string findings_json(const Snapshot& snapshot, const engine::Plan& plan, const engine::RunResult& result,
                          Date today);
std::string coverage_json(const Snapshot& snapshot);

}  // namespace constable::serve
