#pragma once
// Where a session's transition periods come from: the constitution's earlier
// versions in the git history of its file (and the configuration's
// `previous_constitution:`), scheduled by constitution/transition.hpp; and
// the one refinement a schedule cannot make alone: a finding of a tightened
// clause that the version before the amendment also had is an old
// violation, not a new one.

#include <deque>
#include <filesystem>
#include <string>
#include <vector>

#include "constitution/transition.hpp"
#include "engine/config.hpp"
#include "engine/run.hpp"
#include "workspace/workspace.hpp"

namespace constable::app {

struct TransitionHistory {
  // Earlier versions, newest first (the one in force is the session's); a
  // deque, so that schedules may point into it while it grows.
  std::deque<constitution::Constitution> earlier;
  constitution::TransitionSchedule schedule;  // its previous_version indices count the current version as 0
};

// The schedule for `current` (read from `file`) on `today`. `base` is what a
// relative `previous_constitution:` is relative to. Problems reading history
// become notes at `note_path`; they never fail the run.
TransitionHistory load_transitions(const constitution::Constitution& current, const std::filesystem::path& file,
                                   const engine::Config& config, const std::filesystem::path& base, Date today,
                                   std::vector<workspace::Note>& notes, const std::string& note_path);

// Findings of tightened clauses in transition that the earlier version's
// wording also finds (same file, check and fingerprint) are violations
// again: they lose their notice and are due from `options.today`. Runs the
// checks of those findings once per earlier version involved, with that
// version's parameters, over the same workspace.
void restore_old_violations(engine::RunResult& result, const TransitionHistory& history,
                            const constitution::Constitution& current, const engine::Config& config,
                            const workspace::Workspace& workspace, const engine::RunOptions& options);

}  // namespace constable::app
