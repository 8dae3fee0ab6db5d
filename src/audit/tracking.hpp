#pragma once
// Remediation tracking: one repository's findings of one audit run, set
// against every violation the store remembers of it. A violation is followed
// by its check and fingerprint (as baselines and --diff follow findings:
// through line shifts, edits elsewhere, moves and renames), and keeps the
// date it was first seen; its due date is that date plus its severity's
// timeline in the constitution in force, so an amended timeline moves every
// due date at the next run.

#include <cstdint>
#include <string>
#include <vector>

#include "constitution/model.hpp"
#include "engine/finding.hpp"
#include "store/store.hpp"

namespace constable::audit {

struct Sighting {
  std::string repository;
  std::int64_t run = 0;
  std::string commit;  // "" outside git
  Date today;
  int sprint_days = 14;
};

struct Tracked {
  std::vector<store::Violation> changed;  // to record: new ones (id 0) and every known one that changed
  std::size_t opened = 0, reopened = 0, fixed = 0, still_open = 0, waived = 0, clause_removed = 0;
};

// `known`: every violation the store holds for the repository; `findings`:
// the run's, suppressed ones included (an inline suppression is the code's
// own decision and is not tracked; a waiver is, as "waived", with its owner
// and expiry).
// - seen again: last seen now, due recomputed from first seen;
// - seen for the first time: opened, due from today (or from the end of its
//   clause's transition period);
// - seen again after a fix: reopened, counted from today;
// - not seen any more: fixed in this run and commit, or "clause removed"
//   when the constitution no longer has its clause.
Tracked track(const std::vector<store::Violation>& known, const std::vector<engine::Finding>& findings,
              const constitution::Constitution& constitution, const Sighting& now);

// The due date of `v` under `constitution`: its first sighting (or the end of
// its transition period, when later) plus its severity's timeline.
Date due_date(const store::Violation& v, const constitution::Constitution& constitution, int sprint_days);

}  // namespace constable::audit
