#pragma once
// `constable audit report`: what the store remembers, per repository and per
// team, as of its latest run: open and overdue violations (oldest due date
// first, with how many days late), new and fixed since the run before, the
// open count over the last runs, mean time to remediate per severity and
// how much of the constitution each repository's run enforced.

#include <array>
#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "core/error.hpp"
#include "store/store.hpp"

namespace constable::audit {

inline constexpr std::size_t kTrendRuns = 10;

struct RepositoryStatus {
  std::string name;
  std::string team;
  std::string commit;
  std::string source;  // the path or URL its latest audit read it from
  std::string error;  // of its latest audit
  std::int64_t last_run = 0;
  std::array<std::size_t, 4> open_by_severity{};  // indexed by Severity
  std::size_t open = 0, overdue = 0, waived = 0, new_since_last = 0, fixed_since_last = 0;
  std::size_t in_transition = 0;          // open deprecation warnings: their clause's transition has not ended
  std::optional<Date> first_transition_end;  // the earliest day one of them becomes a violation
  std::size_t clauses = 0, clauses_enforced = 0, clauses_attested = 0;
  std::vector<std::size_t> trend;  // open violations after each of the last runs, oldest first
  std::vector<store::Violation> violations;  // open and waived, by clause, path and line (the dashboard's page)
};

struct TeamStatus {
  std::string team;  // "" for repositories without one
  std::size_t repositories = 0, open = 0, overdue = 0, new_since_last = 0, fixed_since_last = 0;
};

struct Remediation {
  std::size_t fixed = 0;
  double mean_days = 0;
};

// The fleet after one run: what was open then, and what was already overdue
// on that run's date.
struct RunPoint {
  std::int64_t run = 0;
  Date date;
  std::array<std::size_t, 4> open_by_severity{};  // indexed by Severity
  std::size_t open = 0, overdue = 0;
};

// One repository that breaks a clause, and since when.
struct ClauseBreach {
  std::string repository;
  std::string team;
  std::size_t open = 0, overdue = 0;
  Date since;  // the earliest first sighting of its open violations of the clause
  std::int64_t since_run = 0;
};

// A clause with open violations somewhere in the fleet.
struct ClauseStatus {
  std::string clause;               // "" for findings without one (parse errors)
  std::vector<std::string> checks;  // the checks that found them, sorted
  Severity severity = Severity::low;  // the most severe of them
  std::size_t open = 0, overdue = 0;
  std::vector<ClauseBreach> repositories;  // longest-standing first
};

struct AuditReport {
  std::optional<store::Run> latest;  // none: the store has no run yet
  std::size_t runs = 0;
  Date today;
  std::vector<RepositoryStatus> repositories;  // by name
  std::vector<TeamStatus> teams;               // by team
  std::vector<store::Violation> overdue;       // most days late first
  std::array<Remediation, 4> remediation{};    // indexed by Severity
  std::vector<ClauseStatus> clauses;           // most open violations first
  std::vector<RunPoint> fleet_trend;           // the last kFleetTrendRuns runs, oldest first
};

inline constexpr std::size_t kFleetTrendRuns = 30;

struct ReportFilter {
  std::optional<std::string> team;
  std::optional<std::string> repository;
};

Result<AuditReport> build_report(store::Store& store, Date today, const ReportFilter& filter = {});

std::string render_report_text(const AuditReport& report);
std::string render_report_markdown(const AuditReport& report);
std::string render_report_json(const AuditReport& report);

// The fleet's totals over the report's repositories: what the dashboard's
// overview shows and its JSON serves.
struct FleetTotals {
  std::size_t open = 0, overdue = 0, new_since_last = 0, fixed_since_last = 0, waived = 0, in_transition = 0;
  std::array<std::size_t, 4> open_by_severity{}, overdue_by_severity{};  // indexed by Severity
  std::optional<Date> first_transition_end;
};
FleetTotals fleet_totals(const AuditReport& report);

// Days from `from` to `to` (negative when `to` is earlier).
long days_between(Date from, Date to);
// One violation as the report's JSON and the dashboard's API show it.
nlohmann::ordered_json violation_json(const store::Violation& v, Date today);

}  // namespace constable::audit
