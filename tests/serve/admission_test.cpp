// The admission webhook's judgement, called in process: reviews in the shape
// the API server sends, answers in the shape it accepts, and the routes and
// reloads of the service around it. (Over real TLS: http_server_test.cpp and
// scripts/serve-e2e.sh.)

#include "serve/admission.hpp"

#include <fmt/format.h>
#include <gtest/gtest.h>
#include <nlohmann/json.hpp>

#include "serve/service.hpp"
#include "support/test_support.hpp"

namespace constable::serve {
namespace {

namespace ct = constable::testing;
using nlohmann::json;

const Date kToday = *Date::parse("2026-12-02");

std::filesystem::path platform_constitution() {
  return ct::source_dir() / "examples" / "k8s-platform" / "CONSTITUTION.md";
}

// A snapshot of the k8s-platform example's constitution with `admission`
// (YAML, under `admission:`) as its configuration.
std::shared_ptr<const Snapshot> snapshot_with(const ct::TempDir& dir, std::string_view admission) {
  const auto config = dir.write(".constable.yaml", fmt::format("admission:\n{}", admission));
  auto loaded = load_snapshot(Sources{.config = config, .constitution = platform_constitution(), .select = {}, .ignore = {}});
  EXPECT_TRUE(loaded) << (loaded ? "" : loaded.error().to_string());
  return loaded ? *loaded : nullptr;
}

json deployment(std::string_view image, bool hardened) {
  json container = {{"name", "web"}, {"image", image}};
  if (hardened) {
    container["resources"] = {{"requests", {{"cpu", "100m"}, {"memory", "128Mi"}}},
                              {"limits", {{"cpu", "500m"}, {"memory", "256Mi"}}}};
    container["livenessProbe"] = {{"httpGet", {{"path", "/healthz"}, {"port", 8080}}}};
    container["readinessProbe"] = {{"httpGet", {{"path", "/readyz"}, {"port", 8080}}}};
    container["securityContext"] = {{"runAsNonRoot", true},
                                    {"allowPrivilegeEscalation", false},
                                    {"readOnlyRootFilesystem", true},
                                    {"capabilities", {{"drop", {"ALL"}}}}};
  }
  json spec = {{"replicas", 3},
               {"selector", {{"matchLabels", {{"app", "web"}}}}},
               {"template",
                {{"metadata", {{"labels", {{"app", "web"}}}}},
                 {"spec", {{"containers", json::array({container})}}}}}};
  if (hardened) {
    spec["revisionHistoryLimit"] = 10;
    spec["strategy"] = {{"type", "RollingUpdate"},
                        {"rollingUpdate", {{"maxUnavailable", "25%"}, {"maxSurge", "25%"}}}};
    spec["template"]["spec"]["securityContext"] = {{"runAsNonRoot", true},
                                                   {"seccompProfile", {{"type", "RuntimeDefault"}}}};
  }
  return {{"apiVersion", "apps/v1"}, {"kind", "Deployment"}, {"metadata", {{"name", "web"}}}, {"spec", spec}};
}

// A review as the API server sends it.
std::string review_of(const json& object, std::string_view operation, std::string_view namespace_name,
                      const json& old_object = nullptr, bool dry_run = false,
                      std::string_view user = "alice@example.com") {
  const std::string kind = object.is_object() ? object.value("kind", "Deployment") : "Deployment";
  json request = {{"uid", "705ab4f5-6393-11e8-b7cc-42010a800002"},
                  {"kind", {{"group", kind == "Pod" || kind == "Secret" ? "" : "apps"}, {"version", "v1"}, {"kind", kind}}},
                  {"resource", {{"group", "apps"}, {"version", "v1"}, {"resource", "deployments"}}},
                  {"requestKind", {{"group", "apps"}, {"version", "v1"}, {"kind", kind}}},
                  {"name", "web"},
                  {"namespace", namespace_name},
                  {"operation", operation},
                  {"userInfo", {{"username", user}, {"uid", "014fbff9a07c"}, {"groups", {"system:authenticated"}}}},
                  {"object", object},
                  {"oldObject", old_object},
                  {"dryRun", dry_run},
                  {"options", {{"apiVersion", "meta.k8s.io/v1"}, {"kind", "CreateOptions"}}}};
  return json{{"apiVersion", "admission.k8s.io/v1"}, {"kind", "AdmissionReview"}, {"request", request}}.dump();
}

json response_of(const AdmissionOutcome& outcome) {
  EXPECT_EQ(outcome.status, 200) << outcome.body;
  const json answer = json::parse(outcome.body);
  EXPECT_EQ(answer.at("apiVersion"), "admission.k8s.io/v1");
  EXPECT_EQ(answer.at("kind"), "AdmissionReview");
  EXPECT_EQ(answer.at("response").at("uid"), "705ab4f5-6393-11e8-b7cc-42010a800002");
  return answer.at("response");
}

constexpr std::string_view kDenyAll = "  enforcement: {critical: deny, high: deny, medium: deny, low: deny}\n";

TEST(Admission, RefusesALatestImageInProductionNamingClauseSeverityAndDueDate) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, kDenyAll);
  ASSERT_TRUE(snapshot);
  const AdmissionOutcome outcome = review(review_of(deployment("nginx:latest", true), "CREATE", "production"),
                                          *snapshot, kToday);
  const json response = response_of(outcome);
  EXPECT_EQ(response.at("allowed"), false);
  EXPECT_EQ(response.at("status").at("code"), 403);
  const std::string message = response.at("status").at("message");
  EXPECT_NE(message.find("kubernetes/no-latest-tag [high, due 2026-12-09]"), std::string::npos) << message;
  EXPECT_NE(message.find("— fix: "), std::string::npos) << message;
  EXPECT_NE(message.find("of the constitution 2.0.0"), std::string::npos) << message;
  EXPECT_EQ(outcome.decision, "denied");
  ASSERT_FALSE(outcome.violations.empty());
  EXPECT_FALSE(outcome.violations.front().clause.empty());
}

// A team's Gatekeeper library (a ConstraintTemplate and its Constraint in the
// configuration's policy directory) judges the reviewed object at admission.
TEST(Admission, AGatekeeperConstraintOfThePolicyDirectoriesJudgesTheObject) {
  ct::TempDir dir;
  const auto fixture = ct::fixtures_dir() / "rego" / "gatekeeper";
  dir.write("policies/required-labels.yaml", ct::read_file(fixture / "policies" / "required-labels.yaml"));
  const auto config = dir.write(".constable.yaml", fmt::format("policies: [policies]\nadmission:\n{}", kDenyAll));
  auto snapshot = load_snapshot(
      Sources{.config = config, .constitution = fixture / "constitution.md", .select = {}, .ignore = {}});
  ASSERT_TRUE(snapshot) << snapshot.error().to_string();
  json unlabelled = deployment("registry.example.com/web:1.0.0", true);
  AdmissionOutcome outcome = review(review_of(unlabelled, "CREATE", "shop"), **snapshot, kToday);
  json response = response_of(outcome);
  EXPECT_EQ(response.at("allowed"), false) << response.dump();
  const std::string message = response.at("status").at("message");
  EXPECT_NE(message.find("policy/teamrequiredlabels.workloads-have-an-owner [critical"), std::string::npos) << message;
  EXPECT_NE(message.find("Deployment web lacks the labels [\"app.kubernetes.io/name\", \"team\"]"), std::string::npos)
      << message;

  json labelled = unlabelled;
  labelled["metadata"]["labels"] = {{"team", "shop"}, {"app.kubernetes.io/name", "web"}};
  outcome = review(review_of(labelled, "CREATE", "shop"), **snapshot, kToday);
  EXPECT_EQ(response_of(outcome).at("allowed"), true) << outcome.body;
}

// An AdmissionReview names the namespace but carries no labels: the server
// looks them up (serve/namespaces.hpp) and judges the namespace as the CLI
// judges one whose Namespace object is in the repository.
TEST(Admission, TheNamespacesLabelsSayWhichEnvironmentItIs) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, kDenyAll);
  ASSERT_TRUE(snapshot);
  const std::string body = review_of(deployment("nginx:latest", true), "CREATE", "shop");
  std::vector<std::string> asked;
  const auto labelled = [&](json labels) -> NamespaceLabels {
    return [&asked, labels](std::string_view name) -> std::optional<json> {
      asked.emplace_back(name);
      return labels;
    };
  };
  const AdmissionOutcome production =
      review(body, *snapshot, kToday, labelled(json{{"environment", "production"}}));
  EXPECT_EQ(production.decision, "denied");
  const std::string message = response_of(production).at("status").at("message");
  EXPECT_NE(message.find("namespace 'shop' is labelled environment=production"), std::string::npos) << message;
  EXPECT_EQ(asked, std::vector<std::string>{"shop"});
  // Only the reviewed object is judged, not the Namespace beside it.
  for (const Violation& violation : production.violations) EXPECT_EQ(violation.check, "kubernetes/no-latest-tag");

  const AdmissionOutcome development = review(body, *snapshot, kToday, labelled(json{{"env", "dev"}}));
  EXPECT_EQ(development.decision, "allowed") << development.body;
}

TEST(Admission, AdmitsAHardenedDeploymentAndLeavesRelationalChecksToCi) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, kDenyAll);
  ASSERT_TRUE(snapshot);
  // No PodDisruptionBudget, NetworkPolicy or ResourceQuota comes with one
  // object: those checks do not run at admission.
  const AdmissionOutcome outcome = review(review_of(deployment("registry.example.com/shop/web:v1.4.2", true),
                                                    "CREATE", "production"),
                                          *snapshot, kToday);
  const json response = response_of(outcome);
  EXPECT_EQ(response.at("allowed"), true) << outcome.body;
  EXPECT_EQ(outcome.decision, "allowed") << outcome.body;
  EXPECT_FALSE(response.contains("warnings")) << outcome.body;
}

// A clause the constitution added less than its transition period ago
// warns where it will deny; the version before it comes from
// previous_constitution: (a ConfigMap has no git history).
TEST(Admission, AClauseInItsTransitionPeriodWarnsInsteadOfDenying) {
  ct::TempDir dir;
  std::string current = ct::read_file(platform_constitution());
  const std::string limit = "- Deployment history limit: 10 revisions\n";
  const std::string footer = "**Version**: 2.0.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-01-03";
  ASSERT_NE(current.find(limit), std::string::npos);
  ASSERT_NE(current.find(footer), std::string::npos);
  std::string previous = current;
  previous.erase(previous.find(limit), limit.size());
  current.replace(current.find(footer), footer.size(),
                  "**Version**: 2.1.0 | **Ratified**: 2026-01-03 | **Last Amended**: 2026-11-01");
  const auto constitution = dir.write("CONSTITUTION.md", current);
  dir.write("constitution-2.0.0.md", previous);
  const auto config = dir.write(".constable.yaml", fmt::format("previous_constitution: constitution-2.0.0.md\n"
                                                               "admission:\n{}", kDenyAll));
  auto snapshot = load_snapshot(Sources{.config = config, .constitution = constitution, .select = {}, .ignore = {}});
  ASSERT_TRUE(snapshot) << snapshot.error().to_string();
  json object = deployment("registry.example.com/shop/web:v1.4.2", true);
  object["spec"]["revisionHistoryLimit"] = 3;
  const AdmissionOutcome outcome = review(review_of(object, "CREATE", "production"), **snapshot, kToday);
  const json response = response_of(outcome);
  EXPECT_EQ(response.at("allowed"), true) << outcome.body;
  EXPECT_EQ(outcome.decision, "warned");
  ASSERT_TRUE(response.contains("warnings")) << outcome.body;
  const std::string warning = response.at("warnings").at(0);
  EXPECT_NE(warning.find("kubernetes/revision-history-limit"), std::string::npos) << warning;
  EXPECT_NE(warning.find("warning until 2027-05-01, then due 2027-05-31"), std::string::npos) << warning;
  // After the period the same object is refused.
  const AdmissionOutcome later =
      review(review_of(object, "CREATE", "production"), **snapshot, *Date::parse("2027-05-01"));
  EXPECT_EQ(later.decision, "denied") << later.body;
}

TEST(Admission, WarnsWithShortWarningsWhenTheSeverityIsSetToWarn) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, "  enforcement: {critical: warn, high: warn, medium: warn, low: warn}\n");
  ASSERT_TRUE(snapshot);
  const AdmissionOutcome outcome =
      review(review_of(deployment("nginx:latest", false), "CREATE", "production"), *snapshot, kToday);
  const json response = response_of(outcome);
  EXPECT_EQ(response.at("allowed"), true);
  EXPECT_EQ(outcome.decision, "warned");
  ASSERT_TRUE(response.contains("warnings"));
  std::size_t total = 0;
  for (const auto& warning : response.at("warnings")) {
    const std::string text = warning.get<std::string>();
    EXPECT_LT(text.size(), 120u) << text;
    total += text.size();
  }
  EXPECT_LT(total, 4096u);
  EXPECT_GE(response.at("warnings").size(), 3u);  // latest tag, resources, probes, security context
}

TEST(Admission, AuditAdmitsSilentlyButRecordsTheViolations) {
  ct::TempDir dir;
  const auto snapshot =
      snapshot_with(dir, "  enforcement: {critical: audit, high: audit, medium: audit, low: audit}\n");
  ASSERT_TRUE(snapshot);
  const AdmissionOutcome outcome =
      review(review_of(deployment("nginx:latest", false), "CREATE", "production"), *snapshot, kToday);
  const json response = response_of(outcome);
  EXPECT_EQ(response.at("allowed"), true);
  EXPECT_FALSE(response.contains("warnings"));
  EXPECT_EQ(outcome.decision, "audited");
  EXPECT_FALSE(outcome.violations.empty());
}

TEST(Admission, UpdateIsRefusedOnlyForWhatTheChangeMakesWorse) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, kDenyAll);
  ASSERT_TRUE(snapshot);
  // Already without resources and probes: scaling it changes nothing it is judged on.
  json before = deployment("registry.example.com/shop/web:v1.4.2", false);
  json after = before;
  after["spec"]["replicas"] = 5;
  EXPECT_EQ(response_of(review(review_of(after, "UPDATE", "production", before), *snapshot, kToday)).at("allowed"),
            true);
  // Moving it to the latest tag is new.
  json worse = before;
  worse["spec"]["template"]["spec"]["containers"][0]["image"] = "nginx:latest";
  const AdmissionOutcome outcome = review(review_of(worse, "UPDATE", "production", before), *snapshot, kToday);
  EXPECT_EQ(response_of(outcome).at("allowed"), false);
  ASSERT_EQ(outcome.violations.size(), 1u) << outcome.body;
  EXPECT_EQ(outcome.violations.front().check, "kubernetes/no-latest-tag");
}

TEST(Admission, DeleteAndConnectAreAllowedUnjudged) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, kDenyAll);
  ASSERT_TRUE(snapshot);
  for (const char* operation : {"DELETE", "CONNECT"}) {
    const AdmissionOutcome outcome =
        review(review_of(nullptr, operation, "production", deployment("nginx:latest", false)), *snapshot, kToday);
    EXPECT_EQ(response_of(outcome).at("allowed"), true) << operation;
    EXPECT_TRUE(outcome.violations.empty());
  }
}

TEST(Admission, ExemptNamespacesUsersAndGroupsAreAdmittedUnchecked) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, std::string(kDenyAll) +
                                               "  exempt_namespaces: [kube-system]\n"
                                               "  exempt_users: [\"system:serviceaccount:argocd:controller\"]\n"
                                               "  exempt_groups: [\"system:masters\"]\n");
  ASSERT_TRUE(snapshot);
  const json bad = deployment("nginx:latest", false);
  EXPECT_EQ(review(review_of(bad, "CREATE", "kube-system"), *snapshot, kToday).decision, "exempt");
  EXPECT_EQ(review(review_of(bad, "CREATE", "production", nullptr, false, "system:serviceaccount:argocd:controller"),
                   *snapshot, kToday)
                .decision,
            "exempt");
  json by_admin = json::parse(review_of(bad, "CREATE", "production"));
  by_admin["request"]["userInfo"]["groups"].push_back("system:masters");
  EXPECT_EQ(review(by_admin.dump(), *snapshot, kToday).decision, "exempt");
  EXPECT_EQ(review(review_of(bad, "CREATE", "production"), *snapshot, kToday).decision, "denied");
}

TEST(Admission, DryRunIsJudgedTheSameWay) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, kDenyAll);
  ASSERT_TRUE(snapshot);
  const AdmissionOutcome outcome =
      review(review_of(deployment("nginx:latest", true), "CREATE", "production", nullptr, true), *snapshot, kToday);
  EXPECT_TRUE(outcome.dry_run);
  EXPECT_EQ(response_of(outcome).at("allowed"), false);
}

TEST(Admission, ASecretIsAdmittedButACredentialInAnEnvLiteralIsNot) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, kDenyAll);
  ASSERT_TRUE(snapshot);
  const std::string key = "AKIA" "Z3MNQ7RXW2YT5KPL";
  const json secret = {{"apiVersion", "v1"},
                       {"kind", "Secret"},
                       {"metadata",
                        {{"name", "db"},
                         {"annotations",
                          {{"kubectl.kubernetes.io/last-applied-configuration",
                            json{{"stringData", {{"AWS_ACCESS_KEY_ID", key}}}}.dump()}}}}},
                       {"type", "Opaque"},
                       {"stringData", {{"AWS_ACCESS_KEY_ID", key}}}};
  const AdmissionOutcome admitted = review(review_of(secret, "CREATE", "production"), *snapshot, kToday);
  EXPECT_EQ(response_of(admitted).at("allowed"), true) << admitted.body;

  const std::string password = "s3cr3t-Pa55w0rd-9x7Qz";
  json leaky = deployment("registry.example.com/shop/web:v1.4.2", true);
  leaky["spec"]["template"]["spec"]["containers"][0]["env"] = {{{"name", "DB_PASSWORD"}, {"value", password}}};
  const AdmissionOutcome refused = review(review_of(leaky, "CREATE", "production"), *snapshot, kToday);
  EXPECT_EQ(response_of(refused).at("allowed"), false) << refused.body;
  ASSERT_EQ(refused.violations.size(), 1u) << refused.body;
  EXPECT_EQ(refused.violations.front().check, "kubernetes/secret-references");
  EXPECT_EQ(refused.body.find(password), std::string::npos) << "the value must never be echoed";
}

TEST(Admission, BadReviewsAreProblemsNotCrashes) {
  ct::TempDir dir;
  const auto snapshot = snapshot_with(dir, kDenyAll);
  ASSERT_TRUE(snapshot);
  const std::string deep = std::string(10000, '[') + std::string(10000, ']');
  const std::vector<std::pair<std::string, std::string>> cases = {
      {"not json", "not JSON"},
      {"[1,2]", "not a JSON object"},
      {R"({"apiVersion":"admission.k8s.io/v1beta1","kind":"AdmissionReview","request":{"uid":"x"}})", "v1beta1"},
      {R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview"})", "no request"},
      {R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"operation":"CREATE"}})", "no uid"},
      {R"({"apiVersion":"admission.k8s.io/v1","kind":"AdmissionReview","request":{"uid":"u","operation":"CREATE"}})",
       "no object"},
      {deep, "deeper than 128"},
  };
  for (const auto& [body, expected] : cases) {
    const AdmissionOutcome outcome = review(body, *snapshot, kToday);
    EXPECT_EQ(outcome.status, 400) << body.substr(0, 80);
    EXPECT_EQ(outcome.content_type, "application/problem+json");
    const json problem = json::parse(outcome.body);
    EXPECT_EQ(problem.at("status"), 400);
    EXPECT_NE(problem.at("detail").get<std::string>().find(expected), std::string::npos) << outcome.body;
  }
}

TEST(AdmissionJsonDepth, CountsNestingOutsideStrings) {
  EXPECT_EQ(json_depth(R"({"a":[{"b":"[[[[{{"}]})", 100), 3);
  EXPECT_EQ(json_depth(R"("\"[")", 100), 0);
  EXPECT_EQ(json_depth(std::string(1000, '['), 10), 11);  // stops past the limit
}

// The service around the review: routes, readiness, reloads.
class ServiceTest : public ::testing::Test {
 protected:
  void SetUp() override {
    constitution_ = dir_.write("constitution.md", ct::read_file(platform_constitution()));
    config_ = dir_.write("constable.yaml", "constitution: constitution.md\n");
  }
  http::Request get(std::string path) {
    http::Request request;
    request.method = "GET";
    request.path = request.target = std::move(path);
    request.client = "127.0.0.1";
    return request;
  }
  ct::TempDir dir_;
  std::filesystem::path constitution_, config_;
  std::vector<std::string> log_;
};

TEST_F(ServiceTest, IsReadyOnlyOnceLoadedAndServesHealthAndMetrics) {
  Service service(Sources{.config = config_, .constitution = {}, .select = {}, .ignore = {}},
                  [this](std::string_view line) { log_.emplace_back(line); });
  EXPECT_EQ(service.handle(get("/healthz")).status, 200);
  EXPECT_EQ(service.handle(get("/readyz")).status, 503);
  ASSERT_TRUE(service.load());
  EXPECT_EQ(service.handle(get("/readyz")).status, 200);
  const http::Response metrics = service.handle(get("/metrics"));
  EXPECT_EQ(metrics.status, 200);
  EXPECT_NE(metrics.body.find("constable_constitution_info{"), std::string::npos) << metrics.body;
  EXPECT_EQ(service.handle(get("/nowhere")).status, 404);
  EXPECT_EQ(service.handle(get("/validate")).status, 405);
}

TEST_F(ServiceTest, LogsOneStructuredLineForEachDecision) {
  Service service(Sources{.config = config_, .constitution = {}, .select = {}, .ignore = {}},
                  [this](std::string_view line) { log_.emplace_back(line); });
  ASSERT_TRUE(service.load());
  service.set_today(kToday);
  http::Request request = get("/validate");
  request.method = "POST";
  request.body = review_of(deployment("nginx:latest", false), "CREATE", "production");
  request.headers.emplace_back("x-request-id", "req-42");
  const http::Response response = service.handle(request);
  EXPECT_EQ(response.status, 200);
  const json line = json::parse(log_.back());
  EXPECT_EQ(line.at("msg"), "admission decision");
  EXPECT_EQ(line.at("correlation_id"), "req-42");
  EXPECT_EQ(line.at("uid"), "705ab4f5-6393-11e8-b7cc-42010a800002");
  EXPECT_EQ(line.at("user"), "alice@example.com");
  EXPECT_EQ(line.at("namespace"), "production");
  EXPECT_EQ(line.at("kind"), "Deployment");
  EXPECT_EQ(line.at("decision"), "denied");
  EXPECT_FALSE(line.at("violations").empty());
  EXPECT_TRUE(line.contains("duration_ms"));

  // A dry run leaves no record.
  const std::size_t lines = log_.size();
  request.body = review_of(deployment("nginx:latest", false), "CREATE", "production", nullptr, true);
  EXPECT_EQ(service.handle(request).status, 200);
  EXPECT_EQ(log_.size(), lines);
}

TEST_F(ServiceTest, ReloadsAChangedConstitutionAndKeepsServingThroughABrokenOne) {
  Service service(Sources{.config = config_, .constitution = {}, .select = {}, .ignore = {}},
                  [this](std::string_view line) { log_.emplace_back(line); });
  ASSERT_TRUE(service.load());
  const std::string first = service.snapshot()->constitution_sha256;

  std::string amended = ct::read_file(constitution_);
  amended.replace(amended.find("**Version**: 2.0.0"), 18, "**Version**: 2.1.0");
  ct::TempDir staging;
  // Written beside and renamed over, as editors and ConfigMap volumes do.
  std::filesystem::rename(staging.write("c.md", amended), constitution_);
  service.reload(false);
  ASSERT_NE(service.snapshot()->constitution_sha256, first);
  EXPECT_EQ(service.snapshot()->constitution().version->version, "2.1.0");

  // A config that no longer parses: the 2.1.0 snapshot keeps serving.
  std::filesystem::rename(staging.write("b.yaml", "constitution: [\n"), config_);
  service.reload(false);
  EXPECT_EQ(service.snapshot()->constitution().version->version, "2.1.0");
  EXPECT_NE(log_.back().find("reload failed"), std::string::npos) << log_.back();
  EXPECT_NE(service.handle(get("/metrics")).body.find(R"(constable_reloads_total{what="config",result="error"} 1)"),
            std::string::npos);
  EXPECT_EQ(service.handle(get("/readyz")).status, 200);
}

TEST_F(ServiceTest, ASighupWithNothingChangedSaysSo) {
  Service service(Sources{.config = config_, .constitution = {}, .select = {}, .ignore = {}},
                  [this](std::string_view line) { log_.emplace_back(line); });
  ASSERT_TRUE(service.load());
  const std::size_t lines = log_.size();
  service.reload(false);  // the watcher's poll: silent when nothing changed
  EXPECT_EQ(log_.size(), lines);
  service.reload(true);  // SIGHUP
  ASSERT_EQ(log_.size(), lines + 1);
  EXPECT_NE(log_.back().find("reload requested; the constitution and configuration are unchanged"), std::string::npos)
      << log_.back();
}

}  // namespace
}  // namespace constable::serve
