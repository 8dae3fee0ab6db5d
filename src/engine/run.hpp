#pragma once
// Runs a plan over a workspace: reads and parses each file at most once,
// only when an active check needs it, in parallel, and returns findings in a
// canonical order so output is identical whatever the thread count.

#include <chrono>
#include <filesystem>
#include <set>
#include <string>
#include <vector>

#include "constitution/model.hpp"
#include "constitution/transition.hpp"
#include "engine/config.hpp"
#include "engine/finding.hpp"
#include "engine/plan.hpp"
#include "engine/progress.hpp"
#include "workspace/workspace.hpp"

namespace constable::engine {

struct RunOptions {
  unsigned jobs = 0;  // 0 = one per hardware thread
  Date today = Date::today();
  const git::Repository* repository = nullptr;  // for repository-scope checks; null outside git
  GitOptions git;
  bool repository_checks = true;  // false when re-checking old file versions (--diff)
  bool file_kind_checks = true;   // false to run only every-text-file checks (--history)
  bool render_charts = true;      // false when the workspace is not the working tree (--diff's base)
  // Every clause no check enforces and no valid attestation covers becomes a
  // constable/unattested-clause finding at its line in the constitution.
  bool require_attestations = false;
  // When set, the file phase reads only these paths, the files repository
  // findings point at and the manifests (objects relate across files):
  // --diff's base needs no other findings of unchanged files.
  const std::set<std::string>* file_phase_only = nullptr;
  // When set, only findings about these paths are reported (the files named
  // on the command line, e.g. pre-commit's staged files), plus, with
  // repository_checks, those of the repository-scope checks and the
  // configuration's attestations and waivers. Other files are read only to
  // build the manifest set, when a reported file may hold manifests.
  const std::set<std::string>* report_only = nullptr;
  // Hears of each phase, file and chart (from worker threads); null = silent.
  ProgressListener* progress = nullptr;
  // Clauses in their transition period: their findings are deprecation
  // warnings (Finding::transition) due from the period's end. Null: none.
  const constitution::TransitionSchedule* transitions = nullptr;
  // Where results are kept between runs (engine/result_cache.hpp); empty for
  // nowhere. Only a run of the whole working tree (no report_only or
  // file_phase_only, every phase on, every file read from disk) uses it.
  std::filesystem::path cache_directory{};
};

struct PhaseTimes {
  std::chrono::microseconds constitution{0}, discover{0}, bind{0}, check{0}, report{0};
  // Where check's time went, filled in by the run: repository-scope checks,
  // the file phase, rendering charts, and manifest checks (with the files
  // whose findings waited for them). --diff and --history add to check only.
  std::chrono::microseconds repository{0}, files{0}, charts{0}, manifests{0};
};

// Wall time since it was made, for PhaseTimes.
class Stopwatch {
 public:
  std::chrono::microseconds elapsed() const {
    return std::chrono::duration_cast<std::chrono::microseconds>(std::chrono::steady_clock::now() - start_);
  }

 private:
  std::chrono::steady_clock::time_point start_ = std::chrono::steady_clock::now();
};

struct Stats {
  std::size_t files_discovered = 0;
  std::size_t files_checked = 0;   // files some active check needed
  std::uintmax_t bytes_read = 0;
  std::size_t documents_parsed = 0;
  std::size_t active_checks = 0;
  std::size_t suppressed = 0;
  // With a cache: files whose own checks' results came from it, and whether
  // the repository-scope and manifest phases' did.
  bool cache_used = false;
  std::size_t files_from_cache = 0;
  bool repository_from_cache = false, manifests_from_cache = false;
  std::size_t charts_from_cache = 0;  // when the manifest phase ran again: charts not rendered again
  PhaseTimes times;
};

struct RunResult {
  std::vector<Finding> findings;  // report_order; suppressed ones included, flagged
  std::vector<workspace::Note> notes;
  Stats stats;
  // Files in the repository that discovery set aside as not the project's
  // own, by provenance.
  workspace::ProvenanceCounts not_judged{};
};

RunResult run(const Plan& plan, const constitution::Constitution& constitution, const Config& config,
              const workspace::Workspace& workspace, const RunOptions& options);

// A finding of the engine's own `rule` (engine/catalog.hpp) about something
// only the caller saw, outside a run (a git object --diff or --history cannot
// read): severity and due date as in a run, message redacted, no snippet, the
// fingerprint of a finding without line content; the rule's remediation
// unless `remediation` says more.
Finding engine_finding(const CheckInfo& rule, const constitution::Constitution& constitution, const Config& config,
                       const RunOptions& options, std::string path, SourceRange range, std::string message,
                       std::string remediation = {});

}  // namespace constable::engine
