#pragma once
// Where `constable audit` remembers: every run, every repository's commit and
// coverage in it, and every violation ever seen with when it was first seen,
// when it is due, and whether and when it was fixed. One interface, one
// schema (store/schema.hpp), backends chosen by URL: SQLite
// (sqlite:///path/audit.db, or a plain path) and PostgreSQL
// (postgresql://user@host/database, a libpq connection URI).

#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "core/date.hpp"
#include "core/error.hpp"
#include "core/types.hpp"

namespace constable::store {

struct Run {
  std::int64_t id = 0;
  std::string started_at;  // ISO 8601, UTC
  Date run_date;           // the date due dates and lateness count from
  std::string constitution_path;
  std::string constitution_version;  // "" without a footer
  std::string constitution_sha256;
  std::string constable_version;
  bool finished = false;  // false: interrupted, or still going
};

// One repository as one run audited it.
struct RepositoryRun {
  std::int64_t run = 0;
  std::string repository;  // its name in the fleet
  std::string team;        // "" when the fleet names none
  std::string source;      // the absolute path or URL it was read from
  std::string commit;      // "" outside git
  std::string error;       // why it could not be audited; "" when it was
  std::size_t clauses = 0, clauses_enforced = 0, clauses_attested = 0, files_checked = 0;
};

enum class Status : std::uint8_t { open, fixed, waived, clause_removed };
std::string_view to_string(Status status);
std::optional<Status> parse_status(std::string_view text);

// A violation across runs: one finding, followed by its fingerprint.
struct Violation {
  std::int64_t id = 0;  // 0 until stored
  std::string repository;
  std::string check_id;
  std::string clause_id;
  std::string fingerprint;
  Severity severity = Severity::medium;
  std::string path;  // where it was last seen
  int line = 0;
  std::string message;
  std::int64_t first_seen_run = 0;
  std::string first_seen_commit;
  Date first_seen;
  std::int64_t last_seen_run = 0;
  std::optional<Date> transition_until;  // a deprecation warning until then (constitution/transition.hpp)
  Date due;
  Status status = Status::open;
  std::int64_t fixed_run = 0;  // 0 unless fixed
  std::string fixed_commit;
  std::optional<Date> fixed_on;
  int reopened = 0;  // how often it came back after a fix
  std::string waiver_owner;
  std::optional<Date> waiver_expires;

  // Open, past its due date on `today`, and not in a transition period.
  bool overdue(Date today) const {
    return status == Status::open && due < today && (!transition_until || *transition_until <= today);
  }
};

class Store {
 public:
  virtual ~Store() = default;
  virtual Result<std::int64_t> begin_run(const Run& run) = 0;
  virtual Result<void> finish_run(std::int64_t run) = 0;
  // The violations ever recorded for `repository`, any status.
  virtual Result<std::vector<Violation>> violations_of(std::string_view repository) = 0;
  // One repository's audit in one transaction: its run record and every
  // violation it changed (id 0: a new one). An interrupted write leaves the
  // store as it was before.
  virtual Result<void> record(const RepositoryRun& audited, const std::vector<Violation>& changed) = 0;
  virtual Result<std::vector<Run>> runs() = 0;                       // oldest first
  virtual Result<std::vector<RepositoryRun>> repository_runs() = 0;  // by run, then name
  virtual Result<std::vector<Violation>> all_violations() = 0;       // by repository, then id
  virtual std::string describe() const = 0;                          // "sqlite:///path/audit.db", for messages
};

// "sqlite:///abs/path.db", "sqlite://relative.db", or a path: SQLite, the
// file and its directory created when missing. "postgresql://..." or
// "postgres://...": PostgreSQL, the database already created. Either way the
// schema is migrated to the current version. Another scheme is an error
// that names the ones known.
Result<std::unique_ptr<Store>> open_store(std::string_view url);

}  // namespace constable::store
