#pragma once
// Transition periods: the constitution's "Breaking changes require 6-month
// transition period" and "Deprecation warnings MUST be issued", made
// deterministic. A clause added or tightened by an amendment yields
// deprecation warnings, not violations, until the period after the amendment
// ends; then its findings are violations with their normal severity and due
// date. The amendment's date is the newer version's Last Amended date (when
// the amendment changed it), else the date of the commit that made it.

#include <map>
#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

#include "constitution/model.hpp"
#include "core/date.hpp"

namespace constable::constitution {

// The period a constitution grants for breaking changes, read from the clause
// or sentence that names a "transition period" (or window) with a duration.
struct TransitionPeriod {
  std::string text;  // as the constitution words it: "6-month"
  int months = 0;    // calendar months (months and years)
  int days = 0;      // days (days and weeks; other units rounded up to days)
  int line = 0;      // of the clause or sentence

  // The day a transition that starts on `start` ends, when its findings
  // become violations: "6-month" from 2026-03-31 is 2026-09-30 (the month's
  // last day when it has no 31st).
  Date end_from(Date start) const;
};
std::optional<TransitionPeriod> transition_period(const Constitution& constitution);

// Why a clause's findings are new.
enum class TransitionCause : std::uint8_t {
  added,      // the clause did not exist
  tightened,  // a parameter tightened or the keyword strengthened: findings the old wording also had stay violations
  redefined,  // the keyword now forbids what it required (or the reverse): every finding is new
};
std::string_view to_string(TransitionCause cause);

struct Transition {
  std::string clause_id;           // in the newest version
  TransitionCause cause = TransitionCause::added;
  std::string change;              // "added", "a parameter tightened: 80% → 85%"
  std::string version;             // the version that made the change, "" when it has no footer
  Date starts;
  Date ends;                       // the day its findings become violations
  std::string counted_from;        // "Last Amended 2026-06-01", "commit 1a2b3c4 (2026-06-03)"
  std::size_t previous_version = 0;  // index (in the versions given) of the version before the change
  std::string previous_clause_id;  // the clause in that version, "" when added

  // "clause added in 2.1.0; the 6-month transition period counts from Last
  // Amended 2026-06-01", for a finding's "warning until <ends>: ...".
  std::string reason(const TransitionPeriod& period) const;
};

// One version of the constitution as history has it.
struct ConstitutionVersion {
  const Constitution* document = nullptr;
  std::optional<Date> committed;  // the commit that made it, nullopt for the working tree
  std::string source;             // "commit 1a2b3c4", "working tree", "--transition-from old.md"
};

struct TransitionSchedule {
  std::optional<TransitionPeriod> period;  // of the newest version; none: no transitions
  std::map<std::string, Transition, std::less<>> by_clause;  // running on the schedule's date

  // The transition of `clause_id` still running, or null.
  const Transition* find(std::string_view clause_id) const;
  bool empty() const { return by_clause.empty(); }
};

// The transitions running on `today`, from versions newest first
// (versions[0] is the one in force). Each consecutive pair is one amendment;
// a clause's id is followed through later amendments to its id in the newest
// version, and a clause changed twice keeps the later transition. Stops at
// the first amendment whose transition has ended (older ones ended earlier).
TransitionSchedule schedule_transitions(std::span<const ConstitutionVersion> newest_first, Date today);

}  // namespace constable::constitution
