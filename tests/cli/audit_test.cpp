// `constable audit` end to end: repositories audited into a store over
// several runs, what the report makes of it, and a store that survives a
// kill -9 in the middle of an audit; in SQLite, and in PostgreSQL on a
// server the tests start (support/postgres_server.hpp), where sharded
// audits write one store at once.

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <functional>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"
#include "support/postgres_server.hpp"

namespace constable::testing {
namespace {

using nlohmann::json;

constexpr std::string_view kConstitution =
    "# C\n\n## Docker Standards\n\n### Dockerfile Requirements\n- Non-root user MUST be specified\n"
    "- Multi-stage builds MUST be used for optimization\n";
constexpr std::string_view kRootImage =
    "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\n";
constexpr std::string_view kNonRootImage =
    "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\nUSER 10001\n";

json report_of(const std::string& store, std::string_view today, std::vector<std::string> more = {}) {
  std::vector<std::string> args{"audit", "report", "--store", store, "--format", "json", "--today", std::string(today)};
  args.insert(args.end(), more.begin(), more.end());
  const auto r = constable(args);
  EXPECT_EQ(r.exit_code, 0) << r.err;
  return json::parse(r.out, nullptr, false);
}

json report_of(const TempDir& dir, std::string_view today, std::vector<std::string> more = {}) {
  return report_of((dir.path() / "audit.db").string(), today, std::move(more));
}

const json& repository(const json& report, std::string_view name) {
  for (const auto& r : report["repositories"])
    if (r["name"] == name) return r;
  static const json none;
  ADD_FAILURE() << "no repository " << name << " in " << report.dump(2);
  return none;
}

// The same audits into either backend: the parameter names it.
class AuditInto : public ::testing::TestWithParam<std::string> {
 protected:
  void SetUp() override {
    if (GetParam() == "sqlite") {
      store_ = (dir_.path() / "audit.db").string();
      shown_ = "sqlite://" + store_;
      return;
    }
    CONSTABLE_REQUIRE_POSTGRES(server);
    std::string why;
    store_ = server->create_database(&why);
    ASSERT_FALSE(store_.empty()) << why;
    shown_ = fmt::format("postgresql://constable:***@127.0.0.1:{}/", server->port());
  }
  TempDir dir_;
  std::string store_;  // the --store argument
  std::string shown_;  // how the audit names it: the start of it, the password redacted
};
INSTANTIATE_TEST_SUITE_P(Backends, AuditInto, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& backend) { return backend.param; });

TEST_P(AuditInto, RemembersEveryViolationAcrossRunsWithItsDueDate) {
  const TempDir& dir = dir_;
  const std::string& store = store_;
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  dir.write("fleet/payments/Dockerfile", kRootImage);
  dir.write("fleet/shop/Dockerfile", kNonRootImage);
  const auto fleet = dir.write("fleet.yaml",
                               "repositories:\n  - path: fleet/payments\n    team: pay\n"
                               "  - path: fleet/shop\n    team: web\n  - path: fleet/gone\n    team: web\n");
  const auto audit = [&](std::string_view today) {
    return constable({"audit", fleet.string(), "--constitution", constitution.string(), "--store", store, "--today",
                      std::string(today)});
  };
  const auto first = audit("2026-11-01");
  EXPECT_EQ(first.exit_code, 1) << first.err;  // one repository could not be audited
  EXPECT_NE(first.out.find("audit run 1 into " + shown_), std::string::npos) << first.out;
  if (GetParam() != "sqlite") {
    EXPECT_EQ(first.out.find(PostgresServer::shared()->password()), std::string::npos);
  }
  EXPECT_NE(first.out.find("2 of 3 repositories audited; 1 opened, 0 reopened, 0 fixed, 0 still open"),
            std::string::npos)
      << first.out;
  EXPECT_NE(first.out.find("  not audited: gone: no such directory"), std::string::npos) << first.out;

  // payments fixes its image; shop breaks its own.
  dir.write("fleet/payments/Dockerfile", kNonRootImage);
  dir.write("fleet/shop/Dockerfile", kRootImage);
  const auto second = audit("2026-11-10");
  EXPECT_NE(second.out.find("1 opened, 0 reopened, 1 fixed, 0 still open"), std::string::npos) << second.out;

  const json report = report_of(store, "2026-11-20");
  EXPECT_EQ(report["runs"], 2);
  EXPECT_EQ(report["latest_run"]["id"], 2);
  EXPECT_EQ(report["latest_run"]["constitution"]["path"], constitution.string());
  const json& payments = repository(report, "payments");
  EXPECT_EQ(payments["open"], 0);
  EXPECT_EQ(payments["fixed_since_last_run"], 1);
  EXPECT_EQ(payments["trend"], json::array({1, 0}));
  EXPECT_EQ(payments["coverage"]["clauses"], 2);
  const json& shop = repository(report, "shop");
  EXPECT_EQ(shop["open"], 1);
  EXPECT_EQ(shop["new_since_last_run"], 1);
  EXPECT_EQ(shop["overdue"], 1);
  EXPECT_EQ(shop["team"], "web");
  EXPECT_EQ(repository(report, "gone")["error"], "no such directory");
  ASSERT_EQ(report["overdue"].size(), 1U);
  const json& late = report["overdue"][0];
  EXPECT_EQ(late["check"], "docker/non-root-user");
  EXPECT_EQ(late["first_seen"], "2026-11-10");
  EXPECT_EQ(late["due"], "2026-11-11");  // critical: 24 hours
  EXPECT_EQ(late["days_late"], 9);
  EXPECT_EQ(report["mean_time_to_remediate"]["critical"]["fixed"], 1);
  EXPECT_EQ(report["mean_time_to_remediate"]["critical"]["mean_days"], 9.0);

  // Per team, and in text.
  const json web = report_of(store, "2026-11-20", {"--team", "web"});
  EXPECT_EQ(web["repositories"].size(), 2U);
  ASSERT_EQ(web["teams"].size(), 1U);
  EXPECT_EQ(web["teams"][0]["overdue"], 1);
  const auto text = constable({"audit", "report", "--store", store, "--today", "2026-11-20"});
  EXPECT_NE(text.out.find("Overdue (1), most days late first:\n  shop  Dockerfile:3  critical  docker/non-root-user  "
                          "due 2026-11-11, 9 days late: "),
            std::string::npos)
      << text.out;
  EXPECT_NE(text.out.find("Mean time to remediate: critical 9.0 days (1 fixed)."), std::string::npos) << text.out;
}

// A clause an amendment added is remembered as a deprecation warning: not
// overdue before its transition ends, and due from that day.
TEST(Audit, ClausesInTransitionAreWarningsNotOverdue) {
  TempDir dir;
  const std::string governance =
      "\n## Governance\n\n### Backward Compatibility\n- Breaking changes require 6-month transition period\n\n";
  dir.write("repo/constitution-1.0.0.md", std::string(kConstitution).substr(0, std::string(kConstitution).find("- Non-root")) +
                                              "- Multi-stage builds MUST be used for optimization\n" + governance +
                                              "**Version**: 1.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03\n");
  dir.write("repo/CONSTITUTION.md", std::string(kConstitution) + governance +
                                        "**Version**: 1.1.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-11-01\n");
  dir.write("repo/.constable.yaml", "previous_constitution: constitution-1.0.0.md\n");
  dir.write("repo/Dockerfile", kRootImage);
  const std::string store = (dir.path() / "audit.db").string();
  const auto r = constable({"audit", (dir.path() / "repo").string(), "--store", store, "--today", "2026-11-10"});
  ASSERT_EQ(r.exit_code, 0) << r.out << r.err;
  const json report = report_of(dir, "2026-12-01");
  const json& repo = repository(report, "repo");
  EXPECT_EQ(repo["open"], 1);
  EXPECT_EQ(repo["deprecation_warnings"], 1);
  EXPECT_EQ(repo["first_warning_until"], "2027-05-01");
  EXPECT_EQ(repo["overdue"], 0);
  EXPECT_TRUE(report["overdue"].empty());
  const json later = report_of(dir, "2027-05-03");
  EXPECT_EQ(repository(later, "repo")["overdue"], 1);  // critical: due 2027-05-02
  EXPECT_EQ(later["overdue"][0]["due"], "2027-05-02");
}

// constitution diff --impact-store checks the repositories the latest audit run audited.
TEST(Audit, TheStoreNamesTheFleetForAConstitutionsImpact) {
  TempDir dir;
  const auto before = dir.write("old.md", "# C\n\n## Docker Standards\n\n### Dockerfile Requirements\n"
                                          "- Multi-stage builds MUST be used for optimization\n");
  const auto after = dir.write("new.md", std::string(kConstitution));
  dir.write("fleet/payments/Dockerfile", kRootImage);
  dir.write("fleet/shop/Dockerfile", kNonRootImage);
  const std::string store = (dir.path() / "audit.db").string();
  ASSERT_EQ(constable({"audit", (dir.path() / "fleet" / "payments").string(), (dir.path() / "fleet" / "shop").string(),
                       "--constitution", before.string(), "--store", store})
                .exit_code,
            0);
  const auto r = constable({"constitution", "diff", before.string(), after.string(), "--impact-store", store});
  EXPECT_NE(r.out.find("Fleet impact (2 repositories):"), std::string::npos) << r.out << r.err;
  EXPECT_NE(r.out.find("payments: would newly fail: 1 new finding (docker/non-root-user 1)"), std::string::npos) << r.out;
  EXPECT_NE(r.out.find("1 of 2 repositories would newly fail."), std::string::npos) << r.out;
  EXPECT_EQ(constable({"constitution", "diff", before.string(), after.string(), "--impact-store",
                       (dir.path() / "none.db").string()})
                .exit_code,
            2);
}

// A remote repository (here a file:// URL) is cloned once and fetched after:
// the second audit sees the commit pushed in between.
TEST(Audit, ClonesRemoteRepositoriesAndFetchesThemAgain) {
  TempDir dir;
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  TempDir upstream;
  upstream.write("Dockerfile", kRootImage);
  git(upstream, {"init", "-q"});
  git(upstream, {"add", "."});
  git(upstream, {"commit", "-q", "-m", "feat: service"});
  const std::string url = "file://" + upstream.path().string();
  const std::string store = (dir.path() / "audit.db").string();
  const auto audit = [&](std::string_view today) {
    return constable({"audit", url, "--constitution", constitution.string(), "--store", store, "--today",
                      std::string(today)});
  };
  const auto first = audit("2026-11-01");
  ASSERT_EQ(first.exit_code, 0) << first.out << first.err;
  EXPECT_NE(first.out.find("1 of 1 repository audited; 1 opened"), std::string::npos) << first.out;
  EXPECT_TRUE(std::filesystem::exists(dir.path() / "repos"));
  upstream.write("Dockerfile", kNonRootImage);
  git(upstream, {"commit", "-q", "-am", "fix: run as a user"});
  const auto second = audit("2026-11-02");
  ASSERT_EQ(second.exit_code, 0) << second.out << second.err;
  EXPECT_NE(second.out.find("0 opened, 0 reopened, 1 fixed, 0 still open"), std::string::npos) << second.out;
  const json report = report_of(dir, "2026-11-03");
  ASSERT_EQ(report["repositories"].size(), 1U);
  EXPECT_EQ(report["repositories"][0]["commit"].get<std::string>().size(), 40U);
  // A URL that cannot be cloned is recorded as not audited; the audit goes on.
  const auto missing = constable({"audit", "file://" + (dir.path() / "nowhere").string(), "--constitution",
                                  constitution.string(), "--store", store});
  EXPECT_EQ(missing.exit_code, 1);
  EXPECT_NE(missing.out.find("not audited: nowhere: cannot clone"), std::string::npos) << missing.out;
  // A token in a URL is used for the clone but never printed or stored.
  const auto with_token = constable({"audit", "https://ci:tok3n-value@127.0.0.1:1/acme/api.git", "--constitution",
                                     constitution.string(), "--store", store});
  EXPECT_EQ(with_token.exit_code, 1);
  EXPECT_NE(with_token.out.find("https://ci:***@127.0.0.1:1/acme/api.git"), std::string::npos) << with_token.out;
  const auto everything = constable({"audit", "report", "--store", store, "--format", "json"});
  for (const auto* output : {&with_token.out, &with_token.err, &everything.out})
    EXPECT_EQ(output->find("tok3n-value"), std::string::npos) << *output;
  const auto stored = read_file(dir.path() / "audit.db");
  EXPECT_EQ(stored.find("tok3n-value"), std::string::npos);
}

// A clone over HTTPS verifies the server against the system's CA
// certificates, which the static CLI parses at its first handshake rather
// than at every start (src/link/ca_certificates_on_demand.cpp): Debian's
// archive, the one HTTPS server this machine's CI reaches, answers 404 for
// a repository it does not have, after a handshake that must succeed.
TEST(Audit, AnHttpsCloneVerifiesTheServerAgainstTheSystemCertificates) {
  TempDir dir;
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  const auto r = constable({"audit", "https://deb.debian.org/debian/constable-no-such-repository.git",
                            "--constitution", constitution.string(), "--store", (dir.path() / "audit.db").string()});
  EXPECT_EQ(r.exit_code, 1) << r.out << r.err;
  EXPECT_EQ(r.out.find("certificate"), std::string::npos) << r.out;
  if (r.out.find("404") == std::string::npos)
    GTEST_SKIP() << "deb.debian.org was not reached over HTTPS (no network?): " << r.out;
}

TEST(Audit, UsageErrorsAndShards) {
  TempDir dir;
  dir.write("a/Dockerfile", kRootImage);
  dir.write("b/Dockerfile", kRootImage);
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  EXPECT_EQ(constable({"audit", "report", "--store", (dir.path() / "none.db").string()}).exit_code, 2);
  const auto bad_store = constable(
      {"audit", (dir.path() / "a").string(), "--store", "mysql://x/y", "--constitution", constitution.string()});
  EXPECT_EQ(bad_store.exit_code, 2);
  EXPECT_NE(bad_store.err.find("unknown store 'mysql://'"), std::string::npos) << bad_store.err;
  // The PostgreSQL store loads libpq when it opens: without it, a usage error
  // that says what to install, and the URL's password redacted.
  const auto no_libpq = constable({"audit", (dir.path() / "a").string(), "--store",
                                   "postgresql://audit:Hh-secret-3@127.0.0.1:1/fleet", "--constitution",
                                   constitution.string()},
                                  {}, {"CONSTABLE_LIBPQ=/nonexistent/libpq.so.5"});
  EXPECT_EQ(no_libpq.exit_code, 2) << no_libpq.out << no_libpq.err;
  EXPECT_NE(no_libpq.err.find("cannot load libpq (/nonexistent/libpq.so.5)"), std::string::npos) << no_libpq.err;
  EXPECT_NE(no_libpq.err.find("libpq5"), std::string::npos) << no_libpq.err;
  EXPECT_EQ(no_libpq.err.find("Hh-secret-3"), std::string::npos) << no_libpq.err;
  EXPECT_EQ(constable({"audit", (dir.path() / "a").string(), "--shard", "2/2"}).exit_code, 2);
  // Two shards audit the two repositories between them, once each.
  std::size_t audited = 0;
  for (const char* shard : {"0/2", "1/2"}) {
    const auto r = constable({"audit", (dir.path() / "a").string(), (dir.path() / "b").string(), "--constitution",
                              constitution.string(), "--store", (dir.path() / "audit.db").string(), "--shard", shard});
    EXPECT_EQ(r.exit_code, 0) << r.out << r.err;
    audited += r.out.find(" 1 of 1 repository audited") != std::string::npos ? 1 : 0;
    audited += r.out.find(" 2 of 2 repositories audited") != std::string::npos ? 2 : 0;
  }
  EXPECT_EQ(audited, 2U);
}

// Repositories the store holds for run `run`; -1 while it cannot be read.
int recorded_in(const std::filesystem::path& store, int run) {
  sqlite3* db = nullptr;
  int count = -1;
  if (sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr) == SQLITE_OK) {
    sqlite3_busy_timeout(db, 1000);
    sqlite3_stmt* select = nullptr;
    if (sqlite3_prepare_v2(db, "SELECT COUNT(*) FROM repository_runs WHERE run_id = ?", -1, &select, nullptr) ==
            SQLITE_OK &&
        sqlite3_bind_int(select, 1, run) == SQLITE_OK && sqlite3_step(select) == SQLITE_ROW)
      count = sqlite3_column_int(select, 0);
    sqlite3_finalize(select);
  }
  sqlite3_close(db);
  return count;
}

// An audit of thirty repositories (root images in the even ones), each with
// 150 pages so that a run lasts long enough to be killed in the middle.
constexpr int kKilledFleet = 30;
std::vector<std::string> killable_audit(const TempDir& dir, const std::filesystem::path& constitution,
                                        const std::string& store) {
  std::vector<std::string> args{CONSTABLE_BINARY, "audit", "--constitution", constitution.string(), "--store", store,
                                "-j", "1"};
  for (int i = 0; i < kKilledFleet; ++i) {
    const std::string name = fmt::format("repo-{:02}", i);
    dir.write(name + "/Dockerfile", i % 2 == 0 ? kRootImage : kNonRootImage);
    for (int f = 0; f < 150; ++f) dir.write(fmt::format("{}/docs/page-{}.md", name, f), "# Page\n\nText.\n");
    args.push_back((dir.path() / name).string());
  }
  return args;
}

// Runs the audit `args` as of 2026-11-22 and sends it SIGKILL once
// `recorded()` counts three repositories; false when it finished first.
bool killed_after_three(std::vector<std::string> args, const std::function<int()>& recorded) {
  std::vector<char*> argv;
  for (auto& a : args) argv.push_back(a.data());
  argv.push_back(nullptr);
  const pid_t pid = fork();
  if (pid < 0) return false;
  if (pid == 0) {
    ::setenv("CONSTABLE_TODAY", "2026-11-22", 1);
    const int null = ::open("/dev/null", O_WRONLY);
    ::dup2(null, 1);
    ::dup2(null, 2);
    ::execv(argv[0], argv.data());
    ::_exit(127);
  }
  for (int waited = 0; waited < 20'000 && recorded() < 3; ++waited) ::usleep(500);
  ::kill(pid, SIGKILL);
  int status = 0;
  ::waitpid(pid, &status, 0);
  return WIFSIGNALED(status);
}

// kill -9 in the middle of an audit loses at most the repository in
// progress: the store passes SQLite's integrity check, every repository
// recorded before the kill has all of its violations, and the next audit
// goes on from there.
TEST(Audit, AKilledAuditLeavesAConsistentStore) {
  TempDir dir;
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  const auto store = dir.path() / "audit.db";
  constexpr int kRepositories = kKilledFleet;
  const auto args = killable_audit(dir, constitution, store.string());
  // The first run to the end, then one killed once it has recorded a few repositories.
  ASSERT_EQ(run_command(args, {}, {"CONSTABLE_TODAY=2026-11-01"}).exit_code, 0);
  ASSERT_TRUE(killed_after_three(args, [&] { return recorded_in(store, 2); }))
      << "the audit finished before it could be killed";
  const int kept = recorded_in(store, 2);
  EXPECT_GE(kept, 3);
  EXPECT_LT(kept, kRepositories);

  sqlite3* db = nullptr;
  ASSERT_EQ(sqlite3_open_v2(store.c_str(), &db, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  sqlite3_stmt* check = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &check, nullptr), SQLITE_OK);
  ASSERT_EQ(sqlite3_step(check), SQLITE_ROW);
  EXPECT_STREQ(reinterpret_cast<const char*>(sqlite3_column_text(check, 0)), "ok");
  sqlite3_finalize(check);
  // Every root image recorded in the killed run was seen again in it.
  sqlite3_stmt* seen = nullptr;
  ASSERT_EQ(sqlite3_prepare_v2(db,
                               "SELECT (SELECT COUNT(*) FROM repository_runs r WHERE r.run_id = 2 AND "
                               "CAST(substr(r.repository, 6) AS INTEGER) % 2 = 0), "
                               "(SELECT COUNT(*) FROM violations WHERE last_seen_run = 2)",
                               -1, &seen, nullptr),
            SQLITE_OK);
  ASSERT_EQ(sqlite3_step(seen), SQLITE_ROW);
  EXPECT_EQ(sqlite3_column_int(seen, 0), sqlite3_column_int(seen, 1));
  sqlite3_finalize(seen);
  sqlite3_close(db);

  // The report reads it (the killed run unfinished), and the next audit records the whole fleet.
  const json killed = report_of(dir, "2026-11-22");
  EXPECT_EQ(killed["latest_run"]["finished"], false);
  EXPECT_EQ(killed["repositories"].size(), static_cast<std::size_t>(kRepositories));
  const auto finished = run_command(args, {}, {"CONSTABLE_TODAY=2026-11-22"});
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_NE(finished.out.find(fmt::format("{0} of {0} repositories audited; 0 opened", kRepositories)),
            std::string::npos)
      << finished.out;
}

// The nightly audit of deploy/audit/: N pods, `--shard I/N` each, started
// together and writing one PostgreSQL store at once. Every repository is
// recorded once per night, every violation once, and the next night's
// fixes are seen whichever pod audits them.
TEST(Audit, ShardedPodsWriteOnePostgresStoreAtOnce) {
  CONSTABLE_REQUIRE_POSTGRES(server);
  std::string why;
  const std::string store = server->create_database(&why);
  ASSERT_FALSE(store.empty()) << why;
  TempDir dir;
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  constexpr int kRepositories = 16, kShards = 4;
  std::string fleet = "repositories:\n";
  for (int i = 0; i < kRepositories; ++i) {
    dir.write(fmt::format("fleet/repo-{:02}/Dockerfile", i), i % 2 == 0 ? kRootImage : kNonRootImage);
    fleet += fmt::format("  - path: fleet/repo-{:02}\n    team: team-{}\n", i, i % 3);
  }
  const auto fleet_file = dir.write("fleet.yaml", fleet);
  // One night: every shard at once; the audited count of each.
  const auto night = [&](std::string_view today) {
    std::vector<CommandResult> pods(kShards);
    std::vector<std::thread> running;
    for (int shard = 0; shard < kShards; ++shard)
      running.emplace_back([&, shard] {
        pods[shard] = constable({"audit", fleet_file.string(), "--constitution", constitution.string(), "--store",
                                 store, "--shard", fmt::format("{}/{}", shard, kShards), "-j", "2", "--today",
                                 std::string(today)});
      });
    for (auto& t : running) t.join();
    std::size_t fixed = 0, opened = 0;
    for (const auto& pod : pods) {
      EXPECT_EQ(pod.exit_code, 0) << pod.out << pod.err;
      EXPECT_EQ(pod.out.find(server->password()), std::string::npos) << pod.out;
      unsigned o = 0, f = 0;
      const auto at = pod.out.find("; ");
      if (at != std::string::npos &&
          std::sscanf(pod.out.c_str() + at, "; %u opened, %*u reopened, %u fixed", &o, &f) == 2) {
        opened += o;
        fixed += f;
      }
    }
    return std::pair{opened, fixed};
  };
  const auto [opened, fixed_first] = night("2026-11-01");
  EXPECT_EQ(opened, static_cast<std::size_t>(kRepositories / 2));
  EXPECT_EQ(fixed_first, 0U);
  for (int i = 0; i < kRepositories; i += 4) dir.write(fmt::format("fleet/repo-{:02}/Dockerfile", i), kNonRootImage);
  const auto [reopened, fixed] = night("2026-11-08");
  EXPECT_EQ(reopened, 0U);
  EXPECT_EQ(fixed, static_cast<std::size_t>(kRepositories / 4));

  const json report = report_of(store, "2026-11-09");
  EXPECT_EQ(report["runs"], 2 * kShards);
  ASSERT_EQ(report["repositories"].size(), static_cast<std::size_t>(kRepositories));
  std::size_t open = 0, fixed_reported = 0;
  for (const auto& r : report["repositories"]) {
    open += r["open"].get<std::size_t>();
    fixed_reported += r["fixed_since_last_run"].get<std::size_t>();
    EXPECT_EQ(r["trend"].size(), 2U) << r.dump();
  }
  EXPECT_EQ(open, static_cast<std::size_t>(kRepositories / 4));
  EXPECT_EQ(fixed_reported, static_cast<std::size_t>(kRepositories / 4));
  // Each repository once per night; each violation once, with an id of its own.
  const auto rows = postgres_query(store,
                                   "SELECT (SELECT COUNT(*) FROM repository_runs), "
                                   "(SELECT COUNT(DISTINCT (repository, run_id)) FROM repository_runs), "
                                   "(SELECT COUNT(*) FROM violations), "
                                   "(SELECT COUNT(DISTINCT (repository, fingerprint)) FROM violations), "
                                   "(SELECT MAX(id) FROM violations)");
  ASSERT_EQ(rows.size(), 5U);
  EXPECT_EQ(rows[0], std::to_string(2 * kRepositories));
  EXPECT_EQ(rows[1], rows[0]);
  EXPECT_EQ(rows[2], std::to_string(kRepositories / 2));
  EXPECT_EQ(rows[3], rows[2]);
  EXPECT_EQ(rows[4], rows[2]);
}

// kill -9 in the middle of an audit into PostgreSQL: the repository in
// progress is rolled back with the connection, every one recorded before
// has all of its violations, the next audit goes on from there.
TEST(Audit, AKilledAuditLeavesAConsistentPostgresStore) {
  CONSTABLE_REQUIRE_POSTGRES(server);
  std::string why;
  const std::string store = server->create_database(&why);
  ASSERT_FALSE(store.empty()) << why;
  TempDir dir;
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  constexpr int kRepositories = kKilledFleet;
  const auto args = killable_audit(dir, constitution, store);
  ASSERT_EQ(run_command(args, {}, {"CONSTABLE_TODAY=2026-11-01"}).exit_code, 0);
  const auto recorded_in_run_2 = [&] {
    const auto row = postgres_query(store, "SELECT COUNT(*) FROM repository_runs WHERE run_id = 2");
    return row.empty() ? -1 : std::stoi(row.front());
  };
  ASSERT_TRUE(killed_after_three(args, recorded_in_run_2)) << "the audit finished before it could be killed";
  // The server notices the closed connection and rolls its transaction back.
  int kept = recorded_in_run_2();
  for (int waited = 0; waited < 100; ++waited) {
    const auto open = postgres_query(
        store, "SELECT COUNT(*) FROM pg_stat_activity WHERE datname = current_database() AND pid <> pg_backend_pid()");
    if (!open.empty() && open.front() == "0") break;
    ::usleep(50'000);
  }
  kept = recorded_in_run_2();
  EXPECT_GE(kept, 3);
  EXPECT_LT(kept, kRepositories);
  // Every root image recorded in the killed run was seen again in it.
  const auto seen = postgres_query(store,
                                   "SELECT (SELECT COUNT(*) FROM repository_runs r WHERE r.run_id = 2 AND "
                                   "CAST(substr(r.repository, 6) AS INTEGER) % 2 = 0), "
                                   "(SELECT COUNT(*) FROM violations WHERE last_seen_run = 2)");
  ASSERT_EQ(seen.size(), 2U);
  EXPECT_EQ(seen[0], seen[1]);
  const json killed = report_of(store, "2026-11-22");
  EXPECT_EQ(killed["latest_run"]["finished"], false);
  EXPECT_EQ(killed["repositories"].size(), static_cast<std::size_t>(kRepositories));
  const auto finished = run_command(args, {}, {"CONSTABLE_TODAY=2026-11-22"});
  EXPECT_EQ(finished.exit_code, 0) << finished.err;
  EXPECT_NE(finished.out.find(fmt::format("{0} of {0} repositories audited; 0 opened", kRepositories)),
            std::string::npos)
      << finished.out;
}

}  // namespace
}  // namespace constable::testing
