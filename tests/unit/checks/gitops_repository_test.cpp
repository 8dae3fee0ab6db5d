// gitops/deployment-spec on whole repositories: its findings are about the
// specification as a whole (line 0 of its root), which fixtures cannot express.

#include <gtest/gtest.h>

#include <set>
#include <tuple>

#include "app/app.hpp"
#include "engine/run.hpp"
#include "support/test_support.hpp"
#include "unit/checks/check_test_support.hpp"

namespace constable::testing {
namespace {

using Found = std::tuple<std::string, std::string, std::string>;  // path, clause text, message

std::multiset<Found> deployment_spec_findings(const TempDir& repo) {
  const engine::RunResult result = run_on_reference_excerpt(repo);
  std::multiset<Found> out;
  for (const auto& f : result.findings)
    if (f.check_id == "gitops/deployment-spec") {
      EXPECT_EQ(f.range.line, 0);
      out.insert({f.path, f.clause_text, f.message});
    }
  return out;
}

constexpr const char* kDeployment = R"(apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  strategy:
    type: RollingUpdate
  template:
    spec:
      containers:
        - name: web
          image: registry.example.com/web:1.2.3
          resources:
            requests: {cpu: 100m, memory: 128Mi}
          readinessProbe:
            httpGet: {path: /ready, port: 8080}
)";

TEST(GitopsRepository, BareDeploymentMissesEachItemUnderItsOwnClause) {
  TempDir repo;
  repo.write("k8s/kustomization.yaml", "resources: [deployment.yaml]\n");
  repo.write("k8s/deployment.yaml", kDeployment);
  repo.write(".github/workflows/deploy.yml",
             "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n      - run: kubectl apply -k k8s\n");
  // A values file named for no environment says nothing of environments.
  repo.write("k8s/values-ascii-check.yaml", "check: true\n");
  const auto found = deployment_spec_findings(repo);
  const std::string at = "k8s/deployment.yaml";
  EXPECT_EQ(found,
            (std::multiset<Found>{
                {at, "Target environments and their differences",
                 "the deployment specification declares no target environments (no values-<env>.yaml, no overlay per "
                 "environment)"},
                {at, "Resource requirements and scaling policies",
                 "the deployment specification declares no scaling policy (HorizontalPodAutoscaler, KEDA ScaledObject "
                 "or VerticalPodAutoscaler)"},
                {at, "Rollout strategies and rollback conditions",
                 "the deployment specification declares no rollback condition (progressDeadlineSeconds, an Argo "
                 "Rollouts analysis, a Flagger Canary, a HelmRelease remediation or helm --atomic)"},
                {at, "Monitoring and alerting rules",
                 "the deployment specification declares no monitoring (ServiceMonitor, PodMonitor, scrape annotations) "
                 "and no alerting rules"}}));
}

TEST(GitopsRepository, ChartWithEnvironmentsAutoscalerAlertsAndAtomicUpgradesDeclaresEverything) {
  TempDir repo;
  repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  repo.write("charts/web/values.yaml", "replicas: 2\n");
  repo.write("charts/web/values-staging.yaml", "replicas: 1\n");
  repo.write("charts/web/values-prod.yaml", "replicas: 4\n");
  repo.write("charts/web/templates/deployment.yaml", kDeployment);
  repo.write("charts/web/templates/hpa.yaml", "apiVersion: autoscaling/v2\nkind: HorizontalPodAutoscaler\n");
  repo.write("charts/web/templates/servicemonitor.yaml", "apiVersion: monitoring.coreos.com/v1\nkind: ServiceMonitor\n");
  repo.write("charts/web/templates/rules.yaml",
             "apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nspec:\n  groups:\n    - name: web\n      rules:\n"
             "        - alert: WebDown\n          expr: up == 0\n");
  repo.write(".github/workflows/deploy.yml",
             "on: push\njobs:\n  deploy:\n    runs-on: ubuntu-latest\n    steps:\n"
             "      - run: helm upgrade --install web charts/web -f charts/web/values-staging.yaml --atomic\n");
  EXPECT_TRUE(deployment_spec_findings(repo).empty());
}

// A repository of charts for others to install (bitnami/charts,
// prometheus-community/helm-charts) leaves environments and alerting to them.
TEST(GitopsRepository, ChartsPublishedForOthersAreNotAsked) {
  TempDir repo;
  repo.write("charts/web/Chart.yaml", "apiVersion: v2\nname: web\nversion: 1.0.0\n");
  repo.write("charts/web/values.yaml", "replicas: 2\n");
  repo.write("charts/web/templates/deployment.yaml", kDeployment);
  repo.write(".github/workflows/release.yml",
             "on: push\njobs:\n  release:\n    runs-on: ubuntu-latest\n    steps:\n"
             "      - uses: helm/chart-releaser-action@v1\n");
  EXPECT_TRUE(deployment_spec_findings(repo).empty());
}

TEST(GitopsRepository, RepositoryWithoutWorkloadsIsNotAsked) {
  TempDir repo;
  repo.write("k8s/kustomization.yaml", "resources: [config.yaml]\n");
  repo.write("k8s/config.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: web\n");
  EXPECT_TRUE(deployment_spec_findings(repo).empty());
}

std::multiset<std::pair<std::string, int>> feature_flag_findings(const TempDir& repo) {
  const engine::RunResult result = run_on_reference_excerpt(repo);
  std::multiset<std::pair<std::string, int>> out;
  for (const auto& f : result.findings)
    if (f.check_id == "gitops/feature-flags") out.insert({f.path, f.range.line});
  return out;
}

TEST(GitopsRepository, DeployedServiceWithoutAFlagLibraryIsToldAtItsDependencies) {
  TempDir repo;
  repo.write("compose.yaml", "services:\n  web:\n    image: example/web:1.0.0\n");
  repo.write("services/web/package.json", "{\"dependencies\": {\"express\": \"^4.19.0\"}}\n");
  repo.write("services/api/pyproject.toml", "[project]\nname = \"api\"\ndependencies = [\"fastapi\"]\n");
  EXPECT_EQ(feature_flag_findings(repo),
            (std::multiset<std::pair<std::string, int>>{{"services/api/pyproject.toml", 0}}));
}

TEST(GitopsRepository, AFlagLibraryOrAFlagServiceCounts) {
  {
    TempDir repo;
    repo.write("compose.yaml", "services:\n  web:\n    image: example/web:1.0.0\n");
    repo.write("package.json", "{\"dependencies\": {\"@openfeature/server-sdk\": \"^1.13.0\"}}\n");
    EXPECT_TRUE(feature_flag_findings(repo).empty());
  }
  {
    TempDir repo;
    repo.write("compose.yaml",
               "services:\n  web:\n    image: example/web:1.0.0\n  flagd:\n    image: ghcr.io/open-feature/flagd:v0.11.1\n");
    repo.write("package.json", "{\"dependencies\": {\"express\": \"^4.19.0\"}}\n");
    EXPECT_TRUE(feature_flag_findings(repo).empty());
  }
  {
    TempDir repo;  // ships nothing: not asked
    repo.write("package.json", "{\"dependencies\": {\"express\": \"^4.19.0\"}}\n");
    EXPECT_TRUE(feature_flag_findings(repo).empty());
  }
}

}  // namespace
}  // namespace constable::testing
