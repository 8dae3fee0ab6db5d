// The REST API called in process, its OpenAPI document checked by constable's
// own api/* checks, and /metrics validated by promtool.

#include "serve/api.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "app/app.hpp"
#include "core/text.hpp"
#include "serve/metrics.hpp"
#include "support/test_support.hpp"

namespace constable::serve {
namespace {

namespace ct = constable::testing;
using nlohmann::json;

const Date kToday = *Date::parse("2026-12-02");

std::shared_ptr<const Snapshot> platform_snapshot() {
  auto loaded = load_snapshot(Sources{.config = std::nullopt,
                                      .constitution = ct::source_dir() / "examples/k8s-platform/CONSTITUTION.md",
                                      .select = {},
                                      .ignore = {}});
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().to_string());
  return loaded ? *loaded : nullptr;
}

http::Request request(std::string method, std::string target, std::string body = {}) {
  http::Request r;
  r.method = std::move(method);
  r.target = target;
  const auto question = target.find('?');
  r.path = target.substr(0, question);
  if (question != std::string::npos) {
    for (const auto part : text::split(std::string_view(target).substr(question + 1), '&')) {
      const auto equals = part.find('=');
      r.query.emplace_back(std::string(part.substr(0, equals)),
                           equals == std::string_view::npos ? "" : std::string(part.substr(equals + 1)));
    }
  }
  r.body = std::move(body);
  r.headers.emplace_back("content-type", "application/json");
  r.client = "127.0.0.1";
  return r;
}

TEST(RestApi, PagesTheClausesWithANextLink) {
  const auto snapshot = platform_snapshot();
  ASSERT_TRUE(snapshot);
  const http::Response first = handle_api(request("GET", "/api/v1/clauses?page=1&per_page=5"), *snapshot, kToday);
  ASSERT_EQ(first.status, 200) << first.body;
  const json page = json::parse(first.body);
  EXPECT_EQ(page.at("items").size(), 5u);
  EXPECT_EQ(page.at("total"), snapshot->constitution().clauses.size());
  EXPECT_EQ(page.at("next"), "/api/v1/clauses?page=2&per_page=5");
  const std::size_t last_page = (snapshot->constitution().clauses.size() + 4) / 5;
  const json last = json::parse(
      handle_api(request("GET", fmt::format("/api/v1/clauses?page={}&per_page=5", last_page)), *snapshot, kToday)
          .body);
  EXPECT_TRUE(last.at("next").is_null());
  for (const char* bad : {"page=0", "per_page=501", "per_page=x", "page=-1"})
    EXPECT_EQ(handle_api(request("GET", fmt::format("/api/v1/clauses?{}", bad)), *snapshot, kToday).status, 400)
        << bad;
}

TEST(RestApi, OneClauseWithItsChecksAndAnETagThatAnswers304) {
  const auto snapshot = platform_snapshot();
  ASSERT_TRUE(snapshot);
  const auto* bound = snapshot->session.plan.find("kubernetes/no-latest-tag");
  ASSERT_TRUE(bound != nullptr && bound->clause != nullptr);
  const std::string target = "/api/v1/clauses/" + bound->clause->id;
  const http::Response response = handle_api(request("GET", target), *snapshot, kToday);
  ASSERT_EQ(response.status, 200) << response.body;
  const json clause = json::parse(response.body);
  EXPECT_EQ(clause.at("id"), bound->clause->id);
  EXPECT_NE(std::find(clause.at("checks").begin(), clause.at("checks").end(), "kubernetes/no-latest-tag"),
            clause.at("checks").end());
  std::string etag;
  for (const auto& [name, value] : response.headers)
    if (name == "ETag") etag = value;
  ASSERT_FALSE(etag.empty());
  http::Request again = request("GET", target);
  again.headers.emplace_back("if-none-match", etag);
  const http::Response cached = handle_api(again, *snapshot, kToday);
  EXPECT_EQ(cached.status, 304);
  EXPECT_TRUE(cached.body.empty());
  EXPECT_EQ(handle_api(request("GET", "/api/v1/clauses/no/such/clause"), *snapshot, kToday).status, 404);
}

TEST(RestApi, UnknownRoutesAndMethodsAreProblems) {
  const auto snapshot = platform_snapshot();
  ASSERT_TRUE(snapshot);
  const http::Response missing = handle_api(request("GET", "/api/v1/nothing"), *snapshot, kToday);
  EXPECT_EQ(missing.status, 404);
  EXPECT_EQ(missing.content_type, "application/problem+json");
  const http::Response wrong = handle_api(request("DELETE", "/api/v1/clauses"), *snapshot, kToday);
  EXPECT_EQ(wrong.status, 405);
  ASSERT_FALSE(wrong.headers.empty());
  EXPECT_EQ(wrong.headers.front(), (std::pair<std::string, std::string>{"Allow", "GET"}));
  EXPECT_EQ(json::parse(handle_api(request("GET", "/api/v1/coverage"), *snapshot, kToday).body).contains("clauses"),
            true);
  EXPECT_NE(handle_api(request("GET", "/api/v1/openapi.yaml"), *snapshot, kToday).body.find("openapi: 3.1.0"),
            std::string::npos);
}

TEST(RestApi, ChecksPostedFilesAndRedactsSecrets) {
  const auto snapshot = platform_snapshot();
  ASSERT_TRUE(snapshot);
  const std::string password = "s3cr3t-Pa55w0rd-9x7Qz";
  const std::string deployment =
      "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: production}\nspec:\n  template:\n"
      "    spec:\n      containers:\n        - name: web\n          image: nginx:latest\n          env:\n"
      "            - {name: DB_PASSWORD, value: " + password + "}\n";
  const json body = {{"files", {{{"path", "k8s/production/web.yaml"}, {"content", deployment}}}}};
  const http::Response response = handle_api(request("POST", "/api/v1/checks", body.dump()), *snapshot, kToday);
  ASSERT_EQ(response.status, 200) << response.body;
  EXPECT_EQ(response.body.find(password), std::string::npos);
  const json report = json::parse(response.body);
  std::set<std::string> checks;
  for (const auto& finding : report.at("findings")) {
    checks.insert(finding.at("check").get<std::string>());
    EXPECT_FALSE(finding.at("due").get<std::string>().empty());
  }
  EXPECT_TRUE(checks.contains("kubernetes/no-latest-tag")) << response.body;
  EXPECT_TRUE(checks.contains("kubernetes/secret-references")) << response.body;
}

TEST(RestApi, RefusesBadFileSets) {
  const auto snapshot = platform_snapshot();
  ASSERT_TRUE(snapshot);
  const std::vector<std::pair<std::string, int>> cases = {
      {"not json", 400},
      {"{}", 422},
      {R"({"files": []})", 422},
      {R"({"files": [{"path": "../etc/passwd", "content": "x"}]})", 422},
      {R"({"files": [{"path": "/abs.yaml", "content": "x"}]})", 422},
      {R"({"files": [{"path": "a/./b.yaml", "content": "x"}]})", 422},
      {R"({"files": [{"path": "a.yaml", "content": 3}]})", 422},
      {R"({"files": [{"path": "a.yaml", "content": ""}, {"path": "a.yaml", "content": ""}]})", 422},
  };
  for (const auto& [body, status] : cases) {
    const http::Response response = handle_api(request("POST", "/api/v1/checks", body), *snapshot, kToday);
    EXPECT_EQ(response.status, status) << body;
    EXPECT_EQ(response.content_type, "application/problem+json") << body;
  }
}

TEST(RestApi, ItsOpenApiDocumentPassesConstablesOwnApiChecks) {
  const auto reference = ct::shared_file("reference-constitution.md");
  if (!reference) GTEST_SKIP() << "../shared/reference-constitution.md is absent";
  ct::TempDir dir;
  dir.write("openapi.yaml", ct::read_file(ct::source_dir() / "docs/api/openapi.yaml"));
  app::CheckOptions options;
  options.path = dir.path();
  options.constitution = *reference;
  options.select = {"api"};
  options.format = report::Format::json;
  const app::Outcome outcome = app::check(options);
  const json report = json::parse(outcome.out);
  EXPECT_TRUE(report.at("findings").empty()) << report.at("findings").dump(2);
}

TEST(Metrics, ExpositionPassesPromtool) {
  if (ct::run_command({"sh", "-c", "command -v promtool"}).exit_code != 0)
    GTEST_SKIP() << "promtool (Debian package prometheus) is not installed";
  Metrics metrics;
  metrics.set_ready(true);
  metrics.set_constitution("2.0.0", "ab12");
  metrics.observe_request("validate", "Deployment", "denied", std::chrono::microseconds(700));
  metrics.observe_request("validate", "Pod\"with\\odd\nname", "allowed", std::chrono::microseconds(3000000));
  metrics.count_finding("kubernetes/no-latest-tag", Severity::high, 2);
  metrics.count_reload("config", false);
  metrics.count_rejected(429);
  metrics.set_open_connections(3);
  const std::string text = metrics.exposition();
  EXPECT_NE(text.find("constable_requests_total{operation=\"validate\",kind=\"Deployment\",decision=\"denied\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("constable_request_duration_seconds_bucket{operation=\"validate\",le=\"0.001\"} 1\n"),
            std::string::npos);
  EXPECT_NE(text.find("constable_request_duration_seconds_bucket{operation=\"validate\",le=\"+Inf\"} 2\n"),
            std::string::npos);
  EXPECT_NE(text.find(R"(kind="Pod\"with\\odd\nname")"), std::string::npos);
  EXPECT_NE(text.find("constable_findings_total{check=\"kubernetes/no-latest-tag\",severity=\"high\"} 2\n"),
            std::string::npos);
  ct::TempDir dir;
  const auto file = dir.write("metrics.txt", text);
  const auto result = ct::run_command({"sh", "-c", fmt::format("promtool check metrics < '{}'", file.string())});
  EXPECT_EQ(result.exit_code, 0) << result.out << result.err << text;
}

}  // namespace
}  // namespace constable::serve

namespace constable::serve {
namespace {

// The chart, the Dockerfile and the manifests that ship the server follow the
// constitution they enforce (issue 13). helm/lint-in-ci is about the
// repository's CI, which has no workflow files of its own.
TEST(Deployment, ChartAndDockerfilePassTheKubernetesHelmAndDockerChecks) {
  const auto reference = ct::shared_file("reference-constitution.md");
  if (!reference) GTEST_SKIP() << "../shared/reference-constitution.md is absent";
  app::CheckOptions options;
  options.path = ct::source_dir();
  options.constitution = *reference;
  options.select = {"kubernetes", "helm", "docker"};
  options.format = report::Format::json;
  const json report = json::parse(app::check(options).out);
  for (const auto& finding : report.at("findings")) {
    if (finding.at("check") == "helm/lint-in-ci") continue;
    ADD_FAILURE() << finding.dump(2);
  }
}

// The nightly fleet audit as deploy/audit/values.yaml turns it on in the
// chart: rendered with those values as an environment of a copy of the chart,
// its CronJob, ConfigMap and NetworkPolicy pass the same checks. The copy
// with the latest tag shows the CronJob is rendered and judged.
TEST(Deployment, TheChartsNightlyAuditPassesTheKubernetesAndHelmChecks) {
  const auto reference = ct::shared_file("reference-constitution.md");
  if (!reference) GTEST_SKIP() << "../shared/reference-constitution.md is absent";
  const auto findings_with = [&](std::string_view extra_values) {
    ct::TempDir dir;
    std::filesystem::copy(ct::source_dir() / "deploy" / "helm" / "constable", dir.path() / "constable",
                          std::filesystem::copy_options::recursive);
    const std::string fleet = ct::read_file(ct::source_dir() / "deploy" / "audit" / "fleet.yaml");
    std::string fleet_value = "  fleet: |\n";
    for (const std::string_view line : text::split(fleet, '\n')) fleet_value += fmt::format("    {}\n", line);
    std::string values = ct::read_file(ct::source_dir() / "deploy" / "audit" / "values.yaml");
    const auto enabled = values.find("  enabled: true\n");
    EXPECT_NE(enabled, std::string::npos) << values;
    values.insert(enabled + std::string_view("  enabled: true\n").size(), fleet_value);
    dir.write("constable/values-audit.yaml", values + "constitution:\n  content: \"# Constitution\"\n" +
                                                 std::string(extra_values));
    app::CheckOptions options;
    options.path = dir.path();
    options.constitution = *reference;
    options.select = {"kubernetes", "helm"};
    options.format = report::Format::json;
    const json report = json::parse(app::check(options).out);
    std::vector<json> out;
    for (const auto& finding : report.at("findings"))
      if (finding.at("check") != "helm/lint-in-ci") out.push_back(finding);
    return out;
  };
  for (const auto& finding : findings_with("")) ADD_FAILURE() << finding.dump(2);
  const auto latest = findings_with("image:\n  tag: latest\n");
  const bool cronjob_judged = std::ranges::any_of(latest, [](const json& f) {
    return f.at("check") == "kubernetes/no-latest-tag" &&
           f.at("location").at("path").get<std::string>().ends_with("templates/audit-cronjob.yaml");
  });
  EXPECT_TRUE(cronjob_judged) << json(latest).dump(2);
}

}  // namespace
}  // namespace constable::serve
