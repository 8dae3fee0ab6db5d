#pragma once
// Only what is new, for pull-request gates: --baseline and --diff filters
// applied to a finished run.

#include <filesystem>
#include <set>
#include <string>
#include <string_view>

#include "app/app.hpp"
#include "engine/run.hpp"
#include "git/repository.hpp"

namespace constable::app {

// Keeps suppressed findings and those not in the baseline; adds a note for
// each baseline entry that is fixed. With `report_only` (files named on the
// command line), entries about other files are not said to be fixed.
Result<void> keep_findings_not_in_baseline(const std::filesystem::path& baseline, engine::RunResult& result,
                                           const std::set<std::string>* report_only = nullptr);

// Keeps the findings that the changes since `base` introduced: the base
// revision's version of every changed file is checked with the same plan and
// matched by fingerprint (renames followed), so a finding on a changed line
// and a file a change made non-compliant (a removed HEALTHCHECK) are both new,
// while findings in unchanged files are dropped. Findings about no file
// (commits, branches) are kept.
Result<void> keep_findings_new_since(const Session& session, const git::Repository& repository,
                                     std::string_view base, const engine::RunOptions& options,
                                     engine::RunResult& result);

// With --history: the every-text-file checks (secret scanning) run once over
// every blob reachable in history; each finding is reported once, at the
// oldest commit that introduced it, saying whether the working tree still has
// it. Appended to `result`.
Result<void> add_history_findings(const Session& session, const git::Repository& repository,
                                  const engine::RunOptions& options, engine::RunResult& result);

}  // namespace constable::app
