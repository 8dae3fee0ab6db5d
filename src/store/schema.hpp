#pragma once
// The store's schema as numbered migrations, the same for every backend (the
// SQL uses only what SQLite and PostgreSQL share: INTEGER, BIGINT, TEXT).
// A store holds the number of the last migration applied; opening it applies
// the rest in order, each in its own transaction. Never edit a migration
// that has shipped: add the next one.

#include <array>
#include <string_view>

namespace constable::store {

struct Migration {
  int version;
  std::string_view sql;  // statements separated by ';'
};

// The violations table's columns in the order every backend reads and
// writes them (Violation's fields).
inline constexpr std::string_view kViolationColumns =
    "id, repository, check_id, clause_id, fingerprint, severity, path, line, message, first_seen_run, "
    "first_seen_commit, first_seen, last_seen_run, transition_until, due, status, fixed_run, fixed_commit, fixed_on, "
    "reopened, waiver_owner, waiver_expires";

inline constexpr std::array kMigrations{
    Migration{1, R"sql(
CREATE TABLE runs (
  id BIGINT PRIMARY KEY,
  started_at TEXT NOT NULL,
  run_date TEXT NOT NULL,
  constitution_path TEXT NOT NULL,
  constitution_version TEXT NOT NULL,
  constitution_sha256 TEXT NOT NULL,
  constable_version TEXT NOT NULL,
  finished INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE repository_runs (
  run_id BIGINT NOT NULL REFERENCES runs(id),
  repository TEXT NOT NULL,
  team TEXT NOT NULL,
  source TEXT NOT NULL,
  commit_id TEXT NOT NULL,
  error TEXT NOT NULL,
  clauses INTEGER NOT NULL,
  clauses_enforced INTEGER NOT NULL,
  clauses_attested INTEGER NOT NULL,
  files_checked INTEGER NOT NULL,
  PRIMARY KEY (run_id, repository)
);
CREATE TABLE violations (
  id BIGINT PRIMARY KEY,
  repository TEXT NOT NULL,
  check_id TEXT NOT NULL,
  clause_id TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  severity TEXT NOT NULL,
  path TEXT NOT NULL,
  line INTEGER NOT NULL,
  message TEXT NOT NULL,
  first_seen_run BIGINT NOT NULL REFERENCES runs(id),
  first_seen_commit TEXT NOT NULL,
  first_seen TEXT NOT NULL,
  last_seen_run BIGINT NOT NULL REFERENCES runs(id),
  transition_until TEXT,
  due TEXT NOT NULL,
  status TEXT NOT NULL,
  fixed_run BIGINT,
  fixed_commit TEXT NOT NULL,
  fixed_on TEXT,
  reopened INTEGER NOT NULL,
  waiver_owner TEXT NOT NULL,
  waiver_expires TEXT
);
CREATE INDEX violations_by_repository ON violations (repository, status)
)sql"},
};

}  // namespace constable::store
