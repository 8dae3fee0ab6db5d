// The store's contract, run against every backend: SQLite in a temporary
// file, PostgreSQL in a database of its own on a server the tests start
// (support/postgres_server.hpp). Then what only one backend has: SQLite's
// plain paths, PostgreSQL's concurrent writers and its redacted passwords.

#include <sqlite3.h>

#include <cstdlib>
#include <set>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>

#include "store/libpq.hpp"
#include "store/postgres_store.hpp"
#include "store/schema.hpp"
#include "store/store.hpp"
#include "support/postgres_server.hpp"
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

RepositoryRun repository_in(std::int64_t run, std::string_view name = "payments") {
  RepositoryRun audited;
  audited.run = run;
  audited.repository = std::string(name);
  return audited;
}

Violation a_violation(std::int64_t run, std::string_view path, std::string_view repository = "payments") {
  Violation v;
  v.repository = std::string(repository);
  v.check_id = "docker/non-root-user";
  v.clause_id = "docker/non-root";
  v.fingerprint = "0123456789abcdef";
  v.severity = Severity::critical;
  v.path = std::string(path);
  v.line = 3;
  v.message = "final stage runs as root: \"quotes\", 'apostrophes'; and -- dashes";
  v.first_seen_run = run;
  v.first_seen_commit = "abc";
  v.first_seen = *Date::parse("2026-11-01");
  v.last_seen_run = run;
  v.due = *Date::parse("2026-11-02");
  v.transition_until = Date::parse("2027-05-01");
  v.waiver_expires = std::nullopt;
  return v;
}

// A fresh, empty store of the backend the parameter names, and a way to
// look into its database behind the store's back.
class StoreTest : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      file_ = dir_.path() / "nested" / "audit.db";
      url_ = "sqlite://" + file_.string();
      return;
    }
    CONSTABLE_REQUIRE_POSTGRES(server);
    std::string why;
    url_ = server->create_database(&why);
    ASSERT_FALSE(url_.empty()) << why;
  }

  // The first column of the first row of `sql`; -1 when it fails.
  long long scalar(const std::string& sql) const {
    if (GetParam() != "sqlite") {
      std::string why;
      const auto row = ct::postgres_query(url_, sql, &why);
      EXPECT_TRUE(why.empty()) << why;
      if (row.empty()) return why.empty() ? 0 : -1;  // a statement without rows
      return std::atoll(row.front().c_str());
    }
    sqlite3* db = nullptr;
    long long value = -1;
    if (sqlite3_open(file_.c_str(), &db) == SQLITE_OK) {
      sqlite3_stmt* select = nullptr;
      if (sqlite3_prepare_v2(db, sql.c_str(), -1, &select, nullptr) == SQLITE_OK) {
        const int rc = sqlite3_step(select);
        if (rc == SQLITE_ROW) value = sqlite3_column_int64(select, 0);
        if (rc == SQLITE_DONE) value = 0;  // a statement without rows
      }
      sqlite3_finalize(select);
    }
    sqlite3_close(db);
    return value;
  }

  ct::TempDir dir_;
  std::filesystem::path file_;  // SQLite's
  std::string url_;
};

TEST_P(StoreTest, KeepsRunsRepositoriesAndViolationsAcrossOpenings) {
  {
    auto store = open_store(url_);
    ASSERT_TRUE(store) << store.error().to_string();
    auto run = (*store)->begin_run(a_run("2026-11-01"));
    ASSERT_TRUE(run) << run.error().to_string();
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
    ASSERT_TRUE((*store)->record(repository_in(*run, "Zeta"), {}));  // upper case sorts first, as bytes do
    ASSERT_TRUE((*store)->finish_run(*run));
  }
  auto store = open_store(url_);
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ((*store)->describe(), GetParam() == "sqlite" ? url_ : redact_postgres_url(url_));
  const auto runs = (*store)->runs();
  ASSERT_TRUE(runs);
  ASSERT_EQ(runs->size(), 1U);
  EXPECT_TRUE(runs->front().finished);
  EXPECT_EQ(runs->front().constitution_version, "2.0.0");
  EXPECT_EQ(runs->front().run_date, Date::parse("2026-11-01"));
  EXPECT_EQ(runs->front().started_at, "2026-11-01T02:00:00Z");
  const auto audited = (*store)->repository_runs();
  ASSERT_TRUE(audited);
  ASSERT_EQ(audited->size(), 2U);
  EXPECT_EQ(audited->front().repository, "Zeta");
  EXPECT_EQ(audited->back().clauses_enforced, 39U);
  EXPECT_EQ(audited->back().files_checked, 23U);
  EXPECT_EQ(audited->back().team, "pay");
  auto violations = (*store)->violations_of("payments");
  ASSERT_TRUE(violations);
  ASSERT_EQ(violations->size(), 2U);
  const Violation& first = violations->front();
  EXPECT_EQ(first.id, 1);
  EXPECT_EQ(first.severity, Severity::critical);
  EXPECT_EQ(first.message, a_violation(1, "").message);
  EXPECT_EQ(first.transition_until, Date::parse("2027-05-01"));
  EXPECT_EQ(first.due, Date::parse("2026-11-02"));
  EXPECT_FALSE(first.waiver_expires);
  EXPECT_EQ(first.fixed_run, 0);
  EXPECT_EQ(violations->back().id, 2);
  EXPECT_EQ(violations->back().path, "api/Dockerfile");
  EXPECT_TRUE((*store)->violations_of("another")->empty());

  // An update keeps the id; a second run numbers on.
  auto second = (*store)->begin_run(a_run("2026-11-08"));
  ASSERT_TRUE(second);
  EXPECT_EQ(*second, 2);
  Violation fixed = first;
  fixed.status = Status::fixed;
  fixed.fixed_run = *second;
  fixed.fixed_on = Date::parse("2026-11-08");
  fixed.waiver_owner = "lead@example.com";
  fixed.waiver_expires = Date::parse("2026-12-31");
  ASSERT_TRUE((*store)->record(repository_in(*second), {fixed, a_violation(*second, "web/Dockerfile")}));
  violations = (*store)->violations_of("payments");
  ASSERT_EQ(violations->size(), 3U);
  EXPECT_EQ(violations->front().status, Status::fixed);
  EXPECT_EQ(violations->front().fixed_run, *second);
  EXPECT_EQ(violations->front().fixed_on, Date::parse("2026-11-08"));
  EXPECT_EQ(violations->front().waiver_expires, Date::parse("2026-12-31"));
  EXPECT_EQ(violations->back().id, 3);
  EXPECT_FALSE((*store)->runs()->back().finished);
  const auto everything = (*store)->all_violations();
  ASSERT_TRUE(everything);
  EXPECT_EQ(everything->size(), 3U);
}

TEST_P(StoreTest, ARepositoryIsRecordedWholeOrNotAtAll) {
  auto store = open_store(url_);
  ASSERT_TRUE(store) << store.error().to_string();
  const auto run = (*store)->begin_run(a_run("2026-11-01"));
  ASSERT_TRUE((*store)->record(repository_in(*run), {a_violation(*run, "Dockerfile")}));
  // The same repository twice in one run breaks the primary key: nothing of
  // the second attempt may remain, its violation included.
  const auto again = (*store)->record(repository_in(*run), {a_violation(*run, "other")});
  EXPECT_FALSE(again);
  EXPECT_EQ((*store)->violations_of("payments")->size(), 1U);
  // A violation that breaks a constraint (a run that does not exist) takes
  // its repository's record with it, and the store goes on working.
  Violation orphan = a_violation(*run, "Dockerfile", "shop");
  orphan.first_seen_run = 99;
  EXPECT_FALSE((*store)->record(repository_in(*run, "shop"), {a_violation(*run, "ok", "shop"), orphan}));
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM repository_runs WHERE repository = 'shop'"), 0);
  EXPECT_TRUE((*store)->violations_of("shop")->empty());
  EXPECT_TRUE((*store)->record(repository_in(*run, "shop"), {a_violation(*run, "ok", "shop")}));
  EXPECT_EQ((*store)->violations_of("shop")->size(), 1U);
}

TEST_P(StoreTest, MigratesOnceAndRefusesANewerSchema) {
  ASSERT_TRUE(open_store(url_));
  ASSERT_TRUE(open_store(url_));  // already current: nothing applied twice
  EXPECT_EQ(scalar("SELECT COUNT(*) FROM schema_version"), static_cast<long long>(kMigrations.size()));
  EXPECT_EQ(scalar("SELECT MAX(version) FROM schema_version"), kMigrations.back().version);
  ASSERT_EQ(scalar("INSERT INTO schema_version (version) VALUES (999)"), 0);
  const auto newer = open_store(url_);
  ASSERT_FALSE(newer);
  EXPECT_NE(newer.error().message.find("newer than this constable knows"), std::string::npos) << newer.error().message;
}

INSTANTIATE_TEST_SUITE_P(Backends, StoreTest, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& backend) { return backend.param; });

TEST(SqliteStore, APlainPathIsSqlite) {
  ct::TempDir dir;
  const auto file = dir.path() / "audit.db";
  auto store = open_store(file.string());
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ((*store)->describe(), "sqlite://" + file.string());
  EXPECT_TRUE(std::filesystem::exists(file));
}

TEST(SqliteStore, UnknownSchemesAndUnopenableFilesAreErrors) {
  const auto mysql = open_store("mysql://db/audit");
  ASSERT_FALSE(mysql);
  EXPECT_NE(mysql.error().message.find("unknown store 'mysql://'"), std::string::npos);
  EXPECT_NE(mysql.error().message.find("postgresql://"), std::string::npos) << mysql.error().message;
  EXPECT_FALSE(open_store("sqlite://"));
  ct::TempDir dir;
  dir.write("not-a-db", "plain text, not SQLite");
  EXPECT_FALSE(open_store((dir.path() / "not-a-db").string()));
}

// The store loads libpq when it opens: a library that is missing, or that is
// no libpq, is an error naming it and what to install; libpq5 loads whole.
TEST(PostgresStore, LoadsLibpqOrSaysWhatIsMissing) {
  const auto absent = load_libpq("/nonexistent/libpq.so.5");
  ASSERT_FALSE(absent);
  EXPECT_NE(absent.error().message.find("cannot load libpq (/nonexistent/libpq.so.5)"), std::string::npos)
      << absent.error().message;
  EXPECT_NE(absent.error().message.find("libpq5"), std::string::npos) << absent.error().message;
  EXPECT_NE(absent.error().message.find(kLibPqVariable), std::string::npos) << absent.error().message;
  const auto not_libpq = load_libpq("libc.so.6");
  ASSERT_FALSE(not_libpq);
  EXPECT_NE(not_libpq.error().message.find("it has no PQclear"), std::string::npos) << not_libpq.error().message;
  const auto loaded = load_libpq("libpq.so.5");
  ASSERT_TRUE(loaded) << loaded.error().message;
  EXPECT_NE(loaded->PQstatus, nullptr);
  EXPECT_NE(loaded->PQconnectdbParams, nullptr);
}

TEST(PostgresStore, RedactsThePasswordOfAUrl) {
  EXPECT_EQ(redact_postgres_url("postgresql://audit:s3cr%40t@db.example.com:5432/fleet?sslmode=require"),
            "postgresql://audit:***@db.example.com:5432/fleet?sslmode=require");
  EXPECT_EQ(redact_postgres_url("postgres://audit@db/fleet?password=hunter2&sslmode=verify-full"),
            "postgres://audit@db/fleet?password=***&sslmode=verify-full");
  EXPECT_EQ(redact_postgres_url("postgresql://a:b@h?password=c"), "postgresql://a:***@h?password=***");
  EXPECT_EQ(redact_postgres_url("postgresql://db.example.com/fleet"), "postgresql://db.example.com/fleet");
  EXPECT_EQ(redact_postgres_url("postgresql://audit@[::1]:5432/fleet"), "postgresql://audit@[::1]:5432/fleet");
}

// Whatever fails, the message names where (host, port, database) and why,
// and never the password: in the URL's user part, in its parameters, in
// PGPASSWORD.
TEST(PostgresStore, ConnectionErrorsNameTheServerButNeverThePassword) {
  CONSTABLE_REQUIRE_POSTGRES(server);
  const std::string database = server->create_database();
  ASSERT_FALSE(database.empty());
  const std::string name = database.substr(database.rfind('/') + 1);

  const std::string wrong = "Wr0ng-pass%40word";
  const auto refused = open_store(server->url(name, wrong));
  ASSERT_FALSE(refused);
  const std::string message = refused.error().to_string();
  EXPECT_NE(message.find("127.0.0.1"), std::string::npos) << message;
  EXPECT_NE(message.find(name), std::string::npos) << message;
  EXPECT_NE(message.find("password authentication failed"), std::string::npos) << message;
  EXPECT_EQ(message.find("Wr0ng"), std::string::npos) << message;

  // Nobody listening; a password given as a parameter; a malformed URL.
  const auto closed = open_store(fmt::format("postgresql://constable@127.0.0.1:1/{}?password=Zz-secret-9", name));
  ASSERT_FALSE(closed);
  EXPECT_NE(closed.error().to_string().find("127.0.0.1:1"), std::string::npos) << closed.error().to_string();
  EXPECT_EQ(closed.error().to_string().find("Zz-secret-9"), std::string::npos) << closed.error().to_string();
  const auto malformed = open_store("postgresql://constable:Qq-secret-7@127.0.0.1:notaport/x");
  ASSERT_FALSE(malformed);
  EXPECT_EQ(malformed.error().to_string().find("Qq-secret-7"), std::string::npos) << malformed.error().to_string();

  // The right password from the environment, as the Kubernetes manifests give it.
  ::setenv("PGPASSWORD", server->password().c_str(), 1);
  const auto from_environment = open_store(fmt::format("postgresql://constable@127.0.0.1:{}/{}", server->port(), name));
  EXPECT_TRUE(from_environment) << from_environment.error().to_string();
  const auto missing = open_store(fmt::format("postgresql://constable@127.0.0.1:{}/no_such_db", server->port()));
  ::unsetenv("PGPASSWORD");
  ASSERT_FALSE(missing);
  EXPECT_NE(missing.error().to_string().find("no_such_db"), std::string::npos) << missing.error().to_string();
  EXPECT_EQ(missing.error().to_string().find(server->password()), std::string::npos) << missing.error().to_string();

  auto store = open_store(database);
  ASSERT_TRUE(store) << store.error().to_string();
  EXPECT_EQ((*store)->describe().find(server->password()), std::string::npos);
  EXPECT_NE((*store)->describe().find(":***@127.0.0.1"), std::string::npos) << (*store)->describe();
}

// The pods of a sharded audit: each opens the store at the same moment (the
// migrations race) and writes its own repositories while the others do. No
// id is given twice, nothing is lost, the schema is migrated once.
TEST(PostgresStore, ConcurrentWritersNeverShareAnIdOrMigrateTwice) {
  CONSTABLE_REQUIRE_POSTGRES(server);
  const std::string url = server->create_database();
  ASSERT_FALSE(url.empty());
  constexpr int kWriters = 6, kRepositories = 8, kViolations = 5;
  std::vector<std::string> errors(kWriters);
  std::vector<std::thread> writers;
  for (int w = 0; w < kWriters; ++w) {
    writers.emplace_back([&, w] {
      auto store = open_store(url);
      if (!store) {
        errors[w] = store.error().to_string();
        return;
      }
      auto run = (*store)->begin_run(a_run("2026-11-01"));
      if (!run) {
        errors[w] = run.error().to_string();
        return;
      }
      for (int r = 0; r < kRepositories; ++r) {
        const std::string name = fmt::format("repo-{}-{}", w, r);
        std::vector<Violation> found;
        for (int v = 0; v < kViolations; ++v) found.push_back(a_violation(*run, fmt::format("f{}", v), name));
        if (auto ok = (*store)->record(repository_in(*run, name), found); !ok) {
          errors[w] = ok.error().to_string();
          return;
        }
      }
      if (auto ok = (*store)->finish_run(*run); !ok) errors[w] = ok.error().to_string();
    });
  }
  for (auto& t : writers) t.join();
  for (const auto& e : errors) EXPECT_TRUE(e.empty()) << e;

  auto store = open_store(url);
  ASSERT_TRUE(store);
  const auto runs = (*store)->runs();
  ASSERT_EQ(runs->size(), static_cast<std::size_t>(kWriters));
  for (std::size_t i = 0; i < runs->size(); ++i) {
    EXPECT_EQ((*runs)[i].id, static_cast<std::int64_t>(i + 1));
    EXPECT_TRUE((*runs)[i].finished);
  }
  EXPECT_EQ((*store)->repository_runs()->size(), static_cast<std::size_t>(kWriters * kRepositories));
  const auto violations = (*store)->all_violations();
  ASSERT_EQ(violations->size(), static_cast<std::size_t>(kWriters * kRepositories * kViolations));
  std::set<std::int64_t> ids;
  for (const auto& v : *violations) ids.insert(v.id);
  EXPECT_EQ(ids.size(), violations->size());
  EXPECT_EQ(*ids.rbegin(), static_cast<std::int64_t>(violations->size()));
  const auto migrations = ct::postgres_query(url, "SELECT COUNT(*) FROM schema_version");
  ASSERT_EQ(migrations.size(), 1U);
  EXPECT_EQ(migrations.front(), std::to_string(kMigrations.size()));
}

}  // namespace
}  // namespace constable::store
