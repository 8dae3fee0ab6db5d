#include <sqlite3.h>

#include <gtest/gtest.h>

#include "store/schema.hpp"
#include "store/store.hpp"
#include "support/test_support.hpp"

namespace constable::store {
namespace {

namespace ct = constable::testing;

Run a_run(std::string_view date) {
  Run run;
  run.started_at = std::string(date) + "T02:00:00Z";
  run.run_date = *Date::parse(date);
  run.constitution_path = "CONSTITUTION.md";
  run.constitution_version = "2.0.0";
  run.constitution_sha256 = std::string(64, 'a');
  run.constable_version = "0.1.0";
  return run;
}

RepositoryRun payments_in(std::int64_t run) {
  RepositoryRun audited;
  audited.run = run;
  audited.repository = "payments";
  return audited;
}

Violation a_violation(std::int64_t run, std::string_view path) {
  Violation v;
  v.repository = "payments";
  v.check_id = "docker/non-root-user";
  v.clause_id = "docker/non-root";
  v.fingerprint = "0123456789abcdef";
  v.severity = Severity::critical;
  v.path = std::string(path);
  v.line = 3;
  v.message = "final stage runs as root";
  v.first_seen_run = run;
  v.first_seen_commit = "abc";
  v.first_seen = *Date::parse("2026-11-01");
  v.last_seen_run = run;
  v.due = *Date::parse("2026-11-02");
  v.transition_until = Date::parse("2027-05-01");
  v.waiver_expires = std::nullopt;
  return v;
}

TEST(SqliteStore, KeepsRunsRepositoriesAndViolationsAcrossOpenings) {
  ct::TempDir dir;
  const auto file = dir.path() / "nested" / "audit.db";
  {
    auto store = open_store("sqlite://" + file.string());
    ASSERT_TRUE(store) << store.error().to_string();
    auto run = (*store)->begin_run(a_run("2026-11-01"));
    ASSERT_TRUE(run);
    EXPECT_EQ(*run, 1);
    RepositoryRun audited{.run = *run,
                          .repository = "payments",
                          .team = "pay",
                          .source = "/src/payments",
                          .commit = "abc",
                          .error = {},
                          .clauses = 63,
                          .clauses_enforced = 39,
                          .clauses_attested = 2,
                          .files_checked = 23};
    ASSERT_TRUE((*store)->record(audited, {a_violation(*run, "Dockerfile"), a_violation(*run, "api/Dockerfile")}));
    ASSERT_TRUE((*store)->finish_run(*run));
  }
  auto store = open_store(file.string());  // a plain path is SQLite too
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ((*store)->describe(), "sqlite://" + file.string());
  const auto runs = (*store)->runs();
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 1U);
  EXPECT_TRUE(runs->front().finished);
  EXPECT_EQ(runs->front().constitution_version, "2.0.0");
  const auto audited = (*store)->repository_runs();
  ASSERT_TRUE(audited);
  ASSERT_EQ(audited->size(), 1U);
  EXPECT_EQ(audited->front().clauses_enforced, 39U);
  EXPECT_EQ(audited->front().team, "pay");
  auto violations = (*store)->violations_of("payments");
  ASSERT_TRUE(violations);
  ASSERT_EQ(violations->size(), 2U);
  const Violation& first = violations->front();
  EXPECT_EQ(first.id, 1);
  EXPECT_EQ(first.severity, Severity::critical);
  EXPECT_EQ(first.transition_until, Date::parse("2027-05-01"));
  EXPECT_FALSE(first.waiver_expires);
  EXPECT_EQ(first.fixed_run, 0);
  EXPECT_TRUE((*store)->violations_of("another")->empty());

  // An update keeps the id; a second run numbers on.
  auto second = (*store)->begin_run(a_run("2026-11-08"));
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, 2);
  Violation fixed = first;
  fixed.status = Status::fixed;
  fixed.fixed_run = *second;
  fixed.fixed_on = Date::parse("2026-11-08");
  ASSERT_TRUE((*store)->record(payments_in(*second), {fixed}));
  violations = (*store)->violations_of("payments");
  ASSERT_EQ(violations->size(), 2U);
  EXPECT_EQ(violations->front().status, Status::fixed);
  EXPECT_EQ(violations->front().fixed_on, Date::parse("2026-11-08"));
  EXPECT_FALSE((*store)->runs()->back().finished);
}

TEST(SqliteStore, ARepositoryIsRecordedWholeOrNotAtAll) {
  ct::TempDir dir;
  auto store = open_store((dir.path() / "audit.db").string());
  ASSERT_TRUE(store);
  const auto run = (*store)->begin_run(a_run("2026-11-01"));
  ASSERT_TRUE((*store)->record(payments_in(*run), {a_violation(*run, "Dockerfile")}));
  // The same repository twice in one run breaks the primary key: nothing of
  // the second attempt may remain, its violation included.
  const auto again = (*store)->record(payments_in(*run), {a_violation(*run, "other")});
  EXPECT_FALSE(again);
  EXPECT_EQ((*store)->violations_of("payments")->size(), 1U);
}

TEST(SqliteStore, MigratesOnceAndRefusesANewerSchema) {
  ct::TempDir dir;
  const auto file = dir.path() / "audit.db";
  ASSERT_TRUE(open_store(file.string()));
  ASSERT_TRUE(open_store(file.string()));  // already current: nothing applied twice
  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open(file.c_str(), &db), SQLITE_OK);
  sqlite3_stmt* count = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "SELECT COUNT(*), MAX(version) FROM schema_version", -1, &count, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(count), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(count, 0), static_cast<int>(kMigrations.size()));
  EXPECT_EQ(sqlite3_column_int(count, 1), kMigrations.back().version);
  sqlite3_finalize(count);
  ASSERT_EQ(sqlite3_exec(db, "INSERT INTO schema_version (version) VALUES (999)", nullptr, nullptr, nullptr),
            SQLITE_OK);
  sqlite3_close(db);
  const auto newer = open_store(file.string());
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message.find("newer than this constable knows"), std::string::npos) << newer.error().message;
}

TEST(SqliteStore, UnknownSchemesAndUnopenableFilesAreErrors) {
  const auto postgres = open_store("mysql://db/audit");
  ASSERT_FALSE(postgres);
  EXPECT_NE(postgres.error().message.find("unknown store 'mysql://'"), std::string::npos);
  EXPECT_FALSE(open_store("sqlite://"));
  ct::TempDir dir;
  dir.write("not-a-db", "plain text, not SQLite");
  EXPECT_FALSE(open_store((dir.path() / "not-a-db").string()));
}

}  // namespace
}  // namespace constable::store
