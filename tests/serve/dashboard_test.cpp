// `constable serve --store`: the dashboard's pages at / and their JSON under
// /api/v1/audit, over a real HTTP server on loopback, from a store filled by
// two real audits, on SQLite and on a real PostgreSQL server; a store that
// cannot be read is a 503 problem and the server goes on.

#include <gtest/gtest.h>

#include <atomic>
#include <thread>

#include <fmt/format.h>
#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "audit/report.hpp"
#include "dashboard/dashboard.hpp"
#include "loopback.hpp"
#include "serve/http/client.hpp"
#include "serve/service.hpp"
#include "store/store.hpp"
#include "support/postgres_server.hpp"

namespace constable::serve {
namespace {

namespace ct = constable::testing;
using nlohmann::json;

constexpr std::string_view kConstitution =
    "# C\n\n## Docker Standards\n\n### Dockerfile Requirements\n- Non-root user MUST be specified\n"
    "- Multi-stage builds MUST be used for optimization\n";
constexpr std::string_view kRootImage = "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\n";
constexpr std::string_view kNonRootImage =
    "FROM alpine:3.19 AS build\nRUN true\nFROM alpine:3.19\nCOPY --from=build /x /x\nUSER 10001\n";
const Date kToday = *Date::parse("2026-11-22");

// Two audits of three repositories: payments fixes its image between them,
// shop breaks its own, and ops (no team) keeps a single-stage root image.
// The parameter is the store's backend.
class ServedDashboard : public ::testing::TestWithParam<std::string_view> {
 protected:
  void SetUp() override {
    if (GetParam() == "postgresql") {
      CONSTABLE_REQUIRE_POSTGRES(server);
      std::string error;
      store_ = server->create_database(&error);
      ASSERT_FALSE(store_.empty()) << error;
    } else {
      store_ = (dir_.path() / "audit.db").string();
    }
    constitution_ = dir_.write("CONSTITUTION.md", kConstitution);
    dir_.write("fleet/payments/Dockerfile", kRootImage);
    dir_.write("fleet/shop/Dockerfile", kNonRootImage);
    dir_.write("fleet/ops/Dockerfile", "FROM alpine:3.19\nRUN true\n");
    const auto fleet = dir_.write("fleet.yaml",
                                  "repositories:\n  - path: fleet/payments\n    team: pay\n"
                                  "  - path: fleet/shop\n    team: web\n  - path: fleet/ops\n");
    const auto audit = [&](std::string_view day) {
      app::AuditOptions options;
      options.sources = {fleet.string()};
      options.store = store_;
      options.constitution = constitution_;
      options.jobs = 1;
      options.today = Date::parse(day);
      const app::Outcome outcome = app::audit(options);
      ASSERT_EQ(outcome.exit_code, 0) << outcome.out << outcome.err;
    };
    audit("2026-11-01");
    dir_.write("fleet/payments/Dockerfile", kNonRootImage);
    dir_.write("fleet/shop/Dockerfile", kRootImage);
    audit("2026-11-10");
    start(store_);
  }

  void start(const std::string& store) {
    service_ = std::make_unique<Service>(Sources{.config = std::nullopt, .constitution = constitution_, .select = {}, .ignore = {}}, nullptr);
    service_->set_today(kToday);
    ASSERT_TRUE(service_->load());
    service_->serve_dashboard_from(store);
    auto server = http::Server::start(ct::loopback(), [this](const http::Request& r) { return service_->handle(r); });
    ASSERT_TRUE(server) << server.error().to_string();
    server_ = std::move(*server);
  }

  http::ClientResponse get(std::string_view target, std::vector<std::pair<std::string, std::string>> headers = {}) {
    auto response = http::get(fmt::format("http://127.0.0.1:{}{}", server_->port(), target), headers, {});
    EXPECT_TRUE(response) << target << ": " << (response ? "" : response.error().to_string());
    return response ? *response : http::ClientResponse{};
  }

  json get_json(std::string_view target) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 200) << target << ": " << response.body;
    return json::parse(response.body, nullptr, false);
  }

  // What the store says, read through its own interface rather than the report.
  std::vector<store::Violation> open_violations() {
    auto opened = store::open_store(store_);
    EXPECT_TRUE(opened);
    auto all = (*opened)->all_violations();
    EXPECT_TRUE(all);
    std::vector<store::Violation> open;
    for (const auto& v : *all)
      if (v.status == store::Status::open) open.push_back(v);
    return open;
  }

  ct::TempDir dir_;
  std::filesystem::path constitution_;
  std::string store_;
  std::unique_ptr<Service> service_;
  std::unique_ptr<http::Server> server_;
};

TEST_P(ServedDashboard, ServesEveryPageAsHtml) {
  auto opened = store::open_store(store_);
  ASSERT_TRUE(opened);
  const auto report = audit::build_report(**opened, kToday);
  ASSERT_TRUE(report);
  const auto pages = dashboard::all_pages(*report);
  EXPECT_GE(pages.size(), 4u + 3u + 3u + 2u) << "fixed pages, teams, repositories, clauses";
  for (const auto& page : pages) {
    const auto response = get("/" + dashboard::page_path(page));
    EXPECT_EQ(response.status, 200) << dashboard::page_path(page) << ": " << response.body;
    EXPECT_EQ(response.content_type, "text/html; charset=utf-8");
    // The same page the static site writes.
    EXPECT_EQ(response.body, dashboard::render_page(*report, page)) << dashboard::page_path(page);
  }
  EXPECT_EQ(get("/").body, get("/index.html").body);
  EXPECT_EQ(get("/repositories/nothing.html").status, 404);
  EXPECT_EQ(get("/favicon.ico").status, 204);
  EXPECT_EQ(get("/elsewhere").status, 404);
}

TEST_P(ServedDashboard, TheJsonMatchesTheStore) {
  const auto open = open_violations();
  std::size_t overdue = 0;
  for (const auto& v : open) overdue += v.overdue(kToday) ? 1 : 0;
  const json overview = get_json("/api/v1/audit/overview");
  EXPECT_EQ(overview["runs"], 2);
  EXPECT_EQ(overview["latest_run"]["id"], 2);
  EXPECT_EQ(overview["totals"]["open"], open.size());
  EXPECT_EQ(overview["totals"]["overdue"], overdue);
  EXPECT_EQ(overview["totals"]["repositories"], 3);
  EXPECT_EQ(overview["totals"]["fixed_since_last_run"], 1) << "payments' root image";
  ASSERT_EQ(overview["trend"].size(), 2u);
  EXPECT_EQ(overview["trend"][1]["open"], open.size());

  const json overdue_page = get_json("/api/v1/audit/overdue");
  EXPECT_EQ(overdue_page["total"], overdue);
  for (std::size_t i = 1; i < overdue_page["items"].size(); ++i)
    EXPECT_GE(overdue_page["items"][i - 1]["days_late"].get<long>(), overdue_page["items"][i]["days_late"].get<long>());

  const json shop = get_json("/api/v1/audit/repositories/shop");
  EXPECT_EQ(shop["team"], "web");
  std::size_t listed = 0;
  for (const auto& clause : shop["clauses"])
    for (const auto& v : clause["violations"]) {
      EXPECT_EQ(v["clause"], clause["clause"]);
      EXPECT_EQ(v["path"], "Dockerfile");
      EXPECT_GT(v["line"].get<int>(), 0);
      ++listed;
    }
  std::size_t in_store = 0;
  for (const auto& v : open) in_store += v.repository == "shop" ? 1 : 0;
  EXPECT_EQ(listed, in_store);
  EXPECT_EQ(shop["new_since_last_run"], in_store);

  // A clause by its id (with slashes) and by its slug; the team without a name as ~none.
  const json clauses = get_json("/api/v1/audit/clauses");
  ASSERT_FALSE(clauses["clauses"].empty());
  const std::string id = clauses["clauses"][0]["clause"];
  const json clause = get_json("/api/v1/audit/clauses/" + id);
  EXPECT_EQ(clause["clause"], id);
  EXPECT_EQ(get_json("/api/v1/audit/clauses/" + dashboard::slug(id))["clause"], id);
  std::size_t breaking = 0;
  for (const auto& b : clause["broken_by"]) breaking += b["open"].get<std::size_t>();
  EXPECT_EQ(breaking, clause["open"]);
  EXPECT_EQ(get_json("/api/v1/audit/teams/~none")["repositories"], 1);
  EXPECT_EQ(get_json("/api/v1/audit/teams/pay")["repositories_of_team"][0]["name"], "payments");
  EXPECT_EQ(get_json("/api/v1/audit/coverage")["repositories"].size(), 3u);
}

TEST_P(ServedDashboard, ProblemsForUnknownRoutesMethodsAndNames) {
  for (const char* target : {"/api/v1/audit/nothing", "/api/v1/audit/teams/nobody", "/api/v1/audit/repositories/x",
                             "/api/v1/audit"}) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 404) << target;
    EXPECT_EQ(response.content_type, "application/problem+json") << target;
  }
  EXPECT_EQ(get("/api/v1/audit/nothing").status, 404);
  // The ETag answers 304 while nothing changes.
  http::Request request;
  request.method = "GET";
  request.path = request.target = "/api/v1/audit/overview";
  request.client = "127.0.0.1";
  const http::Response first = service_->handle(request);
  ASSERT_EQ(first.status, 200);
  std::string etag;
  for (const auto& [name, value] : first.headers)
    if (name == "ETag") etag = value;
  ASSERT_FALSE(etag.empty());
  request.headers.emplace_back("if-none-match", etag);
  EXPECT_EQ(service_->handle(request).status, 304);
  request.method = "POST";
  EXPECT_EQ(service_->handle(request).status, 405);
  // Every route is in the OpenAPI document the server serves.
  const std::string document = get("/api/v1/openapi.yaml").body;
  for (const char* route : {"/api/v1/audit/overview:", "/api/v1/audit/overdue:", "/api/v1/audit/clauses:",
                            "/api/v1/audit/clauses/{clause}:", "/api/v1/audit/coverage:", "/api/v1/audit/teams/{team}:",
                            "/api/v1/audit/repositories/{repository}:"})
    EXPECT_NE(document.find(route), std::string::npos) << route;
}

TEST_P(ServedDashboard, AnUnreadableStoreIsA503AndTheServerGoesOn) {
  if (GetParam() == "postgresql") {
    // A database the running server does not have, with the right password.
    ct::PostgresServer* postgres = ct::PostgresServer::shared();
    ASSERT_NE(postgres, nullptr);
    server_.reset();
    start(postgres->url("no_such_database", postgres->password()));
    const auto response = get("/api/v1/audit/overview");
    EXPECT_EQ(response.status, 503) << response.body;
    EXPECT_NE(response.body.find("no_such_database"), std::string::npos) << response.body;
    EXPECT_EQ(response.body.find(postgres->password()), std::string::npos) << response.body;
    EXPECT_EQ(get("/healthz").status, 200);
    return;
  }
  server_.reset();
  const auto broken = dir_.write("broken.db", std::string(4096, 'x'));  // not a SQLite database
  start(broken.string());
  for (const char* target : {"/", "/api/v1/audit/overview"}) {
    const auto response = get(target);
    EXPECT_EQ(response.status, 503) << target << ": " << response.body;
    EXPECT_EQ(response.content_type, "application/problem+json");
    const json problem = json::parse(response.body, nullptr, false);
    EXPECT_EQ(problem["status"], 503);
    EXPECT_NE(problem["detail"].get<std::string>().find("broken.db"), std::string::npos) << response.body;
  }
  server_.reset();
  start((dir_.path() / "missing.db").string());
  EXPECT_EQ(get("/api/v1/audit/overview").status, 503);
  EXPECT_FALSE(std::filesystem::exists(dir_.path() / "missing.db")) << "the server only reads";
  EXPECT_EQ(get("/healthz").status, 200);
  // A store whose URL holds a password: the problem never shows it.
  server_.reset();
  start("postgresql://reader:hunter2-secret@127.0.0.1:1/audit");
  const auto refused = get("/api/v1/audit/overview");
  EXPECT_EQ(refused.status, 503) << refused.body;
  EXPECT_EQ(refused.body.find("hunter2-secret"), std::string::npos) << refused.body;
}

TEST_P(ServedDashboard, ManyThreadsReadTheStoreAtOnce) {
  std::atomic<int> ok = 0;
  std::vector<std::thread> clients;
  for (int t = 0; t < 6; ++t)
    clients.emplace_back([&, t] {
      for (int i = 0; i < 8; ++i) {
        const auto target = (t + i) % 2 == 0 ? "/api/v1/audit/overview" : "/repositories/shop.html";
        auto response = http::get(fmt::format("http://127.0.0.1:{}{}", server_->port(), target), {}, {});
        if (response && response->status == 200) ++ok;
      }
    });
  for (auto& client : clients) client.join();
  EXPECT_EQ(ok.load(), 48);
}

INSTANTIATE_TEST_SUITE_P(Backends, ServedDashboard, ::testing::Values("sqlite", "postgresql"),
                         [](const auto& backend) { return std::string(backend.param); });

TEST(ServedDashboardOff, WithoutAStoreTheAuditRoutesAre404) {
  ct::TempDir dir;
  const auto constitution = dir.write("CONSTITUTION.md", kConstitution);
  Service service(Sources{.config = std::nullopt, .constitution = constitution, .select = {}, .ignore = {}}, nullptr);
  ASSERT_TRUE(service.load());
  http::Request request;
  request.method = "GET";
  request.path = request.target = "/api/v1/audit/overview";
  request.client = "127.0.0.1";
  EXPECT_EQ(service.handle(request).status, 404);
  request.path = request.target = "/";
  EXPECT_EQ(service.handle(request).status, 404);
}

}  // namespace
}  // namespace constable::serve
