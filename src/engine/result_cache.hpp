#pragma once
// What a run found, kept for the next run on the same repository (`check
// --cache DIR`): per file, what its own checks emitted and the findings it
// ended with; for the repository-scope and manifest phases, what they
// emitted. Each result names what it was made of (the file's content digest,
// the other files it read, the shape of the workspace, the git state), so a
// changed file invalidates only the results that read it. An unchanged file
// is told by git's stat data (size, times, inode), without reading it.
//
// One entry per repository, for one "salt" (constable's build, the
// constitution, the configuration, the bound checks): another salt misses
// whole, and its entry replaces the old one. Best
// effort: a missing, corrupt or unwritable entry costs the work it would
// have saved, never a wrong result.

#include <cstdint>
#include <filesystem>
#include <functional>
#include <map>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/digest.hpp"
#include "core/files.hpp"
#include "engine/check.hpp"
#include "engine/finding.hpp"
#include "workspace/workspace.hpp"

namespace constable::engine {

using files::StatSignature;

// The file's signature (following symlinks), or nullopt when it cannot be
// stat'ed; also nullopt for a file changed so recently (since `fresh_after_ns`)
// that a further change within the clock's granularity could go unseen.
std::optional<StatSignature> stat_signature(const std::filesystem::path& file, std::uint64_t fresh_after_ns = 0);
// `signature` (taken before), or nullopt when it is that recent.
std::optional<StatSignature> unless_fresh(const StatSignature& signature, std::uint64_t fresh_after_ns);

// Another file a result read (an OpenAPI document's $ref, a chart's
// template), as it was: present with this content, or absent.
struct Dependency {
  std::string path;  // as read: absolute, or relative to the working directory
  std::optional<StatSignature> stat;
  bool present = false;
  digest::Sha256 content{};
  friend bool operator==(const Dependency&, const Dependency&) = default;
};

// The signature the caller took already of a file it names by the path
// given, or null to stat it.
using KnownSignatures = std::function<const std::optional<StatSignature>*(const std::string& path)>;

// Does every dependency still hold?
bool dependencies_hold(const std::vector<Dependency>& dependencies, const KnownSignatures& known = {});

// Every file a phase read besides the file it is about, as it was then.
// Thread-safe: a phase spread over workers records into one.
class DependencyRecorder final : public files::ReadObserver {
 public:
  // `fresh_after_ns`: the run's start (stat_signature); `own`: the file a
  // file phase result is about, which is not its own dependency.
  explicit DependencyRecorder(std::uint64_t fresh_after_ns, std::string own = {})
      : fresh_after_ns_(fresh_after_ns), own_(std::move(own)) {}
  void observe(const std::filesystem::path& file, const files::Outcome<std::string>& outcome) override;
  std::vector<Dependency> take();

 private:
  std::uint64_t fresh_after_ns_;
  std::string own_;
  std::mutex mutex_;
  std::map<std::string, Dependency> read_;
};

// A check's emission with its pointers stored as ids.
struct StoredEmission {
  std::string check_id;
  std::string clause_id;           // the binding's clause; "" for none
  std::string emission_clause_id;  // Emission::clause; "" for the bound one
  Emission emission;               // its clause pointer unset
};

// A list as the entry encodes it. Most of a large entry is lists of a file's
// emissions and findings, and of the repository-scope and manifest phases'
// emissions, and a result that comes whole from the cache never needs them
// decoded: they are kept as bytes, compared as bytes (the finalize input),
// written back as bytes, and decoded only where they are used, on the
// worker that uses them.
template <typename Item>
class EncodedList {
 public:
  EncodedList();  // the empty list
  explicit EncodedList(const std::vector<Item>& items);
  // A view into an entry that `owner` keeps alive.
  EncodedList(std::shared_ptr<const std::string> owner, std::string_view bytes);

  std::string_view bytes() const { return bytes_; }
  // nullopt when the bytes do not decode (a damaged entry: a miss).
  std::optional<std::vector<Item>> decode() const;

 private:
  std::shared_ptr<const std::string> owner_;
  std::string_view bytes_;
};
using EncodedEmissions = EncodedList<StoredEmission>;
// Findings as kept: without what the constitution and the checks' metadata
// restore (clause text, default remediation, due date).
using EncodedFindings = EncodedList<Finding>;

struct StoredFile {
  std::optional<StatSignature> stat;
  digest::Sha256 content{};  // of its text, BOM stripped
  FileKind kind = FileKind::other;  // a file's kind can change with its neighbours (a chart's templates)
  // Whether it holds an inline suppression: those expire, so its findings
  // depend on the day as well.
  bool suppresses = false;
  // What the file phase made of it (collect): its own checks' emissions.
  bool collected = false;
  EncodedEmissions emitted;
  std::vector<workspace::Note> notes;
  bool in_manifest_set = false;
  bool awaits_manifests = false;
  std::vector<Dependency> dependencies;
  // The findings every emission about it became (finalize), for the
  // input (content, emissions, day) whose digest is `finalized_from`.
  bool finalized = false;
  digest::Sha256 finalized_from{};
  EncodedFindings findings;
};

// A phase's emissions about one path (Emission::path_override: a workspace
// file, another file, or "" for the repository as a whole), in the order the
// phase made them.
struct EmissionsAbout {
  std::string path;
  EncodedEmissions emitted;
};

// The repository-scope or manifest phase: valid while `key` (the workspace's
// shape, the git state, the manifest files' contents) and its dependencies
// hold. Its emissions are kept by path, sorted: a run decodes only those
// about a file whose findings it makes anew.
struct StoredPhase {
  bool present = false;
  digest::Sha256 key{};
  std::vector<Dependency> dependencies;
  std::vector<EmissionsAbout> emitted;
  std::vector<workspace::Note> notes;
};

struct StoredRun {
  std::map<std::string, StoredFile, std::less<>> files;  // by workspace path
  // Files checked again for the manifest phase's findings about them (a
  // chart's values file): their findings join the run's unplaced ones.
  std::map<std::string, StoredFile, std::less<>> late_files;
  StoredPhase repository, manifests;
};

// The entry's name for a repository and salt. Saving an entry removes the
// repository's entries made with another salt.
std::string result_cache_name(const std::filesystem::path& root, const digest::Sha256& salt);

// The stored run, or nullopt when there is none or it is unreadable, of
// another format, or made with another salt.
std::optional<StoredRun> load_results(const std::filesystem::path& directory, std::string_view name,
                                      const digest::Sha256& salt);
void save_results(const std::filesystem::path& directory, std::string_view name, const digest::Sha256& salt,
                  const StoredRun& run);

// The charts' renders (engine/charts.hpp) are kept beside the entry, in a
// file of their own read only when the manifest phase runs again: a run
// that reuses the whole phase never pays for reading them.
struct StoredChart;
using StoredCharts = std::map<std::string, StoredChart, std::less<>>;  // by chart directory
std::string chart_cache_name(std::string_view results_name);
std::optional<StoredCharts> load_charts(const std::filesystem::path& directory, std::string_view name,
                                        const digest::Sha256& salt);
void save_charts(const std::filesystem::path& directory, std::string_view name, const digest::Sha256& salt,
                 const StoredCharts& charts);
std::string charts_header(const digest::Sha256& salt);
std::string encode_charts(const digest::Sha256& salt, const StoredCharts& charts);
std::optional<StoredCharts> decode_charts(std::string_view bytes, const digest::Sha256& salt);

// Serialisation, exposed for tests and the fuzz harness (whose inputs are
// what follows the header: the format line and the salt).
std::string results_header(const digest::Sha256& salt);
std::string encode_results(const digest::Sha256& salt, const StoredRun& run);
std::optional<StoredRun> decode_results(std::string_view bytes, const digest::Sha256& salt);
// The entry's bytes stay alive with the files' emissions, which point into them.
std::optional<StoredRun> decode_results(std::shared_ptr<const std::string> bytes, const digest::Sha256& salt);

}  // namespace constable::engine
