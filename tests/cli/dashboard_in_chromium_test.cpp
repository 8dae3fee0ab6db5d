// The audit dashboard in a real browser: a store filled by two real audits
// (`constable audit`, a change between them), served by `constable serve
// --store` on loopback, walked page by page in headless Chromium
// (puppeteer-core, tests/cli/dashboard_in_chromium.js). Every figure a page
// shows must equal the store's, queried here with SQL, and the JSON the
// server gives for that page; no page may log a console error, fail a
// request, load anything from elsewhere, or run a script planted in a name.
// Screenshots go to $CONSTABLE_TEST_OUTPUT_DIR (default: the build tree's
// tests/cache/dashboard-screenshots/).

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <chrono>
#include <cstdlib>
#include <regex>
#include <thread>

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "cli_support.hpp"

namespace constable::testing {
namespace {

namespace fs = std::filesystem;
using nlohmann::json;

// The same pin as the HTML report's test (ci_outputs_test.cpp), so both share one install.
constexpr std::string_view kPuppeteer = "puppeteer-core@24.37.5";
constexpr std::string_view kToday = "2026-11-22";
const std::string kEvil = "<script>alert(1)</script>";

constexpr std::string_view kConstitution =
    "# C\n\n## Docker Standards\n\n### Dockerfile Requirements\n- Non-root user MUST be specified\n"
    "- Multi-stage builds MUST be used for optimization\n"
    "- Health checks MUST be implemented via HEALTHCHECK instruction\n";
constexpr std::string_view kRootImage = "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\n";
constexpr std::string_view kGoodImage =
    "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\nUSER 10001\n"
    "HEALTHCHECK CMD [\"/x\", \"health\"]\n";

fs::path screenshot_dir(std::string_view name) {
  const char* given = std::getenv("CONSTABLE_TEST_OUTPUT_DIR");
  const fs::path dir = (given != nullptr && *given != '\0' ? fs::path(given) : fs::path(CONSTABLE_TEST_CACHE_DIR)) /
                       "dashboard-screenshots" / name;
  fs::remove_all(dir);
  fs::create_directories(dir);
  return dir;
}

// `constable serve --insecure --store STORE` on 127.0.0.1 and a port of the
// kernel's choosing, read from its "serving" log line; SIGTERM when done.
class Server {
 public:
  Server(const fs::path& store, const fs::path& constitution, const TempDir& dir) {
    log_ = dir.path() / "serve.log";
    std::vector<std::string> args{CONSTABLE_BINARY, "serve",     "--insecure", "--listen",     "127.0.0.1:0",
                                  "--store",        store.string(), "--constitution", constitution.string(),
                                  "--kube-api",     "none",      "--today",    std::string(kToday)};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    pid_ = fork();
    if (pid_ == 0) {
      const int out = ::open(log_.c_str(), O_WRONLY | O_CREAT | O_TRUNC, 0644);
      ::dup2(out, 1);
      ::dup2(out, 2);
      ::execv(argv[0], argv.data());
      ::_exit(127);
    }
    static const std::regex serving(R"re("msg":"serving".*"port":([0-9]+))re");
    for (int waited = 0; waited < 200 && port_ == 0; ++waited) {
      std::this_thread::sleep_for(std::chrono::milliseconds(50));
      std::smatch match;
      const std::string log = read_file(log_);
      if (std::regex_search(log, match, serving)) port_ = std::stoi(match[1].str());
    }
  }
  ~Server() {
    if (pid_ > 0) {
      ::kill(pid_, SIGTERM);
      int status = 0;
      ::waitpid(pid_, &status, 0);
    }
  }
  Server(const Server&) = delete;
  Server& operator=(const Server&) = delete;
  int port() const { return port_; }
  std::string log() const { return read_file(log_); }

 private:
  fs::path log_;
  pid_t pid_ = -1;
  int port_ = 0;
};

// One number from the store.
class Database {
 public:
  explicit Database(const fs::path& file) {
    EXPECT_EQ(sqlite3_open_v2(file.c_str(), &db_, SQLITE_OPEN_READONLY, nullptr), SQLITE_OK);
  }
  ~Database() { sqlite3_close(db_); }
  Database(const Database&) = delete;
  Database& operator=(const Database&) = delete;

  long number(const std::string& sql, const std::vector<std::string>& parameters = {}) {
    sqlite3_stmt* statement = nullptr;
    EXPECT_EQ(sqlite3_prepare_v2(db_, sql.c_str(), -1, &statement, nullptr), SQLITE_OK) << sql << sqlite3_errmsg(db_);
    for (std::size_t i = 0; i < parameters.size(); ++i)
      sqlite3_bind_text(statement, static_cast<int>(i) + 1, parameters[i].c_str(), -1, SQLITE_TRANSIENT);
    long value = -1;
    if (sqlite3_step(statement) == SQLITE_ROW) value = sqlite3_column_int64(statement, 0);
    sqlite3_finalize(statement);
    return value;
  }

 private:
  sqlite3* db_ = nullptr;
};

// Violations open and past due today (store/store.hpp: Violation::overdue).
const std::string kOpen = "SELECT COUNT(*) FROM violations WHERE status = 'open'";
const std::string kOverdue = kOpen + " AND due < '" + std::string(kToday) +
                             "' AND (transition_until IS NULL OR transition_until <= '" + std::string(kToday) + "')";
// The team each repository had in its latest audit.
const std::string kTeamOf =
    "(SELECT team FROM repository_runs r WHERE r.repository = violations.repository ORDER BY run_id DESC LIMIT 1)";

std::string figure(const json& page, std::string_view metric) {
  const auto it = page["metrics"].find(metric);
  return it == page["metrics"].end() ? std::string("(none)") : it->get<std::string>();
}
std::string cell(const json& page, const std::string& row, std::string_view metric) {
  const auto r = page["rows"].find(row);
  if (r == page["rows"].end() || !r->contains(metric)) return "(none)";
  return (*r)[std::string(metric)].get<std::string>();
}
std::string text(long n) { return std::to_string(n); }
std::string text(const json& n) { return n.is_number() ? std::to_string(n.get<long>()) : n.dump(); }

struct Walk {
  json pages;
  std::size_t checked = 0;  // figures compared
};

// Serves `store`, walks every page in Chromium, and compares each page's
// figures with the store and with the page's JSON.
Walk walk_and_compare(const fs::path& store, const fs::path& constitution, const TempDir& dir, const fs::path& shots) {
  Walk walk;
  const auto node = find_program({"node", "nodejs"});
  const auto chromium = find_program({"chromium", "chromium-browser", "google-chrome"});
  const auto modules = npm_install(CONSTABLE_TEST_CACHE_DIR, "puppeteer", {std::string(kPuppeteer)}, 180);
  const Server server(store, constitution, dir);
  EXPECT_GT(server.port(), 0) << server.log();
  if (server.port() == 0) return walk;
  const auto browser =
      run_command({*node, (source_dir() / "tests" / "cli" / "dashboard_in_chromium.js").string(), *chromium,
                   fmt::format("http://127.0.0.1:{}/", server.port()), shots.string()},
                  dir.path(), {"NODE_PATH=" + modules->string()}, 300);
  EXPECT_EQ(browser.exit_code, 0) << browser.err << server.log();
  if (browser.exit_code != 0) return walk;
  const json seen = json::parse(browser.out);
  EXPECT_TRUE(seen["console"].empty()) << seen["console"].dump(1);
  EXPECT_TRUE(seen["pageErrors"].empty()) << seen["pageErrors"].dump(1);
  EXPECT_TRUE(seen["dialogs"].empty()) << "a planted script ran: " << seen["dialogs"].dump(1);
  EXPECT_TRUE(seen["foreignRequests"].empty()) << "offline: " << seen["foreignRequests"].dump(1);
  EXPECT_TRUE(seen["failedRequests"].empty()) << seen["failedRequests"].dump(1);
  EXPECT_TRUE(seen["badResponses"].empty()) << seen["badResponses"].dump(1);
  walk.pages = seen["pages"];

  Database db(store);
  const auto same = [&](const std::string& where, const std::string& shown, const std::string& expected) {
    EXPECT_EQ(shown, expected) << where;
    ++walk.checked;
  };
  for (const auto& [path, page] : walk.pages.items()) {
    SCOPED_TRACE(path);
    EXPECT_EQ(page["status"], 200);
    EXPECT_EQ(page["api_status"], 200) << page["json"].dump();
    EXPECT_EQ(page["scripts"], 0);
    EXPECT_TRUE(fs::exists(page["screenshot"].get<std::string>()));
    const json& data = page["json"];
    EXPECT_EQ(data["page"], path) << "the JSON is the page's own";
    if (path == "index.html") {
      same("open", figure(page, "open"), text(db.number(kOpen)));
      same("overdue", figure(page, "overdue"), text(db.number(kOverdue)));
      same("repositories", figure(page, "repositories"),
           text(db.number("SELECT COUNT(DISTINCT repository) FROM repository_runs")));
      same("open json", figure(page, "open"), text(data["totals"]["open"]));
      same("fixed json", figure(page, "fixed"), text(data["totals"]["fixed_since_last_run"]));
      same("run", figure(page, "run"), text(db.number("SELECT MAX(id) FROM runs")));
      for (const char* severity : {"critical", "high", "medium", "low"}) {
        const std::string row = fmt::format("severity:{}", severity);
        same(row, cell(page, row, "open"), text(db.number(kOpen + " AND severity = ?", {severity})));
        same(row, cell(page, row, "overdue"), text(db.number(kOverdue + " AND severity = ?", {severity})));
      }
      for (const auto& repository : data["repositories"]) {
        const std::string name = repository["name"];
        if (!repository["error"].get<std::string>().empty()) continue;
        const std::string row = "repository:" + name;
        same(row, cell(page, row, "open"), text(db.number(kOpen + " AND repository = ?", {name})));
        same(row, cell(page, row, "overdue"), text(db.number(kOverdue + " AND repository = ?", {name})));
      }
      for (const auto& team : data["teams"]) {
        const std::string name = team["team"];
        const std::string row = "team:" + name;
        same(row, cell(page, row, "open"), text(db.number(kOpen + " AND " + kTeamOf + " = ?", {name})));
        same(row, cell(page, row, "repositories"), text(team["repositories"]));
      }
    } else if (path == "overdue.html") {
      same("overdue", figure(page, "overdue"), text(db.number(kOverdue)));
      same("rows", text(page["violations"].get<long>()), text(db.number(kOverdue)));
      same("json", figure(page, "overdue"), text(data["total"]));
    } else if (path == "clauses.html") {
      for (const auto& clause : data["clauses"]) {
        const std::string id = clause["clause"];
        const std::string row = "clause:" + id;
        same(row, cell(page, row, "open"), text(db.number(kOpen + " AND clause_id = ?", {id})));
        same(row, cell(page, row, "repositories"),
             text(db.number("SELECT COUNT(DISTINCT repository) FROM violations WHERE status = 'open' AND clause_id = ?",
                            {id})));
      }
    } else if (path == "coverage.html") {
      for (const auto& repository : data["repositories"]) {
        const std::string name = repository["name"];
        if (!repository["error"].get<std::string>().empty()) continue;
        const std::string latest =
            "FROM repository_runs WHERE repository = ? ORDER BY run_id DESC LIMIT 1";
        same(name, cell(page, "repository:" + name, "clauses"), text(db.number("SELECT clauses " + latest, {name})));
        same(name, cell(page, "repository:" + name, "enforced"),
             text(db.number("SELECT clauses_enforced " + latest, {name})));
      }
    } else if (path.starts_with("repositories/")) {
      const std::string name = data["name"];
      same("open", figure(page, "open"), text(db.number(kOpen + " AND repository = ?", {name})));
      same("overdue", figure(page, "overdue"), text(db.number(kOverdue + " AND repository = ?", {name})));
      same("rows", text(page["violations"].get<long>()),
           text(db.number("SELECT COUNT(*) FROM violations WHERE status IN ('open', 'waived') AND repository = ?",
                          {name})));
      same("json", figure(page, "open"), text(data["open"]));
    } else if (path.starts_with("teams/")) {
      const std::string team = data["team"];
      same("open", figure(page, "open"), text(db.number(kOpen + " AND " + kTeamOf + " = ?", {team})));
      same("overdue", figure(page, "overdue"), text(db.number(kOverdue + " AND " + kTeamOf + " = ?", {team})));
      same("json", figure(page, "repositories"), text(data["repositories"]));
    } else if (path.starts_with("clauses/")) {
      const std::string id = data["clause"];
      same("open", figure(page, "open"), text(db.number(kOpen + " AND clause_id = ?", {id})));
      same("overdue", figure(page, "overdue"), text(db.number(kOverdue + " AND clause_id = ?", {id})));
      for (const auto& breach : data["broken_by"]) {
        const std::string name = breach["repository"];
        same(name, cell(page, "repository:" + name, "open"),
             text(db.number(kOpen + " AND clause_id = ? AND repository = ?", {id, name})));
        // Since: the first sighting of its oldest open violation of the clause.
        const auto since = db.number(
            "SELECT CAST(replace(MIN(first_seen), '-', '') AS INTEGER) FROM violations WHERE status = 'open' AND "
            "clause_id = ? AND repository = ?",
            {id, name});
        std::string shown = cell(page, "repository:" + name, "since");
        shown.erase(std::remove(shown.begin(), shown.end(), '-'), shown.end());
        same(name + " since", shown, text(since));
      }
    }
  }
  return walk;
}

bool tools_missing(std::string& why) {
  if (!find_program({"node", "nodejs"}) || !find_program({"npm"})) {
    why = "node and npm are needed to drive Chromium (Debian: nodejs npm)";
    return true;
  }
  if (!find_program({"chromium", "chromium-browser", "google-chrome"})) {
    why = "no Chromium to open the dashboard in (Debian: chromium; scripts/install-deps.sh)";
    return true;
  }
  if (!npm_install(CONSTABLE_TEST_CACHE_DIR, "puppeteer", {std::string(kPuppeteer)}, 180)) {
    why = fmt::format("cannot install {} from npm (offline?)", kPuppeteer);
    return true;
  }
  return false;
}

void audit(const fs::path& fleet, const fs::path& constitution, const fs::path& store, std::string_view day,
           const fs::path& cwd = {}) {
  const auto r = constable({"audit", fleet.string(), "--constitution", constitution.string(), "--store", store.string(),
                            "--today", std::string(day), "-j", "2"},
                           cwd);
  ASSERT_LE(r.exit_code, 1) << r.out << r.err;
}

TEST(DashboardInChromium, EveryPageShowsTheStoresFiguresAndPlantedMarkupStaysText) {
  std::string why;
  if (tools_missing(why)) GTEST_SKIP() << why;
  const TempDir dir;
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  dir.write("fleet/payments/Dockerfile", kRootImage);
  dir.write("fleet/payments/worker/Dockerfile", "FROM alpine:3.19\nRUN true\n");
  dir.write("fleet/shop/Dockerfile", kGoodImage);
  dir.write("fleet/evil/Dockerfile", kRootImage);
  // A repository whose name is markup: every page that names it must show it as text.
  const auto fleet = dir.write("fleet.yaml", fmt::format("repositories:\n  - path: fleet/payments\n    team: pay\n"
                                                         "  - path: fleet/shop\n    team: web\n"
                                                         "  - path: fleet/evil\n    name: \"{}\"\n    team: \"{}\"\n",
                                                         kEvil, kEvil));
  const auto store = dir.path() / "audit.db";
  audit(fleet, constitution, store, "2026-11-01");
  // payments fixes its root image; shop breaks its own.
  dir.write("fleet/payments/Dockerfile", kGoodImage);
  dir.write("fleet/shop/Dockerfile", kRootImage);
  audit(fleet, constitution, store, "2026-11-10");

  const fs::path shots = screenshot_dir("planted-markup");
  const Walk walk = walk_and_compare(store, constitution, dir, shots);
  // Every kind of page was reached by following links from /.
  for (const char* page : {"index.html", "overdue.html", "clauses.html", "coverage.html", "teams/pay.html",
                           "repositories/payments.html", "repositories/shop.html",
                           "repositories/~3cscript~3ealert~281~29~3c~2fscript~3e.html"})
    EXPECT_TRUE(walk.pages.contains(page)) << page << " not reached; walked: " << walk.pages.dump().substr(0, 300);
  EXPECT_GE(walk.pages.size(), 12u);
  EXPECT_GT(walk.checked, 60u);
  const json& evil = walk.pages["repositories/~3cscript~3ealert~281~29~3c~2fscript~3e.html"];
  EXPECT_EQ(evil["heading"], "Repository " + kEvil) << "shown as text, not run";
  EXPECT_EQ(evil["title"], "Repository " + kEvil + " · constable");
  EXPECT_GT(fs::file_size(shots / "index.png"), 10'000U) << "a blank page?";
}

// The screenshots in docs/audit.md: the bundled examples audited twice.
// With CONSTABLE_DASHBOARD_DOCS=DIR the overview, a repository and a clause
// page are also copied there (docs/images/ in the source tree).
TEST(DashboardInChromium, TheBundledExamplesAsAFleet) {
  std::string why;
  if (tools_missing(why)) GTEST_SKIP() << why;
  const TempDir dir;
  fs::create_directories(dir.path() / "fleet");
  for (const char* example : {"demo-repo", "k8s-platform", "compliant-repo"})
    fs::copy(source_dir() / "examples" / example, dir.path() / "fleet" / example, fs::copy_options::recursive);
  // Relative paths, as a nightly job would give them: the pages show what the run was given.
  const auto constitution = dir.write("CONSTITUTION.md", read_file(source_dir() / "examples/k8s-platform/CONSTITUTION.md"));
  dir.write("fleet.yaml",
            "repositories:\n  - path: fleet/demo-repo\n    team: payments\n"
            "  - path: fleet/k8s-platform\n    team: platform\n"
            "  - path: fleet/compliant-repo\n    team: platform\n");
  const auto store = dir.path() / "audit.db";
  audit("fleet.yaml", "CONSTITUTION.md", "audit.db", "2026-10-01", dir.path());
  // One service is retired, another image is added.
  fs::remove(dir.path() / "fleet/demo-repo/services/legacy/Dockerfile");
  dir.write("fleet/compliant-repo/tools/Dockerfile", "FROM alpine:3.19\nRUN apk add --no-cache curl\n");
  audit("fleet.yaml", "CONSTITUTION.md", "audit.db", "2026-10-20", dir.path());
  // The new image is fixed again.
  fs::remove(dir.path() / "fleet/compliant-repo/tools/Dockerfile");
  audit("fleet.yaml", "CONSTITUTION.md", "audit.db", "2026-11-03", dir.path());

  const fs::path shots = screenshot_dir("examples");
  const Walk walk = walk_and_compare(store, constitution, dir, shots);
  EXPECT_GE(walk.pages.size(), 10u);
  EXPECT_GT(walk.checked, 50u);
  if (const char* docs = std::getenv("CONSTABLE_DASHBOARD_DOCS"); docs != nullptr && *docs != '\0') {
    fs::create_directories(docs);
    for (const auto& [from, to] : {std::pair{"index.png", "dashboard-overview.png"},
                                   std::pair{"repositories_demo-repo.top.png", "dashboard-repository.png"},
                                   std::pair{"overdue.top.png", "dashboard-overdue.png"}})
      fs::copy_file(shots / from, fs::path(docs) / to, fs::copy_options::overwrite_existing);
  }
}

}  // namespace
}  // namespace constable::testing
